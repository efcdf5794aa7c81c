"""tf.train.Checkpoint / CheckpointManager: round trips, matching, deferred restore, atomicity."""

import os

import numpy as np
import pytest

import tensorflux as tf


def _module():
    m = tf.Module()
    m.a = tf.Variable([1.0, 2.0])
    m.items = [tf.Variable(3), tf.Variable([[4.0]], dtype=tf.float64)]
    return m


def test_save_and_restore_round_trip(tmp_path):
    m = _module()
    ck = tf.train.Checkpoint(mod=m, v=tf.Variable(5.0))
    path = ck.save(str(tmp_path / "ck"))
    assert path.endswith("ck-1") and int(ck.save_counter.numpy()) == 1
    m.a.assign([0.0, 0.0])
    m.items[1].assign([[0.0]])
    status = ck.restore(path)
    status.assert_consumed()
    assert m.a.numpy().tolist() == [1.0, 2.0] and m.items[1].numpy()[0, 0] == 4.0
    keys = [k for k, _ in tf.train.list_variables(path)]
    assert "mod/items/1/.ATTRIBUTES/VARIABLE_VALUE" in keys
    assert tf.train.load_variable(path, "mod/a/.ATTRIBUTES/VARIABLE_VALUE").tolist() == [1.0, 2.0]


def test_dtypes_survive_including_bfloat16(tmp_path):
    v = tf.Variable(tf.constant([1.5, -2.0], dtype=tf.bfloat16))
    w = tf.Variable(np.array([True, False]))
    ck = tf.train.Checkpoint(v=v, w=w)
    p = ck.write(str(tmp_path / "x"))
    v.assign(tf.zeros([2], tf.bfloat16))
    w.assign([False, False])
    ck.read(p).assert_consumed()
    assert v.numpy().astype("float32").tolist() == [1.5, -2.0] and w.numpy().tolist() == [True, False]


def test_assert_consumed_reports_both_directions(tmp_path):
    p = tf.train.Checkpoint(v=tf.Variable(1.0)).save(str(tmp_path / "c"))
    status = tf.train.Checkpoint(v=tf.Variable(0.0), extra=tf.Variable(2.0)).restore(p)
    with pytest.raises(AssertionError, match="not bound to checkpointed values"):
        status.assert_consumed()
    status = tf.train.Checkpoint().restore(p)
    with pytest.raises(AssertionError, match="Unresolved object in checkpoint"):
        status.assert_consumed()
    status.expect_partial()


def test_missing_checkpoint_raises_not_found(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching files"):
        tf.train.Checkpoint(v=tf.Variable(1.0)).restore(str(tmp_path / "nope-1"))


def test_manager_keeps_newest_and_writes_state_file(tmp_path):
    v = tf.Variable(0.0)
    ck = tf.train.Checkpoint(v=v)
    mgr = tf.train.CheckpointManager(ck, str(tmp_path), max_to_keep=2)
    for _ in range(4):
        v.assign_add(1.0)
        mgr.save()
    assert [os.path.basename(p) for p in mgr.checkpoints] == ["ckpt-3", "ckpt-4"]
    assert not os.path.exists(str(tmp_path / "ckpt-1.index"))
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("ckpt-4")
    text = open(tmp_path / "checkpoint").read()
    assert 'model_checkpoint_path: "ckpt-4"' in text
    v.assign(0.0)
    assert mgr.restore_or_initialize().endswith("ckpt-4") and v.numpy() == 4.0
    again = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), str(tmp_path), max_to_keep=2)
    assert again.latest_checkpoint.endswith("ckpt-4")


def test_manager_interval_and_init_fn(tmp_path):
    step = tf.Variable(0, dtype=tf.int64)
    called = []
    mgr = tf.train.CheckpointManager(
        tf.train.Checkpoint(step=step), str(tmp_path), max_to_keep=None, step_counter=step,
        checkpoint_interval=10, init_fn=lambda: called.append(1),
    )
    assert mgr.restore_or_initialize() is None and called == [1]
    assert mgr.save() is not None
    step.assign(5)
    assert mgr.save() is None
    step.assign(10)
    assert mgr.save() is not None


def test_deferred_restore_fills_weights_created_later(tmp_path):
    from tensorflux._src.keras.layers.layer import Layer

    class Scale(Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="zeros", name="w")

        def call(self, x):
            return x * self.w

    src = Scale()
    src(np.ones((1, 3), "float32"))
    src.w.assign([1.0, 2.0, 3.0])
    p = tf.train.Checkpoint(layer=src).save(str(tmp_path / "c"))
    dst = Scale()
    status = tf.train.Checkpoint(layer=dst).restore(p)  # dst has no weights yet
    out = dst(np.ones((1, 3), "float32"))
    assert out.numpy().tolist() == [[1.0, 2.0, 3.0]]
    status.assert_consumed()


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    from tensorflux._src.training import checkpoint as ckmod

    v = tf.Variable(1.0)
    ck = tf.train.Checkpoint(v=v)
    p = ck.write(str(tmp_path / "x"))
    before = open(p + ".index").read()

    def boom(arrays):
        raise OSError("disk full")

    monkeypatch.setattr("safetensors.numpy.save", boom)
    v.assign(2.0)
    with pytest.raises(OSError):
        ck.write(p)
    assert open(p + ".index").read() == before
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".tmp-")]
    assert ckmod.CheckpointReader(p).get_tensor("v/.ATTRIBUTES/VARIABLE_VALUE") == 1.0
