"""The offset estimate knows when it cannot know: pairs of rasters written from fields known
analytically in metres (the GOCI raster the Landsat field moved by a known offset, with a gain
and an offset between the sensors and 30 m noise), and the generator's small aligned crop.

An offset along a straight feature (stripes, a straight coast) changes nothing in the image: the
aperture problem. Before, the estimate reported hundreds of kilometres along stripes at
confidence 0.99999, and −54/+65 m at confidence 1.000 on the aligned 700 × 650 crop."""

import math

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin
from sample_data import goci2_spec, write_scene

from goci_resample_plugin.core import compare_rasters, resample_pair, resample_registered

SIZE = 1500  # 45 km at 30 m
ORIGIN = (340000.0, 3520000.0)  # UTM 51N, near the user's path/row 118/038
ANGLE = math.radians(30.0)  # the features' direction: 30° from the grid's x axis


def _stripes(x, y):
    """Parallel stripes 3 km apart, running along ``ANGLE``."""
    across = -x * math.sin(ANGLE) + y * math.cos(ANGLE)
    return 60.0 + 8.0 * np.sin(2 * math.pi * across / 3000.0)


def _coast(x, y):
    """A straight coast through the middle, along ``ANGLE``: 30 on one side, 80 on the other."""
    centre = ORIGIN[0] + SIZE * 15.0, ORIGIN[1] - SIZE * 15.0
    across = -(x - centre[0]) * math.sin(ANGLE) + (y - centre[1]) * math.cos(ANGLE)
    return 55.0 + 25.0 * np.tanh(across / 400.0)


WAVES = [(9000, 10, 0.3), (6100, 65, 1.1), (4700, 118, 2.0), (3900, 160, 0.7),
         (3100, 35, 2.6), (2500, 95, 1.9), (2000, 140, 0.2)]  # fmt: skip
"""(wavelength m, direction ° from x, phase) of the texture's waves."""


def _texture(x, y):
    """Eddies: waves of 2–9 km in seven directions, so every direction is constrained."""
    total = np.full(np.broadcast(x, y).shape, 60.0)
    for k, (wavelength, degrees, phase) in enumerate(WAVES):
        a = math.radians(degrees)
        along = x * math.cos(a) + y * math.sin(a)
        total += (5.0 - 0.5 * k) * np.sin(2 * math.pi * along / wavelength + phase)
    return total


def _pair(root, field, offset_m=(0.0, 0.0)):
    """(GOCI-on-Landsat raster, Landsat raster): Landsat band 4 is ``field`` plus 30 m noise;
    the GOCI band L_TOA_660 is 1.07 × ``field`` moved ``offset_m`` (x, y metres) + 2."""
    transform = from_origin(*ORIGIN, 30.0, 30.0)
    cols, rows = np.meshgrid(np.arange(SIZE) + 0.5, np.arange(SIZE) + 0.5)
    x, y = transform * (cols, rows)
    noise = np.random.default_rng(7).normal(scale=0.3, size=(SIZE, SIZE))
    landsat = (field(x, y) + noise).astype("float32")
    goci = (1.07 * field(x - offset_m[0], y - offset_m[1]) + 2.0).astype("float32")
    profile = dict(driver="GTiff", width=SIZE, height=SIZE, dtype="float32", crs="EPSG:32651",
                   transform=transform, nodata=float("nan"))  # fmt: skip
    paths = root / "goci_on_landsat.tif", root / "landsat.tif"
    with rasterio.open(paths[0], "w", count=1, **profile) as out:
        out.write(goci, 1)
        out.set_band_description(1, "L_TOA_660")
    with rasterio.open(paths[1], "w", count=4, **profile) as out:
        for band in range(1, 5):
            out.write(landsat if band == 4 else landsat * 0.9, band)
    return paths


@pytest.mark.parametrize("field", [_stripes, _coast], ids=["stripes", "straight coast"])
def test_an_offset_along_a_straight_feature_is_not_measurable(tmp_path, field):
    """Nothing is misregistered across the features; along them the image does not change."""
    shift = compare_rasters(*_pair(tmp_path, field, (0.0, 0.0))).grid_shift
    assert not shift.measurable and math.isnan(shift.east_m) and math.isnan(shift.north_m)
    assert shift.confidence == 0.0
    assert "varies in one direction only" in shift.reason
    along = float(shift.reason.split("an offset along ")[1].split("°")[0])
    assert along == pytest.approx(90.0 - 30.0, abs=3.0)  # 30° from x (east) is 60° from north


def test_a_known_offset_on_two_dimensional_texture_is_found_within_10_m(tmp_path):
    shift = compare_rasters(*_pair(tmp_path, _texture, (150.0, 90.0))).grid_shift
    assert shift.measurable and shift.significant()
    assert math.hypot(shift.east_m - 150.0, shift.north_m - 90.0) <= 10.0
    # the stated 95 % intervals hold the truth, and are not so wide as to say nothing
    east, north = shift.uncertainty_m
    assert abs(shift.east_m - 150.0) <= east <= 30.0
    assert abs(shift.north_m - 90.0) <= north <= 30.0


def test_a_small_aligned_crop_is_not_given_an_offset_it_cannot_know(tmp_path):
    """The generator's default 700 × 650 GOCI-II crop (21 km): smooth fields that vary mostly
    in one direction over so small an area leave a 95 % uncertainty of ~150 m."""
    scene = write_scene(tmp_path, goci2_spec(width=700, height=650, seed=3))
    output = resample_pair(scene.goci, scene.landsat, tmp_path / "o.tif").output
    shift = compare_rasters(output, scene.landsat).shift
    assert not shift.measurable and math.isnan(shift.east_m) and shift.confidence == 0.0
    assert "too uncertain" in shift.reason and "more than 100 m" in shift.reason
    # REGISTER uses the same estimate: nothing is applied
    _, registration = resample_registered(scene.goci, scene.landsat, tmp_path / "r.tif")
    assert not registration.applied and "not measurable: too uncertain" in registration.reason
