"""Resample one GOCI subset onto one Landsat grid: read → resample → write the product."""

import contextlib
import dataclasses
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .bands import band_name
from .control import RunControl
from .errors import GociResampleError
from .options import ProductRequest, ResampleOptions
from .read import available_bands, read_goci_subset, read_target_grid
from .resample import (
    BLOCK_BUDGET_BYTES,
    QUALITY_BANDS,
    check_cells,
    check_overlap,
    engine_memory_bytes,
    make_resampler,
    no_overlap_message,
    parameter_notes,
    parameter_warnings,
    resample_strips,
    resample_with_fallback,
)
from .resample.geometry import shifted_lonlat
from .system import BASELINE_BYTES, check_memory
from .write import (
    OUTPUT_ROOT_LOCK,
    STRIP_ROWS,
    BandStatistics,
    GeoTiffWriter,
    atomic_outputs,
    band_tags,
    busy_message,
    check_free,
    check_outputs,
    check_product_outputs,
    check_raster_names,
    check_unchanged,
    existing_output,
    export_npy,
    file_identity,
    geotiff_profile,
    held_lock,
    input_identities,
    landsat_style_path,
    landsat_style_qml,
    lock_path,
    make_folder,
    npy_path,
    product_files,
    raster_tags,
    remove_stale_temporaries,
    sidecar_content,
    sidecar_path,
    style_path,
    style_qml,
    write_sidecar,
    write_text,
)
from .write.geotiff import GDAL_CACHE_MB


@dataclass
class PairResult:
    """What :func:`resample_pair` wrote (or found up to date) and measured.

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
        reused: True when a complete, up-to-date output was found and nothing was computed.
        replaced_because: why an existing output of this plugin was redone ("" if none was).
        quality: the quality raster (``QUALITY_BANDS``), None if not asked for.
    """

    output: Path
    sidecar: Path
    style: Path
    valid_fraction: float
    bands: list
    seconds: dict = field(default_factory=dict)
    engine: str = ""
    landsat_style: Path = None
    reused: bool = False
    replaced_because: str = ""
    quality: Path = None


PREPARE_SHARE = 0.3
"""Share of the progress bar the first run's compile takes (it is most of a small run)."""


def resample_pair(goci_path, landsat_path, output_path, options=None, control=None, *,
                  engine="auto", overwrite=False, write_npy=False,
                  quality_output=None):  # fmt: skip
    """Resample every selected GOCI band onto the Landsat grid and write the product.

    Writes, each atomically (complete or absent): the float32 GeoTIFF ``output_path`` on exactly
    the Landsat grid, its QGIS styles (``<stem>.qml``, ``<stem>_landsat.qml``), with
    ``write_npy`` one ``<stem>_<band>.npy`` per band, and last its JSON sidecar
    ``<stem>.json``, which marks the output complete. An existing output is replaced only when
    the new one is complete.

    An output that is already complete for this run (same input files, parameters and band
    set: see :func:`~.write.existing_output`) is reused unless ``overwrite``; a stale one is
    redone.

    Args:
        goci_path: GOCI subset NetCDF.
        landsat_path: Landsat GeoTIFF defining the target grid.
        output_path: the GeoTIFF to write (``.tif``/``.tiff``; parent folders are created).
        options: ``ResampleOptions``; defaults from the design note.
        control: ``RunControl`` for progress, cancel and log.
        engine: one of ``ENGINES``; the results agree within SPEC §3 whichever runs.
        overwrite: recompute even an up-to-date output, and replace files at the output
            names that goci-resample did not write (an input is never replaced).
        write_npy: also write each band as a ``.npy`` file.
        quality_output: also write this float32 GeoTIFF on the same grid, from the same
            pass: per pixel the number of GOCI pixels that entered the first band's value,
            the distance (m) to the nearest of them and the sum of their weights
            (``QUALITY_BANDS``; 0, NaN, 0 where there is no value). It lands with the rest.

    Returns:
        PairResult.

    Raises:
        GociResampleError: bad inputs, no overlap, unwritable output, or cancelled.
    """
    request = ProductRequest(overwrite=overwrite, write_npy=write_npy, quality=quality_output)
    return resample_product(goci_path, landsat_path, output_path, options, request, control,
                            engine=engine)  # fmt: skip


def resample_product(goci_path, landsat_path, output_path, options, request, control=None,
                     engine="auto"):  # fmt: skip
    """:func:`resample_pair` for a :class:`~.options.ProductRequest` (its ``register`` and
    ``compare`` are for the callers above: :func:`~.compare.make_product`)."""
    options = options or ResampleOptions()
    control = control or RunControl()
    output_path = Path(output_path)
    started = time.perf_counter()
    inputs = (goci_path, landsat_path)
    check_raster_names(output_path, request.quality if request.quality is not True else None)
    files = product_files(output_path, request)
    stale = ""
    if not request.overwrite:
        reused, stale = _reuse(output_path, inputs, options, request, files.get("quality"),
                               control)  # fmt: skip
        if reused is not None:  # nothing is replaced: a style the user saved there is theirs
            return reused
    check_planned_files(goci_path, landsat_path, output_path, options, request)
    if not request.in_batch:  # a batch writing into this folder or its parent comes first
        for folder in (output_path.parent, output_path.parent.parent):
            check_free(folder / OUTPUT_ROOT_LOCK, lambda holder, f=folder: busy_message(f, holder))
    make_folder(output_path.parent)
    with held_lock(lock_path(output_path), lambda holder: busy_message(output_path, holder)):
        result = _make(goci_path, landsat_path, output_path, options, request, control, engine,
                       started)  # fmt: skip
    result.replaced_because = stale
    _say_what_was_written(result, Path(goci_path).name, options, control)
    return result


def _make(goci_path, landsat_path, output_path, options, request, control, engine, started):
    """Read, resample and land the product (the lock on the output held); its PairResult."""
    # only the lock's holder cleans up: another host's live writer has a pid we cannot check
    remove_stale_temporaries(*{p.parent for p in product_files(output_path, request).values()})
    # what the output will be made from (REGISTER took them before it read the inputs)
    before = request.inputs_before or input_identities(goci_path, landsat_path)
    subset, grid = _read(goci_path, landsat_path, options, control)
    files = product_files(output_path, request, [band.name for band in subset.bands],
                          grid.band_count)  # fmt: skip
    npy = [path for role, path in files.items() if role in {b.name for b in subset.bands}]
    check_outputs(npy, (goci_path, landsat_path), request.overwrite, owner=output_path)
    for folder in {path.parent for path in files.values()}:
        make_folder(folder)
    seconds = {"read": time.perf_counter() - started}
    resampler = make_resampler(subset, grid, options, engine, control)
    control.info(
        f"GOCI {subset.shape[0]}×{subset.shape[1]} pixels, bands "
        f"{', '.join(str(w) for w in subset.wavelengths)} nm → Landsat grid "
        f"{grid.width}×{grid.height} ({grid.crs}); {resampler.name} engine"
    )
    share = PREPARE_SHARE if resampler.first_use else 0.0  # the first run's compile
    rows = control.part(share, 1.0)

    def land(engine):
        engine.prepare(control.part(0.0, share))
        return _land_product(files, subset, grid, options, engine, before, seconds, started,
                             rows)  # fmt: skip

    return resample_with_fallback(resampler, land, control)


def check_planned_files(goci_path, landsat_path, output_path, options, request,
                        trust_owner=False):  # fmt: skip
    """The product's files (:func:`~.write.product_files`, without the ``.npy`` files, named
    from the file's variables), checked before any work (GociResampleError: a name cannot be
    written or would replace an input or a file not ours; ``trust_owner``: see
    :func:`~.write.check_outputs`)."""
    request = dataclasses.replace(request, write_npy=False)
    check_raster_names(output_path, product_files(output_path, request).get("quality"))
    wavelengths = options.wavelengths or available_bands(goci_path)
    files = product_files(output_path, request, [band_name(w) for w in wavelengths],
                          read_target_grid(landsat_path).band_count)  # fmt: skip
    check_product_outputs(files, (goci_path, landsat_path), request.overwrite, trust_owner)


def _read(goci_path, landsat_path, options, control):
    """(GociSubset with the REGISTER shift applied, TargetGrid), checked: overlap, parameter
    warnings and notes logged, enough memory.

    Raises:
        GociResampleError: bad inputs, no overlap or not enough memory.
    """
    subset = read_goci_subset(goci_path, options.wavelengths)
    if options.shift_east_m or options.shift_north_m:
        lon, lat = shifted_lonlat(subset.longitude, subset.latitude, options.shift_east_m,
                                  options.shift_north_m)  # fmt: skip
        subset = dataclasses.replace(subset, longitude=lon, latitude=lat)
    grid = read_target_grid(landsat_path)
    if options.interpolates:
        check_cells(subset, f"{options.method} interpolation")
    check_overlap(subset, grid, options.reach_m)
    for warning in parameter_warnings(subset, options):
        control.warning(warning)
    for note in parameter_notes(subset, options):
        control.info(note)
    check_memory(
        pair_memory_bytes(grid.width, grid.height, len(subset.bands), subset.latitude.size),
        f"Resampling onto {grid.path.name} ({grid.width} × {grid.height})",
    )
    return subset, grid


def _land_product(files, subset, grid, options, resampler, inputs, seconds, started, control):
    """Write every file of the product (``files``) to temporaries and land them together, the
    sidecar last; return the ``PairResult``. ``inputs``: the inputs' identities taken before
    they were read; when either input is no longer that file, nothing lands.

    Raises:
        GociResampleError: an input changed while the product was made.
    """
    with atomic_outputs(*files.values()) as temporaries:
        temporary = dict(zip(files, temporaries))
        result, identities = _write_product(
            temporary, files, subset, grid, options, resampler, seconds, control
        )
        seconds["total"] = time.perf_counter() - started
        identities["inputs"] = check_unchanged(inputs, subset.path, grid.path)
        content = sidecar_content(result, subset, grid, options, identities)
        write_sidecar(temporary["sidecar"], content, shown_as=files["sidecar"])
        # Until the new sidecar lands, the output must read as incomplete.
        files["sidecar"].unlink(missing_ok=True)
    return result


def _within(reach_m):
    """Where GOCI pixels count for a Landsat pixel, in words."""
    return f"within {reach_m:g} m" if reach_m else "under the Landsat grid"


def _say_what_was_written(result, goci_name, options, control):
    """Warn about bands without a value anywhere; log what was written and how long it took."""
    for band in result.bands:
        if not band["valid_pixels"]:
            control.warning(
                f"Band {band['name']} has no value anywhere on the grid: every GOCI pixel of it "
                f"{_within(options.reach_m)} is invalid (fill, NaN or outside the footprint) "
                f"in {goci_name}. Check that band in the file, or leave it out (BANDS)."
            )
    seconds = result.seconds
    control.info(
        f"Wrote {result.output}: {result.valid_fraction:.1%} of the grid valid in every band, "
        f"{seconds['total']:.1f} s (read {seconds['read']:.1f} s, resample "
        f"{seconds['resample']:.1f} s, write {seconds['write']:.1f} s)."
    )
    control.progress(1.0)


def pair_memory_bytes(width, height, bands, goci_pixels):
    """Peak memory (bytes) one pair needs on a ``width`` × ``height`` grid: the loaded
    libraries, the GOCI arrays and their search structures, the engine's set-up
    (:func:`~.resample.engine_memory_bytes`), two strips of output, GDAL's cache and one
    block of engine work."""
    strip = bands * STRIP_ROWS * width * 4
    return (BASELINE_BYTES + goci_pixels * (bands * 24 + 200) + engine_memory_bytes(width, height)
            + 3 * strip + GDAL_CACHE_MB * 2**20 + BLOCK_BUDGET_BYTES)  # fmt: skip


def _reuse(output_path, inputs, options, request, quality, control):
    """``(PairResult, "")`` of an up-to-date output (writing missing ``.npy`` files), or
    ``(None, why an existing output is stale)``."""
    sidecar, why_not = existing_output(output_path, *inputs, options, quality)
    if sidecar is None:
        if why_not:
            control.info(f"{output_path.name} exists but is redone: {why_not}.")
        return None, why_not
    if request.write_npy:
        wanted = [(number, npy_path(output_path, band["name"]))
                  for number, band in enumerate(sidecar["bands"], start=1)]  # fmt: skip
        missing = [(number, path) for number, path in wanted if not os.path.isfile(path)]
        with atomic_outputs(*(path for _, path in missing)) as temporaries:
            export_npy(output_path, [(number, temporary, path) for (number, path), temporary
                                     in zip(missing, temporaries)])  # fmt: skip
    landsat_qml = landsat_style_path(output_path)
    control.info(
        f"{output_path.name} is already complete for these inputs and parameters; reused "
        "(set OVERWRITE to compute it again)."
    )
    control.progress(1.0)
    return PairResult(
        output=output_path,
        sidecar=sidecar_path(output_path),
        style=style_path(output_path),
        valid_fraction=sidecar.get("valid_fraction"),
        bands=sidecar["bands"],
        seconds=sidecar.get("seconds", {}),
        engine=sidecar.get("engine", ""),
        landsat_style=landsat_qml if os.path.isfile(landsat_qml) else None,
        reused=True,
        quality=quality,
    ), ""


def _write_product(temporary, files, subset, grid, options, resampler, seconds, control):
    """Write the raster, quality raster, styles and ``.npy`` files to their ``temporary``
    names; return the ``PairResult`` (with the final names ``files``) and the identities of
    the raster and the quality raster (None without one)."""
    output_path = files["raster"]
    statistics = [BandStatistics(grid.size) for _ in subset.bands]
    all_valid = [0]

    def add_to_statistics(strip):
        finite = np.isfinite(strip)
        all_valid[0] += int(finite.all(axis=0).sum())
        for stats, band, band_finite in zip(statistics, strip, finite):
            stats.update(band, band_finite)

    seconds["resample"] = 0.0
    profile = geotiff_profile(grid.width, grid.height, len(subset.bands), grid.crs,
                              grid.transform, options.compression)  # fmt: skip
    tags = raster_tags(subset, grid, options, resampler.name)
    with contextlib.ExitStack() as writers:
        raster = writers.enter_context(
            GeoTiffWriter(temporary["raster"], output_path, profile, tags,
                          [(band.name, band_tags(band), band.units) for band in subset.bands],
                          on_strip=add_to_statistics)
        )  # fmt: skip
        quality = writers.enter_context(
            GeoTiffWriter(temporary["quality"], files["quality"], profile | {"count": 3}, tags,
                          QUALITY_BANDS)) if "quality" in files else None  # fmt: skip
        for row_start, strip, quality_strip in resample_strips(
            resampler, grid, len(subset.bands), STRIP_ROWS, control, seconds, quality is not None
        ):
            raster.write(row_start, strip)
            if quality is not None:
                quality.write(row_start, quality_strip)
    seconds["write"] = raster.seconds + (quality.seconds if quality is not None else 0.0)
    if all(s.count == 0 for s in statistics):
        raise GociResampleError(no_overlap_message(subset, grid, options.reach_m))
    raster_identity = file_identity(temporary["raster"])
    stretches = [s.percentiles() for s in statistics]
    write_text(temporary["style"], style_qml(subset.wavelengths, stretches), files["style"])
    if "landsat_style" in files:
        write_text(temporary["landsat_style"], landsat_style_qml(subset.wavelengths, stretches),
                   files["landsat_style"])  # fmt: skip
    bands = enumerate(subset.bands, start=1)
    export_npy(temporary["raster"], [(n, temporary[b.name], files[b.name]) for n, b in bands
                                      if b.name in files])  # fmt: skip
    result = PairResult(
        output=output_path,
        sidecar=files["sidecar"],
        style=files["style"],
        valid_fraction=all_valid[0] / grid.size,
        bands=[
            {"name": band.name, "wavelength_nm": band.wavelength_nm, "units": band.units}
            | stats.as_dict()
            for band, stats in zip(subset.bands, statistics)
        ],
        seconds=seconds,
        engine=resampler.name,
        landsat_style=files.get("landsat_style"),
        quality=files.get("quality"),
    )
    return result, {"raster": raster_identity, "quality": file_identity(temporary["quality"])
                    if "quality" in files else None}  # fmt: skip
