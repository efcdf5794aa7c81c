"""Public `tf.autograph.experimental` namespace."""

from tensorflux._src.autograph.api import do_not_convert as do_not_convert
