"""Reading GOCI subsets: both naming generations, band choice and every invalid-pixel rule."""

import netCDF4
import numpy as np
import pytest

from goci_resample_plugin.core import GociResampleError, available_bands, read_goci_subset


def _write_small_goci(
    path,
    *,
    root_bands=False,
    mask_name="inside_mask",
    dims=("y", "x"),
    band_attributes=None,
    band_dtype="f4",
    raw=None,
    wavelengths=(443, 490),
):
    """A 4 × 5 GOCI subset; ``raw`` overrides the stored values of the first band."""
    shape = (4, 5)
    lat, lon = np.meshgrid(np.linspace(35, 35.02, 4), np.linspace(129, 129.03, 5), indexing="ij")
    with netCDF4.Dataset(path, "w") as dataset:
        dataset.createDimension(dims[0], shape[0])
        dataset.createDimension(dims[1], shape[1])
        navigation = dataset.createGroup("navigation_data")
        for name, values in (("latitude", lat), ("longitude", lon)):
            navigation.createVariable(name, "f4", dims)[:] = values
        group = dataset if root_bands else dataset.createGroup("geophysical_data")
        for number, wavelength in enumerate(wavelengths):
            attributes = dict(band_attributes or {}) if number == 0 else {}
            fill = attributes.pop("_FillValue", None)
            variable = group.createVariable(
                f"L_TOA_{wavelength}", band_dtype, dims, fill_value=fill
            )
            variable.setncatts(attributes | {"units": "W m-2 sr-1 um-1"})
            variable.set_auto_maskandscale(False)
            values = np.full(shape, 10.0 * (number + 1)) if raw is None or number else raw
            variable[:] = np.asarray(values).astype(band_dtype)
        if mask_name:
            inside = np.ones(shape, dtype="u1")
            inside[0, 0] = 0
            dataset.createGroup("mask").createVariable(mask_name, "u1", dims)[:] = inside
    return path


def test_new_generation_reads_bands_in_wavelength_order_with_mask(tmp_path):
    path = _write_small_goci(tmp_path / "a_subset_footprint.nc", wavelengths=(865, 443, 490))
    subset = read_goci_subset(path)
    assert subset.wavelengths == (443, 490, 865)
    assert [b.name for b in subset.bands] == ["L_TOA_443", "L_TOA_490", "L_TOA_865"]
    assert subset.bands[0].units == "W m-2 sr-1 um-1"
    assert subset.latitude.dtype == np.float64 and subset.shape == (4, 5)
    assert np.isnan(subset.bands[1].values[0, 0])  # outside the footprint mask
    assert np.isfinite(subset.bands[1].values).sum() == 19


def test_old_generation_rows_cols_inside_footprint_and_root_bands(tmp_path):
    path = _write_small_goci(
        tmp_path / "old_subset.nc",
        dims=("rows", "cols"),
        mask_name="inside_footprint",
        root_bands=True,
    )
    subset = read_goci_subset(path)
    assert subset.wavelengths == (443, 490)
    assert np.isnan(subset.bands[0].values[0, 0])
    assert np.isfinite(subset.bands[0].values).sum() == 19


def test_band_subset_and_available_bands(tmp_path):
    path = _write_small_goci(tmp_path / "b.nc", wavelengths=(443, 490, 555, 660))
    assert available_bands(path) == (443, 490, 555, 660)
    assert read_goci_subset(path, (660, 490)).wavelengths == (490, 660)


def test_missing_band_names_the_band_and_those_present(tmp_path):
    path = _write_small_goci(tmp_path / "c.nc")
    with pytest.raises(GociResampleError) as raised:
        read_goci_subset(path, (443, 555))
    message = str(raised.value)
    assert "L_TOA_555" in message and "443, 490" in message and str(path) in message


def test_fill_missing_value_valid_range_and_nan_are_invalid(tmp_path):
    raw = np.array(
        [
            [1.0, 2.0, -999.0, 4.0, 5.0],
            [-1.0, 7.0, 8.0, np.nan, 10.0],
            [11.0, 12.0, 13.0, 500.0, 15.0],
            [16.0, -5.0, 18.0, 19.0, 20.0],
        ]
    )
    attributes = {"_FillValue": -999.0, "missing_value": -5.0, "valid_min": 0.0, "valid_max": 100.0}
    path = _write_small_goci(tmp_path / "d.nc", band_attributes=attributes, raw=raw)
    values = read_goci_subset(path).bands[0].values
    invalid = np.argwhere(np.isnan(values)).tolist()
    # mask (0,0), fill (0,2), below valid_min (1,0), NaN (1,3), above valid_max (2,3), missing (3,1)
    assert invalid == [[0, 0], [0, 2], [1, 0], [1, 3], [2, 3], [3, 1]]


def test_scale_factor_and_add_offset_are_applied_to_integer_bands(tmp_path):
    raw = np.arange(20, dtype=np.int16).reshape(4, 5) * 100
    raw[2, 2] = -32768
    attributes = {"_FillValue": np.int16(-32768), "scale_factor": 0.01, "add_offset": 5.0}
    path = _write_small_goci(
        tmp_path / "e.nc", band_attributes=attributes, raw=raw, band_dtype="i2"
    )
    values = read_goci_subset(path).bands[0].values
    assert values[1, 1] == pytest.approx(600 * 0.01 + 5.0)
    assert np.isnan(values[2, 2])


def test_not_a_netcdf_file_is_a_clear_error(tmp_path):
    path = tmp_path / "broken_subset.nc"
    path.write_bytes(b"this is not HDF5")
    with pytest.raises(GociResampleError, match="cannot be read as NetCDF"):
        read_goci_subset(path)


def test_all_pixels_invalid_is_a_clear_error(tmp_path):
    raw = np.full((4, 5), -999.0)
    path = _write_small_goci(
        tmp_path / "f.nc", band_attributes={"_FillValue": -999.0}, raw=raw, wavelengths=(443,)
    )
    with pytest.raises(GociResampleError, match="every pixel of bands L_TOA_443 is invalid"):
        read_goci_subset(path)
