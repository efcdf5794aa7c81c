"""Element structures of datasets and the traced user functions applied to them.

Elements are tuples, dicts and namedtuples of CPU eager tensors (lists are tensors); their
`element_spec` is the same structure of `TensorSpec`s. Flattening and packing are compiled per
spec once (`flattener`/`packer`): the generic `tf.nest` walk costs more than a small map call.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src import devices as _devices
from tensorflux._src.core import context as _context
from tensorflux._src.core import errors, nest
from tensorflux._src.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorflux._src.tensor_spec import TensorSpec


# ------------------------------------------------------------------------------------ structures


def wrap(arr, dtype) -> EagerTensor:
    """A CPU eager tensor over a NumPy array already of `dtype`'s storage type."""
    return EagerTensor(arr, dtype, _devices.CPU0)


def _is_tuple(x) -> bool:
    return type(x) is tuple


def normalize(value):
    """Tensors for every leaf of an element; tuples, dicts and namedtuples are structure and
    lists are tensors, as TensorFlow's datasets treat them."""
    if isinstance(value, EagerTensor) or is_composite(value):
        return value
    if nest.is_namedtuple(value):
        return type(value)(*[normalize(v) for v in value])
    if isinstance(value, tuple):
        return tuple(normalize(v) for v in value)
    if isinstance(value, dict):
        return type(value)((k, normalize(v)) for k, v in value.items())
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray):
        value = value.copy()  # the dataset keeps its own copy, as TensorFlow's does
    if value is None:
        raise TypeError("Failed to convert elements of None to Tensor.")
    return convert_to_tensor(value)


def lists_to_tuples(value):
    """A function's output with lists turned into tuples (TensorFlow's map does the same)."""
    if isinstance(value, list):
        return tuple(lists_to_tuples(v) for v in value)
    if nest.is_namedtuple(value):
        return type(value)(*[lists_to_tuples(v) for v in value])
    if isinstance(value, tuple):
        return tuple(lists_to_tuples(v) for v in value)
    if isinstance(value, dict):
        return type(value)((k, lists_to_tuples(v)) for k, v in value.items())
    return value


def is_composite(value) -> bool:
    return getattr(value, "_is_composite_tensor", False)


def is_composite_spec(spec) -> bool:
    """A TypeSpec leaf other than TensorSpec (SparseTensorSpec, RaggedTensorSpec, ...)."""
    return not isinstance(spec, (TensorSpec, tuple, dict)) and hasattr(spec, "_to_components")


def has_composites(spec) -> bool:
    return any(is_composite_spec(s) for s in nest.flatten(spec))


def leaf_spec(t):
    """The spec of one element leaf: a tensor's TensorSpec or a composite's own TypeSpec."""
    if is_composite(t):
        return t._type_spec
    return TensorSpec(t.shape, t.dtype)


def spec_of(element):
    """The element_spec of an element (a structure of tensors and composite tensors)."""
    return nest.map_structure(leaf_spec, element)


DEBUG_MODE = [False]  # tf.data.experimental.enable_debug_mode()


def _on_cpu():
    """Dataset functions are placed on the CPU, as TensorFlow's are, also when a GPU is the
    default device (a plain CPU machine needs no scope and keeps the lean call path)."""
    import contextlib

    if _devices.default_device() is _devices.CPU0:
        return contextlib.nullcontext()
    from tensorflux._src.devices.scope import device

    return device("/CPU:0")


def enable_debug_mode() -> None:
    """Runs dataset functions eagerly in Python per element, in order, without threads, so
    prints and breakpoints inside `map` functions work (`tf.data.experimental.enable_debug_mode`).
    Affects datasets iterated from now on."""
    DEBUG_MODE[0] = True


def _plain(spec):
    """The spec with dict subclasses (OrderedDict) as dicts: what tf.function traces on. The
    flat order (sorted keys) is the same, so elements feed the trace unchanged."""
    if isinstance(spec, dict):
        return {k: _plain(v) for k, v in spec.items()}
    if nest.is_namedtuple(spec):
        return type(spec)(*[_plain(v) for v in spec])
    if isinstance(spec, tuple):
        return tuple(_plain(v) for v in spec)
    return spec


def _is_leaf(spec) -> bool:
    return not (isinstance(spec, (tuple, dict)))


def flattener(spec, components=False):
    """A function turning an element of `spec` into its flat list of leaves (`nest.flatten`
    order: dict keys sorted), built once per spec. With `components`, composite leaves expand
    into their component tensors (what a traced function takes)."""
    if _is_leaf(spec):
        if components and is_composite_spec(spec):
            return spec._to_tensor_list
        return lambda e: [e]
    if isinstance(spec, tuple) and all(isinstance(s, TensorSpec) for s in spec):
        return list
    if isinstance(spec, dict):
        keys = sorted(spec)
        parts = [(k, flattener(spec[k], components)) for k in keys]

        def flat_dict(e):
            out = []
            for k, f in parts:
                out += f(e[k])
            return out

        return flat_dict
    parts = [flattener(s, components) for s in spec]

    def flat_seq(e):
        out = []
        for f, x in zip(parts, e):
            out += f(x)
        return out

    return flat_seq


def packer(spec, components=False):
    """A function building an element of `spec` from its flat list (the inverse of
    `flattener`), built once per spec."""
    build, _ = _builder(spec, components)
    return build


def _builder(spec, components=False):
    """(build(flat, offset=0) -> element, number of leaves)."""
    if _is_leaf(spec):
        if components and is_composite_spec(spec):
            k = len(spec._flat_tensor_specs())
            return (lambda flat, i=0: spec._from_tensor_list(flat[i : i + k])), k
        return (lambda flat, i=0: flat[i]), 1
    if isinstance(spec, dict):
        keys = sorted(spec)
        subs = [_builder(spec[k], components) for k in keys]
        order = list(spec)  # the element keeps the spec's key order
        cls = type(spec)

        def build_dict(flat, i=0):
            vals = {}
            for k, (b, n) in zip(keys, subs):
                vals[k] = b(flat, i)
                i += n
            return cls((k, vals[k]) for k in order)

        return build_dict, sum(n for _, n in subs)
    subs = [_builder(s, components) for s in spec]
    total = sum(n for _, n in subs)
    if type(spec) is tuple and all(isinstance(s, TensorSpec) for s in spec):
        return (lambda flat, i=0: tuple(flat[i : i + total])), total
    make = type(spec)._make if nest.is_namedtuple(spec) else tuple

    def build_seq(flat, i=0):
        out = []
        for b, n in subs:
            out.append(b(flat, i))
            i += n
        return make(out)

    return build_seq, total


def flat_specs(spec) -> list:
    return nest.flatten(spec)


def pack(spec, flat):
    if isinstance(spec, TensorSpec):
        return flat[0]
    return nest.pack_sequence_as(spec, flat)


def relax(spec_a, spec_b):
    """The most specific spec compatible with both; TypeError if the structures or dtypes
    differ (concatenate, choose_from_datasets, ...)."""
    try:
        nest.assert_same_structure(spec_a, spec_b)
    except (TypeError, ValueError):
        raise TypeError(f"Incompatible dataset elements:\n  {spec_a}\nvs.\n  {spec_b}") from None

    def one(a, b):
        if is_composite_spec(a) or is_composite_spec(b):
            if a == b:
                return a
            common = a.most_specific_common_supertype([b]) if type(a) is type(b) else None
            if common is None:
                raise TypeError(f"Incompatible dataset elements:\n  {spec_a}\nvs.\n  {spec_b}")
            return common
        if a.dtype != b.dtype:
            raise TypeError(f"Incompatible dataset elements:\n  {spec_a}\nvs.\n  {spec_b}")
        return TensorSpec(a.shape.most_specific_compatible_shape(b.shape), a.dtype)

    return nest.map_structure(one, spec_a, spec_b)


def zeros_like_spec(spec):
    """An element of `spec` filled with zeros (unknown dims become 0)."""

    def one(s):
        if is_composite_spec(s):
            return s._from_tensor_list([one(c) for c in s._flat_tensor_specs()])
        shape = () if s.shape.rank is None else [d or 0 for d in s.shape.as_list()]
        return wrap(np.zeros(shape, dtype=s.dtype.as_numpy_dtype), s.dtype)

    return nest.map_structure(one, spec)


def to_int(x) -> int:
    """A Python int from an int or a scalar tensor."""
    if isinstance(x, Tensor):
        return int(x.numpy())
    return int(x)


def to_bool(x) -> bool:
    if isinstance(x, Tensor):
        return bool(x.numpy())
    return bool(x)


# ------------------------------------------------------------------------------ user functions


class StructuredFunction:
    """A user function traced once as a tf.function on a dataset's element_spec.

    Called per element with `__call__(element)`; a plain tuple element is passed unpacked.
    """

    def __init__(self, func, input_spec, transformation: str = "map"):
        from tensorflux._src.function import Function, function

        if not callable(func):
            raise TypeError(f"`{transformation}_func` must be callable, got {func!r}")
        self._python_function = func
        fn = func if isinstance(func, Function) else function(func)
        self._unpack = _is_tuple(input_spec)
        self._vector = None
        if DEBUG_MODE[0]:
            self._init_debug(input_spec)
            return
        args = _plain(input_spec) if self._unpack else (_plain(input_spec),)
        with _context.eager_scope(), _context.pause_tapes(), _on_cpu():
            cf = fn.get_concrete_function(*args)
            cf.optimized_graph  # builds the executor now, before worker threads call it
        self._cf = cf
        template = cf.structured_outputs
        out = lists_to_tuples(template)
        leaves = nest.flatten(out)
        for x in leaves:
            if not isinstance(x, Tensor) and not is_composite(x):
                raise TypeError(
                    f"The function passed to Dataset.{transformation} must return tensors; got "
                    f"{x!r} of type {type(x).__name__}."
                )
        self.output_spec = nest.map_structure(leaf_spec, out)
        self._out = out
        self._flatten = flattener(input_spec, components=True)
        self._pack = packer(self.output_spec, components=True)
        self._run = getattr(cf._executor, "run_checked", None)
        self._direct = (self._run is not None and len(cf._out_index) == len(cf._out_leaves)
                        and not has_composites(self.output_spec))  # fmt: skip
        self._name = cf._name
        self._vector = None

    def _init_debug(self, input_spec):
        """Debug mode: no trace; the output structure comes from one eager call on zeros, with
        every dimension relaxed to unknown."""
        self._cf = None
        self._vector = False
        probe = zeros_like_spec(input_spec)
        args = probe if self._unpack else (probe,)
        with _context.eager_scope(), _context.pause_tapes():
            out = normalize(lists_to_tuples(self._python_function(*args)))
        self.output_spec = nest.map_structure(
            lambda t: leaf_spec(t) if is_composite(t) else TensorSpec([None] * t.shape.rank,
                                                                      t.dtype), out
        )  # fmt: skip
        self._pack = packer(self.output_spec)

    def _eager_call(self, element):
        """Debug mode: the Python function itself, run eagerly on each element."""
        args = element if self._unpack else (element,)
        out = normalize(lists_to_tuples(self._python_function(*args)))
        return self._pack(nest.flatten(out))

    def __call__(self, element):
        if DEBUG_MODE[0] or self._cf is None:
            return self._eager_call(element)
        flat = self._flatten(element)
        if not self._direct:
            out = self._cf._call_flat(flat, checked=True)
            return self._pack(nest.flatten(out, expand_composites=True))
        try:
            res = self._run(flat)
        except errors.OpError as e:
            raise type(e)(None, getattr(e, "op", None), f"{e.message} [Op:{self._name}]") from None
        return self._pack(res)

    def call_flat(self, flat: list) -> list:
        """Flat inputs to flat outputs (the vectorized path feeds whole blocks)."""
        return nest.flatten(self._cf._call_flat(flat, checked=True))

    @property
    def vectorizable(self) -> bool:
        """Whether the function is element-wise, so a block of rows can go through at once."""
        if self._vector is None:
            self._vector = not has_composites(self.output_spec) and _elementwise(self._cf)
        return self._vector


def _elementwise(cf) -> bool:
    from tensorflux._src.graph.passes.fusion import BINARY, UNARY

    ok_types = UNARY | BINARY | {"Identity", "Select", "SelectV2", "FusedElementwise"}
    graph = cf.optimized_graph
    n = len(cf._arg_placeholders)
    ex = cf._executor
    if getattr(ex, "_fast", None) is None:
        return False  # only the CPU plan runs without checking the placeholders' shapes
    inputs = getattr(ex, "inputs", None) or graph.inputs[:n]
    rank: dict = {}  # id(tensor) -> rank for input-dependent tensors
    for ph in inputs[:n]:
        r = ph.shape.rank
        if r is None:
            return False
        rank[id(ph)] = r
    for op in graph.get_operations():
        if getattr(op.op_def, "stateful", False):
            return False
        deps = [t for t in op.inputs if id(t) in rank]
        if not deps:
            continue
        if op.type not in ok_types or len(op.outputs) != 1:
            return False
        r = rank[id(deps[0])]
        if any(rank[id(t)] != r for t in deps):
            return False
        for t in op.inputs:
            if id(t) not in rank and (t.shape.rank is None or t.shape.rank > r):
                return False
        if op.outputs[0].shape.rank != r:
            return False
        rank[id(op.outputs[0])] = r
    outs = getattr(ex, "outputs", None) or cf._outputs
    return (
        bool(outs) and all(id(t) in rank for t in outs) and len(cf._outputs) == len(cf._out_leaves)
    )
