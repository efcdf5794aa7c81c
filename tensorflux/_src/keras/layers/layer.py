"""`keras.layers.Layer`: the base of every layer and model.

A layer owns variables made by `add_weight` and finds sub-layers, variables and metrics assigned
to its attributes (also inside lists and dicts) by walking them when asked, so later mutation of
such containers is seen. `__call__` builds on first use, checks `input_spec`, autocasts, threads
`training` and masks through nested calls, collects `add_loss` losses, and on KerasTensor inputs
records a functional-API node instead of computing.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import threading
import weakref

import numpy as np

from tensorflux._src.core import dtypes, nest
from tensorflux._src.keras import backend
from tensorflux._src.keras import dtype_policy as _policy
from tensorflux._src.keras.layers.input_spec import InputSpec, assert_input_compatibility
from tensorflux._src.keras.serialization import register_builtin, serialize_keras_object
from tensorflux._src.keras.variables import Variable
from tensorflux._src.tensor import Tensor, convert_to_tensor
from tensorflux._src.training import checkpoint as _checkpoint


class _CallContext(threading.local):
    def __init__(self):
        self.depth = 0
        self.training = None


_call_ctx = _CallContext()
_with_losses: "weakref.WeakSet" = weakref.WeakSet()  # layers holding add_loss losses
_nullcontext = contextlib.nullcontext

# Attributes never walked for sub-layers/variables (bookkeeping, graph wiring).
_UNTRACKED = frozenset(
    (
        "_inbound_nodes", "_outbound_nodes", "_own_variables", "_losses", "_input_spec",
        "_dtype_policy", "_call_signature", "_build_shapes", "_parent_path", "_tracked_layers",
        "_compiled", "_compile_config", "history", "_functional_nodes", "_layer_order",
        "stop_training", "_output_layers", "_input_layers", "_outputs", "_inputs",
    )
)  # fmt: skip


def _is_keras_tensor(x) -> bool:
    return getattr(x, "_is_keras_tensor", False)


def _shape_of(x):
    shape = x.shape
    if hasattr(shape, "as_list"):
        return tuple(shape.as_list()) if shape.rank is not None else None
    return tuple(shape)


@register_builtin("keras.layers")
class Layer:
    """The base class of layers: state (weights) plus a computation (`call`).

    Subclasses create weights in `__init__` or in `build(input_shape)` with `add_weight`, and
    compute in `call(inputs, ...)`; `call` may take `training` and `mask` arguments, which
    `__call__` fills in.

    Args:
      trainable: whether the layer's weights are updated by training.
      name: the layer's name (default: the class name in snake_case, made unique).
      dtype: a dtype name or `DTypePolicy` for weights and computation (default: the global
        policy).
      autocast: whether float inputs are cast to the compute dtype.
      activity_regularizer: a regularizer applied to the outputs (added to `losses`).
      input_shape / batch_input_shape / input_dim / batch_size: accepted on the first layer of a
        `Sequential` model to declare the input.
    """

    _is_layer = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("build")
        if own is not None and not getattr(own, "_records_shape", False):
            # A direct `layer.build(shape)` marks the layer built and records the shape for
            # `get_build_config()`, as Keras does.
            @functools.wraps(own)
            def build(self, *args, **kw):
                out = own(self, *args, **kw)
                shape = args[0] if args else kw.get("input_shape")
                if shape is not None and "_build_input_shape" not in self.__dict__:
                    self._build_input_shape = shape
                self.built = True
                return out

            build._records_shape = True
            cls.build = build

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        # Set before any subclass __init__ code runs, so attribute tracking works at once.
        object.__setattr__(obj, "_own_variables", [])
        object.__setattr__(obj, "_losses", [])
        object.__setattr__(obj, "_inbound_nodes", [])
        object.__setattr__(obj, "_outbound_nodes", [])
        object.__setattr__(obj, "built", False)
        return obj

    def __init__(
        self,
        *,
        activity_regularizer=None,
        trainable=True,
        dtype=None,
        autocast=True,
        name=None,
        **kwargs,
    ):
        input_dim = kwargs.pop("input_dim", None)
        input_shape = kwargs.pop("input_shape", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        kwargs.pop("input_length", None)
        if kwargs:
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}"
            )
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            self._batch_input_shape = tuple(batch_input_shape)
        elif input_shape is not None:
            self._batch_input_shape = (batch_size,) + tuple(input_shape)
        if name is None:
            name = backend.unique_object_name(backend.to_snake_case(type(self).__name__))
        elif not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character `/`. "
                f"Received: name={name} (of type {type(name)})"
            )
        self.name = name
        self._dtype_policy = _policy.get(dtype)
        self.autocast = autocast
        self._trainable = bool(trainable)
        from tensorflux._src.keras import regularizers

        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._input_spec = None
        self.supports_masking = _overrides(type(self), "compute_mask")
        self._call_signature = inspect.signature(self.call)
        params = self._call_signature.parameters
        self._call_has_training = "training" in params
        self._call_has_mask = "mask" in params
        self._parent_path = None

    # ------------------------------------------------------------------ properties

    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        self._dtype_policy = _policy.get(value)

    @property
    def dtype(self) -> str:
        """The dtype of the layer's weights (a name string, as Keras)."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self._dtype_policy.variable_dtype

    @property
    def input_dtype(self) -> str:
        return self._dtype_policy.compute_dtype

    @property
    def path(self) -> str:
        return self.name

    @property
    def input_spec(self):
        return self._input_spec

    @input_spec.setter
    def input_spec(self, value):
        for v in nest.flatten(value):
            if v is not None and not isinstance(v, InputSpec):
                raise TypeError(
                    "Layer input_spec must be an instance of InputSpec. Got: {}".format(v)
                )
        self._input_spec = value

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        for layer in self._flatten_layers(include_self=False):
            layer._trainable = value

    # ------------------------------------------------------------------ tracking

    def _tracked_values(self):
        """Attribute values in assignment order, containers expanded (depth first)."""
        out = []

        def visit(v, depth):
            if depth > 6:
                return
            if isinstance(v, (Layer, Variable)) or getattr(v, "_is_metric", False):
                out.append(v)
            elif getattr(v, "_is_variable", False):
                out.append(v)
            elif type(v).__name__ == "SeedGenerator":
                out.append(v)
            elif isinstance(v, (list, tuple)):
                for x in v:
                    visit(x, depth + 1)
            elif isinstance(v, dict):
                for x in v.values():
                    visit(x, depth + 1)

        for key, v in self.__dict__.items():
            if key in _UNTRACKED or v is self:
                continue
            visit(v, 0)
        return out

    def _sublayers(self) -> list:
        """Direct sub-layers, in tracking order (a model may override the order)."""
        order = getattr(self, "_layer_order", None)
        if order is not None:
            return list(order)
        seen = set()
        out = []
        for v in self._tracked_values():
            if isinstance(v, Layer) and id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        return out

    def _flatten_layers(self, include_self=True, recursive=True) -> list:
        out = [self] if include_self else []
        seen = {id(self)}
        stack = list(reversed(self._sublayers()))
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            out.append(layer)
            if recursive:
                stack.extend(reversed(layer._sublayers()))
        return out

    @property
    def layers(self) -> list:
        return self._sublayers()

    def _direct_variables(self) -> list:
        """This layer's own variables: `add_weight`'s, then variables set as attributes."""
        seen = {id(v) for v in self._own_variables}
        out = list(self._own_variables)
        for v in self._tracked_values():
            if getattr(v, "_is_variable", False) and id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        return out

    def _gather(self, pick) -> list:
        out, seen = [], set()
        for layer in self._flatten_layers():
            for v in pick(layer):
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    def _weights_in_order(self, pick, frozen=False) -> list:
        """Own weights (as `pick` selects), then each sub-layer's, depth first (Keras's order)."""
        out, seen = [], set()
        stack = [(self, frozen)]
        while stack:
            layer, frozen_here = stack.pop()
            frozen_here = frozen_here or not layer._trainable
            for v in layer._direct_variables():
                if id(v) not in seen and pick(v, frozen_here):
                    seen.add(id(v))
                    out.append(v)
            stack.extend((sub, frozen_here) for sub in reversed(layer._sublayers()))
        return out

    @property
    def trainable_weights(self) -> list:
        """The weights optimizers update (empty when the layer is frozen)."""
        return self._weights_in_order(lambda v, frozen: v.trainable and not frozen)

    @property
    def non_trainable_weights(self) -> list:
        return self._weights_in_order(lambda v, frozen: not v.trainable or frozen)

    @property
    def weights(self) -> list:
        """Every weight: each layer's own, then its sub-layers' (Keras's order)."""
        return self._weights_in_order(lambda v, frozen: True)

    @property
    def trainable_variables(self) -> list:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list:
        return self.non_trainable_weights + self._seed_and_metric_variables()

    @property
    def variables(self) -> list:
        return self.weights + self._seed_and_metric_variables()

    def _gather(self, pick) -> list:
        out, seen = [], set()
        for layer in self._flatten_layers():
            for v in pick(layer):
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    def _seed_and_metric_variables(self) -> list:
        out = []
        for layer in self._flatten_layers():
            for v in layer._tracked_values():
                if type(v).__name__ == "SeedGenerator":
                    out.append(v.state)
                elif getattr(v, "_is_metric", False) and not isinstance(v, Layer):
                    out.extend(v.variables)
        return out

    @property
    def metrics_variables(self) -> list:
        out = []
        for m in self.metrics:
            out.extend(m.variables)
        return out

    @property
    def metrics(self) -> list:
        out = []
        for layer in self._flatten_layers():
            for v in layer._tracked_values():
                if getattr(v, "_is_metric", False) and v not in out:
                    out.append(v)
        return out

    # ------------------------------------------------------------------ weights

    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        overwrite_with_gradient=False,
        name=None,
    ):
        """Creates a weight variable owned by this layer.

        Args:
          shape: the shape (default scalar).
          initializer: an initializer object or name (default "glorot_uniform" for floats,
            "zeros" otherwise).
          dtype: the dtype (default: the layer's variable dtype).
          trainable: whether training updates it.
          autocast: whether it reads as the compute dtype under mixed precision.
          regularizer: a regularizer whose penalty is added to `losses`.
          constraint: a function applied after each optimizer update.
          aggregation: how replicas combine it ("none", "mean", "sum", "only_first_replica").
          overwrite_with_gradient: the optimizer assigns the gradient instead of applying it.
          name: the short name.

        Returns:
          The new `keras.Variable`.
        """
        from tensorflux._src.function import init_scope
        from tensorflux._src.keras import constraints, initializers, regularizers

        shape = () if shape is None else tuple(shape)
        dtype = backend.standardize_dtype(dtype if dtype is not None else self.variable_dtype)
        if initializer is None:
            is_float = dtypes.as_dtype(dtype).is_floating
            initializer = "glorot_uniform" if is_float else "zeros"
        initializer = initializers.get(initializer)
        inside = backend.current_path().rsplit("/", 1)[-1] == self.name
        with init_scope(), backend.name_scope(self.name) if not inside else _nullcontext():
            v = Variable(
                initializer, shape=shape, dtype=dtype, trainable=trainable, autocast=autocast,
                aggregation=aggregation, name=name,
            )  # fmt: skip
        v.regularizer = regularizers.get(regularizer)
        v._constraint = constraints.get(constraint)
        v.overwrite_with_gradient = overwrite_with_gradient
        self._own_variables.append(v)
        return v

    def get_weights(self) -> list:
        """The weights' values as NumPy arrays."""
        return [np.asarray(v.numpy()) for v in self.weights]

    def set_weights(self, weights) -> None:
        """Assigns NumPy arrays to the weights, in `weights` order."""
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(
                f"You called `set_weights(weights)` on layer '{self.name}' with a weight list of "
                f"length {len(weights)}, but the layer was expecting {len(params)} weights."
            )
        for v, w in zip(params, weights):
            w = np.asarray(w)
            if tuple(v.shape.as_list()) != w.shape:
                raise ValueError(
                    f"Layer {self.name} weight shape {tuple(v.shape.as_list())} is not "
                    f"compatible with provided weight shape {w.shape}."
                )
            v.assign(w)

    def count_params(self) -> int:
        """The number of scalars in the weights."""
        if not self.built:
            raise ValueError(
                "You tried to call `count_params` on layer '{}', but the layer isn't built. You "
                "can build it manually via: `layer.build(input_shape)`.".format(self.name)
            )
        return int(sum(int(np.prod(v.shape.as_list())) for v in self.weights))

    # ------------------------------------------------------------------ losses

    def add_loss(self, loss) -> None:
        """Adds a loss tensor (or a list of them) to `losses`; cleared at each top-level call."""
        for x in nest.flatten(loss):
            if callable(x) and not isinstance(x, Tensor):
                x = x()
            self._losses.append(x)
        _with_losses.add(self)

    @property
    def losses(self) -> list:
        """Losses from `add_loss` in the last call, then the weight regularization penalties."""
        out = []
        for layer in self._flatten_layers():
            out.extend(layer._losses)
        for layer in self._flatten_layers():
            for v in layer._own_variables:
                if getattr(v, "regularizer", None) is not None and layer._trainable:
                    out.append(v.regularizer(v))
        return out

    def _clear_losses(self) -> None:
        if not _with_losses:
            return
        for layer in self._flatten_layers():
            if layer._losses:
                layer._losses.clear()
                _with_losses.discard(layer)

    # ------------------------------------------------------------------ build and call

    def build(self, input_shape=None) -> None:
        """Creates the weights for inputs of `input_shape` (default: nothing to create)."""
        self.built = True

    def call(self, *args, **kwargs):
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not have a `call()` method implemented."
        )

    def compute_output_shape(self, *args, **kwargs):
        """The output shape for an input shape, found by tracing `call` when not overridden."""
        from tensorflux._src.keras.keras_tensor import KerasTensor

        def to_kt(shape):
            if _is_single_shape(shape):
                return KerasTensor(shape, self.compute_dtype)
            if isinstance(shape, dict):
                return {k: to_kt(v) for k, v in shape.items()}
            return [to_kt(x) for x in shape]

        first = to_kt(args[0]) if args and _is_shape(args[0]) else (args[0] if args else None)
        spec = self.compute_output_spec(first, *args[1:], **kwargs)
        return nest.map_structure(
            lambda s: tuple(s.shape.as_list()) if hasattr(s.shape, "as_list") else tuple(s.shape),
            spec,
        )

    def compute_output_spec(self, *args, **kwargs):
        """Output shapes/dtypes of calling on KerasTensors (traced on placeholders)."""
        from tensorflux._src.keras.keras_tensor import trace_output_spec

        return trace_output_spec(self, args, kwargs)

    def compute_mask(self, inputs, previous_mask=None):
        """The mask of the outputs: by default the input mask when `supports_masking`."""
        if not self.supports_masking:
            return None
        return previous_mask

    def _maybe_build(self, args, kwargs) -> None:
        if self.built:
            return
        first = args[0] if args else next(iter(kwargs.values()), None)
        shapes = nest.map_structure(
            lambda x: _shape_of(x) if hasattr(x, "shape") else None, first, check_types=False
        )
        from tensorflux._src.function import init_scope

        with init_scope(), backend.name_scope(self.name):
            sig = inspect.signature(self.build)
            if len(sig.parameters) == 0:
                self.build()
            else:
                self.build(shapes)
        self._build_input_shape = shapes
        self.built = True
        if _checkpoint._ACTIVE:  # a checkpoint restored before these weights existed
            _checkpoint.apply_pending_restores()

    def get_build_config(self):
        """`{"input_shape": ...}` recorded at build time (what saving stores), or None."""
        shape = self.__dict__.get("_build_input_shape")
        if shape is None:
            return None
        return {"input_shape": shape}

    def build_from_config(self, config) -> None:
        """Builds from `get_build_config()`'s output."""
        if config and not self.built:
            shape = config.get("input_shape")
            from tensorflux._src.function import init_scope

            with init_scope(), backend.name_scope(self.name):
                self.build(_as_shape_tuples(shape))
            self._build_input_shape = shape
            self.built = True

    def __call__(self, *args, **kwargs):
        flat_inputs = nest.flatten((args, kwargs))
        if any(_is_keras_tensor(x) for x in flat_inputs):
            from tensorflux._src.keras.keras_tensor import symbolic_call

            return symbolic_call(self, args, kwargs)
        args, kwargs = self._convert_inputs(args, kwargs)
        if self._input_spec is not None and args:
            assert_input_compatibility(self._input_spec, args[0], self.name)
        # training: explicit argument, else the enclosing call's value, else call's default
        ctx = _call_ctx
        outer_training = ctx.training
        training = kwargs.get("training", None)
        if training is None:
            training = outer_training
        if self._call_has_training:
            if training is not None:
                kwargs["training"] = training
            else:
                kwargs.pop("training", None)
        elif "training" in kwargs:
            kwargs.pop("training")
        mask = None
        if self._call_has_mask and "mask" not in kwargs and args:
            masks = [getattr(x, "_keras_mask", None) for x in nest.flatten(args[0])]
            if any(m is not None for m in masks):
                mask = masks[0] if len(masks) == 1 else nest.pack_sequence_as(args[0], masks)
                kwargs["mask"] = mask
        elif "mask" in kwargs:
            mask = kwargs["mask"] if self._call_has_mask else kwargs.pop("mask")
        top = ctx.depth == 0
        if top:
            self._clear_losses()
        ctx.depth += 1
        ctx.training = training
        policy = self._dtype_policy
        autocast = policy.compute_dtype if policy.compute_dtype != policy.variable_dtype else None
        try:
            if not self.built:
                self._maybe_build(args, kwargs)
            with backend.name_scope(self.name):
                if autocast is not None:
                    with backend.autocast_scope(autocast):
                        outputs = self.call(*args, **kwargs)
                elif backend.autocast_dtype() is not None:
                    with backend.autocast_scope(None):
                        outputs = self.call(*args, **kwargs)
                else:
                    outputs = self.call(*args, **kwargs)
        finally:
            ctx.depth -= 1
            ctx.training = outer_training
        if self.activity_regularizer is not None:
            for out in nest.flatten(outputs):
                if isinstance(out, Tensor):
                    self.add_loss(self.activity_regularizer(out))
        self._set_output_mask(args, kwargs, outputs, mask)
        return outputs

    def _set_output_mask(self, args, kwargs, outputs, mask) -> None:
        if not (self.supports_masking or _overrides(type(self), "compute_mask")):
            return
        if mask is None and args:
            masks = [getattr(x, "_keras_mask", None) for x in nest.flatten(args[0])]
            if len(masks) == 1:
                mask = masks[0]
            elif any(m is not None for m in masks):
                mask = masks
        if mask is None and not _overrides(type(self), "compute_mask"):
            return
        out_mask = self.compute_mask(args[0] if args else None, mask)
        if out_mask is None:
            return
        flat_out = nest.flatten(outputs)
        flat_mask = nest.flatten(out_mask) if isinstance(out_mask, (list, tuple)) else [out_mask]
        if len(flat_mask) == 1 and len(flat_out) > 1:
            flat_mask = flat_mask * len(flat_out)
        for o, m in zip(flat_out, flat_mask):
            try:
                o._keras_mask = m
            except AttributeError:
                pass

    def _convert_inputs(self, args, kwargs):
        compute = dtypes.as_dtype(self.compute_dtype)
        autocast = self.autocast

        def conv(x):
            if isinstance(x, Tensor):
                if autocast and x.dtype.is_floating and x.dtype is not compute:
                    from tensorflux._src.ops.math_ops import cast

                    m = getattr(x, "_keras_mask", None)
                    x = cast(x, compute)
                    if m is not None:
                        x._keras_mask = m
                return x
            if isinstance(x, (np.ndarray, np.generic)):
                if x.dtype.kind == "f" and autocast:
                    return convert_to_tensor(x, dtype=compute)
                return convert_to_tensor(x)
            return x

        if args:
            first = nest.map_structure(conv, args[0], check_types=False)
            args = (first,) + tuple(args[1:])
        return args, kwargs

    # ------------------------------------------------------------------ config

    def get_config(self) -> dict:
        """The constructor arguments as a dict (Keras's keys)."""
        base = {"name": self.name, "trainable": self.trainable}
        policy = serialize_keras_object(self._dtype_policy)
        if type(self).__init__ is Layer.__init__:
            config = {
                "name": self.name,
                "activity_regularizer": serialize_keras_object(self.activity_regularizer),
                "trainable": self.trainable,
                "dtype": policy,
                "autocast": self.autocast,
            }
        else:
            extra = _extra_init_args(type(self))
            if extra and type(self).get_config is Layer.get_config:
                raise NotImplementedError(
                    f"Layer {type(self).__name__} has arguments {extra} in `__init__()` and "
                    "therefore must override `get_config()`."
                )
            config = {**base, "dtype": policy}
        if hasattr(self, "_batch_input_shape"):
            config["batch_input_shape"] = self._batch_input_shape
        return config

    @classmethod
    def from_config(cls, config):
        """Creates a layer from `get_config()`'s output."""
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = _policy.get(config["dtype"])
        try:
            return cls(**config)
        except Exception as e:
            raise TypeError(
                f"Error when deserializing class '{cls.__name__}' using config={config}.\n\n"
                f"Exception encountered: {e}"
            ) from e

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    # ------------------------------------------------------------------ functional bookkeeping

    @property
    def input(self):
        """The KerasTensor(s) this layer was first called on in a functional model."""
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} is not connected, no input to return.")
        return self._inbound_nodes[0].input_tensors_struct

    @property
    def output(self):
        """The KerasTensor(s) this layer first produced in a functional model."""
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} has no inbound nodes.")
        return self._inbound_nodes[0].outputs


class _Spec:
    """A shape (with None) and a dtype: what `compute_output_shape` traces with."""

    def __init__(self, shape, dtype):
        from tensorflux._src.core.shape import TensorShape

        self.shape = TensorShape(list(shape))
        self.dtype = dtypes.as_dtype(dtype)


def _is_single_shape(x) -> bool:
    return isinstance(x, (tuple, list)) and all(d is None or isinstance(d, int) for d in x)


def _is_shape(x) -> bool:
    if isinstance(x, (tuple, list)) and all(d is None or isinstance(d, int) for d in x):
        return True
    if isinstance(x, (tuple, list)) and x and all(_is_shape(s) for s in x):
        return True
    return False


def _as_shape_tuples(shape):
    if isinstance(shape, dict):
        return {k: _as_shape_tuples(v) for k, v in shape.items()}
    if (
        isinstance(shape, (list, tuple))
        and shape
        and all(isinstance(s, (list, tuple)) or s is None for s in shape)
        and any(isinstance(s, (list, tuple)) for s in shape)
    ):
        return [_as_shape_tuples(s) for s in shape]
    return tuple(shape) if isinstance(shape, (list, tuple)) else shape


def _extra_init_args(cls) -> list:
    try:
        params = inspect.signature(cls.__init__).parameters.values()
    except (TypeError, ValueError):
        return []
    skip = {"self", "name", "trainable", "dtype", "autocast", "activity_regularizer"}
    return [
        p.name
        for p in params
        if p.name not in skip and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    ]


def _overrides(cls, method: str) -> bool:
    return getattr(cls, method) is not getattr(Layer, method, None)
