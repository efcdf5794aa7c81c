"""Feature columns (`tf.feature_column`) and the `DenseFeatures` layer that evaluates them."""
