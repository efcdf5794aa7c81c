"""Every op-harness row, gathered from one `db_*.py` file per op family."""

from tests.ops import db_core

OPS = [*db_core.OPS]

from tests.ops import db_indexing  # noqa: E402

OPS += db_indexing.OPS

from tests.ops import db_reduction  # noqa: E402
from tests.ops import db_segment  # noqa: E402

OPS += db_reduction.OPS + db_segment.OPS

from tests.ops import db_linalg  # noqa: E402

OPS += db_linalg.OPS

from tests.ops import db_bitwise, db_math, db_special  # noqa: E402

OPS += db_math.OPS + db_special.OPS + db_bitwise.OPS

from tests.ops import db_array  # noqa: E402

OPS += db_array.OPS

from tests.ops import db_random  # noqa: E402

OPS += db_random.OPS

from tests.ops import db_variables  # noqa: E402

OPS += db_variables.OPS

from tests.ops import db_control_flow  # noqa: E402

OPS += db_control_flow.OPS

from tests.ops import db_nn  # noqa: E402

OPS += db_nn.OPS

from tests.ops import db_nn_conv  # noqa: E402

OPS += db_nn_conv.OPS

from tests.ops import db_sparse  # noqa: E402

OPS += db_sparse.OPS

from tests.ops import db_fft  # noqa: E402

OPS += db_fft.OPS

from tests.ops import db_image  # noqa: E402

OPS += db_image.OPS

from tests.ops import db_sets  # noqa: E402

OPS += db_sets.OPS

from tests.ops import db_partition  # noqa: E402

OPS += db_partition.OPS
