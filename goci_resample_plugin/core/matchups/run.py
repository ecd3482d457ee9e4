"""One pair's match-ups at GOCI scale (SPEC §8): read → assign each Landsat pixel to a GOCI
pixel → aggregate → screen → statistics → the product's files, landed atomically.

The product of ``Landsat_on_GOCI_<goci stem>.nc``: the NetCDF, ``<stem>.gpkg`` (points),
``<stem>_stats.csv``, ``<stem>.html`` and last the JSON sidecar ``<stem>.json`` that marks it
complete and records its inputs and parameters, so an up-to-date product is reused, a stale one
redone, and a file at one of those names that is not ours is left alone.
"""

import concurrent.futures
import contextlib
import dataclasses
import html
import json
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..compare.register import corrected_options, measure_correction
from ..compare.report import TABLE_COLUMNS, TABLE_HEADER
from ..compare.statistics import choose_pairs, landsat_wavelengths, pair_statistics
from ..control import RunControl
from ..errors import GociResampleError
from ..moments import Moments
from ..options import MatchupOptions, ResampleOptions
from ..pair import PREPARE_SHARE
from ..provenance import plugin_version
from ..read import landsat_strips, read_goci_subset, read_target_grid
from ..resample import check_cells, check_overlap, make_resampler, resample_with_fallback
from ..resample.geometry import shifted_lonlat
from ..system import compute_threads
from ..write import (
    STRIP_ROWS,
    atomic_outputs,
    busy_message,
    check_outputs,
    check_unchanged,
    file_identity,
    held_lock,
    input_identities,
    lock_path,
    make_folder,
    remove_stale_temporaries,
)
from ..write.atomic import write_text_atomic
from ..write.geotiff import GDAL_CACHE_MB
from ..write.ownership import GENERATOR
from .files import write_netcdf, write_report, write_table
from .footprints import FootprintSums
from .points import write_points
from .screen import REASONS, screen

MATCHUP_PREFIX = "Landsat_on_GOCI_"
RED_NM = 660
"""The band pair whose passing match-ups are the algorithm's ``MATCHUPS`` result."""


@dataclasses.dataclass
class MatchupResult:
    """What :func:`match_pair` wrote (or found up to date).

    Attributes:
        files: {role: path}: ``netcdf``, ``points``, ``table``, ``report``, ``sidecar``.
        pairs: per band pair {"goci_nm", "landsat_band", "passing", "candidates", "failed",
            "statistics"} (statistics as the table's columns).
        passing: match-ups that pass in the band pair nearest 660 nm.
        reused: an up-to-date product was found and nothing computed.
        seconds: wall time (``total``).
        shift_east_m, shift_north_m: the geolocation correction applied (REGISTER; 0 without).
    """

    files: dict
    pairs: list
    passing: int
    reused: bool = False
    seconds: dict = dataclasses.field(default_factory=dict)
    shift_east_m: float = 0.0
    shift_north_m: float = 0.0


def matchup_name(goci_path):
    """``Landsat_on_GOCI_<goci stem>.nc`` (SPEC §8)."""
    return f"{MATCHUP_PREFIX}{Path(goci_path).stem}.nc"


def matchup_files(output, points=None, table=None, report=None):
    """{role: path} of the product of the NetCDF ``output`` (the others beside it by default)."""
    output = Path(output)
    return {
        "netcdf": output,
        "points": Path(points) if points else output.with_suffix(".gpkg"),
        "table": Path(table) if table else output.with_name(f"{output.stem}_stats.csv"),
        "report": Path(report) if report else output.with_suffix(".html"),
        "sidecar": output.with_suffix(".json"),
    }


def match_pair(goci_path, landsat_path, output, options=None, control=None, *, points=None,
               table=None, report=None, overwrite=False, register=False,
               engine="auto"):  # fmt: skip
    """Aggregate Landsat onto GOCI's pixels, screen the match-ups and write the product.

    Args:
        goci_path, landsat_path: the pair.
        output: the NetCDF to write (``.nc``); ``points``, ``table``, ``report``: the
            GeoPackage, statistics CSV and HTML report (default: beside it, see
            :func:`matchup_files`).
        options: ``MatchupOptions``.
        control: ``RunControl``.
        overwrite: compute again, and replace files not ours at the output names.
        register: correct GOCI's geolocation against Landsat first (REGISTER).
        engine: as for ``resample_pair`` (the index-space engines assign the footprints).

    Returns:
        MatchupResult.

    Raises:
        GociResampleError: bad inputs, no overlap, an output not ours, or cancelled.
    """
    options = options or MatchupOptions()
    control = control or RunControl()
    started = time.perf_counter()
    files = matchup_files(output, points, table, report)
    inputs = (goci_path, landsat_path)
    if Path(output).suffix.lower() != ".nc":
        raise GociResampleError(f"The match-up output {output} must be a NetCDF file (.nc).")
    check_outputs(files.values(), inputs, overwrite, csv_header=TABLE_HEADER)
    if not overwrite:
        reused = _reuse(files, inputs, options, register, control)
        if reused is not None:
            return reused
    for folder in {path.parent for path in files.values()}:
        make_folder(folder)
    netcdf = files["netcdf"]
    with held_lock(lock_path(netcdf), lambda holder: busy_message(netcdf, holder)):
        remove_stale_temporaries(*{path.parent for path in files.values()})
        # before anything is read: a land-mask step rewriting an input during the run (even
        # between the registration and the aggregation) leaves the product unvouched for
        before = input_identities(goci_path, landsat_path)
        applied = options
        if register:
            registration, _ = measure_correction(goci_path, landsat_path, options,
                                                 control.part(0.0, 0.3), engine)  # fmt: skip
            applied = corrected_options(options, registration)
        work = control.part(0.3 if register else 0.0, 1.0)
        result = _make(files, goci_path, landsat_path, options, applied, register, work, engine,
                       before)  # fmt: skip
    result.seconds["total"] = time.perf_counter() - started
    best = next(p for p in result.pairs if p["goci_nm"] == _red(result.pairs))
    control.info(
        f"Match-ups: {result.passing} pass in {best['goci_nm']} nm of {best['candidates']} "
        f"GOCI pixels with Landsat data; wrote {files['netcdf']}, {files['points'].name}, "
        f"{files['table'].name} and {files['report'].name} in {result.seconds['total']:.1f} s."
    )
    return result


def _red(pairs):
    """The GOCI wavelength of the band pair nearest ``RED_NM``."""
    return min((p["goci_nm"] for p in pairs), key=lambda nm: abs(nm - RED_NM))


def _make(files, goci_path, landsat_path, options, applied, register, control, engine, before):
    """Compute and land the product (the output's lock held); ``before``: the inputs'
    identities taken before any of them was read."""
    import rasterio

    threading.Thread(target=_import_writers, daemon=True).start()
    subset = read_goci_subset(goci_path)
    grid = read_target_grid(landsat_path)
    with rasterio.open(landsat_path) as dataset:
        landsat_nm = landsat_wavelengths(dataset)
        nodata = dataset.nodata
        band_count = dataset.count
    goci_bands = {band.wavelength_nm: band for band in subset.bands}
    pairs = choose_pairs(list(options.band_pairs), goci_bands, landsat_nm, band_count,
                         Path(goci_path), Path(landsat_path))  # fmt: skip
    shifted = subset
    if applied.shift_east_m or applied.shift_north_m:
        lon, lat = shifted_lonlat(subset.longitude, subset.latitude, applied.shift_east_m,
                                  applied.shift_north_m)  # fmt: skip
        shifted = dataclasses.replace(subset, longitude=lon, latitude=lat)
    check_cells(subset, "the match-ups' assignment")
    check_overlap(shifted, grid, 0.0)
    index_options = ResampleOptions(method="bilinear", wavelengths=subset.wavelengths)
    resampler = make_resampler(shifted, grid, index_options, engine, control, assign=True)
    share = PREPARE_SHARE if resampler.first_use else 0.0  # the first run's compile

    def aggregate(engine):
        engine.prepare(control.part(0.0, share))  # cancel and progress while it compiles
        sums = FootprintSums(subset.shape, band_count, nodata, (grid.height, grid.width))
        # a strip's sums (compiled, the GIL released) added while the next strip is assigned
        with concurrent.futures.ThreadPoolExecutor(1) as adder:
            added = None
            for row, strip in landsat_strips(grid, STRIP_ROWS, GDAL_CACHE_MB):
                control.stop_if_cancelled()
                stop = row + strip.shape[1]
                assigned = engine.assign_rows(row, stop)
                if added is not None:
                    added.result()
                added = adder.submit(sums.add, row, assigned, strip)
                control.progress(share + (0.9 - share) * stop / grid.height)
            if added is not None:
                added.result()
        return sums.footprints()

    footprints = resample_with_fallback(resampler, aggregate, control)
    del resampler, shifted  # the engine's lattice and trees (~400 MB at full size): done
    landsat_bands = [(b, landsat_nm.get(b, 0)) for b in range(1, band_count + 1)]
    screenings, rows, plots = {}, [], []

    def screened(pair):
        nm, band = pair
        return screen(goci_bands[nm].values, footprints.mean[band - 1],
                      footprints.coverage[band - 1], options.box, options.max_cv,
                      options.min_coverage)  # fmt: skip

    # numpy's loops release the GIL; a batch worker keeps to its share of the cores
    with concurrent.futures.ThreadPoolExecutor(compute_threads()) as pool:
        screened_pairs = list(pool.map(screened, pairs))
    for (nm, band), screening in zip(pairs, screened_pairs):
        goci = goci_bands[nm].values
        mean = footprints.mean[band - 1]
        screenings[nm] = screening
        x, y = mean[screening.passes], goci[screening.passes]
        moments = Moments(3)
        moments.add(x, y, y - x)
        stats = pair_statistics(moments)
        rows.append({"goci_band": goci_bands[nm].name, "goci_wavelength_nm": nm,
                     "landsat_band": band, "landsat_wavelength_nm": landsat_nm.get(band, 0),
                     "scale": "goci", **dataclasses.asdict(stats),
                     "n_candidates": int(np.isfinite(mean).sum()),
                     **{f"failed_{r}": screening.failed[r] for r in REASONS}})  # fmt: skip
        plots.append((f"{goci_bands[nm].name} vs B{band}", x, y, stats))
    columns = _point_columns(subset, footprints, pairs, goci_bands, screenings)
    attributes = {
        "goci_file": Path(goci_path).name,
        "landsat_file": Path(landsat_path).name,
        "parameters": json.dumps(options.as_dict()),
        "register": int(register),
        "shift_east_m": applied.shift_east_m,
        "shift_north_m": applied.shift_north_m,
    }
    lines = _report_lines(goci_path, landsat_path, options, applied, register)
    landed = [files[role] for role in ("netcdf", "points", "table", "report")]
    with atomic_outputs(*landed) as (netcdf, points, table, report):
        goci_values = {nm: (band, goci_bands[nm].values) for nm, band in pairs}
        # OGR writes the points (most of the time, GIL released) while the rest is written
        with _clear_write_errors(landed), concurrent.futures.ThreadPoolExecutor(1) as pool:
            points_written = pool.submit(write_points, points, columns)
            write_netcdf(netcdf, subset, footprints, landsat_bands, screenings, goci_values,
                         attributes)  # fmt: skip
            write_table(table, rows, files["table"])
            write_report(report, f"Match-ups at GOCI scale: {Path(landsat_path).name}",
                         lines, rows, plots, files["report"])  # fmt: skip
            points_written.result()
        check_unchanged(before, goci_path, landsat_path)
    summary = [{"goci_nm": nm, "landsat_band": band, "passing": int(screenings[nm].passes.sum()),
                "candidates": row["n_candidates"], "failed": screenings[nm].failed,
                "statistics": {k: row[k] for k in TABLE_COLUMNS}}
               for (nm, band), row in zip(pairs, rows)]  # fmt: skip
    result = MatchupResult(files, summary, 0, seconds={},
                           shift_east_m=applied.shift_east_m - options.shift_east_m,
                           shift_north_m=applied.shift_north_m - options.shift_north_m)  # fmt: skip
    result.passing = next(p["passing"] for p in summary if p["goci_nm"] == _red(summary))
    _write_sidecar(files, before, options, register, result)
    control.progress(1.0)
    return result


def _import_writers():
    """Import the libraries of the report's plots and of the points (matplotlib, GDAL's OGR:
    0.7 s in a fresh process), in a thread while Landsat is read and aggregated; a library
    that fails to import fails later, where it is used."""
    with contextlib.suppress(Exception):
        import matplotlib.backends.backend_agg
        import matplotlib.colors
        import matplotlib.figure  # noqa: F401
        from osgeo import ogr  # noqa: F401


@contextlib.contextmanager
def _clear_write_errors(paths):
    """Turn what the libraries writing the product raise when the disk is full or the folder
    is lost (netCDF4's "HDF error", SQLite's "database or disk is full", GDAL's) into the
    user's message naming the folders of ``paths``."""
    import sqlite3

    try:
        yield
    except GociResampleError:
        raise
    except (OSError, RuntimeError, sqlite3.Error) as error:
        folders = " and ".join(sorted({str(Path(path).parent) for path in paths}))
        raise GociResampleError(
            f"Writing the match-ups in {folders} failed ({error}). Check the free space and "
            "that the folder is still writable."
        ) from None


def _point_columns(subset, footprints, pairs, goci_bands, screenings):
    """{column: (n,) values} of the points: one per GOCI pixel with a Landsat mean."""
    has = np.isfinite(footprints.mean).any(axis=0)
    rows, cols = np.nonzero(has)
    columns = {"lon": subset.longitude[has], "lat": subset.latitude[has], "row": rows,
               "col": cols, "pixels": footprints.pixels[has]}  # fmt: skip
    for nm, band in pairs:
        goci = goci_bands[nm].values[has]
        mean = footprints.mean[band - 1][has]
        screening = screenings[nm]
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = goci / mean
        columns |= {f"goci_{nm}": goci, f"landsat_b{band}_mean": mean,
                    f"landsat_b{band}_std": footprints.std[band - 1][has],
                    f"landsat_b{band}_count": footprints.count[band - 1][has],
                    f"cv_landsat_{nm}": screening.cv_landsat[has],
                    f"cv_goci_{nm}": screening.cv_goci[has], f"ratio_{nm}": ratio,
                    f"passes_{nm}": screening.passes[has]}  # fmt: skip
    return columns


def _report_lines(goci_path, landsat_path, options, applied, register):
    """The report's paragraphs (HTML) above the table."""
    shift = ""
    if register:
        east = applied.shift_east_m - options.shift_east_m
        north = applied.shift_north_m - options.shift_north_m
        shift = "<br>REGISTER: no correction applied (see the log)"
        if east or north:
            shift = f"<br>REGISTER: GOCI geolocation moved {east:+.1f} m east, {north:+.1f} m north"
    return [
        f"GOCI: <code>{html.escape(str(goci_path))}</code><br>"
        f"Landsat: <code>{html.escape(str(landsat_path))}</code>{shift}",
        f"Each Landsat pixel belongs to the GOCI pixel whose footprint (in GOCI's index space) "
        f"holds its centre. A match-up passes when every pixel of the {options.box} × "
        f"{options.box} GOCI box around it has Landsat coverage ≥ {options.min_coverage:g} and a "
        f"valid GOCI value, and the coefficients of variation of the box's Landsat means and "
        f"of its GOCI values are both ≤ {options.max_cv:g}. The Failed columns count the "
        "GOCI pixels with Landsat data screened out, by the first test they fail.",
    ]


def _write_sidecar(files, inputs, options, register, result):
    """The JSON that marks the product complete (written last)."""
    content = {
        "generator": GENERATOR,
        "output": files["netcdf"].name,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": {"goci_resample": plugin_version()},
        "input_files": inputs,
        "parameters": options.as_dict(),
        "register": register,
        "shift_applied_m": [result.shift_east_m, result.shift_north_m],
        "files": {
            role: {"path": str(path), "identity": file_identity(path)}
            for role, path in files.items()
            if role != "sidecar"
        },
        "pairs": result.pairs,
        "passing": result.passing,
    }
    write_text_atomic(files["sidecar"], json.dumps(content, indent=2, ensure_ascii=False))


def _reuse(files, inputs, options, register, control):
    """A :class:`MatchupResult` of the up-to-date product at ``files``, or None."""
    sidecar = files["sidecar"]
    try:
        content = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    try:
        same = (content.get("generator") == GENERATOR
                and content["parameters"] == options.as_dict()
                and content["register"] == register
                and content["input_files"] == input_identities(*inputs)
                and all(content["files"][role]["path"] == str(path)
                        and file_identity(path) == content["files"][role]["identity"]
                        for role, path in files.items() if role != "sidecar"))  # fmt: skip
    except (OSError, KeyError, TypeError, GociResampleError):
        same = False
    if not same:
        control.info(f"{files['netcdf'].name}: no up-to-date match-ups there; computing them.")
        return None
    control.info(f"{files['netcdf'].name} is already complete for these inputs and parameters; "
                 "reused (set OVERWRITE to compute it again).")  # fmt: skip
    east, north = content["shift_applied_m"]
    return MatchupResult(files, content["pairs"], content["passing"], reused=True,
                         shift_east_m=east, shift_north_m=north)  # fmt: skip
