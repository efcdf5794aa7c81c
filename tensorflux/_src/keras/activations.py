"""`keras.activations`: element-wise activation functions, thin wrappers of `tf.nn` and `tf.math`.

Each is registered as a Keras built-in so `serialize(relu)` gives "relu" and `get("relu")` finds
it again. Inputs go through `convert_to_tensor` (so Python lists work); the few activations
Keras computes in floating point (tanh, exponential) cast integer inputs to `floatx()`.
"""

from __future__ import annotations

import inspect

from tensorflux._src.core import dtypes
from tensorflux._src.keras import backend
from tensorflux._src.keras.serialization import (
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)
from tensorflux._src.ops import (
    activation_ops,
    array_ops,
    clip_ops,
    manip_ops,
    math_ops,
    nn_ops,
    reduction_ops,
    sort_ops,
    trig_ops,
    unary_ops,
)
from tensorflux._src.ops._util import as_tensor

_MODULE = "keras.activations"


def _t(x):
    return as_tensor(x)


def _float(x):
    x = as_tensor(x)
    if not (x.dtype.is_floating or x.dtype.is_complex):
        x = math_ops.cast(x, dtypes.as_dtype(backend.floatx()))
    return x


def _c(value, x):
    """A Python number as a constant of x's dtype (TypeError if it does not fit, as Keras)."""
    return as_tensor(value, dtype=x.dtype)


@register_builtin(_MODULE)
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, with optional leak, ceiling and threshold.

    Computes `x` where `threshold < x < max_value`, `max_value` above it, and
    `negative_slope * (x - threshold)` below `threshold`.

    Args:
      x: Input tensor.
      negative_slope: Slope below the threshold (0 gives a plain relu).
      max_value: Optional saturation value.
      threshold: Values below it are damped (or zeroed).

    Returns:
      A tensor of `x`'s shape.
    """
    x = _t(x)
    if negative_slope != 0.0 and max_value is None and threshold == 0:
        return leaky_relu(x, negative_slope=negative_slope)
    neg = None
    if negative_slope != 0.0:
        neg = nn_ops.relu(_c(threshold, x) - x) if threshold != 0 else nn_ops.relu(-x)
    clip = max_value is not None
    if threshold != 0:
        thr = math_ops.cast(as_tensor(threshold), x.dtype)
        y = x * math_ops.cast(math_ops.greater(x, thr), x.dtype)
    elif max_value == 6:
        y = nn_ops.relu6(x)
        clip = False
    else:
        y = nn_ops.relu(x)
    if clip:
        lo = math_ops.cast(as_tensor(0.0), x.dtype)
        hi = math_ops.cast(as_tensor(max_value), x.dtype)
        y = clip_ops.clip_by_value(y, lo, hi)
    if neg is not None:
        y = y - negative_slope * neg
    return y


@register_builtin(_MODULE)
def leaky_relu(x, negative_slope=0.2):
    """Leaky relu: `x` if positive, else `negative_slope * x`.

    Args:
      x: Input tensor.
      negative_slope: The slope for negative values.

    Returns:
      A floating tensor of `x`'s shape.
    """
    return nn_ops.leaky_relu(_t(x), alpha=negative_slope)


@register_builtin(_MODULE)
def relu6(x):
    """`min(max(x, 0), 6)`.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    return nn_ops.relu6(_t(x))


@register_builtin(_MODULE)
def elu(x, alpha=1.0):
    """Exponential linear unit: `x` if positive, else `alpha * (exp(x) - 1)`.

    Args:
      x: Input tensor.
      alpha: Scale of the negative part.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    y = nn_ops.elu(x)
    if alpha == 1:
        return y
    return array_ops.where(math_ops.greater(x, _c(0, x)), y, _c(alpha, x) * y)


@register_builtin(_MODULE)
def selu(x):
    """Scaled exponential linear unit (`tf.nn.selu`).

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    return nn_ops.selu(_t(x))


@register_builtin(_MODULE)
def gelu(x, approximate=False):
    """Gaussian error linear unit (`tf.nn.gelu`).

    Args:
      x: Input tensor.
      approximate: Whether to use the tanh approximation.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    return nn_ops.gelu(_t(x), approximate=approximate)


@register_builtin(_MODULE)
def silu(x):
    """Sigmoid linear unit (swish): `x * sigmoid(x)`.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    return nn_ops.silu(_t(x))


swish = silu


@register_builtin(_MODULE)
def sigmoid(x):
    """`1 / (1 + exp(-x))`.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    out = activation_ops.sigmoid(x)
    _keep_logits(out, x)
    return out


def _keep_logits(out, x):
    # Keras losses read `_keras_logits` to compute cross entropies from logits, stably.
    try:
        out._keras_logits = x
    except AttributeError:
        pass


@register_builtin(_MODULE)
def hard_sigmoid(x):
    """Piecewise-linear sigmoid: `clip(x / 6 + 0.5, 0, 1)`.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    return nn_ops.relu6(x + _c(3.0, x)) / _c(6.0, x)


@register_builtin(_MODULE)
def hard_silu(x):
    """`x * hard_sigmoid(x)`.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


@register_builtin(_MODULE)
def hard_tanh(x):
    """`clip(x, -1, 1)`.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    return clip_ops.clip_by_value(x, _c(-1.0, x), _c(1.0, x))


@register_builtin(_MODULE)
def softmax(x, axis=-1):
    """Softmax over `axis` (an int or a tuple of ints).

    Args:
      x: Input tensor.
      axis: The axis (or axes) normalized over.

    Returns:
      A tensor of `x`'s shape and dtype whose slices along `axis` sum to 1.
    """
    x = _t(x)
    if isinstance(axis, int):
        out = nn_ops.softmax(x, axis=axis)
    else:
        lse = reduction_ops.reduce_logsumexp(x, axis=list(axis), keepdims=True)
        out = unary_ops.exp(x - lse)
    _keep_logits(out, x)
    return out


@register_builtin(_MODULE)
def log_softmax(x, axis=-1):
    """Log-softmax over `axis` (an int or a tuple of ints).

    Args:
      x: Input tensor.
      axis: The axis (or axes) normalized over.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    if isinstance(axis, int):
        return nn_ops.log_softmax(x, axis=axis)
    return x - reduction_ops.reduce_logsumexp(x, axis=list(axis), keepdims=True)


@register_builtin(_MODULE)
def softplus(x):
    """`log(exp(x) + 1)`, computed without overflow.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    return activation_ops.softplus(_t(x))


@register_builtin(_MODULE)
def softsign(x):
    """`x / (abs(x) + 1)`.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    return activation_ops.softsign(_t(x))


@register_builtin(_MODULE)
def tanh(x):
    """Hyperbolic tangent (integer inputs are cast to `floatx()` first).

    Args:
      x: Input tensor.

    Returns:
      A floating tensor of `x`'s shape.
    """
    return trig_ops.tanh(_float(x))


@register_builtin(_MODULE)
def tanh_shrink(x):
    """`x - tanh(x)`.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    return x - trig_ops.tanh(x)


@register_builtin(_MODULE)
def exponential(x):
    """`exp(x)` (integer inputs are cast to `floatx()` first).

    Args:
      x: Input tensor.

    Returns:
      A floating tensor of `x`'s shape.
    """
    return unary_ops.exp(_float(x))


@register_builtin(_MODULE)
def linear(x):
    """The identity: returns `x` unchanged.

    Args:
      x: Input (any value).

    Returns:
      `x` itself.
    """
    return x


@register_builtin(_MODULE)
def mish(x):
    """`x * tanh(softplus(x))`.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    return x * trig_ops.tanh(activation_ops.softplus(x))


@register_builtin(_MODULE)
def celu(x, alpha=1.0):
    """Continuously differentiable elu: `max(x, 0) + alpha * expm1(min(x, 0) / alpha)`.

    Args:
      x: Input tensor.
      alpha: The scale of the negative part.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    zero = _c(0.0, x)
    neg = unary_ops.expm1(math_ops.minimum(x, zero) / _c(alpha, x))
    return math_ops.maximum(x, zero) + _c(alpha, x) * neg


@register_builtin(_MODULE)
def glu(x, axis=-1):
    """Gated linear unit: splits `x` in two halves `a, b` along `axis` and returns `a * sigmoid(b)`.

    Args:
      x: Input tensor.
      axis: The axis split in two (its size must be even).

    Returns:
      A tensor with `axis` half as long as in `x`.

    Raises:
      ValueError: if the size along `axis` is odd.
    """
    x = _t(x)
    size = x.shape[axis] if x.shape.rank is not None else None
    if size is not None and size % 2 != 0:
        raise ValueError(
            f"axis size must be divisible by 2. Received: x.shape={x.shape} with axis={axis}"
        )
    a, b = manip_ops.split(x, 2, axis=axis)
    return a * activation_ops.sigmoid(b)


@register_builtin(_MODULE)
def log_sigmoid(x):
    """`log(sigmoid(x))`, computed as `-softplus(-x)`.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    return activation_ops.log_sigmoid(_t(x))


@register_builtin(_MODULE)
def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0.

    Args:
      x: Input tensor.
      threshold: The shrink threshold.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    keep = math_ops.greater(unary_ops.abs(x), _c(threshold, x))
    return array_ops.where(keep, x, array_ops.zeros_like(x))


@register_builtin(_MODULE)
def soft_shrink(x, threshold=0.5):
    """Shrinks `x` toward 0 by `threshold` (values within it become 0).

    Args:
      x: Input tensor.
      threshold: The shrink amount.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    t = _c(threshold, x)
    zeros = array_ops.zeros_like(x)
    return array_ops.where(
        math_ops.greater(x, t),
        x - t,
        array_ops.where(math_ops.less(x, -t), x + t, zeros),
    )


@register_builtin(_MODULE)
def sparse_plus(x):
    """Smooth relu: 0 below -1, `x` above 1, `(x + 1)**2 / 4` between.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    one = _c(1.0, x)
    mid = unary_ops.square(x + one) * _c(0.25, x)
    return array_ops.where(
        math_ops.less_equal(x, -one),
        array_ops.zeros_like(x),
        array_ops.where(math_ops.greater_equal(x, one), x, mid),
    )


@register_builtin(_MODULE)
def sparse_sigmoid(x):
    """Piecewise-linear sigmoid: 0 below -1, 1 above 1, `(x + 1) / 2` between.

    Args:
      x: Input tensor.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    one = _c(1.0, x)
    return array_ops.where(
        math_ops.less_equal(x, -one),
        array_ops.zeros_like(x),
        array_ops.where(
            math_ops.greater_equal(x, one), array_ops.ones_like(x), (x + one) * _c(0.5, x)
        ),
    )


@register_builtin(_MODULE)
def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`.

    Args:
      x: Input tensor.
      b: A non-negative smoothness parameter.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    return (x + unary_ops.sqrt(unary_ops.square(x) + _c(b, x))) / _c(2, x)


@register_builtin(_MODULE)
def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`.

    Args:
      x: Input tensor.
      threshold: The threshold.
      default_value: The value given to elements at or below it.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    return array_ops.where(
        math_ops.greater(x, _c(threshold, x)), x, array_ops.fill(array_ops.shape(x),
                                                                  _c(default_value, x))
    )  # fmt: skip


@register_builtin(_MODULE)
def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex along `axis`.

    Like softmax it gives non-negative values summing to 1, but many are exactly 0.

    Args:
      x: A floating input tensor.
      axis: The axis normalized over.

    Returns:
      A tensor of `x`'s shape and dtype.
    """
    x = _t(x)
    rank = x.shape.rank
    moved = axis not in (-1, None) and rank is not None and axis % rank != rank - 1
    if moved:
        perm = list(range(rank))
        perm[axis % rank], perm[-1] = perm[-1], perm[axis % rank]
        x = array_ops.transpose(x, perm)
    z = sort_ops.sort(x, axis=-1, direction="DESCENDING")
    n = x.shape[-1] if x.shape[-1] is not None else array_ops.shape(x)[-1]
    from tensorflux._src.ops import creation_ops, cumulative_ops

    k = math_ops.cast(creation_ops.range(1, n + 1), x.dtype)
    cum = cumulative_ops.cumsum(z, axis=-1)
    support = math_ops.greater(1 + k * z, cum)
    k_z = reduction_ops.reduce_sum(math_ops.cast(support, x.dtype), axis=-1, keepdims=True)
    cum_at_k = reduction_ops.reduce_sum(
        array_ops.where(support, z, array_ops.zeros_like(z)), axis=-1, keepdims=True
    )
    tau = (cum_at_k - 1) / k_z
    out = math_ops.maximum(x - tau, array_ops.zeros_like(x))
    if moved:
        out = array_ops.transpose(out, perm)
    return out


# ------------------------------------------------------------------ get / serialize / deserialize

_ALIASES = {"swish": silu, "hard_swish": hard_silu}


def _all_objects() -> dict:
    objs = {
        name: fn
        for name, fn in globals().items()
        if inspect.isfunction(fn) and getattr(fn, "__module__", None) == __name__
        and not name.startswith("_") and name not in ("get", "serialize", "deserialize")
    }  # fmt: skip
    objs.update(_ALIASES)
    return objs


def serialize(activation):
    """The config form of an activation: its name for built-ins, else a Keras object dict.

    Args:
      activation: An activation function.

    Returns:
      A string (built-ins) or a dict.

    Raises:
      ValueError: if `activation` is not a function Keras can name.
    """
    config = serialize_keras_object(activation)
    if isinstance(config, dict) and isinstance(config.get("config"), str):
        name = config["config"]
        if name in _all_objects() and config.get("registered_name") in (None, "function"):
            return name
        return config
    raise ValueError(
        f"Unknown activation function '{activation}' cannot be serialized due to invalid "
        "function name. Make sure to use an activation name that matches the references "
        "defined in activations.py or use `@keras.saving.register_keras_serializable()`"
        f"to register any custom activations. config={config}"
    )


def deserialize(config, custom_objects=None):
    """Returns the activation function a config names (a string or a Keras object dict).

    Args:
      config: A name or a dict from `serialize`.
      custom_objects: Extra `{name: function}` to resolve names.

    Returns:
      The function (an unknown name is returned unchanged, as Keras does).
    """
    objs = _all_objects()
    if isinstance(config, str):
        found = deserialize_keras_object(
            config, custom_objects=custom_objects, module_objects=objs,
            printable_module_name="activation function",
        ) if config in objs or custom_objects else None  # fmt: skip
        return found if found is not None else config
    return deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=objs,
        printable_module_name="activation function",
    )  # fmt: skip


def get(identifier):
    """Resolves an activation: None gives `linear`, a name or config dict its function.

    Args:
      identifier: None, a string name, a config dict or a callable.

    Returns:
      A callable activation.

    Raises:
      ValueError: if the identifier names no activation.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _all_objects().get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret activation function identifier: {identifier}")
