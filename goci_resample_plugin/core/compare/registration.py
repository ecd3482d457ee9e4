"""How far GOCI-on-Landsat sits from Landsat: the image offset and its uncertainty, in metres."""

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from ..resample.index_space import keys_weights

ELLIPSE_95 = 2.4477
"""Semi-axis of the 95 % ellipse of a 2-D normal, in standard deviations (√χ²₂(0.95))."""
AXIS_95 = 1.96
"""Half-width of a 95 % interval of one normal axis, in standard deviations."""


@dataclass
class Shift:
    """Offset of GOCI-on-Landsat relative to Landsat: features appear ``east_m``/``north_m``
    metres east/north of where Landsat has them (NaN when it is not measurable).

    Attributes:
        east_m, north_m: the offset (metres).
        confidence: 0..1, the correlation of the fitted model (shifted, gain and offset) with
            GOCI's block means; 0 when the offset is not measurable.
        band_pair: the pair it was measured on (``L_TOA_660:B4``).
        covariance_m2: 2 × 2 covariance of (east, north), m², with the blocks' spatially
            correlated residuals counted (see :func:`image_offset`); None when not measurable.
        reason: why the offset is not measurable ("" when it is).
    """

    east_m: float
    north_m: float
    confidence: float
    band_pair: str
    covariance_m2: tuple = None
    reason: str = ""

    @property
    def measurable(self):
        """True when the offset was measured, with its uncertainty."""
        return self.covariance_m2 is not None and math.isfinite(self.east_m)

    @property
    def uncertainty_m(self):
        """(east, north) half-widths of the 95 % intervals, metres (NaN when not measured)."""
        if not self.measurable:
            return math.nan, math.nan
        return tuple(AXIS_95 * math.sqrt(self.covariance_m2[i][i]) for i in (0, 1))

    @property
    def ellipse_m(self):
        """The 95 % uncertainty ellipse: (semi-major, semi-minor axis in metres, azimuth of the
        major axis in degrees east of north, 0–180)."""
        if not self.measurable:
            return math.nan, math.nan, math.nan
        return _ellipse(np.array(self.covariance_m2))

    def significant(self):
        """True when the offset is measured and zero lies outside its 95 % ellipse."""
        if not self.measurable:
            return False
        offset = np.array([self.east_m, self.north_m])
        distance2 = offset @ np.linalg.solve(np.array(self.covariance_m2), offset)
        return bool(distance2 > ELLIPSE_95**2)


def describe_offset(east_m, north_m, digits=0):
    """Words for where GOCI sits from Landsat: ``53.9 m west and 64.8 m north``."""

    def part(value, positive, negative):
        return f"{abs(value):.{digits}f} m {positive if value >= 0 else negative}"

    return f"{part(east_m, 'east', 'west')} and {part(north_m, 'north', 'south')}"


def describe_shift(shift, digits=0):
    """Words for a measured ``Shift`` with its 95 % intervals (``53.9 ± 8.0 m west and
    64.8 ± 9.5 m north``), or why it is not measurable (``not measurable: …``)."""
    if not shift.measurable:
        return f"not measurable: {shift.reason}"
    (east, north), (de, dn) = (shift.east_m, shift.north_m), shift.uncertainty_m

    def part(value, plus, positive, negative):
        where = positive if value >= 0 else negative
        return f"{abs(value):.{digits}f} ± {plus:.{digits}f} m {where}"

    return f"{part(east, de, 'east', 'west')} and {part(north, dn, 'north', 'south')}"


OFFSET_BAND_NM = 660
"""The offset is measured on the compared GOCI band nearest this wavelength (the red band)."""

MAX_UNCERTAINTY_M = 100.0
"""Largest semi-major axis (metres) of the 95 % uncertainty ellipse of a measurable offset, 0.4
GOCI-II pixel. Measured on the generator's GOCI-II pairs: 20–50 m on 45 km scenes (land-masked
too), 130–220 m on 18–21 km ones (smooth fields that vary mostly in one direction over so small
an area; their estimate is ~85 m off)."""

MIN_CONSTRAINT_RATIO = 0.01
"""Smallest ratio of the weakest to the strongest constraint on the offset (eigenvalues of the
gradients' normal matrix, :attr:`OffsetFit.structure`; 0.03–0.17 on the generator's scenes,
< 1e-4 on a straight coast) below which one direction counts as unconstrained: the aperture
problem."""


def estimate_shift(comparisons, transform, block):
    """``Shift`` of the block means of the compared pair nearest 660 nm (the red band), in
    metres along the grid's x/y axes, through the affine ``transform`` of the grid and the
    ``block`` size (pixels); not measurable (NaN, with the reason) when the overlap is too
    small, one direction is unconstrained or the 95 % ellipse exceeds ``MAX_UNCERTAINTY_M``."""
    pair = min(comparisons, key=lambda c: abs(c.goci_wavelength_nm - OFFSET_BAND_NM))
    name = f"{pair.goci_name}:B{pair.landsat_band}"
    fit = image_offset(*pair.block_means)
    if fit.reason:
        return _not_measurable(name, fit.reason)
    # a shift of (rows, cols) blocks in the image → metres through the affine transform
    to_metres = np.array([[transform.b, transform.a], [transform.e, transform.d]]) * block
    to_blocks = np.linalg.inv(to_metres)
    structure = to_blocks.T @ fit.structure @ to_blocks  # of (x, y) metres
    weak, strong = np.linalg.eigvalsh(structure)
    if fit.covariance is None or not weak > MIN_CONSTRAINT_RATIO * strong:
        along = _azimuth(np.linalg.eigh(structure)[1][:, 0])
        return _not_measurable(name, (
            f"{pair.goci_name} varies in one direction only (a straight coast, front or stripes): "
            f"an offset along {along:.0f}° from north cannot be measured"))  # fmt: skip
    floor = INTERPOLATION_BLOCKS**2 * np.eye(2)
    covariance = to_metres @ (fit.covariance + floor) @ to_metres.T
    major = _ellipse(covariance)[0]
    if major > MAX_UNCERTAINTY_M:
        return _not_measurable(name, (
            f"too uncertain (±{major:.0f} m at 95 %, more than {MAX_UNCERTAINTY_M:g} m): too "
            "little overlap or texture"))  # fmt: skip
    east, north = to_metres @ np.array([fit.rows, fit.cols])
    return Shift(float(east), float(north), fit.confidence, name, _as_tuple(covariance))


def _not_measurable(band_pair, reason):
    return Shift(math.nan, math.nan, 0.0, band_pair, None, reason)


def _ellipse(covariance):
    """(semi-major, semi-minor in metres, azimuth of the major axis °E of N) at 95 %."""
    values, vectors = np.linalg.eigh(covariance)
    minor, major = ELLIPSE_95 * np.sqrt(np.maximum(values, 0.0))
    return float(major), float(minor), _azimuth(vectors[:, 1])


def _azimuth(vector):
    """Direction of an (east, north) axis in degrees east of north, 0–180."""
    return float(math.degrees(math.atan2(vector[0], vector[1])) % 180.0)


def _as_tuple(matrix):
    return tuple(tuple(float(v) for v in row) for row in matrix)


INTERPOLATION_BLOCKS = 0.01
"""Standard deviation (blocks) added for the estimator's own error: moving block means by
cubic interpolation biases a sub-block offset by up to 0.0104 block (5 m at 16 × 30 m),
measured on noiseless 2-D textures of 2–9 km waves shifted by known fractions."""

MAX_SHIFT_BLOCKS = 3
"""Whole-block search range of the offset estimate (3 blocks ≈ 1.4 km at 16 × 30 m)."""


MIN_BLOCKS = 64
"""Fewest blocks valid in both images that an offset is estimated from."""

REFINE_STEPS = 10
"""Most Gauss–Newton steps of the sub-block refinement."""

REFINED_BLOCKS = 1e-3
"""A refinement step smaller than this (blocks, 0.5 m at 16 × 30 m) ends it."""

MAX_SCORE_CORRELATION = 0.98
"""Cap on the scores' lag-one correlation in their variance inflation."""


@dataclass
class OffsetFit:
    """What :func:`image_offset` found, in blocks.

    Attributes:
        rows, cols: ``moved`` ≈ ``reference`` moved by (rows, cols) blocks (NaN on failure).
        structure: 2 × 2 normal matrix of the row and column gradients with the gain and
            offset fitted (the Schur complement; ∝ information without the noise): nearly
            singular when the image varies in one direction only.
        covariance: 2 × 2 covariance of (rows, cols), blocks² (None when singular).
        confidence: correlation of ``moved`` with the fitted model, 0..1.
        reason: why no offset was found ("" when one was).
    """

    rows: float
    cols: float
    structure: np.ndarray = None
    covariance: np.ndarray = None
    confidence: float = 0.0
    reason: str = ""


def image_offset(reference, moved):
    """Sub-block translation of ``moved`` relative to ``reference``, with its covariance.

    On the blocks valid in both (NaN elsewhere: outside the footprints, masked land, clouds),
    within their bounding box: the whole-block shift with the best normalised
    cross-correlation within ±``MAX_SHIFT_BLOCKS``, then Gauss–Newton (Lucas–Kanade) steps
    that fit ``moved ≈ g · reference(r − dr, c − dc) + o`` (a gain and an offset between the
    sensors), ``reference`` moved by Keys cubic interpolation at each step. Whitened phase
    correlation was tried first and fails on these smooth fields: it amplifies the noise that
    dominates high frequencies.

    The covariance is the sandwich ``N⁻¹ M N⁻¹ / g²`` of least squares with spatially
    correlated misfit (``N`` the design's normal matrix; ``M`` the scores' ``x_k · e``
    cross-products, ``M_kl = Σ s_k s_l √(f_k f_l)``, each score's sum inflated by
    ``f_k = Π (1 + ρ_k)/(1 − ρ_k)``, ρ_k its lag-one correlation along rows and along columns,
    as for an AR(1) field). The misfit (GOCI's smoothing, the bands' different wavelengths) is
    smooth, so f is 20–400 on the generator's scenes: the plain least-squares uncertainty was
    5–20 times too small, and missed a ~85 m bias on 21 km crops. A nearly singular
    ``structure`` is the aperture problem: a direction along which the image does not vary.

    Returns:
        OffsetFit; its ``reason`` says why it failed (too few blocks, no stable fit).
    """
    failed = OffsetFit(math.nan, math.nan)
    valid = np.isfinite(reference) & np.isfinite(moved)
    if valid.sum() < MIN_BLOCKS:
        reason = f"too little overlap ({valid.sum()} blocks valid in both, fewer than {MIN_BLOCKS})"
        return dataclasses.replace(failed, reason=reason)
    rows, cols = (np.flatnonzero(valid.any(axis=axis)) for axis in (1, 0))
    box = slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)
    a, b = reference[box], moved[box]
    margin = MAX_SHIFT_BLOCKS + 1
    if min(a.shape) < 2 * margin + 4:
        return dataclasses.replace(failed, reason=(
            f"too little overlap (a valid area {a.shape[0]} × {a.shape[1]} blocks)"))  # fmt: skip
    inner = (slice(margin, a.shape[0] - margin), slice(margin, a.shape[1] - margin))
    start = _whole_block_shift(a, b[inner], inner)
    if start is None:
        return dataclasses.replace(failed, reason="too little overlap at every whole-block shift")
    offset = np.array(start, dtype=float)
    for _ in range(REFINE_STEPS):
        fit = _gauss_newton_step(a, b[inner], inner, offset)
        if fit is None:
            return dataclasses.replace(failed, reason="no stable fit (too few blocks or no gain)")
        step, design, observed, solution, usable = fit
        offset += step
        if np.abs(offset).max() > margin:
            return dataclasses.replace(failed, reason="no stable fit (the refinement ran away)")
        if np.abs(step).max() < REFINED_BLOCKS:
            break
    model = design @ solution
    residual = observed - model
    confidence = float(np.clip(np.corrcoef(model, observed)[0, 1], 0, 1))
    normal = design.T @ design
    # the shift's part of the normal matrix with the gain and offset fitted (Schur complement)
    structure = normal[2:, 2:] - normal[2:, :2] @ np.linalg.solve(normal[:2, :2], normal[:2, 2:])
    try:
        inverse = np.linalg.inv(normal)
    except np.linalg.LinAlgError:  # exactly one-dimensional: the structure says so
        return OffsetFit(float(offset[0]), float(offset[1]), structure, None, confidence)
    scores = design * residual[:, np.newaxis]
    inflation = np.sqrt([_score_inflation(scores[:, k], usable) for k in range(4)])
    meat = (scores.T @ scores) * np.outer(inflation, inflation)
    covariance = (inverse @ meat @ inverse)[2:, 2:] / solution[0] ** 2
    return OffsetFit(float(offset[0]), float(offset[1]), structure, covariance, confidence)


def _whole_block_shift(a, target, inner):
    """(rows, cols) with the best correlation of ``a`` moved by whole blocks with ``target``."""
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
    return best


def _gauss_newton_step(a, target, inner, offset):
    """One Lucas–Kanade step from ``offset``: (step, design, observed, solution, usable) on the
    ``usable`` blocks (2-D mask of ``target``), None when too few are usable or the gain is not
    positive. Columns of the design: the moved reference, 1, minus its row and column
    gradients."""
    moved = moved_image(a, *offset)
    gradient_rows, gradient_cols = (g[inner] for g in np.gradient(moved))
    base = moved[inner]
    design = np.stack([base.ravel(), np.ones(base.size), -gradient_rows.ravel(),
                       -gradient_cols.ravel()], axis=1)  # fmt: skip
    observed = target.ravel()
    usable = np.isfinite(design).all(axis=1) & np.isfinite(observed)
    if usable.sum() < MIN_BLOCKS:
        return None
    design, observed = design[usable], observed[usable]
    solution = np.linalg.lstsq(design, observed, rcond=None)[0]
    if not solution[0] > 0:
        return None
    return solution[2:] / solution[0], design, observed, solution, usable.reshape(target.shape)


def _score_inflation(score, usable):
    """Π (1 + ρ)/(1 − ρ) of a ``score`` (1-D, the ``usable`` blocks in order), ρ its lag-one
    correlation along rows and along columns (clipped to 0 … ``MAX_SCORE_CORRELATION``)."""
    image = np.full(usable.shape, np.nan)
    image[usable] = score
    inflation = 1.0
    for here, there in ((image[:-1], image[1:]), (image[:, :-1], image[:, 1:])):
        both = np.isfinite(here) & np.isfinite(there)
        rho = np.corrcoef(here[both], there[both])[0, 1] if both.sum() > 2 else 0.0
        rho = float(np.clip(np.nan_to_num(rho), 0.0, MAX_SCORE_CORRELATION))
        inflation *= (1 + rho) / (1 - rho)
    return inflation


def moved_image(image, rows, cols):
    """``image`` moved by (rows, cols) pixels, ``out[i, j] = image(i − rows, j − cols)`` by Keys
    cubic interpolation (a = −0.5), one axis after the other; NaN where the 4-tap support holds
    a NaN or leaves the image (taps of weight 0 are skipped, so whole shifts lose nothing)."""
    out = image
    for axis, shift in ((0, rows), (1, cols)):
        position = -shift
        base = math.floor(position)
        weights = keys_weights(position - base)
        pad = abs(base) + 2
        widths = [(0, 0), (0, 0)]
        widths[axis] = (pad, pad)
        padded = np.pad(out, widths, constant_values=np.nan)
        size = out.shape[axis]
        total = np.zeros_like(out, dtype=float)
        for tap, weight in zip(range(-1, 3), weights):
            if weight == 0.0:
                continue
            first = pad + base + tap
            total = total + weight * np.take(padded, np.arange(first, first + size), axis=axis)
        out = total
    return out


def true_east_north(shift, grid):
    """``shift`` measured along the x/y axes of the Landsat ``grid``'s CRS (a ``TargetGrid`` or
    an open rasterio dataset: ``transform``, ``width``, ``height``, ``crs``), turned into true
    east/north (grid north differs from true north by the meridian convergence, about 1° in
    UTM)."""
    from pyproj import Transformer

    if not shift.measurable:
        return shift
    x, y = grid.transform * (grid.width / 2, grid.height / 2)
    to_lonlat = Transformer.from_crs(grid.crs.to_wkt(), "EPSG:4326", always_xy=True)
    (lon0, lon1), (lat0, lat1) = to_lonlat.transform([x, x], [y, y + 1000.0])
    # azimuth of the CRS's +y axis from true north, on the sphere
    up = math.atan2(math.radians(lon1 - lon0) * math.cos(math.radians(lat0)),
                    math.radians(lat1 - lat0))  # fmt: skip
    rotation = np.array([[math.cos(up), math.sin(up)], [-math.sin(up), math.cos(up)]])
    east, north = rotation @ np.array([shift.east_m, shift.north_m])
    covariance = rotation @ np.array(shift.covariance_m2) @ rotation.T
    return dataclasses.replace(shift, east_m=float(east), north_m=float(north),
                               covariance_m2=_as_tuple(covariance))  # fmt: skip
