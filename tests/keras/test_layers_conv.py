"""Convolution layers: standard checks, NumPy references and oracle values (fixed weights)."""

import json
import os

import numpy as np
import pytest

from tensorflux.keras import layers
from tests.keras.layer_test import run_layer_test

_ORACLE = json.load(open(os.path.join(os.path.dirname(__file__), "layers_oracle.json")))


def _arr(*shape, scale=10.0):
    n = int(np.prod(shape))
    return ((np.arange(n, dtype="float32").reshape(shape) % 7 - 3) / scale).astype("float32")


def _with_oracle_weights(layer, x):
    layer.build(x.shape)
    layer.set_weights([_arr(*w.shape.as_list()) for w in layer.weights])
    return layer(x).numpy()


def _conv2d_ref(x, k, stride=1, pad="valid"):
    n, h, w, c = x.shape
    kh, kw, _, f = k.shape
    if pad == "same":
        oh, ow = -(-h // stride), -(-w // stride)
        ph = max((oh - 1) * stride + kh - h, 0)
        pw = max((ow - 1) * stride + kw - w, 0)
        x = np.pad(x, [(0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)])
    oh = (x.shape[1] - kh) // stride + 1
    ow = (x.shape[2] - kw) // stride + 1
    out = np.zeros((n, oh, ow, f), "float64")
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            out[:, i, j, :] = np.tensordot(patch, k, axes=([1, 2, 3], [0, 1, 2]))
    return out


@pytest.mark.parametrize(
    "cls,kwargs,in_shape,out_shape",
    [
        (layers.Conv1D, {"filters": 3, "kernel_size": 2}, (2, 5, 2), (2, 4, 3)),
        (layers.Conv1D, {"filters": 3, "kernel_size": 3, "padding": "causal"}, (2, 5, 2),
         (2, 5, 3)),
        (layers.Conv2D, {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
         (2, 5, 5, 2), (2, 3, 3, 3)),
        (layers.Conv3D, {"filters": 2, "kernel_size": 2}, (1, 3, 3, 3, 2), (1, 2, 2, 2, 2)),
        (layers.Conv1DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2}, (2, 4, 3),
         (2, 9, 2)),
        (layers.Conv2DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2,
                                  "padding": "same"}, (2, 3, 3, 2), (2, 6, 6, 2)),
        (layers.Conv3DTranspose, {"filters": 2, "kernel_size": 2, "strides": 2},
         (1, 2, 2, 2, 1), (1, 4, 4, 4, 2)),
        (layers.SeparableConv1D, {"filters": 4, "kernel_size": 3}, (2, 5, 3), (2, 3, 4)),
        (layers.DepthwiseConv1D, {"kernel_size": 3, "depth_multiplier": 2}, (2, 5, 3),
         (2, 3, 6)),
        (layers.DepthwiseConv2D, {"kernel_size": 2}, (2, 4, 4, 3), (2, 3, 3, 3)),
    ],
)  # fmt: skip
def test_conv_standard(cls, kwargs, in_shape, out_shape):
    n = 3 if cls in (layers.SeparableConv1D, layers.SeparableConv2D) else 2
    run_layer_test(cls, kwargs, in_shape, out_shape, n, 0, supports_masking=False)


def test_separable_conv2d_weights_and_oracle():
    layer = run_layer_test(layers.SeparableConv2D, {"filters": 4, "kernel_size": 3,
                                                    "depth_multiplier": 2},
                           (1, 5, 5, 3), (1, 3, 3, 4), 3, 0)  # fmt: skip
    assert [(w.name, tuple(w.shape.as_list())) for w in layer.weights] == [
        ("depthwise_kernel", (3, 3, 3, 2)), ("pointwise_kernel", (1, 1, 6, 4)), ("bias", (4,)),
    ]  # fmt: skip
    y = _with_oracle_weights(layers.SeparableConv2D(3, 2, depth_multiplier=2), _arr(1, 4, 4, 2))
    np.testing.assert_allclose(y, _ORACLE["sep2d"], atol=1e-5)


def test_conv2d_matches_numpy():
    x = np.random.RandomState(0).standard_normal((2, 6, 5, 3)).astype("float32")
    for strides, padding in ((1, "valid"), (2, "same"), (2, "valid")):
        layer = layers.Conv2D(4, 3, strides=strides, padding=padding, activation="relu")
        y = layer(x).numpy()
        k, b = layer.get_weights()
        ref = np.maximum(_conv2d_ref(x, k, strides, padding) + b, 0)
        np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
        assert layer.compute_output_shape(x.shape) == y.shape


def test_conv2d_weights_paths_and_config():
    layer = layers.Conv2D(2, 3, name="c")
    layer(np.zeros((1, 5, 5, 3), "float32"))
    assert [(w.path, tuple(w.shape.as_list())) for w in layer.weights] == [
        ("c/kernel", (3, 3, 3, 2)), ("c/bias", (2,)),
    ]  # fmt: skip
    cfg = layer.get_config()
    assert cfg["kernel_size"] == (3, 3) and cfg["strides"] == (1, 1)
    assert cfg["dilation_rate"] == (1, 1) and cfg["groups"] == 1
    assert cfg["data_format"] == "channels_last" and cfg["padding"] == "valid"
    assert cfg["activity_regularizer"] is None and cfg["activation"] == "linear"
    tcfg = layers.Conv2DTranspose(2, 3).get_config()
    assert tcfg["output_padding"] is None and "groups" not in tcfg


def test_conv_channels_first_equals_channels_last():
    x = np.random.RandomState(1).standard_normal((2, 5, 5, 3)).astype("float32")
    last = layers.Conv2D(4, 3, padding="same")
    first = layers.Conv2D(4, 3, padding="same", data_format="channels_first")
    y_last = last(x)
    first.build((2, 3, 5, 5))
    first.set_weights(last.get_weights())
    y_first = first(np.transpose(x, (0, 3, 1, 2)))
    np.testing.assert_allclose(np.transpose(y_first.numpy(), (0, 2, 3, 1)), y_last.numpy(),
                               rtol=1e-5, atol=1e-5)  # fmt: skip


def test_grouped_conv_equals_split_convs():
    x = np.random.RandomState(2).standard_normal((1, 4, 4, 4)).astype("float32")
    g = layers.Conv2D(6, 2, groups=2, use_bias=False)
    y = g(x).numpy()
    (k,) = g.get_weights()
    assert k.shape == (2, 2, 2, 6)
    ref = np.concatenate(
        [_conv2d_ref(x[..., :2], k[..., :3]), _conv2d_ref(x[..., 2:], k[..., 3:])], axis=-1
    )
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "key,make,x",
    [
        ("t2d_s2_same_op1", lambda: layers.Conv2DTranspose(2, 3, strides=2, padding="same",
                                                           output_padding=1), _arr(1, 4, 4, 2)),
        ("t2d_valid", lambda: layers.Conv2DTranspose(2, 2, strides=1), _arr(1, 4, 4, 2)),
        ("dw2d", lambda: layers.DepthwiseConv2D(2, depth_multiplier=2, padding="same"),
         _arr(1, 4, 4, 2)),
        ("c1d_causal", lambda: layers.Conv1D(2, 2, padding="causal", dilation_rate=2),
         _arr(1, 5, 2)),
        ("t1d", lambda: layers.Conv1DTranspose(2, 3, strides=2), _arr(1, 5, 2)),
    ],
)  # fmt: skip
def test_conv_oracle_values(key, make, x):
    np.testing.assert_allclose(_with_oracle_weights(make(), x), _ORACLE[key], atol=1e-5)


def test_conv_errors():
    with pytest.raises(ValueError, match="Expected a strictly positive value. Received filters=0"):
        layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match="must be a list/tuple or one of {'valid', 'same'}"):
        layers.Conv2D(2, 3, padding="foo")
    with pytest.raises(ValueError, match="`strides > 1` not supported in conjunction"):
        layers.Conv2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="kernel_size=0, including values {0}"):
        layers.Conv2D(2, 0)
    with pytest.raises(ValueError, match=r"tuple of 2 integers. Received kernel_size=\(3, 3, 3\)"):
        layers.Conv2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="evenly divisible by the number of groups"):
        layers.Conv2D(4, 3, groups=3)
    with pytest.raises(ValueError, match="expected min_ndim=4, found ndim=3"):
        layers.Conv2D(2, 3)(np.zeros((1, 5, 5), "float32"))
    with pytest.raises(ValueError, match="Strides must be greater than output padding"):
        layers.Conv2DTranspose(2, 3, strides=1, output_padding=1)


def test_empty_output_error_and_causal_channels_first():
    msg = (r"Computed output size would be zero or negative. Received `inputs shape=\(None, 3, "
           r"3, 1\)`, `kernel shape=\(5, 5, 1, 2\)`, `dilation_rate=\[1 1\]`")  # fmt: skip
    with pytest.raises(ValueError, match=msg):
        layers.Conv2D(2, 5).compute_output_shape((None, 3, 3, 1))
    with pytest.raises(ValueError, match="would be zero or negative"):
        layers.Conv2D(2, 5)(np.zeros((1, 3, 3, 1), "float32"))
    x = np.random.RandomState(0).standard_normal((2, 5, 3)).astype("float32")
    last = layers.Conv1D(2, 3, padding="causal", dilation_rate=2)
    first = layers.Conv1D(2, 3, padding="causal", dilation_rate=2, data_format="channels_first")
    y = last(x).numpy()
    first.build((2, 3, 5))
    first.set_weights(last.get_weights())
    y2 = first(np.transpose(x, (0, 2, 1))).numpy()
    np.testing.assert_allclose(np.transpose(y2, (0, 2, 1)), y, rtol=1e-5, atol=1e-6)
    # causal: the output at step t depends only on inputs up to t
    x2 = x.copy()
    x2[:, 3:] += 1.0
    np.testing.assert_allclose(last(x2).numpy()[:, :3], y[:, :3], rtol=1e-6)


def test_aliases():
    assert layers.Convolution2D is layers.Conv2D
    assert layers.SeparableConvolution2D is layers.SeparableConv2D
    assert layers.Convolution3DTranspose is layers.Conv3DTranspose


@pytest.mark.parametrize(
    "make,shape",
    [
        (lambda **k: layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same", **k),
         (2, 5, 5, 3)),
        (lambda **k: layers.DepthwiseConv1D(3, depth_multiplier=2, **k), (2, 5, 3)),
        (lambda **k: layers.SeparableConv2D(4, 3, depth_multiplier=2, **k), (2, 5, 5, 3)),
        (lambda **k: layers.SeparableConv1D(4, 3, **k), (2, 6, 3)),
        (lambda **k: layers.Conv2DTranspose(4, 3, strides=2, **k), (2, 3, 3, 3)),
        (lambda **k: layers.Conv3DTranspose(2, 2, strides=2, **k), (1, 2, 2, 2, 3)),
        (lambda **k: layers.Conv1DTranspose(2, 3, strides=2, padding="same", **k), (2, 4, 3)),
        (lambda **k: layers.Conv3D(2, 2, **k), (1, 3, 3, 3, 2)),
        (lambda **k: layers.Conv1D(4, 2, groups=2, **k), (2, 5, 4)),
        (lambda **k: layers.MaxPooling1D(**k), (2, 6, 3)),
        (lambda **k: layers.AveragePooling3D(2, **k), (1, 4, 4, 4, 2)),
        (lambda **k: layers.UpSampling3D(**k), (1, 2, 2, 2, 2)),
        (lambda **k: layers.ZeroPadding3D(**k), (1, 2, 2, 2, 2)),
        (lambda **k: layers.Cropping3D(**k), (1, 3, 3, 3, 2)),
        (lambda **k: layers.GlobalAveragePooling2D(keepdims=True, **k), (1, 3, 3, 2)),
    ],
)  # fmt: skip
def test_channels_first_equals_channels_last(make, shape):
    x = np.random.RandomState(0).standard_normal(shape).astype("float32")
    last = make(data_format="channels_last")
    y_last = last(x).numpy()
    first = make(data_format="channels_first")
    perm = (0, len(shape) - 1) + tuple(range(1, len(shape) - 1))
    inv = (0,) + tuple(range(2, len(shape))) + (1,)
    xf = np.transpose(x, perm)
    first.build(xf.shape)
    if last.weights:
        first.set_weights(last.get_weights())
    y_first = np.transpose(first(xf).numpy(), inv)
    np.testing.assert_allclose(y_first, y_last, rtol=1e-5, atol=1e-5)
