"""GraphDef: a serializable description of a Graph, and importing one into another Graph.

`as_graph_def(graph)` lists one `NodeDef` per operation in creation order (which is topological):
name, op type, inputs (`"op"`, `"op:1"`, control inputs as `"^op"`), attrs and device.
`import_graph_def` rebuilds the nodes in the default graph under a name prefix.
"""

from __future__ import annotations

import copy

import numpy as np

from tensorflux._src.core import registry
from tensorflux._src.core.context import ctx
from tensorflux._src.graph import graph as _graph


class GraphDef:
    """A list of `NodeDef`s (`.node`) describing a graph."""

    def __init__(self, node=None):
        self.node = list(node or [])

    def __str__(self) -> str:
        return "".join(f"node {{\n{n}}}\n" for n in self.node)

    def __repr__(self) -> str:
        return f"<GraphDef with {len(self.node)} nodes>"

    def __eq__(self, other) -> bool:
        if not isinstance(other, GraphDef) or len(self.node) != len(other.node):
            return False
        return all(_node_key(a) == _node_key(b) for a, b in zip(self.node, other.node))

    __hash__ = None


def _node_key(n) -> tuple:
    attrs = tuple(
        sorted(
            (k, v.tobytes() if isinstance(v, np.ndarray) else repr(v)) for k, v in n.attr.items()
        )
    )
    return (n.name, n.op, tuple(n.input), n.device, attrs)


def as_graph_def(graph) -> GraphDef:
    """The `GraphDef` of `graph`: one node per operation, in creation order."""
    return GraphDef([_graph.NodeDef(op) for op in graph.get_operations()])


def _split_input(s: str):
    if s.startswith("^"):
        return s[1:], None
    name, sep, idx = s.rpartition(":")
    if sep and idx.isdigit():
        return name, int(idx)
    return s, 0


def import_graph_def(
    graph_def, input_map=None, return_elements=None, name=None, op_dict=None, producer_op_list=None
):
    """Adds the nodes of `graph_def` to the default graph.

    Args:
      graph_def: A `GraphDef` (from `Graph.as_graph_def()`).
      input_map: Optional dict from tensor names in `graph_def` (`"x:0"` or `"x"`) to tensors of
        the current graph used in their place.
      return_elements: Optional list of names in `graph_def`: `"op"` returns the imported
        `Operation`, `"op:i"` its i-th output tensor.
      name: Prefix for the imported node names (default "import").
      op_dict: Unused; kept for TensorFlow compatibility.
      producer_op_list: Unused; kept for TensorFlow compatibility.

    Returns:
      The imported elements named by `return_elements`, or None.

    Raises:
      ValueError: For unknown op types, missing inputs or names not in `graph_def`.
      RuntimeError: When there is no graph to import into (eager mode).
    """
    del op_dict, producer_op_list
    graph = ctx.graph
    if graph is None:
        raise RuntimeError(
            "import_graph_def needs a graph: call it inside `with tf.Graph().as_default():` or "
            "a tf.function"
        )
    prefix = "import" if name is None else name
    if prefix:
        prefix = graph.unique_name(prefix.rstrip("/")) + "/"
    mapped = {}
    for k, v in (input_map or {}).items():
        key = k if ":" in k and not k.startswith("^") else k + ":0"
        mapped[key] = v
    used = set()
    by_name: dict = {}

    def resolve(src: str):
        base, idx = _split_input(src)
        key = f"{base}:{idx}"
        if idx is not None and key in mapped:
            used.add(key)
            return mapped[key]
        op = by_name.get(base)
        if op is None:
            raise ValueError(f"Node '{base}' used as input is not in graph_def (or comes later)")
        if idx is None:
            return op
        return op.outputs[idx]

    for node in graph_def.node:
        ins, ctrl = [], []
        for s in node.input:
            (ctrl if s.startswith("^") else ins).append(resolve(s))
        attrs = copy.copy(dict(node.attr))
        full = prefix + node.name
        with graph._no_control_dependencies(), graph.control_dependencies(ctrl):
            if node.op == "Const":
                graph.constant(attrs["value"], attrs["dtype"], name=full + "/")
            elif node.op == "Placeholder":
                graph.placeholder(attrs["dtype"], attrs.get("shape"), name=full + "/")
            else:
                op_def = registry._OPS.get(node.op)
                if op_def is None:
                    raise ValueError(f"Op type not registered '{node.op}' in node '{node.name}'")
                graph.add_op(op_def, ins, attrs, name=full + "/")
        op = graph.get_operations()[-1]
        if getattr(node, "device", ""):
            op.device = node.device
        graph._names_in_use[full.lower()] = 1
        by_name[node.name] = op
    unused = set(mapped) - used
    if unused:
        raise ValueError(
            "Attempted to map inputs that were not found in graph_def: ["
            + ", ".join(sorted(unused))
            + "]"
        )
    if return_elements is None:
        return None
    out = []
    for r in return_elements:
        base, idx = _split_input(r)
        op = by_name.get(base)
        if op is None:
            raise ValueError(f"Requested return_element '{r}' not found in graph_def.")
        out.append(op if ":" not in r else op.outputs[idx])
    return out


def extract_sub_graph(graph_def, dest_nodes):
    """The part of `graph_def` that `dest_nodes` (node names) depend on, in the original order.

    Raises:
      TypeError: If `graph_def` is not a GraphDef or `dest_nodes` a string.
      AssertionError: If a destination node is not in `graph_def`.
    """
    if not isinstance(graph_def, GraphDef):
        raise TypeError(
            "graph_def must be a graph_pb2.GraphDef proto, but got type " + str(type(graph_def))
        )
    if isinstance(dest_nodes, str):
        raise TypeError("dest_nodes must be an iterable of strings.")
    nodes = {n.name: n for n in graph_def.node}
    for d in dest_nodes:
        assert d in nodes, f"{d} is not in graph"
    keep, stack = set(), list(dest_nodes)
    while stack:
        n = stack.pop()
        if n in keep:
            continue
        keep.add(n)
        stack.extend(_split_input(s)[0] for s in nodes[n].input)
    return GraphDef([copy.copy(n) for n in graph_def.node if n.name in keep])


def _variable_nodes(sess) -> dict:
    """Node name -> variable, for the captured variable handles of the session's graph."""
    out = {}
    for value, ph in sess.graph.captures:
        cell = getattr(value, "_value", None)
        owner = getattr(cell, "owner", None)
        var = owner() if owner is not None else None
        if var is not None:
            out[ph.op.name] = var
    return out


def convert_variables_to_constants(
    sess,
    input_graph_def,
    output_node_names,
    variable_names_whitelist=None,
    variable_names_blacklist=None,
):
    """A copy of the part of `input_graph_def` that computes `output_node_names`, with the
    variables it reads replaced by `Const` nodes holding their current values in `sess`.

    Variable nodes keep their names (a variable's node is named after the variable), and their
    `ReadVariableOp` consumers become `Identity` nodes, so the result imports and runs without
    any variable.

    Args:
      sess: The `tf.compat.v1.Session` whose graph `input_graph_def` describes.
      input_graph_def: A `GraphDef` of `sess.graph`.
      output_node_names: Names of the nodes the frozen graph must compute.
      variable_names_whitelist: If given, only these variables (by node name) are converted.
      variable_names_blacklist: Variables (by node name) left as they are.

    Returns:
      The frozen `GraphDef`.

    Raises:
      TypeError: If `input_graph_def` is not a GraphDef or `output_node_names` is a string.
      AssertionError: If an output node is not in `input_graph_def`.
      ValueError: If a converted variable is written to by a node the outputs need.
    """
    sub = extract_sub_graph(input_graph_def, output_node_names)
    variables = _variable_nodes(sess)
    allow = None if variable_names_whitelist is None else set(variable_names_whitelist)
    deny = set(variable_names_blacklist or ())
    converted = {}
    for node in sub.node:
        var = variables.get(node.name)
        if var is None or node.op != "Placeholder":
            continue
        if (allow is not None and node.name not in allow) or node.name in deny:
            continue
        converted[node.name] = var
    out = []
    for node in sub.node:
        new = copy.copy(node)
        new.input = list(node.input)
        new.attr = dict(node.attr)
        if node.name in converted:
            var = converted[node.name]
            new.op = "Const"
            new.attr = {"value": np.array(var.numpy()), "dtype": var.dtype}
        else:
            sources = [_split_input(s)[0] for s in node.input if not s.startswith("^")]
            hit = [s for s in sources if s in converted]
            if hit:
                if node.op != "ReadVariableOp":
                    raise ValueError(
                        f"Cannot convert variable '{hit[0]}' to a constant: node "
                        f"'{node.name}' ({node.op}) uses it, and only reads can be frozen"
                    )
                new.op = "Identity"
                new.attr = {}
        out.append(new)
    return GraphDef(out)


_TRAINING_ONLY = ("Identity", "CheckNumerics")


def remove_training_nodes(input_graph, protected_nodes=None):
    """A copy of `input_graph` (a GraphDef) without `Identity` and `CheckNumerics` nodes.

    Their consumers read the removed node's input directly. Nodes named in `protected_nodes`,
    and nodes with control inputs, are kept.
    """
    if not isinstance(input_graph, GraphDef):
        raise TypeError(
            "input_graph must be a graph_pb2.GraphDef proto, but got type " + str(type(input_graph))
        )
    protected = set(protected_nodes or ())
    forward = {}  # removed node name -> the input it passes on
    for n in input_graph.node:
        data = [s for s in n.input if not s.startswith("^")]
        if (
            n.op in _TRAINING_ONLY
            and n.name not in protected
            and len(data) == 1
            and len(data) == len(n.input)
        ):
            forward[n.name] = data[0]

    def source(s: str) -> str:
        ctrl = s.startswith("^")
        base, idx = _split_input(s)
        seen = set()
        while base in forward and (ctrl or idx == 0) and base not in seen:
            seen.add(base)
            s = forward[base]
            base, idx = _split_input(s)
        if ctrl:
            return "^" + base
        return s

    out = []
    for n in input_graph.node:
        if n.name in forward:
            continue
        new = copy.copy(n)
        new.input = [source(s) for s in n.input]
        new.attr = dict(n.attr)
        out.append(new)
    return GraphDef(out)


def tensor_shape_from_node_def_name(graph, input_name):
    """The static shape of the tensor `input_name` ("op" means "op:0") of `graph`."""
    if ":" not in input_name:
        input_name += ":0"
    return graph.get_tensor_by_name(input_name).shape
