"""tf.lookup: key-value tables (static, vocabulary, mutable)."""

from tensorflux._src.lookup.initializers import KeyValueTensorInitializer as KeyValueTensorInitializer
from tensorflux._src.lookup.initializers import TextFileIndex as TextFileIndex
from tensorflux._src.lookup.initializers import TextFileInitializer as TextFileInitializer
from tensorflux._src.lookup.tables import StaticHashTable as StaticHashTable
from tensorflux._src.lookup.tables import StaticVocabularyTable as StaticVocabularyTable
from tensorflux.lookup import experimental as experimental
