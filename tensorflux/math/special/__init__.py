"""`tf.math.special`: Bessel functions and other special integrals."""

from tensorflux._src.ops.special_ops import bessel_i0 as bessel_i0
from tensorflux._src.ops.special_ops import bessel_i0e as bessel_i0e
from tensorflux._src.ops.special_ops import bessel_i1 as bessel_i1
from tensorflux._src.ops.special_ops import bessel_i1e as bessel_i1e
from tensorflux._src.ops.special_ops import bessel_j0 as bessel_j0
from tensorflux._src.ops.special_ops import bessel_j1 as bessel_j1
from tensorflux._src.ops.special_ops import bessel_k0 as bessel_k0
from tensorflux._src.ops.special_ops import bessel_k0e as bessel_k0e
from tensorflux._src.ops.special_ops import bessel_k1 as bessel_k1
from tensorflux._src.ops.special_ops import bessel_k1e as bessel_k1e
from tensorflux._src.ops.special_ops import bessel_y0 as bessel_y0
from tensorflux._src.ops.special_ops import bessel_y1 as bessel_y1
from tensorflux._src.ops.special_ops import dawsn as dawsn
from tensorflux._src.ops.special_ops import expint as expint
from tensorflux._src.ops.special_ops import fresnel_cos as fresnel_cos
from tensorflux._src.ops.special_ops import fresnel_sin as fresnel_sin
from tensorflux._src.ops.special_ops import spence as spence
