"""Statistics exact by construction (SPEC §7): the streaming moments and compare_rasters equal
numpy float64 on the same pixels to 1e-9, with known gains, offsets and noise."""

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from goci_resample_plugin.core import compare_rasters
from goci_resample_plugin.core.moments import Moments
from goci_resample_plugin.core.write import BandStatistics

EXACT = 1e-9
BLOCK = 16


def _write(path, band, description=None, nodata=None):
    profile = dict(driver="GTiff", dtype="float32", width=band.shape[1], height=band.shape[0],
                   count=1, crs="EPSG:32651", transform=from_origin(500000, 4000000, 30, 30),
                   nodata=nodata)  # fmt: skip
    with rasterio.open(path, "w", **profile) as dataset:
        dataset.write(band.astype(np.float32), 1)
        if description:
            dataset.set_band_description(1, description)
    return path


def _expected(x, y):
    """numpy float64 on the given pixels: SPEC §7's figures."""
    covariance = np.cov(np.stack([x, y]), ddof=0)
    vxx, vxy, vyy = covariance[0, 0], covariance[0, 1], covariance[1, 1]
    slope = (vyy - vxx + np.sqrt((vyy - vxx) ** 2 + 4 * vxy**2)) / (2 * vxy)
    return {
        "count": x.size,
        "mean_landsat": x.mean(),
        "mean_goci": y.mean(),
        "bias": np.mean(y - x),
        "rmse": np.sqrt(np.mean((y - x) ** 2)),
        "r2": np.corrcoef(x, y)[0, 1] ** 2,
        "slope": slope,
        "intercept": y.mean() - slope * x.mean(),
    }


def _assert_exact(statistics, expected):
    for name, value in expected.items():
        assert getattr(statistics, name) == pytest.approx(value, rel=EXACT, abs=0), name


def _scene(tmp_path, landsat, goci, nodata=-9999.0):
    """Write the pair; Landsat uses the clip step's nodata, GOCI NaN."""
    return (
        _write(tmp_path / "goci_on_landsat.tif", goci, "L_TOA_660"),
        _write(tmp_path / "x_TOA_RAD_B4.tif", landsat, nodata=nodata),
    )


@pytest.mark.parametrize(
    ("level", "gain", "offset", "noise"),
    [(100.0, 1.1, 5.0, 0.5), (1e-3, 0.9, -1e-4, 2e-5)],
    ids=["radiance-100", "near-zero"],
)
def test_compare_equals_numpy_on_the_same_pixels(tmp_path, level, gain, offset, noise):
    random = np.random.default_rng(5)
    rows, cols = 1100, 700  # three strips of rows, a partial block at the edges
    yy, xx = np.mgrid[0:rows, 0:cols]
    landsat = level * (1 + 0.2 * np.sin(xx / 90.0) * np.cos(yy / 70.0))
    landsat += random.normal(0, noise, landsat.shape)
    goci = gain * landsat + offset + random.normal(0, noise, landsat.shape)
    landsat[:40, :] = -9999.0  # outside the scene
    goci[random.random(goci.shape) < 0.01] = np.nan  # scattered gaps
    goci[600:650, 100:300] = np.nan
    resampled, landsat_path = _scene(tmp_path, landsat, goci)

    [pair] = compare_rasters(resampled, landsat_path, band_pairs=[(660, 1)], block=BLOCK).pairs

    x = landsat.astype(np.float32).astype(np.float64)  # what the files hold
    y = goci.astype(np.float32).astype(np.float64)
    valid = (x != -9999.0) & np.isfinite(y)
    _assert_exact(pair.pixels, _expected(x[valid], y[valid]))
    # Known answer: bias = (gain − 1)·mean(x) + offset.
    assert pair.pixels.bias == pytest.approx((gain - 1) * x[valid].mean() + offset, rel=1e-2)

    full = (rows // BLOCK * BLOCK, cols // BLOCK * BLOCK)
    shape = (full[0] // BLOCK, BLOCK, full[1] // BLOCK, BLOCK)
    cut = (slice(0, full[0]), slice(0, full[1]))
    whole = valid[cut].reshape(shape).all(axis=(1, 3))
    x_blocks = x[cut].reshape(shape).mean(axis=(1, 3))[whole]
    y_blocks = y[cut].reshape(shape).mean(axis=(1, 3))[whole]
    _assert_exact(pair.blocks, _expected(x_blocks, y_blocks))


def test_moments_keep_their_precision_far_from_zero():
    random = np.random.default_rng(1)
    x = 1e8 + random.normal(0, 0.25, 300_000)
    y = 3 * x + random.normal(0, 0.5, x.size)
    moments = Moments(2)
    for start in range(0, x.size, 7919):  # uneven blocks
        moments.add(x[start : start + 7919], y[start : start + 7919])
    assert moments.count == x.size
    assert moments.mean == pytest.approx([x.mean(), y.mean()], rel=1e-15)
    assert moments.covariance() == pytest.approx(np.cov(np.stack([x, y]), ddof=0), rel=EXACT)


def test_band_statistics_mean_and_std_equal_numpy():
    random = np.random.default_rng(2)
    band = (250.0 + random.normal(0, 0.01, (600, 500))).astype(np.float32)
    band[random.random(band.shape) < 0.1] = np.nan
    statistics = BandStatistics(band.size)
    for start in range(0, 600, 256):
        statistics.update(band[start : start + 256])
    summary = statistics.as_dict()
    valid = band[np.isfinite(band)].astype(np.float64)
    assert summary["valid_pixels"] == valid.size
    assert summary["mean"] == pytest.approx(valid.mean(), rel=EXACT)
    assert summary["std"] == pytest.approx(valid.std(), rel=EXACT)
