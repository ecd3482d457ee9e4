"""The match-up product's files (SPEC §8): the NetCDF on the GOCI grid, the statistics CSV
and the HTML report (the GeoPackage of points: :mod:`.points`). Each is written to the
temporary path it is given (the caller lands them atomically) and carries the plugin's
mark."""

import csv
import html
import io

import numpy as np

from ..bands import landsat_band_name
from ..compare.report import REPORT_STYLE, TABLE_COLUMNS, csv_text, density_png, html_table
from ..provenance import plugin_version
from ..write.atomic import write_text
from ..write.ownership import GENERATOR, HTML_MARK, OUR_TAG
from .screen import REASONS

MATCHUP_COLUMNS = (*TABLE_COLUMNS, "n_candidates", *(f"failed_{r}" for r in REASONS))
"""The statistics CSV's and the report table's columns: §7's, then the counts screened out."""


def write_netcdf(path, subset, footprints, landsat_bands, screenings, goci_values, attributes):
    """NetCDF4 on the GOCI subset's grid: ``navigation_data/latitude, longitude`` as read,
    ``landsat_data/L_TOA_B<k>`` (mean, float32, NaN where count is 0, attribute
    ``wavelength`` nm), ``L_TOA_B<k>_std``, ``count_B<k>``, ``pixels`` and
    ``matchups/passes_<GOCI nm>`` (uint8) with ``matchups/goci_<GOCI nm>`` (the GOCI values
    matched, attribute ``landsat_band``).

    Args:
        path: the file to write.
        subset: the ``GociSubset`` (its geolocation as read, before any REGISTER shift).
        footprints: :class:`~.footprints.Footprints`.
        landsat_bands: [(band number, wavelength nm)] in the order of ``footprints``.
        screenings: {GOCI nm: :class:`~.screen.Screening`}.
        goci_values: {GOCI nm: (Landsat band, (rows, cols) GOCI values)}.
        attributes: global attributes (inputs, parameters); the mark is added.
    """
    import netCDF4

    # zlib level 1: level 4 took 60 % longer for a file 3 % smaller
    compression = {"zlib": True, "complevel": 1, "shuffle": True}
    with netCDF4.Dataset(path, "w", format="NETCDF4") as dataset:
        dataset.setncatts({"generator": GENERATOR, OUR_TAG: plugin_version(), **attributes})
        for name, size in zip(("y", "x"), subset.shape):
            dataset.createDimension(name, size)
        navigation = dataset.createGroup("navigation_data")
        for name, values, units in (("latitude", subset.latitude, "degrees_north"),
                                    ("longitude", subset.longitude, "degrees_east")):  # fmt: skip
            variable = navigation.createVariable(name, "f4", ("y", "x"), fill_value=np.nan,
                                                 **compression)  # fmt: skip
            variable.units = units
            variable[:] = values
        landsat = dataset.createGroup("landsat_data")
        pixels = landsat.createVariable("pixels", "i4", ("y", "x"), **compression)
        pixels.long_name = "Landsat pixels whose centre lies in the GOCI pixel's footprint"
        pixels[:] = footprints.pixels
        for position, (band, wavelength) in enumerate(landsat_bands):
            for suffix, data, kind, meaning in (
                ("", footprints.mean[position], "f4", "mean of the valid Landsat pixels"),
                ("_std", footprints.std[position], "f4", "population std of them"),
            ):
                name = f"{landsat_band_name(band)}{suffix}"
                variable = landsat.createVariable(name, kind, ("y", "x"), fill_value=np.nan,
                                                  **compression)  # fmt: skip
                variable.long_name = f"Landsat band {band}: {meaning}"
                variable.wavelength = np.float32(wavelength)
                variable[:] = data
            count = landsat.createVariable(f"count_B{band}", "i4", ("y", "x"), **compression)
            count.long_name = f"valid Landsat band {band} pixels in the footprint"
            count[:] = footprints.count[position]
        matchups = dataset.createGroup("matchups")
        for nm, (band, goci) in goci_values.items():
            variable = matchups.createVariable(f"goci_{nm}", "f4", ("y", "x"), fill_value=np.nan,
                                               **compression)  # fmt: skip
            variable.long_name = f"the GOCI {nm} nm values matched with Landsat band {band}"
            variable.wavelength = np.float32(nm)
            variable.landsat_band = np.int32(band)
            variable[:] = goci
        for nm, screening in screenings.items():
            passes = matchups.createVariable(f"passes_{nm}", "u1", ("y", "x"), **compression)
            passes.long_name = f"1 = the match-up of GOCI {nm} nm passes the screening"
            passes[:] = screening.passes.astype(np.uint8)


def write_table(path, rows, shown_as):
    """The statistics CSV (columns ``TABLE_COLUMNS``, ``scale`` = ``goci``) and the counts
    screened out (``n_candidates``, ``failed_<reason>``)."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=MATCHUP_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_text(v) for k, v in row.items()})
    write_text(path, text.getvalue(), shown_as)


def write_report(path, title, lines, rows, plots, shown_as):
    """A self-contained HTML report: ``lines`` (already HTML) above the statistics ``rows``
    and one density plot per band pair (``plots``: [(caption, x, y, PairStatistics)])."""
    table = html_table(rows, MATCHUP_COLUMNS[4:])
    figures = "\n".join(
        f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,'
        f'{_plot(caption, x, y, stats)}"></figure>'
        for caption, x, y, stats in plots
    )
    paragraphs = "\n".join(f"<p>{line}</p>" for line in lines)
    text = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
{HTML_MARK}
<title>{html.escape(title)}</title>
<style>
{REPORT_STYLE}
</style></head><body>
<h1>{html.escape(title)}</h1>
{paragraphs}
<h2>Statistics over the match-ups that pass (x = Landsat footprint mean, y = GOCI)</h2>
{table}
<h2>Density plots</h2>
{figures}
</body></html>
"""
    write_text(path, text, shown_as)


def _plot(caption, x, y, stats):
    """Base64 PNG of one band pair's passing match-ups."""
    return density_png(x, y, stats, "Landsat (mean over the GOCI pixel)", "GOCI", caption,
                       "match-ups per cell")  # fmt: skip
