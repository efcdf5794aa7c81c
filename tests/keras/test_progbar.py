"""`keras.utils.Progbar` output, byte for byte against strings captured from Keras 3.

The clock is replaced so that timings are deterministic; the expected strings below were printed
by TensorFlow 2.21's Keras under the same clock and the same updates.
"""

import contextlib
import io
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from tensorflux._src.keras.utils import progbar as progbar_module
from tensorflux.keras.utils import Progbar

BS = "\x08"
B, G, W, R = "\x1b[1m", "\x1b[32m", "\x1b[37m", "\x1b[0m"
BAR = "━"


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def time(self):
        return self.now


def _capture(monkeypatch, fn):
    clock = _Clock()
    monkeypatch.setattr(progbar_module, "time", clock)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn(clock)
    return buf.getvalue()


def test_verbose_1_bar_matches_keras(monkeypatch):
    def run(clock):
        p = Progbar(3)
        for i in range(1, 4):
            clock.now += 0.5
            p.update(i, [("loss", 1.0 / i), ("accuracy", 0.5)])

    got = _capture(monkeypatch, run)
    back = BS * 72
    want = (
        f"\r{B}1/3{R} {G}{BAR * 6}{R}{W}{BAR * 14}{R} {B}1s{R} 500ms/step - loss: 1.0000 - "
        f"accuracy: 0.5000{back}"
        f"\r{B}2/3{R} {G}{BAR * 13}{R}{W}{BAR * 7}{R} {B}0s{R} 500ms/step - loss: 0.7500 - "
        f"accuracy: 0.5000{back}"
        f"\r{B}3/3{R} {G}{BAR * 20}{R}{W}{R} {B}2s{R} 500ms/step - loss: 0.3333 - "
        "accuracy: 0.5000\n"
    )
    assert got == want


def test_verbose_2_single_line(monkeypatch):
    def run(clock):
        p = Progbar(1875, verbose=2)
        for i in range(1, 1876):
            clock.now += 0.0011
            p.update(i, [("accuracy", 0.8213), ("loss", 0.5113)])

    assert _capture(monkeypatch, run) == (
        "1875/1875 - 2s - 1ms/step - accuracy: 0.8213 - loss: 0.5113\n"
    )


def test_unknown_target_and_stateful_metrics(monkeypatch):
    def run(clock):
        p = Progbar(None, stateful_metrics=["m"])
        for i in range(1, 4):
            clock.now += 30
            p.update(i, [("m", 0.00001 * i)])
        p.update(3, finalize=True)

    back = BS * 44
    want = "".join(
        f"\r      {i}/Unknown {B}{30 * i}s{R} 30s/step - m: {i}.0000e-05{back}" for i in (1, 2, 3)
    ) + f"\r      3/Unknown {B}90s{R} 30s/step - m: 3.0000e-05\n"
    assert _capture(monkeypatch, run) == want


def test_averaging_and_throttling(monkeypatch):
    def run(clock):
        p = Progbar(4, interval=10)
        clock.now += 1
        p.add(2, [("x", 3)])  # drawn: first draw is never throttled
        clock.now += 1
        p.update(3, [("x", 5)])  # throttled (within `interval`)
        clock.now += 1
        p.update(4, [("x", 7)])  # final: drawn, value as given at the end

    out = _capture(monkeypatch, run)
    assert out.count("\r") == 2
    assert "x: 3.0000" in out and out.endswith(" - x: 7.0000\n")

    def averaged(clock):
        p = Progbar(10)
        p.update(2, [("x", 1.0)])
        clock.now += 1
        p.update(4, [("x", 4.0)])  # mean over steps: (1*2 + 4*2) / 4

    assert _capture(monkeypatch, averaged).endswith("x: 2.5000")


def test_fit_progress_output_format(capsys):
    from tests.keras.test_trainer import _data, _model

    x, y = _data(32)
    m = _model()
    m.fit(x, y, batch_size=8, epochs=2, verbose=2)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Epoch 1/2" and out[2] == "Epoch 2/2"
    assert re.fullmatch(r"4/4 - \d+s - \d+(ms|us|s)/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}",
                        out[3])
    m.fit(x, y, batch_size=8, epochs=1, verbose=1)
    out = capsys.readouterr().out
    assert out.startswith("\r\x1b[1m1/4\x1b[0m ")
    assert re.search(r"\r\x1b\[1m4/4\x1b\[0m \x1b\[32m━{20}\x1b\[0m\x1b\[37m\x1b\[0m "
                     r"\x1b\[1m\d+s\x1b\[0m \d+(ms|us|s)/step - accuracy: \d\.\d{4} - "
                     r"loss: \d\.\d{4} *\n$", out)
    m.evaluate(x, y, verbose=2)
    assert re.fullmatch(r"1/1 - \d+s - \d+(ms|us|s)/step - accuracy: \d\.\d{4} - loss: "
                        r"\d\.\d{4}\n", capsys.readouterr().out)
    m.predict(x, verbose=0)
    assert capsys.readouterr().out == ""
    assert np.isfinite(m.evaluate(x, y, verbose=0)[0])


_TF_PYTHON = os.environ.get("TF_PYTHON", "/work/tfenv/bin/python")


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(_TF_PYTHON), reason="no TensorFlow interpreter")
def test_fit_output_matches_tensorflow_byte_for_byte():
    script = os.path.join(os.path.dirname(__file__), "fit_output_script.py")
    root = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=root, OPENBLAS_NUM_THREADS="1")
    ref = subprocess.run([_TF_PYTHON, script, "tf"], capture_output=True, env=env, check=True)
    got = subprocess.run([sys.executable, script, "tfx"], capture_output=True, env=env,
                         check=True)
    assert got.stdout == ref.stdout
