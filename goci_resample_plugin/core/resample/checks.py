"""Checks before any heavy work: parameters that will disappoint, pairs that do not overlap."""

import math

import numpy as np

from ..errors import GociResampleError
from .geometry import EARTH_RADIUS_M, goci_pixel_spacing_m


def parameter_warnings(subset, options):
    """Return warnings (text) about parameters that will give a poor result for this file."""
    warnings = []
    if options.interpolates:  # RADIUS and SIGMA play no part
        return warnings
    spacing = goci_pixel_spacing_m(subset)
    if np.isfinite(spacing) and options.radius_m < spacing / np.sqrt(2):
        warnings.append(
            f"RADIUS {options.radius_m:g} m is less than half the diagonal of a GOCI "
            f"pixel ({spacing:.0f} m apart in {subset.path.name}): Landsat pixels between GOCI "
            f"pixel centres will have none within reach and stay empty (holes). Use at least "
            f"{np.ceil(spacing / np.sqrt(2) / 10) * 10:.0f} m; the default is 800 m."
        )
    farthest = spacing / np.sqrt(2)  # a Landsat pixel between four GOCI pixel centres
    if (
        options.method == "gauss"
        and np.isfinite(spacing)
        and (farthest / options.sigma_m) ** 2 > 700
    ):
        warnings.append(
            f"SIGMA {options.sigma_m:g} m is tiny against the GOCI pixels ({spacing:.0f} m apart "
            f"in {subset.path.name}): the weight exp(-d²/σ²) of a pixel {farthest:.0f} m away is "
            "below 1e-300 and becomes 0, so Landsat pixels between GOCI pixel centres get no "
            "value (NaN; pyresample does the same). For a sharp result use METHOD Nearest; for "
            f"a smooth one SIGMA of the order of {spacing:.0f} m (the default is 320 m)."
        )
    if options.method == "gauss" and options.sigma_m > options.radius_m:
        warnings.append(
            f"SIGMA {options.sigma_m:g} m is larger than RADIUS {options.radius_m:g} m: "
            "the weights barely fall off inside the radius, so the result is close to a plain "
            "mean of the neighbours. The design note uses SIGMA ≈ 0.4 × RADIUS (320 m for 800 m)."
        )
    return warnings


_TOLD = set()
"""The parameter notes this process has given already: each is said once, not on every run
or every scene of a batch."""


def parameter_notes(subset, options):
    """Return information (text) on what the parameters do with this file's pixel spacing: how
    far the Gaussian really reaches when NEIGHBOURS fills up before RADIUS (pyresample warns
    about the same) — once per process for the same spacing and parameters."""
    if options.interpolates:
        return _unused_parameters(options)
    spacing = goci_pixel_spacing_m(subset)
    if options.method != "gauss" or not np.isfinite(spacing):
        return []
    within = np.pi * options.radius_m**2 / spacing**2
    key = (round(spacing, -1), options.radius_m, options.neighbours)
    if within <= options.neighbours or key in _TOLD:
        return []
    _TOLD.add(key)
    reach = spacing * np.sqrt(options.neighbours / np.pi)
    return [
        f"About {within:.0f} GOCI pixels ({spacing:.0f} m apart) lie within RADIUS "
        f"{options.radius_m:g} m and NEIGHBOURS {options.neighbours} keeps the nearest, so the "
        f"weights reach about {reach:.0f} m. That is the design note's setting and fine as it "
        f"is; to use the whole radius set NEIGHBOURS {int(np.ceil(within))}, or for nearly the "
        f"same result faster set RADIUS about {reach:.0f} m. (Said once per session.)"
    ]


def _unused_parameters(options):
    """The note that RADIUS, SIGMA or NEIGHBOURS set to other than their defaults play no part
    in an interpolator (once per process)."""
    defaults = type(options)()
    changed = [name for name, value in (("RADIUS", options.radius_m != defaults.radius_m),
                                        ("SIGMA", options.sigma_m != defaults.sigma_m),
                                        ("NEIGHBOURS", options.neighbours != defaults.neighbours))
               if value]  # fmt: skip
    key = ("unused", options.method, tuple(changed))
    if not changed or key in _TOLD:
        return []
    _TOLD.add(key)
    return [f"{', '.join(changed)} play no part in the {options.method} method (it interpolates "
            "in GOCI's pixel grid); they are not recorded with the output. (Said once per "
            "session.)"]  # fmt: skip


def check_cells(subset, what):
    """Refuse a GOCI subset too narrow for GOCI's index space (``what``: the method or the
    match-ups, for the message): bilinear, cubic and the match-ups' footprints live in the
    cells between four pixel centres, so they need at least 2 × 2 pixels.

    Raises:
        GociResampleError: names the file, its size and what to do.
    """
    rows, cols = subset.shape
    if rows < 2 or cols < 2:
        raise GociResampleError(
            f"GOCI file {subset.path} is {rows} × {cols} pixels, but {what} needs GOCI's "
            "cells between four pixel centres: at least 2 × 2 pixels. Use Gaussian or Nearest, "
            "or a GOCI subset that covers the Landsat scene."
        )


def check_overlap(subset, grid, radius_m):
    """Fail before any heavy work when the GOCI pixels are nowhere near the Landsat grid.

    Raises:
        GociResampleError: the lon/lat boxes, widened by ``radius_m``, do not meet.
    """
    s_lon0, s_lon1, s_lat0, s_lat1 = _source_extent(subset)
    t_lon0, t_lon1, t_lat0, t_lat1 = _target_extent(grid)
    margin_lat = math.degrees(radius_m / EARTH_RADIUS_M)
    margin_lon = margin_lat / max(0.01, math.cos(math.radians(max(abs(t_lat0), abs(t_lat1)))))
    apart = (
        s_lon1 + margin_lon < t_lon0
        or t_lon1 + margin_lon < s_lon0
        or s_lat1 + margin_lat < t_lat0
        or t_lat1 + margin_lat < s_lat0
    )
    if apart:
        raise GociResampleError(no_overlap_message(subset, grid, radius_m))


def no_overlap_message(subset, grid, radius_m):
    """The message for a pair whose GOCI pixels give no value anywhere on the grid."""
    s_lon0, s_lon1, s_lat0, s_lat1 = _source_extent(subset)
    t_lon0, t_lon1, t_lat0, t_lat1 = _target_extent(grid)
    where = f"within {radius_m:g} m of" if radius_m else "on"
    return (
        f"No valid GOCI pixel {where} the Landsat grid: {subset.path.name} and "
        f"{grid.path.name} do not overlap (GOCI lon {s_lon0:.3f}..{s_lon1:.3f}, lat "
        f"{s_lat0:.3f}..{s_lat1:.3f}; Landsat lon {t_lon0:.3f}..{t_lon1:.3f}, lat "
        f"{t_lat0:.3f}..{t_lat1:.3f}). Check that the two files belong to the same scene pair."
    )


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
