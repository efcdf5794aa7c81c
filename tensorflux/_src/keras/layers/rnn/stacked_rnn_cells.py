"""`keras.layers.StackedRNNCells`: several cells run one after the other at each timestep."""

from __future__ import annotations

from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.layers.rnn._cell_util import base_config
from tensorflux._src.keras.layers.rnn.rnn import build_sublayer, zeros_state
from tensorflux._src.keras.serialization import (
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


@register_builtin("keras.layers")
class StackedRNNCells(Layer):
    """Wraps a list of cells into one: each cell's output is the next cell's input.

    The states are a list with one entry (the list of that cell's states) per cell.

    Args:
      cells: a list of cells.
      **kwargs: base `Layer` arguments.

    Raises:
      ValueError: if a cell lacks a `call` method or a `state_size`.
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if "call" not in dir(cell):
                raise ValueError(
                    f"All cells must have a `call` method. Received cell without a `call` "
                    f"method: {cell}"
                )
            if "state_size" not in dir(cell):
                raise ValueError(
                    "All cells must have a `state_size` attribute. Received cell without a "
                    f"`state_size`: {cell}"
                )
        self.cells = list(cells)

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        return _as_list(last.state_size)[0]

    def get_initial_state(self, batch_size=None):
        out = []
        for cell in self.cells:
            init = getattr(cell, "get_initial_state", None)
            if init is not None:
                out.append(list(init(batch_size)))
            else:
                out.append([zeros_state(batch_size, d, self.compute_dtype)
                            for d in _as_list(cell.state_size)])  # fmt: skip
        return out

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            build_sublayer(cell, shape)
            size = getattr(cell, "output_size", None)
            if size is None:
                size = _as_list(cell.state_size)[0]
            shape = (shape[0],) + tuple(_as_list(size))
        self.built = True

    def _steps(self, training):
        steps = []
        for cell in self.cells:
            make = getattr(cell, "_make_step", None)
            if make is not None:
                steps.append((cell, make(training), True))
            else:
                steps.append((cell, None, False))
        return steps

    def _run(self, steps, x, states, training, first_projected):
        new_states = []
        for i, (cell, step, builtin) in enumerate(steps):
            s = states[i]
            if builtin:
                xp = x if (i == 0 and first_projected) else cell._project(x, training)
                x, ns = step(xp, s)
            else:
                kwargs = (
                    {"training": training} if getattr(cell, "_call_has_training", False) else {}
                )
                x, ns = cell(x, s, **kwargs)
            new_states.append(list(ns) if isinstance(ns, (list, tuple)) else [ns])
        return x, new_states

    def _rnn_prepare(self, sequences, training):
        steps = self._steps(training)
        cell0, _, builtin0 = steps[0]
        proj = cell0._project(sequences, training) if builtin0 else sequences

        def step(x, states):
            return self._run(steps, x, states, training, builtin0)

        return proj, step

    def call(self, inputs, states, training=False, **kwargs):
        return self._run(self._steps(training), inputs, states, training, False)

    def get_config(self):
        return {**base_config(self), "cells": [serialize_keras_object(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cells = [deserialize_keras_object(c, custom_objects=custom_objects)
                 for c in config.pop("cells")]  # fmt: skip
        return cls(cells, **config)
