"""KerasTensor: a symbolic shape and dtype that records the functional-API graph.

Calling a layer on KerasTensors does not compute: the layer is built from the shapes, its output
shapes come from `compute_output_shape` when the layer defines it, else from tracing `call` on
placeholders, and a `Node` records the call so a functional `Model` can replay it on real tensors.
"""

from __future__ import annotations

from tensorflux._src.core import dtypes, nest
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.keras import backend


class KerasTensor:
    """A symbolic placeholder (shape with None for unknown dims, dtype) in a functional model.

    Only Keras layers and the operators below accept it; TensorFlow ops raise ValueError.
    """

    _is_keras_tensor = True

    def __init__(self, shape, dtype="float32", sparse=False, ragged=False, record_history=True,
                 name=None):  # fmt: skip
        self.shape = TensorShape(list(shape) if shape is not None else None)
        self.dtype = dtypes.as_dtype(backend.standardize_dtype(dtype))
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name or backend.unique_object_name("keras_tensor")
        self._keras_history = None

    @property
    def ndim(self) -> int:
        return self.shape.rank

    def __repr__(self) -> str:
        shape = tuple(self.shape.as_list()) if self.shape.rank is not None else None
        return (
            f"<KerasTensor shape={shape}, dtype={self.dtype.name}, sparse={self.sparse}, "
            f"ragged={self.ragged}, name={self.name}>"
        )

    __str__ = __repr__

    def __hash__(self):
        return id(self)

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a boolean.")

    def __iter__(self):
        raise NotImplementedError("Iterating over a symbolic KerasTensor is not supported.")

    def __array__(self, dtype=None, copy=None):
        raise ValueError(_TF_OP_ERROR)


_TF_OP_ERROR = (
    "A KerasTensor cannot be used as input to a TensorFlow function. A KerasTensor is a symbolic "
    "placeholder for a shape and dtype, used when constructing Keras Functional models or Keras "
    "Functions. You can only use it as input to a Keras layer or a Keras operation (from the "
    "namespaces `keras.layers` and `keras.ops`). You are likely doing something like:\n\n```\n"
    "x = Input(...)\n...\ntf_fn(x)  # Invalid.\n```\n\nWhat you should do instead is wrap "
    "`tf_fn` in a layer:\n\n```\nclass MyLayer(Layer):\n    def call(self, x):\n        return "
    "tf_fn(x)\n\nx = MyLayer()(x)\n```\n"
)


def _refuse(value, dtype=None, name=None, as_ref=False):
    raise ValueError(_TF_OP_ERROR)


def _install_conversion() -> None:
    from tensorflux._src.tensor import register_tensor_conversion_function

    register_tensor_conversion_function(KerasTensor, _refuse)


_install_conversion()


class KerasHistory(tuple):
    """(operation, node_index, tensor_index): where a KerasTensor came from."""

    __slots__ = ()

    def __new__(cls, operation, node_index, tensor_index):
        return super().__new__(cls, (operation, node_index, tensor_index))

    operation = property(lambda self: self[0])
    node_index = property(lambda self: self[1])
    tensor_index = property(lambda self: self[2])

    def __repr__(self) -> str:
        return f"KerasHistory(operation={self[0]!r}, node_index={self[1]}, tensor_index={self[2]})"


class Node:
    """One call of a layer on KerasTensors: its arguments and its outputs."""

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=None):
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = outputs
        self.input_tensors = [
            x for x in nest.flatten((self.call_args, self.call_kwargs)) if is_keras_tensor(x)
        ]
        self.output_tensors = [x for x in nest.flatten(outputs) if is_keras_tensor(x)]
        index = len(operation._inbound_nodes)
        operation._inbound_nodes.append(self)
        for i, t in enumerate(self.output_tensors):
            t._keras_history = KerasHistory(operation, index, i)
        for t in self.input_tensors:
            if t._keras_history is not None:
                t._keras_history.operation._outbound_nodes.append(self)

    @property
    def input_tensors_struct(self):
        if self.call_args:
            return self.call_args[0]
        return self.input_tensors

    @property
    def parent_nodes(self) -> list:
        out = []
        for t in self.input_tensors:
            h = t._keras_history
            if h is not None:
                out.append(h.operation._inbound_nodes[h.node_index])
        return out

    @property
    def is_input(self) -> bool:
        return not self.input_tensors


def is_keras_tensor(x) -> bool:
    """True for a KerasTensor (a functional-API placeholder)."""
    return getattr(x, "_is_keras_tensor", False)


def _to_spec(x):
    from tensorflux._src.graph.trace import InputSpec

    if is_keras_tensor(x):
        return InputSpec(x.shape, x.dtype, None)
    return x


def trace_output_spec(layer, args, kwargs):
    """Traces `layer(*args, **kwargs)` on placeholders; returns KerasTensors of the outputs."""
    from tensorflux._src.graph.graph import SymbolicTensor
    from tensorflux._src.graph.trace import trace

    spec_args = nest.map_structure(_to_spec, list(args), check_types=False)
    spec_kwargs = {k: nest.map_structure(_to_spec, v, check_types=False) for k, v in kwargs.items()}

    def run(*a, **k):
        return layer(*a, **k)

    _, _, outputs = trace(run, spec_args, spec_kwargs)

    def to_kt(t):
        if isinstance(t, SymbolicTensor):
            shape = t.shape.as_list() if t.shape.rank is not None else None
            return KerasTensor(shape, t.dtype)
        return t

    return nest.map_structure(to_kt, outputs, check_types=False)


def symbolic_call(layer, args, kwargs):
    """`layer(*args, **kwargs)` on KerasTensors: builds the layer, returns output KerasTensors."""
    from tensorflux._src.keras.layers.layer import _overrides

    first = args[0] if args else None
    if not layer.built:
        layer._maybe_build(args, kwargs)
    if layer._input_spec is not None and first is not None:
        from tensorflux._src.keras.layers.input_spec import assert_input_compatibility

        assert_input_compatibility(layer._input_spec, first, layer.name)
    if _overrides(type(layer), "compute_output_spec"):
        outputs = layer.compute_output_spec(*args, **kwargs)
    elif _overrides(type(layer), "compute_output_shape") and first is not None:
        in_shapes = nest.map_structure(
            lambda x: tuple(x.shape.as_list()) if is_keras_tensor(x) else x, first,
            check_types=False,
        )  # fmt: skip
        shapes = layer.compute_output_shape(in_shapes)
        dtype = layer.compute_dtype
        outputs = _shapes_to_kts(shapes, dtype)
    else:
        outputs = trace_output_spec(layer, args, kwargs)
    outputs = nest.map_structure(
        lambda t: (
            KerasTensor(t.shape.as_list() if t.shape.rank is not None else None, t.dtype)
            if is_keras_tensor(t)
            else t
        ),
        outputs,
        check_types=False,
    )  # fmt: skip  (fresh tensors: each call gets its own)
    Node(layer, args, kwargs, outputs)
    return outputs


def _is_single_shape(s) -> bool:
    return (
        s is None
        or isinstance(s, (tuple, list))
        and all(d is None or isinstance(d, int) for d in s)
    )


def _shapes_to_kts(shapes, dtype):
    if _is_single_shape(shapes):
        return KerasTensor(shapes, dtype)
    if isinstance(shapes, dict):
        return {k: _shapes_to_kts(v, dtype) for k, v in shapes.items()}
    return type(shapes)(_shapes_to_kts(s, dtype) for s in shapes)


# ---------------------------------------------------------------------- operators


def _op_layer(name, fn):
    from tensorflux._src.keras.layers.layer import Layer

    class _Operation(Layer):
        _is_operation = True

        def call(self, *args):
            return fn(*args)

    _Operation.__name__ = "Operation"
    op = _Operation(name=backend.unique_object_name(name))
    return op


def _binary(name, fn, reverse=False):
    def method(self, other):
        if reverse:
            return symbolic_call(_op_layer(name, lambda a, b: fn(b, a)), (self, other), {})
        return symbolic_call(_op_layer(name, fn), (self, other), {})

    return method


def _install_operators() -> None:
    import operator

    table = {
        "add": operator.add, "sub": operator.sub, "mul": operator.mul,
        "truediv": operator.truediv, "floordiv": operator.floordiv, "mod": operator.mod,
        "pow": operator.pow, "matmul": operator.matmul,
    }  # fmt: skip
    keras_names = {"sub": "subtract", "mul": "multiply", "truediv": "divide",
                   "floordiv": "floor_divide", "pow": "power"}  # fmt: skip
    for key, fn in table.items():
        name = keras_names.get(key, key)
        setattr(KerasTensor, f"__{key}__", _binary(name, fn))
        setattr(KerasTensor, f"__r{key}__", _binary(name, fn, reverse=True))
    for key, fn in (("lt", operator.lt), ("le", operator.le), ("gt", operator.gt),
                    ("ge", operator.ge)):  # fmt: skip
        setattr(KerasTensor, f"__{key}__", _binary(key, fn))
    KerasTensor.__neg__ = lambda self: symbolic_call(
        _op_layer("negative", operator.neg), (self,), {}
    )
    KerasTensor.__abs__ = lambda self: symbolic_call(_op_layer("absolute", abs), (self,), {})

    def getitem(self, key):
        return symbolic_call(_op_layer("get_item", lambda a: a[key]), (self,), {})

    KerasTensor.__getitem__ = getitem


_install_operators()
