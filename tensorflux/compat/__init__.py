"""`tf.compat`: text/bytes helpers, compatibility dates, and the `v1`/`v2` API namespaces.

`tf.compat.v2` is tensorflux itself; `tf.compat.v1` holds the TensorFlow 1 pieces tensorflux
supports (graphs run by a `Session`, placeholders, variable initializers, `graph_util`).
"""

from tensorflux._src.compat.text import as_bytes as as_bytes
from tensorflux._src.compat.text import as_str as as_str
from tensorflux._src.compat.text import as_str_any as as_str_any
from tensorflux._src.compat.text import as_text as as_text
from tensorflux._src.compat.text import bytes_or_text_types as bytes_or_text_types
from tensorflux._src.compat.text import complex_types as complex_types
from tensorflux._src.compat.text import dimension_value as dimension_value
from tensorflux._src.compat.text import (
    forward_compatibility_horizon as forward_compatibility_horizon,
)
from tensorflux._src.compat.text import forward_compatible as forward_compatible
from tensorflux._src.compat.text import integral_types as integral_types
from tensorflux._src.compat.text import path_to_str as path_to_str
from tensorflux._src.compat.text import real_types as real_types
from tensorflux.compat import v1 as v1


def __getattr__(name):
    if name == "v2":
        import tensorflux

        return tensorflux
    raise AttributeError(f"module 'tensorflux.compat' has no attribute '{name}'")
