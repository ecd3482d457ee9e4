"""Compare GOCI-on-Landsat with Landsat pixel for pixel: statistics per band pair, at 30 m and
after averaging both over BLOCK × BLOCK blocks, and the offset between the two images.

Both rasters must share the grid (a ``resample_pair`` output and its Landsat file do). Work is
done in strips of rows, so memory stays bounded; only the block means (a few hundred thousand
values per band) are kept, for the block statistics, the plots and the shift estimate.
"""

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .errors import GociResampleError, ResampleCancelled

OLI_WAVELENGTHS_NM = (443, 482, 561, 655, 865, 1609, 2201)
"""Centre wavelengths of Landsat 8/9 OLI bands B1..B7, used when the bands carry no
``WAVELENGTH_NM`` metadata."""

MAX_WAVELENGTH_GAP_NM = 40
"""A GOCI band is paired by default with the nearest Landsat band within this distance."""

STRIP_ROWS = 512


@dataclass
class PairStatistics:
    """Agreement of one band pair at one scale (x = Landsat, y = GOCI-on-Landsat).

    Attributes:
        count: pixels (or blocks) valid in both.
        mean_landsat, mean_goci: means of the two.
        bias: mean of GOCI − Landsat.
        rmse: root mean square of GOCI − Landsat.
        r2: squared Pearson correlation.
        slope, intercept: orthogonal (total least squares) fit GOCI = slope × Landsat + intercept.
    """

    count: int
    mean_landsat: float
    mean_goci: float
    bias: float
    rmse: float
    r2: float
    slope: float
    intercept: float


@dataclass
class BandPairComparison:
    """One GOCI band against one Landsat band, at 30 m and at block scale."""

    goci_band: int
    goci_name: str
    goci_wavelength_nm: int
    landsat_band: int
    landsat_wavelength_nm: int
    pixels: PairStatistics
    blocks: PairStatistics
    block_means: tuple = field(default=(), repr=False)  # (landsat, goci) 2-D block means


@dataclass
class Shift:
    """Offset of GOCI-on-Landsat relative to Landsat: features appear ``east_m``/``north_m``
    metres east/north of where Landsat has them. ``confidence`` (0..1) is the phase
    correlation peak's share of the correlation energy around it."""

    east_m: float
    north_m: float
    confidence: float
    band_pair: str


@dataclass
class Comparison:
    """Everything ``compare_rasters`` found."""

    resampled: Path
    landsat: Path
    block: int
    pairs: list
    shift: Shift

    def table_rows(self):
        """Rows for the CSV table: one per band pair and scale."""
        rows = []
        for pair in self.pairs:
            for scale, stats in (("30m", pair.pixels), (f"block{self.block}", pair.blocks)):
                rows.append({
                    "goci_band": pair.goci_name,
                    "goci_wavelength_nm": pair.goci_wavelength_nm,
                    "landsat_band": pair.landsat_band,
                    "landsat_wavelength_nm": pair.landsat_wavelength_nm,
                    "scale": scale,
                    **asdict(stats),
                })  # fmt: skip
        return rows


def parse_band_pairs(text):
    """Parse ``"443:1,490:2"`` into ``[(443, 1), (490, 2)]`` (GOCI nm : Landsat band number).

    Raises:
        GociResampleError: an entry is not ``<nm>:<band>``.
    """
    pairs = []
    for entry in [e.strip() for e in (text or "").replace(";", ",").split(",") if e.strip()]:
        nm, _, band = entry.partition(":")
        if not (nm.strip().isdigit() and band.strip().isdigit() and int(band) >= 1):
            raise GociResampleError(
                f"BAND_PAIRS entry {entry!r} is not <GOCI nm>:<Landsat band number>; write e.g. "
                "443:1,490:2,555:3,660:4,865:5 or leave it empty to pair by wavelength."
            )
        pairs.append((int(nm), int(band)))
    return pairs


def compare_rasters(resampled, landsat, band_pairs=None, block=16, is_cancelled=None):
    """Compare a GOCI-on-Landsat raster with its Landsat raster.

    Args:
        resampled: the ``resample_pair`` output (bands described ``L_TOA_<nm>``).
        landsat: the Landsat raster on the same grid (its nodata marks pixels outside).
        band_pairs: ``[(goci nm, landsat band number)]``; None or empty pairs by wavelength.
        block: block size in target pixels (16 × 30 m ≈ one GOCI pixel).
        is_cancelled: optional callable returning True to stop.

    Returns:
        Comparison.

    Raises:
        GociResampleError: the grids differ, a band is missing, or a pair has no common valid
            pixel.
    """
    import rasterio

    resampled, landsat = Path(resampled), Path(landsat)
    with rasterio.open(resampled) as ours, rasterio.open(landsat) as theirs:
        _check_same_grid(ours, theirs, resampled, landsat)
        goci_bands = _goci_bands(ours, resampled)
        landsat_wavelengths = _landsat_wavelengths(theirs)
        pairs = _choose_pairs(
            band_pairs, goci_bands, landsat_wavelengths, theirs.count, resampled, landsat
        )
        comparisons = [
            _compare_band(ours, theirs, goci_bands[nm], nm, band, landsat_wavelengths, block,
                          is_cancelled, resampled, landsat)
            for nm, band in pairs
        ]  # fmt: skip
        shift = _shift(comparisons, ours.transform, block)
    return Comparison(resampled, landsat, block, comparisons, shift)


def _check_same_grid(ours, theirs, resampled, landsat):
    if (ours.width, ours.height) != (
        theirs.width,
        theirs.height,
    ) or not ours.transform.almost_equals(theirs.transform):
        raise GociResampleError(
            f"{resampled.name} ({ours.width} × {ours.height}) and {landsat.name} "
            f"({theirs.width} × {theirs.height}) are not on the same grid. Compare a "
            "resample_pair output with the Landsat file it was resampled onto."
        )


def _goci_bands(dataset, path):
    bands = {}
    for number, description in enumerate(dataset.descriptions, start=1):
        if description and description.startswith("L_TOA_") and description[6:].isdigit():
            bands[int(description[6:])] = (number, description)
    if not bands:
        raise GociResampleError(
            f"{path} has no band described L_TOA_<nm>; choose a goci-resample output."
        )
    return bands


def _landsat_wavelengths(dataset):
    """{band number: wavelength nm} from WAVELENGTH_NM tags, else the OLI band order."""
    wavelengths = {}
    for number in range(1, dataset.count + 1):
        tag = dataset.tags(number).get("WAVELENGTH_NM", "")
        if tag.replace(".", "", 1).isdigit():
            wavelengths[number] = round(float(tag))
        elif number <= len(OLI_WAVELENGTHS_NM):
            wavelengths[number] = OLI_WAVELENGTHS_NM[number - 1]
    return wavelengths


def _choose_pairs(band_pairs, goci_bands, landsat_wavelengths, band_count, resampled, landsat):
    if band_pairs:
        for nm, band in band_pairs:
            if nm not in goci_bands:
                raise GociResampleError(
                    f"{resampled} has no band L_TOA_{nm}; it has "
                    f"{', '.join(str(w) for w in sorted(goci_bands))} nm. Change BAND_PAIRS."
                )
            if band > band_count:
                raise GociResampleError(
                    f"{landsat} has no band {band}; it has {band_count} bands. Change BAND_PAIRS."
                )
        return list(band_pairs)
    pairs = []
    for nm in sorted(goci_bands):
        band, wavelength = min(landsat_wavelengths.items(), key=lambda item: abs(item[1] - nm))
        if abs(wavelength - nm) <= MAX_WAVELENGTH_GAP_NM:
            pairs.append((nm, band))
    if not pairs:
        raise GociResampleError(
            f"No GOCI band of {resampled.name} is within {MAX_WAVELENGTH_GAP_NM} nm of a band of "
            f"{landsat.name}; give BAND_PAIRS, e.g. 443:1,490:2,555:3,660:4,865:5."
        )
    return pairs


class _Moments:
    """Running sums for PairStatistics (float64, shifted by a reference to keep precision)."""

    def __init__(self):
        self.n = 0
        self.reference = None
        self.sx = self.sy = self.sxx = self.syy = self.sxy = 0.0

    def add(self, x, y):
        if x.size == 0:
            return
        if self.reference is None:
            self.reference = (float(x.mean()), float(y.mean()))
        dx, dy = x - self.reference[0], y - self.reference[1]
        self.n += x.size
        self.sx += dx.sum()
        self.sy += dy.sum()
        self.sxx += (dx * dx).sum()
        self.syy += (dy * dy).sum()
        self.sxy += (dx * dy).sum()

    def statistics(self):
        n = self.n
        mx, my = self.sx / n, self.sy / n
        vxx = self.sxx / n - mx * mx
        vyy = self.syy / n - my * my
        vxy = self.sxy / n - mx * my
        bias = my - mx
        rmse = math.sqrt(max(0.0, vxx + vyy - 2 * vxy + bias * bias))
        r2 = vxy * vxy / (vxx * vyy) if vxx > 0 and vyy > 0 else float("nan")
        if vxy != 0:
            slope = (vyy - vxx + math.sqrt((vyy - vxx) ** 2 + 4 * vxy * vxy)) / (2 * vxy)
        else:
            slope = float("nan")
        mean_x, mean_y = mx + self.reference[0], my + self.reference[1]
        return PairStatistics(n, mean_x, mean_y, bias, rmse, r2, slope, mean_y - slope * mean_x)


def _compare_band(ours, theirs, goci_band, nm, landsat_band, wavelengths, block, is_cancelled,
                  resampled, landsat):  # fmt: skip
    from rasterio.windows import Window

    number, name = goci_band
    nodata = theirs.nodata
    pixels, blocks = _Moments(), _Moments()
    rows_per_strip = max(block, STRIP_ROWS // block * block)
    block_rows = ours.height // block
    block_cols = ours.width // block
    means = np.full((2, block_rows, block_cols), np.nan)
    for start in range(0, ours.height, rows_per_strip):
        if is_cancelled is not None and is_cancelled():
            raise ResampleCancelled()
        window = Window(0, start, ours.width, min(rows_per_strip, ours.height - start))
        y = ours.read(number, window=window).astype(np.float64)
        x = theirs.read(landsat_band, window=window).astype(np.float64)
        valid = np.isfinite(x) & np.isfinite(y)
        if nodata is not None and not math.isnan(nodata):
            valid &= x != nodata
        pixels.add(x[valid], y[valid])
        full_rows = (x.shape[0] // block) * block
        if full_rows:
            shape = (full_rows // block, block, block_cols, block)
            cut = (slice(0, full_rows), slice(0, block_cols * block))
            ok = valid[cut].reshape(shape).all(axis=(1, 3))
            mean_x = x[cut].reshape(shape).mean(axis=(1, 3))
            mean_y = y[cut].reshape(shape).mean(axis=(1, 3))
            blocks.add(mean_x[ok], mean_y[ok])
            first = start // block
            means[0, first : first + shape[0]] = np.where(ok, mean_x, np.nan)
            means[1, first : first + shape[0]] = np.where(ok, mean_y, np.nan)
    if pixels.n == 0:
        raise GociResampleError(
            f"{name} of {resampled.name} and band {landsat_band} of {landsat.name} have no "
            "pixel valid in both: the resampled GOCI band is empty where Landsat has data. "
            "Check that the pair belongs together and that BAND_PAIRS is right."
        )
    block_stats = blocks.statistics() if blocks.n else PairStatistics(0, *([float("nan")] * 7))
    return BandPairComparison(number, name, nm, landsat_band, wavelengths.get(landsat_band, 0),
                              pixels.statistics(), block_stats, (means[0], means[1]))  # fmt: skip


def _shift(comparisons, transform, block):
    """Offset of the block means of the pair nearest 660 nm (the red band), in metres."""
    pair = min(comparisons, key=lambda c: abs(c.goci_wavelength_nm - 660))
    reference, moved = pair.block_means
    rows, cols, confidence = image_offset(reference, moved)
    # A shift of (rows, cols) blocks in the image → metres through the affine transform.
    east = (transform.a * cols + transform.b * rows) * block
    north = (transform.d * cols + transform.e * rows) * block
    return Shift(float(east), float(north), confidence, f"{pair.goci_name}:B{pair.landsat_band}")


MAX_SHIFT_BLOCKS = 3
"""Whole-block search range of the offset estimate (3 blocks ≈ 1.4 km at 16 × 30 m)."""


def image_offset(reference, moved):
    """Sub-pixel translation of ``moved`` relative to ``reference`` and a confidence 0..1.

    On the largest rectangle valid in both (a shared footprint edge does not move, so it must
    not take part): the whole-pixel shift with the best normalised cross-correlation within
    ±``MAX_SHIFT_BLOCKS``, then a gradient (Lucas–Kanade) least-squares refinement that also
    fits a gain and an offset between the sensors. Whitened phase correlation was tried first
    and fails on these smooth fields: it amplifies the noise that dominates high frequencies.

    Returns:
        (rows, cols, confidence): ``moved`` ≈ ``reference`` moved by (rows, cols) pixels;
        confidence is the correlation of ``moved`` with the fitted model (NaN shift and 0
        when too little is valid).
    """
    rows, cols = _valid_rectangle(np.isfinite(reference) & np.isfinite(moved))
    a, b = reference[rows, cols], moved[rows, cols]
    margin = MAX_SHIFT_BLOCKS + 1
    if min(a.shape) < 2 * margin + 4:
        return float("nan"), float("nan"), 0.0
    inner = (slice(margin, a.shape[0] - margin), slice(margin, a.shape[1] - margin))
    target = b[inner]
    best, best_score = (0, 0), -np.inf
    for dr in range(-MAX_SHIFT_BLOCKS, MAX_SHIFT_BLOCKS + 1):
        for dc in range(-MAX_SHIFT_BLOCKS, MAX_SHIFT_BLOCKS + 1):
            source = a[
                inner[0].start - dr : inner[0].stop - dr, inner[1].start - dc : inner[1].stop - dc
            ]
            score = np.corrcoef(source.ravel(), target.ravel())[0, 1]
            if score > best_score:
                best, best_score = (dr, dc), score
    dr, dc = best
    source = a[inner[0].start - dr - 1 : inner[0].stop - dr + 1,
               inner[1].start - dc - 1 : inner[1].stop - dc + 1]  # fmt: skip
    gradient_rows, gradient_cols = (g[1:-1, 1:-1] for g in np.gradient(source))
    base = source[1:-1, 1:-1]
    design = np.stack([base.ravel(), np.ones(base.size), -gradient_rows.ravel(),
                       -gradient_cols.ravel()], axis=1)  # fmt: skip
    solution = np.linalg.lstsq(design, target.ravel(), rcond=None)[0]
    gain, _, gain_dr, gain_dc = solution
    if not gain > 0:
        return float("nan"), float("nan"), 0.0
    model = design @ solution
    confidence = float(np.clip(np.corrcoef(model, target.ravel())[0, 1], 0, 1))
    return dr + gain_dr / gain, dc + gain_dc / gain, confidence


def _valid_rectangle(valid):
    """(row slice, col slice) of a large axis-aligned rectangle where ``valid`` is all True:
    starting from the bounding box, drop the edge row or column with the most invalid cells
    until none is left."""
    if not valid.any():
        return slice(0, 0), slice(0, 0)
    rows = np.flatnonzero(valid.any(axis=1))
    cols = np.flatnonzero(valid.any(axis=0))
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    while top < bottom and left < right:
        box = valid[top:bottom, left:right]
        if box.all():
            break
        edges = {
            "top": (~box[0]).sum() / box.shape[1],
            "bottom": (~box[-1]).sum() / box.shape[1],
            "left": (~box[:, 0]).sum() / box.shape[0],
            "right": (~box[:, -1]).sum() / box.shape[0],
        }
        worst = max(edges, key=edges.get)
        top += worst == "top"
        bottom -= worst == "bottom"
        left += worst == "left"
        right -= worst == "right"
    return slice(top, bottom), slice(left, right)


def write_difference(comparison, path):
    """Write the relative difference (GOCI − Landsat) / Landsat of every compared band pair as
    a float32 GeoTIFF on the same grid (NaN where either is invalid or Landsat is 0); one band
    per pair, described ``L_TOA_<nm>-B<band>``; atomic, in strips."""
    import rasterio
    from rasterio.windows import Window

    from .atomic import atomic_output
    from .pair import GEOTIFF_PROFILE

    with rasterio.open(comparison.resampled) as ours, rasterio.open(comparison.landsat) as theirs:
        profile = GEOTIFF_PROFILE | {"width": ours.width, "height": ours.height,
                                     "count": len(comparison.pairs), "crs": ours.crs,
                                     "transform": ours.transform}  # fmt: skip
        nodata = theirs.nodata
        with atomic_output(path) as temporary, rasterio.open(temporary, "w", **profile) as out:
            for number, pair in enumerate(comparison.pairs, start=1):
                out.set_band_description(number, f"{pair.goci_name}-B{pair.landsat_band}")
            for start in range(0, ours.height, STRIP_ROWS):
                window = Window(0, start, ours.width, min(STRIP_ROWS, ours.height - start))
                for number, pair in enumerate(comparison.pairs, start=1):
                    y = ours.read(pair.goci_band, window=window).astype(np.float64)
                    x = theirs.read(pair.landsat_band, window=window).astype(np.float64)
                    if nodata is not None and not math.isnan(nodata):
                        x[x == nodata] = np.nan
                    with np.errstate(invalid="ignore", divide="ignore"):
                        relative = np.where(x != 0, (y - x) / x, np.nan)
                    out.write(relative.astype(np.float32), number, window=window)
    return path
