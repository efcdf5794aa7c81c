"""The lookup-table ops and the host storage they act on.

A table's handle is a scalar `resource` tensor whose value is a `TableCell` (like a variable's
`VarCell`): the kernels below reach the table's Python dictionary through it, eagerly and inside
traced functions alike (a traced function captures the handle as a resource placeholder). All ops
are stateful, so traced graphs keep them in program order.
"""

from __future__ import annotations

import itertools
import threading

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import FailedPreconditionError, InvalidArgumentError
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape

_NAMES = itertools.count(1)


class TableCell:
    """The storage behind a table handle: a dict from Python keys to values.

    It poses as a rank-0 array so that the handle is an ordinary scalar EagerTensor. `kind` is
    "static", "mutable" or "dense"; dense tables also carry their bucket count and reserved keys.
    """

    __slots__ = (
        "data", "key_dtype", "value_dtype", "key_shape", "value_shape", "kind", "name",
        "lock", "num_buckets", "empty_key", "deleted_key", "initialized", "__weakref__",
    )  # fmt: skip
    shape = ()
    ndim = 0
    size = 1
    dtype = np.dtype(object)

    def __init__(self, key_dtype, value_dtype, value_shape=(), kind="static", key_shape=()):
        self.data: dict = {}
        self.key_dtype = key_dtype
        self.value_dtype = value_dtype
        self.key_shape = tuple(key_shape)
        self.value_shape = tuple(value_shape)
        self.kind = kind
        self.name = f"table_{next(_NAMES)}"
        self.lock = threading.Lock()
        self.num_buckets = 0
        self.empty_key = None
        self.deleted_key = None
        self.initialized = False

    def __repr__(self) -> str:
        return (
            f'<ResourceHandle(name="{self.name}", device="/job:localhost/replica:0/task:0/'
            'device:CPU:0", container="localhost", type="tensorflow::lookup::LookupInterface", '
            'dtype and shapes : "[  ]")>'
        )

    __str__ = __repr__


def _host(a) -> np.ndarray:
    get = getattr(a, "get", None)  # a CuPy array: tables live on the host
    return np.asarray(get() if get is not None and not isinstance(a, np.ndarray) else a)


def _rows(arr: np.ndarray, inner: tuple) -> list:
    """The Python keys of `arr`: scalars, or tuples for keys with a shape of their own."""
    if not inner:
        return arr.reshape(-1).tolist()
    n = int(np.prod(inner))
    return [tuple(r) for r in arr.reshape(-1, n).tolist()]


def _outer(arr: np.ndarray, inner: tuple, what: str) -> tuple:
    k = len(inner)
    if k and tuple(arr.shape[arr.ndim - k :]) != inner:
        raise InvalidArgumentError(
            None, None,
            f"Expected key shape {list(inner)} in {what}, got {list(arr.shape)}",
        )  # fmt: skip
    return tuple(arr.shape[: arr.ndim - k])


def _np_dtype(dt):
    return object if dt is dtypes.string else dt.as_numpy_dtype


def _check_reserved(cell, keys: list) -> None:
    if cell.kind != "dense":
        return
    for k in keys:
        if k == cell.empty_key:
            raise InvalidArgumentError(
                None, None, "Using the empty_key as a table key is not allowed"
            )
        if k == cell.deleted_key:
            raise InvalidArgumentError(
                None, None, "Using the deleted_key as a table key is not allowed"
            )


def _fingerprint_bucket(keys: list, dtype, num_buckets: int) -> np.ndarray:
    """FarmHash Fingerprint64 of each key's string form, modulo `num_buckets` (TensorFlow's
    out-of-vocabulary buckets; integer keys hash their decimal spelling)."""
    import farmhash

    out = np.empty(len(keys), np.int64)
    for i, k in enumerate(keys):
        s = k if isinstance(k, bytes) else str(int(k)).encode()
        out[i] = farmhash.fingerprint64(s) % num_buckets
    return out


# ------------------------------------------------------------------ LookupTableFindV2


def _find_dtype(dts, attrs):
    if dts[1] is not attrs["Tin"]:
        raise InvalidArgumentError(
            None, None,
            f"Expected keys of type {attrs['Tin'].name}, got {dts[1].name} for {{op}}",
        )  # fmt: skip
    return attrs["Tout"]


def _find_shape(ins, attrs):
    keys = ins[1].shape
    k = len(attrs.get("key_shape", ()))
    if keys.rank is None:
        return TensorShape(None)
    outer = list(keys)[: keys.rank - k]
    return TensorShape(outer + list(attrs.get("value_shape", ())))


LookupTableFindV2 = defop(
    "LookupTableFindV2", infer=Rule(_find_dtype, _find_shape), stateful=True
)


@LookupTableFindV2.kernel
def _(xp, cell, keys, default_value, Tin=None, Tout=None, value_shape=(), key_shape=(),
      num_oov_buckets=0):  # fmt: skip
    keys = _host(keys)
    default = _host(default_value)
    outer = _outer(keys, cell.key_shape, "keys")
    flat = _rows(keys, cell.key_shape)
    _check_reserved(cell, flat)
    vshape = cell.value_shape
    n = len(flat)
    with cell.lock:
        data = cell.data
        if num_oov_buckets:
            out = np.fromiter((data.get(k, -1) for k in flat), np.int64, n)
            miss = out < 0
            if miss.any():
                idx = np.nonzero(miss)[0]
                buckets = _fingerprint_bucket([flat[i] for i in idx], Tin, num_oov_buckets)
                out[idx] = buckets + len(data)
            return out.reshape(outer)
        if not vshape:
            miss_val = default.reshape(()).item() if default.size == 1 else None
            vals = [data.get(k, miss_val) for k in flat]
            if default.size != 1:  # per-key defaults (dynamic_default_values)
                dflat = np.broadcast_to(default, outer).reshape(-1)
                vals = [dflat[i] if v is None else v for i, v in enumerate(vals)]
            return np.array(vals, dtype=_np_dtype(Tout)).reshape(outer)
        out = np.empty((n,) + vshape, dtype=_np_dtype(Tout))
        dflat = np.broadcast_to(default, outer + vshape).reshape((n,) + vshape)
        for i, k in enumerate(flat):
            v = data.get(k)
            out[i] = dflat[i] if v is None else v
        return out.reshape(outer + vshape)


# ------------------------------------------------------------------ insert, import, remove


def _no_outputs(dts, attrs):
    return []


def _put(cell, keys, values, replace: bool) -> None:
    keys, values = _host(keys), _host(values)
    outer = _outer(keys, cell.key_shape, "keys")
    want = outer + cell.value_shape
    if tuple(values.shape) != want:
        raise InvalidArgumentError(
            None, None, f"Expected shape {list(want)} for value, got {list(values.shape)}"
        )
    flat = _rows(keys, cell.key_shape)
    _check_reserved(cell, flat)
    n = len(flat)
    vals = values.reshape((n,) + cell.value_shape)
    vals = vals.tolist() if not cell.value_shape else [np.array(v) for v in vals]
    with cell.lock:
        data = cell.data
        if not replace:  # a static table's initialization: a key may not change value
            staged = dict(data)
            for k, v in zip(flat, vals):
                old = staged.setdefault(k, v)
                if old is not v and not np.array_equal(old, v):
                    raise FailedPreconditionError(
                        None, None,
                        f"HashTable has different value for same key. Key {_txt(k)} has "
                        f"{_txt(old)} and trying to add value {_txt(v)}",
                    )  # fmt: skip
        data.update(zip(flat, vals))
        if cell.kind == "dense":
            _grow(cell)


def _txt(v) -> str:
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


def _grow(cell) -> None:
    while len(cell.data) > 0.8 * cell.num_buckets:  # TensorFlow's maximum load factor
        cell.num_buckets *= 2


LookupTableInsertV2 = defop(
    "LookupTableInsertV2", infer=Rule(_no_outputs, lambda ins, attrs: []), num_outputs=0,
    stateful=True,
)  # fmt: skip


@LookupTableInsertV2.kernel
def _(xp, cell, keys, values):
    _put(cell, keys, values, replace=True)
    return []


LookupTableImportV2 = defop(
    "LookupTableImportV2", infer=Rule(_no_outputs, lambda ins, attrs: []), num_outputs=0,
    stateful=True,
)  # fmt: skip


@LookupTableImportV2.kernel
def _(xp, cell, keys, values):
    if cell.kind == "static":
        _put(cell, keys, values, replace=False)
        cell.initialized = True
        return []
    keys, values = _host(keys), _host(values)
    if cell.kind == "dense":  # an exported bucket array: drop the empty and deleted buckets
        flat = _rows(keys, cell.key_shape)
        keep = [i for i, k in enumerate(flat) if k != cell.empty_key and k != cell.deleted_key]
        n = int(np.prod(cell.key_shape)) if cell.key_shape else 1
        keys = keys.reshape((-1,) + cell.key_shape)[keep] if n else keys[:0]
        values = values.reshape((len(flat),) + cell.value_shape)[keep]
    with cell.lock:
        cell.data.clear()
        if cell.kind == "dense":
            cell.num_buckets = cell.num_buckets or 8
    _put(cell, keys, values, replace=True)
    return []


LookupTableRemoveV2 = defop(
    "LookupTableRemoveV2", infer=Rule(_no_outputs, lambda ins, attrs: []), num_outputs=0,
    stateful=True,
)  # fmt: skip


@LookupTableRemoveV2.kernel
def _(xp, cell, keys):
    keys = _host(keys)
    _outer(keys, cell.key_shape, "keys")
    flat = _rows(keys, cell.key_shape)
    _check_reserved(cell, flat)
    with cell.lock:
        for k in flat:
            cell.data.pop(k, None)
    return []


# ------------------------------------------------------------------ size, export

LookupTableSizeV2 = defop(
    "LookupTableSizeV2",
    infer=Rule(lambda dts, attrs: dtypes.int64, lambda ins, attrs: TensorShape([])),
    stateful=True,
)


@LookupTableSizeV2.kernel
def _(xp, cell, num_oov_buckets=0):
    return np.array(len(cell.data) + num_oov_buckets, np.int64)


def _export_shapes(ins, attrs):
    return [TensorShape(list(attrs["keys_shape"])), TensorShape(list(attrs["values_shape"]))]


LookupTableExportV2 = defop(
    "LookupTableExportV2",
    infer=Rule(lambda dts, attrs: [attrs["Tkeys"], attrs["Tvalues"]], _export_shapes),
    num_outputs=2,
    stateful=True,
)


@LookupTableExportV2.kernel
def _(xp, cell, Tkeys=None, Tvalues=None, keys_shape=(), values_shape=()):
    with cell.lock:
        items = list(cell.data.items())
    if cell.kind == "dense":
        return _dense_layout(cell, items, Tkeys, Tvalues)
    n = len(items)
    if cell.key_shape:
        keys = np.array([list(k) for k, _ in items], dtype=_np_dtype(Tkeys))
        keys = keys.reshape((n,) + cell.key_shape)
    else:
        keys = np.empty(n, dtype=_np_dtype(Tkeys))
        keys[:] = [k for k, _ in items]
    vals = np.array([v for _, v in items], dtype=_np_dtype(Tvalues))
    return [keys, vals.reshape((len(items),) + cell.value_shape)]


def _bucket_hash(k) -> int:
    if isinstance(k, bytes):
        import farmhash

        return farmhash.hash64(k)
    if isinstance(k, tuple):
        return hash(k) & 0xFFFFFFFFFFFFFFFF
    return int(k) & 0xFFFFFFFFFFFFFFFF


def _dense_layout(cell, items, tkeys, tvalues):
    """The bucket arrays of an open-addressing table (triangular probing), as TensorFlow
    exports them: `[num_buckets, key_size]` and `[num_buckets, value_size]`."""
    nb = cell.num_buckets
    ksize = int(np.prod(cell.key_shape)) if cell.key_shape else 1
    vsize = int(np.prod(cell.value_shape)) if cell.value_shape else 1
    keys = np.empty((nb, ksize), dtype=_np_dtype(tkeys))
    keys[:] = np.array(cell.empty_key, dtype=_np_dtype(tkeys)).reshape(-1)
    vals = np.zeros((nb, vsize), dtype=_np_dtype(tvalues))
    if tvalues is dtypes.string:
        vals[:] = b""
    used = np.zeros(nb, bool)
    mask = nb - 1
    for k, v in items:
        b = _bucket_hash(k) & mask
        probes = 0
        while used[b]:
            probes += 1
            b = (b + probes) & mask
        used[b] = True
        keys[b] = np.array(k, dtype=_np_dtype(tkeys)).reshape(-1)
        vals[b] = np.array(v, dtype=_np_dtype(tvalues)).reshape(-1)
    return [keys, vals]


# ------------------------------------------------------------------ InitializeTableFromTextFileV2

InitializeTableFromTextFileV2 = defop(
    "InitializeTableFromTextFileV2",
    infer=Rule(_no_outputs, lambda ins, attrs: []),
    num_outputs=0,
    stateful=True,
)


@InitializeTableFromTextFileV2.kernel
def _(xp, cell, filename, key_index=-2, value_index=-1, vocab_size=-1, delimiter="\t",
      offset=0):  # fmt: skip
    from tensorflux._src.lookup.text_file import read_table_file

    path = _host(filename).reshape(()).item()
    path = path.decode() if isinstance(path, bytes) else str(path)
    keys, values = read_table_file(
        path, cell.key_dtype, cell.value_dtype, key_index, value_index, vocab_size, delimiter,
        offset,
    )  # fmt: skip
    _put(cell, keys, values, replace=False)
    cell.initialized = True
    return []


not_differentiable(
    LookupTableFindV2, LookupTableInsertV2, LookupTableImportV2, LookupTableRemoveV2,
    LookupTableSizeV2, LookupTableExportV2, InitializeTableFromTextFileV2,
)  # fmt: skip
