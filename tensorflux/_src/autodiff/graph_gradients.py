"""`tf.gradients`: symbolic derivatives while a graph is being built (tf.function, tf.Graph).

The graph's operations, in creation order, stand in for a tape's entries: graph `Operation`s offer
the view gradient functions expect (`inputs`, `outputs`, `type`, `get_attr`), so the tape's
`backprop` walks them backwards and adds the gradient ops to the same graph. A variable source
stands for the resource placeholder its reads consume.
"""

from __future__ import annotations

from tensorflux._src.autodiff.backprop import UnconnectedGradients, _unconnected
from tensorflux._src.autodiff.tape import Tape, backprop
from tensorflux._src.core import nest
from tensorflux._src.core.context import ctx
from tensorflux._src.graph.graph import SymbolicTensor
from tensorflux._src.tensor import EagerTensor


def gradients(
    ys,
    xs,
    grad_ys=None,
    name="gradients",
    gate_gradients=False,
    aggregation_method=None,
    stop_gradients=None,
    unconnected_gradients=UnconnectedGradients.NONE,
):
    """The symbolic partial derivatives of `sum(ys)` with respect to each of `xs`.

    Args:
      ys: A tensor or list of tensors to differentiate.
      xs: A tensor or variable, or a list of them.
      grad_ys: Optional upstream gradients, one per `ys` (default: ones).
      name: Name scope of the gradient ops (default "gradients").
      gate_gradients: Accepted for compatibility; gradients are not gated.
      aggregation_method: Accepted for compatibility; gradients are summed with add_n.
      stop_gradients: Tensors through which no gradient flows (they act as constants).
      unconnected_gradients: "none" (None for an unconnected source) or "zero".

    Returns:
      A list with one gradient (or None) per source.

    Raises:
      RuntimeError: When executing eagerly (use tf.GradientTape there).
      ValueError: For a source or target that is not a tensor of the graph being built.
    """
    del gate_gradients, aggregation_method
    graph = ctx.graph
    if graph is None:
        raise RuntimeError(
            "tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape "
            "instead."
        )
    from tensorflux._src import ops

    unconnected = _unconnected(unconnected_gradients)
    flat_ys = nest.flatten(ys)
    flat_xs = nest.flatten(xs)
    flat_grad_ys = None if grad_ys is None else nest.flatten(grad_ys)
    if flat_grad_ys is not None and len(flat_grad_ys) != len(flat_ys):
        raise ValueError(f"Passed {len(flat_grad_ys)} grad_ys for {len(flat_ys)} ys")
    flat_ys = [_check_in_graph(y, graph, "ys") for y in flat_ys]
    sources = []
    for x in flat_xs:
        if getattr(x, "_is_variable", False):
            sources.append(graph.capture(x.handle))  # the placeholder its reads consume
        else:
            sources.append(_check_in_graph(x, graph, "xs"))
    stopped = {id(t) for t in nest.flatten(stop_gradients or []) if t is not None}
    tape = Tape()
    # An op all of whose outputs are stopped does not pass gradients on to its inputs.
    tape.entries = [
        op for op in graph.get_operations()
        if not (op.outputs and all(id(o) in stopped for o in op.outputs))
    ]  # fmt: skip
    with graph.name_scope(name or "gradients"):
        grads = backprop(tape, flat_ys, sources, flat_grad_ys, ops.grad_ops)
        out = []
        for x, g in zip(flat_xs, grads):
            if g is None and unconnected is UnconnectedGradients.ZERO:
                g = ops.grad_ops.zeros_like(x)
            out.append(g)
    return out


def _check_in_graph(t, graph, what: str):
    if isinstance(t, SymbolicTensor) and t.graph is graph:
        return t
    if isinstance(t, EagerTensor):  # an outside value the function uses: its captured node
        return graph.capture(t)
    raise ValueError(
        f"tf.gradients: each of `{what}` must be a tensor of the graph being built, got {t!r}"
    )


def hessians(ys, xs, gate_gradients=False, aggregation_method=None, name="hessians"):
    """The Hessian of `sum(ys)` with respect to each of `xs`, while a graph is being built.

    Each Hessian has shape `x.shape + x.shape`: the gradient of every element of the gradient.

    Raises:
      RuntimeError: When executing eagerly (use nested tf.GradientTape there).
      NotImplementedError: For a source whose shape is not fully known while tracing.
    """
    del gate_gradients, aggregation_method
    from tensorflux._src.ops import grad_ops

    flat_xs = nest.flatten(xs)
    first = gradients(ys, flat_xs)  # raises eagerly, as TensorFlow does
    out = []
    with ctx.graph.name_scope(name or "hessians"):
        for x, g in zip(flat_xs, first):
            shape = x.shape
            if not shape.is_fully_defined():
                raise NotImplementedError(
                    f"tf.hessians needs a fully known shape while tracing; {x!r} has shape {shape}"
                )
            if g is None:
                raise ValueError(
                    "Tried to convert 'tensor' to a tensor and failed. Error: None values not "
                    "supported."
                )
            flat = grad_ops.reshape(g, [-1])
            rows = [
                gradients(flat[i], x, unconnected_gradients="zero")[0]
                for i in range(shape.num_elements())
            ]
            dims = shape.as_list()
            out.append(grad_ops.reshape(grad_ops.stack(rows), dims + dims))
    return out


class AggregationMethod:
    """How `tf.gradients` combines several gradients of one tensor; tensorflux always adds them
    with `add_n` (all methods give the same sums)."""

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2
