"""tf.io: files, TFRecord, Example protos and their parsing."""
