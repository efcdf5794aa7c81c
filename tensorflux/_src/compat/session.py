"""TensorFlow 1's way of running a graph: `tf.compat.v1.Session` and its helpers.

A `Session` runs the part of a `tf.Graph` that its fetches need, feeding placeholders from
`feed_dict`, and returns NumPy values in the fetches' structure. It runs on the same executor as
`tf.function`, with one difference: only the ops the fetches depend on run (stateful ops that
nothing fetched needs stay idle, as in TensorFlow 1).

Variables are TensorFlow 2 variables even when created inside `with graph.as_default():`: they
hold their initial value from the start. The graph remembers them, so
`tf.compat.v1.global_variables_initializer()` builds an op that assigns the initial values
again, and `global_variables()`/`trainable_variables()` list them.
"""

from __future__ import annotations

import threading

import numpy as np

from tensorflux._src.core import context as _context
from tensorflux._src.core.context import ctx
from tensorflux._src.graph.graph import Graph, Operation, SymbolicTensor
from tensorflux._src.tensor import Tensor

_default_graph = [None]
_local = threading.local()


def _session_stack() -> list:
    stack = getattr(_local, "sessions", None)
    if stack is None:
        stack = _local.sessions = []
    return stack


def get_default_graph() -> Graph:
    """The graph ops are added to: the innermost `as_default()` graph, else a global one."""
    g = ctx.graph
    if g is not None:
        return g
    if _default_graph[0] is None:
        _default_graph[0] = Graph()
    return _default_graph[0]


def reset_default_graph() -> None:
    """Replaces the global default graph by a new, empty one.

    Raises:
      AssertionError: inside a `with graph.as_default():` block or an open session.
    """
    if ctx.graph is not None or _session_stack():
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
            "graph, exit the nesting and create a new graph."
        )
    _default_graph[0] = Graph()


def get_default_session():
    """The innermost session entered with `with sess:` or `sess.as_default()`, or None."""
    stack = _session_stack()
    return stack[-1] if stack else None


def _is_variable(x) -> bool:
    return getattr(x, "_is_variable", False)


# ------------------------------------------------------------------------------ variables


def graph_variables(graph: Graph) -> list:
    """The variables created while `graph` was the default graph, in creation order."""
    return [v for v, _ in getattr(graph, "_v1_variables", ())]


def global_variables(scope=None) -> list:
    """The variables created in the default graph (filtered by name prefix `scope`)."""
    out = graph_variables(get_default_graph()) if ctx.graph is not None else []
    if scope:
        import re

        out = [v for v in out if re.match(scope, v.name)]
    return out


def trainable_variables(scope=None) -> list:
    """The trainable ones among `global_variables(scope)`."""
    return [v for v in global_variables(scope) if v.trainable]


def variables_initializer(var_list, name="init"):
    """An op that assigns each variable of `var_list` its initial value again.

    Outside a graph (eager execution) there is nothing to build: returns None, as the variables
    are initialized already.
    """
    graph = ctx.graph
    if graph is None:
        return None
    from tensorflux._src.graph.framework import group

    initial = {id(v): value for v, value in graph._v1_variables}
    assigns = []
    for v in var_list:
        init = initial.get(id(v))
        if init is None:
            raise ValueError(
                f"Variable {v.name} was not created in this graph; it has no initial value to "
                "assign here"
            )
        assigns.append(v.assign(init, read_value=False) or graph.get_operations()[-1])
    return group(*assigns, name=name)


def global_variables_initializer():
    """An op initializing every variable of the default graph (see `variables_initializer`)."""
    if ctx.graph is None:
        return None
    return variables_initializer(global_variables(), name="init")


def local_variables_initializer():
    """An op for the local variables: tensorflux keeps none, so a no-op."""
    if ctx.graph is None:
        return None
    from tensorflux._src.graph.framework import no_op

    return no_op(name="init_1")


# ------------------------------------------------------------------------------ placeholders


def placeholder(dtype, shape=None, name=None):
    """A graph input whose value is given at `Session.run` time through `feed_dict`.

    Raises:
      RuntimeError: when executing eagerly (outside `with graph.as_default():`).
    """
    graph = ctx.graph
    if graph is None:
        raise RuntimeError(
            "tf.placeholder() is not compatible with eager execution. Build it inside "
            "`with tf.Graph().as_default():`."
        )
    return graph.placeholder(dtype, shape, name=name or "Placeholder")


# ------------------------------------------------------------------------------ Session


class _Fetch:
    """One leaf of a fetch structure: a tensor to return, an op to run, or a variable to read."""

    __slots__ = ("kind", "obj")

    def __init__(self, kind, obj):
        self.kind = kind
        self.obj = obj


def _fetch_type_error(fetch, why: str) -> TypeError:
    return TypeError(f'Argument `fetch` = {fetch} has invalid type "{type(fetch).__name__}"{why}')


class Session:
    """Runs operations of a `tf.Graph` and returns NumPy values (TensorFlow 1 style).

    Args:
      target: Accepted for compatibility; only the local process ("") is supported.
      graph: The graph to run; the default graph when None.
      config: A `tf.compat.v1.ConfigProto`, accepted for compatibility: its settings do not
        change how the session runs (see docs/compat.md).

    Example:

      >>> g = tf.Graph()
      >>> with g.as_default():
      ...   x = tf.compat.v1.placeholder(tf.float32, [None])
      ...   y = x * 2.0
      >>> with tf.compat.v1.Session(graph=g) as sess:
      ...   sess.run(y, {x: [1.0, 2.0]})
      array([2., 4.], dtype=float32)
    """

    def __init__(self, target="", graph=None, config=None):
        if target not in ("", None, b""):
            raise NotImplementedError(
                f"tf.compat.v1.Session(target={target!r}): tensorflux runs sessions in this "
                "process only (target='')"
            )
        if graph is not None and not isinstance(graph, Graph):
            raise TypeError(f"graph must be a tf.Graph, but got {type(graph).__name__}")
        self._graph = graph if graph is not None else get_default_graph()
        if config is not None:
            from tensorflux._src.compat.config_pb import ConfigProto

            if not isinstance(config, ConfigProto):
                raise TypeError(f"config must be a tf.ConfigProto, but got {type(config)}")
        self._config = config
        self._closed = False
        self._plans: dict = {}
        self._contexts: list = []

    # --- properties -----------------------------------------------------------------------------

    @property
    def graph(self) -> Graph:
        """The graph this session runs."""
        return self._graph

    @property
    def graph_def(self):
        """The `GraphDef` of the session's graph."""
        return self._graph.as_graph_def()

    @property
    def sess_str(self) -> str:
        return ""

    # --- context --------------------------------------------------------------------------------

    def as_default(self):
        """A context in which this session is the default (`Tensor.eval()`, `Operation.run()`)."""
        return _DefaultSession(self)

    def __enter__(self):
        graph_cm = self._graph.as_default()
        graph_cm.__enter__()
        sess_cm = self.as_default()
        sess_cm.__enter__()
        self._contexts.append((graph_cm, sess_cm))
        return self

    def __exit__(self, exc_type, exc, tb):
        graph_cm, sess_cm = self._contexts.pop()
        sess_cm.__exit__(exc_type, exc, tb)
        graph_cm.__exit__(exc_type, exc, tb)
        self.close()
        return False

    def close(self) -> None:
        """Releases the session; running it afterwards raises RuntimeError."""
        self._closed = True
        self._plans.clear()

    def list_devices(self) -> list:
        """The logical devices this session can place ops on."""
        from tensorflux._src import config

        return config.list_logical_devices()

    # --- running --------------------------------------------------------------------------------

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs what `fetches` needs and returns their values.

        Args:
          fetches: A graph element (tensor, operation, variable, or their name) or a nest of
            them (lists, tuples, namedtuples, dicts).
          feed_dict: Maps placeholders (or their names) to values (NumPy arrays, lists,
            scalars).
          options: Accepted for compatibility; ignored.
          run_metadata: Accepted for compatibility; ignored.

        Returns:
          The fetches' structure with NumPy values (None for operations).

        Raises:
          RuntimeError: If the session is closed.
          TypeError: For a fetch that is not a graph element.
          ValueError: For a fetch of another graph, or a fed value of the wrong shape.
          tf.errors.InvalidArgumentError: If a needed placeholder is not fed.
        """
        del options, run_metadata
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        leaves: list[_Fetch] = []
        structure = self._parse(fetches, leaves)
        feeds = self._feeds(feed_dict)
        values = self._execute(leaves, feeds)
        return _rebuild(structure, iter(values))

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """A function running `fetches`, taking values for the placeholders of `feed_list`."""
        feed_list = list(feed_list or [])

        def call(*args, **kwargs):
            if len(args) != len(feed_list):
                raise TypeError(f"Expected {len(feed_list)} argument(s), got {len(args)}")
            return self.run(fetches, dict(zip(feed_list, args)))

        return call

    # --- internals ------------------------------------------------------------------------------

    def _leaf(self, fetch) -> _Fetch:
        graph = self._graph
        if fetch is None:
            raise _fetch_type_error(fetch, ". Cannot be None")
        if isinstance(fetch, str):
            try:
                if ":" in fetch:
                    return _Fetch("tensor", graph.get_tensor_by_name(fetch))
                return _Fetch("op", graph.get_operation_by_name(fetch))
            except KeyError as e:
                raise ValueError(
                    f"Argument `fetch` = {fetch} cannot be interpreted as a Tensor. ({e.args[0]})"
                ) from None
        if isinstance(fetch, (Operation, SymbolicTensor)):
            if fetch.graph is not graph:
                kind = "Operation" if isinstance(fetch, Operation) else "Tensor"
                raise ValueError(
                    f"Argument `fetch` = {fetch} cannot be interpreted as a Tensor. ({kind} "
                    f"{fetch} is not an element of this graph.)"
                )
            return _Fetch("op" if isinstance(fetch, Operation) else "tensor", fetch)
        if _is_variable(fetch):
            return _Fetch("variable", fetch)
        if isinstance(fetch, Tensor):  # an eager tensor: its value as it is
            return _Fetch("value", fetch)
        raise _fetch_type_error(
            fetch,
            " must be a string or Tensor. (Can not convert a "
            f"{type(fetch).__name__} into a Tensor or Operation.)",
        )

    def _parse(self, fetches, leaves: list):
        if isinstance(fetches, dict):
            return (type(fetches), [(k, self._parse(v, leaves)) for k, v in fetches.items()])
        if isinstance(fetches, tuple) and hasattr(fetches, "_fields"):
            return ("namedtuple", type(fetches), [self._parse(v, leaves) for v in fetches])
        if isinstance(fetches, (list, tuple)):
            return (type(fetches), [self._parse(v, leaves) for v in fetches])
        leaves.append(self._leaf(fetches))
        return None

    def _feeds(self, feed_dict) -> list:
        out = []
        for key, value in (feed_dict or {}).items():
            if isinstance(key, str):
                try:
                    key = self._graph.get_tensor_by_name(key if ":" in key else key + ":0")
                except (KeyError, ValueError) as e:
                    raise ValueError(
                        f"Cannot interpret feed_dict key as Tensor: {e.args[0]}"
                    ) from None
            elif hasattr(key, "deref"):
                key = key.deref()
            if not isinstance(key, SymbolicTensor):
                raise TypeError(
                    f"Cannot interpret feed_dict key as Tensor: Can not convert a "
                    f"{type(key).__name__} into a Tensor."
                )
            if key.graph is not self._graph:
                raise ValueError(
                    f"Cannot interpret feed_dict key as Tensor: Tensor {key} is not an element "
                    "of this graph."
                )
            if key.op.type != "Placeholder" or any(key is t for _, t in self._graph.captures):
                raise NotImplementedError(
                    f"Feeding {key.name} (a {key.op.type} output): tensorflux sessions feed "
                    "placeholders only"
                )
            if isinstance(value, Tensor) and not hasattr(value, "numpy"):
                raise TypeError(
                    "The value of a feed cannot be a tf.Tensor object. Acceptable feed values "
                    "include Python scalars, strings, lists, numpy ndarrays, or TensorHandles."
                )
            np_dtype = key.dtype.as_numpy_dtype
            arr = value.numpy() if isinstance(value, Tensor) else value
            arr = np.asarray(arr, dtype=None if key.dtype.name == "string" else np_dtype)
            if not key.shape.is_compatible_with(arr.shape):
                raise ValueError(
                    f"Cannot feed value of shape {arr.shape} for Tensor {key.name}, which has "
                    f"shape {_shape_text(key.shape)}"
                )
            out.append((key, arr))
        return out

    def _execute(self, leaves: list, feeds: list) -> list:
        from tensorflux._src.graph.executor import Executor

        tensors = [f.obj for f in leaves if f.kind == "tensor"]
        targets = [f.obj for f in leaves if f.kind == "op"]
        for f in leaves:
            op = getattr(f.obj, "_graph_op", None) if f.kind == "variable" else None
            if op is not None and op.graph is self._graph:
                targets.append(op)
        placeholders = [k for k, _ in feeds]
        key = (
            self._graph.version,
            tuple(map(id, tensors)),
            tuple(map(id, targets)),
            tuple(map(id, placeholders)),
        )
        plan = self._plans.get(key)
        if plan is None:
            plan = Executor(
                self._graph, placeholders, tensors, prune=True, keep_stateful=False,
                targets=targets,
            )  # fmt: skip
            self._plans[key] = plan
        with _context.eager_scope():
            results = plan(*[v for _, v in feeds]) if (tensors or targets) else []
        it = iter(results)
        out = []
        for f in leaves:
            if f.kind == "tensor":
                out.append(next(it).numpy())
            elif f.kind == "op":
                out.append(None)
            elif f.kind == "variable":
                out.append(f.obj.numpy())
            else:
                out.append(f.obj.numpy())
        return out


class InteractiveSession(Session):
    """A `Session` that makes itself the default session (and its graph's user) on creation."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default = self.as_default()
        self._default.__enter__()

    def close(self) -> None:
        if not self._closed and getattr(self, "_default", None) is not None:
            stack = _session_stack()
            if self in stack:
                stack.remove(self)
        super().close()


class _DefaultSession:
    def __init__(self, sess):
        self._sess = sess

    def __enter__(self):
        _session_stack().append(self._sess)
        return self._sess

    def __exit__(self, *exc):
        stack = _session_stack()
        if stack and stack[-1] is self._sess:
            stack.pop()
        return False


def _shape_text(shape) -> str:
    return "<unknown>" if shape.rank is None else str(tuple(shape.as_list()))


def _rebuild(structure, it):
    if structure is None:
        return next(it)
    if structure[0] == "namedtuple":
        _, cls, items = structure
        return cls(*[_rebuild(s, it) for s in items])
    cls, items = structure
    if issubclass(cls, dict):
        out = [(k, _rebuild(s, it)) for k, s in items]
        try:
            return cls(out)
        except TypeError:
            return dict(out)
    return cls(_rebuild(s, it) for s in items)


# ------------------------------------------------------------------------------ eval / run


def _run_in_session(element, feed_dict, session, how: str, what: str):
    """`element` (a tensor or an operation) run by `session` or the default session."""
    sess = session or get_default_session()
    if sess is None:
        raise ValueError(
            f"Cannot {how} using `{what}()`: No default session is registered. Use `with "
            f"sess.as_default()` or pass an explicit session to `{what}(session=sess)`"
        )
    if sess.graph is not element.graph:
        kind = "tensor" if what == "eval" else "operation"
        raise ValueError(
            f"Cannot use the given session to {how}: the {kind}'s graph is "
            "different from the session's graph."
        )
    return sess.run(element, feed_dict)


def eval_tensor(tensor: SymbolicTensor, feed_dict=None, session=None):
    """`Tensor.eval()`: the tensor's value in `session` or the default session."""
    return _run_in_session(tensor, feed_dict, session, "evaluate tensor", "eval")


def run_operation(op: Operation, feed_dict=None, session=None) -> None:
    """`Operation.run()`: runs `op` in `session` or the default session."""
    _run_in_session(op, feed_dict, session, "execute operation", "run")
