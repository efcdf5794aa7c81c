"""The graph optimization pipeline: runs the passes in order and reports what each one did."""

from __future__ import annotations

import dataclasses
import time
from typing import Callable, Optional, Sequence

from tensorflux._src.graph.graph import Graph
from tensorflux._src.graph.passes.arithmetic import arithmetic
from tensorflux._src.graph.passes.constant_folding import constant_folding
from tensorflux._src.graph.passes.cse import cse
from tensorflux._src.graph.passes.dead_branch import dead_branch
from tensorflux._src.graph.passes.fusion import fusion
from tensorflux._src.graph.passes.prune import prune

PASSES: dict[str, Callable] = {
    "prune": prune,
    "arithmetic": arithmetic,
    "constant_folding": constant_folding,
    "cse": cse,
    "dead_branch": dead_branch,
    "fusion": fusion,
}

# Arithmetic first (its rewrites expose constants and duplicates), pruning last. Fusion is
# opt-in: on NumPy it saves only dispatch overhead (docs/design/graph-passes.md).
DEFAULT = ("arithmetic", "constant_folding", "dead_branch", "cse", "prune")

# Which `tf.config.optimizer.set_experimental_options` flag turns each pass off.
_TF_FLAGS = {
    "arithmetic": "arithmetic_optimization",
    "constant_folding": "constant_folding",
    "dead_branch": "constant_folding",
    "prune": "dependency_optimization",
    "fusion": "remapping",
}


@dataclasses.dataclass
class PassStats:
    """What one pass run did: nodes before and after, rewrites made, seconds taken."""

    name: str
    nodes_before: int
    nodes_after: int
    changes: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"{self.name}: {self.nodes_before} -> {self.nodes_after} nodes, "
            f"{self.changes} changes, {self.seconds * 1e3:.2f} ms"
        )


@dataclasses.dataclass
class OptimizerOptions:
    """Which passes run. Each flag enables one pass; `fusion` is off by default.

    `from_flags(tf.config.optimizer.get_experimental_options())` maps TensorFlow's flags: one set
    to False turns the matching pass off, `disable_meta_optimizer` turns all off, and
    `remapping=True` turns fusion on. (The graph layer does not import `config`, which sits above
    it: callers pass the flags in.)
    """

    arithmetic: bool = True
    constant_folding: bool = True
    cse: bool = True
    dead_branch: bool = True
    prune: bool = True
    fusion: bool = False
    max_rounds: int = 2  # the default passes repeat while they still change something

    @classmethod
    def from_flags(cls, flags: dict) -> "OptimizerOptions":
        """Options from a `tf.config.optimizer.get_experimental_options()` dict."""
        opts = cls()
        if flags.get("disable_meta_optimizer"):
            for name in PASSES:
                setattr(opts, name, False)
            return opts
        for name, flag in _TF_FLAGS.items():
            if flags.get(flag) is False:
                setattr(opts, name, False)
        if flags.get("remapping") is True:
            opts.fusion = True
        return opts

    def enabled(self, name: str) -> bool:
        return bool(getattr(self, name, True))


def optimize(
    graph: Graph,
    outputs: Sequence,
    passes: Optional[Sequence[str]] = None,
    options: Optional[OptimizerOptions] = None,
    stats: Optional[list] = None,
):
    """Optimizes `graph` for computing `outputs`; the graph itself is left unchanged.

    Args:
      graph: the Graph to optimize.
      outputs: the tensors (of `graph`) the result must compute.
      passes: pass names in order (see `PASSES`). Default: `DEFAULT`, repeated up to
        `options.max_rounds` times while it changes something, then fusion when enabled.
      options: an `OptimizerOptions`; default `OptimizerOptions()`.
      stats: a list to which a `PassStats` is appended for each pass run.

    Returns:
      `(new_graph, new_outputs)`: `new_outputs[i]` computes what `outputs[i]` computed, from the
      placeholders `new_graph.inputs` (standing for `graph.inputs`) and `new_graph.captures`.

    Raises:
      ValueError: an unknown pass name, or an output that is not a tensor of `graph`.
    """
    options = OptimizerOptions() if options is None else options
    outputs = list(outputs)
    log = stats if stats is not None else []
    if passes is not None:
        unknown = [p for p in passes if p not in PASSES]
        if unknown:
            raise ValueError(f"Unknown graph passes {unknown}; known: {sorted(PASSES)}")
        return _run(graph, outputs, [p for p in passes if options.enabled(p)], log)[:2]
    group = [p for p in DEFAULT if options.enabled(p)]
    for _ in range(max(1, options.max_rounds) if group else 0):
        graph, outputs, changed = _run(graph, outputs, group, log)
        if not changed:
            break
    if options.fusion:
        graph, outputs, _ = _run(graph, outputs, ["fusion"], log)
    return graph, outputs


def _run(graph: Graph, outputs: list, names: Sequence[str], log: list):
    changed = 0
    for name in names:
        before = len(graph._ops)
        t0 = time.perf_counter()
        graph, outputs, n = PASSES[name](graph, outputs)
        log.append(PassStats(name, before, len(graph._ops), n, time.perf_counter() - t0))
        changed += n
    return graph, outputs, changed
