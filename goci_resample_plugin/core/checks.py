"""Checks before any heavy work: parameters that will disappoint, outputs that must be kept."""

import os
from pathlib import Path

import numpy as np

from .engine import lonlat_to_xyz
from .errors import GociResampleError

OUR_TAG = "GOCI_RESAMPLE_VERSION"
"""GeoTIFF metadata item every output of this plugin carries."""


def goci_pixel_spacing_m(subset):
    """Median distance (metres) between neighbouring located GOCI pixels along rows and cols."""
    located = subset.geolocation_valid
    xyz = lonlat_to_xyz(subset.longitude, subset.latitude).reshape(*subset.shape, 3)
    xyz[~located] = np.nan
    steps = [np.linalg.norm(np.diff(xyz, axis=axis), axis=2) for axis in (0, 1)]
    finite = np.concatenate([step[np.isfinite(step)] for step in steps])
    return float(np.median(finite)) if finite.size else float("nan")


def parameter_warnings(subset, options):
    """Return warnings (text) about parameters that will give a poor result for this file."""
    warnings = []
    spacing = goci_pixel_spacing_m(subset)
    if np.isfinite(spacing) and options.radius_m < spacing / np.sqrt(2):
        warnings.append(
            f"Warning: RADIUS {options.radius_m:g} m is less than half the diagonal of a GOCI "
            f"pixel ({spacing:.0f} m apart in {subset.path.name}): Landsat pixels between GOCI "
            f"pixel centres will have none within reach and stay empty (holes). Use at least "
            f"{np.ceil(spacing / np.sqrt(2) / 10) * 10:.0f} m; the default is 800 m."
        )
    if options.method == "gauss" and options.sigma_m > options.radius_m:
        warnings.append(
            f"Warning: SIGMA {options.sigma_m:g} m is larger than RADIUS {options.radius_m:g} m: "
            "the weights barely fall off inside the radius, so the result is close to a plain "
            "mean of the neighbours. The design note uses SIGMA ≈ 0.4 × RADIUS (320 m for 800 m)."
        )
    return warnings


def check_output_path(output, inputs, overwrite):
    """Refuse an output that would destroy an input, or a file this plugin did not write.

    Raises:
        GociResampleError: ``output`` is one of ``inputs``; or it exists, is not a
            goci-resample output and ``overwrite`` is False.
    """
    output = Path(output)
    for source in inputs:
        if output.exists() and os.path.samefile(output, source):
            raise GociResampleError(
                f"OUTPUT {output} is the input {Path(source).name} itself; writing it would "
                "destroy the input. Choose another output file."
            )
    if output.exists() and not overwrite and not is_our_output(output):
        raise GociResampleError(
            f"OUTPUT {output} already exists and was not written by goci-resample; it is left "
            "untouched. Choose another output file, or set OVERWRITE to replace it."
        )


def is_our_output(path):
    """True when ``path`` is a GeoTIFF written by this plugin (it carries ``OUR_TAG``)."""
    import rasterio

    try:
        with rasterio.open(path) as dataset:
            return OUR_TAG in dataset.tags()
    except (rasterio.errors.RasterioError, OSError, ValueError):
        return False


BASELINE_BYTES = 300 * 2**20
"""Python, numpy, GDAL, PROJ and numba loaded: what a worker holds before any data."""


def available_memory_bytes():
    """Memory the system can give without swapping (``MemAvailable``), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(needed_bytes, what):
    """Stop with a message when ``needed_bytes`` exceeds the memory available now.

    Raises:
        GociResampleError: not enough memory; says how much is needed and available.
    """
    available = available_memory_bytes()
    if available is not None and needed_bytes > available:
        raise GociResampleError(
            f"{what} needs about {needed_bytes / 2**30:.1f} GB of memory but only "
            f"{available / 2**30:.1f} GB are available. Close other programs, run fewer "
            "scenes at once (WORKERS), or process a smaller Landsat grid."
        )
