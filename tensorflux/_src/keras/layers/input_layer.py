"""`keras.Input` and `keras.layers.InputLayer`: the entry points of a functional model."""

from __future__ import annotations

from tensorflux._src.keras import backend
from tensorflux._src.keras.keras_tensor import KerasTensor, Node
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin


@register_builtin("keras.layers")
class InputLayer(Layer):
    """The layer behind `keras.Input`: holds the input's batch shape and dtype.

    Args:
      shape: the shape without the batch dimension.
      batch_size: the batch size (None: any).
      dtype: the dtype (default floatx).
      sparse / ragged: whether the input is a SparseTensor / RaggedTensor.
      batch_shape: the full shape, instead of `shape` and `batch_size`.
      input_tensor: not supported (a KerasTensor to wrap).
      optional: whether the input may be None.
      name: the layer's name.
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        batch_shape=None,
        input_tensor=None,
        optional=False,
        name=None,
        ragged=None,
        **kwargs,
    ):
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        kwargs.pop("trainable", None)
        super().__init__(name=name or backend.unique_object_name("input_layer"), **kwargs)
        if input_tensor is not None:
            raise NotImplementedError("InputLayer(input_tensor=...) is not supported yet.")
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        if batch_shape is None:
            if shape is None:
                raise ValueError("You must pass a `shape` argument.")
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        self._batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self._input_dtype = backend.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.optional = optional
        self.built = True
        tensor = KerasTensor(
            self._batch_shape, self._input_dtype, sparse=self.sparse, ragged=self.ragged,
            name=name,
        )  # fmt: skip
        Node(self, (), {}, tensor)
        self._input_tensor = tensor

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    @property
    def dtype(self) -> str:
        return self._input_dtype

    def call(self):
        return None

    @property
    def output(self):
        return self._input_tensor

    def get_config(self) -> dict:
        return {
            "batch_shape": self._batch_shape,
            "dtype": self._input_dtype,
            "sparse": self.sparse,
            "ragged": self.ragged,
            "name": self.name,
            "optional": self.optional,
        }


def Input(  # noqa: N802 - Keras's public name
    shape=None,
    batch_size=None,
    dtype=None,
    sparse=None,
    batch_shape=None,
    name=None,
    tensor=None,
    optional=False,
    ragged=None,
):
    """A symbolic input for a functional model.

    Args:
      shape: the shape without the batch dimension, e.g. `(28, 28, 1)`; None for unknown dims.
      batch_size: a fixed batch size (default: any).
      dtype: the dtype (default floatx).
      sparse / ragged: whether the input is sparse / ragged.
      batch_shape: the full shape including the batch dimension.
      name: the name of the input (and of its layer).
      tensor: not supported.
      optional: whether the input may be None.

    Returns:
      A `KerasTensor`.
    """
    layer = InputLayer(
        shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse, batch_shape=batch_shape,
        name=name, input_tensor=tensor, optional=optional, ragged=ragged,
    )  # fmt: skip
    return layer.output
