"""Write a ``Comparison``: the CSV table and a self-contained HTML report with plots."""

import base64
import csv
import html
import io
from dataclasses import fields

import numpy as np

from ..write.atomic import write_text_atomic
from ..write.ownership import GENERATOR
from .registration import describe_offset
from .statistics import PairStatistics

TABLE_COLUMNS = ("goci_band", "goci_wavelength_nm", "landsat_band", "landsat_wavelength_nm",
                 "scale", *[f.name for f in fields(PairStatistics)])  # fmt: skip
TABLE_HEADER = ",".join(TABLE_COLUMNS)
"""The CSV table's first line (how an existing table is recognised as ours)."""


def write_table_csv(comparison, path):
    """One row per band pair and scale (30 m, block), columns ``TABLE_COLUMNS``; atomic."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=TABLE_COLUMNS)
    writer.writeheader()
    for row in comparison.table_rows():
        writer.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in row.items()})
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
    header = "".join(f"<th>{html.escape(c)}</th>" for c in TABLE_COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(row[c])}</td>" for c in TABLE_COLUMNS) + "</tr>"
        for row in comparison.table_rows()
    )
    text = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="generator" content="{GENERATOR}">
<title>GOCI on Landsat vs Landsat: {html.escape(comparison.landsat.name)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.8em; }}
.table {{ overflow-x: auto; }}
td, th {{ border: 1px solid #bbb; padding: 0.2em 0.5em; text-align: right; }}
figure {{ display: inline-block; margin: 0.5em; }}
.shift {{ font-size: 1.2em; }}
</style></head><body>
<h1>GOCI on Landsat vs Landsat</h1>
<p>Resampled GOCI: <code>{html.escape(str(comparison.resampled))}</code><br>
Landsat: <code>{html.escape(str(comparison.landsat))}</code><br>
Block: {comparison.block} × {comparison.block} target pixels (only blocks fully valid in both)</p>
<h2>Offset</h2>
<p class="shift">GOCI features sit <b>{describe_offset(shift.east_m, shift.north_m, 1)}</b>
of Landsat's features (band pair {html.escape(shift.band_pair)},
confidence {shift.confidence:.3f}).</p>
<h2>Statistics (x = Landsat, y = GOCI on Landsat)</h2>
<div class="table"><table><tr>{header}</tr>{body}</table></div>
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
    axis = figure.add_subplot()
    if x.size:
        low = float(min(x.min(), y.min()))
        high = float(max(x.max(), y.max()))
        *_, image = axis.hist2d(x, y, bins=60, range=[[low, high], [low, high]], cmin=1,
                                cmap="viridis", norm=LogNorm())  # fmt: skip
        figure.colorbar(image, ax=axis, label=counted)
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
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")
