"""`tf.autodiff.ForwardAccumulator`: forward-mode differentiation (Jacobian-vector products).

The accumulator sits among the recording tapes and, for every op run on a value that has a
tangent, computes the tangents of the op's outputs. Ops have no JVP rules of their own: a JVP is
derived from the op's gradient function by the double-VJP trick. The gradient function
`u -> vjp(u) = J^T u` is linear in the output cotangent `u`, so differentiating `<vjp(u), t>`
with respect to `u` (with a nested reverse pass) gives `J t`, the JVP, for any `u` (zeros here).
This costs about two reverse passes per op, needs gradient functions that are differentiable in
their upstream gradient (true for every registered gradient, which are written with ops), and
gives JVPs for every op with a gradient. As in TensorFlow, a `tf.custom_gradient`'s `grad_fn` is
not used in forward mode: tangents flow through the ops the decorated function ran.
"""

from __future__ import annotations

from tensorflux._src.autodiff.backprop import UnconnectedGradients, _unconnected
from tensorflux._src.autodiff.tape import Tape, TapeOp, backprop, differentiable_dtype
from tensorflux._src.core import context as _context
from tensorflux._src.core import nest, registry
from tensorflux._src.tensor import Tensor, convert_to_tensor


class ForwardAccumulator:
    """Computes Jacobian-vector products of everything computed from `primals` inside it.

    Args:
      primals: a tensor or variable, or a nested structure of them, to differentiate with
        respect to.
      tangents: the direction for each primal, structured like `primals`.

    Raises:
      ValueError: if the structures differ or a tangent's dtype is not its primal's.
    """

    def __init__(self, primals, tangents):
        self._tangents: dict[int, object] = {}
        self._alive: dict[int, object] = {}  # keeps keyed objects alive so ids stay unique
        self._recording = False
        self._watch(primals, tangents)

    def _watch(self, primals, tangents) -> None:
        flat_p = nest.flatten(primals)
        flat_t = nest.flatten(tangents)
        if len(flat_p) != len(flat_t):
            raise ValueError(
                f"primals and tangents must have the same structure; got {len(flat_p)} primals "
                f"and {len(flat_t)} tangents."
            )
        for p, t in zip(flat_p, flat_t):
            if not (isinstance(p, Tensor) or getattr(p, "_is_variable", False)):
                p = convert_to_tensor(p)
            t = convert_to_tensor(t, dtype=p.dtype)
            key = getattr(p, "_primary", p)
            self._tangents[id(key)] = t
            self._alive[id(key)] = key

    def __enter__(self) -> ForwardAccumulator:
        if self._recording:
            raise ValueError("The accumulator is already active.")
        _context.push_tape(self)
        self._recording = True
        return self

    def __exit__(self, *exc) -> None:
        if self._recording:
            _context.pop_tape(self)
            self._recording = False

    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The tangents of `primals` (a tensor or nested structure of them).

        Args:
          primals: values computed inside the accumulator (or the watched primals).
          unconnected_gradients: "none" gives None, "zero" gives zeros, for values that do not
            depend on the watched primals.

        Returns:
          The tangents, structured like `primals`.
        """
        unconnected = _unconnected(unconnected_gradients)

        def one(x):
            t = self._tangents.get(id(getattr(x, "_primary", x)))
            if t is None and unconnected is UnconnectedGradients.ZERO:
                from tensorflux._src.ops import grad_ops

                return grad_ops.zeros_like(x)
            return t

        return nest.map_structure(one, primals) if nest.is_nested(primals) else one(primals)

    # ---------------------------------------------------------------- the tape protocol

    def record(self, op, inputs, attrs, outputs) -> None:
        tangents = [self._tangents.get(id(x)) for x in inputs]
        if all(t is None for t in tangents):
            return
        if op.name == "CustomGradient":
            # A custom gradient changes reverse mode only: the results' tangents pass through.
            for o, t in zip(outputs, tangents):
                if t is not None:
                    self._tangents[id(o)] = t
                    self._alive[id(o)] = o
            return
        if getattr(op, "differentiable", None) is False:
            return
        grad_fn = registry.gradient_function(op.name)
        if grad_fn is None:
            return
        for o, t in zip(outputs, self._jvp(grad_fn, op, inputs, attrs, outputs, tangents)):
            if t is not None:
                self._tangents[id(o)] = t
                self._alive[id(o)] = o

    def variable_accessed(self, var) -> None:
        pass

    def record_read(self, var, value) -> None:
        t = self._tangents.get(id(var))
        if t is not None:
            self._tangents[id(value)] = t
            self._alive[id(value)] = value

    def _jvp(self, grad_fn, op, inputs, attrs, outputs, tangents) -> list:
        from tensorflux._src.ops import grad_ops

        c = _context.ctx
        saved = c.tapes  # replaced, not mutated: the dispatcher may be iterating over it
        c.tapes = [t for t in saved if t is not self]
        c.update()
        try:
            us = [
                grad_ops.zeros_like(o) if differentiable_dtype(o.dtype) else None for o in outputs
            ]
            inner = Tape(persistent=False)
            for u in us:
                if u is not None:
                    inner.watch(u)
            _context.push_tape(inner)
            try:
                dys = [grad_ops.zeros_like(o) if u is None else u for o, u in zip(outputs, us)]
                in_grads = grad_fn(TapeOp(op, inputs, attrs, outputs), *dys)
                if not isinstance(in_grads, (list, tuple)):
                    in_grads = [in_grads]
                targets, seeds = [], []
                for g, t in zip(in_grads, tangents):
                    if g is not None and t is not None:
                        targets.append(convert_to_tensor(g))  # IndexedSlices: densified, taped
                        seeds.append(t)
            finally:
                _context.pop_tape(inner)
            sources = [u for u in us if u is not None]
            if not targets or not sources:
                return [None] * len(outputs)
            res = iter(backprop(inner, targets, sources, seeds, grad_ops))
            return [None if u is None else next(res) for u in us]
        finally:
            c.tapes = saved
            c.update()


__all__ = ["ForwardAccumulator"]
