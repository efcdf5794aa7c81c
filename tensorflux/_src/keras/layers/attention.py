"""Attention layers: `Attention` (dot-product), `AdditiveAttention` and `MultiHeadAttention`.

MultiHeadAttention projects with `EinsumDense` sub-layers named query/key/value/attention_output,
so its weights have Keras's paths and shapes (`query/kernel` is (dim, heads, key_dim)).
"""

from __future__ import annotations

import math
import string

from tensorflux._src.keras import constraints, initializers, regularizers
from tensorflux._src.keras import random as _random
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin, serialize_keras_object
from tensorflux._src.ops import array_ops, math_ops, nn_ops, reduction_ops, trig_ops, unary_ops
from tensorflux._src.ops.einsum_ops import einsum
from tensorflux._src.ops.linalg_ops import matmul


def _ser(obj):
    return serialize_keras_object(obj)


def _base_config(layer) -> dict:
    return {"name": layer.name, "trainable": layer.trainable, "dtype": _ser(layer.dtype_policy)}


def _causal_mask(q_len, v_len):
    """(1, q_len, v_len) bool: position i may attend to positions j <= i."""
    from tensorflux._src.ops.cumulative_ops import cumsum

    if isinstance(q_len, int) and isinstance(v_len, int):
        shape = [1, q_len, v_len]
    else:
        shape = array_ops.stack([1, q_len, v_len])
    ones = array_ops.ones(shape, dtype="int32")
    rows = cumsum(ones, axis=-2)
    cols = cumsum(ones, axis=-1)
    return math_ops.greater_equal(rows, cols)


def _seq_len(x, axis=1):
    n = x.shape[axis]
    return n if n is not None else array_ops.shape(x)[axis]


class _BaseDenseAttention(Layer):
    """What Attention and AdditiveAttention share: input checks, masking, softmax, dropout."""

    def __init__(self, dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.dropout = dropout
        self.seed = seed
        if dropout > 0:
            self.seed_generator = _random.SeedGenerator(seed=seed)
        self.supports_masking = True

    def _validate(self, inputs, mask=None):
        cls = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{cls} layer must be called on a list of inputs, namely [query, value] or "
                f"[query, value, key]. Received: inputs={inputs}."
            )
        if len(inputs) < 2 or len(inputs) > 3:
            raise ValueError(
                f"{cls} layer accepts inputs list of length 2 or 3, namely [query, value] or "
                f"[query, value, key]. Received length: {len(inputs)}."
            )
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(f"{cls} layer mask must be a list, namely [query_mask, "
                                 f"value_mask]. Received: mask={mask}.")  # fmt: skip
            if len(mask) < 2 or len(mask) > 3:
                raise ValueError(
                    f"{cls} layer accepts mask list of length 2 or 3. Received: inputs={inputs}, "
                    f"mask={mask}."
                )

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        if scores_mask is not None:
            padding = math_ops.logical_not(scores_mask)
            big = 65504.0 if scores.dtype.name == "float16" else 1.0e9
            scores = scores - big * math_ops.cast(padding, scores.dtype)
        weights = nn_ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = _random.dropout(weights, self.dropout, seed=self.seed_generator)
        return matmul(weights, value), weights

    def _score_mask(self, scores, v_mask, use_causal_mask):
        mask = None
        if v_mask is not None:
            mask = array_ops.expand_dims(math_ops.cast(v_mask, "bool"), -2)
        if use_causal_mask:
            causal = _causal_mask(_seq_len(scores, -2), _seq_len(scores, -1))
            mask = causal if mask is None else math_ops.logical_and(mask, causal)
        return mask

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):  # fmt: skip
        self._validate(inputs, mask)
        q, v = inputs[0], inputs[1]
        k = inputs[2] if len(inputs) > 2 else v
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        scores = self._calculate_scores(q, k)
        scores_mask = self._score_mask(scores, v_mask, use_causal_mask)
        result, weights = self._apply_scores(scores, v, scores_mask, training=training)
        if q_mask is not None:
            q_mask = array_ops.expand_dims(math_ops.cast(q_mask, result.dtype), -1)
            result = result * q_mask
        if return_attention_scores:
            return result, weights
        return result

    def compute_mask(self, inputs, mask=None):
        self._validate(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        from tensorflux._src.tensor import convert_to_tensor

        return convert_to_tensor(mask[0])

    def compute_output_shape(self, input_shape):
        q, v = tuple(input_shape[0]), tuple(input_shape[1])
        return (*q[:-1], v[-1])

    def compute_output_spec(self, inputs, mask=None, training=False,
                            return_attention_scores=False, use_causal_mask=False):  # fmt: skip
        from tensorflux._src.keras.keras_tensor import KerasTensor

        self._validate(inputs, mask)
        q = inputs[0].shape.as_list()
        v = inputs[1].shape.as_list()
        out = KerasTensor(q[:-1] + v[-1:], self.compute_dtype)
        if return_attention_scores:
            return out, KerasTensor(q[:-1] + [v[1]], self.compute_dtype)
        return out


@register_builtin("keras.layers")
class Attention(_BaseDenseAttention):
    """Dot-product (Luong-style) attention over `[query, value]` or `[query, value, key]`.

    Scores are `query @ key^T` ("dot") or `sum(tanh(query + key))` ("concat"); the output is the
    softmax of the scores applied to `value`.

    Args:
      use_scale: learn a scalar `scale` multiplying the scores.
      score_mode: "dot" or "concat" (which adds a learned scalar `concat_score_weight`).
      dropout: the fraction of attention weights dropped (training only).
      seed: the seed of the dropout.
      **kwargs: base `Layer` arguments.

    Call arguments:
      inputs: `[query (B, Tq, dim), value (B, Tv, dim)]` and optionally `key (B, Tv, dim)`.
      mask: `[query_mask (B, Tq), value_mask (B, Tv)]` bool tensors.
      training: whether dropout is active.
      return_attention_scores: also return the (B, Tq, Tv) attention weights.
      use_causal_mask: forbid position i to attend to positions after i.

    Raises:
      ValueError: for an unknown `score_mode`.
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(dropout=dropout, seed=seed, **kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                "Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
                f"Received: score_mode={score_mode}"
            )

    def build(self, input_shape):
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                name="concat_score_weight", shape=(), initializer="ones"
            )
        self.built = True

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = matmul(query, key, transpose_b=True)
            if self.scale is not None:
                scores = scores * self.scale
            return scores
        q = array_ops.expand_dims(query, -2)
        k = array_ops.expand_dims(key, -3)
        if self.scale is not None:
            inner = trig_ops.tanh(self.scale * (q + k))
        else:
            inner = trig_ops.tanh(q + k)
        return self.concat_score_weight * reduction_ops.reduce_sum(inner, axis=-1)

    def get_config(self):
        return {
            **_base_config(self),
            "use_scale": self.use_scale,
            "score_mode": self.score_mode,
            "dropout": self.dropout,
            "seed": self.seed,
        }


@register_builtin("keras.layers")
class AdditiveAttention(_BaseDenseAttention):
    """Additive (Bahdanau-style) attention: scores are `sum(scale * tanh(query + key))`.

    Args:
      use_scale: learn a per-feature `scale` vector (shape (dim,)).
      dropout: the fraction of attention weights dropped (training only).
      **kwargs: base `Layer` arguments (and `seed`).

    Call arguments: as for `Attention`.
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        seed = kwargs.pop("seed", None)
        super().__init__(dropout=dropout, seed=seed, **kwargs)
        self.use_scale = use_scale

    def build(self, input_shape):
        dim = tuple(input_shape[0])[-1]
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(dim,), initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query, key):
        q = array_ops.expand_dims(query, -2)
        k = array_ops.expand_dims(key, -3)
        inner = trig_ops.tanh(q + k)
        if self.scale is not None:
            inner = self.scale * inner
        return reduction_ops.reduce_sum(inner, axis=-1)

    def get_config(self):
        return {
            **_base_config(self),
            "use_scale": self.use_scale,
            "dropout": self.dropout,
            "seed": self.seed,
        }


# ---------------------------------------------------------------------- MultiHeadAttention

_LETTERS = string.ascii_lowercase


def _proj_equation(free_dims, bound_dims, output_dims):
    """(equation, bias axes, output rank) of a projection keeping `free_dims` leading axes."""
    i = 0
    inp = kern = out = bias = ""
    for _ in range(free_dims):
        inp += _LETTERS[i]
        out += _LETTERS[i]
        i += 1
    for _ in range(bound_dims):
        inp += _LETTERS[i]
        kern += _LETTERS[i]
        i += 1
    for _ in range(output_dims):
        kern += _LETTERS[i]
        out += _LETTERS[i]
        bias += _LETTERS[i]
        i += 1
    return f"{inp},{kern}->{out}", bias, len(out)


def _partial_shape(output_rank, known_last_dims):
    return [None] * (output_rank - len(known_last_dims)) + list(known_last_dims)


def _attention_equations(rank, attn_axes):
    """(dot-product equation, combine equation, scores rank) for projected tensors of `rank`."""
    target = _LETTERS[:rank]
    batch_dims = [i for i in range(rank) if i not in attn_axes and i != rank - 1]
    offset = rank
    source = ""
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += _LETTERS[offset]
            offset += 1
    product = "".join([target[i] for i in batch_dims] + [target[i] for i in attn_axes]
                      + [source[i] for i in attn_axes])  # fmt: skip
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


@register_builtin("keras.layers")
class MultiHeadAttention(Layer):
    """Multi-head attention as in "Attention Is All You Need".

    Query, key and value are projected to `num_heads` heads (`query`/`key`/`value` EinsumDense
    sub-layers), each head attends with scaled dot products, and the heads are projected back
    (`attention_output`).

    Args:
      num_heads: the number of heads.
      key_dim: the size of each head for query and key.
      value_dim: the size of each head for value (default `key_dim`).
      dropout: the dropout rate of the attention weights.
      use_bias: whether the projections have biases.
      output_shape: the output's last dimensions (default: the query's last dimension).
      attention_axes: the axes attention runs over (default: all but batch, heads, features).
      sliding_window / flash_attention: only None (or False) is supported.
      kernel_initializer / bias_initializer / kernel_regularizer / bias_regularizer /
        kernel_constraint / bias_constraint: for the projections' weights.
      activity_regularizer: a regularizer of the output.
      use_gate: only False is supported.
      seed: the seed of the dropout.
      **kwargs: base `Layer` arguments.

    Call arguments:
      query: (B, T, dim). value: (B, S, dim). key: (B, S, dim), default `value`.
      query_mask / value_mask / key_mask: (B, T) / (B, S) bool masks (taken from the inputs'
        `_keras_mask` when absent).
      attention_mask: a (B, T, S) bool mask of allowed attention.
      return_attention_scores: also return the (B, heads, T, S) attention weights.
      training: whether dropout is active.
      use_causal_mask: forbid position i to attend to positions after i.
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, sliding_window=None,
                 flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):  # fmt: skip
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if sliding_window is not None:
            raise NotImplementedError("MultiHeadAttention(sliding_window=...) is not supported.")
        if flash_attention:
            raise NotImplementedError("MultiHeadAttention(flash_attention=True) is not supported.")
        if use_gate:
            raise NotImplementedError("MultiHeadAttention(use_gate=True) is not supported.")
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        if output_shape is not None and not isinstance(output_shape, (list, tuple)):
            output_shape = (output_shape,)
        self._output_shape = tuple(output_shape) if output_shape is not None else None
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(
                "`attention_axes` must be an int, list, or tuple. Received: "
                f"attention_axes={attention_axes}"
            )
        self._attention_axes = tuple(attention_axes) if attention_axes is not None else None
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))
        self.seed = seed

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    def get_config(self):
        return {
            **_base_config(self),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": False,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": None,
            "kernel_initializer": _ser(self._kernel_initializer),
            "bias_initializer": _ser(self._bias_initializer),
            "kernel_regularizer": _ser(self._kernel_regularizer),
            "bias_regularizer": _ser(self._bias_regularizer),
            "activity_regularizer": _ser(self.activity_regularizer),
            "kernel_constraint": _ser(self._kernel_constraint),
            "bias_constraint": _ser(self._bias_constraint),
            "seed": self.seed,
        }

    # ------------------------------------------------------------------ build

    def _dense(self, equation, output_shape, bias_axes, name):
        from tensorflux._src.keras.layers.core import EinsumDense

        def fresh(obj):
            # each projection gets its own initializer object, as in Keras
            if obj is None or not hasattr(obj, "get_config"):
                return obj
            return type(obj).from_config(obj.get_config())

        return EinsumDense(
            equation, output_shape=output_shape, bias_axes=bias_axes if self._use_bias else None,
            kernel_initializer=fresh(self._kernel_initializer),
            bias_initializer=fresh(self._bias_initializer),
            kernel_regularizer=self._kernel_regularizer, bias_regularizer=self._bias_regularizer,
            kernel_constraint=self._kernel_constraint, bias_constraint=self._bias_constraint,
            dtype=self.dtype_policy, name=name,
        )  # fmt: skip

    def build(self, query_shape, value_shape, key_shape=None):
        from tensorflux._src.keras.layers.rnn.rnn import build_sublayer

        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_given = key_shape is not None
        key_shape = tuple(key_shape) if key_given else value_shape
        q_rank = len(query_shape)
        if query_shape[-1] is None or value_shape[-1] is None:
            raise ValueError("The last dimension of `query` and `value` must be defined.")
        eq, bias, out_rank = _proj_equation(q_rank - 1, 1, 2)
        self._query_dense = self._dense(
            eq, _partial_shape(out_rank - 1, [self._num_heads, self._key_dim]), bias, "query"
        )
        build_sublayer(self._query_dense, query_shape)
        eq, bias, out_rank = _proj_equation(len(key_shape) - 1, 1, 2)
        self._key_dense = self._dense(
            eq, _partial_shape(out_rank - 1, [self._num_heads, self._key_dim]), bias, "key"
        )
        build_sublayer(self._key_dense, key_shape)
        eq, bias, out_rank = _proj_equation(len(value_shape) - 1, 1, 2)
        self._value_dense = self._dense(
            eq, _partial_shape(out_rank - 1, [self._num_heads, self._value_dim]), bias, "value"
        )
        build_sublayer(self._value_dense, value_shape)
        # attention over the projected (..., heads, head_dim) tensors
        rank = out_rank
        axes = self._attention_axes
        if axes is None:
            axes = tuple(range(1, rank - 2))
        else:
            axes = tuple(a if a >= 0 else a + (rank - 1) for a in axes)
        self._attn_axes_resolved = axes
        self._dot_eq, self._combine_eq, scores_rank = _attention_equations(rank, axes)
        self._norm_axes = tuple(range(scores_rank - len(axes), scores_rank))
        if self._dropout > 0:
            self.seed_generator = _random.SeedGenerator(seed=self.seed)
        out_dims = self._output_shape if self._output_shape else (query_shape[-1],)
        eq, bias, _ = _proj_equation(q_rank - 1, 2, len(out_dims))
        self._output_dense = self._dense(
            eq, _partial_shape(q_rank - 1, list(out_dims)), bias, "attention_output"
        )
        build_sublayer(self._output_dense, query_shape[:-1] + (self._num_heads, self._value_dim))
        shapes = {"query_shape": query_shape, "value_shape": value_shape}
        if key_given:
            shapes["key_shape"] = key_shape
        self._build_shapes_mha = shapes
        self.built = True

    def _maybe_build(self, args, kwargs) -> None:
        if self.built:
            return
        from tensorflux._src.function import init_scope
        from tensorflux._src.keras import backend

        def shape(x):
            s = x.shape
            return tuple(s.as_list()) if hasattr(s, "as_list") else tuple(s)

        query = args[0] if args else kwargs["query"]
        value = args[1] if len(args) > 1 else kwargs["value"]
        key = args[2] if len(args) > 2 else kwargs.get("key")
        with init_scope(), backend.name_scope(self.name):
            self.build(shape(query), shape(value), None if key is None else shape(key))
        self.built = True

    def get_build_config(self):
        shapes = getattr(self, "_build_shapes_mha", None)
        return None if shapes is None else {"shapes_dict": dict(shapes)}

    def build_from_config(self, config):
        if config and not self.built:
            from tensorflux._src.function import init_scope
            from tensorflux._src.keras import backend

            shapes = config["shapes_dict"]
            with init_scope(), backend.name_scope(self.name):
                self.build(shapes["query_shape"], shapes["value_shape"],
                           shapes.get("key_shape"))  # fmt: skip
            self.built = True

    # ------------------------------------------------------------------ call

    def _attention_mask(self, query, value, query_mask, value_mask, key_mask, attention_mask,
                        use_causal_mask):  # fmt: skip
        # Keras 3.15 leaves rows of masked queries unmasked (their outputs are don't-cares)
        auto = None
        for m in (value_mask, key_mask):
            if m is not None:
                m = array_ops.expand_dims(math_ops.cast(m, "bool"), -2)
                auto = m if auto is None else math_ops.logical_and(auto, m)
        if use_causal_mask:
            causal = _causal_mask(_seq_len(query), _seq_len(value))
            auto = causal if auto is None else math_ops.logical_and(auto, causal)
        if auto is not None:
            if attention_mask is None:
                return auto
            return math_ops.logical_and(math_ops.cast(attention_mask, "bool"), auto)
        return attention_mask

    def _masked_softmax(self, scores, mask=None):
        axes = self._norm_axes
        if mask is not None:
            mask = math_ops.cast(mask, "bool")
            axis = -len(self._attn_axes_resolved) * 2 - 1
            for _ in range(scores.shape.rank - mask.shape.rank):
                mask = array_ops.expand_dims(mask, axis)
            big = -3e4 if scores.dtype.name == "float16" else -1e9
            scores = array_ops.where(mask, scores, math_ops.cast(big, scores.dtype))
        if len(axes) == 1:
            out = nn_ops.softmax(scores, axis=axes[0])
        else:
            lse = reduction_ops.reduce_logsumexp(scores, axis=list(axes), keepdims=True)
            out = unary_ops.exp(scores - lse)
        if mask is not None:
            out = out * math_ops.cast(mask, out.dtype)
        return out

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):  # fmt: skip
        if key is None:
            key = value
        if query_mask is None:
            query_mask = getattr(query, "_keras_mask", None)
        if value_mask is None:
            value_mask = getattr(value, "_keras_mask", None)
        if key_mask is None and key is not value:
            key_mask = getattr(key, "_keras_mask", None)
        mask = self._attention_mask(query, value, query_mask, value_mask, key_mask,
                                    attention_mask, use_causal_mask)  # fmt: skip
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        q = q * math_ops.cast(self._inverse_sqrt_key_dim, q.dtype)
        scores = einsum(self._dot_eq, k, q)
        scores = self._masked_softmax(scores, mask)
        dropped = scores
        if training and self._dropout > 0:
            dropped = _random.dropout(scores, self._dropout, seed=self.seed_generator)
        out = einsum(self._combine_eq, dropped, v)
        out = self._output_dense(out)
        if return_attention_scores:
            return out, scores
        return out

    def compute_output_spec(self, query, value, key=None, query_mask=None, value_mask=None,
                            key_mask=None, attention_mask=None, return_attention_scores=False,
                            training=None, use_causal_mask=False):  # fmt: skip
        from tensorflux._src.keras.keras_tensor import KerasTensor

        q = query.shape.as_list()
        out = KerasTensor(self.compute_output_shape(q), self.compute_dtype)
        if return_attention_scores:
            v = value.shape.as_list()
            axes = self._attn_axes_resolved
            scores = [q[0], self._num_heads] + [q[a] for a in axes] + [v[a] for a in axes]
            return out, KerasTensor(scores, self.compute_dtype)
        return out

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape
