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


def reference_interpolate(goci_path, landsat_path, wavelengths, method, invalid="skip",
                          pixels=None):  # fmt: skip
    """Return (bands, rows, cols) float64 per SPEC §3's interpolators (NaN = no value), or
    (bands, len(pixels)) at the flat Landsat pixel indices ``pixels`` only.

    Independent of the plugin's Newton iteration: the fractional GOCI index of each Landsat
    pixel centre is the closed-form inverse of the bilinear lon/lat patch (a quadratic) of the
    cell, among the four around the nearest GOCI pixel centre (scipy's KD-tree on lon/lat
    scaled by cos(lat)), whose solution lies in it; the Keys kernel is evaluated from its
    piecewise definition.
    """
    lon, lat, bands = read_goci_reference(goci_path, wavelengths)
    located = np.isfinite(lon) & np.isfinite(lat)
    r, c, shape = reference_index(goci_path, landsat_path, pixels)
    out = []
    for wavelength in wavelengths:
        values = np.where(located, bands[wavelength], np.nan)
        result = np.full(r.size, np.nan)
        has = np.flatnonzero(np.isfinite(r))
        result[has] = [_interpolate_one(values, r[k], c[k], method, invalid) for k in has]
        out.append(result.reshape(shape))
    return np.stack(out)


def reference_index(goci_path, landsat_path, pixels=None, margin=0.0):
    """(r, c, shape): the fractional GOCI index of every Landsat pixel centre (or of the flat
    indices ``pixels``), NaN off the grid (by more than ``margin`` pixels, the edge cells'
    patches extended), by the closed-form inverse of the bilinear lon/lat patch (see
    :func:`reference_interpolate`); ``shape`` is the shape to give r and c."""
    from scipy.spatial import cKDTree

    lon, lat, _ = read_goci_reference(goci_path, [])
    rows, cols = lon.shape
    located = np.isfinite(lon) & np.isfinite(lat)
    t_lon, t_lat = landsat_lonlat(landsat_path)
    shape = t_lon.shape
    t_lon, t_lat = t_lon.ravel(), t_lat.ravel()
    if pixels is not None:
        t_lon, t_lat, shape = t_lon[pixels], t_lat[pixels], (len(pixels),)
    scale = np.cos(np.deg2rad(np.nanmean(lat)))
    tree = cKDTree(np.column_stack([lon[located] * scale, lat[located]]))
    _, nearest = tree.query(np.column_stack([t_lon * scale, t_lat]))
    ni, nj = np.divmod(np.flatnonzero(located.ravel())[nearest], cols)
    r = np.full(t_lon.size, np.nan)
    c = np.full(t_lon.size, np.nan)
    for di in (-1, 0):
        for dj in (-1, 0):
            i, j = ni + di, nj + dj
            ok = (i >= 0) & (i <= rows - 2) & (j >= 0) & (j <= cols - 2) & np.isnan(r)
            s, t = _inverse_bilinear(lon, lat, i[ok], j[ok], t_lon[ok], t_lat[ok])
            low_s = np.where(i[ok] == 0, -margin, 0.0) - 1e-9
            high_s = np.where(i[ok] == rows - 2, 1 + margin, 1.0) + 1e-9
            low_t = np.where(j[ok] == 0, -margin, 0.0) - 1e-9
            high_t = np.where(j[ok] == cols - 2, 1 + margin, 1.0) + 1e-9
            inside = (s >= low_s) & (s <= high_s) & (t >= low_t) & (t <= high_t)
            where = np.flatnonzero(ok)[inside]
            r[where] = i[ok][inside] + np.clip(s[inside], low_s[inside], high_s[inside])
            c[where] = j[ok][inside] + np.clip(t[inside], low_t[inside], high_t[inside])
    return r, c, shape


def _inverse_bilinear(lon, lat, i, j, x, y):
    """(s, t): the solution of P(s, t) = (x, y) on the bilinear patch of cells (i, j), s along
    rows, t along columns; the root nearest the linear solution of the quadratic."""

    def corner(di, dj):
        return np.stack([lon[i + di, j + dj], lat[i + di, j + dj]])

    p00, p01, p10, p11 = corner(0, 0), corner(0, 1), corner(1, 0), corner(1, 1)
    a, b, e = p10 - p00, p01 - p00, p11 - p10 - p01 + p00
    d = np.stack([x, y]) - p00

    def cross(u, v):
        return u[0] * v[1] - u[1] * v[0]

    qa, qb, qc = cross(a, e), cross(a, b) - cross(d, e), -cross(d, b)
    with np.errstate(invalid="ignore", divide="ignore"):
        root = np.sqrt(qb * qb - 4 * qa * qc)
        s = 2 * qc / (-qb - np.copysign(root, qb))
        column = b + s * e
        t = ((d - s * a) * column).sum(axis=0) / (column * column).sum(axis=0)
    return s, t


def _keys(x, a=-0.5):
    """The Keys cubic convolution kernel W(x)."""
    x = abs(x)
    if x <= 1:
        return (a + 2) * x**3 - (a + 3) * x**2 + 1
    if x < 2:
        return a * x**3 - 5 * a * x**2 + 8 * a * x - 4 * a
    return 0.0


def _interpolate_one(values, r, c, method, invalid):
    """One pixel's value at fractional index (r, c), straight from SPEC §3."""
    rows, cols = values.shape
    i, j = min(int(np.floor(r)), rows - 2), min(int(np.floor(c)), cols - 2)
    fr, fc = r - i, c - j
    bilinear = {(i + di, j + dj): (fr if di else 1 - fr) * (fc if dj else 1 - fc)
                for di in (0, 1) for dj in (0, 1)}  # fmt: skip
    if method == "cubic":
        support = {}
        for di in (-1, 0, 1, 2):
            for dj in (-1, 0, 1, 2):
                w = _keys(fr - di) * _keys(fc - dj)
                key = (min(max(i + di, 0), rows - 1), min(max(j + dj, 0), cols - 1))
                support.setdefault(key, []).append(w)
        support = {key: sum(w) for key, w in support.items() if any(x != 0 for x in w)}
    else:
        support = {key: w for key, w in bilinear.items() if w != 0}
    if invalid == "propagate" and not all(np.isfinite(values[key]) for key in support):
        return np.nan
    if invalid == "cover" and not np.isfinite(
        values[int(np.floor(r + 0.5)), int(np.floor(c + 0.5))]
    ):
        return np.nan
    if method == "cubic" and all(np.isfinite(values[key]) for key in support):
        return sum(w * values[key] for key, w in support.items())
    valid = {key: w for key, w in bilinear.items() if np.isfinite(values[key])}
    norm = sum(valid.values())
    return sum(w * values[key] for key, w in valid.items()) / norm if norm != 0 else np.nan


def reference_footprints(goci_path, landsat_path):
    """SPEC §8 evaluated directly: ``(pixels (rows, cols), count (B, rows, cols), mean, std)``
    from the closed-form fractional index of every Landsat pixel centre (rounded; the grid
    extended half a pixel), grouped by GOCI pixel with a sort, each group's mean and std
    (ddof 0) by numpy; a GOCI pixel reached from the Landsat grid's outer rows or columns is
    flagged in the fourth result ``edge`` (rows, cols)."""
    lon, _, _ = read_goci_reference(goci_path, [])
    rows, cols = lon.shape
    r, c, shape = reference_index(goci_path, landsat_path, margin=0.5)
    r, c = r.reshape(shape), c.reshape(shape)
    inside = (r >= -0.5) & (r < rows - 0.5) & (c >= -0.5) & (c < cols - 0.5)
    flat = np.where(inside, np.floor(r + 0.5) * cols + np.floor(c + 0.5), -1).astype(np.int64)
    with rasterio.open(landsat_path) as dataset:
        landsat, nodata = dataset.read().astype(np.float64), dataset.nodata
    pixels = np.zeros(rows * cols, dtype=np.int64)
    np.add.at(pixels, flat[inside], 1)
    border = np.zeros(shape, dtype=bool)
    border[[0, -1]] = True
    border[:, [0, -1]] = True
    edge = np.zeros(rows * cols, dtype=bool)
    edge[flat[inside & border]] = True
    count = np.zeros((len(landsat), rows * cols), dtype=np.int64)
    mean = np.full((len(landsat), rows * cols), np.nan)
    std = np.full((len(landsat), rows * cols), np.nan)
    for b, band in enumerate(landsat):
        valid = inside & np.isfinite(band) & (band != nodata)
        order = np.argsort(flat[valid], kind="stable")
        keys, values = flat[valid][order], band[valid][order]
        groups, starts = np.unique(keys, return_index=True)
        for key, group in zip(groups, np.split(values, starts[1:])):
            count[b, key], mean[b, key], std[b, key] = group.size, group.mean(), group.std()
    return (
        pixels.reshape(rows, cols),
        count.reshape(-1, rows, cols),
        mean.reshape(-1, rows, cols),
        std.reshape(-1, rows, cols),
        edge.reshape(rows, cols),
    )
