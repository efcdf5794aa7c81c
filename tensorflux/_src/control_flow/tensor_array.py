"""`tf.TensorArray`: a list of same-dtype tensors, written and read by index.

Eagerly it is a Python list of tensors. While tracing, its value is a `flow`: a variant tensor
holding an immutable tuple of arrays, transformed by TensorList ops (every write makes a new
flow), so it can be threaded through `tf.while_loop` like any loop variable.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, errors
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape, as_shape
from tensorflux._src.tensor import EagerTensor, Tensor, convert_to_tensor, static_value

_ctx = _context.ctx


class _TList:
    """The value inside a TensorList variant: a tuple of arrays (None: never written)."""

    __slots__ = ("items",)
    shape = ()
    ndim = 0
    size = 1
    dtype = np.dtype(object)

    def __init__(self, items):
        self.items = tuple(items)

    def __repr__(self) -> str:
        return f"<TensorList of {len(self.items)}>"


def _variant(dts, attrs):
    return dtypes.variant


def _scalar(inputs, attrs):
    return TensorShape([])


def _elem(attrs):
    return as_shape(attrs.get("element_shape", TensorShape(None)))


def _zeros_item(xp, attrs, i):
    shape = _elem(attrs)
    if not shape.is_fully_defined():
        raise errors.InvalidArgumentError(
            None, None,
            f"Could not read from TensorArray index {i}. Furthermore, the element shape is not "
            f"fully defined: {shape}. It is possible you are working with a resizeable "
            "TensorArray and stop_gradients is not allowing the gradients to be written. If you "
            "set the full element_shape property on the forward TensorArray, the proper "
            "all-zeros tensor will be returned instead of incurring this error.",
        )
    return xp.zeros(shape.as_list(), dtype=attrs["element_dtype"].as_numpy_dtype)


TensorListReserve = defop("TensorListReserve", infer=Rule(_variant, _scalar), host_inputs=(0,))


@TensorListReserve.kernel
def _(xp, num_elements, element_dtype=None, element_shape=None):
    return _TList([None] * int(num_elements))


TensorListFromTensor = defop("TensorListFromTensor", infer=Rule(_variant, _scalar))


@TensorListFromTensor.kernel
def _(xp, tensor, element_dtype=None, element_shape=None):
    return _TList([tensor[i] for i in range(tensor.shape[0])])


TensorListSetItem = defop(
    "TensorListSetItem", infer=Rule(_variant, _scalar), host_inputs=(1,), type_inputs=(2,)
)


@TensorListSetItem.kernel
def _(xp, lst, index, item, element_dtype=None, element_shape=None, resize=False):
    i = int(index)
    items = list(lst.items)
    if i < 0 or (i >= len(items) and not resize):
        raise errors.OutOfRangeError(
            None, None, f"Tried to write to index {i} but array is not resizeable and size is: "
            f"{len(items)} "
        )
    if i >= len(items):
        items += [None] * (i + 1 - len(items))
    items[i] = item
    return _TList(items)


def _item_shape(inputs, attrs):
    return _elem(attrs)


TensorListGetItem = defop(
    "TensorListGetItem",
    infer=Rule(lambda dts, attrs: attrs["element_dtype"], _item_shape),
    host_inputs=(1,),
)


@TensorListGetItem.kernel
def _(xp, lst, index, element_dtype=None, element_shape=None):
    i = int(index)
    if not 0 <= i < len(lst.items):
        raise errors.OutOfRangeError(
            None, None, f"Tried to read from index {i} but array size is: {len(lst.items)} "
        )
    v = lst.items[i]
    return _zeros_item(xp, {"element_dtype": element_dtype, "element_shape": element_shape},
                       i) if v is None else v


TensorListLength = defop(
    "TensorListLength", infer=Rule(lambda dts, attrs: dtypes.int32, _scalar)
)


@TensorListLength.kernel
def _(xp, lst):
    return np.asarray(len(lst.items), dtype=np.int32)


def _stack_items(xp, items, attrs):
    items = [(_zeros_item(xp, attrs, i) if v is None else v) for i, v in enumerate(items)]
    npdt = attrs["element_dtype"].as_numpy_dtype
    if not items:
        shape = _elem(attrs)
        tail = shape.as_list() if shape.is_fully_defined() else []
        return xp.zeros([0] + tail, dtype=npdt)
    return xp.stack(items).astype(npdt, copy=False)


def _stack_shape(inputs, attrs):
    n = attrs.get("num_elements", -1)
    return TensorShape([None if n is None or n < 0 else n]).concatenate(_elem(attrs))


TensorListStack = defop(
    "TensorListStack",
    infer=Rule(lambda dts, attrs: attrs["element_dtype"], _stack_shape),
)


@TensorListStack.kernel
def _(xp, lst, element_dtype=None, element_shape=None, num_elements=-1):
    return _stack_items(xp, lst.items, {"element_dtype": element_dtype,
                                        "element_shape": element_shape})


TensorListGather = defop(
    "TensorListGather",
    infer=Rule(lambda dts, attrs: attrs["element_dtype"], _stack_shape),
    host_inputs=(1,),
)


@TensorListGather.kernel
def _(xp, lst, indices, element_dtype=None, element_shape=None, num_elements=-1):
    n = len(lst.items)
    picked = []
    for i in np.asarray(indices).reshape(-1).tolist():
        if not 0 <= i < n:
            raise errors.OutOfRangeError(
                None, None, f"Tried to read from index {i} but array size is: {n} "
            )
        picked.append(lst.items[i])
    return _stack_items(xp, picked, {"element_dtype": element_dtype,
                                     "element_shape": element_shape})


TensorListScatterIntoExistingList = defop(
    "TensorListScatterIntoExistingList", infer=Rule(_variant, _scalar), host_inputs=(2,),
    type_inputs=(1,),
)


@TensorListScatterIntoExistingList.kernel
def _(xp, lst, tensor, indices, element_dtype=None, element_shape=None, resize=False):
    items = list(lst.items)
    for k, i in enumerate(np.asarray(indices).reshape(-1).tolist()):
        if i >= len(items):
            if not resize:
                raise errors.OutOfRangeError(
                    None, None, f"Tried to write to index {i} but array is not resizeable and "
                    f"size is: {len(items)} "
                )
            items += [None] * (i + 1 - len(items))
        items[i] = tensor[k]
    return _TList(items)


def _concat_shapes(inputs, attrs):
    e = _elem(attrs)
    n = attrs.get("num_elements", -1)
    if not e.rank:
        return [TensorShape(None), TensorShape([None])]
    lead = None
    if n is not None and n >= 0 and e[0] is not None:
        lead = n * e[0]
    return [TensorShape([lead]).concatenate(e[1:]),
            TensorShape([None if n is None or n < 0 else n])]


TensorListConcatV2 = defop(
    "TensorListConcatV2",
    infer=Rule(lambda dts, attrs: [attrs["element_dtype"], dtypes.int64], _concat_shapes),
    num_outputs=2,
)


@TensorListConcatV2.kernel
def _(xp, lst, element_dtype=None, element_shape=None, num_elements=-1):
    items = [(_zeros_item(xp, {"element_dtype": element_dtype, "element_shape": element_shape},
                          i) if v is None else v) for i, v in enumerate(lst.items)]
    npdt = element_dtype.as_numpy_dtype
    for i, v in enumerate(items):
        if v.ndim == 0:
            raise errors.InvalidArgumentError(
                None, None, f"Concat saw a scalar shape at index {i} but requires at least vectors."
            )
    lengths = np.asarray([v.shape[0] for v in items], dtype=np.int64)
    if not items:
        return [xp.zeros([0], dtype=npdt), lengths]
    return [xp.concatenate(items).astype(npdt, copy=False), lengths]


TensorListSplit = defop("TensorListSplit", infer=Rule(_variant, _scalar), host_inputs=(1,))


@TensorListSplit.kernel
def _(xp, tensor, lengths, element_dtype=None, element_shape=None):
    out, start = [], 0
    for n in np.asarray(lengths).reshape(-1).tolist():
        out.append(tensor[start:start + n])
        start += n
    if start != tensor.shape[0]:
        raise errors.InvalidArgumentError(
            None, None, f"Expected lengths to sum to {tensor.shape[0]}, got {start}"
        )
    return _TList(out)


# ------------------------------------------------------------------ gradients
#
# The gradient of a list is a list of the same length whose items are the items' gradients (None:
# zero). Any other value standing for a list gradient (the zeros backprop makes for an unused
# output) means all zeros. `TensorListGrad` computes the pieces, its `kind` attr saying which.


def _items_of(v, n=None):
    if isinstance(v, np.ndarray) and v.dtype == object and v.ndim == 0:
        v = v.item()
    if isinstance(v, _TList):
        return list(v.items)
    return [None] * (n or 0)


def _add_items(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def _tlist_add(self, other):
    if not isinstance(other, _TList):
        return self
    n = max(len(self.items), len(other.items))
    a = list(self.items) + [None] * (n - len(self.items))
    b = list(other.items) + [None] * (n - len(other.items))
    return _TList([_add_items(x, y) for x, y in zip(a, b)])


_TList.__add__ = _tlist_add
_TList.__radd__ = lambda self, other: _tlist_add(self, other)


def _grad_dtypes(dts, attrs):
    kind = attrs["kind"]
    if kind in ("get_item", "gather"):
        return [dtypes.variant]
    if kind == "set_item":
        return [dtypes.variant, dts[2]]
    if kind == "scatter":
        return [dtypes.variant, dts[1]]
    return [dts[1]]  # stack_like / concat_like: the template's dtype


def _grad_shapes(inputs, attrs):
    kind = attrs["kind"]
    if kind in ("get_item", "gather"):
        return [TensorShape([])]
    if kind == "set_item":
        return [TensorShape([]), inputs[2].shape]
    if kind == "scatter":
        return [TensorShape([]), inputs[1].shape]
    return [inputs[1].shape]


TensorListGrad = defop(
    "TensorListGrad",
    infer=Rule(_grad_dtypes, _grad_shapes),
    num_outputs=lambda attrs, n: 2 if attrs["kind"] in ("set_item", "scatter") else 1,
    type_inputs=(),
)


@TensorListGrad.kernel
def _(xp, a, b, c=None, kind=None):
    out = _list_grad(xp, a, b, c, kind)
    return out if kind in ("set_item", "scatter") else [out]


def _list_grad(xp, a, b, c, kind):
    if kind == "get_item":  # (forward list, index, dy) -> list gradient
        n = len(a.items)
        items = [None] * n
        items[int(b)] = c
        return _TList(items)
    if kind == "gather":  # (forward list, indices, dy) -> list gradient
        items = [None] * len(a.items)
        for k, i in enumerate(np.asarray(b).reshape(-1).tolist()):
            items[i] = _add_items(items[i], c[k])
        return _TList(items)
    if kind == "set_item":  # (list gradient, index, item) -> (gradient of input list, of item)
        i = int(b)
        items = _items_of(a, i + 1)
        g = items[i] if i < len(items) else None
        if i < len(items):
            items[i] = None
        return [_TList(items), xp.zeros_like(c) if g is None else g]
    if kind == "scatter":  # (list gradient, tensor, indices) -> (gradient of list, of tensor)
        idx = np.asarray(c).reshape(-1).tolist()
        items = _items_of(a, (max(idx) + 1) if idx else 0)
        rows = []
        for k, i in enumerate(idx):
            g = items[i] if i < len(items) else None
            rows.append(xp.zeros_like(b[k]) if g is None else g)
            if i < len(items):
                items[i] = None
        out = xp.stack(rows) if rows else xp.zeros_like(b)
        return [_TList(items), out]
    if kind == "stack_like":  # (list gradient, template [n, ...]) -> stacked gradient
        items = _items_of(a, b.shape[0])
        rows = [xp.zeros_like(b[i]) if i >= len(items) or items[i] is None else items[i]
                for i in range(b.shape[0])]
        return xp.stack(rows) if rows else xp.zeros_like(b)
    if kind == "concat_like":  # (list gradient, template, lengths) -> concatenated gradient
        lengths = np.asarray(c).reshape(-1).tolist()
        items = _items_of(a, len(lengths))
        pieces, start = [], 0
        for i, n in enumerate(lengths):
            g = items[i] if i < len(items) else None
            pieces.append(xp.zeros_like(b[start:start + n]) if g is None else g)
            start += n
        return xp.concatenate(pieces) if pieces else xp.zeros_like(b)
    raise ValueError(f"unknown TensorListGrad kind {kind!r}")


TensorListGrad.differentiable = False


@TensorListFromTensor.gradient
def _(op, dl):
    return [TensorListGrad(dl, op.inputs[0], kind="stack_like")[0]]


@TensorListStack.gradient
def _(op, dy):
    return [TensorListFromTensor(dy, element_dtype=op.get_attr("element_dtype"),
                                 element_shape=op.get_attr("element_shape"))]


@TensorListGetItem.gradient
def _(op, dy):
    return [TensorListGrad(op.inputs[0], op.inputs[1], dy, kind="get_item")[0], None]


@TensorListGather.gradient
def _(op, dy):
    return [TensorListGrad(op.inputs[0], op.inputs[1], dy, kind="gather")[0], None]


@TensorListSetItem.gradient
def _(op, dl):
    dlist, ditem = TensorListGrad(dl, op.inputs[1], op.inputs[2], kind="set_item")
    return [dlist, None, ditem]


@TensorListScatterIntoExistingList.gradient
def _(op, dl):
    dlist, dt = TensorListGrad(dl, op.inputs[1], op.inputs[2], kind="scatter")
    return [dlist, dt, None]


@TensorListConcatV2.gradient
def _(op, dy, dlengths):
    return [TensorListSplit(dy, op.outputs[1], element_dtype=op.get_attr("element_dtype"),
                            element_shape=TensorShape(None))]


@TensorListSplit.gradient
def _(op, dl):
    return [TensorListGrad(dl, op.inputs[0], op.inputs[1], kind="concat_like")[0], None]


TensorListReserve.differentiable = False
TensorListLength.differentiable = False


# ------------------------------------------------------------------ TensorArray


def _index(i):
    if isinstance(i, Tensor):
        v = i.numpy() if isinstance(i, EagerTensor) else None
        return i if v is None else int(v)
    return int(i)


class TensorArray:
    """A list of tensors of one dtype, with per-index writes and reads.

    Args:
      dtype: the element dtype.
      size: the initial number of elements (needed unless `dynamic_size`).
      dynamic_size: writes past the end grow the array.
      clear_after_read: (eager) an element can be read only once.
      tensor_array_name, handle, flow, colocate_with_first_write_call, name: accepted.
      infer_shape: require every element to have the first written element's shape.
      element_shape: the shape every element has (may be partially known).
    """

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._clear_after_read = True if clear_after_read is None else bool(clear_after_read)
        self._infer_shape = infer_shape
        self._element_shape = (TensorShape(None) if element_shape is None
                               else as_shape(element_shape))
        self._read_once: set = set()
        self._static_size = None
        if flow is not None:
            self._flow = flow
            self._items = None
            return
        if size is None and not dynamic_size:
            raise ValueError("Size must be provided if handle is not provided")
        if _ctx.graph is None:
            n = 0 if size is None else int(convert_to_tensor(size).numpy())
            self._items = [None] * n
            self._flow = None
        else:
            self._items = None
            n = 0 if size is None else size
            self._static_size = _static_int(n)
            self._flow = TensorListReserve(n, element_dtype=self._dtype,
                                           element_shape=self._element_shape)

    # --- properties -----------------------------------------------------------------------------

    @property
    def dtype(self):
        return self._dtype

    @property
    def element_shape(self) -> TensorShape:
        return self._element_shape

    @property
    def dynamic_size(self) -> bool:
        return self._dynamic_size

    @property
    def flow(self):
        """The functional value (traced), or a scalar placeholder eagerly."""
        if self._flow is None:
            return convert_to_tensor(0.0)
        return self._flow

    @property
    def handle(self):
        return self.flow

    def _eager(self) -> bool:
        return self._items is not None

    def _new(self, flow=None, items=None, size="same") -> TensorArray:
        ta = TensorArray.__new__(TensorArray)
        ta.__dict__.update(self.__dict__)
        if size != "same":
            ta._static_size = size
        ta._read_once = set(self._read_once)
        ta._flow = flow
        ta._items = items
        return ta

    def _merge_shape(self, shape) -> None:
        if not self._infer_shape:
            return
        if not self._element_shape.is_compatible_with(shape) or (
            self._element_shape.rank is not None and shape.rank is not None
            and self._element_shape.rank != shape.rank
        ):
            raise ValueError(f"Incompatible shape for value ({shape}), expected "
                             f"({self._element_shape})")
        self._element_shape = self._element_shape.merge_with(shape)

    def _value(self, value):
        if isinstance(value, Tensor) and value.dtype is not self._dtype:
            raise errors.InvalidArgumentError(
                None, None, f"TensorArray dtype is {self._dtype.name} but Op is trying to write "
                f"dtype {value.dtype.name} "
            )
        return convert_to_tensor(value, dtype=self._dtype)

    # --- element access -------------------------------------------------------------------------

    def size(self, name=None):
        """The number of elements, as an int32 scalar tensor."""
        if self._eager():
            return convert_to_tensor(len(self._items), dtype=dtypes.int32)
        return TensorListLength(self._flow)

    def read(self, index, name=None):
        """The element at `index` (zeros of `element_shape` if never written)."""
        if self._eager():
            i = _index(index)
            n = len(self._items)
            if not 0 <= i < n:
                raise errors.OutOfRangeError(
                    None, None, f"Tried to read from index {i} but array size is: {n} ")
            v = self._items[i]
            if v is None:
                if i in self._read_once:
                    raise errors.InvalidArgumentError(
                        None, None, f"Could not read index {i} twice because it was cleared "
                        "after a previous read (perhaps try setting clear_after_read = false?)")
                v = self._zeros(i)
            if self._clear_after_read:
                self._items[i] = None
                self._read_once.add(i)
            return v
        return TensorListGetItem(self._flow, index, element_dtype=self._dtype,
                                 element_shape=self._element_shape)

    def _zeros(self, i):
        from tensorflux._src.ops import array_ops

        if not self._element_shape.is_fully_defined():
            raise errors.InvalidArgumentError(
                None, None, f"Could not read from TensorArray index {i}. Furthermore, the "
                f"element shape is not fully defined: {self._element_shape}.")
        return array_ops.zeros(self._element_shape.as_list(), self._dtype)

    def write(self, index, value, name=None) -> TensorArray:
        """Writes `value` at `index`; returns the TensorArray to use from now on."""
        value = self._value(value)
        self._merge_shape(value.shape)
        if self._eager():
            i = _index(index)
            n = len(self._items)
            if i < 0 or (i >= n and not self._dynamic_size):
                raise errors.OutOfRangeError(
                    None, None, f"Tried to write to index {i} but array is not resizeable and "
                    f"size is: {n} ")
            if i >= n:
                self._items.extend([None] * (i + 1 - n))
            self._items[i] = value
            return self
        flow = TensorListSetItem(self._flow, index, value, element_dtype=self._dtype,
                                 element_shape=self._element_shape, resize=self._dynamic_size)
        return self._new(flow=flow, size=self._static_size if not self._dynamic_size else None)

    def stack(self, name=None):
        """All elements stacked along a new first axis."""
        from tensorflux._src.ops import array_ops

        if self._eager():
            items = [self._zeros(i) if v is None else v for i, v in enumerate(self._items)]
            if not items:
                tail = (self._element_shape.as_list()
                        if self._element_shape.is_fully_defined() else [])
                return array_ops.zeros([0] + tail, self._dtype)
            return array_ops.stack(items)
        n = self._static_size
        return TensorListStack(self._flow, element_dtype=self._dtype,
                               element_shape=self._element_shape,
                               num_elements=-1 if n is None else n)

    def gather(self, indices, name=None):
        """The elements at `indices`, stacked."""
        from tensorflux._src.ops import array_ops

        if self._eager():
            idx = np.asarray(convert_to_tensor(indices).numpy()).reshape(-1).tolist()
            return array_ops.stack([self.read(i) for i in idx]) if idx else self.stack()
        iv = static_value(convert_to_tensor(indices))
        n = -1 if iv is None else int(np.size(iv))
        return TensorListGather(self._flow, indices, element_dtype=self._dtype,
                                element_shape=self._element_shape, num_elements=n)

    def unstack(self, value, name=None) -> TensorArray:
        """Writes the slices of `value` along its first axis as elements 0..n-1."""
        from tensorflux._src.ops import array_ops

        value = self._value(value)
        n = value.shape[0] if value.shape.rank else None
        if value.shape.rank is not None:
            self._merge_shape(value.shape[1:])
        if self._eager():
            if not self._dynamic_size and n > len(self._items) and len(self._items):
                raise ValueError(f"Cannot unstack {n} tensors into a TensorArray of static size "
                                 f"{len(self._items)} ")
            items = array_ops.unstack(value) if n else []
            self._items = list(items) + self._items[n:]
            return self
        flow = TensorListFromTensor(value, element_dtype=self._dtype,
                                    element_shape=self._element_shape)
        return self._new(flow=flow, size=n)

    def scatter(self, indices, value, name=None) -> TensorArray:
        """Writes `value[k]` at `indices[k]`."""
        from tensorflux._src.ops import array_ops

        value = self._value(value)
        if value.shape.rank is not None:
            self._merge_shape(value.shape[1:])
        if self._eager():
            idx = np.asarray(convert_to_tensor(indices).numpy()).reshape(-1).tolist()
            for i, v in zip(idx, array_ops.unstack(value) if idx else []):
                self.write(i, v)
            return self
        flow = TensorListScatterIntoExistingList(
            self._flow, value, indices, element_dtype=self._dtype,
            element_shape=self._element_shape, resize=self._dynamic_size)
        return self._new(flow=flow, size=self._static_size if not self._dynamic_size else None)

    def concat(self, name=None):
        """All elements concatenated along their first axis."""
        from tensorflux._src.ops import manip_ops

        if self._eager():
            items = [self._zeros(i) if v is None else v for i, v in enumerate(self._items)]
            if not items:
                from tensorflux._src.ops import array_ops

                return array_ops.zeros([0], self._dtype)
            return manip_ops.concat(items, 0)
        n = self._static_size
        return TensorListConcatV2(self._flow, element_dtype=self._dtype,
                                  element_shape=self._element_shape,
                                  num_elements=-1 if n is None else n)[0]

    def split(self, value, lengths, name=None) -> TensorArray:
        """Splits `value` along its first axis into pieces of `lengths`, one element each."""
        from tensorflux._src.ops import manip_ops

        value = self._value(value)
        if self._eager():
            ls = [int(v) for v in np.asarray(convert_to_tensor(lengths).numpy()).reshape(-1)]
            pieces = manip_ops.split(value, ls, 0) if ls else []
            self._items = list(pieces) + self._items[len(ls):]
            return self
        flow = TensorListSplit(value, lengths, element_dtype=self._dtype,
                               element_shape=self._element_shape)
        lv = static_value(convert_to_tensor(lengths))
        return self._new(flow=flow, size=None if lv is None else int(np.size(lv)))

    def identity(self) -> TensorArray:
        return self

    def close(self, name=None):
        return None

    def mark_used(self) -> None:
        pass

    def __repr__(self) -> str:
        return f"<tf.TensorArray dtype={self._dtype.name} element_shape={self._element_shape}>"


def functional_tensor_array(dtype, size, dynamic_size=False, element_shape=None,
                            infer_shape=True) -> TensorArray:
    """A TensorArray in its traced (flow) form even when executing eagerly."""
    dtype = dtypes.as_dtype(dtype)
    shape = TensorShape(None) if element_shape is None else as_shape(element_shape)
    flow = TensorListReserve(size, element_dtype=dtype, element_shape=shape)
    ta = TensorArray(dtype, dynamic_size=dynamic_size, flow=flow, element_shape=shape,
                     infer_shape=infer_shape)
    ta._static_size = None if dynamic_size else _static_int(size)
    return ta


def _static_int(n):
    if isinstance(n, Tensor):
        v = static_value(n)
        return None if v is None else int(v)
    return int(n)


def to_flow(ta: TensorArray):
    """The loop-variable form of a TensorArray (its flow; eager arrays are made functional)."""
    if ta._eager():
        items = [ta._zeros(i) if v is None else v for i, v in enumerate(ta._items)]
        flow = TensorListReserve(len(items), element_dtype=ta._dtype,
                                 element_shape=ta._element_shape)
        for i, v in enumerate(items):
            flow = TensorListSetItem(flow, i, v, element_dtype=ta._dtype,
                                     element_shape=ta._element_shape)
        return flow
    return ta._flow


def from_flow(flow, like: TensorArray) -> TensorArray:
    return like._new(flow=flow, size=None)
