"""Python operators on tensors (`+`, `*`, `<`, `@`, `[]`, ...), installed on the Tensor class.

Each operator calls the same public function a user would, so operators and functions share one
dtype rule. Reflected forms convert the Python operand with the tensor's dtype, as TensorFlow does.
"""

from __future__ import annotations

from tensorflux._src.dispatch import _convert, _scalar_like
from tensorflux._src.ops import binary_math_ops, math_ops, unary_ops
from tensorflux._src.tensor import EagerTensor, Tensor
from tensorflux._src.variables import Variable


def _binary(fn):
    def op(self, other):
        return fn(self, other)

    def rop(self, other):
        if other.__class__ is float or other.__class__ is int:
            if self.__class__ is EagerTensor:
                other = _scalar_like(other, self)  # `2 * t`: 2 takes t's dtype when it fits
        if not isinstance(other, Tensor):
            other = _convert(other, self.dtype)  # `1.5 + int_t` is a TypeError, as in TF
        return fn(other, self)

    return op, rop


def install(table: dict) -> None:
    """Installs `{"add": fn, ...}`: each name gives `__name__` and `__rname__` on Tensor."""
    for name, fn in table.items():
        op, rop = _binary(fn)
        Tensor._override_operator(f"__{name}__", op)
        Tensor._override_operator(f"__r{name}__", rop)


def install_unary(table: dict) -> None:
    for name, fn in table.items():
        Tensor._override_operator(f"__{name}__", lambda self, _fn=fn: _fn(self))


install(
    {
        "add": math_ops.add,
        "sub": math_ops.subtract,
        "mul": math_ops.multiply,
        "truediv": math_ops.truediv,
    }
)
install_unary({"neg": math_ops.negative, "pos": lambda x: x})
Tensor._override_operator("__lt__", lambda a, b: math_ops.less(a, b))
Tensor._override_operator("__le__", lambda a, b: math_ops.less_equal(a, b))
Tensor._override_operator("__gt__", lambda a, b: math_ops.greater(a, b))
Tensor._override_operator("__ge__", lambda a, b: math_ops.greater_equal(a, b))


def _eq(a, b):
    if b is None:
        return False
    try:
        return math_ops.Equal(a, b, incompatible_shape_error=False)
    except (TypeError, ValueError):
        return False


def _ne(a, b):
    if b is None:
        return True
    try:
        return math_ops.NotEqual(a, b, incompatible_shape_error=False)
    except (TypeError, ValueError):
        return True


Tensor._override_operator("__eq__", _eq)
Tensor._override_operator("__ne__", _ne)
Tensor._override_operator("__hash__", Tensor.__hash__)

# --- indexing: t[...] is one StridedSlice (a boolean mask index is a tf.boolean_mask)
from tensorflux._src.ops import indexing_ops  # noqa: E402

Tensor._override_operator("__getitem__", indexing_ops.getitem)
# `v[...]` on a variable: a tensor whose `.assign(value)` writes that slice of the variable
Variable.__getitem__ = indexing_ops.variable_getitem
Tensor.assign = property(indexing_ops._assign_to_slice)

# --- element-wise math operators: //, %, **, abs(); &, |, ^, ~ are logical on bool tensors and
# bitwise on integer ones, as in TensorFlow
from tensorflux._src.ops import bitwise_ops  # noqa: E402


def _bool_or_bits(logical, bitwise):
    def fn(x, y):
        return logical(x, y) if x.dtype.is_bool else bitwise(x, y)

    return fn


install(
    {
        "floordiv": binary_math_ops.floordiv,
        "mod": binary_math_ops.floormod,
        "pow": binary_math_ops.pow,
        "and": _bool_or_bits(math_ops.logical_and, bitwise_ops.bitwise_and),
        "or": _bool_or_bits(math_ops.logical_or, bitwise_ops.bitwise_or),
        "xor": _bool_or_bits(math_ops.logical_xor, bitwise_ops.bitwise_xor),
    }
)
install_unary(
    {
        "abs": unary_ops.abs,
        "invert": lambda x: math_ops.logical_not(x) if x.dtype.is_bool else bitwise_ops.invert(x),
    }
)

# --- linalg: `a @ b` is tf.matmul
from tensorflux._src.ops import linalg_ops  # noqa: E402

install({"matmul": linalg_ops.matmul})
