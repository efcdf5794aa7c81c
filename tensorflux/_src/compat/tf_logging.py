"""`tf.get_logger()` and `tf.compat.v1.logging`: TensorFlow's logger, which tensorflux uses too.

TensorFlow programs quiet the library with `tf.get_logger().setLevel("ERROR")`,
`logging.getLogger("tensorflow").setLevel(...)` or `tf.compat.v1.logging.set_verbosity(...)`. So
that these reach tensorflux's own messages (logged under "tensorflux"), the "tensorflux" logger
hangs below the "tensorflow" one: a level set there applies to both, and records propagate
through it.
"""

from __future__ import annotations

import logging
import sys

DEBUG = logging.DEBUG
INFO = logging.INFO
WARN = logging.WARN
ERROR = logging.ERROR
FATAL = logging.FATAL

_logger = logging.getLogger("tensorflow")
logging.getLogger("tensorflux").parent = _logger

_counts: dict = {}


def get_logger() -> logging.Logger:
    """The "tensorflow" logger (tensorflux's own logger sits below it)."""
    return _logger


def set_verbosity(v) -> None:
    """Sets the threshold below which messages are dropped (DEBUG, INFO, WARN, ERROR, FATAL)."""
    _logger.setLevel(v)


def get_verbosity() -> int:
    return _logger.getEffectiveLevel()


def log(level, msg, *args, **kwargs) -> None:
    _logger.log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs) -> None:
    _logger.debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs) -> None:
    _logger.info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs) -> None:
    _logger.warning(msg, *args, **kwargs)


warn = warning


def error(msg, *args, **kwargs) -> None:
    _logger.error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs) -> None:
    """Logs at FATAL (CRITICAL) level; like TensorFlow's, it does not stop the program."""
    _logger.critical(msg, *args, **kwargs)


def vlog(level, msg, *args, **kwargs) -> None:
    _logger.log(level, msg, *args, **kwargs)


def log_if(level, msg, condition, *args) -> None:
    """Logs only when `condition` holds."""
    if condition:
        _logger.log(level, msg, *args)


def _call_site_count() -> int:
    f = sys._getframe(2)
    key = (f.f_code.co_filename, f.f_lineno)
    n = _counts.get(key, 0)
    _counts[key] = n + 1
    return n


def log_every_n(level, msg, n, *args) -> None:
    """Logs on the 1st, (n+1)-th, (2n+1)-th... call from the same line."""
    if _call_site_count() % max(int(n), 1) == 0:
        _logger.log(level, msg, *args)


def log_first_n(level, msg, n, *args) -> None:
    """Logs the first `n` calls from the same line only."""
    if _call_site_count() < n:
        _logger.log(level, msg, *args)


def flush() -> None:
    for h in _logger.handlers:
        h.flush()
