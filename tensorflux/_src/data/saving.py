"""`Dataset.save` / `Dataset.load`, and the record format `cache(filename)` also uses."""

from __future__ import annotations

import collections
import gzip
import json
import os
import struct

import numpy as np

from tensorflux._src.core import dtypes, errors, nest
from tensorflux._src.data import dataset as _ds
from tensorflux._src.data.dataset import DatasetV2, StructuredFunction, wrap
from tensorflux._src.tensor_spec import TensorSpec

# ------------------------------------------------------------------------------------ save/load
# Directory format: `spec.json` (the element structure) and `shard_<k>.tfxdata` files holding
# records: per component `u8 dtype-name length, name, u8 rank, i64 dims, payload` where strings
# are `u64 length + bytes` each. No pickle: loading cannot run code.


def _spec_to_json(spec):
    if isinstance(spec, TensorSpec):
        return {
            "spec": spec.dtype.name,
            "shape": spec.shape.as_list() if spec.shape.rank is not None else None,
        }
    if nest.is_namedtuple(spec):
        return {
            "namedtuple": type(spec).__name__,
            "fields": list(spec._fields),
            "items": [_spec_to_json(s) for s in spec],
        }
    if isinstance(spec, tuple):
        return {"tuple": [_spec_to_json(s) for s in spec]}
    if isinstance(spec, dict):
        return {"dict": [[k, _spec_to_json(v)] for k, v in spec.items()]}
    raise NotImplementedError(f"Dataset.save of elements of type {spec!r}")


def _spec_from_json(j):
    if "spec" in j:
        return TensorSpec(j["shape"], dtypes.as_dtype(j["spec"]))
    if "namedtuple" in j:
        cls = collections.namedtuple(j["namedtuple"], j["fields"])
        return cls(*[_spec_from_json(s) for s in j["items"]])
    if "tuple" in j:
        return tuple(_spec_from_json(s) for s in j["tuple"])
    return {k: _spec_from_json(v) for k, v in j["dict"]}


def write_record(f, arrays) -> None:
    for a in arrays:
        name = a.dtype.name.encode() if a.dtype != object else b"string"
        f.write(struct.pack("<B", len(name)) + name + struct.pack("<B", a.ndim))
        f.write(struct.pack(f"<{a.ndim}q", *a.shape))
        if a.dtype == object:
            for b in a.ravel():
                f.write(struct.pack("<Q", len(b)) + b)
        else:
            f.write(np.ascontiguousarray(a).tobytes())


def read_records(f, n_components: int):
    while True:
        head = f.read(1)
        if not head:
            return
        row = []
        for i in range(n_components):
            if i:
                head = f.read(1)
            name = f.read(head[0]).decode()
            (rank,) = struct.unpack("<B", f.read(1))
            shape = struct.unpack(f"<{rank}q", f.read(8 * rank))
            size = int(np.prod(shape)) if rank else 1
            if name == "string":
                items = []
                for _ in range(size):
                    (k,) = struct.unpack("<Q", f.read(8))
                    items.append(f.read(k))
                arr = np.empty(size, dtype=object)
                arr[:] = items
                row.append(arr.reshape(shape))
            else:
                dt = dtypes.as_dtype(name).as_numpy_dtype
                nbytes = size * np.dtype(dt).itemsize
                row.append(np.frombuffer(f.read(nbytes), dtype=dt).reshape(shape).copy())
        yield row


def _opener(compression):
    if compression == "GZIP":
        return gzip.open
    if compression in (None, "", "NONE"):
        return open
    raise ValueError(f"Unsupported compression {compression!r}; use None or 'GZIP'.")


def save(dataset, path, compression=None, shard_func=None):
    from tensorflux._src.data.structure import has_composites

    if has_composites(dataset.element_spec):
        raise NotImplementedError("Dataset.save of sparse or ragged elements is not supported yet")
    path = os.fspath(path)
    os.makedirs(path, exist_ok=True)
    opener = _opener(compression)
    files: dict = {}
    key_fn = (
        None if shard_func is None else StructuredFunction(shard_func, dataset.element_spec, "save")
    )
    try:
        for elem in _ds._iterate(dataset):
            k = 0 if key_fn is None else int(key_fn(elem)._value)
            f = files.get(k)
            if f is None:
                f = files[k] = opener(os.path.join(path, f"shard_{k}.tfxdata"), "wb")
            write_record(f, [t._value for t in nest.flatten(elem)])
    finally:
        for f in files.values():
            f.close()
    meta = {
        "element_spec": _spec_to_json(dataset.element_spec),
        "compression": compression,
        "shards": sorted(files),
        "format": "tensorflux-dataset-1",
    }
    with open(os.path.join(path, "spec.json"), "w") as f:
        json.dump(meta, f)


class _LoadDataset(DatasetV2):
    def __init__(self, path, spec, files, compression):
        self._path, self._spec, self._files = path, spec, files
        self._opener = _opener(compression)

    def _iter(self):
        flat_spec = nest.flatten(self._spec)
        for name in self._files:
            with self._opener(os.path.join(self._path, name), "rb") as f:
                for row in read_records(f, len(flat_spec)):
                    yield _ds.pack(self._spec, [wrap(a, s.dtype) for a, s in zip(row, flat_spec)])


def load(path, element_spec=None, compression=None, reader_func=None):
    path = os.fspath(path)
    meta_path = os.path.join(path, "spec.json")
    if not os.path.exists(meta_path):
        raise errors.NotFoundError(None, None, f"Could not find metadata file {meta_path}")
    with open(meta_path) as f:
        meta = json.load(f)
    spec = _spec_from_json(meta["element_spec"]) if element_spec is None else element_spec
    files = [f"shard_{k}.tfxdata" for k in meta["shards"]]
    if reader_func is not None:
        raise NotImplementedError("Dataset.load(reader_func=...) is not implemented.")
    return _LoadDataset(path, spec, files, meta["compression"])
