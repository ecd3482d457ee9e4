"""The SPEC §3 numerical reference: pyresample ``kd_tree`` on the inputs, read independently.

Reads the GOCI file with netCDF4's own masking and scaling (not the plugin's reader) and
computes the Landsat pixel centres over the whole grid at once, as the design note does.
"""

import warnings

import netCDF4
import numpy as np
import rasterio
from pyproj import Transformer
from pyresample import geometry, kd_tree


def read_goci_reference(path, wavelengths):
    """Return lon, lat (float64) and {wavelength: float64 values with NaN = invalid}."""
    with netCDF4.Dataset(path) as dataset:
        navigation = dataset["navigation_data"]
        lat = np.ma.filled(navigation["latitude"][:].astype(np.float64), np.nan)
        lon = np.ma.filled(navigation["longitude"][:].astype(np.float64), np.nan)
        inside = np.ones(lat.shape, dtype=bool)
        if "mask" in dataset.groups:
            for name in ("inside_mask", "inside_footprint"):
                if name in dataset["mask"].variables:
                    inside = np.asarray(dataset["mask"][name][:]) != 0
        group = dataset["geophysical_data"] if "geophysical_data" in dataset.groups else dataset
        bands = {}
        for wavelength in wavelengths:
            values = np.ma.filled(group[f"L_TOA_{wavelength}"][:].astype(np.float64), np.nan)
            values[~inside | ~np.isfinite(values)] = np.nan
            bands[wavelength] = values
    return lon, lat, bands


def landsat_lonlat(path):
    """Return lon, lat (float64, (rows, cols)) of every Landsat pixel centre."""
    with rasterio.open(path) as dataset:
        t = dataset.transform
        rows, cols = np.mgrid[0 : dataset.height, 0 : dataset.width].astype(np.float64)
        x = t.c + t.a * (cols + 0.5) + t.b * (rows + 0.5)
        y = t.f + t.d * (cols + 0.5) + t.e * (rows + 0.5)
        transformer = Transformer.from_crs(dataset.crs.to_wkt(), "EPSG:4326", always_xy=True)
        lon, lat = transformer.transform(x, y)
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def reference_resample(
    goci_path,
    landsat_path,
    wavelengths,
    method="gauss",
    invalid="skip",
    radius=800.0,
    sigma=320.0,
    neighbours=16,
):
    """Return (bands, rows, cols) float64 per SPEC §3 (NaN = no value).

    ``skip``: pyresample on the valid sources only. ``propagate``: on every source, as a
    masked array with masked values 0. ``cover``: the ``skip`` value where
    ``resample_nearest`` of the band's validity (1 valid, 0 invalid) over the located
    sources, fill 0, is 1; NaN elsewhere.
    """
    lon, lat, bands = read_goci_reference(goci_path, wavelengths)
    t_lon, t_lat = landsat_lonlat(landsat_path)
    target = geometry.SwathDefinition(lons=t_lon, lats=t_lat)
    located = np.isfinite(lon) & np.isfinite(lat)
    parameters = dict(radius=radius, sigma=sigma, neighbours=neighbours)
    out = []
    for wavelength in wavelengths:
        values = bands[wavelength]
        valid = np.isfinite(values) & located
        if invalid == "propagate":
            source = geometry.SwathDefinition(lons=lon, lats=lat)
            bad = ~np.isfinite(values)
            data = np.ma.array(np.where(bad, 0.0, values), mask=bad)
            result = _pyresample(source, data, target, method, **parameters)
        else:
            source = geometry.SwathDefinition(lons=lon[valid], lats=lat[valid])
            result = _pyresample(source, values[valid], target, method, **parameters)
        if invalid == "cover":
            source = geometry.SwathDefinition(lons=lon[located], lats=lat[located])
            cover = _pyresample(source, valid[located].astype(np.float64), target, "nearest",
                                fill_value=0.0, **parameters)  # fmt: skip
            result = np.where(cover == 1.0, result, np.nan)
        out.append(result)
    return np.stack(out)


def _pyresample(source, data, target, method, radius, sigma, neighbours, fill_value=np.nan):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "gauss":
            result = kd_tree.resample_gauss(source, data, target, radius_of_influence=radius,
                                            sigmas=sigma, neighbours=neighbours,
                                            fill_value=fill_value)  # fmt: skip
        else:
            result = kd_tree.resample_nearest(source, data, target, radius_of_influence=radius,
                                              fill_value=fill_value)  # fmt: skip
    return np.ma.filled(np.ma.asarray(result, dtype=np.float64), np.nan)


def agreement(ours, reference):
    """Return (max relative difference where both valid, fraction of NaN-pattern mismatches,
    fraction of pixels exactly equal in value or both NaN)."""
    ours = np.asarray(ours, dtype=np.float64)
    both = np.isfinite(ours) & np.isfinite(reference)
    relative = np.abs(ours[both] - reference[both]) / np.maximum(np.abs(reference[both]), 1e-30)
    mismatch = np.mean(np.isfinite(ours) != np.isfinite(reference))
    same = np.isclose(ours, reference.astype(np.float32), rtol=0, atol=0, equal_nan=True)
    return (float(relative.max()) if relative.size else 0.0), float(mismatch), float(same.mean())


def assert_within_spec(ours, reference, method, min_overlap=0.3):
    """SPEC §3's agreement: Gaussian max relative difference ≤ 1e-6 where both are valid, NaN
    pattern identical except ≤ 1e-5 of pixels, Nearest identical on ≥ 99.999 %; and the case
    must be a real one (at least ``min_overlap`` of the reference valid)."""
    relative, mismatch, same = agreement(ours, reference)
    assert np.isfinite(reference).mean() > min_overlap, "the test scene must overlap"
    assert mismatch <= 1e-5, f"NaN pattern differs on {mismatch:.2e} of pixels"
    if method == "gauss":
        assert relative <= 1e-6, f"max relative difference {relative:.2e}"
    else:
        assert same >= 0.99999, f"nearest identical on only {same:.6%}"


def reference_quality(goci_path, landsat_path, wavelength, method="gauss", radius=800.0,
                      sigma=320.0, neighbours=16):  # fmt: skip
    """(3, rows, cols) float64 per-pixel quality of one band with ``skip`` from pyresample's
    own neighbour search (``kd_tree.get_neighbour_info`` on the band's valid sources): GOCI
    pixels found within the radius (at most ``neighbours``; 1 for nearest), the distance to
    the nearest (m) and the sum of the weights exp(-d²/σ²) (1 each for nearest); 0, NaN, 0
    where none is found."""
    lon, lat, bands = read_goci_reference(goci_path, [wavelength])
    valid = np.isfinite(bands[wavelength]) & np.isfinite(lon) & np.isfinite(lat)
    t_lon, t_lat = landsat_lonlat(landsat_path)
    source = geometry.SwathDefinition(lons=lon[valid], lats=lat[valid])
    target = geometry.SwathDefinition(lons=t_lon, lats=t_lat)
    k = 1 if method == "nearest" else neighbours
    _, valid_output, _, distance = kd_tree.get_neighbour_info(source, target, radius, neighbours=k)
    distance = np.asarray(distance, dtype=np.float64).reshape(-1, k)
    found = np.isfinite(distance)
    weight = np.ones_like(distance) if k == 1 else np.exp(-(distance**2) / sigma**2)
    quality = np.zeros((3, t_lon.size))
    quality[1] = np.nan
    count = found.sum(axis=1)
    with np.errstate(invalid="ignore"):
        quality[:, valid_output] = [
            count,
            np.where(count > 0, np.where(found, distance, np.inf).min(axis=1), np.nan),
            np.where(found, weight, 0.0).sum(axis=1),
        ]
    return quality.reshape(3, *t_lon.shape)
