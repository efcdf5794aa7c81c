"""`tf.keras.callbacks`: hooks into `fit`, `evaluate` and `predict`."""

from tensorflux._src.keras.callbacks.callback import CSVLogger as CSVLogger
from tensorflux._src.keras.callbacks.callback import Callback as Callback
from tensorflux._src.keras.callbacks.callback import CallbackList as CallbackList
from tensorflux._src.keras.callbacks.callback import History as History
from tensorflux._src.keras.callbacks.callback import LambdaCallback as LambdaCallback
from tensorflux._src.keras.callbacks.callback import ProgbarLogger as ProgbarLogger
from tensorflux._src.keras.callbacks.callback import RemoteMonitor as RemoteMonitor
from tensorflux._src.keras.callbacks.callback import TerminateOnNaN as TerminateOnNaN
from tensorflux._src.keras.callbacks.monitor import BackupAndRestore as BackupAndRestore
from tensorflux._src.keras.callbacks.monitor import EarlyStopping as EarlyStopping
from tensorflux._src.keras.callbacks.monitor import LearningRateScheduler as LearningRateScheduler
from tensorflux._src.keras.callbacks.monitor import ModelCheckpoint as ModelCheckpoint
from tensorflux._src.keras.callbacks.monitor import ReduceLROnPlateau as ReduceLROnPlateau
from tensorflux._src.keras.callbacks.tensorboard import TensorBoard as TensorBoard
