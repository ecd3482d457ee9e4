"""Bilinear and cubic in GOCI's index space (SPEC §3 "Interpolators"), against an independent
reference (closed-form inverse of the bilinear geolocation, the Keys kernel from its
definition: ``reference.reference_interpolate``) and against fields they must reproduce."""

import json

import numpy as np
import pytest
import rasterio
from netcdf_files import edited_copy, load, save
from reference import reference_index, reference_interpolate

from goci_resample_plugin.core import ResampleOptions, RunControl, resample_pair

CASES = [(m, p) for m in ("bilinear", "cubic") for p in ("skip", "propagate", "cover")]
SAMPLE = 20_000
"""Landsat pixels the per-pixel reference evaluates (random, seeded)."""


def _run(goci, landsat, output, method, invalid="skip", engine="auto", **options):
    result = resample_pair(goci, landsat, output,
                           ResampleOptions(method=method, invalid=invalid, **options),
                           engine=engine)  # fmt: skip
    with rasterio.open(result.output) as dataset:
        return dataset.read().astype(np.float64), result


def _sample(shape, seed=0):
    return np.random.default_rng(seed).choice(shape[0] * shape[1], SAMPLE, replace=False)


def _assert_within_spec(ours, reference):
    """SPEC §3 for the interpolators: relative difference ≤ 1e-4 on 99.9 % and ≤ 1e-3 on all
    pixels valid in both; NaN pattern identical except ≤ 1e-4 of pixels (at least one)."""
    both = np.isfinite(ours) & np.isfinite(reference)
    assert both.mean() > 0.2, "the case must be a real one"
    relative = np.abs(ours[both] - reference[both]) / np.abs(reference[both])
    assert np.quantile(relative, 0.999) <= 1e-4 and relative.max() <= 1e-3, relative.max()
    mismatch = int((np.isfinite(ours) != np.isfinite(reference)).sum())
    assert mismatch <= max(1, 1e-4 * ours.size), f"NaN pattern differs on {mismatch} pixels"


def _agree(pair, tmp_path, method, invalid, wavelengths=(), engine="auto"):
    ours, result = _run(pair.goci, pair.landsat, tmp_path / "o.tif", method, invalid, engine,
                        wavelengths=wavelengths)  # fmt: skip
    pixels = _sample(ours.shape[1:])
    wavelengths = [band["wavelength_nm"] for band in result.bands][:3]
    reference = reference_interpolate(pair.goci, pair.landsat, wavelengths, method, invalid,
                                      pixels)  # fmt: skip
    _assert_within_spec(ours.reshape(len(ours), -1)[:3, pixels], reference)
    return result


@pytest.mark.parametrize(("method", "invalid"), CASES)
def test_goci2_land_masked_scene_matches_reference(goci2_scene, tmp_path, method, invalid):
    """The user's real data: 250 m, 12 bands, land at _FillValue, NaN raw-invalid pixels."""
    result = _agree(goci2_scene, tmp_path, method, invalid, wavelengths=(443, 660, 865))
    assert result.engine == "grid"
    assert result.output.name == "o.tif"


@pytest.mark.parametrize("method", ["bilinear", "cubic"])
def test_every_band_of_a_12_band_subset_is_right_along_the_coast(goci2_scene, tmp_path, method):
    """More bands than the kernel weighs at once (8): where the first bands' support meets
    land, the last four are still interpolated, not left as whatever the strip held."""
    ours, result = _run(goci2_scene.goci, goci2_scene.landsat, tmp_path / "o.tif", method)
    assert len(ours) == 12 and result.engine == "grid"
    first = np.isfinite(ours[0])
    land_near = np.zeros_like(first)
    for shift in (-12, 12):  # about one GOCI-II pixel (250 m) of 30 m Landsat pixels
        land_near |= ~np.roll(first, shift, axis=0) | ~np.roll(first, shift, axis=1)
    coast = np.flatnonzero(first & land_near)
    assert coast.size > SAMPLE, "the scene must have a coast"
    pixels = np.random.default_rng(1).choice(coast, SAMPLE, replace=False)
    wavelengths = [band["wavelength_nm"] for band in result.bands][8:]
    reference = reference_interpolate(goci2_scene.goci, goci2_scene.landsat, wavelengths,
                                      method, "skip", pixels)  # fmt: skip
    _assert_within_spec(ours.reshape(len(ours), -1)[8:, pixels], reference)


@pytest.mark.parametrize(("method", "invalid"), CASES)
def test_goci1_500m_scene_matches_reference(goci1_scene, tmp_path, method, invalid):
    _agree(goci1_scene, tmp_path, method, invalid)


@pytest.mark.parametrize("method", ["bilinear", "cubic"])
def test_rotated_old_generation_scene_matches_reference(old_scene, tmp_path, method):
    _agree(old_scene, tmp_path, method, "skip")


@pytest.mark.parametrize("method", ["bilinear", "cubic"])
def test_without_numba_the_numpy_engine_gives_the_same_numbers(scene, tmp_path, method):
    """The numpy index-space engine (what runs without numba) and the grid engine agree to
    float32 rounding, values and quality bands alike."""
    out = {}
    for engine in ("grid", "kdtree"):
        result = resample_pair(scene.goci, scene.landsat, tmp_path / engine / "o.tif",
                               ResampleOptions(method=method, invalid="cover"), engine=engine,
                               quality_output=tmp_path / engine / "qa.tif")  # fmt: skip
        with rasterio.open(result.output) as a, rasterio.open(tmp_path / engine / "qa.tif") as q:
            out[engine] = (a.read().astype(np.float64), q.read().astype(np.float64), result)
    (grid, grid_qa, grid_result), (numpy_, numpy_qa, numpy_result) = out["grid"], out["kdtree"]
    assert (grid_result.engine, numpy_result.engine) == ("grid", "index")
    assert (np.isnan(grid) == np.isnan(numpy_)).all()
    valid = np.isfinite(grid)
    assert valid.mean() > 0.3
    np.testing.assert_allclose(grid[valid], numpy_[valid], rtol=1e-6)
    np.testing.assert_array_equal(grid_qa[0], numpy_qa[0])
    np.testing.assert_allclose(grid_qa[1:], numpy_qa[1:], rtol=1e-5, equal_nan=True)


def _field_scene(scene, tmp_path, field):
    """A copy of ``scene``'s GOCI file where every pixel is valid (mask all inside) and the
    first two bands hold ``field(row, col)``."""

    def edit(dataset):
        rows, cols = dataset["navigation_data/latitude"].shape
        row, col = np.mgrid[0:rows, 0:cols].astype(np.float64)
        dataset["mask/inside_mask"][:] = 1
        names = sorted(dataset["geophysical_data"].variables)[:2]
        for name, values in zip(names, field(row, col)):
            dataset[f"geophysical_data/{name}"][:] = values

    return edited_copy(scene.goci, tmp_path / "F_subset_footprint.nc", edit)


@pytest.mark.parametrize(("method", "degree"), [("bilinear", 1), ("cubic", 1), ("cubic", 2)])
def test_fields_the_method_reproduces_come_out_exactly(scene, tmp_path, method, degree):
    """A GOCI field linear in (row, col) is reproduced exactly by both methods and a quadratic
    one by cubic (Keys a = −0.5 reproduces polynomials up to degree 2), away from the clamped
    edge: the output is then the field at the exact fractional index, so an index off by
    1e-4 pixel or a wrong weight shows."""

    def field(row, col):
        if degree == 1:
            return [100.0 * row, 100.0 * col]
        return [1e3 + 0.02 * (row - 60) ** 2 + 0.5 * row, 1e3 + 0.01 * (row - 40) * (col - 50)]

    goci = _field_scene(scene, tmp_path, field)
    ours, result = _run(goci, scene.landsat, tmp_path / "o.tif", method)
    r, c, shape = reference_index(goci, scene.landsat)
    r, c = r.reshape(shape), c.reshape(shape)
    rows, cols = _goci_shape(goci)
    margin = 1 if method == "cubic" else 0
    inner = (r >= margin) & (r <= rows - 1 - margin) & (c >= margin) & (c <= cols - 1 - margin)
    assert inner.mean() > 0.5
    expected = np.stack(field(r, c))
    error = np.abs(ours[:2] - expected)[:, inner]
    scale = 100.0 if degree == 1 else np.abs(expected[:, inner]).max()
    assert error.max() / scale <= 1e-4, error.max() / scale
    assert np.isnan(ours[:, ~np.isfinite(r)]).all()  # nothing outside the grid
    assert result.engine == "grid"


def test_no_value_outside_the_goci_grid(scene, tmp_path):
    """A GOCI grid cropped to a band of rows: Landsat pixels beyond its first and last row
    get no value (no extrapolation), those inside do, and the edge lies where the reference
    puts it."""
    content = load(scene.goci)
    for variables in content.values():
        for entry in variables.values():
            if np.ndim(entry[3]) == 2:
                entry[3] = entry[3][20:45]
    goci = save(content, tmp_path / "C_subset_footprint.nc")
    ours, _ = _run(goci, scene.landsat, tmp_path / "o.tif", "bilinear")
    r, _, shape = reference_index(goci, scene.landsat)
    off = ~np.isfinite(r.reshape(shape))
    assert 0.2 < off.mean() < 0.9
    assert np.isnan(ours[:, off]).all()
    pixels = _sample(shape)
    reference = reference_interpolate(goci, scene.landsat, [443], "bilinear", "skip", pixels)
    _assert_within_spec(ours[:1].reshape(1, -1)[:, pixels], reference)


def test_a_south_up_landsat_grid_gives_the_north_up_result_flipped(scene, tmp_path):
    """The same pixel centres in a south-up GeoTIFF (positive row step): the same values,
    rows in the file's order."""
    south_up = tmp_path / "S_TOA_RAD_B1-2-3-4-5.tif"
    with rasterio.open(scene.landsat) as dataset:
        profile = dataset.profile
        t = dataset.transform
        profile["transform"] = rasterio.Affine(t.a, t.b, t.c, t.d, -t.e, t.f + t.e * dataset.height)
        with rasterio.open(south_up, "w", **profile) as flipped:
            flipped.write(dataset.read()[:, ::-1])
    north, _ = _run(scene.goci, scene.landsat, tmp_path / "n.tif", "cubic")
    south, _ = _run(scene.goci, south_up, tmp_path / "s.tif", "cubic")
    south = south[:, ::-1]
    assert (np.isnan(north) != np.isnan(south)).mean() <= 1e-4
    both = np.isfinite(north) & np.isfinite(south)
    assert both.mean() > 0.3
    np.testing.assert_allclose(south[both], north[both], rtol=1e-5)


@pytest.mark.parametrize("method", ["bilinear", "cubic"])
def test_a_geolocation_scan_line_without_values(scene, tmp_path, method):
    """One GOCI row without latitude/longitude: the cells that touch it have no index (their
    Landsat pixels get no value), everything else is as the reference says — no traceback,
    no smear of the hole."""

    def edit(dataset):
        for name in ("latitude", "longitude"):
            values = dataset[f"navigation_data/{name}"][:]
            values[30] = np.nan
            dataset[f"navigation_data/{name}"][:] = values

    goci = edited_copy(scene.goci, tmp_path / "N_subset_footprint.nc", edit)
    ours, _ = _run(goci, scene.landsat, tmp_path / "o.tif", method, wavelengths=(443, 660))
    pixels = _sample(ours.shape[1:])
    reference = reference_interpolate(goci, scene.landsat, [443, 660], method, "skip", pixels)
    _assert_within_spec(ours[:2].reshape(2, -1)[:, pixels], reference)
    r, _, shape = reference_index(scene.goci, scene.landsat)
    touching = ((r > 29) & (r < 31)).reshape(shape)
    assert touching.sum() > 1000 and np.isnan(ours[:, touching]).all()


def test_radius_sigma_neighbours_play_no_part(scene, tmp_path):
    """They are not recorded, a change of them reuses the output, and the log says once per
    session that they do not apply."""
    lines = []
    control = RunControl(log=lambda level, text: lines.append(text))
    output = tmp_path / "GOCI_on_Landsat_x_BILINEAR.tif"
    options = ResampleOptions(method="bilinear", radius_m=500.0, sigma_m=100.0, wavelengths=(443,))
    first = resample_pair(scene.goci, scene.landsat, output, options, control)
    sidecar = json.loads(first.sidecar.read_text(encoding="utf-8"))
    assert "radius_m" not in sidecar["parameters"] and sidecar["parameters"]["method"] == "bilinear"
    with rasterio.open(output) as dataset:
        assert "RADIUS_M" not in dataset.tags() and dataset.tags()["METHOD"] == "bilinear"
    resample_pair(scene.goci, scene.landsat, tmp_path / "other.tif", options, control)
    assert sum("RADIUS, SIGMA play no part in the bilinear method" in x for x in lines) == 1
    again = resample_pair(scene.goci, scene.landsat, output,
                          ResampleOptions(method="bilinear", wavelengths=(443,)))  # fmt: skip
    assert again.reused
    assert ResampleOptions(method="cubic").suffix == "CUBIC"


def _goci_shape(path):
    import netCDF4

    with netCDF4.Dataset(path) as dataset:
        return dataset["navigation_data/latitude"].shape


def test_newton_finds_the_closed_form_index(goci2_scene):
    """The fractional GOCI index by Newton (as the engines find it) equals the closed-form
    inverse of the bilinear geolocation to far below SPEC's 1e-5 pixel."""
    from reference import landsat_lonlat, read_goci_reference

    from goci_resample_plugin.core.resample.index_space import fractional_index

    pixels = _sample((900, 900))
    lon, lat, _ = read_goci_reference(goci2_scene.goci, [])
    t_lon, t_lat = (values.ravel()[pixels] for values in landsat_lonlat(goci2_scene.landsat))
    expected_r, expected_c, _ = reference_index(goci2_scene.goci, goci2_scene.landsat, pixels)
    on = np.isfinite(expected_r)
    assert on.mean() > 0.5
    start_r, start_c = np.rint(expected_r[on]) + 0.4, np.rint(expected_c[on]) - 0.4
    r, c = fractional_index(lon, lat, t_lon[on], t_lat[on], start_r, start_c)
    error = np.maximum(np.abs(r - expected_r[on]), np.abs(c - expected_c[on]))
    assert error.max() <= 1e-7, error.max()
