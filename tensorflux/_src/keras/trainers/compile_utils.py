"""The loss and metric containers `compile` builds: `CompileLoss` and `CompileMetrics`.

Both accept one spec for every output, a list (one entry per output) or a dict keyed by output
name, and are built on the first batch, when the shapes of `y` and `y_pred` are known ("accuracy"
picks Binary/Sparse/CategoricalAccuracy from those shapes, as Keras does).
"""

from __future__ import annotations

from tensorflux._src.core import nest


def _metrics_module():
    from tensorflux._src.keras import metrics

    return metrics


def metric_class(name):
    """A class of `keras.metrics` by name (looked up in its submodules too)."""
    import importlib

    mm = _metrics_module()
    obj = getattr(mm, name, None)
    if obj is None:
        for sub in ("base", "accuracy", "regression"):
            try:
                mod = importlib.import_module(f"{mm.__name__}.{sub}")
            except ImportError:
                continue
            obj = getattr(mod, name, None)
            if obj is not None:
                break
    if obj is None:
        raise AttributeError(f"keras.metrics has no {name}")
    return obj


def _losses_module():
    from tensorflux._src.keras import losses

    return losses


def _shape(x):
    s = x.shape
    return tuple(s.as_list()) if hasattr(s, "as_list") else tuple(s)


def is_binary_or_sparse_categorical(y_true, y_pred):
    """(is_binary, is_sparse_categorical) from the ranks and last dimensions."""
    t, p = _shape(y_true), _shape(y_pred)
    t_last = t[-1] if t else None
    p_last = p[-1] if p else None
    is_binary = p_last == 1
    is_sparse = len(t) < len(p) or (t_last == 1 and p_last is not None and p_last > 1)
    return is_binary, is_sparse


def _object_name(obj) -> str:
    if hasattr(obj, "name") and isinstance(obj.name, str):
        return obj.name
    if hasattr(obj, "__name__"):
        return obj.__name__
    return type(obj).__name__


def get_metric(identifier, y_true, y_pred):
    """A metric object for `identifier`, resolving "accuracy"/"acc" from the shapes."""
    mm = _metrics_module()
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if str(identifier).lower() in ("accuracy", "acc"):
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        if is_binary:
            obj = metric_class("BinaryAccuracy")(name=str(identifier))
        elif is_sparse:
            obj = metric_class("SparseCategoricalAccuracy")(name=str(identifier))
        else:
            obj = metric_class("CategoricalAccuracy")(name=str(identifier))
    else:
        obj = mm.get(identifier)
    name = identifier if isinstance(identifier, str) else _object_name(obj)
    if not getattr(obj, "_is_metric", False):
        obj = metric_class("MeanMetricWrapper")(obj, name=name)
    obj.name = name
    return obj


def _flat_outputs(y_pred, output_names):
    """(names, flat y_pred) for the model outputs."""
    if isinstance(y_pred, dict):
        keys = list(y_pred.keys())
        return keys, [y_pred[k] for k in keys]
    flat = nest.flatten(y_pred)
    names = list(output_names) if output_names and len(output_names) == len(flat) else None
    if names is None:
        names = [f"output_{i}" for i in range(len(flat))]
    return names, flat


def _match_targets(y_true, y_pred, names):
    """Flat y_true aligned with the flat outputs."""
    if isinstance(y_true, dict):
        if isinstance(y_pred, dict):
            return [y_true.get(k) for k in names]
        return [y_true.get(k) for k in names]
    flat = nest.flatten(y_true)
    if len(flat) != len(names):
        if len(names) == 1 and len(flat) > 1:
            return [y_true]
        raise ValueError(
            f"The number of targets ({len(flat)}) does not match the number of model outputs "
            f"({len(names)})."
        )
    return flat


def _per_output(spec, names, what):
    """A list (one entry per output) from a single spec, a list or a dict."""
    n = len(names)
    if spec is None:
        return [None] * n
    if isinstance(spec, dict):
        unknown = [k for k in spec if k not in names]
        if unknown:
            raise ValueError(
                f"In the dict argument `{what}`, key '{unknown[0]}' does not correspond to any "
                f"model output. Received:\n{what}={spec}"
            )
        return [spec.get(k) for k in names]
    if isinstance(spec, (list, tuple)) and n > 1:
        if len(spec) != n:
            raise ValueError(
                f"For a model with multiple outputs, when providing the `{what}` argument as a "
                f"list, it should have as many entries as the model has outputs. Received:\n"
                f"{what}={spec}\nof length {len(spec)} whereas the model has {n} outputs."
            )
        return list(spec)
    return [spec] * n if n == 1 or what == "loss" else [spec] + [None] * (n - 1)


def make_compile_metrics(metrics, weighted_metrics, output_names=None, name="compile_metrics"):
    """A `CompileMetrics` (a `keras.metrics.Metric` subclass made on first use)."""
    cls = _compile_metrics_class()
    return cls(metrics, weighted_metrics, output_names=output_names, name=name)


_CM_CLASS = []


def _compile_metrics_class():
    if _CM_CLASS:
        return _CM_CLASS[0]
    Metric = metric_class("Metric")

    class CompileMetrics(Metric):
        """The metrics given to `compile`, per output, weighted and unweighted."""

        _is_metrics_container = True

        def __init__(self, metrics, weighted_metrics, name="compile_metrics",
                     output_names=None):  # fmt: skip
            super().__init__(name=name)
            if metrics is not None and not isinstance(metrics, (list, tuple, dict)):
                raise ValueError(
                    "Expected `metrics` argument to be a list, tuple, or dict. Received "
                    f"instead: metrics={metrics} of type {type(metrics)}"
                )
            if weighted_metrics is not None and not isinstance(
                weighted_metrics, (list, tuple, dict)
            ):
                raise ValueError(
                    "Expected `weighted_metrics` argument to be a list, tuple, or dict. "
                    f"Received instead: weighted_metrics={weighted_metrics} of type "
                    f"{type(weighted_metrics)}"
                )
            self._user_metrics = metrics
            self._user_weighted_metrics = weighted_metrics
            self.output_names = output_names
            self.built = False
            self._entries = []  # (output index, log key, metric, weighted)

        @property
        def metrics(self):
            return [m for _, _, m, _ in self._entries]

        @property
        def variables(self):
            out = []
            for m in self.metrics:
                out.extend(m.variables)
            return out

        def _specs_for(self, spec, names):
            n = len(names)
            if spec is None:
                return [[] for _ in range(n)]
            if isinstance(spec, dict):
                out = []
                for k in names:
                    v = spec.get(k)
                    out.append([] if v is None else (list(v) if isinstance(v, (list, tuple))
                                                      else [v]))  # fmt: skip
                return out
            if n == 1:
                return [list(spec)]
            if all(isinstance(s, (list, tuple)) or s is None for s in spec):
                if len(spec) != n:
                    raise ValueError(
                        "For a model with multiple outputs, when providing the `metrics` "
                        "argument as a list, it should have as many entries as the model has "
                        f"outputs. Received:\nmetrics={spec}\nof length {len(spec)} whereas the "
                        f"model has {n} outputs."
                    )
                return [[] if s is None else list(s) for s in spec]
            return [list(spec) for _ in range(n)]

        def build(self, y_true, y_pred):
            names, flat_pred = _flat_outputs(y_pred, self.output_names)
            flat_true = _match_targets(y_true, y_pred, names)
            multi = len(names) > 1
            plain = self._specs_for(self._user_metrics, names)
            weighted = self._specs_for(self._user_weighted_metrics, names)
            entries = []
            for is_w, specs in ((False, plain), (True, weighted)):
                for i, (yt, yp) in enumerate(zip(flat_true, flat_pred)):
                    for spec in specs[i]:
                        if spec is None or yt is None:
                            continue
                        m = get_metric(spec, yt, yp)
                        key = f"{names[i]}_{m.name}" if multi else m.name
                        entries.append((i, key, m, is_w))
            unweighted_keys = {k for _, k, _, w in entries if not w}
            final = []
            for i, key, m, is_w in entries:
                if is_w and key in unweighted_keys:
                    key = "weighted_" + key
                final.append((i, key, m, is_w))
            self._entries = final
            self._names = names
            self.built = True

        def update_state(self, y_true, y_pred, sample_weight=None):
            if not self.built:
                self.build(y_true, y_pred)
            names, flat_pred = _flat_outputs(y_pred, self.output_names)
            flat_true = _match_targets(y_true, y_pred, names)
            if sample_weight is not None and len(names) > 1:
                if isinstance(sample_weight, dict):
                    flat_sw = [sample_weight.get(k) for k in names]
                elif isinstance(sample_weight, (list, tuple)):
                    flat_sw = list(sample_weight)
                else:
                    flat_sw = [sample_weight] * len(names)
            else:
                flat_sw = [sample_weight] * len(names)
            for i, _, m, is_w in self._entries:
                if is_w:
                    m.update_state(flat_true[i], flat_pred[i], sample_weight=flat_sw[i])
                else:
                    m.update_state(flat_true[i], flat_pred[i])

        def result(self):
            out = {}
            for _, key, m, _ in self._entries:
                r = m.result()
                if isinstance(r, dict):
                    out.update(r)
                else:
                    out[key] = r
            return out

        def reset_state(self):
            for m in self.metrics:
                m.reset_state()

        def get_config(self):
            raise NotImplementedError

        @classmethod
        def from_config(cls, config):
            raise NotImplementedError

    _CM_CLASS.append(CompileMetrics)
    return CompileMetrics


class CompileLoss:
    """The loss given to `compile`: one loss per output, weighted and summed.

    Args:
      loss: a loss name, function or `Loss`, or a list/dict of them (one per output).
      loss_weights: a scalar per output (list or dict), or None.
      reduction: the reduction of losses made from functions.
      output_names: the model's output names (to read dict specs).
    """

    def __init__(self, loss, loss_weights=None, reduction="sum_over_batch_size",
                 output_names=None):  # fmt: skip
        if loss_weights is not None and not isinstance(loss_weights, (list, tuple, dict, float,
                                                                     int)):  # fmt: skip
            raise ValueError(
                "Expected `loss_weights` argument to be a float (single output case) or a list, "
                "tuple, or dict (multiple output case). Received instead: "
                f"loss_weights={loss_weights} of type {type(loss_weights)}"
            )
        self._user_loss = loss
        self._user_loss_weights = loss_weights
        self.reduction = reduction
        self.output_names = output_names
        self.built = False
        self._losses = []
        self._weights = []
        self._trackers = []

    @property
    def metrics(self):
        """The per-output loss trackers ("a_loss", ...), present only with several outputs."""
        return list(self._trackers)

    @property
    def variables(self):
        out = []
        for m in self._trackers:
            out.extend(m.variables)
        return out

    def _resolve(self, spec):
        if spec is None:
            return None
        lm = _losses_module()
        obj = lm.get(spec)
        if not isinstance(obj, lm.Loss):
            name = spec if isinstance(spec, str) else _object_name(obj)
            obj = lm.LossFunctionWrapper(obj, name=name, reduction=self.reduction)
        return obj

    def build(self, y_true, y_pred):
        names, flat_pred = _flat_outputs(y_pred, self.output_names)
        n = len(names)
        spec = self._user_loss
        if n == 1:
            specs = [spec[0] if isinstance(spec, (list, tuple)) and len(spec) == 1 else
                     (next(iter(spec.values())) if isinstance(spec, dict) and len(spec) == 1
                      else spec)]  # fmt: skip
        elif isinstance(spec, (list, tuple, dict)):
            specs = _per_output(spec, names, "loss")
        else:
            specs = [spec] * n
        self._losses = [self._resolve(s) for s in specs]
        w = self._user_loss_weights
        if w is None:
            weights = [None] * n
        elif isinstance(w, dict):
            weights = [w.get(k) for k in names]
        elif isinstance(w, (list, tuple)):
            if len(w) != n:
                raise ValueError(
                    "`loss_weights` should have the same number of entries as the model outputs. "
                    f"Received: loss_weights={w} for {n} outputs"
                )
            weights = list(w)
        else:
            weights = [w] * n
        self._weights = weights
        self._names = names
        if n > 1:
            mean = metric_class("Mean")
            self._trackers = [
                mean(name=f"{k}_loss") if self._losses[i] is not None else None
                for i, k in enumerate(names)
            ]
            self._trackers = [t for t in self._trackers if t is not None]
            self._tracker_index = [i for i, lo in enumerate(self._losses) if lo is not None]
        self.built = True

    def __call__(self, y_true, y_pred, sample_weight=None):
        import tensorflux as tfx

        if not self.built:
            self.build(y_true, y_pred)
        names, flat_pred = _flat_outputs(y_pred, self.output_names)
        flat_true = _match_targets(y_true, y_pred, names)
        n = len(names)
        if sample_weight is not None and n > 1:
            if isinstance(sample_weight, dict):
                flat_sw = [sample_weight.get(k) for k in names]
            elif isinstance(sample_weight, (list, tuple)):
                flat_sw = list(sample_weight)
            else:
                flat_sw = [sample_weight] * n
        else:
            flat_sw = [sample_weight] * n
        total = None
        tracked = iter(self._trackers)
        for i in range(n):
            fn = self._losses[i]
            if fn is None or flat_true[i] is None:
                if fn is not None:
                    next(tracked)
                continue
            value = fn(flat_true[i], flat_pred[i], sample_weight=flat_sw[i])
            if n > 1:
                next(tracked).update_state(value)
            if self._weights[i] is not None:
                value = tfx.cast(value, "float32") * self._weights[i]
            total = value if total is None else total + value
        return total

    def reset_state(self):
        for m in self._trackers:
            m.reset_state()
