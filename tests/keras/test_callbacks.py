"""Keras callbacks: hooks order, History, EarlyStopping, checkpoints, LR control, loggers."""

import csv
import json
import os

import numpy as np
import pytest

from tensorflux._src.keras.layers.input_layer import Input
from tensorflux._src.keras.models.sequential import Sequential
from tensorflux.keras import callbacks as cbs
from tests.keras.test_trainer import Dense, _data


def _model(lr=0.01):
    m = Sequential([Input((4,)), Dense(3)])
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    m.optimizer.learning_rate = lr
    return m


class Recorder(cbs.Callback):
    def __init__(self):
        super().__init__()
        self.events = []

    def _rec(name):
        def hook(self, *args, logs=None):
            self.events.append((name,) + args)

        return hook

    on_train_begin = _rec("train_begin")
    on_train_end = _rec("train_end")
    on_epoch_begin = _rec("epoch_begin")
    on_epoch_end = _rec("epoch_end")
    on_train_batch_begin = _rec("batch_begin")
    on_train_batch_end = _rec("batch_end")
    on_test_begin = _rec("test_begin")
    on_test_end = _rec("test_end")
    on_test_batch_end = _rec("test_batch_end")
    on_predict_begin = _rec("predict_begin")
    on_predict_batch_end = _rec("predict_batch_end")
    on_predict_end = _rec("predict_end")


def test_hook_order_in_fit_evaluate_predict():
    x, y = _data(16)
    m = _model()
    r = Recorder()
    m.fit(x, y, batch_size=8, epochs=1, verbose=0, validation_data=(x[:8], y[:8]), callbacks=[r])
    assert r.events == [
        ("train_begin",), ("epoch_begin", 0), ("batch_begin", 0), ("batch_end", 0),
        ("batch_begin", 1), ("batch_end", 1), ("test_begin",), ("test_batch_end", 0),
        ("test_end",), ("epoch_end", 0), ("train_end",),
    ]
    r.events.clear()
    m.predict(x, batch_size=8, verbose=0, callbacks=[r])
    assert r.events == [("predict_begin",), ("predict_batch_end", 0), ("predict_batch_end", 1),
                        ("predict_end",)]
    assert r.model is m and r.params["steps"] == 2


def test_legacy_batch_aliases_and_epoch_logs():
    x, y = _data(16)
    seen = []

    class Old(cbs.Callback):
        def on_batch_end(self, batch, logs=None):
            seen.append(sorted(logs))

    _model().fit(x, y, batch_size=8, verbose=0, callbacks=[Old()])
    assert seen == [["accuracy", "loss"]] * 2


def test_early_stopping_patience_and_restore_best_weights():
    x, y = _data(16)
    m = _model()
    values = iter([1.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0])
    snapshots = {}

    class Fake(cbs.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = next(values)
            snapshots[epoch] = [w.copy() for w in self.model.get_weights()]

    es = cbs.EarlyStopping(patience=2, restore_best_weights=True)
    h = m.fit(x, y, epochs=7, verbose=0, callbacks=[Fake(), es])
    assert h.epoch == [0, 1, 2, 3] and es.stopped_epoch == 3 and es.best == 0.5
    for a, b in zip(m.get_weights(), snapshots[1]):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_modes_baseline_and_start_epoch():
    x, y = _data(16)
    m = _model()
    m.fit(x, y, verbose=0)  # builds the compiled metrics the "auto" mode looks at
    es = cbs.EarlyStopping(monitor="val_accuracy")
    es.set_model(m)
    es._set_monitor_op()
    assert es.monitor_op is np.greater
    es = cbs.EarlyStopping(monitor="val_loss", min_delta=0.1)
    es.set_model(m)
    es._set_monitor_op()
    assert es.monitor_op is np.less and es.min_delta == -0.1
    es = cbs.EarlyStopping(monitor="foo")
    es.set_model(m)
    with pytest.raises(ValueError, match="isn't able to automatically determine"):
        es._set_monitor_op()
    # baseline never beaten by a flat metric: stops after `patience` epochs
    class Flat(cbs.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = 1.0

    es = cbs.EarlyStopping(patience=2, baseline=0.5)
    h = _model().fit(x, y, epochs=10, verbose=0, callbacks=[Flat(), es])
    assert len(h.epoch) == 2
    es = cbs.EarlyStopping(monitor="loss", patience=0, start_from_epoch=3, mode="max")
    h = _model().fit(x, y, epochs=10, verbose=0, callbacks=[es])
    assert len(h.epoch) == 5


def test_reduce_lr_on_plateau_and_scheduler():
    x, y = _data(16)
    m = _model(lr=0.1)
    values = iter([1.0, 1.0, 1.0, 1.0, 1.0])

    class Fake(cbs.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = next(values)

    rl = cbs.ReduceLROnPlateau(factor=0.5, patience=1, min_lr=0.02)
    h = m.fit(x, y, epochs=5, verbose=0, callbacks=[Fake(), rl])
    # the rate is logged before that epoch's reduction, as Keras does
    np.testing.assert_allclose(h.history["learning_rate"], [0.1, 0.1, 0.05, 0.025, 0.02],
                               rtol=1e-6)
    np.testing.assert_allclose(float(np.asarray(m.optimizer.learning_rate)), 0.02, rtol=1e-6)
    with pytest.raises(ValueError, match="does not support a factor >= 1.0"):
        cbs.ReduceLROnPlateau(factor=1.0)
    m = _model(lr=0.1)
    sched = cbs.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr)
    h = m.fit(x, y, epochs=3, verbose=0, callbacks=[sched])
    np.testing.assert_allclose(h.history["learning_rate"], [0.1, 0.05, 0.025], rtol=1e-6)
    bad = cbs.LearningRateScheduler(lambda epoch: "x")
    with pytest.raises(ValueError, match="should be a float"):
        m.fit(x, y, epochs=1, verbose=0, callbacks=[bad])


def test_csv_logger(tmp_path):
    x, y = _data(16)
    path = tmp_path / "log.csv"
    _model().fit(x, y, epochs=2, verbose=0, callbacks=[cbs.CSVLogger(str(path))])
    rows = list(csv.reader(open(path)))
    assert rows[0] == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert [r[0] for r in rows[1:]] == ["0", "1"] and rows[1][3] == "NA"
    _model().fit(x, y, epochs=1, verbose=0, callbacks=[cbs.CSVLogger(str(path), append=True)])
    assert len(list(csv.reader(open(path)))) == 4


def test_terminate_on_nan():
    x, y = _data(16)
    m = _model()

    class Poison(cbs.Callback):
        def on_train_batch_end(self, batch, logs=None):
            logs["loss"] = float("nan")

    h = m.fit(x, y, batch_size=4, epochs=3, verbose=0, callbacks=[Poison(), cbs.TerminateOnNaN()])
    assert h.epoch == [0]
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 0"):
        m.fit(x, y, batch_size=4, verbose=0,
              callbacks=[Poison(), cbs.TerminateOnNaN(raise_error=True)])


def test_model_checkpoint(tmp_path):
    x, y = _data(16)
    m = _model()
    with pytest.raises(ValueError, match=r"must end in `.weights.h5`"):
        cbs.ModelCheckpoint(str(tmp_path / "w.h5"), save_weights_only=True)
    with pytest.raises(ValueError, match=r"must end in `.keras`"):
        cbs.ModelCheckpoint(str(tmp_path / "m.h5"))
    with pytest.raises(ValueError, match="Unrecognized save_freq"):
        cbs.ModelCheckpoint(str(tmp_path / "m.keras"), save_freq="batch")
    saved = []
    m.save_weights = lambda path, overwrite=True: saved.append(os.path.basename(path))
    values = iter([0.5, 0.7, 0.4])

    class Fake(cbs.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = next(values)

    ck = cbs.ModelCheckpoint(str(tmp_path / "w-{epoch:02d}-{val_loss:.2f}.weights.h5"),
                             save_best_only=True, save_weights_only=True)
    m.fit(x, y, epochs=3, verbose=0, callbacks=[Fake(), ck])
    assert saved == ["w-01-0.50.weights.h5", "w-03-0.40.weights.h5"]
    saved.clear()
    ck = cbs.ModelCheckpoint(str(tmp_path / "b{epoch}.weights.h5"), save_weights_only=True,
                             save_freq=3)
    m.fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[ck])
    assert saved == ["b1.weights.h5", "b2.weights.h5"]


def test_model_checkpoint_writes_weights_file(tmp_path):
    pytest.importorskip("h5py")
    x, y = _data(16)
    m = _model()
    path = tmp_path / "sub" / "best.weights.h5"
    m.fit(x, y, verbose=0, callbacks=[cbs.ModelCheckpoint(str(path), monitor="loss",
                                                          save_weights_only=True)])
    assert path.exists()


def test_backup_and_restore_resumes(tmp_path):
    x, y = _data(16)
    m = _model()
    store = {}
    m.save_weights = lambda p, overwrite=True: (store.update({p: m.get_weights()}),
                                                open(p, "w").close())
    m.load_weights = lambda p, **kw: m.set_weights(store[p])

    class Crash(cbs.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 2:
                raise KeyboardInterrupt

    bk = cbs.BackupAndRestore(str(tmp_path / "bk"))
    with pytest.raises(KeyboardInterrupt):
        m.fit(x, y, epochs=4, verbose=0, callbacks=[bk, Crash()])
    meta = json.load(open(tmp_path / "bk" / "training_metadata.json"))
    assert meta["epoch"] == 2
    h = m.fit(x, y, epochs=4, verbose=0, callbacks=[cbs.BackupAndRestore(str(tmp_path / "bk"))])
    assert h.epoch == [2, 3]
    assert not os.path.exists(tmp_path / "bk" / "latest.weights.h5")
    with pytest.raises(ValueError, match="Empty `backup_dir`"):
        cbs.BackupAndRestore("")


def test_remote_monitor_failure_only_warns():
    x, y = _data(8)
    rm = cbs.RemoteMonitor(root="http://127.0.0.1:9")
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor root server"):
        _model().fit(x, y, verbose=0, callbacks=[rm])


def test_lambda_callback_and_callback_list():
    x, y = _data(16)
    got = []
    lam = cbs.LambdaCallback(on_epoch_end=lambda e, logs: got.append((e, sorted(logs))),
                             on_train_end=lambda logs: got.append("end"))
    _model().fit(x, y, epochs=2, verbose=0, callbacks=[lam])
    assert got == [(0, ["accuracy", "loss"]), (1, ["accuracy", "loss"]), "end"]
    cl = cbs.CallbackList([lam], add_history=True, add_progbar=True)
    assert [type(c).__name__ for c in cl.callbacks] == ["LambdaCallback", "History",
                                                        "ProgbarLogger"]
