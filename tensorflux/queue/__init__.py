"""tf.queue: thread-safe producer/consumer queues of tensors."""

from tensorflux._src.queue.queues import FIFOQueue as FIFOQueue
from tensorflux._src.queue.queues import PaddingFIFOQueue as PaddingFIFOQueue
from tensorflux._src.queue.queues import PriorityQueue as PriorityQueue
from tensorflux._src.queue.queues import QueueBase as QueueBase
from tensorflux._src.queue.queues import RandomShuffleQueue as RandomShuffleQueue
