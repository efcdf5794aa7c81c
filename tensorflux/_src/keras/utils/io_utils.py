"""Where Keras's messages go: stdout (interactive logging, the default) or the `logging` module."""

from __future__ import annotations

import logging
import sys

_INTERACTIVE = [True]


def enable_interactive_logging() -> None:
    """Sends Keras's progress bars and messages to stdout (the default)."""
    _INTERACTIVE[0] = True


def disable_interactive_logging() -> None:
    """Sends Keras's progress bars and messages to the `logging` module instead of stdout."""
    _INTERACTIVE[0] = False


def is_interactive_logging_enabled() -> bool:
    """Whether Keras writes its messages to stdout."""
    return _INTERACTIVE[0]


def print_msg(message, line_break=True) -> None:
    """Writes `message` to stdout (or logs it when interactive logging is off).

    Args:
      message: the text.
      line_break: whether to end it with a newline.
    """
    message = str(message)
    if not _INTERACTIVE[0]:
        logging.getLogger("keras").info(message)
        return
    if line_break:
        message += "\n"
    out = sys.stdout
    try:
        out.write(message)
    except UnicodeEncodeError:
        enc = getattr(out, "encoding", None) or "utf-8"
        out.write(message.replace("━", "=").encode(enc, errors="ignore").decode(enc))
    out.flush()
