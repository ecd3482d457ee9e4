"""Bad inputs, one builder per row of docs/robustness.md (ids are the table's first column).

Each builder takes (folder, scene) and returns (goci, landsat, options) for ``resample_pair``.
"""

import netCDF4
import numpy as np
import rasterio

from goci_resample_plugin.core import ResampleOptions


def _copy_goci(scene, folder, edit=None):
    """Copy the scene's GOCI file and let ``edit(dataset)`` change it in place."""
    target = folder / scene.goci.name
    target.write_bytes(scene.goci.read_bytes())
    if edit:
        with netCDF4.Dataset(target, "a") as dataset:
            dataset.set_auto_maskandscale(False)
            edit(dataset)
    return target


def _rebuild_without(scene, folder, group_name=None, variable_name=None, reshape=None):
    """A copy of the GOCI file without a group or variable, or with one variable reshaped."""
    target = folder / scene.goci.name
    with netCDF4.Dataset(scene.goci) as src, netCDF4.Dataset(target, "w") as dst:
        for name, dimension in src.dimensions.items():
            dst.createDimension(name, len(dimension))
        for gname, group in src.groups.items():
            if gname == group_name and variable_name is None:
                continue
            out = dst.createGroup(gname)
            for name, variable in group.variables.items():
                if gname == group_name and name == variable_name and reshape is None:
                    continue
                variable.set_auto_maskandscale(False)
                data = variable[:]
                dims = variable.dimensions
                if gname == group_name and name == variable_name:
                    data = data[: data.shape[0] // 2]
                    out_dim = f"half_{dims[0]}"
                    if out_dim not in dst.dimensions:
                        dst.createDimension(out_dim, data.shape[0])
                    dims = (out_dim, *dims[1:])
                copy = out.createVariable(name, variable.dtype, dims)
                copy.set_auto_maskandscale(False)
                copy.setncatts(
                    {k: variable.getncattr(k) for k in variable.ncattrs() if k != "_FillValue"}
                )
                copy[:] = data
    return target


def _landsat_copy(scene, folder, **changes):
    target = folder / scene.landsat.name
    with rasterio.open(scene.landsat) as src:
        profile = src.profile | changes
        data = src.read()
    with rasterio.open(target, "w", **profile) as dst:
        dst.write(data)
    return target


def _written(path, data):
    path.write_bytes(data)
    return path


def _set(variable_path, values):
    def edit(dataset):
        variable = dataset[variable_path]
        variable[:] = np.full(variable.shape, values, dtype=variable.dtype)

    return edit


DEFAULT = ResampleOptions(wavelengths=(443, 660))

BAD_INPUTS = {
    "not-netcdf": lambda f, s: (_written(f / "a_subset.nc", b"hello"), s.landsat, DEFAULT),
    "zero-size": lambda f, s: (_written(f / "a_subset.nc", b""), s.landsat, DEFAULT),
    "truncated": lambda f, s: (
        _written(f / "a_subset.nc", s.goci.read_bytes()[:4000]),
        s.landsat,
        DEFAULT,
    ),
    "no-navigation-data": lambda f, s: (
        _rebuild_without(s, f, "navigation_data"),
        s.landsat,
        DEFAULT,
    ),
    "no-latitude": lambda f, s: (
        _rebuild_without(s, f, "navigation_data", "latitude"),
        s.landsat,
        DEFAULT,
    ),
    "lat-lon-shapes-differ": lambda f, s: (
        _rebuild_without(s, f, "navigation_data", "latitude", reshape=True),
        s.landsat,
        DEFAULT,
    ),
    "band-shape-differs": lambda f, s: (
        _rebuild_without(s, f, "geophysical_data", "L_TOA_443", reshape=True),
        s.landsat,
        DEFAULT,
    ),
    "lat-out-of-range": lambda f, s: (
        _copy_goci(s, f, _set("navigation_data/latitude", 95.0)),
        s.landsat,
        DEFAULT,
    ),
    "lat-all-nan": lambda f, s: (
        _copy_goci(s, f, _set("navigation_data/latitude", np.nan)),
        s.landsat,
        DEFAULT,
    ),
    "band-missing": lambda f, s: (s.goci, s.landsat, ResampleOptions(wavelengths=(443, 999))),
    "all-pixels-invalid": lambda f, s: (
        _copy_goci(s, f, _set("mask/inside_mask", 0)),
        s.landsat,
        DEFAULT,
    ),
    "landsat-unreadable": lambda f, s: (
        s.goci,
        _written(f / "x_TOA_RAD_B1.tif", b"II*\0junk"),
        DEFAULT,
    ),
    "landsat-no-crs": lambda f, s: (s.goci, _landsat_copy(s, f, crs=None), DEFAULT),
    "landsat-no-geotransform": lambda f, s: (
        s.goci,
        _landsat_copy(s, f, transform=rasterio.Affine.identity()),
        DEFAULT,
    ),
}
"""Inputs that must fail with a message containing the fragment in ``EXPECTED``."""

EXPECTED = {
    "not-netcdf": "cannot be read as NetCDF/HDF5",
    "zero-size": "cannot be read as NetCDF/HDF5",
    "truncated": "cannot be read",
    "no-navigation-data": "has no 'navigation_data' group",
    "no-latitude": "has no navigation_data/latitude",
    "lat-lon-shapes-differ": "must be 2-D arrays of the same shape",
    "band-shape-differs": "band L_TOA_443 has shape",
    "lat-out-of-range": "no pixel has a valid latitude/longitude",
    "lat-all-nan": "no pixel has a valid latitude/longitude",
    "band-missing": "has no band L_TOA_999; it has 443, 490, 555, 660, 865 nm",
    "all-pixels-invalid": "is invalid (fill value, outside the valid range or outside the "
    "footprint mask)",
    "landsat-unreadable": "cannot be read",
    "landsat-no-crs": "has no coordinate reference system",
    "landsat-no-geotransform": "has no geotransform",
}
