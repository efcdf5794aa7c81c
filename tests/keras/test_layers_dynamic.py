"""Layers traced by tf.function with unknown (None) dimensions give the eager results' shapes."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers

CASES = [
    (lambda: layers.Conv2DTranspose(2, 3, strides=2, padding="same"), (None, None, None, 3),
     (2, 4, 5, 3)),
    (lambda: layers.Conv1DTranspose(2, 3, strides=2), (None, None, 3), (2, 4, 3)),
    (lambda: layers.Conv1D(2, 3, padding="causal"), (None, None, 3), (2, 5, 3)),
    (lambda: layers.Flatten(), (None, None, 3), (2, 4, 3)),
    (lambda: layers.Reshape((-1, 2)), (None, None), (2, 6)),
    (lambda: layers.GroupNormalization(groups=2), (None, None, 4), (2, 3, 4)),
    (lambda: layers.Dropout(0.5, noise_shape=(None, 1, None)), (None, None, 4), (2, 3, 4)),
    (lambda: layers.SpatialDropout1D(0.5), (None, None, 4), (2, 3, 4)),
    (lambda: layers.SpatialDropout2D(0.5, data_format="channels_first"),
     (None, None, None, None), (2, 3, 3, 4)),
    (lambda: layers.GaussianNoise(0.1), (None, None), (2, 3)),
    (lambda: layers.Cropping1D(1), (None, None, 2), (2, 5, 2)),
    (lambda: layers.UpSampling2D(), (None, None, None, 2), (2, 3, 3, 2)),
    (lambda: layers.Dense(3), (None, None, 4), (2, 5, 4)),
    (lambda: layers.BatchNormalization(), (None, None, None, 4), (2, 3, 3, 4)),
    (lambda: layers.Masking(), (None, None, 4), (2, 3, 4)),
]  # fmt: skip


@pytest.mark.parametrize("make,sig,shape", CASES)
def test_unknown_dims_in_tf_function(make, sig, shape):
    layer = make()
    fn = tf.function(
        lambda x: layer(x, training=True), input_signature=[tf.TensorSpec(sig, tf.float32)]
    )
    x = np.random.RandomState(0).rand(*shape).astype("float32")
    y = fn(x)
    assert tuple(y.shape.as_list()) == tuple(layer(x, training=True).shape.as_list())
