"""`tf.Tensor` and the eager tensor, with conversion from Python and NumPy values.

Operators (`+`, `[]`, `==`, ...) are installed by the ops layer through `Tensor._override_operator`,
so this module needs nothing above it.
"""

from __future__ import annotations

import builtins
import numbers
from typing import Callable, Optional

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.context import ctx
from tensorflux._src.core.shape import TensorShape
from tensorflux._src import devices as _devices


class Tensor:
    """A multi-dimensional array with a dtype and a shape: eager (a value) or symbolic (in a graph).

    `isinstance(x, tf.Tensor)` holds for both kinds.
    """

    __slots__ = ()
    __array_priority__ = 100  # NumPy defers binary operators to ours

    # --- identity: tensors compare elementwise, so they are unhashable, as in TensorFlow ---
    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def ref(self) -> "Reference":
        """A hashable reference to this tensor, usable as a dict key or set member."""
        return Reference(self)

    experimental_ref = ref

    @property
    def ndim(self) -> int:
        return self.shape.rank

    def get_shape(self) -> TensorShape:
        return self.shape

    @classmethod
    def _override_operator(cls, name: str, fn: Callable) -> None:
        setattr(cls, name, fn)

    def __iter__(self):
        shape = self.shape
        if shape.rank is None:
            raise TypeError("Cannot iterate over a tensor with unknown shape.")
        if shape.rank == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        if shape[0] is None:
            raise TypeError("Cannot iterate over a tensor with unknown first dimension.")
        return (self[i] for i in range(shape[0]))


class Reference:
    """What `Tensor.ref()` returns: hashes and compares by the identity of the tensor."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __hash__(self):
        return id(self._obj)

    def __eq__(self, other):
        return isinstance(other, Reference) and other._obj is self._obj

    def __repr__(self):
        return f"<Reference wrapping {self._obj!r}>"


class EagerTensor(Tensor):
    """A tensor holding a concrete array (NumPy on CPU, CuPy on GPU) on one device."""

    __slots__ = ("_value", "_dtype", "_device", "_keras_mask", "__weakref__")

    def __init__(self, value, dtype: dtypes.DType, device):
        self._value = value
        self._dtype = dtype
        self._device = device

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return TensorShape._known(self._value.shape)

    @property
    def device(self) -> str:
        return self._device.name

    @property
    def backing_device(self) -> str:
        return self._device.name

    @property
    def ndim(self) -> int:
        return self._value.ndim

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    @property
    def op(self):
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")

    def numpy(self):
        """The value as a NumPy array (a NumPy scalar for rank 0), sharing memory on the CPU."""
        v = self._device.to_host(self._value)
        if isinstance(v, np.ndarray) and v.ndim == 0:
            return v[()]  # a NumPy scalar (bytes for strings), as TensorFlow returns
        return v

    _numpy = numpy

    def _static_value(self):
        return self.numpy()

    def __array__(self, dtype=None, copy=None):
        a = np.asarray(self._device.to_host(self._value))
        if dtype is not None and a.dtype != dtype:
            return a.astype(dtype)
        return a.copy() if copy else a

    def set_shape(self, shape) -> None:
        if not self.shape.is_compatible_with(shape):
            raise ValueError(
                f"Tensor's shape {self.shape} is not compatible with supplied shape "
                f"{TensorShape(shape)}."
            )

    def __len__(self) -> int:
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    # Python conversions behave as NumPy's on the value: bool() accepts one element, int() and
    # float() only rank 0, index() only integer scalars.
    def __bool__(self) -> bool:
        return builtins.bool(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar0())

    def __float__(self) -> float:
        return float(self._scalar0())

    def __complex__(self) -> complex:
        return complex(self._scalar0())

    def __index__(self) -> int:
        v = self.numpy()
        if isinstance(v, np.ndarray):
            raise TypeError("only integer scalar arrays can be converted to a scalar index")
        return v.__index__()

    def _scalar(self):
        v = self._device.to_host(self._value)
        if getattr(v, "ndim", 0) != 0:
            if v.size == 1:
                return v.reshape(())[()]
            raise ValueError(
                "The truth value of an array with more than one element is ambiguous. "
                "Use a.any() or a.all()"
            )
        return v[()] if isinstance(v, np.ndarray) else v

    def _scalar0(self):
        v = self.numpy()
        if isinstance(v, np.ndarray):
            raise TypeError("only 0-dimensional arrays can be converted to Python scalars")
        return v

    def __format__(self, spec: str) -> str:
        # As TensorFlow: f"{t}" formats the NumPy value ("[1 2]"); str(t) is the tensor text.
        return format(self.numpy(), spec)

    def cpu(self) -> EagerTensor:
        return _copy_to(self, _devices.CPU0)

    def gpu(self, gpu_index: int = 0) -> EagerTensor:
        from tensorflux._src.core.device import DeviceSpec

        return _copy_to(
            self, _devices.lookup(DeviceSpec(device_type="GPU", device_index=gpu_index))
        )

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return convert_to_tensor, (self.numpy(),)

    def __str__(self) -> str:
        return (
            f"tf.Tensor({_numpy_text(self, False)}, shape={self.shape}, dtype={self._dtype.name})"
        )

    def __repr__(self) -> str:
        if self._dtype is dtypes.resource or self._dtype is dtypes.variant:
            dt = self._dtype.name
            return f"<tf.Tensor: shape={self.shape}, dtype={dt}, value={self._value!r}>"
        return (
            f"<tf.Tensor: shape={self.shape}, dtype={self._dtype.name}, "
            f"numpy={_numpy_text(self, True)}>"
        )


def _numpy_text(t: EagerTensor, is_repr: bool) -> str:
    v = t.numpy()
    text = repr(v) if is_repr and isinstance(v, np.ndarray) else str(v)
    if isinstance(v, np.ndarray) and v.ndim == 0:
        v = v[()]
    if t._dtype is dtypes.string and not isinstance(v, np.ndarray):
        text = repr(v)
    elif isinstance(v, np.generic):
        # A scalar's repr is the Python value's (float32 0.1 shows as 0.10000000149011612).
        text = repr(v.item()) if is_repr else str(v)
    if "\n" in text:
        text = "\n" + text
    return text


def _copy_to(t: EagerTensor, device) -> EagerTensor:
    if t._device is device:
        return t
    return EagerTensor(device.copy_from(t._value, t._device), t._dtype, device)


# --------------------------------------------------------------------------- conversion

# Types that convert by a registered function (tf.register_tensor_conversion_function): Variable,
# composite values, user classes. Checked in registration order, most recent first.
_CONVERSIONS: list[tuple[type, Callable]] = []


def register_tensor_conversion_function(base_type, conversion_func, priority: int = 100) -> None:
    """Makes `base_type` values convert by `conversion_func(value, dtype, name, as_ref)`."""
    if isinstance(base_type, tuple):
        for b in base_type:
            _CONVERSIONS.insert(0, (b, conversion_func))
    else:
        _CONVERSIONS.insert(0, (base_type, conversion_func))


_PY_INT32 = (-(2**31), 2**31 - 1)


def _infer_dtype(value) -> dtypes.DType:
    """The dtype TensorFlow gives a Python value: bool, int32 (int64 if too big), float32, ..."""
    kinds = set()
    big = [False]

    def walk(v):
        if isinstance(v, (list, tuple)):
            for e in v:
                walk(e)
        elif isinstance(v, (builtins.bool, np.bool_)):
            kinds.add("b")
        elif isinstance(v, np.generic):
            kinds.add(v.dtype)
        elif isinstance(v, numbers.Integral):
            kinds.add("i")
            if not _PY_INT32[0] <= v <= _PY_INT32[1]:
                big[0] = True
        elif isinstance(v, numbers.Real):
            kinds.add("f")
        elif isinstance(v, numbers.Complex):
            kinds.add("c")
        elif isinstance(v, (str, bytes)):
            kinds.add("s")
        elif isinstance(v, Tensor):
            kinds.add(v.dtype)
        elif isinstance(v, np.ndarray):
            kinds.add(dtypes.from_numpy(v.dtype))
        else:
            if kinds:  # an unsupported leaf after supported ones: TF blames the mixture
                raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
            raise ValueError(
                f"Attempt to convert a value ({v!r}) with an unsupported type "
                f"({type(v)}) to a Tensor."
            )

    walk(value)
    if "b" in kinds and len(kinds) > 1:
        raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
    np_kinds = [k for k in kinds if not isinstance(k, str)]
    if np_kinds:
        d = np_kinds[0]
        return d if isinstance(d, dtypes.DType) else dtypes.from_numpy(d)
    if "s" in kinds:
        if len(kinds) > 1:
            raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
        return dtypes.string
    if "c" in kinds:
        return dtypes.complex128
    if "f" in kinds:
        return dtypes.float32
    if "i" in kinds:
        return dtypes.int64 if big[0] else dtypes.int32
    if "b" in kinds:
        return dtypes.bool
    return dtypes.float32  # an empty list


def _to_bytes(v):
    if isinstance(v, str):
        return v.encode("utf-8")
    if isinstance(v, (bytes, np.bytes_)):
        return bytes(v)
    raise TypeError(f"Failed to convert elements of {v!r} to Tensor. Expected bytes or str.")


def to_numpy(value, dtype: Optional[dtypes.DType] = None) -> np.ndarray:
    """A NumPy array of `value` with TensorFlow's dtype choice; TypeError on a lossy conversion."""
    if dtype is None:
        # Common Python values, without walking them: floats are float32, small ints int32.
        t = type(value)
        if t is float:
            if -_F32_MAX <= value <= _F32_MAX or value != value or abs(value) == _INF:
                return np.array(value, dtype=np.float32)
        elif t is int and -(2**31) <= value < 2**31:
            return np.array(value, dtype=np.int32)
        elif t is list and value and all(type(v) is float for v in value):
            arr = np.array(value, dtype=np.float64)
            _check_f32_range(arr)
            return arr.astype(np.float32)
    if isinstance(value, np.ndarray) and value.dtype.kind not in "SUO":
        src = dtypes.from_numpy(value.dtype)
        if dtype is None or dtype is src:
            return value
        if dtype is dtypes.string:
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype string")
        return value.astype(dtype.as_numpy_dtype)
    if isinstance(value, np.generic) and not isinstance(value, (np.bytes_, np.str_)):
        src = dtypes.from_numpy(value.dtype)
        target = src if dtype is None else dtype
        if target is dtypes.string:
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype string")
        return np.asarray(value, dtype=target.as_numpy_dtype)
    target = dtype or _infer_dtype(value)
    if target is dtypes.string:
        arr = np.array(value, dtype=object)
        flat = arr.reshape(-1)
        for i in range(flat.size):
            if not isinstance(flat[i], (str, bytes, np.bytes_)):
                raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype string")
            flat[i] = _to_bytes(flat[i])
        return arr
    culprit = value
    if isinstance(value, (list, tuple)) and _has_tensor(value):
        # Tensors in a list are packed element by element: an error names the element.
        culprit = _first_python_number(value, (float, complex)) or value
        value = _untensor(value)
    np_t = target.as_numpy_dtype
    try:
        raw = np.array(value)
    except ValueError:
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from None
    if raw.dtype == object:
        raw = _big_ints(value, target if dtype is not None else None)
    if dtype is None and target is dtypes.float32 and raw.dtype.kind == "f":
        _check_f32_range(raw)
    if raw.dtype.kind in "SU":
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {_legacy(target)}")
    # As TensorFlow: Python floats never convert to integers (not even 1.0), complex never to
    # real; Python ints given an explicit integer dtype wrap around (300 -> uint8 is 44).
    kind = raw.dtype.kind
    if raw.size == 0 and kind == "f" and isinstance(value, (list, tuple)):
        return np.zeros(raw.shape, dtype=np_t)  # `[]` has no elements to be lossy: any dtype
    if kind == "c" and not target.is_complex or target.is_integer and kind == "f":
        raise TypeError(f"Cannot convert {culprit!r} to EagerTensor of dtype {_legacy(target)}")
    if dtype is None and target is dtypes.int64 and raw.dtype.kind == "u":
        raise ValueError("Can't convert Python sequence with out-of-range integer to Tensor.")
    if target is dtypes.bool and raw.dtype.kind != "b":
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype bool")
    with np.errstate(over="ignore", invalid="ignore"):  # float32 overflow gives inf, silently
        return raw.astype(np_t, copy=False)


_F32_MAX = float(np.finfo(np.float32).max)
_INF = float("inf")


def _check_f32_range(arr: np.ndarray) -> None:
    """Python floats inferred as float32 must fit it; TensorFlow rejects (not rounds) the rest."""
    finite = arr[np.isfinite(arr)]
    if finite.size and np.abs(finite).max() > _F32_MAX:
        raise ValueError(
            "Can't convert Python sequence with a value out of range for a double-precision float."
        )


def _big_ints(value, dtype: Optional[dtypes.DType]) -> np.ndarray:
    """A NumPy object array came back: ints beyond 64 bits (or ragged input). Float and complex
    targets take such ints; anything else is TensorFlow's out-of-range (or ragged) error."""
    if dtype is not None and (dtype.is_floating or dtype.is_complex):
        try:
            return np.array(value, dtype=np.complex128 if dtype.is_complex else np.float64)
        except (TypeError, ValueError, OverflowError):
            pass
    try:
        flat = np.array(value, dtype=object).reshape(-1)
    except ValueError:
        flat = ()
    if any(type(v) is int and not -(2**63) <= v < 2**64 for v in flat):
        raise ValueError("Can't convert Python sequence with out-of-range integer to Tensor.")
    raise ValueError("Can't convert non-rectangular Python sequence to Tensor.")


_LEGACY_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _legacy(dt: dtypes.DType) -> str:
    """TensorFlow's attr spelling of a dtype, which its conversion errors use."""
    return _LEGACY_NAMES.get(dt.name, dt.name)


def _first_python_number(value, types):
    """The first element (depth first) that packing converts whole and that holds a number of
    one of `types`: a leaf, or a nested list without tensors; None when there is none."""
    for v in value:
        if isinstance(v, (list, tuple)):
            found = _first_python_number(v, types)
            if found is not None:
                return found if _has_tensor(v) else v
        elif type(v) in types:
            return v
    return None


def _has_tensor(value) -> builtins.bool:
    return any(
        isinstance(v, Tensor) or isinstance(v, (list, tuple)) and _has_tensor(v) for v in value
    )


def _untensor(value):
    return [
        v.numpy()
        if isinstance(v, EagerTensor)
        else _untensor(v)
        if isinstance(v, (list, tuple))
        else v
        for v in value
    ]


def _target_device():
    return ctx.device or _devices.default_device()


def constant(value, dtype=None, shape=None, name: str = "Const") -> Tensor:
    """Creates a tensor from a Python or NumPy value.

    Args:
      value: a Python scalar, nested list, NumPy array or tensor.
      dtype: the element type; inferred from `value` when None (Python floats give float32).
      shape: optional; a scalar `value` is broadcast to it, else it must hold as many elements.
      name: the name of the node when tracing.

    Returns:
      A constant tensor.

    Raises:
      TypeError: when `value` does not convert to `dtype` or to `shape`.
    """
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, EagerTensor):
        arr = np.asarray(value.numpy())
        if dtype is not None and dtype is not value.dtype:
            raise TypeError(
                f"Expected tensor {arr} with dtype {dtype!r}, but got dtype {value.dtype!r}."
            )
    else:
        arr = to_numpy(_maybe_read(value), dtype)
    if shape is not None:
        shape = tuple(TensorShape(shape).as_list())
        if arr.shape != shape:
            if arr.size == 1:
                arr = np.broadcast_to(arr.reshape(()), shape).copy()
            elif arr.size == int(np.prod(shape, dtype=np.int64)):
                arr = arr.reshape(shape)
            else:
                raise TypeError(
                    f"Eager execution of tf.constant with unsupported shape. Tensor {arr} "
                    f"(converted from {value}) has {arr.size} elements, but got `shape` {shape} "
                    f"with {int(np.prod(shape))} elements)."
                )
    return _wrap_constant(arr, dtype or dtypes.from_numpy(arr.dtype), name)


def _maybe_read(value):
    if isinstance(value, TensorShape):
        return value.as_list()  # tf.constant reads a shape as the sequence of its dimensions
    for base, fn in _CONVERSIONS:
        if isinstance(value, base):
            return fn(value, None, None, False).numpy()
    return value


def _wrap_constant(arr: np.ndarray, dtype: dtypes.DType, name: str = "Const") -> Tensor:
    graph = ctx.graph
    if graph is not None:
        return graph.constant(arr, dtype, name)
    dev = _target_device()
    return EagerTensor(dev.from_host(arr), dtype, dev)


def _shape_to_tensor(s, dtype=None, name=None, as_ref=False):
    """The conversion of a fully known TensorShape: its dimensions as int32 (int64 if large)."""
    if not s.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {s} to a Tensor.")
    dims = s.as_list()
    if dtype is None:
        dtype = dtypes.int64 if any(d > _PY_INT32[1] for d in dims) else dtypes.int32
    elif dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(
            f"Cannot convert TensorShape {s} to dtype <dtype: '{dtype.name}'>. "
            "Allowed dtypes are tf.int32 and tf.int64."
        )
    return _wrap_constant(np.array(dims, dtype=dtype.as_numpy_dtype), dtype, name or "Const")


register_tensor_conversion_function(TensorShape, _shape_to_tensor)


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None) -> Tensor:
    """Converts tensors, variables, NumPy arrays and Python values to a tensor.

    Args:
      value: the value to convert.
      dtype: required dtype; a tensor of another dtype is an error.
      dtype_hint: dtype used for Python values when it fits them, ignored otherwise.
      name: the node name when tracing.

    Raises:
      ValueError: if `value` is a tensor whose dtype is not `dtype`.
      TypeError: if `value` cannot be converted.
    """
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype is not dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                f"{value.dtype.name}: {value!r}"
            )
        return value
    for base, fn in _CONVERSIONS:
        if isinstance(value, base):
            out = fn(value, dtype, name, False)
            if out is NotImplemented:
                continue
            return out
    if dtype is None and dtype_hint is not None:
        try:
            return _wrap_constant_value(value, dtypes.as_dtype(dtype_hint), name)
        except (TypeError, ValueError):
            pass
    return _wrap_constant_value(value, dtype, name)


def _wrap_constant_value(value, dtype, name):
    arr = to_numpy(value, dtype)
    return _wrap_constant(arr, dtype or dtypes.from_numpy(arr.dtype), name or "Const")


def is_tensor(x) -> builtins.bool:
    """True for tensors and composite tensor values (RaggedTensor, SparseTensor, ...)."""
    return (
        isinstance(x, Tensor)
        or getattr(x, "_is_composite_tensor", False)
        or getattr(x, "_is_variable", False)
    )


def static_value(t) -> Optional[np.ndarray]:
    """The value of `t` if known without running anything (eager, or a graph constant)."""
    if isinstance(t, EagerTensor):
        return t.numpy()
    f = getattr(t, "_static_value", None)
    return f() if f is not None else None


__all__ = [
    "Tensor", "EagerTensor", "constant", "convert_to_tensor", "is_tensor", "static_value",
    "register_tensor_conversion_function",
]  # fmt: skip
