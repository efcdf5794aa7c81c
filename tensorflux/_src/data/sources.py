"""Dataset sources: tensors, slices, range, zip, generators, random, files."""

from __future__ import annotations

import glob as _glob
import os

import numpy as np

from tensorflux._src.core import dtypes, errors, nest
from tensorflux._src.core.shape import TensorShape, as_shape
from tensorflux._src.data import dataset as _ds
from tensorflux._src.data.dataset import INFINITE, UNKNOWN, DatasetV2, wrap
from tensorflux._src.tensor import EagerTensor, convert_to_tensor
from tensorflux._src.tensor_spec import TensorSpec


class TensorDataset(DatasetV2):
    def __init__(self, tensors):
        self._element = _ds.normalize(tensors)
        self._spec = _ds.spec_of(self._element)

    def _iter(self):
        return iter((self._element,))

    def _cardinality(self) -> int:
        return 1


class TensorSliceDataset(DatasetV2):
    def __init__(self, tensors):
        element = _ds.normalize(tensors)
        flat = nest.flatten(element)
        if not flat:
            raise ValueError("Invalid `element`. `element` should not be empty.")
        n = None
        rows = [t._type_spec._unstack_value(t) if _ds.is_composite_spec(_ds.spec_of(t))
                else None for t in flat]  # composites (SparseTensor, ...): their rows, unstacked
        for t, r in zip(flat, rows):
            if r is not None:
                d = len(r)
                if n is not None and d != n:
                    raise errors.InvalidArgumentError(
                        None, None, f"Dimensions {n} and {d} are not compatible: all components "
                        "must have the same size in the 0th dimension.",
                    )  # fmt: skip
                n = d
                continue
            if t.shape.rank == 0:
                raise ValueError(
                    f"Unbatching a tensor is only supported for rank >= 1, got {t.shape}"
                )
            d = t.shape[0]
            if n is not None and d != n:
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    f"Dimensions {n} and {d} are not compatible: all components must have the "
                    "same size in the 0th dimension.",
                )
            n = d
        self._n = n
        self._composite = _ds.has_composites(_ds.spec_of(element))
        # Rows per leaf: an array for tensors, the list of unstacked values for composites.
        self._arrays = [t._value if r is None else r for t, r in zip(flat, rows)]
        self._dtypes = [t.dtype if r is None else None for t, r in zip(flat, rows)]
        self._structure = element
        self._spec = nest.map_structure(
            lambda t: t._type_spec._unbatch() if _ds.is_composite_spec(_ds.spec_of(t))
            else TensorSpec(t.shape[1:], t.dtype), element
        )  # fmt: skip

    def _iter(self):
        arrays, dts, spec = self._arrays, self._dtypes, self._spec
        if self._composite:
            pack = _ds.packer(spec)
            return (pack([a[i] if isinstance(a, list) else EagerTensor(a[i, ...], d, _CPU)
                          for a, d in zip(arrays, dts)]) for i in range(self._n))  # fmt: skip
        if len(arrays) == 1 and isinstance(spec, TensorSpec):
            a, dt = arrays[0], dts[0]
            return (EagerTensor(a[i, ...], dt, _CPU) for i in range(self._n))
        pack = _ds.packer(spec)
        pairs = list(zip(arrays, dts))
        return (pack([EagerTensor(a[i, ...], d, _CPU) for a, d in pairs]) for i in range(self._n))

    def _blocks(self, n, drop_remainder):
        if self._composite:
            return None
        total = self._n
        stop = total - total % n if drop_remainder else total
        arrays = self._arrays
        return ([a[i : i + n] for a in arrays] for i in range(0, stop, n))

    def _cardinality(self) -> int:
        return self._n


_CPU = None


def _set_cpu():
    global _CPU
    from tensorflux._src import devices

    _CPU = devices.CPU0


_set_cpu()


class RangeDataset(DatasetV2):
    def __init__(self, *args, output_type=dtypes.int64, name=None):
        args = [_ds.to_int(a) if a is not None else None for a in args]
        if len(args) == 1:
            start, stop, step = 0, args[0], 1
        elif len(args) == 2:
            (start, stop), step = args, 1
        elif len(args) == 3:
            start, stop, step = args
        else:
            raise ValueError(f"Invalid `args`: {args!r}; must be 1, 2 or 3 integers.")
        if step == 0:
            raise errors.InvalidArgumentError(None, None, "step must be a non-zero integer.")
        self._start, self._stop, self._step = start, stop, step
        self._dtype = dtypes.as_dtype(output_type)
        self._spec = TensorSpec([], self._dtype)

    def _range(self):
        if self._stop is None:
            import itertools

            return itertools.count(self._start, self._step)
        return range(self._start, self._stop, self._step)

    def _iter(self):
        dt = self._dtype
        np_dt = dt.as_numpy_dtype
        return (EagerTensor(np.array(i, np_dt), dt, _CPU) for i in self._range())

    def _blocks(self, n, drop_remainder):
        if self._stop is None:
            return None
        r = np.arange(self._start, self._stop, self._step, dtype=self._dtype.as_numpy_dtype)
        stop = len(r) - len(r) % n if drop_remainder else len(r)
        return ([r[i : i + n]] for i in range(0, stop, n))

    def _cardinality(self) -> int:
        if self._stop is None:
            return INFINITE
        return len(range(self._start, self._stop, self._step))


def _no_lists(x):
    if isinstance(x, list):
        raise TypeError(
            "Invalid input to `zip`. Inputs are expected to be (nested) structures of "
            "`tf.data.Dataset` objects. Python `list` is not supported and you should use "
            "`tuple` instead."
        )
    if isinstance(x, tuple):
        for v in x:
            _no_lists(v)
    elif isinstance(x, dict):
        for v in x.values():
            _no_lists(v)


class ZipDataset(DatasetV2):
    def __init__(self, datasets):
        _no_lists(datasets)
        flat = nest.flatten(datasets)
        for d in flat:
            if not isinstance(d, DatasetV2):
                raise TypeError(
                    "Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                    f"`tf.data.Dataset` objects. Python `list` is not supported and you should "
                    f"use `tuple` instead. Got {type(d).__name__}."
                )
        self._structure = datasets
        self._inputs = tuple(flat)
        self._spec = nest.map_structure(lambda d: d.element_spec, datasets)

    def _iter(self):
        its = [d._iter() for d in self._inputs]
        pack = _ds.packer(nest.map_structure(lambda d: 0, self._structure))
        return map(lambda *items: pack(items), *its)

    def _cardinality(self) -> int:
        cards = [d._cardinality() for d in self._inputs]
        finite = [c for c in cards if c >= 0]
        if finite:
            return min(finite)
        if any(c == UNKNOWN for c in cards):
            return UNKNOWN
        return INFINITE


def _spec_from(types, shapes):
    if shapes is None:
        shapes = nest.map_structure(lambda _: TensorShape(None), types)
    else:
        shapes = nest.map_structure_up_to(types, as_shape, _tuplify(shapes))
    return nest.map_structure(lambda t, s: TensorSpec(s, t), types, shapes)


def _tuplify(x):
    """Lists in output_shapes are shapes (leaves); tuples of shapes are structure."""
    return x


class GeneratorDataset(DatasetV2):
    def __init__(self, generator, output_types, output_shapes, args, output_signature):
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        if output_signature is not None:
            if output_types is not None:
                raise TypeError(
                    "The `output_types` argument can not be used together with the "
                    "`output_signature` argument."
                )
            if output_shapes is not None:
                raise TypeError(
                    "The `output_shapes` argument can not be used together with the "
                    "`output_signature` argument."
                )
            for s in nest.flatten(output_signature):
                if not isinstance(s, TensorSpec):
                    raise TypeError(
                        "`output_signature` must contain objects that are subclass of "
                        f"`tf.TypeSpec` but found {type(s)} which is not."
                    )
            spec = output_signature
        else:
            if output_types is None:
                raise TypeError(
                    "To specify the output signature you need to provide either the "
                    "`output_signature` argument or the `output_types` argument."
                )
            types = nest.map_structure(dtypes.as_dtype, output_types)
            spec = _spec_from(types, output_shapes)
        self._spec = spec
        self._generator = generator
        self._args = tuple(_ds.normalize(tuple(args))) if args is not None else ()

    def _iter(self):
        spec = self._spec
        flat_spec = nest.flatten(spec)
        gen = self._generator(*[_arg_value(a) for a in self._args])
        single = isinstance(spec, TensorSpec)
        for value in gen:
            if single:
                parts = [value]
            else:
                try:
                    parts = nest.flatten_up_to(
                        spec,
                        _ds.lists_to_tuples(value) if not isinstance(value, list) else tuple(value),
                    )
                except (TypeError, ValueError):
                    raise TypeError(
                        "`generator` yielded an element that did not match the expected "
                        f"structure. The expected structure was {spec}, but the yielded "
                        f"element was {value}."
                    ) from None
            out = []
            for v, s in zip(parts, flat_spec):
                out.append(_convert_checked(v, s))
            yield out[0] if single else nest.pack_sequence_as(spec, out)

    def _cardinality(self) -> int:
        return UNKNOWN


def _arg_value(t):
    v = t._value
    return v[()] if v.ndim == 0 else v


def _convert_checked(value, spec):
    try:
        t = convert_to_tensor(value, dtype=spec.dtype)
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"`generator` yielded an element that could not be converted to the expected "
            f"type. The expected type was {spec.dtype.name}, but the yielded element was "
            f"{value!r}. ({e})"
        ) from None
    if not spec.shape.is_compatible_with(t.shape):
        raise TypeError(
            f"`generator` yielded an element of shape {t.shape} where an element of shape "
            f"{spec.shape} was expected."
        )
    return t


class RandomDataset(DatasetV2):
    def __init__(self, seed=None, rerandomize_each_iteration=None):
        from tensorflux._src.data.transforms import _seed_value

        self._seed = _seed_value(seed)
        self._rerandomize = bool(rerandomize_each_iteration)
        self._epoch = 0
        self._spec = TensorSpec([], dtypes.int64)

    def _iter(self):
        seed = self._seed
        if self._rerandomize or seed is None:
            self._epoch += 1
            seed = None if seed is None else seed + self._epoch
        rng = np.random.default_rng(seed)
        while True:
            block = rng.integers(0, 2**63 - 1, size=256, dtype=np.int64)
            for i in range(len(block)):
                yield EagerTensor(block[i, ...], dtypes.int64, _CPU)

    def _cardinality(self) -> int:
        return INFINITE


def list_files(file_pattern, shuffle=None, seed=None):
    patterns = file_pattern
    if isinstance(patterns, EagerTensor):
        patterns = patterns._value.tolist()
    if isinstance(patterns, (str, bytes)):
        patterns = [patterns]
    names = []
    for p in patterns:
        p = p.decode() if isinstance(p, bytes) else p
        names.extend(sorted(_glob.glob(p)))
    if not names:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Expected 'file_pattern' argument to match at least one file: {file_pattern!r}",
        )
    arr = np.array([n.encode() for n in names], dtype=object)
    ds = TensorSliceDataset(wrap(arr, dtypes.string))
    if shuffle is None or shuffle:
        ds = ds.shuffle(len(names), seed=seed)
    return ds


def _filenames(filenames) -> list:
    if isinstance(filenames, DatasetV2):
        return [t._value[()] for t in filenames._iter()]
    if isinstance(filenames, EagerTensor):
        v = filenames._value
        return [v[()]] if v.ndim == 0 else list(v.ravel())
    if isinstance(filenames, (str, bytes, os.PathLike)):
        return [filenames]
    return list(filenames)


def _path(f) -> str:
    if isinstance(f, bytes):
        return f.decode()
    return os.fspath(f)


def _open(path, compression_type):
    c = (
        (compression_type or "").upper()
        if not isinstance(compression_type, EagerTensor)
        else compression_type._value[()].decode().upper()
    )
    if c == "GZIP":
        import gzip

        return gzip.open(path, "rb")
    if c == "ZLIB":
        import io
        import zlib

        with open(path, "rb") as f:
            return io.BytesIO(zlib.decompress(f.read()))
    if c not in ("", "NONE"):
        raise errors.InvalidArgumentError(None, None, f"Unsupported compression type: {c}")
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None


def _string(b) -> EagerTensor:
    return EagerTensor(np.array(b, dtype=object), dtypes.string, _CPU)


class TextLineDataset(DatasetV2):
    """The lines of one or more text files, without line endings (`tf.data.TextLineDataset`)."""

    def __init__(
        self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None
    ):
        self._files = _filenames(filenames)
        self._compression = compression_type
        self._spec = TensorSpec([], dtypes.string)

    def _iter(self):
        for f in self._files:
            with _open(_path(f), self._compression) as fh:
                for line in fh:
                    if line.endswith(b"\n"):
                        line = line[:-2] if line.endswith(b"\r\n") else line[:-1]
                    yield _string(line)

    def _cardinality(self) -> int:
        return UNKNOWN


class FixedLengthRecordDataset(DatasetV2):
    """Fixed-size byte records from binary files, after an optional header and before an
    optional footer (`tf.data.FixedLengthRecordDataset`)."""

    def __init__(
        self,
        filenames,
        record_bytes,
        header_bytes=None,
        footer_bytes=None,
        buffer_size=None,
        compression_type=None,
        num_parallel_reads=None,
        name=None,
    ):
        self._files = _filenames(filenames)
        self._record = _ds.to_int(record_bytes)
        self._header = _ds.to_int(header_bytes or 0)
        self._footer = _ds.to_int(footer_bytes or 0)
        self._compression = compression_type
        self._spec = TensorSpec([], dtypes.string)

    def _iter(self):
        for f in self._files:
            with _open(_path(f), self._compression) as fh:
                data = fh.read()
            body = data[self._header : len(data) - self._footer]
            n = len(body) // self._record
            for i in range(n):
                yield _string(body[i * self._record : (i + 1) * self._record])

    def _cardinality(self) -> int:
        return UNKNOWN


__all__ = [
    "FixedLengthRecordDataset",
    "GeneratorDataset",
    "RandomDataset",
    "RangeDataset",
    "TensorDataset",
    "TensorSliceDataset",
    "TextLineDataset",
    "ZipDataset",
]
