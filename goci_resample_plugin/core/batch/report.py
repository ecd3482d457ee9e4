"""``batch_report.csv``: one row per scene folder, appended as each scene finishes."""

import csv
import io
import os
from pathlib import Path

from ..errors import GociResampleError
from ..write.atomic import write_text_atomic

REPORT_NAME = "batch_report.csv"
COMPARE_COLUMNS = ("shift_east_m", "shift_north_m", "shift_confidence", "r2_by_band",
                   "bias_by_band")  # fmt: skip
"""Filled when the batch compares each output with Landsat (block-scale R² and bias per GOCI
band as ``443=0.9991;490=…``)."""
REGISTER_COLUMNS = ("register_east_m", "register_north_m", "register_confidence",
                    "register_residual_m")  # fmt: skip
"""Filled with REGISTER: the offset applied (metres GOCI sat east/north of Landsat; empty
when none was: the message says why), its confidence, and the offset measured on the result."""
FIGURE_COLUMNS = (*COMPARE_COLUMNS, *REGISTER_COLUMNS)
"""The columns filled from ``SceneResult.figures``."""
COLUMNS = ("scene", "status", "message", "seconds", "output", "valid_fraction", *FIGURE_COLUMNS)


class BatchReport:
    """Appends rows to ``{output_root}/batch_report.csv`` and syncs each to disk.

    A new run starts a new report (the previous one is replaced once the new header is
    written), so the report of a resumed run lists every scene once: done scenes as
    ``skipped``. Rows survive a crash: each is flushed and fsync'ed as it is added.
    """

    def __init__(self, output_root):
        self.path = Path(output_root) / REPORT_NAME
        header = io.StringIO()
        csv.writer(header).writerow(COLUMNS)
        write_text_atomic(self.path, header.getvalue())

    def add(self, result):
        """Append the row of a ``SceneResult``."""
        try:
            with open(self.path, "a", newline="", encoding="utf-8") as handle:
                csv.writer(handle).writerow(
                    [
                        result.scene,
                        result.status,
                        result.message,
                        f"{result.seconds:.2f}",
                        str(result.output or ""),
                        "" if result.valid_fraction is None else f"{result.valid_fraction:.6f}",
                        *(result.figures.get(column, "") for column in FIGURE_COLUMNS),
                    ]
                )
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            raise GociResampleError(
                f"Cannot add to the batch report {self.path} ({error.strerror or error}). "
                "Check the free space; finished outputs are kept and a re-run skips them."
            ) from None


def read_report(path):
    """Return the rows of a batch report as dicts (for checks and summaries)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
