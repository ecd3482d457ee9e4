"""Compare GOCI-on-Landsat with Landsat pixel for pixel: statistics per band pair, at 30 m and
after averaging both over BLOCK × BLOCK blocks, and the offset between the two images.

Both rasters must share the grid (a ``resample_pair`` output and its Landsat file do). Work is
done in strips of rows, so memory stays bounded; only the block means (a few hundred thousand
values per band) are kept, for the block statistics, the plots and the shift estimate.
"""

import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..bands import OLI_WAVELENGTHS_NM, band_wavelength
from ..control import RunControl
from ..errors import GociResampleError
from ..moments import Moments
from ..write import STRIP_ROWS
from .registration import estimate_shift, true_east_north

MAX_WAVELENGTH_GAP_NM = 40
"""A GOCI band is paired by default with the nearest Landsat band within this distance."""


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
class Comparison:
    """Everything ``compare_rasters`` found."""

    resampled: Path
    landsat: Path
    block: int
    pairs: list
    shift: object  # registration.Shift, metres towards true east / north
    grid_shift: object = None  # the same along the Landsat CRS's x / y axes

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


def compare_rasters(resampled, landsat, band_pairs=None, block=16, control=None):
    """Compare a GOCI-on-Landsat raster with its Landsat raster.

    Args:
        resampled: the ``resample_pair`` output (bands described ``L_TOA_<nm>``).
        landsat: the Landsat raster on the same grid (its nodata marks pixels outside).
        band_pairs: ``[(goci nm, landsat band number)]``; None or empty pairs by wavelength.
        block: block size in target pixels (16 × 30 m ≈ one GOCI pixel).
        control: ``RunControl`` (progress over the band pairs, cancel).

    Returns:
        Comparison.

    Raises:
        GociResampleError: the grids differ, a band is missing, or a pair has no common valid
            pixel.
    """
    import rasterio

    resampled, landsat = Path(resampled), Path(landsat)
    control = control or RunControl()
    if resampled.is_file() and landsat.is_file() and os.path.samefile(resampled, landsat):
        raise GociResampleError(
            f"RESAMPLED and LANDSAT are the same file ({resampled}): a raster compared with "
            "itself gives R² 1, no bias and no offset whatever its quality. Choose the Landsat "
            "file the GOCI raster was resampled onto as LANDSAT."
        )
    with rasterio.open(resampled) as ours, rasterio.open(landsat) as theirs:
        _check_same_grid(ours, theirs, resampled, landsat)
        goci_bands = _goci_bands(ours, resampled)
        landsat_nm = landsat_wavelengths(theirs)
        pairs = choose_pairs(band_pairs, goci_bands, landsat_nm, theirs.count, resampled, landsat)
        comparisons = [
            _compare_band(ours, theirs, goci_bands[nm], nm, band, landsat_nm, block,
                          control.part(i / len(pairs), (i + 1) / len(pairs)), resampled, landsat)
            for i, (nm, band) in enumerate(pairs)
        ]  # fmt: skip
        grid_shift = estimate_shift(comparisons, ours.transform, block)
        # towards true east/north (as REGISTER reports it): grid north is ~1° off in UTM
        shift = true_east_north(grid_shift, ours) if ours.crs else grid_shift
    return Comparison(resampled, landsat, block, comparisons, shift, grid_shift)


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
        wavelength = band_wavelength(description)
        if wavelength is not None:
            bands[wavelength] = (number, description)
    if not bands:
        raise GociResampleError(
            f"{path} has no band described L_TOA_<nm>; choose a goci-resample output."
        )
    return bands


def landsat_wavelengths(dataset):
    """{band number: wavelength nm} from WAVELENGTH_NM tags, else the OLI band order."""
    wavelengths = {}
    for number in range(1, dataset.count + 1):
        tag = dataset.tags(number).get("WAVELENGTH_NM", "")
        if tag.replace(".", "", 1).isdigit():
            wavelengths[number] = round(float(tag))
        elif number <= len(OLI_WAVELENGTHS_NM):
            wavelengths[number] = OLI_WAVELENGTHS_NM[number - 1]
    return wavelengths


def choose_pairs(band_pairs, goci_bands, landsat_wavelengths, band_count, resampled, landsat):
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


def pair_statistics(moments):
    """``PairStatistics`` from the moments of (x = Landsat, y = GOCI, d = y − x); count 0 and
    NaN elsewhere when there are none."""
    n = moments.count
    if n == 0:
        return PairStatistics(0, *([float("nan")] * 7))
    mean_x, mean_y, bias = moments.mean
    (vxx, vxy, _), (_, vyy, _), (_, _, vdd) = moments.covariance()
    rmse = math.sqrt(vdd + bias * bias)
    r2 = vxy * vxy / (vxx * vyy) if vxx > 0 and vyy > 0 else float("nan")
    if vxy != 0:
        slope = (vyy - vxx + math.sqrt((vyy - vxx) ** 2 + 4 * vxy * vxy)) / (2 * vxy)
    else:
        slope = float("nan")
    return PairStatistics(n, mean_x, mean_y, bias, rmse, r2, slope, mean_y - slope * mean_x)


def _add(moments, x, y):
    moments.add(x, y, y - x)


def _compare_band(ours, theirs, goci_band, nm, landsat_band, wavelengths, block, control,
                  resampled, landsat):  # fmt: skip
    from rasterio.windows import Window

    number, name = goci_band
    nodata = theirs.nodata
    pixels, blocks = Moments(3), Moments(3)
    rows_per_strip = max(block, STRIP_ROWS // block * block)
    block_rows = ours.height // block
    block_cols = ours.width // block
    means = np.full((2, block_rows, block_cols), np.nan)
    for start in range(0, ours.height, rows_per_strip):
        control.stop_if_cancelled()
        control.progress(start / ours.height)
        window = Window(0, start, ours.width, min(rows_per_strip, ours.height - start))
        y = ours.read(number, window=window).astype(np.float64)
        x = theirs.read(landsat_band, window=window).astype(np.float64)
        valid = np.isfinite(x) & np.isfinite(y)
        if nodata is not None and not math.isnan(nodata):
            valid &= x != nodata
        _add(pixels, x[valid], y[valid])
        full_rows = (x.shape[0] // block) * block
        if full_rows:
            shape = (full_rows // block, block, block_cols, block)
            cut = (slice(0, full_rows), slice(0, block_cols * block))
            ok = valid[cut].reshape(shape).all(axis=(1, 3))
            mean_x = x[cut].reshape(shape).mean(axis=(1, 3))
            mean_y = y[cut].reshape(shape).mean(axis=(1, 3))
            _add(blocks, mean_x[ok], mean_y[ok])
            first = start // block
            means[0, first : first + shape[0]] = np.where(ok, mean_x, np.nan)
            means[1, first : first + shape[0]] = np.where(ok, mean_y, np.nan)
    if pixels.count == 0:
        raise GociResampleError(
            f"{name} of {resampled.name} and band {landsat_band} of {landsat.name} have no "
            "pixel valid in both: the resampled GOCI band is empty where Landsat has data. "
            "Check that the pair belongs together and that BAND_PAIRS is right."
        )
    return BandPairComparison(number, name, nm, landsat_band, wavelengths.get(landsat_band, 0),
                              pair_statistics(pixels), pair_statistics(blocks),
                              (means[0], means[1]))  # fmt: skip
