"""`tf.experimental`: ExtensionType (user-defined composite tensors) and Optional."""

from tensorflux._src.extension_type import BatchableExtensionType as BatchableExtensionType
from tensorflux._src.extension_type import ExtensionType as ExtensionType
from tensorflux._src.extension_type import ExtensionTypeSpec as ExtensionTypeSpec
from tensorflux._src.optional import Optional as Optional
from tensorflux._src.extension_type_dispatch import dispatch_for_api as dispatch_for_api
from tensorflux._src.extension_type_dispatch import (
    dispatch_for_binary_elementwise_apis as dispatch_for_binary_elementwise_apis,
)
from tensorflux._src.extension_type_dispatch import (
    dispatch_for_unary_elementwise_apis as dispatch_for_unary_elementwise_apis,
)
from tensorflux._src.extension_type_dispatch import (
    unregister_dispatch_for as unregister_dispatch_for,
)
from tensorflux._src.extension_type import ExtensionTypeBatchEncoder as ExtensionTypeBatchEncoder
