"""Layer 2: every op. Importing this package registers them all and installs Tensor operators."""

from tensorflux._src.ops import math_ops  # noqa: F401
from tensorflux._src.ops import array_ops  # noqa: F401
from tensorflux._src.ops import reduction_ops  # noqa: F401
from tensorflux._src.ops import operators  # noqa: F401
from tensorflux._src.ops import grad_ops  # noqa: F401
