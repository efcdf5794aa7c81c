"""Differential programs: small TF2 snippets whose printed output must match real TensorFlow.

Each program is a block of ``programs_src/*.txt`` starting with a ``## name`` header line.  Programs run with
``tf`` (the backend under test), ``np`` (numpy) and ``show(x)`` (prints dtype, shape and values in
a line the test compares with a float tolerance) in scope.  Raw ``print(t)`` / ``repr(t)`` checks
printing exactly.  Programs are exec'd from strings, so TF's AutoGraph cannot read their source:
avoid Python control flow on tensors inside ``tf.function`` here.  Random values never match
TensorFlow bit for bit, so random programs print only shapes and dtypes.

``XFAIL`` (strict xfail) maps a program to the reason we deliberately differ from TF (a TF bug or
TF internals); ``KNOWN`` (non-strict xfail) lists gaps not fixed yet, each with its owner's area.
"""

import os
import textwrap

# The program text lives in programs_src/*.txt (one "## name" block per program), by topic.
_SRC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs_src")
_SOURCE = "".join(
    open(os.path.join(_SRC_DIR, f), encoding="utf-8").read() for f in sorted(os.listdir(_SRC_DIR))
)

XFAIL = {
    "grad_target_not_tensor": "TF crashes with AttributeError on a Python-number target; "
    "we return None (no path from the target to the source)",
    "constant_of_scalar_tensor_list": "TF bug: tf.constant([scalar tensors]) raises a ValueError "
    "carrying a traceback ('Scalar tensor has no len()'); we pack them as convert_to_tensor does",
    # Deliberate: TF's message names its private class path
    # ('tensorflow.python.framework.ops.EagerTensor').
    "tensor_setitem": "TF's message spells its internal module path",
    "array_concat_empty_list": "TF's message for concat([]) is its kernel registry's internals "
    "(a KernelDef dump); we raise the same InvalidArgumentError with a plain message",
}

# Known gaps, not yet fixed (non-strict xfail: they start passing once fixed).
_NOT_BUILT = "not implemented in tensorflux yet"
_DISPATCH = "dispatch.py conversion of non-tensor operands (reported to the lead)"
KNOWN = {
    "dimension_repr": "TensorShape.dims gives ints, TF gives Dimension objects",
    "op_string_plus_int": "math_ops: TF runs string add as op 'Add', not 'AddV2'",
    "nest_flatten_with_paths": "tf.nest exports flatten_with_joined_string_paths; TF does not",
    "reduce_bool_sum_error": "reduction_ops: allowed-dtype list order (TF lists quantized types)",
    "linalg_det_singular_and_slogdet": "det of a singular matrix: TF gives -0.0 (LU sign), we 0.0",
    "random_stateless_bad_seed": "TF names its StatelessRandomGetKeyCounter op in the message",
    "errors_linspace_num_neg": "TF's message comes from its Range-based linspace",
    "compare_string_less_error": "allowed-dtype list order is per op in TF (ops owned elsewhere)",
    "math_maximum_int_and_bool_error": "allowed-dtype list order is per op in TF",
    "math_reduce_max_string_error": "allowed-dtype list order is per op in TF",
    "function_graph_shape_error": "graph-mode shape-inference message and node naming "
    "('Dimensions must be equal ...', node 'add'); graph owner's work in progress",
    "function_graph_tensor_repr": "graph node names: TF names `x * 2` 'mul' (the Python API "
    "name), we 'Mul' (the op type); graph owner's area",
}


def _parse(source):
    programs = {}
    name = None
    lines = []
    for line in source.splitlines():
        if line.startswith("## "):
            if name is not None:
                programs[name] = textwrap.dedent("\n".join(lines)).strip() + "\n"
            name = line[3:].strip()
            if name in programs:
                raise ValueError(f"duplicate program {name}")
            lines = []
        elif name is not None:
            lines.append(line)
    if name is not None:
        programs[name] = textwrap.dedent("\n".join(lines)).strip() + "\n"
    return programs


PROGRAMS = _parse(_SOURCE)
