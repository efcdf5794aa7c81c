"""`tf.GradientTape`: record ops on watched tensors and variables, then differentiate."""

from __future__ import annotations

import enum

from tensorflux._src.autodiff.tape import Tape, backprop, differentiable_dtype
from tensorflux._src.core import context as _context
from tensorflux._src.core import nest
from tensorflux._src.tensor import Tensor


class UnconnectedGradients(enum.Enum):
    """What `gradient` returns for a source the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


def _unconnected(value) -> UnconnectedGradients:
    if isinstance(value, UnconnectedGradients):
        return value
    try:
        return UnconnectedGradients(value)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}") from None


class GradientTape:
    """Records operations for automatic differentiation.

    Args:
      persistent: allow several `gradient`/`jacobian` calls (the recording is kept until deleted).
      watch_accessed_variables: watch every trainable variable read while recording.
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self._tape = Tape(persistent, watch_accessed_variables)
        self._recording = False
        self._used = False

    def __enter__(self) -> GradientTape:
        self._push()
        return self

    def __exit__(self, *exc) -> None:
        if self._recording:
            self._pop()

    def _push(self) -> None:
        if self._recording:
            raise ValueError(
                "Tape is still recording, This can happen if you try to re-enter an "
                "already-active tape."
            )
        _context.push_tape(self._tape)
        self._recording = True

    def _pop(self) -> None:
        _context.pop_tape(self._tape)
        self._recording = False

    def watch(self, tensor) -> None:
        """Ensures `tensor` (a tensor, variable, or nested structure of them) is traced."""
        for t in nest.flatten(tensor, expand_composites=True):
            if not (isinstance(t, Tensor) or getattr(t, "_is_variable", False)):
                raise ValueError(
                    f"Passed in object {t!r} of type {type(t).__name__!r}, not tf.Tensor or "
                    f"tf.Variable or ExtensionType."
                )
            if not differentiable_dtype(t.dtype):
                import logging

                logging.getLogger("tensorflux").warning(
                    "The dtype of the watched tensor must be floating (e.g. tf.float32), got %r",
                    t.dtype,
                )
            self._tape.watch(t)

    def watched_variables(self) -> tuple:
        """The variables this tape watches, in the order they were first watched."""
        return tuple(self._tape.watched_variables.values())

    def stop_recording(self):
        """A context manager inside which this tape does not record."""
        return _StopRecording(self)

    def reset(self) -> None:
        """Forgets everything recorded so far (the tape keeps recording if it was)."""
        was = self._recording
        if was:
            self._pop()
        self._tape = Tape(self._persistent, self._watch_accessed)
        self._used = False
        if was:
            self._push()

    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=UnconnectedGradients.NONE,
    ):
        """Gradients of `target` (any nest of tensors) with respect to `sources` (any nest).

        Args:
          target: a tensor or nested structure of tensors to differentiate.
          sources: a tensor, variable or nested structure of them.
          output_gradients: upstream gradients, one per target tensor (default: ones).
          unconnected_gradients: "none" (return None) or "zero" for unconnected sources.

        Returns:
          The gradients, structured like `sources`.

        Raises:
          RuntimeError: on a second call to a non-persistent tape.
        """
        self._check_usable()
        from tensorflux._src import ops

        unconnected = _unconnected(unconnected_gradients)
        if target is None:
            raise TypeError(
                "Argument `target` should be a list or nested structure of Tensors, Variables or "
                "CompositeTensors to be differentiated, but received None."
            )
        flat_sources = nest.flatten(sources, expand_composites=False)
        for s in flat_sources:
            if not (isinstance(s, Tensor) or getattr(s, "_is_variable", False)):
                raise ValueError(
                    f"Unexpected source type {type(s).__name__}: sources must be tensors or "
                    f"variables"
                )
        # An assign's result (an unread view) stands for its variable, as in TensorFlow.
        keys = [getattr(s, "_primary", s) for s in flat_sources]
        flat_targets = nest.flatten(target)
        flat_out_grads = None
        if output_gradients is not None:
            flat_out_grads = nest.flatten(output_gradients)
            if len(flat_out_grads) != len(flat_targets):
                flat_out_grads = [output_gradients] if len(flat_targets) == 1 else flat_out_grads
        # Inside its context a persistent tape records its own gradient computation (so the
        # result can be differentiated again, as in TensorFlow); a non-persistent one stops.
        recording = self._recording
        if recording and not self._persistent:
            self._pop()
        grads = backprop(self._tape, flat_targets, keys, flat_out_grads, ops.grad_ops)
        out = []
        for s, g in zip(flat_sources, grads):
            if g is None and unconnected is UnconnectedGradients.ZERO:
                g = ops.grad_ops.zeros_like(s)
            out.append(g)
        if not self._persistent:
            self._used = True
            watched = self._tape.watched_variables
            self._tape = Tape(False, self._watch_accessed)  # frees what was recorded
            self._tape.watched_variables = watched  # still reported by watched_variables()
        return nest.pack_sequence_as(sources, out)

    def _check_usable(self) -> None:
        if self._used and not self._persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of gradients "
                "(or jacobians)"
            )

    def jacobian(
        self,
        target,
        sources,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor: bool = True,
    ):
        """d target[i...] / d source[j...], shaped target.shape + source.shape, per source."""
        from tensorflux._src import ops

        g = ops.grad_ops
        if not experimental_use_pfor and not self._persistent:
            raise RuntimeError(
                "GradientTape must be created with persistent=True to compute the jacobian "
                "with eager execution enabled and with  experimental_use_pfor set to False."
            )
        flat_sources = nest.flatten(sources)
        target = g.convert_to_tensor(target)
        n = int(g.size_py(target))
        tshape = target.shape.as_list()
        rows = []
        self._check_usable()
        if self._recording and not self._persistent:
            self._pop()  # a non-persistent tape stops recording when it is first used
        persistent, self._persistent = self._persistent, True
        try:
            for i in range(n):
                seed = g.reshape(g.one_hot_py(i, n, target.dtype), tshape)
                rows.append(
                    self.gradient(
                        target,
                        flat_sources,
                        output_gradients=seed,
                        unconnected_gradients=unconnected_gradients,
                    )
                )
        finally:
            self._persistent = persistent
            if not persistent:
                self._used = True
        out = []
        for j, s in enumerate(flat_sources):
            col = [r[j] for r in rows]
            if n and all(c is None for c in col):
                out.append(None)
                continue
            col = [g.zeros_like(s) if c is None else g.convert_to_tensor(c) for c in col]
            shape = list(target.shape) + list(s.shape)
            out.append(g.reshape(g.stack(col, 0), shape) if n else g.zeros(shape, s.dtype))
        return nest.pack_sequence_as(sources, out)

    def batch_jacobian(
        self,
        target,
        source,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor: bool = True,
    ):
        """Per-example jacobian: result[b, i..., j...] = d target[b, i...] / d source[b, j...]."""
        from tensorflux._src import ops

        g = ops.grad_ops
        target = g.convert_to_tensor(target)
        target.shape.with_rank_at_least(2)
        source.shape.with_rank_at_least(2)
        batch = target.shape[0]
        if source.shape[0] != batch:
            raise ValueError(
                f"Need first dimension of target shape ({target.shape}) and source shape "
                f"({source.shape}) to match."
            )
        if not experimental_use_pfor and not self._persistent:
            raise RuntimeError(
                "GradientTape must be created with persistent=True to compute the batch_jacobian "
                "with eager execution enabled and  with experimental_use_pfor set to False."
            )
        n = target.shape.num_elements() // batch if batch else 0
        tshape = target.shape.as_list()
        cols = []
        self._check_usable()
        if self._recording and not self._persistent:
            self._pop()
        persistent, self._persistent = self._persistent, True
        try:
            for i in range(n):
                seed = g.reshape(g.tile_one_hot_py(i, n, batch, target.dtype), tshape)
                grad = self.gradient(
                    target,
                    source,
                    output_gradients=seed,
                    unconnected_gradients=unconnected_gradients,
                )
                cols.append(g.zeros_like(source) if grad is None else g.convert_to_tensor(grad))
        finally:
            self._persistent = persistent
            if not persistent:
                self._used = True
        stacked = g.stack(cols, 1)  # [batch, n, *source.shape[1:]]
        return g.reshape(stacked, list(target.shape) + list(source.shape[1:]))


class _StopRecording:
    def __init__(self, tape: GradientTape):
        self._tape = tape
        self._was = False

    def __enter__(self):
        self._was = self._tape._recording
        if self._was:
            self._tape._pop()

    def __exit__(self, *exc):
        if self._was:
            self._tape._push()
