"""`tf.compat.v1.logging`: TensorFlow 1's logging functions, on the "tensorflow" logger."""

from tensorflux._src.compat.tf_logging import DEBUG as DEBUG
from tensorflux._src.compat.tf_logging import ERROR as ERROR
from tensorflux._src.compat.tf_logging import FATAL as FATAL
from tensorflux._src.compat.tf_logging import INFO as INFO
from tensorflux._src.compat.tf_logging import WARN as WARN
from tensorflux._src.compat.tf_logging import debug as debug
from tensorflux._src.compat.tf_logging import error as error
from tensorflux._src.compat.tf_logging import fatal as fatal
from tensorflux._src.compat.tf_logging import flush as flush
from tensorflux._src.compat.tf_logging import get_verbosity as get_verbosity
from tensorflux._src.compat.tf_logging import info as info
from tensorflux._src.compat.tf_logging import log as log
from tensorflux._src.compat.tf_logging import log_every_n as log_every_n
from tensorflux._src.compat.tf_logging import log_first_n as log_first_n
from tensorflux._src.compat.tf_logging import log_if as log_if
from tensorflux._src.compat.tf_logging import set_verbosity as set_verbosity
from tensorflux._src.compat.tf_logging import vlog as vlog
from tensorflux._src.compat.tf_logging import warn as warn
from tensorflux._src.compat.tf_logging import warning as warning
