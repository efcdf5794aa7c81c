"""`tf.autograph.to_graph` and `tf.autograph.experimental.do_not_convert`."""

from __future__ import annotations

import functools

from tensorflux._src.autograph import conversion


def to_graph(entity, recursive=True, experimental_optional_features=None):
    """Converts a Python function's tensor-dependent control flow into graph constructs.

    `if`, `while` and `for` statements whose condition or iterable is a tensor become `tf.cond`
    and `tf.while_loop`; Python-valued ones keep running as Python.

    Args:
      entity: the Python function (or method) to convert.
      recursive: accepted; functions called by `entity` are not converted.
      experimental_optional_features: accepted and ignored.

    Returns:
      The converted function, callable like `entity`.

    Raises:
      ValueError: `entity` is not a function or its source cannot be converted.
    """
    del recursive, experimental_optional_features
    if not callable(entity):
        raise ValueError(f"Expected a callable; got {entity!r}")
    try:
        return conversion._convert_function(getattr(entity, "__func__", entity)) if not hasattr(
            entity, "__self__") else conversion.convert(entity, warn=False)
    except conversion.ConversionError as e:
        raise ValueError(f"converting {entity!r}: {e}") from None


def do_not_convert(func=None):
    """Marks a function so that AutoGraph runs it as written.

    Args:
      func: the function; when omitted, returns a decorator.

    Returns:
      A wrapper of `func` that AutoGraph leaves unconverted.
    """
    if func is None:
        return do_not_convert

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    wrapper.__ag_do_not_convert__ = True
    return wrapper
