"""tf.queue: element packing, blocking, closing and errors (expected values from TensorFlow 2.21),
and several producer/consumer threads. Every wait is bounded so that a bug fails, not hangs."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import tensorflux as tf

WAIT = 10.0  # seconds a helper thread may take before the test fails


def _run(fn, *args):
    """Runs fn in a thread; returns (thread, box) where box gets ("ok", value) or ("err", exc)."""
    box = []

    def target():
        try:
            box.append(("ok", fn(*args)))
        except Exception as e:  # noqa: BLE001 - handed to the test
            box.append(("err", e))

    t = threading.Thread(target=target, daemon=True)
    t.start()
    return t, box


def _blocked(t) -> bool:
    t.join(0.2)
    return t.is_alive()


def test_fifo_single_tuple_dict():
    q = tf.queue.FIFOQueue(3, tf.int32)
    assert q.dtypes == [tf.int32] and q.names is None and q.shapes[0].rank is None
    assert q.queue_ref.dtype == tf.resource and q.name == "Empty"
    q.enqueue(1)
    q.enqueue((2,))
    q.enqueue(np.array([3, 4], np.int32))
    assert int(q.size()) == 3
    assert q.dequeue().numpy() == 1 and q.dequeue().numpy() == 2
    np.testing.assert_array_equal(q.dequeue().numpy(), [3, 4])

    q2 = tf.queue.FIFOQueue(3, [tf.int32, tf.float32], shapes=[[], [2]], names=["a", "b"])
    assert q2.shapes == [tf.TensorShape([]), tf.TensorShape([2])]
    q2.enqueue({"a": 1, "b": [1.0, 2.0]})
    out = q2.dequeue()
    assert sorted(out) == ["a", "b"] and out["a"].numpy() == 1
    np.testing.assert_array_equal(out["b"].numpy(), [1.0, 2.0])
    with pytest.raises(ValueError, match="You must enqueue a dictionary in a Queue with names"):
        q2.enqueue((1, [1.0, 2.0]))
    with pytest.raises(ValueError, match="Keys in dictionary to enqueue do not match"):
        q2.enqueue({"a": 1, "c": [1.0, 2.0]})

    q3 = tf.queue.FIFOQueue(3, [tf.int32, tf.string], shapes=[[], []])
    q3.enqueue_many(([1, 2], ["a", "b"]))
    a, b = q3.dequeue_many(2)
    np.testing.assert_array_equal(a.numpy(), [1, 2])
    assert b.numpy().tolist() == [b"a", b"b"]


def test_shapes_arguments():
    assert tf.queue.FIFOQueue(3, tf.int32, shapes=[2]).shapes == [tf.TensorShape([2])]
    assert tf.queue.FIFOQueue(3, tf.int32, shapes=[]).shapes == [tf.TensorShape([])]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Different number of component"):
        tf.queue.FIFOQueue(3, [tf.int32, tf.int32], shapes=[[2]])
    with pytest.raises(ValueError, match="List of names must have the same length"):
        tf.queue.FIFOQueue(3, [tf.int32, tf.int32], names=["a"])
    with pytest.raises(ValueError, match="When providing partial shapes"):
        tf.queue.PaddingFIFOQueue(3, tf.int32, shapes=[None])
    with pytest.raises(tf.errors.InvalidArgumentError, match="min_after_dequeue 11 must be <"):
        tf.queue.RandomShuffleQueue(10, 11, tf.int32)


def test_static_checks():
    q = tf.queue.FIFOQueue(3, tf.int32, shapes=[[2]])
    with pytest.raises(ValueError, match=r"Shapes \(\) and \(2,\) are incompatible"):
        q.enqueue([1, 2, 3])  # a list is a list of components, as in TensorFlow
    with pytest.raises(ValueError, match="must have rank at least 1"):
        tf.queue.FIFOQueue(3, tf.int32, shapes=[[]]).enqueue_many(5)
    with pytest.raises(ValueError, match="component_0: .*int32.*int64"):
        q.enqueue(tf.constant([5, 6], tf.int64))


def test_dequeue_many_needs_shapes():
    q = tf.queue.FIFOQueue(5, tf.int32)
    q.enqueue(tf.constant([5, 6]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="require the components to have"):
        q.dequeue_up_to(1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="requested -1 < 0 elements"):
        tf.queue.FIFOQueue(2, tf.int32, shapes=[]).dequeue_many(-1)


def test_close_semantics():
    q = tf.queue.FIFOQueue(3, tf.int32, shapes=[])
    q.enqueue(5)
    q.close()
    assert bool(q.is_closed())
    with pytest.raises(tf.errors.CancelledError, match="is closed."):
        q.enqueue(1)
    with pytest.raises(tf.errors.OutOfRangeError, match=r"requested 2, current size 1\)"):
        q.dequeue_many(2)
    np.testing.assert_array_equal(q.dequeue_up_to(2).numpy(), [5])  # the element was kept
    with pytest.raises(tf.errors.OutOfRangeError, match="is closed and has insufficient"):
        q.dequeue_up_to(2)
    with pytest.raises(tf.errors.OutOfRangeError):
        q.dequeue()
    assert q.dequeue_many(0).shape == (0,)


def test_blocking_dequeue_woken_by_enqueue_and_close():
    q = tf.queue.FIFOQueue(3, tf.int32, shapes=[])
    t, box = _run(q.dequeue_many, 2)
    assert _blocked(t)
    q.enqueue(1)
    assert _blocked(t)
    q.enqueue(2)
    t.join(WAIT)
    np.testing.assert_array_equal(box[0][1].numpy(), [1, 2])
    t, box = _run(q.dequeue_up_to, 3)
    q.enqueue(4)
    assert _blocked(t)
    q.close()
    t.join(WAIT)
    np.testing.assert_array_equal(box[0][1].numpy(), [4])


def test_pending_enqueue_after_close_and_cancel():
    q = tf.queue.FIFOQueue(1, tf.int32, shapes=[])
    q.enqueue(1)
    t, box = _run(q.enqueue, 2)
    assert _blocked(t)
    q.close()  # without cancelling, the pending enqueue still completes once there is room
    assert q.dequeue().numpy() == 1
    t.join(WAIT)
    assert box == [("ok", None)]
    assert q.dequeue().numpy() == 2

    q = tf.queue.FIFOQueue(1, tf.int32, shapes=[])
    q.enqueue(1)
    t, box = _run(q.enqueue_many, [[3, 4]])
    assert _blocked(t)
    q.close(cancel_pending_enqueues=True)
    t.join(WAIT)
    assert isinstance(box[0][1], tf.errors.CancelledError)
    assert "Enqueue operation was cancelled" in str(box[0][1])
    assert int(q.size()) == 1


def test_padding_fifo():
    p = tf.queue.PaddingFIFOQueue(5, [tf.int32, tf.string], shapes=[[None], [None, 2]])
    assert p.shapes == [tf.TensorShape([None]), tf.TensorShape([None, 2])]
    p.enqueue(([1, 2], [["a", "b"]]))
    p.enqueue(([1, 2, 3], [["a", "b"], ["c", "d"]]))
    a, s = p.dequeue_many(2)
    np.testing.assert_array_equal(a.numpy(), [[1, 2, 0], [1, 2, 3]])
    assert s.numpy().tolist() == [[[b"a", b"b"], [b"", b""]], [[b"a", b"b"], [b"c", b"d"]]]
    with pytest.raises(ValueError, match=r"Shapes \(1, 3\) and \(None, 2\) are incompatible"):
        p.enqueue(([1], [["a", "b", "c"]]))
    f = tf.queue.PaddingFIFOQueue(5, tf.float32, shapes=[[None, None]])
    f.enqueue_many(([[[1.0, 2.0]], [[3.0, 4.0]]],))
    f.enqueue(([[1.0]],))
    f.close()  # dequeue_up_to waits for 4 elements until the queue is closed
    np.testing.assert_array_equal(
        f.dequeue_up_to(4).numpy(), [[[1.0, 2.0]], [[3.0, 4.0]], [[1.0, 0.0]]]
    )
    assert tf.queue.PaddingFIFOQueue(5, tf.int32, shapes=[[None]]).dequeue_up_to(0).shape == (0, 0)


def test_random_shuffle_min_after_dequeue():
    r = tf.queue.RandomShuffleQueue(10, 2, tf.int32, shapes=[], seed=3)
    r.enqueue_many([list(range(8))])
    first = r.dequeue_many(5).numpy().tolist()
    t, box = _run(r.dequeue)  # 3 left, min_after_dequeue 2: one more may go
    t.join(WAIT)
    t, box = _run(r.dequeue)
    assert _blocked(t)  # would leave fewer than min_after_dequeue
    r.close()
    t.join(WAIT)
    rest = r.dequeue_up_to(5).numpy().tolist()
    got = first + [int(box[0][1])] + rest
    assert int(r.size()) == 0 and len(got) == 7 and len(set(got)) == 7


def test_priority_queue():
    pq = tf.queue.PriorityQueue(10, [tf.string], shapes=[[]])
    assert pq.dtypes == [tf.int64, tf.string] and pq.shapes == [tf.TensorShape([])] * 2
    for p, v in [(5, "five"), (1, "one"), (3, "three")]:
        pq.enqueue((tf.constant(p, tf.int64), v))
    prio, val = pq.dequeue()
    assert prio.numpy() == 1 and val.numpy() == b"one"
    prio, val = pq.dequeue_many(2)
    assert prio.numpy().tolist() == [3, 5] and val.numpy().tolist() == [b"three", b"five"]
    with pytest.raises(ValueError, match="requested dtype int64 for Tensor with dtype int32"):
        pq.enqueue((tf.constant(2, tf.int32), "x"))


def test_inside_tf_function():
    q = tf.queue.FIFOQueue(10, tf.int32, shapes=[])

    @tf.function
    def step(x):
        q.enqueue_many(x)
        q.close()
        return q.dequeue_many(2), q.dequeue_up_to(5), q.is_closed(), q.size()

    a, b, closed, size = step(tf.constant([1, 2, 3]))
    assert a.numpy().tolist() == [1, 2] and b.numpy().tolist() == [3]
    assert bool(closed) and int(size) == 0


@pytest.mark.parametrize("kind", ["fifo", "shuffle", "padding"])
def test_many_producers_and_consumers(kind):
    if kind == "fifo":
        q = tf.queue.FIFOQueue(7, tf.int32, shapes=[])
    elif kind == "shuffle":
        q = tf.queue.RandomShuffleQueue(7, 3, tf.int32, shapes=[], seed=1)
    else:
        q = tf.queue.PaddingFIFOQueue(7, tf.int32, shapes=[[None]])
    n_prod, per = 4, 60
    got, lock = [], threading.Lock()

    def produce(k):
        for i in range(0, per, 3):
            vals = [k * 1000 + i + j for j in range(3)]
            if kind == "padding":
                q.enqueue_many(([[v] for v in vals],))
            elif i % 2:
                q.enqueue_many((vals,))
            else:
                for v in vals:
                    q.enqueue(v)

    def consume(mode):
        while True:
            try:
                out = q.dequeue_up_to(4) if mode else q.dequeue()
            except tf.errors.OutOfRangeError:
                return
            vals = out.numpy().reshape(-1).tolist()
            with lock:
                got.extend(vals)

    prods = [threading.Thread(target=produce, args=(k,), daemon=True) for k in range(n_prod)]
    cons = [threading.Thread(target=consume, args=(m % 2,), daemon=True) for m in range(3)]
    for t in prods + cons:
        t.start()
    for t in prods:
        t.join(WAIT)
        assert not t.is_alive()
    q.close()
    for t in cons:
        t.join(WAIT)
        assert not t.is_alive()
    want = sorted(k * 1000 + i for k in range(n_prod) for i in range(per))
    assert sorted(got) == want  # nothing lost, nothing duplicated


def test_component_count_mismatch():
    q = tf.queue.FIFOQueue(3, [tf.int32, tf.string], shapes=[[], []])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Signature mismatch, have: resource, "
                       "int32-> expected: resource, int32, string->"):  # fmt: skip
        q.enqueue((1,))
    q.enqueue((1, "a", "ignored"))  # extra components are dropped, as TensorFlow's zip does
    a, b = q.dequeue()
    assert a.numpy() == 1 and b.numpy() == b"a"


def test_dequeue_many_larger_than_capacity():
    q = tf.queue.FIFOQueue(2, tf.int32, shapes=[])
    tp, _ = _run(q.enqueue_many, (list(range(5)),))
    tc, box = _run(q.dequeue_many, 5)
    tp.join(WAIT)
    tc.join(WAIT)
    assert box[0][0] == "ok" and box[0][1].numpy().tolist() == [0, 1, 2, 3, 4]
