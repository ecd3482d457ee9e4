"""How far GOCI-on-Landsat sits from Landsat: the image offset, in metres."""

import dataclasses
import math
from dataclasses import dataclass

import numpy as np


@dataclass
class Shift:
    """Offset of GOCI-on-Landsat relative to Landsat: features appear ``east_m``/``north_m``
    metres east/north of where Landsat has them. ``confidence`` (0..1) is the correlation of
    the fitted model (shifted, gain and offset) with GOCI's block means; ``band_pair`` names
    the pair it was measured on (``L_TOA_660:B4``)."""

    east_m: float
    north_m: float
    confidence: float
    band_pair: str


def describe_offset(east_m, north_m, digits=0):
    """Words for where GOCI sits from Landsat: ``53.9 m west and 64.8 m north`` (``at an
    offset that could not be measured`` when it is NaN)."""
    if not (math.isfinite(east_m) and math.isfinite(north_m)):
        return "at an offset that could not be measured (too few blocks valid in both)"

    def part(value, positive, negative):
        return f"{abs(value):.{digits}f} m {positive if value >= 0 else negative}"

    return f"{part(east_m, 'east', 'west')} and {part(north_m, 'north', 'south')}"


OFFSET_BAND_NM = 660
"""The offset is measured on the compared GOCI band nearest this wavelength (the red band)."""


def estimate_shift(comparisons, transform, block):
    """``Shift`` of the block means of the compared pair nearest 660 nm (the red band), in
    metres, through the affine ``transform`` of the grid and the ``block`` size (pixels)."""
    pair = min(comparisons, key=lambda c: abs(c.goci_wavelength_nm - OFFSET_BAND_NM))
    reference, moved = pair.block_means
    rows, cols, confidence = image_offset(reference, moved)
    # A shift of (rows, cols) blocks in the image → metres through the affine transform.
    east = (transform.a * cols + transform.b * rows) * block
    north = (transform.d * cols + transform.e * rows) * block
    return Shift(float(east), float(north), confidence, f"{pair.goci_name}:B{pair.landsat_band}")


MAX_SHIFT_BLOCKS = 3
"""Whole-block search range of the offset estimate (3 blocks ≈ 1.4 km at 16 × 30 m)."""


MIN_BLOCKS = 64
"""Fewest blocks valid in both images that an offset is estimated from."""


def image_offset(reference, moved):
    """Sub-pixel translation of ``moved`` relative to ``reference`` and a confidence 0..1.

    On the blocks valid in both (NaN elsewhere: outside the footprints, masked land, clouds),
    within their bounding box: the whole-pixel shift with the best normalised
    cross-correlation within ±``MAX_SHIFT_BLOCKS``, then a gradient (Lucas–Kanade)
    least-squares refinement that also fits a gain and an offset between the sensors, on the
    blocks where the shifted reference and its gradient are valid. Whitened phase
    correlation was tried first and fails on these smooth fields: it amplifies the noise that
    dominates high frequencies.

    Returns:
        (rows, cols, confidence): ``moved`` ≈ ``reference`` moved by (rows, cols) pixels;
        confidence is the correlation of ``moved`` with the fitted model (NaN shift and 0
        when fewer than ``MIN_BLOCKS`` are valid).
    """
    failed = float("nan"), float("nan"), 0.0
    valid = np.isfinite(reference) & np.isfinite(moved)
    if not valid.any():
        return failed
    rows, cols = (np.flatnonzero(valid.any(axis=axis)) for axis in (1, 0))
    box = slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)
    a, b = reference[box], moved[box]
    margin = MAX_SHIFT_BLOCKS + 1
    if min(a.shape) < 2 * margin + 4:
        return failed
    inner = (slice(margin, a.shape[0] - margin), slice(margin, a.shape[1] - margin))
    target = b[inner]
    best, best_score = None, -np.inf
    for dr in range(-MAX_SHIFT_BLOCKS, MAX_SHIFT_BLOCKS + 1):
        for dc in range(-MAX_SHIFT_BLOCKS, MAX_SHIFT_BLOCKS + 1):
            source = a[
                inner[0].start - dr : inner[0].stop - dr, inner[1].start - dc : inner[1].stop - dc
            ]
            both = np.isfinite(source) & np.isfinite(target)
            if both.sum() < MIN_BLOCKS:
                continue
            score = np.corrcoef(source[both], target[both])[0, 1]
            if score > best_score:
                best, best_score = (dr, dc), score
    if best is None:
        return failed
    dr, dc = best
    source = a[inner[0].start - dr - 1 : inner[0].stop - dr + 1,
               inner[1].start - dc - 1 : inner[1].stop - dc + 1]  # fmt: skip
    gradient_rows, gradient_cols = (g[1:-1, 1:-1] for g in np.gradient(source))
    base = source[1:-1, 1:-1]
    design = np.stack([base.ravel(), np.ones(base.size), -gradient_rows.ravel(),
                       -gradient_cols.ravel()], axis=1)  # fmt: skip
    observed = target.ravel()
    usable = np.isfinite(design).all(axis=1) & np.isfinite(observed)
    if usable.sum() < MIN_BLOCKS:
        return failed
    design, observed = design[usable], observed[usable]
    solution = np.linalg.lstsq(design, observed, rcond=None)[0]
    gain, _, gain_dr, gain_dc = solution
    if not gain > 0:
        return failed
    model = design @ solution
    confidence = float(np.clip(np.corrcoef(model, observed)[0, 1], 0, 1))
    return dr + gain_dr / gain, dc + gain_dc / gain, confidence


def true_east_north(shift, grid):
    """``shift`` measured along the x/y axes of the Landsat ``grid``'s CRS (a ``TargetGrid`` or
    an open rasterio dataset: ``transform``, ``width``, ``height``, ``crs``), turned into true
    east/north (grid north differs from true north by the meridian convergence, about 1° in
    UTM)."""
    from pyproj import Transformer

    if not math.isfinite(shift.east_m):
        return shift
    x, y = grid.transform * (grid.width / 2, grid.height / 2)
    to_lonlat = Transformer.from_crs(grid.crs.to_wkt(), "EPSG:4326", always_xy=True)
    (lon0, lon1), (lat0, lat1) = to_lonlat.transform([x, x], [y, y + 1000.0])
    # azimuth of the CRS's +y axis from true north, on the sphere
    up = math.atan2(math.radians(lon1 - lon0) * math.cos(math.radians(lat0)),
                    math.radians(lat1 - lat0))  # fmt: skip
    east = shift.east_m * math.cos(up) + shift.north_m * math.sin(up)
    north = -shift.east_m * math.sin(up) + shift.north_m * math.cos(up)
    return dataclasses.replace(shift, east_m=east, north_m=north)
