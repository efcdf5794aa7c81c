"""tf.nest: ordering rules, rebuilding, composites, and TensorFlow's exact error messages.

Expected messages were taken from TensorFlow 2.21.
"""

import collections
import types

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.core import nest as nest_impl

NT = collections.namedtuple("NT", "b a")
NT_SAME = collections.namedtuple("NT", "b a")
NT3 = collections.namedtuple("NT3", "b a")
OD = collections.OrderedDict


def test_public_names():
    # TensorFlow's five, plus flatten_with_joined_string_paths (TF keeps it internal; users ask).
    assert sorted(n for n in dir(tf.nest) if not n.startswith("_")) == [
        "assert_same_structure",
        "flatten",
        "flatten_with_joined_string_paths",
        "is_nested",
        "map_structure",
        "pack_sequence_as",
    ]


def test_flatten_with_joined_string_paths():
    s = {"b": [1, {"c": 2}], "a": (3,)}
    assert tf.nest.flatten_with_joined_string_paths(s) == [("a/0", 3), ("b/0", 1), ("b/1/c", 2)]


def test_flatten_order():
    assert tf.nest.flatten({"b": 1, "a": 2}) == [2, 1]
    assert tf.nest.flatten(OD([("b", 1), ("a", 2)])) == [2, 1]  # sorted keys, as TF
    assert tf.nest.flatten(NT(1, 2)) == [1, 2]
    assert tf.nest.flatten([1, [2, (3, {"k": 4})]]) == [1, 2, 3, 4]
    assert tf.nest.flatten({"b": {"d": 1, "c": 2}, "a": [3]}) == [3, 2, 1]
    assert tf.nest.flatten(None) == [None]
    assert tf.nest.flatten("ab") == ["ab"]
    assert tf.nest.flatten({1, 2}) == [{1, 2}]
    assert tf.nest.flatten([]) == []
    assert tf.nest.flatten(range(3)) == [0, 1, 2]
    assert tf.nest.flatten(collections.deque([1, 2])) == [1, 2]
    assert tf.nest.flatten({"a": 1}.values()) == [1]
    assert tf.nest.flatten(types.MappingProxyType({"b": 1, "a": 2})) == [2, 1]
    t = tf.constant([1, 2])
    assert tf.nest.flatten(t)[0] is t
    with pytest.raises(TypeError, match="'<' not supported"):
        tf.nest.flatten({1: "a", "x": 2})


def test_is_nested():
    assert tf.nest.is_nested({}) and tf.nest.is_nested([]) and tf.nest.is_nested(range(3))
    assert tf.nest.is_nested({}.keys())
    assert not tf.nest.is_nested({1}) and not tf.nest.is_nested(b"x") and not tf.nest.is_nested("x")
    assert not tf.nest.is_nested(np.zeros(3)) and not tf.nest.is_nested(tf.constant(1))


def test_pack_sequence_as():
    assert tf.nest.pack_sequence_as([1, [2]], [5, 6]) == [5, [6]]
    packed = tf.nest.pack_sequence_as(OD([("b", 1), ("a", 2)]), [5, 6])
    assert isinstance(packed, OD) and list(packed.items()) == [("b", 6), ("a", 5)]
    assert tf.nest.pack_sequence_as({"b": 1, "a": 2}, [5, 6]) == {"b": 6, "a": 5}
    dd = tf.nest.pack_sequence_as(collections.defaultdict(int, b=1, a=2), [5, 6])
    assert isinstance(dd, collections.defaultdict) and dd.default_factory is int
    assert dict(dd) == {"b": 6, "a": 5}
    assert tf.nest.pack_sequence_as(NT(1, 2), [3, 4]) == NT(3, 4)
    assert tf.nest.pack_sequence_as(range(3), [3, 4, 5]) == [3, 4, 5]
    assert tf.nest.pack_sequence_as(collections.deque([1, 2]), [3, 4]) == collections.deque([3, 4])
    assert tf.nest.pack_sequence_as([1, 2], (5, 6)) == [5, 6]
    assert tf.nest.pack_sequence_as(7, [8]) == 8


def test_pack_sequence_as_errors():
    with pytest.raises(ValueError) as e:
        tf.nest.pack_sequence_as([1, 2], [1])
    assert str(e.value) == (
        "Could not pack sequence. Structure had 2 atoms, but flat_sequence had 1 items.  "
        "Structure: [1, 2], flat_sequence: [1]."
    )
    with pytest.raises(ValueError) as e:
        tf.nest.pack_sequence_as(1, [1, 2])
    assert str(e.value) == (
        "The target structure is of type `<class 'int'>`\n  1\nHowever the input is a sequence "
        "(<class 'list'>) of length 2.\n  [1, 2]\nnest cannot guarantee that it is safe to map one "
        "to the other."
    )
    with pytest.raises(TypeError) as e:
        tf.nest.pack_sequence_as([1, 2], 5)
    assert str(e.value) == (
        "Attempted to pack value:\n  5\ninto a structure, but found incompatible type "
        "`<class 'int'>` instead."
    )
    with pytest.raises(TypeError, match="incompatible type `<class 'numpy.ndarray'>`"):
        tf.nest.pack_sequence_as([1, 2], np.array([5, 6]))
    with pytest.raises(TypeError, match="Error creating an object of type <class 'mappingproxy'>"):
        tf.nest.pack_sequence_as(types.MappingProxyType({"b": 1, "a": 2}), [3, 4])


def _msg(first, second, detail, dots1, dots2):
    return (
        "The two structures don't have the same nested structure.\n\n"
        f"First structure: {first}\n\nSecond structure: {second}\n\n"
        f"More specifically: {detail}\nEntire first structure:\n{dots1}\n"
        f"Entire second structure:\n{dots2}"
    )


def test_assert_same_structure_messages():
    with pytest.raises(ValueError) as e:
        tf.nest.assert_same_structure([1, 2], [1, 2, 3])
    assert str(e.value) == _msg(
        "type=list str=[1, 2]",
        "type=list str=[1, 2, 3]",
        "The two structures don't have the same number of elements. First structure: "
        "type=list str=[1, 2]. Second structure: type=list str=[1, 2, 3]",
        "[., .]",
        "[., ., .]",
    )
    with pytest.raises(ValueError) as e:
        tf.nest.assert_same_structure([1, [2]], [1, 2])
    assert str(e.value) == _msg(
        "type=list str=[1, [2]]",
        "type=list str=[1, 2]",
        'Substructure "type=list str=[2]" is a sequence, while substructure "type=int str=2" '
        "is not",
        "[., [.]]",
        "[., .]",
    )
    with pytest.raises(ValueError) as e:
        tf.nest.assert_same_structure(1, [1])
    assert str(e.value) == _msg(
        "type=int str=1",
        "type=list str=[1]",
        'Substructure "type=list str=[1]" is a sequence, while substructure "type=int str=1" '
        "is not",
        ".",
        "[.]",
    )
    with pytest.raises(TypeError) as e:
        tf.nest.assert_same_structure(NT(1, 2), (1, 2))
    assert str(e.value) == _msg(
        "type=NT str=NT(b=1, a=2)",
        "type=tuple str=(1, 2)",
        "The two namedtuples don't have the same sequence type. First structure type=NT "
        "str=NT(b=1, a=2) has type NT, while second structure type=tuple str=(1, 2) has type tuple",
        "NT(b=., a=.)",
        "(., .)",
    )
    with pytest.raises(ValueError) as e:
        tf.nest.assert_same_structure({"a": 1}, {"a": 1, "b": 2})
    assert str(e.value) == _msg(
        "type=dict str={'a': 1}",
        "type=dict str={'a': 1, 'b': 2}",
        "The two dictionaries don't have the same set of keys. First structure has keys "
        "type=list str=['a'], while second structure has keys type=list str=['a', 'b']",
        "{'a': .}",
        "{'a': ., 'b': .}",
    )
    with pytest.raises(ValueError, match="First structure: type=list str=\\[2, 3\\]"):
        tf.nest.assert_same_structure([1, [2, 3]], [1, [2]])


def test_assert_same_structure_type_rules():
    tf.nest.assert_same_structure([1, 2], (1, 2), check_types=False)
    tf.nest.assert_same_structure({"a": 1}, OD(a=1))  # any two mappings match
    tf.nest.assert_same_structure(NT(1, 2), NT_SAME(3, 4))  # same name and fields
    tf.nest.assert_same_structure(NT(1, 2), NT3(3, 4), check_types=False)
    with pytest.raises(TypeError, match="has type NT, while second structure .* has type NT3"):
        tf.nest.assert_same_structure(NT(1, 2), NT3(3, 4))
    with pytest.raises(TypeError, match="has type tuple, while second structure .* has type list"):
        tf.nest.assert_same_structure([(1, 2)], [[1, 2]])


def test_map_structure():
    assert tf.nest.map_structure(lambda a, b: a + b, [1, (2, 3)], [4, (5, 6)]) == [5, (7, 9)]
    assert tf.nest.map_structure(lambda *a: sum(a), {"a": 1}, OD(a=2)) == {"a": 3}
    out = tf.nest.map_structure(lambda x: x * 2, {"b": [1], "a": 2})
    assert out == {"b": [2], "a": 4} and list(out) == ["b", "a"]  # insertion order kept
    assert tf.nest.map_structure(lambda x: None, [1]) == [None]
    mixed = tf.nest.map_structure(lambda x, y: y, [1, (2, 3)], [4, [5, 6]], check_types=False)
    assert mixed == [4, (5, 6)]  # the first structure's types
    with pytest.raises(TypeError, match="^func must be callable, got: 5$"):
        tf.nest.map_structure(5, [1])
    with pytest.raises(ValueError, match="^Must provide at least one structure$"):
        tf.nest.map_structure(lambda a: a)
    with pytest.raises(ValueError) as e:
        tf.nest.map_structure(lambda a: a, [1, 2], foo=1)
    assert str(e.value) == (
        "Only valid keyword arguments are `check_types` and `expand_composites`, not: `foo`"
    )
    with pytest.raises(TypeError, match="don't have the same sequence type"):
        tf.nest.map_structure(lambda a, b: a, [1, 2], (3, 4))


class _PairSpec:
    def __init__(self, kind):
        self.kind = kind

    def _to_components(self, value):
        return [value.left, value.right]

    def _from_components(self, components):
        return _Pair(*components, kind=self.kind)

    def is_compatible_with(self, other):
        return self.kind == other.kind

    def __repr__(self):
        return f"PairSpec({self.kind})"


class _Pair:
    _is_composite_tensor = True

    def __init__(self, left, right, kind="x"):
        self.left, self.right = left, right
        self._type_spec = _PairSpec(kind)


def test_expand_composites():
    p = _Pair(1, 2)
    assert tf.nest.flatten([p, 3]) == [p, 3]
    assert tf.nest.flatten([p, 3], expand_composites=True) == [1, 2, 3]
    back = tf.nest.pack_sequence_as([p, 3], [10, 20, 30], expand_composites=True)
    assert isinstance(back[0], _Pair) and (back[0].left, back[0].right, back[1]) == (10, 20, 30)
    doubled = tf.nest.map_structure(lambda x: x * 2, {"p": p}, expand_composites=True)
    assert (doubled["p"].left, doubled["p"].right) == (2, 4)
    tf.nest.assert_same_structure(p, _Pair(5, 6), expand_composites=True)
    with pytest.raises(ValueError, match="Incompatible CompositeTensor TypeSpecs"):
        tf.nest.assert_same_structure(p, _Pair(5, 6, kind="y"), expand_composites=True)
    with pytest.raises(ValueError, match="is a sequence, while substructure"):
        tf.nest.assert_same_structure(p, 1, expand_composites=True)
    tf.nest.assert_same_structure(p, 1)  # unexpanded, a composite is a leaf


def test_attrs_like_classes():
    class Field:
        def __init__(self, name):
            self.name = name

    class Point:
        __attrs_attrs__ = (Field("y"), Field("x"))  # declaration order, not sorted

        def __init__(self, y, x):
            self.y, self.x = y, x

    pt = Point(1, 2)
    assert tf.nest.flatten(pt) == [1, 2]
    rebuilt = tf.nest.map_structure(lambda v: v + 10, pt)
    assert isinstance(rebuilt, Point) and (rebuilt.y, rebuilt.x) == (11, 12)


def test_path_helpers():
    s = {"b": [1, {"c": 2}], "a": NT(3, 4)}
    assert nest_impl.flatten_with_joined_string_paths(s) == [
        ("a/b", 3),
        ("a/a", 4),
        ("b/0", 1),
        ("b/1/c", 2),
    ]
    assert nest_impl.flatten_with_tuple_paths([5, (6,)]) == [((0,), 5), ((1, 0), 6)]
    out = nest_impl.map_structure_with_paths(lambda p, x: f"{p}={x}", {"k": [7]})
    assert out == {"k": ["k/0=7"]}


def test_up_to_helpers():
    shallow = [None, None]
    deep = [[1, 2], {"a": 3}]
    assert nest_impl.flatten_up_to(shallow, deep) == [[1, 2], {"a": 3}]
    assert nest_impl.map_structure_up_to(shallow, len, deep) == [2, 1]
    with pytest.raises(ValueError, match="same sequence length"):
        nest_impl.flatten_up_to([1, 2, 3], [1, 2])
    with pytest.raises(TypeError, match="input must also be a sequence"):
        nest_impl.assert_shallow_structure([1], 5)
