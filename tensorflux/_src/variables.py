"""`tf.Variable`: a named, mutable tensor living on a device.

A variable owns a scalar `resource` handle whose value is the storage cell (see
`ops/variable_ops.py`). Reads and writes are ops found through the registry at call time (this
module is layer 1 and imports nothing from `ops/`), so they trace into graphs like any op.
While tapes record, every read tells each tape that the variable was accessed and links the read
value to the variable, which is how gradients reach variables.
"""

from __future__ import annotations

import enum
import weakref

import numpy as np

from tensorflux._src import devices as _devices
from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, registry
from tensorflux._src.core.context import ctx
from tensorflux._src.core.shape import TensorShape, as_shape
from tensorflux._src.tensor import (
    EagerTensor,
    Reference,
    Tensor,
    _numpy_text,
    convert_to_tensor,
    register_tensor_conversion_function,
)


class VariableSynchronization(enum.Enum):
    """When a distributed variable's copies are brought in sync."""

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


def _agg_eq(self, other) -> bool:
    if self is other:
        return True
    return isinstance(other, (VariableAggregationV2, VariableAggregation)) and (
        other.value == self.value
    )


def _agg_hash(self) -> int:
    return hash(self.value)


class VariableAggregationV2(enum.Enum):
    """How the per-replica updates of a distributed variable are combined."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3

    __eq__ = _agg_eq
    __hash__ = _agg_hash


class VariableAggregation(enum.Enum):
    """The v1 aggregation enum, which a variable's `aggregation` reports; equal to the v2 one."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3
    ONLY_FIRST_TOWER = 3  # an alias kept by TensorFlow

    __eq__ = _agg_eq
    __hash__ = _agg_hash


# Callables told of every new Variable (tf.function uses this to lift and police creation).
_creation_observers: list = []

# The op definitions, looked up once from the registry (they are registered by ops/).
_ops: dict = {}


def _op(name: str):
    op = _ops.get(name)
    if op is None:
        op = _ops[name] = registry.get(name)
    return op


class VarCell:
    """The storage slot behind a resource handle: the current array and the declared shape.

    It poses as a rank-0 array so that the handle is an ordinary scalar EagerTensor. Writes store
    a new array here rather than changing one in place, so values read earlier never change.
    """

    __slots__ = ("array", "dtype_", "var_shape", "name", "owner", "__weakref__")
    shape = ()
    ndim = 0
    size = 1
    dtype = np.dtype(object)

    def __init__(self, array, dtype_: dtypes.DType, var_shape: TensorShape, name: str):
        self.array = array
        self.dtype_ = dtype_
        self.var_shape = var_shape
        self.name = name
        self.owner = None  # a weak reference to the Variable owning this cell

    def __repr__(self) -> str:
        dims = "<unknown>" if self.var_shape.rank is None else list(self.var_shape)
        return (
            f'<ResourceHandle(name="{self.name}", type="tensorflow::Var", '
            f'dtype and shapes : "[ DType enum: {self.dtype_.as_datatype_enum}, Shape: {dims} ]")>'
        )

    __str__ = __repr__


class Variable:
    """A tensor whose value can be changed by running ops on it (`assign`, `assign_add`, ...).

    Args:
      initial_value: a tensor, or a value convertible to one, or a callable taking no arguments
        that returns it. Required.
      trainable: whether tapes watch the variable automatically (default True, False for
        `synchronization=ON_READ`).
      validate_shape: if False, the variable's shape is left unknown.
      caching_device: ignored (kept for compatibility).
      name: the variable's name; `name_scope`s in effect are prepended and ":0" appended.
      variable_def: not supported (must be None).
      dtype: if given, `initial_value` is converted to it.
      import_scope: ignored.
      constraint: an optional projection applied by optimizers after updates.
      synchronization: a `tf.VariableSynchronization`.
      aggregation: a `tf.VariableAggregation`.
      shape: the variable's static shape; it may be partial (then assignments may change the
        actual shape). Defaults to the shape of `initial_value`.

    Raises:
      ValueError: if `initial_value` is missing, `shape` is incompatible with it, or
        `constraint` is not callable.
    """

    _is_variable = True
    __array_priority__ = 100

    def __init__(
        self,
        initial_value=None,
        trainable=None,
        validate_shape=True,
        caching_device=None,
        name=None,
        variable_def=None,
        dtype=None,
        import_scope=None,
        constraint=None,
        synchronization=VariableSynchronization.AUTO,
        aggregation=VariableAggregationV2.NONE,
        shape=None,
        experimental_enable_variable_lifting=True,
    ):
        if variable_def is not None:
            raise NotImplementedError("tf.Variable(variable_def=...) is not supported.")
        if initial_value is None:
            raise ValueError(
                "The `initial_value` arg to `tf.Variable` must be specified except when you are "
                "not providing a `variable_def`. You provided neither."
            )
        if constraint is not None and not callable(constraint):
            raise ValueError(
                f"Argument `constraint` must be None or a callable. a callable. Got a "
                f"{type(constraint)}:  {constraint}"
            )
        if name is not None and not isinstance(name, str):
            raise ValueError("name for name_scope must be a string.")
        synchronization = VariableSynchronization(synchronization)
        aggregation = VariableAggregation(
            aggregation.value if isinstance(aggregation, enum.Enum) else aggregation
        )
        if trainable is None:
            trainable = synchronization is not VariableSynchronization.ON_READ
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype)

        graph = ctx.graph  # a plain tf.Graph (TF1 style) remembers the variables made in it
        with _context.eager_scope():  # the initial value is computed once, eagerly
            if callable(initial_value):
                initial_value = initial_value()
            if getattr(initial_value, "_is_variable", False):
                initial_value = initial_value.read_value()
            value = convert_to_tensor(initial_value, dtype=dtype)
            if not isinstance(value, EagerTensor) and hasattr(value, "graph"):
                # A value computed in a graph being traced (tf.function): computed now.
                value = value.graph.lift_to_eager(value, getattr(value.graph, "_call_feeds", None))
            if not isinstance(value, EagerTensor):
                raise NotImplementedError(
                    "tf.Variable needs an eager initial value; got a symbolic tensor."
                )
            device = ctx.device or value._device or _devices.default_device()
            if value._device is not device:
                value = EagerTensor(
                    device.copy_from(value._value, value._device), value.dtype, device
                )

        if shape is None:
            var_shape = value.shape if validate_shape else TensorShape(None)
        else:
            var_shape = as_shape(shape)
            if not var_shape.is_compatible_with(value.shape):
                raise ValueError(
                    f"In this `tf.Variable` creation, the initial value's shape ({value.shape}) "
                    f"is not compatible with the explicitly supplied `shape` argument "
                    f"({var_shape})."
                )
        base = name if name is not None else "Variable"
        scope = _context.current_name_scope()
        shared = f"{scope}/{base}" if scope else base
        self._dtype = value.dtype
        self._shape = var_shape
        self._device = device
        self._name = shared + ":0"
        self._trainable = bool(trainable)
        self._constraint = constraint
        self._synchronization = synchronization
        self._aggregation = aggregation
        cell = VarCell(value._value, value.dtype, var_shape, shared)
        cell.owner = weakref.ref(self)
        self._handle = EagerTensor(cell, dtypes.resource, device)
        self._primary = self  # the variable tapes see (an UnreadVariable points at its parent)
        if graph is not None and getattr(graph, "_keeps_v1_variables", False):
            graph._v1_variables.append((self, value))  # the graph keeps the initial value
        for observer in list(_creation_observers):  # tf.function watches variable creation
            observer(self)

    # ------------------------------------------------------------------ properties

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape) -> None:
        """Raises ValueError unless `shape` is compatible with the variable's shape."""
        shape = as_shape(shape)
        if not self._shape.is_compatible_with(shape):
            raise ValueError(f"Shapes {self._shape} and {shape} are not compatible")

    @property
    def device(self) -> str:
        return self._device.name

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def synchronization(self) -> VariableSynchronization:
        return self._synchronization

    @property
    def aggregation(self) -> VariableAggregation:
        return self._aggregation

    @property
    def handle(self) -> EagerTensor:
        """The scalar `resource` tensor naming the variable's storage."""
        return self._handle

    @property
    def initial_value(self):
        raise RuntimeError("This property is not supported when eager execution is enabled.")

    @property
    def op(self):
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")

    @property
    def _shared_name(self) -> str:
        return self._name[:-2]

    @property
    def _unique_id(self) -> str:
        return f"{self._shared_name}_{id(self._handle._value)}"

    def is_initialized(self, name=None):
        """A scalar boolean tensor: always True for an eagerly created variable."""
        return convert_to_tensor(True)

    # ------------------------------------------------------------------ reading

    def _read(self):
        """Reads the value through ReadVariableOp and tells every recording tape about it."""
        c = ctx
        if c.device is not None and c.device is not self._device:
            old = _context.set_device(self._device, None)  # read where the variable lives
            try:
                v = _op("ReadVariableOp")(self._handle, dtype=self._dtype)
            finally:
                _context.set_device(*old)
        else:
            v = _op("ReadVariableOp")(self._handle, dtype=self._dtype)
        if c.tapes:
            p = self._primary
            for tape in list(c.tapes):
                tape.variable_accessed(p)
                tape.record_read(p, v)
        return v

    def value(self):
        """The variable's current value as a tensor."""
        return self._read()

    def read_value(self):
        """Reads the current value; later assignments do not change the returned tensor."""
        return self._read()

    def read_value_no_copy(self):
        return self._read()

    def numpy(self):
        """The current value as a NumPy array (a NumPy scalar for rank 0)."""
        cell = self._handle._value
        return EagerTensor(cell.array, self._dtype, self._device).numpy()

    def _dense_var_to_tensor(self, dtype=None, name=None, as_ref=False):
        if dtype is not None and dtypes.as_dtype(dtype) is not self._dtype:
            raise ValueError(
                f"Incompatible type conversion requested to type {dtypes.as_dtype(dtype).name} "
                f"for `tf.Variable of type {self._dtype.name}. (Variable: {self!r})"
            )
        return self._read()

    def sparse_read(self, indices, name=None):
        """Gathers rows `indices` of the value (the gradient is an IndexedSlices)."""
        return _op("GatherV2")(self._read(), indices, 0, batch_dims=0, name=name)

    def gather_nd(self, indices, name=None):
        """`tf.gather_nd` on the variable's value."""
        return _op("GatherNd")(self._read(), indices, name=name)

    # ------------------------------------------------------------------ writing

    def _unread(self) -> Variable:
        u = object.__new__(_UnreadVariable)
        u.__dict__.update(self.__dict__)
        u._name = "UnreadVariable"
        graph = ctx.graph
        if graph is not None and graph._keeps_v1_variables and graph._ops:
            # A TF1-style graph has no automatic control dependencies: reads of `u` wait for
            # the write just added. (tf.function's graphs order them by themselves.)
            u._graph_op = graph._ops[-1]
        return u

    def _convert_value(self, value):
        return convert_to_tensor(value, dtype=self._dtype)

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Sets the variable to `value`.

        Args:
          value: a tensor or value convertible to the variable's dtype and compatible with its
            shape.
          use_locking: ignored.
          name: the op name when tracing.
          read_value: return the updated variable (True) or None.

        Returns:
          A variable-like view of the updated value, or None.

        Raises:
          ValueError: on a shape mismatch or a tensor of another dtype.
          TypeError: if a Python value does not convert to the variable's dtype.
        """
        value = self._convert_value(value)
        if not self._shape.is_compatible_with(value.shape):
            raise ValueError(
                f"Cannot assign value to variable ' {self._name}': Shape mismatch.The variable "
                f"shape {self._shape}, and the assigned value shape {value.shape} are "
                f"incompatible."
            )
        _op("AssignVariableOp")(self._handle, value, dtype=self._dtype, name=name)
        return self._unread() if read_value else None

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Adds `delta` to the variable; returns the updated variable (or None)."""
        _op("AssignAddVariableOp")(
            self._handle, self._convert_value(delta), dtype=self._dtype, name=name
        )
        return self._unread() if read_value else None

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Subtracts `delta` from the variable; returns the updated variable (or None)."""
        _op("AssignSubVariableOp")(
            self._handle, self._convert_value(delta), dtype=self._dtype, name=name
        )
        return self._unread() if read_value else None

    def _scatter(self, op_name, sparse_delta, name):
        if not (hasattr(sparse_delta, "values") and hasattr(sparse_delta, "indices")):
            raise TypeError(
                f"Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: "
                f"{sparse_delta}"
            )
        values = self._convert_value(sparse_delta.values)
        _op(op_name)(self._handle, sparse_delta.indices, values, dtype=self._dtype, name=name)
        return self._unread()

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Sets rows `sparse_delta.indices` to `sparse_delta.values` (an IndexedSlices)."""
        return self._scatter("ResourceScatterUpdate", sparse_delta, name)

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        """Adds an IndexedSlices to the variable's rows."""
        return self._scatter("ResourceScatterAdd", sparse_delta, name)

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        """Subtracts an IndexedSlices from the variable's rows."""
        return self._scatter("ResourceScatterSub", sparse_delta, name)

    def scatter_mul(self, sparse_delta, use_locking=False, name=None):
        """Multiplies the variable's rows by an IndexedSlices."""
        return self._scatter("ResourceScatterMul", sparse_delta, name)

    def scatter_div(self, sparse_delta, use_locking=False, name=None):
        """Divides the variable's rows by an IndexedSlices."""
        return self._scatter("ResourceScatterDiv", sparse_delta, name)

    def scatter_max(self, sparse_delta, use_locking=False, name=None):
        """Elementwise maximum of the variable's rows with an IndexedSlices."""
        return self._scatter("ResourceScatterMax", sparse_delta, name)

    def scatter_min(self, sparse_delta, use_locking=False, name=None):
        """Elementwise minimum of the variable's rows with an IndexedSlices."""
        return self._scatter("ResourceScatterMin", sparse_delta, name)

    def _scatter_nd(self, op_name, indices, updates, name):
        _op(op_name)(self._handle, indices, self._convert_value(updates), name=name)
        return self._unread()

    def scatter_nd_update(self, indices, updates, name=None):
        """Sets the elements or slices at `indices` ([..., k] integers) to `updates`."""
        return self._scatter_nd("ResourceScatterNdUpdate", indices, updates, name)

    def scatter_nd_add(self, indices, updates, name=None):
        """Adds `updates` at `indices`; repeated indices accumulate."""
        return self._scatter_nd("ResourceScatterNdAdd", indices, updates, name)

    def scatter_nd_sub(self, indices, updates, name=None):
        """Subtracts `updates` at `indices`; repeated indices accumulate."""
        return self._scatter_nd("ResourceScatterNdSub", indices, updates, name)

    def scatter_nd_max(self, indices, updates, name=None):
        """Elementwise maximum with `updates` at `indices`."""
        return self._scatter_nd("ResourceScatterNdMax", indices, updates, name)

    def scatter_nd_min(self, indices, updates, name=None):
        """Elementwise minimum with `updates` at `indices`."""
        return self._scatter_nd("ResourceScatterNdMin", indices, updates, name)

    def _inplace_error(self, other):
        raise RuntimeError(
            "`variable += value` with `tf.Variable`s is not supported. Use "
            "`variable.assign_add(value)` to modify the variable, or `out = variable + value` if "
            "you need to get a new output Tensor."
        )

    __iadd__ = __isub__ = __imul__ = __itruediv__ = __ipow__ = _inplace_error

    # ------------------------------------------------------------------ Python protocols

    def __hash__(self):
        raise TypeError(
            f"Variable is unhashable. Instead, use variable.ref() as the key. (Variable: {self!r})"
        )

    def ref(self) -> Reference:
        """A hashable reference to this variable, usable as a dict key or set member."""
        return Reference(self)

    experimental_ref = ref

    def __iter__(self):
        return iter(self._read())

    def __bool__(self) -> bool:
        return bool(self._read())

    def __int__(self) -> int:
        return int(self._read())

    def __float__(self) -> float:
        return float(self._read())

    def __complex__(self) -> complex:
        return complex(self._read())

    def __array__(self, dtype=None, copy=None):
        a = np.asarray(self.numpy())
        if dtype is not None and a.dtype != dtype:
            return a.astype(dtype)
        return a.copy() if copy else a

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        new = Variable(
            EagerTensor(self._handle._value.array, self._dtype, self._device),
            trainable=self._trainable,
            constraint=self._constraint,
            synchronization=self._synchronization,
            aggregation=self._aggregation,
            shape=self._shape,
        )
        new._name = self._name
        memo[id(self)] = new
        return new

    def __repr__(self) -> str:
        value = EagerTensor(self._handle._value.array, self._dtype, self._device)
        return (
            f"<tf.Variable '{self._name}' shape={self._shape} dtype={self._dtype.name}, "
            f"numpy={_numpy_text(value, True)}>"
        )

    __str__ = __repr__


class _UnreadVariable(Variable):
    """What `assign` and friends return: a live view of the updated variable."""

    _graph_op = None  # in a graph: the write op, which reads of this view wait for

    def _read(self):
        op = self._graph_op
        graph = ctx.graph
        if op is None or graph is None or op.graph is not graph:
            return Variable._read(self)
        with graph.control_dependencies([op]):
            return Variable._read(self)


# Operators (`+`, `@`, `[]`, `==`, ...) read the value and apply the tensor's operator, looked up
# at call time since the ops layer installs them on Tensor after this module is imported.
_OPERATORS = (
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor",
    "div",
)  # fmt: skip
_UNARY = ("neg", "abs", "invert", "pos")
_OTHER = ("getitem", "lt", "le", "gt", "ge", "eq", "ne")


def _forward(name: str):
    def method(self, *args):
        fn = getattr(Tensor, name, None)
        if fn is None:
            return NotImplemented
        return fn(self._read(), *args)

    method.__name__ = name
    return method


def _install_operators() -> None:
    for op in _OPERATORS:
        for name in (f"__{op}__", f"__r{op}__"):
            setattr(Variable, name, _forward(name))
    for op in _UNARY + _OTHER:
        setattr(Variable, f"__{op}__", _forward(f"__{op}__"))
    Variable.__hash__ = Variable.__dict__["__hash__"]


_install_operators()


def _to_tensor(value, dtype=None, name=None, as_ref=False):
    return value._dense_var_to_tensor(dtype, name, as_ref)


register_tensor_conversion_function(Variable, _to_tensor)


def is_variable(x) -> bool:
    return getattr(x, "_is_variable", False)


__all__ = [
    "Variable", "VariableAggregation", "VariableAggregationV2", "VariableSynchronization",
    "is_variable",
]  # fmt: skip
