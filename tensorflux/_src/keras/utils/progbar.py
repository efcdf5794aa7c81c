"""`keras.utils.Progbar`: the progress bar `fit`/`evaluate`/`predict` print."""

from __future__ import annotations

import math
import os
import sys
import time

import numpy as np

from tensorflux._src.keras.utils import io_utils

_BAR = "━"


class Progbar:
    """A text progress bar with running metric values.

    Args:
      target: the total number of steps, or None when unknown.
      width: the bar's width in characters.
      verbose: 0 (silent), 1 (a live bar) or 2 (one line when finished).
      interval: the least time in seconds between two redraws.
      stateful_metrics: names whose values are shown as given (the others are averaged over the
        steps). Give this or `stateless_metrics`, not both.
      stateless_metrics: names whose values are averaged (the others are shown as given).
      unit_name: what a step is called in the timing ("step", "sample").

    Raises:
      ValueError: if both `stateful_metrics` and `stateless_metrics` are given.
    """

    def __init__(
        self,
        target,
        width=20,
        verbose=1,
        interval=0.05,
        stateful_metrics=None,
        stateless_metrics=None,
        unit_name="step",
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Only one of `stateful_metrics` or `stateless_metrics` can be provided. "
                "`stateful_metrics` is used to make metrics stateless by default (with an "
                "exclusion list), while `stateless_metrics` is used to make metrics stateful by "
                "default (with an exclusion list)."
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        if stateless_metrics is not None:
            self.stateful_metrics = None
            self.stateless_metrics = set(stateless_metrics)
        else:
            self.stateful_metrics = set(stateful_metrics or ())
            self.stateless_metrics = None
        out = sys.stdout
        self._dynamic_display = (
            (hasattr(out, "isatty") and out.isatty())
            or "ipykernel" in sys.modules
            or "posix" in sys.modules
            or "PYCHARM_HOSTED" in os.environ
        )
        self._seen_so_far = 0
        self._values = {}
        self._values_order = []
        self._start = time.time()
        self._last_update = 0
        self._time_at_epoch_start = self._start
        self._time_after_first_step = None
        self._prev_total_width = 0

    def _averaged(self, name) -> bool:
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def update(self, current, values=None, finalize=None):
        """Moves the bar to step `current`.

        Args:
          current: the index of the current step (1-based count of steps done).
          values: a list of `(name, value)` pairs for the last step.
          finalize: whether this is the last update; default: `current >= target`.
        """
        if finalize is None:
            finalize = False if self.target is None else current >= self.target
        for name, value in values or ():
            if name not in self._values_order:
                self._values_order.append(name)
            if self._averaged(name):
                if finalize:
                    self._values[name] = [value, 1]
                else:
                    weight = max(current - self._seen_so_far, 1)
                    if name in self._values:
                        self._values[name][0] += value * weight
                        self._values[name][1] += weight
                    else:
                        self._values[name] = [value * weight, weight]
            else:
                self._values[name] = [value, 1]
        self._seen_so_far = current
        now = time.time()
        per_unit = self._step_time(current, now)
        if self.verbose == 1:
            if not finalize and now - self._last_update < self.interval:
                return
            self._draw(current, now, per_unit, finalize)
        elif self.verbose == 2 and finalize and self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            line = f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s -"
            line += _fmt_time(per_unit, self.unit_name)
            for name in self._values_order:
                total, count = self._values[name]
                avg = _as_float(total) / max(1, count)
                line += f" - {name}: {avg:.4f}" if avg > 1e-3 else f" - {name}: {avg:.4e}"
            io_utils.print_msg(line + "\n", line_break=False)
        self._last_update = now

    def _draw(self, current, now, per_unit, finalize) -> None:
        msg = ("\b" * self._prev_total_width + "\r") if self._dynamic_display else "\n"
        hidden = 0  # escape-code characters, not counted in the visible width
        target = self.target
        if target is not None and target > 0:
            digits = int(math.log10(target)) + 1
            bar = f"\x1b[1m{current:{digits}d}/{target}\x1b[0m "
            hidden += 8
            done = int(self.width * (float(current) / target))
            if done > 0:
                bar += f"\x1b[32m{_BAR * done}\x1b[0m"
                hidden += 9
            bar += f"\x1b[37m{_BAR * (self.width - done)}\x1b[0m"
            hidden += 9
        else:
            bar = "%7d/Unknown" % current
        if target is not None and target > 0 and not finalize:
            eta = per_unit * (target - current)
            if eta > 3600:
                eta_s = "%d:%02d:%02d" % (eta // 3600, (eta % 3600) // 60, eta % 60)
            elif eta > 60:
                eta_s = "%d:%02d" % (eta // 60, eta % 60)
            else:
                eta_s = "%ds" % eta
            info = f" \x1b[1m{eta_s}\x1b[0m"
        else:
            info = f" \x1b[1m{now - self._start:.0f}s\x1b[0m"
        hidden += 8
        info += _fmt_time(per_unit, self.unit_name)
        for name in self._values_order:
            entry = self._values[name]
            if isinstance(entry, list):
                avg = _as_float(entry[0]) / max(1, entry[1])
                info += f" - {name}: {avg:.4f}" if abs(avg) > 1e-3 else f" - {name}: {avg:.4e}"
            else:
                info += f" - {name}: {entry}"
        width = len(bar) + len(info) - hidden
        msg += bar + info
        if self._prev_total_width > width:
            msg += " " * (self._prev_total_width - width)
        if finalize:
            msg += "\n"
        io_utils.print_msg(msg, line_break=False)
        self._prev_total_width = width

    def add(self, n, values=None):
        """Advances the bar by `n` steps (see `update`)."""
        self.update(self._seen_so_far + n, values)

    def _step_time(self, current, now) -> float:
        # The first step (tracing, warm-up) is left out of the estimate once there are more.
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit


def _as_float(v):
    if isinstance(v, float):
        return v
    return np.mean(v)


def _fmt_time(per_unit, unit_name) -> str:
    if per_unit >= 1 or per_unit == 0:
        return f" {per_unit:.0f}s/{unit_name}"
    if per_unit >= 1e-3:
        return f" {per_unit * 1000.0:.0f}ms/{unit_name}"
    return f" {per_unit * 1000000.0:.0f}us/{unit_name}"
