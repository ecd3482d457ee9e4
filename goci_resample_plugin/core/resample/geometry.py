"""Where points are: pyresample's sphere, 3-D positions and the GOCI pixel spacing.

Points live on a sphere of radius ``EARTH_RADIUS_M`` and distances are 3-D chords, as in
pyresample's ``kd_tree`` (SPEC §3).
"""

import numpy as np

EARTH_RADIUS_M = 6370997.0
"""Radius (metres) of pyresample's sphere."""


def lonlat_to_xyz(lon, lat):
    """Return (n, 3) float64 Cartesian coordinates in metres of points given in degrees.

    Same formula as pyresample's ``Cartesian.transform_lonlats``:
    x = R cos φ cos λ, y = R cos φ sin λ, z = R sin φ with R = ``EARTH_RADIUS_M``.
    """
    lon = np.deg2rad(np.asarray(lon, dtype=np.float64).ravel())
    lat = np.deg2rad(np.asarray(lat, dtype=np.float64).ravel())
    xyz = np.empty((lon.size, 3), dtype=np.float64)
    cos_lat = np.cos(lat)
    xyz[:, 0] = EARTH_RADIUS_M * cos_lat * np.cos(lon)
    xyz[:, 1] = EARTH_RADIUS_M * cos_lat * np.sin(lon)
    xyz[:, 2] = EARTH_RADIUS_M * np.sin(lat)
    return xyz


def shifted_lonlat(lon, lat, east_m, north_m):
    """(lon, lat) in degrees of points moved ``east_m`` east and ``north_m`` north (metres) in
    each point's local tangent plane on the sphere (accurate to millimetres for moves of a
    few kilometres)."""
    lat_rad = np.deg2rad(lat)
    return (
        lon + np.rad2deg(east_m / (EARTH_RADIUS_M * np.cos(lat_rad))),
        lat + np.rad2deg(north_m / EARTH_RADIUS_M),
    )


def goci_pixel_spacing_m(subset):
    """Median distance (metres) between neighbouring located GOCI pixels along rows and cols."""
    located = subset.geolocation_valid
    xyz = lonlat_to_xyz(subset.longitude, subset.latitude).reshape(*subset.shape, 3)
    xyz[~located] = np.nan
    steps = [np.linalg.norm(np.diff(xyz, axis=axis), axis=2) for axis in (0, 1)]
    finite = np.concatenate([step[np.isfinite(step)] for step in steps])
    return float(np.median(finite)) if finite.size else float("nan")
