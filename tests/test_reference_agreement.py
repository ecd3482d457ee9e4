"""resample_pair agrees with the pyresample reference of SPEC §3 (both methods, both policies)."""

from types import SimpleNamespace

import numpy as np
import pytest
import rasterio
from reference import assert_within_spec, reference_resample

from goci_resample_plugin.core import ResampleOptions, resample_pair

CASES = [(m, p) for m in ("gauss", "nearest") for p in ("skip", "propagate", "cover")]


def _resample_and_compare(pair, tmp_path, method, invalid, **parameters):
    options = ResampleOptions(method=method, invalid=invalid, **parameters)
    result = resample_pair(pair.goci, pair.landsat, tmp_path / "out.tif", options)
    with rasterio.open(result.output) as dataset:
        ours = dataset.read()
    wavelengths = [band["wavelength_nm"] for band in result.bands]
    reference = reference_resample(
        pair.goci,
        pair.landsat,
        wavelengths,
        method,
        invalid,
        radius=options.radius_m,
        sigma=options.sigma_m,
        neighbours=options.neighbours,
    )
    return ours, reference


@pytest.mark.parametrize(("method", "invalid"), CASES)
def test_goci2_scene_matches_reference(scene, tmp_path, method, invalid):
    ours, reference = _resample_and_compare(scene, tmp_path, method, invalid)
    assert_within_spec(ours, reference, method)


@pytest.mark.parametrize(("method", "invalid"), CASES)
def test_goci1_500m_scene_matches_reference(goci1_scene, tmp_path, method, invalid):
    ours, reference = _resample_and_compare(goci1_scene, tmp_path, method, invalid)
    assert_within_spec(ours, reference, method)


@pytest.mark.parametrize(("method", "invalid"), CASES)
def test_goci2_land_masked_scene_matches_reference(goci2_scene, tmp_path, method, invalid):
    """The user's real data: 250 m, 12 bands, land at _FillValue, NaN raw-invalid pixels."""
    ours, reference = _resample_and_compare(
        goci2_scene, tmp_path, method, invalid, wavelengths=(443, 660, 865)
    )
    assert_within_spec(ours, reference, method)


@pytest.mark.parametrize(("method", "invalid"), CASES)
def test_old_generation_rotated_int16_scene_matches_reference(old_scene, tmp_path, method, invalid):
    ours, reference = _resample_and_compare(old_scene, tmp_path, method, invalid)
    assert_within_spec(ours, reference, method)


def test_more_sources_in_radius_than_neighbours_keeps_the_nearest(scene, tmp_path):
    # 2 km radius holds ~50 GOCI pixels: the k-nearest cut must choose the same 6 as pyresample.
    ours, reference = _resample_and_compare(
        scene,
        tmp_path,
        "gauss",
        "skip",
        radius_m=2000.0,
        sigma_m=900.0,
        neighbours=6,
    )
    assert_within_spec(ours, reference, "gauss")


def test_propagate_leaves_holes_that_skip_fills(scene, tmp_path):
    skip = resample_pair(
        scene.goci, scene.landsat, tmp_path / "skip.tif", ResampleOptions(invalid="skip")
    )
    propagate = resample_pair(
        scene.goci, scene.landsat, tmp_path / "propagate.tif", ResampleOptions(invalid="propagate")
    )
    assert propagate.bands[0]["valid_fraction"] < skip.bands[0]["valid_fraction"]


@pytest.fixture(scope="module")
def handmade_pair(tmp_path_factory):
    """A pair written here, not by the sample generator: a warped lat/lon GOCI grid with bands
    in the root group, int16 with valid_range, missing_value and scale/offset, and a Landsat
    target in geographic coordinates (EPSG:4326)."""
    import netCDF4
    from rasterio.transform import from_origin

    folder = tmp_path_factory.mktemp("handmade")
    rows, cols = np.mgrid[0:60, 0:70].astype(np.float64)
    lat = 34.0 + 0.0045 * rows + 0.00002 * cols**1.5
    lon = 128.0 + 0.0055 * cols + 0.0003 * rows
    random = np.random.default_rng(5)
    goci = folder / "G_subset.nc"
    with netCDF4.Dataset(goci, "w") as dataset:
        dataset.createDimension("rows", 60)
        dataset.createDimension("cols", 70)
        navigation = dataset.createGroup("navigation_data")
        navigation.createVariable("latitude", "f8", ("rows", "cols"))[:] = lat
        navigation.createVariable("longitude", "f8", ("rows", "cols"))[:] = lon
        for wavelength in (490, 660):
            variable = dataset.createVariable(
                f"L_TOA_{wavelength}", "i2", ("rows", "cols"), fill_value=-1
            )
            variable.setncatts(
                {
                    "scale_factor": 0.02,
                    "add_offset": 1.0,
                    "valid_range": np.array([0, 9000], "i2"),
                    "missing_value": -2,
                }
            )
            variable.set_auto_maskandscale(False)
            stored = (2000 + 1500 * np.sin(rows / 7.0) * np.cos(cols / 5.0)).astype("i2")
            stored[random.random(stored.shape) < 0.03] = -1
            stored[random.random(stored.shape) < 0.02] = -2
            stored[random.random(stored.shape) < 0.02] = 9500
            variable[:] = stored
        inside = np.ones((60, 70), "u1")
        inside[:, 60:] = 0
        dataset.createGroup("mask").createVariable("inside_footprint", "u1", ("rows", "cols"))[
            :
        ] = inside
    landsat = folder / "L_TOA_RAD_B1.tif"
    with rasterio.open(
        landsat,
        "w",
        driver="GTiff",
        width=300,
        height=250,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        nodata=0,
        transform=from_origin(128.05, 34.22, 0.0004, 0.0004),
    ) as dataset:
        dataset.write(np.ones((1, 250, 300), "float32"))
    return SimpleNamespace(goci=goci, landsat=landsat)


@pytest.mark.parametrize(("method", "invalid"), CASES)
def test_handmade_geographic_pair_matches_reference(handmade_pair, tmp_path, method, invalid):
    ours, reference = _resample_and_compare(handmade_pair, tmp_path, method, invalid)
    assert_within_spec(ours, reference, method)


def test_cover_stops_where_valid_goci_data_stops(goci2_scene, tmp_path):
    """On the land-masked scene: skip paints ocean radiance up to ~RADIUS over the coast,
    propagate blanks a disk around every fill pixel; cover keeps exactly the valid cover."""
    valid = {}
    for invalid in ("skip", "propagate", "cover"):
        options = ResampleOptions(wavelengths=(660,), invalid=invalid)
        result = resample_pair(goci2_scene.goci, goci2_scene.landsat,
                               tmp_path / f"{invalid}.tif", options)  # fmt: skip
        with rasterio.open(result.output) as dataset:
            valid[invalid] = np.isfinite(dataset.read(1))
    assert (valid["cover"] <= valid["skip"]).all()  # cover only removes, never adds
    halo = valid["skip"] & ~valid["cover"]
    assert halo.mean() > 0.01, "the coastline halo of skip is removed"
    assert valid["cover"].sum() > valid["propagate"].sum()  # no disk around single gaps
