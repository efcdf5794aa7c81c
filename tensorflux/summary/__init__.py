"""`tf.summary`: write scalars, histograms, images, text and audio for TensorBoard."""

from tensorflux.summary import experimental as experimental
from tensorflux._src.summary.graph_trace import graph as graph
from tensorflux._src.summary.graph_trace import trace_export as trace_export
from tensorflux._src.summary.graph_trace import trace_off as trace_off
from tensorflux._src.summary.graph_trace import trace_on as trace_on
from tensorflux._src.summary.plugins import audio as audio
from tensorflux._src.summary.plugins import histogram as histogram
from tensorflux._src.summary.plugins import image as image
from tensorflux._src.summary.plugins import scalar as scalar
from tensorflux._src.summary.plugins import text as text
from tensorflux._src.summary.summary_ops import SummaryWriter as SummaryWriter
from tensorflux._src.summary.summary_ops import create_file_writer as create_file_writer
from tensorflux._src.summary.summary_ops import create_noop_writer as create_noop_writer
from tensorflux._src.summary.summary_ops import flush as flush
from tensorflux._src.summary.summary_ops import record_if as record_if
from tensorflux._src.summary.summary_ops import should_record_summaries as should_record_summaries
from tensorflux._src.summary.summary_ops import write as write
