"""Einsum: the op, its shape rule over the equation, and its gradient (an einsum of the output
gradient with the other operands)."""

from __future__ import annotations

import string

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, check_same
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, math_ops
from tensorflux._src.ops._util import as_tensor

_EINSUM_T = (
    dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
    dtypes.complex64, dtypes.complex128,
)  # fmt: skip


def parse(equation: str, ranks) -> tuple:
    """The equation with ellipses spelled out: (input subscripts, output subscripts, the letters
    standing for the ellipsis).

    Ellipsis dimensions are right-aligned across operands (NumPy broadcasting); an implicit
    output is the ellipsis followed by the labels used once, sorted.
    """
    eq = equation.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    ins = lhs.split(",")
    if len(ins) != len(ranks):
        raise ValueError(f'Got {len(ranks)} inputs for equation "{equation}", expecting {len(ins)}')
    free = [c for c in string.ascii_letters if c not in eq]
    ell = 0
    for sub, r in zip(ins, ranks):
        if "..." in sub and r is not None:
            ell = max(ell, r - (len(sub) - 3))
    letters = "".join(free[:ell])
    subs = []
    for k, (sub, r) in enumerate(zip(ins, ranks)):
        if "..." in sub:
            if r is None:
                raise NotImplementedError("einsum with an ellipsis needs operands of known rank")
            n = r - (len(sub) - 3)
            if n < 0:
                raise InvalidArgumentError(
                    None,
                    None,
                    f"Input {k} to einsum has rank {r} but the subscript {sub} needs "
                    f"at least {len(sub) - 3}",
                )
            sub = sub.replace("...", letters[ell - n :] if n else "")
        elif r is not None and len(sub) != r:
            raise InvalidArgumentError(
                None,
                None,
                f"Expected input {k} to have rank {len(sub)} but got: {r}",
            )
        subs.append(sub)
    if arrow:
        out = out.replace("...", letters)
    else:
        counts = {}
        for s in subs:
            for c in s:
                counts[c] = counts.get(c, 0) + 1
        out = letters + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in letters))
    return subs, out, letters


def _label_sizes(subs, shapes, ell=""):
    """Each label's size (None if unknown); size-1 ellipsis dims broadcast. Raises on a
    conflict."""
    sizes: dict = {}
    for sub, s in zip(subs, shapes):
        if s is None:
            continue
        for axis, (c, d) in enumerate(zip(sub, s)):
            prev = sizes.get(c, 1 if c not in sizes else None)
            if c not in sizes:
                sizes[c] = d
            elif d is None or (d == 1 and c in ell):
                continue
            elif prev is None or (prev == 1 and c in ell):
                sizes[c] = d
            elif prev != d:
                raise InvalidArgumentError(
                    None,
                    None,
                    f"Expected dimension {prev} at axis {axis} of the input shaped "
                    f"{array_ops._dims_str(s)} but got dimension {d}",
                )
    return sizes


def _einsum_dtype(dts, attrs):
    t = check_same(dts)
    check_allowed(t, _EINSUM_T)
    return t


def _einsum_shape(inputs, attrs):
    ranks = [x.shape.rank for x in inputs]
    subs, out, ell = parse(attrs["equation"], ranks)
    if any(r is None for r in ranks) and any(c not in "".join(s) for s in subs for c in out):
        return TensorShape(None)
    shapes = [x.shape.as_list() if x.shape.rank is not None else None for x in inputs]
    sizes = _label_sizes(subs, shapes, ell)
    return TensorShape([sizes.get(c) for c in out])


Einsum = defop("Einsum", infer=Rule(_einsum_dtype, _einsum_shape))


@Einsum.kernel
def _(xp, *xs, equation):
    subs, out, ell = parse(equation, [x.ndim for x in xs])
    _label_sizes(subs, [list(x.shape) for x in xs], ell)
    dt = xs[0].dtype
    if dt.kind == "V" or dt.itemsize == 2 and dt.kind == "f":  # bfloat16/float16: compute in f32
        xs = [x.astype(xp.float32) for x in xs]
    eq = ",".join(subs) + "->" + out
    # Contiguous operands: the BLAS path NumPy picks (and so the rounding) does not depend on
    # the inputs' strides.
    xs = [xp.ascontiguousarray(x) if x.ndim else x for x in xs]
    res = xp.einsum(eq, *xs, optimize=len(xs) > 1)
    return xp.asarray(res).astype(dt, copy=False)


@Einsum.gradient
def _(op, dy):
    xs = list(op.inputs)
    subs, out, _ = parse(op.get_attr("equation"), [x.shape.rank for x in xs])
    grads = []
    for i, x in enumerate(xs):
        others = [(s, xs[j]) for j, s in enumerate(subs) if j != i]
        grads.append(_operand_grad(dy, out, subs[i], x, others))
    return grads


def _operand_grad(dy, out, sub, x, others):
    """d(sum(dy * einsum(...))) / d(x) for the operand `x` with subscripts `sub`."""
    elsewhere = set(out) | {c for s, _ in others for c in s}
    unique = "".join(dict.fromkeys(sub))
    kept = "".join(c for c in unique if c in elsewhere)
    ops_in = [dy] + [math_ops.conj(o) if o.dtype.is_complex else o for _, o in others]
    eq = ",".join([out] + [s for s, _ in others]) + "->" + kept
    g = Einsum(*ops_in, equation=eq)
    xshape = array_ops.shape(x) if not x.shape.is_fully_defined() else x.shape.as_list()
    dim = {c: xshape[sub.index(c)] for c in unique}
    if kept != unique:
        # Labels summed inside this operand alone: the gradient is constant along them.
        for axis, c in enumerate(unique):
            if c not in kept:
                g = array_ops.expand_dims(g, axis)
        target = [dim[c] for c in unique]
        if not isinstance(xshape, list):
            target = array_ops.stack([math_ops.cast(t, dtypes.int32) for t in target])
        g = array_ops.broadcast_to(g, target)
    if unique != sub:
        g = _embed_diagonal(g, unique, sub, dim)
    return math_ops.unbroadcast(g, x)


def _embed_diagonal(g, unique, sub, dim):
    """Puts `g` (over `unique` labels) on the diagonals that repeated labels of `sub` describe."""
    free = [c for c in string.ascii_letters if c not in unique and c not in sub]
    seen: set = set()
    target = []
    eyes = []
    for c in sub:
        if c in seen:
            fresh = free.pop(0)
            target.append(fresh)
            eyes.append((c + fresh, array_ops.eye(dim[c], dtype=g.dtype)))
        else:
            seen.add(c)
            target.append(c)
    eq = ",".join([unique] + [s for s, _ in eyes]) + "->" + "".join(target)
    return Einsum(g, *[e for _, e in eyes], equation=eq)


def einsum(equation, *inputs, **kwargs):
    """Tensor contraction over subscripts, as in `numpy.einsum`.

    `"ij,jk->ik"` is a matrix product, `"ii"` a trace, `"...ij->...ji"` a batched transpose;
    labels missing from the output are summed over. Without `->`, the output is the ellipsis
    followed by the labels that appear once, in alphabetical order.

    Args:
      equation: the subscripts, e.g. `"bij,bjk->bik"`.
      *inputs: the operands, all of one dtype.
      **kwargs: `name` (optional) and `optimize` (accepted and ignored: NumPy chooses the order).

    Returns:
      The contracted tensor.

    Raises:
      InvalidArgumentError: if the operands do not match the equation or their dtypes differ.
      TypeError: for other keyword arguments.
    """
    name = kwargs.pop("name", None)
    kwargs.pop("optimize", None)
    kwargs.pop("greedy", None)
    if kwargs:
        raise TypeError(
            f"Invalid keyword arguments for einsum: {', '.join(kwargs)}. Valid arguments: name, "
            "optimize, greedy."
        )
    xs = [as_tensor(x) for x in inputs]
    eq = equation.replace(" ", "")
    n_in = len(eq.partition("->")[0].split(","))
    if n_in != len(xs):
        raise ValueError(f'Got {len(xs)} inputs for equation "{equation}", expecting {n_in}')
    if "..." in eq:
        xs = _broadcast_ellipsis(eq, xs)
    return Einsum(*xs, equation=equation, name=name)


def _broadcast_ellipsis(eq, xs):
    """Broadcasts the ellipsis dimensions of all operands to one shape up front.

    The op accepts broadcasting ellipses, but then its gradient would need it too; an explicit
    BroadcastTo sums the gradient back instead.
    """
    ins = eq.partition("->")[0].split(",")
    if any(not x.shape.is_fully_defined() for x, s in zip(xs, ins) if "..." in s):
        return xs
    ells = []
    for x, s in zip(xs, ins):
        if "..." in s:
            pre = s.index("...")
            n = x.shape.rank - (len(s) - 3)
            ells.append(x.shape.as_list()[pre : pre + n] if n > 0 else [])
    full = TensorShape([])
    for e in ells:
        full = array_ops.broadcast_static_shape(full, TensorShape(e))
    full = full.as_list()
    out = []
    for x, s in zip(xs, ins):
        dims = x.shape.as_list()
        if "..." in s:
            pre = s.index("...")
            n = len(dims) - (len(s) - 3)
            if dims[pre : pre + n] != full:
                post = dims[pre + n :]
                x = array_ops.reshape(
                    x, dims[:pre] + [1] * (len(full) - n) + dims[pre : pre + n] + post
                )
                x = array_ops.broadcast_to(x, dims[:pre] + full + post)
        out.append(x)
    return out
