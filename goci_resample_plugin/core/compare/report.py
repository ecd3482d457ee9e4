"""Write a ``Comparison``: the CSV table and a self-contained HTML report with plots."""

import base64
import csv
import html
import io
from dataclasses import fields

import numpy as np

from ..write.atomic import write_text_atomic
from ..write.ownership import GENERATOR
from .registration import describe_shift
from .statistics import PairStatistics

TABLE_COLUMNS = ("goci_band", "goci_wavelength_nm", "landsat_band", "landsat_wavelength_nm",
                 "scale", *[f.name for f in fields(PairStatistics)])  # fmt: skip
TABLE_HEADER = ",".join(TABLE_COLUMNS)
"""The CSV table's first line (how an existing table is recognised as ours)."""

HEADINGS = {
    "scale": ("Scale", ""),
    "count": ("N", ""),
    "mean_landsat": ("Mean Landsat", ""),
    "mean_goci": ("Mean GOCI", ""),
    "bias": ("Bias", "GOCI − Landsat (% of Landsat)"),
    "rmse": ("RMSE", "(% of Landsat)"),
    "r2": ("R²", ""),
    "slope": ("Gain", "orthogonal fit"),
    "intercept": ("Intercept", "orthogonal fit"),
    "n_candidates": ("Candidates", "GOCI pixels with Landsat"),
    "failed_coverage": ("Failed: coverage", "box under MIN_COVERAGE"),
    "failed_goci_invalid": ("Failed: GOCI invalid", "in the box"),
    "failed_landsat_cv": ("Failed: Landsat CV", "over MAX_CV"),
    "failed_goci_cv": ("Failed: GOCI CV", "over MAX_CV"),
}
"""Column → (heading, what and in which unit) of the HTML reports' tables; a row's band pair
(``goci_band`` … ``landsat_wavelength_nm``) is one first column."""

SCALE_WORDS = {"30m": "30 m pixels", "goci": "GOCI pixels"}
"""How the tables' ``scale`` values read in a report (``block16`` reads "16 × 16 blocks")."""

UNITS_NOTE = (
    "Means, bias, RMSE and intercept in the inputs' radiance units (W m⁻² sr⁻¹ µm⁻¹ for TOA "
    "radiance); R² and gain have none. x = Landsat, y = GOCI."
)
"""The sentence under a report's table that says the units."""


def html_table(rows, columns):
    """The HTML of a statistics table that fits a 1200 px page: the band pair in one first
    column (``L_TOA_660 / B4`` over ``660 / 655 nm``), then ``columns`` (keys of ``HEADINGS``)
    headed by name and unit, bias and RMSE also as a percentage of the Landsat mean, and the
    sentence of ``UNITS_NOTE`` under it."""

    def heading(column):
        name, unit = HEADINGS[column]
        below = f"<br><small>{html.escape(unit)}</small>" if unit else ""
        return f"<th>{html.escape(name)}{below}</th>"

    def cell(row, column):
        value = row.get(column, "")
        text = _cell(value)
        mean = row.get("mean_landsat")
        if column in ("bias", "rmse") and isinstance(value, float) and mean:
            sign = "+" if column == "bias" else ""
            text += f"<br><small>{100 * value / mean:{sign}.2f} %</small>"
        elif column == "scale":
            text = SCALE_WORDS.get(value, html.escape(str(value)))
            if str(value).startswith("block"):
                text = f"{value[5:]} × {value[5:]} blocks"
        return f"<td>{text}</td>"

    head = "<th>Band pair<br><small>GOCI / Landsat</small></th>" + "".join(map(heading, columns))
    body = "".join(
        f"<tr><th>{html.escape(str(row['goci_band']))} / B{row['landsat_band']}<br><small>"
        f"{row['goci_wavelength_nm']} / {row['landsat_wavelength_nm']} nm</small></th>"
        + "".join(cell(row, column) for column in columns) + "</tr>"
        for row in rows
    )  # fmt: skip
    return (f'<table class="statistics"><tr>{head}</tr>{body}</table>'
            f'<p class="note">{html.escape(UNITS_NOTE)}</p>')  # fmt: skip


REPORT_STYLE = """body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1150px; }
table.statistics { border-collapse: collapse; font-size: 0.8em; }
td, th { border: 1px solid #bbb; padding: 0.2em 0.4em; text-align: right; vertical-align: top; }
th { background: #f2f2f2; font-weight: normal; }
tr > th:first-child { white-space: nowrap; text-align: left; }
small { color: #555; }
.note { font-size: 0.8em; color: #555; }
figure { display: inline-block; margin: 0.5em; }
.shift { font-size: 1.1em; }"""
"""The CSS of both HTML reports (comparison and match-ups)."""


def csv_text(value):
    """A value as the statistics and match-up CSVs write it: a float (float32 data too) as
    the shortest text that reads back as the very same float64 (§7 compares the statistics to
    1e-9, and a user's script reads them from these files), ``nan`` for NaN; a bool or an
    integer as an integer; anything else as ``str``."""
    if isinstance(value, bool | np.bool_ | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return repr(float(value))
    return str(value)


def write_table_csv(comparison, path):
    """One row per band pair and scale (30 m, block), columns ``TABLE_COLUMNS``; atomic."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=TABLE_COLUMNS)
    writer.writeheader()
    for row in comparison.table_rows():
        writer.writerow({k: csv_text(v) for k, v in row.items()})
    write_text_atomic(path, text.getvalue())
    return path


def write_report_html(comparison, path):
    """A single HTML file (plots embedded as PNG data): inputs, shift, table, one density plot
    per band pair at block scale with the 1:1 line and the orthogonal fit; atomic."""
    shift = comparison.shift
    plots = "\n".join(
        f'<figure><img alt="{html.escape(pair.goci_name)} vs Landsat B{pair.landsat_band}" '
        f'src="data:image/png;base64,{_scatter_png(pair, comparison.block)}"></figure>'
        for pair in comparison.pairs
    )
    table = html_table(comparison.table_rows(), TABLE_COLUMNS[4:])
    text = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="generator" content="{GENERATOR}">
<title>GOCI on Landsat vs Landsat: {html.escape(comparison.landsat.name)}</title>
<style>
{REPORT_STYLE}
</style></head><body>
<h1>GOCI on Landsat vs Landsat</h1>
<p>Resampled GOCI: <code>{html.escape(str(comparison.resampled))}</code><br>
Landsat: <code>{html.escape(str(comparison.landsat))}</code><br>
Block: {comparison.block} × {comparison.block} target pixels (only blocks fully valid in both)</p>
<h2>Offset</h2>
<p class="shift">{_offset_words(shift)}</p>
<h2>Statistics (x = Landsat, y = GOCI on Landsat)</h2>
{table}
<h2>Block-scale density plots</h2>
{plots}
</body></html>
"""
    write_text_atomic(path, text)
    return path


def _cell(value):
    return f"{value:.4g}" if isinstance(value, float) else html.escape(str(value))


def _scatter_png(pair, block):
    """Base64 PNG of a band pair's block means (:func:`density_png`)."""
    landsat, goci = pair.block_means
    both = np.isfinite(landsat) & np.isfinite(goci)
    return density_png(landsat[both], goci[both], pair.blocks,
                       f"Landsat B{pair.landsat_band} ({block} × {block} block mean)",
                       f"GOCI {pair.goci_name}", f"{pair.goci_name} vs B{pair.landsat_band}",
                       f"{block} × {block} blocks per cell")  # fmt: skip


def density_png(x, y, stats, x_label, y_label, title, counted):
    """Base64 PNG: 2-D histogram of (x, y) (log colour scale with its bar, ``counted`` what a
    cell counts), and thin, translucent 1:1 and orthogonal-fit (``stats``) lines that leave
    the dense diagonal visible."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5.0, 4.0), dpi=96)
    FigureCanvasAgg(figure)
    # fixed margins that fit the labels: matplotlib's tight layout measured every text and
    # took most of a plot's time (about 1 s of a full scene's five match-up plots)
    figure.subplots_adjust(left=0.15, right=0.98, bottom=0.12, top=0.93)
    axis = figure.add_subplot()
    if x.size:
        low = float(min(x.min(), y.min()))
        high = float(max(x.max(), y.max()))
        *_, image = axis.hist2d(x, y, bins=60, range=[[low, high], [low, high]], cmin=1,
                                cmap="viridis", norm=LogNorm())  # fmt: skip
        figure.colorbar(image, ax=axis, label=counted).minorticks_off()
        line = np.array([low, high])
        axis.plot(line, line, color="black", linewidth=0.7, linestyle=(0, (4, 3)), alpha=0.6,
                  label="1:1")  # fmt: skip
        axis.plot(line, stats.slope * line + stats.intercept, color="tab:red", linewidth=0.7,
                  linestyle=(0, (1, 2)), alpha=0.8,
                  label=f"fit y = {stats.slope:.3f} x {stats.intercept:+.2f}")  # fmt: skip
        axis.legend(loc="upper left", fontsize=8)
    axis.set_title(f"{title}: R² {stats.r2:.4f}, N {stats.count}", fontsize=9)
    axis.set_xlabel(x_label)
    axis.set_ylabel(y_label)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _offset_words(shift):
    """The report's offset paragraph (HTML): the offset with its 95 % intervals and ellipse,
    or why it is not measurable."""
    pair = html.escape(shift.band_pair)
    if not shift.measurable:
        return (f"The offset is <b>not measurable</b> on {pair}: "
                f"{html.escape(shift.reason)}.")  # fmt: skip
    major, minor, azimuth = shift.ellipse_m
    return (
        f"GOCI features sit <b>{describe_shift(shift, 1)}</b> of Landsat's features (95 % "
        f"intervals; the 95 % ellipse has semi-axes {major:.0f} m and {minor:.0f} m, the longer "
        f"{azimuth:.0f}° from north; band pair {pair}, confidence {shift.confidence:.3f})."
    )
