"""Every op-harness row, gathered from one `db_*.py` file per op family."""

from tests.ops import db_core

OPS = [*db_core.OPS]
