"""tf.debugging: run-time checks on tensors."""

from tensorflux._src.control_flow.asserts import Assert as Assert
from tensorflux._src.control_flow.asserts import assert_all_finite as assert_all_finite
from tensorflux._src.control_flow.asserts import assert_equal as assert_equal
from tensorflux._src.control_flow.asserts import assert_greater as assert_greater
from tensorflux._src.control_flow.asserts import assert_greater_equal as assert_greater_equal
from tensorflux._src.control_flow.asserts import assert_integer as assert_integer
from tensorflux._src.control_flow.asserts import assert_less as assert_less
from tensorflux._src.control_flow.asserts import assert_less_equal as assert_less_equal
from tensorflux._src.control_flow.asserts import assert_near as assert_near
from tensorflux._src.control_flow.asserts import assert_negative as assert_negative
from tensorflux._src.control_flow.asserts import assert_non_negative as assert_non_negative
from tensorflux._src.control_flow.asserts import assert_non_positive as assert_non_positive
from tensorflux._src.control_flow.asserts import assert_none_equal as assert_none_equal
from tensorflux._src.control_flow.asserts import assert_positive as assert_positive
from tensorflux._src.control_flow.asserts import assert_proper_iterable as assert_proper_iterable
from tensorflux._src.control_flow.asserts import assert_rank as assert_rank
from tensorflux._src.control_flow.asserts import assert_rank_at_least as assert_rank_at_least
from tensorflux._src.control_flow.asserts import assert_rank_in as assert_rank_in
from tensorflux._src.control_flow.asserts import (
    assert_same_float_dtype as assert_same_float_dtype,
)
from tensorflux._src.control_flow.asserts import assert_scalar as assert_scalar
from tensorflux._src.control_flow.asserts import assert_shapes as assert_shapes
from tensorflux._src.control_flow.asserts import assert_type as assert_type
from tensorflux._src.control_flow.asserts import check_numerics as check_numerics
from tensorflux._src.control_flow.asserts import is_numeric_tensor as is_numeric_tensor
