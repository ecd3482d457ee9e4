"""``batch_report.csv``: one row per scene folder, appended as each scene finishes."""

import csv
import io
import os
from pathlib import Path

from ..errors import GociResampleError
from ..write import check_outputs
from ..write.atomic import write_text_atomic

REPORT_NAME = "batch_report.csv"
COMPARE_COLUMNS = ("shift_east_m", "shift_north_m", "shift_confidence", "r2_by_band",
                   "bias_by_band")  # fmt: skip
"""Filled when the batch compares each output with Landsat (block-scale R² and bias per GOCI
band as ``443=0.9991;490=…``; the offset columns empty when it is not measurable)."""
REGISTER_COLUMNS = ("register_east_m", "register_north_m", "register_confidence",
                    "register_residual_m")  # fmt: skip
"""Filled with REGISTER: the offset applied (metres GOCI sat east/north of Landsat; empty
when none was: the message says why), its confidence, and the offset measured on the result."""
MATCHUP_COLUMNS = ("matchups_passing",)
"""Filled with MATCHUPS: the scene's match-ups that pass in the band pair nearest 660 nm."""
UNCERTAINTY_COLUMNS = ("shift_east_uncertainty_m", "shift_north_uncertainty_m")
"""Filled with COMPARE: the 95 % half-widths (metres) of the offset (last, so that the columns of
earlier versions keep their places)."""
FIGURE_COLUMNS = (*COMPARE_COLUMNS, *REGISTER_COLUMNS, *MATCHUP_COLUMNS, *UNCERTAINTY_COLUMNS)
"""The columns filled from ``SceneResult.figures``."""
COLUMNS = ("scene", "status", "message", "seconds", "output", "valid_fraction", *FIGURE_COLUMNS)
OUR_HEADER_START = ",".join(COLUMNS[:6])
"""How the header of every version's report begins: a CSV at the report's name without it is
the user's, replaced only with OVERWRITE."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Characters a spreadsheet reads as the start of a formula in a text cell."""


class BatchReport:
    """Appends rows to ``{output_root}/batch_report.csv`` and syncs each to disk.

    A new run starts a new report (the previous one is replaced once the new header is
    written), so the report of a resumed run lists every scene once: done scenes as
    ``skipped``. Rows survive a crash: each is flushed and fsync'ed as it is added, and a row
    that cannot be written whole (a full disk) is taken back, so the report always ends with
    complete rows. Text cells that a spreadsheet would evaluate (``=HYPERLINK(…)`` as a scene
    folder name) are written with a leading apostrophe.

    Raises:
        GociResampleError: a file not ours is at the report's name (without ``overwrite``).
    """

    def __init__(self, output_root, overwrite=False):
        self.path = Path(output_root) / REPORT_NAME
        check_outputs([self.path], (), overwrite, csv_header=OUR_HEADER_START)
        header = io.StringIO()
        csv.writer(header).writerow(COLUMNS)
        write_text_atomic(self.path, header.getvalue())

    def add(self, result):
        """Append the row of a ``SceneResult``."""
        row = io.StringIO()
        csv.writer(row).writerow(
            [
                *(_text_cell(text) for text in (result.scene, result.status, result.message)),
                f"{result.seconds:.2f}",
                _text_cell(str(result.output or "")),
                "" if result.valid_fraction is None else f"{result.valid_fraction:.6f}",
                *(result.figures.get(column, "") for column in FIGURE_COLUMNS),
            ]
        )
        data = row.getvalue().encode("utf-8")
        try:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_BINARY", 0))
            try:
                end = os.lseek(descriptor, 0, os.SEEK_END)
                try:
                    written = 0
                    while written < len(data):
                        written += os.write(descriptor, data[written:])
                    os.fsync(descriptor)
                except OSError:
                    os.ftruncate(descriptor, end)  # no partial row: whole rows only
                    raise
            finally:
                os.close(descriptor)
        except OSError as error:
            raise GociResampleError(
                f"Cannot add to the batch report {self.path} ({error.strerror or error}). "
                "Check the free space; finished outputs are kept and a re-run skips them."
            ) from None


def _text_cell(text):
    """``text`` as a report cell no spreadsheet evaluates (a leading apostrophe before a
    formula's first character)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def read_report(path):
    """Return the rows of a batch report as dicts (for checks and summaries)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
