"""`keras.initializers`: objects `init(shape, dtype=None)` that make a variable's first value.

Random initializers hold an int seed: given, or drawn once at construction (then `get_config`
reports None, as Keras). Either way one instance returns the same values on every call; pass a
`keras.random.SeedGenerator` as `seed` for fresh values per call.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.keras import backend
from tensorflux._src.keras import random as krandom
from tensorflux._src.keras.serialization import (
    builtin_objects,
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)
from tensorflux._src.ops import (
    array_ops,
    creation_ops,
    linalg_decomp_ops,
    linalg_ops,
    math_ops,
    unary_ops,
)
from tensorflux._src.tensor import constant as _constant
from tensorflux._src.tensor import convert_to_tensor

_MODULE = "keras.initializers"


def _dtype(dtype):
    return dtypes.as_dtype(backend.standardize_dtype(dtype))


def _shape(shape):
    return tuple(int(d) for d in shape)


@register_builtin(_MODULE)
class Initializer:
    """Base class of initializers: subclasses implement `__call__(shape, dtype=None)`.

    `get_config()` returns the constructor arguments and `from_config(config)` rebuilds.
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(
            f"Initializer {self.__class__.__name__} does not support __call__(shape, dtype)."
        )

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        """A new initializer with the same configuration."""
        return self.__class__.from_config(self.get_config())


# ---------------------------------------------------------------------- constants


@register_builtin(_MODULE)
class Zeros(Initializer):
    """Fills the tensor with 0."""

    def __call__(self, shape, dtype=None):
        return array_ops.zeros(_shape(shape), dtype=_dtype(dtype))


@register_builtin(_MODULE)
class Ones(Initializer):
    """Fills the tensor with 1."""

    def __call__(self, shape, dtype=None):
        return array_ops.ones(_shape(shape), dtype=_dtype(dtype))


@register_builtin(_MODULE)
class Constant(Initializer):
    """Fills the tensor with `value` (a scalar, or an array broadcast to the shape).

    Args:
      value: a Python scalar, list or array.
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dt = _dtype(dtype)
        value = math_ops.cast(convert_to_tensor(self.value), dt)
        return array_ops.broadcast_to(value, _shape(shape))

    def get_config(self) -> dict:
        value = self.value
        if hasattr(value, "numpy"):
            value = np.asarray(value.numpy())
        if isinstance(value, np.ndarray):
            value = value.tolist()
        return {"value": value}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@register_builtin(_MODULE)
class Identity(Initializer):
    """A 2-D identity matrix (ones on the main diagonal) times `gain`.

    Args:
      gain: the diagonal value.
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        dt = _dtype(dtype)
        return creation_ops.eye(shape[0], shape[1], dtype=dt) * math_ops.cast(self.gain, dt)

    def get_config(self) -> dict:
        return {}  # Keras 3.15 leaves `gain` out of the config


@register_builtin(_MODULE)
class STFT(Initializer):
    """Conv1D kernels computing one side of a short-time Fourier transform.

    Kernel shape `(frame_length, channels, bins)`; bin k at time t is the real part
    `cos(2 pi k t / n)` or imaginary part `-sin(2 pi k t / n)` of the DFT basis, with
    `n = 2 * (bins - 1)`, multiplied by the window.

    Args:
      side: "real" or "imag".
      window: a window name ("hann", "hamming", or any `scipy.signal.windows` name), window
        values, or None.
      scaling: "density" (window divided by its L2 norm), "spectrum" (by its sum) or None.
      periodic: whether the named window is periodic (DFT-even) instead of symmetric.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"side should be 'real' or 'imag', not {side}")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(f"Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                             f"Received scaling={scaling}")  # fmt: skip
        if isinstance(window, str):
            _window_values(window, 4, periodic)  # validates the name
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        frame_length, channels, bins = _shape(shape)
        n = max(2 * (bins - 1), 1)
        t = np.arange(frame_length)[:, None]
        angle = 2.0 * np.pi * t * np.arange(bins)[None, :] / n
        kernel = np.cos(angle) if self.side == "real" else -np.sin(angle)
        if self.window is not None:
            if isinstance(self.window, str):
                win = _window_values(self.window, frame_length, self.periodic)
            else:
                win = np.asarray(self.window, dtype=np.float64)
            if self.scaling == "density":
                win = win / np.sqrt(np.sum(win**2))
            elif self.scaling == "spectrum":
                win = win / np.sum(np.abs(win))
            kernel = kernel * win[:, None]
        kernel = np.broadcast_to(kernel[:, None, :], (frame_length, channels, bins))
        return _constant(np.ascontiguousarray(kernel), dtype=_dtype(dtype))

    def get_config(self) -> dict:
        return {
            "side": self.side,
            "window": self.window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }


def _window_values(name, length, periodic):
    m = length + 1 if periodic else length
    if name in ("hann", "hamming"):
        a = 0.5 if name == "hann" else 0.54
        k = np.arange(m)
        w = a - (1 - a) * np.cos(2 * np.pi * k / max(m - 1, 1))
    else:
        try:
            from scipy.signal import get_window
        except ImportError as e:
            raise ImportError(
                "This requires the scipy module. You can install it via `pip install scipy`"
            ) from e
        w = get_window(name, m, fftbins=False)
    return np.asarray(w[:length], dtype=np.float64)


# ---------------------------------------------------------------------- random


class RandomInitializer(Initializer):
    """Holds the seed: an int (same values every call) or a SeedGenerator (fresh values)."""

    def __init__(self, seed=None):
        self._init_seed = seed
        if seed is None:
            seed = int(np.random.randint(1, 2**31 - 1))
        elif isinstance(seed, dict):
            seed = deserialize_keras_object(seed)
        elif not isinstance(seed, (int, np.integer, krandom.SeedGenerator)):
            raise ValueError(
                "`seed` argument should be an instance of `keras.random.SeedGenerator()` or "
                f"an integer. Received: seed={seed}"
            )
        self.seed = seed

    def get_config(self) -> dict:
        return {"seed": serialize_keras_object(self._init_seed)}


@register_builtin(_MODULE)
class RandomNormal(RandomInitializer):
    """Samples from a normal distribution.

    Args:
      mean: the mean.
      stddev: the standard deviation.
      seed: an int or a `keras.random.SeedGenerator`.
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return krandom.normal(_shape(shape), self.mean, self.stddev, dtype=dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@register_builtin(_MODULE)
class TruncatedNormal(RandomInitializer):
    """Samples from a normal distribution cut at two standard deviations from the mean.

    Args:
      mean: the mean.
      stddev: the standard deviation before truncation.
      seed: an int or a `keras.random.SeedGenerator`.
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return krandom.truncated_normal(
            _shape(shape), self.mean, self.stddev, dtype=dtype, seed=self.seed
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@register_builtin(_MODULE)
class RandomUniform(RandomInitializer):
    """Samples uniformly from `[minval, maxval)`.

    Args:
      minval: the lower bound.
      maxval: the upper bound (excluded).
      seed: an int or a `keras.random.SeedGenerator`.
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return krandom.uniform(_shape(shape), self.minval, self.maxval, dtype=dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


def compute_fans(shape, input_axes=None, output_axes=None):
    """(fan_in, fan_out) of a weight shape; explicit axes replace the default rule."""
    shape = _shape(shape)
    if input_axes is not None and output_axes is not None:
        fan_in = math.prod(shape[a] for a in input_axes)
        fan_out = math.prod(shape[a] for a in output_axes)
        return fan_in, fan_out
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


@register_builtin(_MODULE)
class VarianceScaling(RandomInitializer):
    """Samples with a variance of `scale / n`, n being fan_in, fan_out or their mean.

    "truncated_normal" uses stddev `sqrt(scale / n) / 0.8796...` (the truncation's shrink),
    "untruncated_normal" uses `sqrt(scale / n)`, "uniform" draws from `[-limit, limit)` with
    `limit = sqrt(3 * scale / n)`.

    Args:
      scale: a positive scale factor.
      mode: "fan_in", "fan_out" or "fan_avg".
      distribution: "truncated_normal" ("normal" is an alias), "untruncated_normal" or
        "uniform".
      seed: an int or a `keras.random.SeedGenerator`.
      input_axes: axes whose sizes multiply to fan_in (with `output_axes`).
      output_axes: axes whose sizes multiply to fan_out (with `input_axes`).

    Raises:
      ValueError: for a non-positive scale or an unknown mode or distribution.
    """

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        input_axes=None,
        output_axes=None,
    ):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(
                f"Invalid `mode` argument: {mode}. Please use one of "
                "{'fan_out', 'fan_avg', 'fan_in'}"
            )
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError(
                f"Invalid `distribution` argument: {distribution}.Please use one of "
                "{'untruncated_normal', 'uniform', 'truncated_normal'}"
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / 0.87962566103423978
            return krandom.truncated_normal(shape, 0.0, stddev, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return krandom.normal(shape, 0.0, math.sqrt(scale), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return krandom.uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


def _scaling_family(class_name, scale, mode, distribution, doc):
    def __init__(self, seed=None, input_axes=None, output_axes=None):
        VarianceScaling.__init__(
            self, scale=scale, mode=mode, distribution=distribution, seed=seed,
            input_axes=input_axes, output_axes=output_axes,
        )  # fmt: skip

    def get_config(self):
        return {
            "seed": serialize_keras_object(self._init_seed),
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }

    cls = type(
        class_name,
        (VarianceScaling,),
        {"__init__": __init__, "get_config": get_config, "__doc__": doc, "__module__": __name__},
    )
    return register_builtin(_MODULE)(cls)


_SEED_ARGS = """

    Args:
      seed: an int or a `keras.random.SeedGenerator`.
      input_axes: axes whose sizes multiply to fan_in (with `output_axes`).
      output_axes: axes whose sizes multiply to fan_out (with `input_axes`).
    """
GlorotUniform = _scaling_family(
    "GlorotUniform", 1.0, "fan_avg", "uniform",
    "Uniform in [-limit, limit), limit = sqrt(6 / (fan_in + fan_out))." + _SEED_ARGS,
)  # fmt: skip
GlorotNormal = _scaling_family(
    "GlorotNormal", 1.0, "fan_avg", "truncated_normal",
    "Truncated normal with variance 2 / (fan_in + fan_out)." + _SEED_ARGS,
)  # fmt: skip
LecunUniform = _scaling_family(
    "LecunUniform", 1.0, "fan_in", "uniform",
    "Uniform in [-limit, limit), limit = sqrt(3 / fan_in)." + _SEED_ARGS,
)  # fmt: skip
LecunNormal = _scaling_family(
    "LecunNormal", 1.0, "fan_in", "truncated_normal",
    "Truncated normal with variance 1 / fan_in." + _SEED_ARGS,
)  # fmt: skip
HeUniform = _scaling_family(
    "HeUniform", 2.0, "fan_in", "uniform",
    "Uniform in [-limit, limit), limit = sqrt(6 / fan_in)." + _SEED_ARGS,
)  # fmt: skip
HeNormal = _scaling_family(
    "HeNormal", 2.0, "fan_in", "truncated_normal",
    "Truncated normal with variance 2 / fan_in." + _SEED_ARGS,
)  # fmt: skip


@register_builtin(_MODULE)
class Orthogonal(RandomInitializer):
    """An orthogonal matrix (rows or columns orthonormal) times `gain`, from the QR of a normal
    draw. Shapes of rank > 2 are flattened to `(prod(shape[:-1]), shape[-1])`.

    Args:
      gain: the multiplier.
      seed: an int or a `keras.random.SeedGenerator`.

    Raises:
      ValueError: for shapes of rank below 2.
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        dt = _dtype(dtype)
        rows, cols = math.prod(shape[:-1]), shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        a = krandom.normal(flat, dtype=dt, seed=self.seed)
        q, r = linalg_decomp_ops.qr(a, full_matrices=False)
        q = q * unary_ops.sign(linalg_ops.diag_part(r))  # unique decomposition: diag(r) > 0
        if rows < cols:
            q = array_ops.transpose(q)
        return array_ops.reshape(q * math_ops.cast(self.gain, dt), shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "gain": self.gain}


# Keras exposes these names as the same classes.
IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal
STFTInitializer = STFT
zeros = Zeros
ones = Ones
constant = Constant
identity = Identity
orthogonal = Orthogonal
stft = STFT
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
lecun_uniform = LecunUniform
lecun_normal = LecunNormal
he_uniform = HeUniform
he_normal = HeNormal

_ALIASES = {
    "zeros": Zeros, "ones": Ones, "constant": Constant, "identity": Identity,
    "orthogonal": Orthogonal, "stft": STFT, "random_normal": RandomNormal,
    "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling, "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal, "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
    "he_uniform": HeUniform, "he_normal": HeNormal, "IdentityInitializer": Identity,
    "OrthogonalInitializer": Orthogonal, "STFTInitializer": STFT,
}  # fmt: skip


def _module_objects() -> dict:
    return {**builtin_objects(_MODULE), **_ALIASES}


def serialize(initializer):
    """The Keras config dict of an initializer."""
    return serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """An initializer from its config dict (or name)."""
    return deserialize_keras_object(
        config, module_objects=_module_objects(), custom_objects=custom_objects,
        printable_module_name="initializer",
    )  # fmt: skip


def get(identifier):
    """An initializer from None, a name ("glorot_uniform", "GlorotUniform"), a config dict,
    a class, or an initializer / callable (returned as is).

    Raises:
      ValueError: if `identifier` cannot be interpreted.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize(identifier)
    else:
        obj = identifier
    if isinstance(obj, type):
        obj = obj()
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret initializer identifier: {identifier}")
