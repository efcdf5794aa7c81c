"""Prints fit/evaluate/predict progress output under a fake clock; run on tensorflux or on
TensorFlow (`python fit_output_script.py tf|tfx`) by test_progbar.py to compare the bytes."""

import sys

import numpy as np

which = sys.argv[1]
if which == "tf":
    import tensorflow as tf
    from keras.src.utils import progbar as mod
    Dense = tf.keras.layers.Dense
    k = tf.keras
else:
    import tensorflux as tf
    from tensorflux._src.keras.utils import progbar as mod
    from tensorflux._src.keras.layers.core import Dense
    import tensorflux.keras.losses  # noqa: F401
    import tensorflux.keras.optimizers  # noqa: F401
    k = tf.keras


class T:
    t = 1000.0
    @staticmethod
    def time():
        T.t += 0.25
        return T.t


mod.time = T
rng = np.random.default_rng(0)
x = rng.standard_normal((40, 4)).astype("float32")
y = (x[:, 0] > 0).astype("int64")
m = k.Sequential([k.Input((4,)), Dense(3, activation="relu"), Dense(2)])
w = [rng.standard_normal(v.shape).astype("float32") * 0.5 for v in m.get_weights()]
m.set_weights(w)
m.compile(optimizer=k.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
          metrics=["accuracy"])
m.fit(x, y, epochs=2, batch_size=16, shuffle=False, validation_split=0.25)
m.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=2, validation_data=(x, y))
m.evaluate(x, y)
m.evaluate(x, y, verbose=2)
m.predict(x, batch_size=7)
