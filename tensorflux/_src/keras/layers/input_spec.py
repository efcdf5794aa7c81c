"""`keras.InputSpec`: the rank, shape and dtype a layer accepts, checked on every call."""

from __future__ import annotations

from tensorflux._src.core import nest
from tensorflux._src.keras import backend
from tensorflux._src.keras.serialization import register_builtin


@register_builtin("keras.layers")
class InputSpec:
    """What a layer's input must look like.

    Args:
      dtype: expected dtype name, or None.
      shape: expected shape (None for unconstrained dimensions), or None.
      ndim: expected rank.
      max_ndim: maximum rank.
      min_ndim: minimum rank.
      axes: `{axis: size}` for dimensions that must have a given size.
      allow_last_axis_squeeze: accept a rank one lower or higher when the last dimension is 1.
      name: the input's name.
      optional: whether the input may be None.
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
    ):
        self.dtype = backend.standardize_dtype(dtype) if dtype is not None else None
        if shape is not None:
            self.shape = tuple(shape)
            self.ndim = len(self.shape)
        else:
            self.shape = None
            self.ndim = ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            top = (self.ndim if self.ndim is not None else self.max_ndim) - 1
            if max(self.axes) > top:
                raise ValueError(
                    f"Axis {max(self.axes)} is greater than the maximum allowed value: {top}"
                )

    def __repr__(self) -> str:
        parts = []
        for key in ("dtype", "shape", "ndim", "max_ndim", "min_ndim", "axes"):
            v = getattr(self, key)
            if v:
                parts.append(f"{key}={v}")
        return f"InputSpec({', '.join(parts)})"

    def get_config(self) -> dict:
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
            "optional": self.optional,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _shape_tuple(x):
    shape = getattr(x, "shape", None)
    if shape is None:
        return None
    if hasattr(shape, "as_list"):
        return None if shape.rank is None else tuple(shape.as_list())
    return tuple(shape)


def assert_input_compatibility(input_spec, inputs, layer_name: str) -> None:
    """Raises ValueError (Keras's message) when `inputs` do not match `input_spec`."""
    if not input_spec:
        return
    specs = nest.flatten(input_spec)
    flat = nest.flatten(inputs)
    if len(flat) != len(specs):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received {len(flat)} '
            f"input tensors. Inputs received: {inputs}"
        )
    for i, (x, spec) in enumerate(zip(flat, specs)):
        if spec is None:
            continue
        if x is None:
            if spec.optional:
                continue
            raise ValueError(f"Input {i} of layer '{layer_name}' is None but it is required.")
        head = (
            f"Input {i} with name '{spec.name}' of layer '{layer_name}' is incompatible with the "
            "layer: "
        )
        shape = _shape_tuple(x)
        if shape is None:
            continue
        ndim = len(shape)
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
            raise ValueError(
                head + f"expected ndim={spec.ndim}, found ndim={ndim}. Full shape received: {shape}"
            )
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise ValueError(head + f"expected max_ndim={spec.max_ndim}, found ndim={ndim}")
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise ValueError(
                head + f"expected min_ndim={spec.min_ndim}, found ndim={ndim}. Full shape "
                f"received: {shape}"
            )
        if spec.dtype is not None:
            dt = backend.standardize_dtype(x.dtype)
            if dt != spec.dtype:
                raise ValueError(head + f"expected dtype={spec.dtype}, found dtype={dt}")
        if spec.axes:
            for axis, value in spec.axes.items():
                if value is None:
                    continue
                if axis >= ndim or axis < -ndim:
                    continue
                if shape[axis] not in (value, None):
                    raise ValueError(
                        head + f"expected axis {axis} of input shape to have value {value}, "
                        f"but received input with shape {shape}"
                    )
        if spec.shape is not None:
            expected = spec.shape
            ok = len(expected) == ndim and all(
                e is None or s is None or e == s for e, s in zip(expected, shape)
            )
            if not ok and not spec.allow_last_axis_squeeze:
                raise ValueError(head + f"expected shape={expected}, found shape={shape}")
