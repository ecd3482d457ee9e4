"""The match-ups of a whole batch (SPEC §8): ``matchups_all.csv`` (every passing match-up of
every scene, with the scene and its date) and ``matchups_fit.csv`` (§7 statistics per band
pair over all scenes together, ``scene`` = ``all``, and per scene): the gain and offset of GOCI
against Landsat from the time series.

Both are made again, atomically, from the scenes' match-up products that are complete, up to
date for their inputs and made with the batch's parameters and REGISTER: as scenes finish
(:class:`SeriesWriter`) and at the end, so that after a resume, a failed scene or a cancel they
list exactly those products.
"""

import csv
import io
import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..bands import band_name, landsat_band_name
from ..compare.report import TABLE_COLUMNS, csv_text
from ..compare.statistics import pair_statistics
from ..errors import GociResampleError
from ..moments import Moments
from ..write import atomic_outputs, check_outputs, input_identities
from ..write.atomic import text_file, write_text
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


def write_series(output_root, scenes, parameters, register):
    """Write both files from the up-to-date match-up products of ``scenes`` (``SceneFolder``s
    with a pair) under ``output_root`` made with ``parameters`` (``MatchupOptions.as_dict()``)
    and ``register``; returns how many scenes they hold. The rows of ``matchups_all.csv`` go
    to the file scene by scene (a full scene has about a million of them), and both files land
    together.

    Raises:
        GociResampleError: a file cannot be written (full disk, folder lost).
    """
    all_path, fit_path = series_paths(output_root)
    moments, count = {}, 0
    with atomic_outputs(all_path, fit_path) as (all_temporary, fit_temporary):
        with text_file(all_temporary, all_path) as handle:
            writer = csv.writer(handle)
            writer.writerow(ALL_COLUMNS)
            for scene in scenes:
                matched = None if scene.problem else _read_product(
                    Path(output_root) / scene.name / matchup_name(scene.goci), scene, parameters,
                    register)  # fmt: skip
                if matched is None:
                    continue
                count += 1
                date = scene_date(scene.name)
                for nm, band, landsat_nm, table in matched:
                    writer.writerows([scene.name, date, nm, band, *(csv_text(v) for v in values)]
                                     for values in zip(*table.values()))  # fmt: skip
                    x, y = (table[k].astype(np.float64) for k in ("landsat_mean", "goci"))
                    for key in ((scene.name, date, nm, band, landsat_nm),
                                ("all", "", nm, band, landsat_nm)):  # fmt: skip
                        moments.setdefault(key, Moments(3)).add(x, y, y - x)
        fit_text = io.StringIO()
        fit = csv.writer(fit_text)
        fit.writerow(FIT_COLUMNS)
        for (name, date, nm, band, landsat_nm), summed in sorted(moments.items(),
                                                                 key=_fit_order):  # fmt: skip
            stats = asdict(pair_statistics(summed))
            fit.writerow([name, date, band_name(nm), nm, band, landsat_nm, "goci",
                          *(csv_text(stats[k]) for k in TABLE_COLUMNS[5:])])  # fmt: skip
        write_text(fit_temporary, fit_text.getvalue(), shown_as=fit_path)
    return count


def _fit_order(item):
    (name, _, nm, _, _), _ = item
    return (name != "all", name, nm)


def _read_product(nc, scene, parameters, register):
    """[(GOCI nm, Landsat band, its wavelength nm, {column: passing values})] of the product
    ``nc`` when it is up to date for the scene's inputs (both still there, unchanged) and was
    made with ``parameters`` and ``register``, else None."""
    import netCDF4

    sidecar = matchup_files(nc)["sidecar"]
    try:
        content = json.loads(sidecar.read_text(encoding="utf-8"))
        if (
            content.get("parameters") != parameters
            or content.get("register") != register
            or content.get("input_files") != input_identities(scene.goci, scene.landsat)
        ):
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
                    "goci": values(f"matchups/goci_{nm}"),
                    "landsat_mean": values(f"landsat_data/{landsat}"),
                    "landsat_std": values(f"landsat_data/{landsat}_std"),
                    "landsat_count": values(f"landsat_data/count_B{band}"),
                }))  # fmt: skip
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError, RuntimeError,
            GociResampleError):  # fmt: skip
        return None  # e.g. an input renamed away by the land-mask step while it rewrites it
    return matched


SERIES_SHARE = 0.1
"""At most this share of a batch's time goes to writing the series while it runs: after a
write that took t seconds the next waits until 10 t have passed (a batch of a hundred full
scenes holds ~100 million match-ups, and each write reads every scene's product again)."""


class SeriesWriter:
    """Writes the series of a batch under ``output_root`` (:func:`write_series` for
    ``scenes`` made with ``parameters`` and ``register``) as its scenes finish, no more than
    ``SERIES_SHARE`` of the time, and once more at the end.

    Raises (``scene_finished``, ``close``):
        GociResampleError: a file cannot be written.
    """

    def __init__(self, output_root, scenes, parameters, register):
        self._arguments = (output_root, scenes, parameters, register)
        self._next_write, self._due = 0.0, False

    def scene_finished(self):
        """A scene's products may have changed: write the series now or soon."""
        self._due = True
        if time.monotonic() >= self._next_write:
            self._write()

    def close(self):
        """Write the series if a finished scene is not in it yet."""
        if self._due:
            self._write()

    def _write(self):
        started = time.monotonic()
        write_series(*self._arguments)
        self._due = False
        self._next_write = time.monotonic() + (time.monotonic() - started) / SERIES_SHARE
