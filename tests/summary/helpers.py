"""Reading event files back in tests: one record per summary value."""

from __future__ import annotations

import glob
import os

from tensorflux._src.io.tensor_codec import parse_tensor_proto
from tensorflux._src.summary.event_file import read_events


def event_files(logdir) -> list:
    return sorted(glob.glob(os.path.join(str(logdir), "events.out.tfevents.*")))


def values(path) -> list:
    """`(step, tag, array, dtype name, plugin name, plugin content)` for each summary value."""
    out = []
    for event in read_events(path):
        if event.WhichOneof("what") != "summary":
            continue
        for v in event.summary.value:
            arr, dtype = parse_tensor_proto(v.tensor.SerializeToString())
            plugin = v.metadata.plugin_data
            out.append((event.step, v.tag, arr, dtype.name, plugin.plugin_name, plugin.content))
    return out


def only_file(logdir) -> str:
    files = event_files(logdir)
    assert len(files) == 1, files
    return files[0]


def by_tag(logdir) -> dict:
    """tag -> list of (step, array) over every event file of `logdir`."""
    out: dict = {}
    for f in event_files(logdir):
        for step, tag, arr, *_ in values(f):
            out.setdefault(tag, []).append((step, arr))
    return out
