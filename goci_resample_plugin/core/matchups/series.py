"""The match-ups of a whole batch (SPEC §8): ``matchups_all.csv`` (every passing match-up of
every scene, with the scene and its date) and ``matchups_fit.csv`` (§7 statistics per band
pair over all scenes together, ``scene`` = ``all``, and per scene): the gain and offset of GOCI
against Landsat from the time series.

Both are made again, atomically, from the scenes' match-up products that are complete and up
to date for their inputs, each time a scene finishes: after a resume, a failed scene or a
cancel they list exactly those products.
"""

import csv
import io
import json
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..bands import band_name, landsat_band_name
from ..compare.report import TABLE_COLUMNS
from ..compare.statistics import pair_statistics
from ..moments import Moments
from ..write import check_outputs, input_identities
from ..write.atomic import write_text_atomic
from .run import matchup_files, matchup_name

ALL_NAME, FIT_NAME = "matchups_all.csv", "matchups_fit.csv"
ALL_COLUMNS = ("scene", "date", "goci_wavelength_nm", "landsat_band", "row", "col", "lon",
               "lat", "goci", "landsat_mean", "landsat_std", "landsat_count")  # fmt: skip
FIT_COLUMNS = ("scene", "date", *TABLE_COLUMNS)
"""The files' columns; their header lines mark them as ours."""


def scene_date(scene):
    """``YYYY-MM-DD`` of a Landsat product id (its acquisition date, the fourth field), or ""."""
    parts = scene.split("_")
    day = parts[3] if len(parts) > 3 else ""
    return f"{day[:4]}-{day[4:6]}-{day[6:]}" if len(day) == 8 and day.isdigit() else ""


def series_paths(output_root):
    """(matchups_all.csv, matchups_fit.csv) in ``output_root``."""
    return Path(output_root) / ALL_NAME, Path(output_root) / FIT_NAME


def check_series_outputs(output_root, overwrite):
    """Refuse, before a batch starts, series files in ``output_root`` that are not ours."""
    for path, columns in zip(series_paths(output_root), (ALL_COLUMNS, FIT_COLUMNS)):
        check_outputs([path], (), overwrite, csv_header=",".join(columns))


def write_series(output_root, scenes):
    """Write both files from the up-to-date match-up products of ``scenes`` (``SceneFolder``s
    with a pair) under ``output_root``; returns how many scenes they hold."""
    all_text, rows, moments, count = io.StringIO(), [], {}, 0
    writer = csv.writer(all_text)
    writer.writerow(ALL_COLUMNS)
    for scene in scenes:
        if scene.problem:
            continue
        nc = Path(output_root) / scene.name / matchup_name(scene.goci)
        matched = _read_product(nc, scene)
        if matched is None:
            continue
        count += 1
        date = scene_date(scene.name)
        for nm, band, landsat_nm, table in matched:
            for values in zip(*table.values()):
                writer.writerow([scene.name, date, nm, band, *(_text(v) for v in values)])
            x, y = table["landsat_mean"], table["goci"]
            for key in (
                (scene.name, date, nm, band, landsat_nm),
                ("all", "", nm, band, landsat_nm),
            ):
                moments.setdefault(key, Moments(3)).add(x, y, y - x)
    for (name, date, nm, band, landsat_nm), summed in sorted(moments.items(), key=_fit_order):
        stats = asdict(pair_statistics(summed))
        rows.append([name, date, band_name(nm), nm, band, landsat_nm, "goci",
                     *(_text(stats[k]) for k in TABLE_COLUMNS[5:])])  # fmt: skip
    fit_text = io.StringIO()
    fit = csv.writer(fit_text)
    fit.writerow(FIT_COLUMNS)
    fit.writerows(rows)
    all_path, fit_path = series_paths(output_root)
    write_text_atomic(all_path, all_text.getvalue())
    write_text_atomic(fit_path, fit_text.getvalue())
    return count


def _fit_order(item):
    (name, _, nm, _, _), _ = item
    return (name != "all", name, nm)


def _text(value):
    if isinstance(value, float | np.floating):
        return f"{float(value):.7g}"
    return str(int(value)) if isinstance(value, np.integer | np.bool_) else str(value)


def _read_product(nc, scene):
    """[(GOCI nm, Landsat band, its wavelength nm, {column: passing values})] of an up-to-date
    product, or None."""
    import netCDF4

    sidecar = matchup_files(nc)["sidecar"]
    try:
        content = json.loads(sidecar.read_text(encoding="utf-8"))
        if content.get("input_files") != input_identities(scene.goci, scene.landsat):
            return None
        with netCDF4.Dataset(nc) as dataset:
            lon = np.ma.filled(dataset["navigation_data/longitude"][:], np.nan)
            lat = np.ma.filled(dataset["navigation_data/latitude"][:], np.nan)
            matched = []
            for pair in content["pairs"]:
                nm, band = pair["goci_nm"], pair["landsat_band"]
                landsat = landsat_band_name(band)
                passes = np.asarray(dataset[f"matchups/passes_{nm}"][:]).astype(bool)
                rows, cols = np.nonzero(passes)

                def values(name, passes=passes):
                    return np.ma.filled(dataset[name][:], np.nan)[passes]

                matched.append((nm, band, pair["statistics"]["landsat_wavelength_nm"], {
                    "row": rows, "col": cols, "lon": lon[passes], "lat": lat[passes],
                    "goci": values(f"matchups/goci_{nm}").astype(np.float64),
                    "landsat_mean": values(f"landsat_data/{landsat}").astype(np.float64),
                    "landsat_std": values(f"landsat_data/{landsat}_std"),
                    "landsat_count": values(f"landsat_data/count_B{band}"),
                }))  # fmt: skip
    except (OSError, ValueError, KeyError, IndexError, RuntimeError):
        return None
    return matched
