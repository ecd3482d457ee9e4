"""The sample generator writes scene folders like the upstream step, from the known field."""

import netCDF4
import numpy as np
import rasterio
from sample_data import SceneSpec, radiance_field, write_scene

from goci_resample_plugin.core import read_goci_subset, read_target_grid


def test_new_generation_layout_geometry_and_values(goci1_scene):
    scene = goci1_scene
    assert scene.landsat.name.endswith("_TOA_RAD_B1-2-3-4-5.tif")
    assert scene.goci.name.endswith("_subset_footprint.nc")
    with netCDF4.Dataset(scene.goci) as dataset:
        assert set(dataset.groups) == {"navigation_data", "geophysical_data", "mask"}
        assert dataset["navigation_data/latitude"].dimensions == ("y", "x")
        assert "inside_mask" in dataset["mask"].variables
    subset = read_goci_subset(scene.goci)
    assert subset.wavelengths == (443, 490, 555, 660, 865)
    # Curvilinear: longitude changes along columns *and* rows.
    column_drift = np.nanmedian(subset.longitude[-1] - subset.longitude[0])
    assert abs(column_drift) > 3e-4
    # Valid GOCI values equal the analytic field at their geolocation (float32 lat/lon: ~1 m).
    band = subset.bands[0]
    valid = np.isfinite(band.values) & subset.geolocation_valid
    truth = radiance_field(subset.longitude[valid], subset.latitude[valid], 443)
    assert np.allclose(band.values[valid], truth, rtol=5e-4)
    # Fill pixels, footprint edge and missing geolocation are all present.
    assert 0.2 < valid.mean() < 0.9
    assert (~subset.geolocation_valid).sum() >= 1


def test_landsat_grid_is_utm_30_m_with_nodata_outside_a_tilted_footprint(goci1_scene):
    scene = goci1_scene
    grid = read_target_grid(scene.landsat)
    assert (grid.width, grid.height) == (600, 600)
    assert grid.crs.to_epsg() == 32652 and grid.transform.a == 30.0
    assert grid.nodata == 0.0 and grid.area_or_point == "Area"
    with rasterio.open(scene.landsat) as dataset:
        inside = dataset.read(1) != 0
    assert 0.4 < inside.mean() < 0.8
    # Tilted: the first valid column differs between top and bottom of the footprint.
    rows = np.nonzero(inside.any(axis=1))[0]
    first_col = [np.argmax(inside[row]) for row in (rows[0] + 5, rows[-1] - 5)]
    assert abs(first_col[0] - first_col[1]) > 20


def test_old_generation_int16_rotated(old_scene):
    with netCDF4.Dataset(old_scene.goci) as dataset:
        assert dataset["navigation_data/latitude"].dimensions == ("rows", "cols")
        assert "inside_footprint" in dataset["mask"].variables
        assert dataset["geophysical_data/L_TOA_443"].dtype == np.int16
    grid = read_target_grid(old_scene.landsat)
    assert grid.transform.b != 0.0
    assert len(read_goci_subset(old_scene.goci).bands) == 5


def test_offset_shifts_the_written_geolocation(tmp_path):
    plain = read_goci_subset(write_scene(tmp_path / "a", SceneSpec(width=100, height=100)).goci)
    shifted = read_goci_subset(
        write_scene(tmp_path / "b", SceneSpec(width=100, height=100, goci_offset_m=(150, 90))).goci
    )
    east_m = np.nanmedian(shifted.longitude - plain.longitude) * 111_320 * np.cos(np.radians(35.5))
    north_m = np.nanmedian(shifted.latitude - plain.latitude) * 110_950
    assert abs(east_m - 150) < 10 and abs(north_m - 90) < 10


def test_goci2_scene_is_written_as_the_clip_step_writes_it(goci2_scene):
    """../shared/FORMATS.md, fact by fact."""
    from sample_data import GOCI2_WAVELENGTHS_NM, goci2_spec, is_land

    assert goci2_scene.goci.name == "GK2_GOCI2_L1B_20210429_021530_LA_S007_subset_footprint.nc"
    assert goci2_scene.scene_dir.name.startswith("LC08_L1TP_118038_")
    backup = goci2_scene.goci.with_name(goci2_scene.goci.name + ".bak")
    with netCDF4.Dataset(goci2_scene.goci) as dataset, netCDF4.Dataset(backup) as original:
        assert dataset.data_model == "NETCDF4" and list(dataset.dimensions) == ["y", "x"]
        assert dataset.ncattrs() == ["title", "history"]
        latitude = dataset["navigation_data/latitude"]
        assert latitude.dtype == np.float32 and latitude.ncattrs() == ["units"]
        assert np.isfinite(latitude[:]).all()
        mask = dataset["mask/inside_mask"]
        assert mask.dtype == np.uint8 and mask.long_name == "1 = inside footprint; 0 = outside"
        inside = mask[:] == 1
        # The tight box of pixel centres inside the footprint: every edge row/col touches it.
        assert inside[0].any() and inside[-1].any() and inside[:, 0].any() and inside[:, -1].any()
        names = list(dataset["geophysical_data"].variables)
        assert names == [f"L_TOA_{w}" for w in GOCI2_WAVELENGTHS_NM]
        band = dataset["geophysical_data/L_TOA_443"]
        band.set_auto_maskandscale(False)
        assert band.dtype == np.float32 and band.getncattr("_FillValue") == -999.0
        assert set(band.ncattrs()) == {"_FillValue", "long_name", "units", "wavelength",
                                       "bandwidth"}  # fmt: skip
        assert band.filters()["zlib"] and band.filters()["shuffle"]
        assert band.filters()["complevel"] == 4
        values = band[:]
        before = original["geophysical_data/L_TOA_443"]
        before.set_auto_maskandscale(False)
        raw = before[:]
        assert (raw[~inside] == -999.0).all() and np.isnan(raw[inside]).any()
        assert not (raw[inside] == -999.0).any()
        land = is_land(dataset["navigation_data/longitude"][:], latitude[:], goci2_spec())
        assert 0.1 < land[inside].mean() < 0.9  # a coastline crosses the scene
        assert (values[land] == -999.0).all() and (mask[:] == original["mask/inside_mask"][:]).all()
    # What the file holds, not statistics QGIS may have cached beside it (.aux.xml).
    with rasterio.Env(GDAL_PAM_ENABLED="NO"), rasterio.open(goci2_scene.landsat) as landsat:
        assert landsat.nodata == -9999.0 and landsat.dtypes == ("float32",) * 5
        assert landsat.descriptions == (None,) * 5 and not landsat.tags(1)
        assert landsat.crs.to_epsg() == 32651 and landsat.tags()["AREA_OR_POINT"] == "Area"
        assert (landsat.read(1) == -9999.0).any()
