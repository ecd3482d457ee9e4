"""Resample one GOCI subset onto one Landsat grid and write the GeoTIFF, sidecar and style."""

import concurrent.futures
import json
import math
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .atomic import atomic_outputs, write_text, write_text_atomic
from .checks import (
    BASELINE_BYTES,
    OUR_TAG,
    check_memory,
    check_output_path,
    parameter_warnings,
)
from .engine import KdTreeResampler
from .errors import GociResampleError, ResampleCancelled
from .goci import read_goci_subset
from .grid import read_target_grid
from .grid_engine import EngineMismatch, EngineUnavailable, GridResampler
from .options import ResampleOptions
from .provenance import library_versions, plugin_version
from .scenes import LANDSAT_MARKER
from .statistics import BandStatistics
from .style import landsat_style_qml, style_qml

BLOCK_BUDGET_BYTES = 256 * 2**20
"""Working memory one block of target rows may use; peak RSS stays near this plus the inputs."""

GEOTIFF_PROFILE = {
    "driver": "GTiff",
    "dtype": "float32",
    "nodata": float("nan"),
    "tiled": True,
    "blockxsize": 256,
    "blockysize": 256,
    "compress": "deflate",
    "zlevel": 1,
    "predictor": 3,
    "interleave": "band",
    "bigtiff": "if_safer",
    "num_threads": "all_cpus",
}
"""Float32, NaN nodata, tiled, lossless deflate with the floating-point predictor.

Deflate level 1 writes a full scene in about half the time of the default level 6 for a file
4 % larger, and every GIS reads it (ZSTD is faster still but unknown to many tools)."""

STRIP_ROWS = GEOTIFF_PROFILE["blockysize"]
"""Rows written at once: one row of tiles, so each tile is compressed once."""

GDAL_CACHE_MB = 128
"""GDAL block cache while writing (its default, 5 % of RAM, would dominate peak memory)."""


@dataclass
class PairResult:
    """What :func:`resample_pair` wrote and measured.

    Attributes:
        output: the GeoTIFF.
        sidecar: the JSON sidecar (``<output stem>.json``).
        style: the QGIS style (``<output stem>.qml``).
        valid_fraction: fraction (0..1) of target pixels with a value in every band.
        bands: per band ``{"name", "wavelength_nm", "units", statistics...}``.
        seconds: wall time per stage (``read``, ``resample``, ``write``, ``total``).
        engine: the resampling engine that ran.
        landsat_style: style for the Landsat layer shown next to the output (same channels
            and display limits; ``<output stem>_landsat.qml``), None if not written.
    """

    output: Path
    sidecar: Path
    style: Path
    valid_fraction: float
    bands: list
    seconds: dict = field(default_factory=dict)
    engine: str = ""
    landsat_style: Path = None


def output_name(goci_path, options):
    """Return the SPEC §4 file name ``GOCI_on_Landsat_{goci_stem}_{GAUSS|NEAREST}.tif``."""
    return f"GOCI_on_Landsat_{Path(goci_path).stem}_{options.suffix}.tif"


def scene_name(landsat_path):
    """Return the scene name of a Landsat file: the part before ``_TOA_RAD_B``, else the stem."""
    stem = Path(landsat_path).stem
    return stem.split(LANDSAT_MARKER)[0] if LANDSAT_MARKER in stem else stem


def sidecar_paths(output):
    """Return the (json, qml) sidecar paths of an output GeoTIFF."""
    output = Path(output)
    return output.with_suffix(".json"), output.with_suffix(".qml")


def landsat_style_path(output):
    """Return the path of the Landsat layer style written next to an output GeoTIFF."""
    output = Path(output)
    return output.with_name(f"{output.stem}_landsat.qml")


ENGINES = ("auto", "grid", "kdtree")
"""``auto``: the grid engine when it can run (numba, a regular GOCI grid), else ``kdtree``."""


def resample_pair(
    goci_path,
    landsat_path,
    output_path,
    options=None,
    progress=None,
    is_cancelled=None,
    log=None,
    engine="auto",
    overwrite=False,
):
    """Resample every selected GOCI band onto the Landsat grid and write the outputs.

    Writes, each atomically (complete or absent): the float32 GeoTIFF ``output_path`` on exactly
    the Landsat grid, its QGIS style ``<stem>.qml``, and last its JSON sidecar ``<stem>.json``.
    An existing output is replaced only when the new one is complete.

    Args:
        goci_path: GOCI subset NetCDF.
        landsat_path: Landsat GeoTIFF defining the target grid.
        output_path: the GeoTIFF to write (parent folders are created).
        options: ``ResampleOptions``; defaults from the design note.
        progress: optional callable taking a fraction 0..1.
        is_cancelled: optional callable returning True to stop (raises ``ResampleCancelled``).
        log: optional callable taking a line of text.
        engine: one of ``ENGINES``; the results agree within SPEC §3 whichever runs.
        overwrite: replace ``output_path`` even if it is not a goci-resample output (an
            output of this plugin is always replaced; an input never is).

    Returns:
        PairResult.

    Raises:
        GociResampleError: bad inputs, no overlap, unwritable output, or cancelled.
    """
    options = options or ResampleOptions()
    progress = progress or (lambda fraction: None)
    is_cancelled = is_cancelled or (lambda: False)
    log = log or (lambda text: None)
    output_path = Path(output_path)
    started = time.perf_counter()

    check_output_path(output_path, (goci_path, landsat_path), overwrite)
    subset = read_goci_subset(goci_path, options.wavelengths)
    grid = read_target_grid(landsat_path)
    _check_overlap(subset, grid, options.radius_m)
    for warning in parameter_warnings(subset, options):
        log(warning)
    check_memory(
        pair_memory_bytes(grid.width, len(subset.bands), subset.latitude.size),
        f"Resampling onto {grid.path.name} ({grid.width} × {grid.height})",
    )
    resampler = _make_resampler(subset, grid, options, engine, log)
    seconds = {"read": time.perf_counter() - started}
    log(
        f"GOCI {subset.shape[0]}×{subset.shape[1]} pixels, bands "
        f"{', '.join(str(w) for w in subset.wavelengths)} nm → Landsat grid "
        f"{grid.width}×{grid.height} ({grid.crs}); engine {resampler.name}"
    )

    _prepare_folder(output_path)
    json_path, qml_path = sidecar_paths(output_path)
    while True:
        statistics = [BandStatistics(grid.size) for _ in subset.bands]
        try:
            # The raster lands first, then its sidecar, which marks the output complete.
            with atomic_outputs(output_path, json_path) as (raster_temporary, json_temporary):
                all_valid = _write_raster(
                    raster_temporary,
                    output_path,
                    subset,
                    grid,
                    options,
                    resampler,
                    statistics,
                    seconds,
                    progress,
                    is_cancelled,
                )
                if all(s.count == 0 for s in statistics):
                    raise GociResampleError(_no_overlap_message(subset, grid, options.radius_m))
                landsat_qml = _write_styles(output_path, subset, grid, statistics)
                seconds["total"] = time.perf_counter() - started
                result = PairResult(
                    output=output_path,
                    sidecar=json_path,
                    style=qml_path,
                    valid_fraction=all_valid / grid.size,
                    bands=[
                        {
                            "name": band.name,
                            "wavelength_nm": band.wavelength_nm,
                            "units": band.units,
                        }
                        | stats.as_dict()
                        for band, stats in zip(subset.bands, statistics)
                    ],
                    seconds=seconds,
                    engine=resampler.name,
                    landsat_style=landsat_qml,
                )
                write_text(
                    json_temporary, json.dumps(_sidecar(result, subset, grid, options), indent=2)
                )
                # Until the new sidecar lands, the output must read as incomplete.
                json_path.unlink(missing_ok=True)
            break
        except EngineMismatch as mismatch:
            log(f"{mismatch}; starting again with the KD-tree engine.")
            resampler = KdTreeResampler(subset, grid, options)
    progress(1.0)
    return result


def pair_memory_bytes(width, bands, goci_pixels):
    """Peak memory (bytes) one pair needs: the loaded libraries, the GOCI arrays and their
    search structures, two strips of output, GDAL's cache and one block of engine work."""
    strip = bands * STRIP_ROWS * width * 4
    return (
        BASELINE_BYTES
        + goci_pixels * (bands * 24 + 200)
        + 3 * strip
        + GDAL_CACHE_MB * 2**20
        + BLOCK_BUDGET_BYTES
    )


def _write_styles(output_path, subset, grid, statistics):
    """Write the output's ``.qml`` and, when the Landsat file has bands 2–4, the matching
    Landsat style; return the latter's path (or None)."""
    stretches = [s.percentiles() for s in statistics]
    write_text_atomic(sidecar_paths(output_path)[1], style_qml(subset.wavelengths, stretches))
    landsat_qml = landsat_style_qml(subset.wavelengths, stretches)
    if landsat_qml is None or grid.band_count < 4:
        return None
    path = landsat_style_path(output_path)
    write_text_atomic(path, landsat_qml)
    return path


def _make_resampler(subset, grid, options, engine, log):
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if engine != "kdtree":
        try:
            return GridResampler(subset, grid, options)
        except EngineUnavailable as reason:
            if engine == "grid":
                raise GociResampleError(f"The grid engine cannot run: {reason}.") from None
            log(f"Grid engine not used: {reason}. Using the KD-tree engine (slower, same results).")
    return KdTreeResampler(subset, grid, options)


def _prepare_folder(output_path):
    try:
        output_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise GociResampleError(
            f"Cannot create the output folder {output_path.parent} ({error.strerror}). "
            "Choose a folder you can write to."
        ) from None


def _rows_per_block(grid, resampler):
    rows = BLOCK_BUDGET_BYTES // (grid.width * resampler.bytes_per_target_pixel())
    return int(min(STRIP_ROWS, max(1, rows)))


def _write_raster(
    path, output_path, subset, grid, options, resampler, statistics, seconds, progress, is_cancelled
):
    """Resample block by block into a new GeoTIFF; return the count of pixels valid in all bands.

    Blocks of rows sized to ``BLOCK_BUDGET_BYTES`` are resampled into a strip one tile high.
    A writer thread takes each full strip (statistics, then one GDAL write, so every tile is
    compressed exactly once) while the next strip is computed; at most two strips are in
    memory.
    """
    import rasterio

    profile = GEOTIFF_PROFILE | {
        "width": grid.width,
        "height": grid.height,
        "count": len(subset.bands),
        "crs": grid.crs,
        "transform": grid.transform,
    }
    rows_per_block = _rows_per_block(grid, resampler)
    seconds["resample"] = seconds["write"] = 0.0
    with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB):
        try:
            dataset = rasterio.open(path, "w", **profile)
        except rasterio.errors.RasterioIOError as error:
            raise GociResampleError(
                f"Cannot write {output_path} ({error}). Choose a folder you can write to."
            ) from None
        writer = _StripWriter(dataset, output_path, statistics, seconds)
        with dataset, concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
            pending = None
            try:
                for strip_start in range(0, grid.height, STRIP_ROWS):
                    strip_stop = min(grid.height, strip_start + STRIP_ROWS)
                    strip = np.empty(
                        (len(subset.bands), strip_stop - strip_start, grid.width), dtype=np.float32
                    )
                    tick = time.perf_counter()
                    for row_start in range(strip_start, strip_stop, rows_per_block):
                        if is_cancelled():
                            raise ResampleCancelled()
                        row_stop = min(strip_stop, row_start + rows_per_block)
                        strip[:, row_start - strip_start : row_stop - strip_start] = (
                            resampler.resample_rows(row_start, row_stop)
                        )
                        progress(row_stop / grid.height)
                    seconds["resample"] += time.perf_counter() - tick
                    if pending is not None:
                        pending.result()
                    pending = thread.submit(writer.write, strip, strip_start)
                pending.result()
            finally:
                if pending is not None:
                    concurrent.futures.wait([pending])
            _describe(dataset, subset, grid, options, resampler)
        _check_written(path, output_path, strip, strip_start)
    return writer.all_valid


def _check_written(path, output_path, last_strip, row_start):
    """Read the last strip back: GDAL writes the final tiles and the TIFF directory when the
    file is closed, and a failure there (a full disk) is not reported as an exception."""
    import rasterio
    from rasterio.windows import Window

    window = Window(0, row_start, last_strip.shape[2], last_strip.shape[1])
    try:
        with rasterio.open(path) as written:
            intact = np.array_equal(written.read(window=window), last_strip, equal_nan=True)
    except (rasterio.errors.RasterioError, OSError) as error:
        intact, reason = False, str(error)
    else:
        reason = "the last rows read back differ"
    if not intact:
        raise GociResampleError(
            f"Writing {output_path} failed at the end ({reason}). Check the free space and "
            "that the folder is still writable."
        )


class _StripWriter:
    """Adds a strip to the statistics and writes it (in the writer thread)."""

    def __init__(self, dataset, output_path, statistics, seconds):
        self.dataset, self.output_path = dataset, output_path
        self.statistics, self.seconds = statistics, seconds
        self.all_valid = 0

    def write(self, strip, row_start):
        from rasterio.windows import Window

        tick = time.perf_counter()
        self.all_valid += int(np.isfinite(strip).all(axis=0).sum())
        for stats, band in zip(self.statistics, strip):
            stats.update(band)
        window = Window(0, row_start, strip.shape[2], strip.shape[1])
        _write_block(self.dataset, strip, window, self.output_path)
        self.seconds["write"] += time.perf_counter() - tick


def _write_block(dataset, block, window, path):
    try:
        dataset.write(block, window=window)
    except Exception as error:  # GDAL reports a full disk or a lost folder as a generic error
        raise GociResampleError(
            f"Writing {path.name} in {path.parent} failed ({error}). Check the free space and "
            "that the folder is still writable."
        ) from None


def _describe(dataset, subset, grid, options, resampler):
    """Band descriptions and metadata: wavelength, units, method, parameters, inputs, version."""
    dataset.update_tags(
        **{OUR_TAG: plugin_version()},
        ENGINE=resampler.name,
        METHOD=options.method,
        RADIUS_M=options.radius_m,
        SIGMA_M=options.sigma_m,
        NEIGHBOURS=options.neighbours,
        INVALID=options.invalid,
        GOCI_FILE=subset.path.name,
        LANDSAT_FILE=grid.path.name,
        **({"AREA_OR_POINT": grid.area_or_point} if grid.area_or_point else {}),
    )
    for number, band in enumerate(subset.bands, start=1):
        dataset.set_band_description(number, band.name)
        dataset.update_tags(
            number, NAME=band.name, WAVELENGTH_NM=band.wavelength_nm, UNITS=band.units
        )
        if band.units:
            dataset.set_band_unit(number, band.units)


def _sidecar(result, subset, grid, options):
    return {
        "output": result.output.name,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inputs": {"goci": str(subset.path), "landsat": str(grid.path)},
        "target_grid": {
            "width": grid.width,
            "height": grid.height,
            "crs": grid.crs.to_string(),
            "transform": list(grid.transform)[:6],
        },
        "parameters": options.as_dict(),
        "engine": result.engine,
        "valid_fraction": result.valid_fraction,
        "bands": result.bands,
        "seconds": result.seconds,
        "versions": library_versions(),
    }


def _source_extent(subset):
    usable = subset.geolocation_valid & np.any(
        [np.isfinite(b.values) for b in subset.bands], axis=0
    )
    lon, lat = subset.longitude[usable], subset.latitude[usable]
    return lon.min(), lon.max(), lat.min(), lat.max()


def _target_extent(grid):
    lon, lat = grid.outline_lonlat()
    finite = np.isfinite(lon) & np.isfinite(lat)
    return lon[finite].min(), lon[finite].max(), lat[finite].min(), lat[finite].max()


def _check_overlap(subset, grid, radius_m):
    """Fail before any heavy work when the GOCI pixels are nowhere near the Landsat grid."""
    s_lon0, s_lon1, s_lat0, s_lat1 = _source_extent(subset)
    t_lon0, t_lon1, t_lat0, t_lat1 = _target_extent(grid)
    margin_lat = math.degrees(radius_m / 6370997.0)
    margin_lon = margin_lat / max(0.01, math.cos(math.radians(max(abs(t_lat0), abs(t_lat1)))))
    apart = (
        s_lon1 + margin_lon < t_lon0
        or t_lon1 + margin_lon < s_lon0
        or s_lat1 + margin_lat < t_lat0
        or t_lat1 + margin_lat < s_lat0
    )
    if apart:
        raise GociResampleError(_no_overlap_message(subset, grid, radius_m))


def _no_overlap_message(subset, grid, radius_m):
    s_lon0, s_lon1, s_lat0, s_lat1 = _source_extent(subset)
    t_lon0, t_lon1, t_lat0, t_lat1 = _target_extent(grid)
    return (
        f"No valid GOCI pixel within {radius_m:g} m of the Landsat grid: {subset.path.name} and "
        f"{grid.path.name} do not overlap (GOCI lon {s_lon0:.3f}..{s_lon1:.3f}, lat "
        f"{s_lat0:.3f}..{s_lat1:.3f}; Landsat lon {t_lon0:.3f}..{t_lon1:.3f}, lat "
        f"{t_lat0:.3f}..{t_lat1:.3f}). Check that the two files belong to the same scene pair."
    )
