"""A small offline demonstration: fit a 2-layer network by gradient descent with GradientTape."""

import numpy as np

import tensorflux as tf

rng = np.random.default_rng(0)
x = rng.uniform(-1, 1, size=(256, 2)).astype(np.float32)
y = (np.sin(3 * x[:, :1]) * np.cos(2 * x[:, 1:])).astype(np.float32)
x, y = tf.constant(x), tf.constant(y)

w1 = tf.Variable(rng.normal(0, 0.5, size=(2, 32)).astype(np.float32), name="w1")
b1 = tf.Variable(tf.zeros([32]), name="b1")
w2 = tf.Variable(rng.normal(0, 0.5, size=(32, 1)).astype(np.float32), name="w2")
b2 = tf.Variable(tf.zeros([1]), name="b2")
params = [w1, b1, w2, b2]

learning_rate = 0.2
for step in range(301):
    with tf.GradientTape() as tape:
        hidden = tf.tanh(tf.matmul(x, w1) + b1)
        pred = tf.matmul(hidden, w2) + b2
        loss = tf.reduce_mean(tf.square(pred - y))
    grads = tape.gradient(loss, params)
    for p, g in zip(params, grads):
        p.assign_sub(learning_rate * g)
    if step % 50 == 0:
        print(f"step {step:3d}  loss {float(loss):.5f}")
