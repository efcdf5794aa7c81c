"""`tf.errors`: the exception classes TensorFlow raises and their status codes."""

from tensorflux._src.core.errors import ABORTED as ABORTED
from tensorflux._src.core.errors import ALREADY_EXISTS as ALREADY_EXISTS
from tensorflux._src.core.errors import CANCELLED as CANCELLED
from tensorflux._src.core.errors import DATA_LOSS as DATA_LOSS
from tensorflux._src.core.errors import DEADLINE_EXCEEDED as DEADLINE_EXCEEDED
from tensorflux._src.core.errors import FAILED_PRECONDITION as FAILED_PRECONDITION
from tensorflux._src.core.errors import INTERNAL as INTERNAL
from tensorflux._src.core.errors import INVALID_ARGUMENT as INVALID_ARGUMENT
from tensorflux._src.core.errors import NOT_FOUND as NOT_FOUND
from tensorflux._src.core.errors import OK as OK
from tensorflux._src.core.errors import OUT_OF_RANGE as OUT_OF_RANGE
from tensorflux._src.core.errors import PERMISSION_DENIED as PERMISSION_DENIED
from tensorflux._src.core.errors import RESOURCE_EXHAUSTED as RESOURCE_EXHAUSTED
from tensorflux._src.core.errors import UNAUTHENTICATED as UNAUTHENTICATED
from tensorflux._src.core.errors import UNAVAILABLE as UNAVAILABLE
from tensorflux._src.core.errors import UNIMPLEMENTED as UNIMPLEMENTED
from tensorflux._src.core.errors import UNKNOWN as UNKNOWN
from tensorflux._src.core.errors import AbortedError as AbortedError
from tensorflux._src.core.errors import AlreadyExistsError as AlreadyExistsError
from tensorflux._src.core.errors import CancelledError as CancelledError
from tensorflux._src.core.errors import DataLossError as DataLossError
from tensorflux._src.core.errors import DeadlineExceededError as DeadlineExceededError
from tensorflux._src.core.errors import FailedPreconditionError as FailedPreconditionError
from tensorflux._src.core.errors import InternalError as InternalError
from tensorflux._src.core.errors import InvalidArgumentError as InvalidArgumentError
from tensorflux._src.core.errors import NotFoundError as NotFoundError
from tensorflux._src.core.errors import OpError as OpError
from tensorflux._src.core.errors import (
    OperatorNotAllowedInGraphError as OperatorNotAllowedInGraphError,
)
from tensorflux._src.core.errors import OutOfRangeError as OutOfRangeError
from tensorflux._src.core.errors import PermissionDeniedError as PermissionDeniedError
from tensorflux._src.core.errors import ResourceExhaustedError as ResourceExhaustedError
from tensorflux._src.core.errors import UnauthenticatedError as UnauthenticatedError
from tensorflux._src.core.errors import UnavailableError as UnavailableError
from tensorflux._src.core.errors import UnimplementedError as UnimplementedError
from tensorflux._src.core.errors import UnknownError as UnknownError
