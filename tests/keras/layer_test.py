"""`run_layer_test`: the standard checks every Keras layer gets (after keras.testing's idea).

For `layer_cls(**init_kwargs)` it checks: get_config -> from_config (and
serialize_keras_object -> deserialize_keras_object) give the same config; an eager call gives
the expected output shape and dtype and builds the expected number of weights; a symbolic call
on `keras.Input` gives the same shape (also with an unknown batch size); `compute_output_shape`
agrees; a call under `tf.function` equals the eager call; a `GradientTape` step gives a
gradient for every trainable weight; under "mixed_float16" float outputs are float16 while
trainable weights stay float32; `supports_masking` has the expected value.
"""

from __future__ import annotations

import json

import numpy as np

import tensorflux as tf
from tensorflux._src.keras.layers.input_layer import Input
from tensorflux._src.keras.serialization import (
    CustomObjectScope,
    deserialize_keras_object,
    serialize_keras_object,
)


def _make_input(shape, dtype, seed=0):
    rng = np.random.RandomState(seed)
    if np.dtype(dtype).kind in "iu":
        return rng.randint(0, 4, size=shape).astype(dtype)
    if np.dtype(dtype).kind == "b":
        return rng.rand(*shape) > 0.5
    return (rng.standard_normal(shape)).astype(dtype)


def _shapes(out):
    if isinstance(out, (list, tuple)):
        return [tuple(o.shape.as_list()) for o in out]
    return tuple(out.shape.as_list())


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _build_inputs(input_shape, input_dtype, input_data):
    if input_data is not None:
        return input_data
    if isinstance(input_shape, list):
        dtypes = input_dtype if isinstance(input_dtype, list) else [input_dtype] * len(input_shape)
        return [_make_input(s, d, seed=i) for i, (s, d) in enumerate(zip(input_shape, dtypes))]
    return _make_input(input_shape, input_dtype)


def _symbolic_inputs(data, none_batch=False):
    def one(x):
        shape = tuple(x.shape)
        if none_batch:
            return Input(shape=shape[1:], dtype=str(np.asarray(x).dtype))
        return Input(batch_shape=shape, dtype=str(np.asarray(x).dtype))

    if isinstance(data, list):
        return [one(x) for x in data]
    return one(data)


def run_layer_test(
    layer_cls,
    init_kwargs,
    input_shape=None,
    expected_output_shape=None,
    expected_num_trainable_weights=None,
    expected_num_non_trainable_weights=None,
    *,
    input_dtype="float32",
    input_data=None,
    call_kwargs=None,
    expected_output_dtype=None,
    expected_num_non_trainable_variables=None,
    expected_num_losses=None,
    supports_masking=None,
    run_training_check=True,
    run_mixed_precision_check=True,
    run_tf_function_check=True,
    run_symbolic_check=True,
    check_none_batch=True,
    check_compute_output_shape=True,
    custom_objects=None,
):
    """Runs the standard layer checks; returns the eagerly called layer for extra asserts."""
    call_kwargs = dict(call_kwargs or {})
    data = _build_inputs(input_shape, input_dtype, input_data)
    multi = isinstance(expected_output_shape, list)

    # ------------------------------------------------------------ config round trips
    layer = layer_cls(**init_kwargs)
    config = layer.get_config()
    json.dumps(serialize_keras_object(layer))
    with CustomObjectScope(custom_objects):
        revived = layer_cls.from_config(config)
    assert revived.get_config() == config, (revived.get_config(), config)
    ser = serialize_keras_object(layer)
    assert ser["class_name"] == layer_cls.__name__
    assert ser["module"] in ("keras.layers", "keras._legacy.layers"), ser["module"]
    again = deserialize_keras_object(json.loads(json.dumps(ser)), custom_objects=custom_objects)
    assert type(again) is layer_cls
    assert json.loads(json.dumps(serialize_keras_object(again)))["config"] == json.loads(
        json.dumps(ser)
    )["config"]
    if supports_masking is not None:
        assert layer.supports_masking == supports_masking, layer.supports_masking

    # ------------------------------------------------------------ eager call
    out = layer(data, **call_kwargs)
    assert layer.built
    if expected_output_shape is not None:
        got = _shapes(out)
        assert got == (
            [tuple(s) for s in expected_output_shape] if multi else tuple(expected_output_shape)
        ), (got, expected_output_shape)
    if expected_output_dtype is not None:
        for o in _as_list(out):
            assert o.dtype.name == expected_output_dtype, (o.dtype.name, expected_output_dtype)
    if expected_num_trainable_weights is not None:
        n = len(layer.trainable_weights)
        assert n == expected_num_trainable_weights, (n, expected_num_trainable_weights)
    if expected_num_non_trainable_weights is not None:
        n = len(layer.non_trainable_weights)
        assert n == expected_num_non_trainable_weights, (n, expected_num_non_trainable_weights)
    if expected_num_non_trainable_variables is not None:
        n = len(layer.non_trainable_variables)
        assert n == expected_num_non_trainable_variables, n
    if expected_num_losses is not None:
        assert len(layer.losses) == expected_num_losses, layer.losses
    for w in layer.weights:
        assert w.path.startswith(layer.name + "/"), w.path
    # weights survive a get/set round trip
    if layer.weights:
        layer.set_weights(layer.get_weights())

    # ------------------------------------------------------------ compute_output_shape
    if check_compute_output_shape and expected_output_shape is not None:
        in_shapes = (
            [tuple(np.shape(x)) for x in data] if isinstance(data, list) else tuple(np.shape(data))
        )
        shape = layer.compute_output_shape(in_shapes)
        if multi:
            assert [tuple(s) for s in shape] == [tuple(s) for s in expected_output_shape]
        else:
            assert tuple(shape) == tuple(expected_output_shape), (shape, expected_output_shape)

    # ------------------------------------------------------------ symbolic call
    if run_symbolic_check:
        sym_layer = layer_cls(**init_kwargs)
        kt = sym_layer(_symbolic_inputs(data), **call_kwargs)
        if expected_output_shape is not None:
            got = (
                [tuple(t.shape.as_list()) for t in kt] if multi else tuple(kt.shape.as_list())
            )
            want = (
                [tuple(s) for s in expected_output_shape] if multi
                else tuple(expected_output_shape)
            )  # fmt: skip
            assert got == want, (got, want)
        if check_none_batch:
            sym_layer = layer_cls(**init_kwargs)
            kt = sym_layer(_symbolic_inputs(data, none_batch=True), **call_kwargs)
            if expected_output_shape is not None and not multi:
                got = tuple(kt.shape.as_list())
                assert got[0] is None and got[1:] == tuple(expected_output_shape)[1:], got

    # ------------------------------------------------------------ tf.function
    if run_tf_function_check:
        fn = tf.function(lambda x: layer(x, **call_kwargs))
        traced = fn(data)
        eager = layer(data, **call_kwargs)
        for a, b in zip(_as_list(traced), _as_list(eager)):
            np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-5)

    # ------------------------------------------------------------ training step
    if run_training_check and layer.trainable_weights:
        with tf.GradientTape() as tape:
            y = layer(data, training=True, **call_kwargs)
            loss = tf.add_n([tf.reduce_sum(tf.cast(o, "float32")) for o in _as_list(y)])
        grads = tape.gradient(loss, layer.trainable_weights)
        for w, g in zip(layer.trainable_weights, grads):
            assert g is not None, f"no gradient for {w.path}"
            assert tuple(g.shape.as_list()) == tuple(w.shape.as_list())

    # ------------------------------------------------------------ mixed precision
    if run_mixed_precision_check:
        mp = layer_cls(**{**init_kwargs, "dtype": "mixed_float16"})
        y = mp(data, **call_kwargs)
        for o in _as_list(y):
            if o.dtype.is_floating:
                assert o.dtype.name == "float16", o.dtype.name
        for w in mp.trainable_weights:
            assert w.dtype.name == "float32", (w.path, w.dtype)
    return layer
