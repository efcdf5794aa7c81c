"""`tf.keras.preprocessing.sequence`: padding of integer sequences."""

from tensorflux._src.keras.utils.sequence_utils import pad_sequences as pad_sequences
