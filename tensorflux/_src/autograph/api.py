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


def to_code(entity, recursive=True, experimental_optional_features=None) -> str:
    """The Python source AutoGraph generates for `entity` (what `to_graph` would run).

    Args:
      entity: a Python function or method.
      recursive: accepted; called functions are converted when they run.
      experimental_optional_features: accepted and ignored.

    Returns:
      The converted function's source code as a string.

    Raises:
      ValueError: if `entity` cannot be converted.
    """
    del recursive, experimental_optional_features
    converted = to_graph(entity)
    fn = getattr(converted, "__func__", converted)
    return getattr(fn, "__ag_source__", "")


_VERBOSITY = [0]


def set_verbosity(level, alsologtostdout=False) -> None:
    """Sets how much AutoGraph logs (0: nothing; higher: each conversion, with the new code).

    Args:
      level: an int; the `AUTOGRAPH_VERBOSITY` environment variable overrides it.
      alsologtostdout: also print the log lines to stdout.
    """
    import logging
    import os

    env = os.environ.get("AUTOGRAPH_VERBOSITY")
    _VERBOSITY[0] = int(env) if env is not None else int(level)
    conversion.set_verbosity(_VERBOSITY[0], alsologtostdout)
    # Only AutoGraph's own logger: the package's level stays whatever the user set (through
    # tf.get_logger() / the "tensorflow" logger, which "tensorflux" follows).
    logging.getLogger("tensorflux.autograph").setLevel(
        logging.INFO if _VERBOSITY[0] else logging.NOTSET
    )


def get_verbosity() -> int:
    return _VERBOSITY[0]


def trace(*args) -> None:
    """Prints `args` when the code runs in Python (at trace time inside tf.function)."""
    print(*args)


class Feature:
    """Optional AutoGraph features (accepted for compatibility; none change conversion)."""

    ALL = "ALL"
    ASSERT_STATEMENTS = "ASSERT_STATEMENTS"
    AUTO_CONTROL_DEPS = "AUTO_CONTROL_DEPS"
    BUILTIN_FUNCTIONS = "BUILTIN_FUNCTIONS"
    EQUALITY_OPERATORS = "EQUALITY_OPERATORS"
    LISTS = "LISTS"
    NAME_SCOPES = "NAME_SCOPES"


def set_loop_options(
    parallel_iterations=None,
    swap_memory=None,
    maximum_iterations=None,
    shape_invariants=None,
) -> None:
    """Loop options for the enclosing converted loop; accepted, with no effect outside graphs.

    `maximum_iterations` and `shape_invariants` are not applied yet (the loop runs until its
    condition is false and shapes are relaxed automatically).
    """
    del parallel_iterations, swap_memory, maximum_iterations, shape_invariants
