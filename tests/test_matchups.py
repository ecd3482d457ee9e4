"""Match-ups at GOCI scale (SPEC §8) against a direct evaluation (``reference_footprints``:
closed-form fractional index, numpy per GOCI pixel) and fields with known answers."""

import contextlib
import json
import math
import os
import shutil
import subprocess
import sys

import netCDF4
import numpy as np
import pytest
import rasterio
from conftest import REPO
from netcdf_files import edited_copy
from reference import landsat_lonlat, reference_footprints
from rows import covers

from goci_resample_plugin.core import GociResampleError, RunControl
from goci_resample_plugin.core.matchups import match_pair
from goci_resample_plugin.core.options import MatchupOptions


def _read(nc):
    """(pixels, count, mean, std) of a match-up NetCDF, bands stacked in band order."""
    with netCDF4.Dataset(nc) as dataset:
        group = dataset["landsat_data"]
        bands = sorted(int(n[len("count_B") :]) for n in group.variables if n.startswith("count_B"))

        def stack(name):
            return np.stack([np.ma.filled(group[name.format(b)][:], np.nan) for b in bands])

        return (np.asarray(group["pixels"][:]), stack("count_B{}"), stack("L_TOA_B{}"),
                stack("L_TOA_B{}_std"))  # fmt: skip


def _assert_footprints_match(nc, goci, landsat):
    """SPEC §8's agreement: pixels and count identical on ≥ 99 % of GOCI pixels, means within
    1e-5 relative (float32 storage) where the counts agree."""
    pixels, count, mean, std = _read(nc)
    ref_pixels, ref_count, ref_mean, ref_std, _ = reference_footprints(goci, landsat)
    reached = (pixels > 0) | (ref_pixels > 0)
    assert reached.sum() > 500
    assert (pixels == ref_pixels)[reached].mean() >= 0.99
    same = (count == ref_count) & (count > 0)
    assert (count == ref_count)[:, reached].mean() >= 0.99
    np.testing.assert_allclose(mean[same], ref_mean[same], rtol=1e-5)
    np.testing.assert_allclose(std[same], ref_std[same], rtol=1e-3, atol=1e-4)
    return pixels, count, mean, std


@pytest.mark.parametrize("fixture", ["scene", "goci1_scene", "goci2_scene"])
def test_footprints_match_the_direct_evaluation(fixture, request, tmp_path):
    """GOCI-II (and land-masked, 12 bands) and GOCI-I: the NetCDF's pixels, counts, means
    and stds are SPEC §8's."""
    pair = request.getfixturevalue(fixture)
    result = match_pair(pair.goci, pair.landsat, tmp_path / "m.nc")
    _assert_footprints_match(result.files["netcdf"], pair.goci, pair.landsat)
    assert result.passing > 100


def _landsat_copy(scene, tmp_path, values):
    """A copy of ``scene``'s Landsat file with new band values (same grid and nodata)."""
    path = tmp_path / f"{scene.landsat.stem.split('_TOA')[0]}_TOA_RAD_B1-2-3-4-5.tif"
    with rasterio.open(scene.landsat) as dataset:
        profile = dataset.profile
        data = values(dataset.read().astype(np.float64), dataset.nodata)
    with rasterio.open(path, "w", **profile) as copy:
        copy.write(data.astype(profile["dtype"]))
    return path


def test_a_landsat_field_constant_over_each_footprint_comes_back_with_std_0(scene, tmp_path):
    """Landsat = a value per GOCI pixel (assigned as the reference assigns): the means are
    those values and the stds 0, except where a Landsat centre lies within rounding of a
    footprint boundary."""
    from reference import reference_index

    r, c, shape = reference_index(scene.goci, scene.landsat, margin=0.5)
    with netCDF4.Dataset(scene.goci) as dataset:
        rows, cols = dataset["navigation_data/latitude"].shape
    key = np.floor(r + 0.5) * cols + np.floor(c + 0.5)
    value = 10.0 + (np.nan_to_num(key, nan=0.0) % 97)  # a different constant per footprint

    def constant(data, nodata):
        inside = data[0] != nodata
        out = np.where(inside, value.reshape(shape), nodata)
        return np.stack([out] * len(data))

    landsat = _landsat_copy(scene, tmp_path, constant)
    result = match_pair(scene.goci, landsat, tmp_path / "m.nc")
    _, count, mean, std = _read(result.files["netcdf"])
    valid = count[0] > 0
    flat = np.arange(rows * cols).reshape(rows, cols)
    expected = 10.0 + flat % 97
    assert (std[0][valid] < 1e-4).mean() >= 0.99
    assert (np.abs(mean[0] - expected)[valid] < 1e-4).mean() >= 0.99


def test_the_nodata_border_lowers_coverage_and_the_grid_edge_zeroes_it(
    scene, goci1_scene, tmp_path
):
    """Footprints across the tilted scene's nodata border are partly covered; with data up to
    the Landsat grid's edge (a GOCI-I subset reaches past it), the GOCI pixels reached from its
    outer rows and columns (their footprints may leave the grid) never pass, while those
    inside do."""
    from osgeo import ogr

    result = match_pair(scene.goci, scene.landsat, tmp_path / "m.nc")
    pixels, count, _, _ = _read(result.files["netcdf"])
    coverage = np.where(pixels > 0, count[3] / np.maximum(pixels, 1), 0.0)
    assert ((coverage > 0.05) & (coverage < 0.95)).sum() > 20

    def filled(data, nodata):
        return np.where(data == nodata, np.nanmedian(np.where(data == nodata, np.nan, data)), data)

    landsat = _landsat_copy(goci1_scene, tmp_path, filled)
    result = match_pair(goci1_scene.goci, landsat, tmp_path / "full.nc")
    *_, edge = reference_footprints(goci1_scene.goci, landsat)
    source = ogr.Open(str(result.files["points"]))  # the layer lives only as long as it
    passes = {(f["row"], f["col"]): f["passes_660"] for f in source.GetLayer(0)}
    at_edge = [passes[key] for key in zip(*np.nonzero(edge)) if key in passes]
    inside = [value for key, value in passes.items() if not edge[key]]
    assert len(at_edge) > 20 and not any(at_edge)
    assert np.mean(inside) > 0.3  # GOCI fill pixels and the footprint mask fail some boxes


def test_a_coastline_in_landsat_fails_the_cv_test_and_open_water_passes(scene, tmp_path):
    """Landsat three times brighter west of a line (land): boxes across the line fail the
    Landsat CV test, boxes well away from it pass."""
    lon, _ = landsat_lonlat(scene.landsat)
    coast = np.median(lon)

    def brighter_land(data, nodata):
        land = (lon < coast) & (data[0] != nodata)
        return np.where(land[np.newaxis], data * 3.0, data)

    landsat = _landsat_copy(scene, tmp_path, brighter_land)
    result = match_pair(scene.goci, landsat, tmp_path / "m.nc")
    red = next(p for p in result.pairs if p["goci_nm"] == 660)
    assert red["failed"]["landsat_cv"] > 20
    from osgeo import ogr

    source = ogr.Open(str(result.files["points"]))  # the layer lives only as long as it
    layer = source.GetLayer(0)
    near, far = [], []
    spacing = 250 / (111_320 * np.cos(np.deg2rad(31.7)))  # one GOCI-II pixel, degrees lon
    for feature in layer:
        distance = abs(feature.GetGeometryRef().GetX() - coast) / spacing
        if feature["cv_landsat_660"] is None:
            continue
        (near if distance < 1.0 else far if distance > 3 else []).append(feature["cv_landsat_660"])
    assert min(near) > 0.15 and np.median(far) < 0.15


def _calibrated(dataset):
    """GOCI at 660 nm = 1.07 × its value + 2 (a known gain and offset against the truth)."""
    name = "geophysical_data/L_TOA_660"
    values = dataset[name][:]
    keep = np.isfinite(values) & (values != dataset[name].getncattr("_FillValue"))
    values[keep] = 1.07 * values[keep] + 2.0
    dataset[name][:] = values


def test_a_known_gain_and_offset_is_recovered(scene, tmp_path):
    """GOCI = 1.07 × truth + 2 (Landsat = truth): the orthogonal fit over the match-ups gives
    that gain and offset."""
    goci = edited_copy(scene.goci, tmp_path / scene.goci.name, _calibrated)
    result = match_pair(goci, scene.landsat, tmp_path / "m.nc")
    stats = next(p for p in result.pairs if p["goci_nm"] == 660)["statistics"]
    assert stats["slope"] == pytest.approx(1.07, abs=0.01)
    assert stats["intercept"] == pytest.approx(2.0, abs=0.6)
    assert stats["r2"] > 0.99


def test_statistics_equal_numpy_on_the_passing_match_ups(scene, tmp_path):
    """SPEC §7 at GOCI scale: the table's numbers are numpy float64's on the passing pixels."""
    result = match_pair(scene.goci, scene.landsat, tmp_path / "m.nc")
    with netCDF4.Dataset(result.files["netcdf"]) as dataset:
        passes = np.asarray(dataset["matchups/passes_660"][:]).astype(bool)
        landsat = np.ma.filled(dataset["landsat_data/L_TOA_B4"][:], np.nan).astype(np.float64)
    from reference import read_goci_reference

    _, _, bands = read_goci_reference(scene.goci, [660])
    x, y = landsat[passes], bands[660][passes]
    stats = next(p for p in result.pairs if p["goci_nm"] == 660)["statistics"]
    assert stats["count"] == passes.sum() > 100
    # the table holds the float64 means, the NetCDF float32 ones: compare at float32 precision
    assert stats["mean_landsat"] == pytest.approx(x.mean(), rel=1e-6)
    assert stats["mean_goci"] == pytest.approx(y.mean(), rel=1e-9)
    assert stats["bias"] == pytest.approx((y - x).mean(), rel=1e-4)
    assert stats["r2"] == pytest.approx(np.corrcoef(x, y)[0, 1] ** 2, rel=1e-6)
    rows = result.files["table"].read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("goci_band,goci_wavelength_nm") and len(rows) == 6
    import csv  # the CSV holds those very numbers (a user's script reads them from there)

    red = next(r for r in csv.DictReader(rows) if r["goci_wavelength_nm"] == "660")
    for column in ("mean_landsat", "mean_goci", "bias", "rmse", "r2", "slope", "intercept"):
        assert float(red[column]) == stats[column], column


def test_the_product_is_reused_redone_and_never_replaces_a_file_not_ours(scene, tmp_path):
    output = tmp_path / "Landsat_on_GOCI_x.nc"
    first = match_pair(scene.goci, scene.landsat, output)
    again = match_pair(scene.goci, scene.landsat, output)
    assert again.reused and again.passing == first.passing
    lines = []
    other = match_pair(scene.goci, scene.landsat, output, MatchupOptions(max_cv=0.05),
                       RunControl(log=lambda level, text: lines.append(text)))  # fmt: skip
    assert not other.reused and other.passing <= first.passing
    sidecar = json.loads(output.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["parameters"]["max_cv"] == 0.05
    theirs = tmp_path / "theirs" / "Landsat_on_GOCI_x.nc"
    theirs.parent.mkdir()
    (theirs.parent / "Landsat_on_GOCI_x.html").write_text("<html>my notes</html>")
    with pytest.raises(GociResampleError, match="not written by goci-resample"):
        match_pair(scene.goci, scene.landsat, theirs)
    assert (theirs.parent / "Landsat_on_GOCI_x.html").read_text() == "<html>my notes</html>"
    assert not theirs.exists()


def test_cancel_leaves_nothing(scene, tmp_path):
    from goci_resample_plugin.core import ResampleCancelled

    calls = []

    def cancelled():  # the third time it is asked: during the Landsat strips
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(ResampleCancelled):
        match_pair(scene.goci, scene.landsat, tmp_path / "m.nc",
                   control=RunControl(cancelled=cancelled))  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == []


def calibrated_root(tmp_path, count=3):
    """An input root of ``count`` 300 × 300 GOCI-II scenes of 20–22 April 2021 whose GOCI 660 nm
    band is 1.07 × the truth + 2 (Landsat is the truth)."""
    from sample_data import goci2_spec, write_scene

    root = tmp_path / "in"
    for n in range(count):
        spec = goci2_spec(scene=f"LC08_L1TP_11803{n}_2021042{n}_20210507_02_T1", width=300,
                          height=300, centre_lat=31.0 + 0.3 * n, seed=20 + n)  # fmt: skip
        pair = write_scene(root, spec)
        moved = edited_copy(pair.goci, tmp_path / pair.goci.name, _calibrated)
        pair.goci.write_bytes(moved.read_bytes())
    return root


def series_scenes(out):
    """{scene: match-ups at 660 nm} of ``matchups_fit.csv`` (its "all" row under "all"), and
    the scenes of ``matchups_all.csv``."""
    import csv

    fit = list(csv.DictReader((out / "matchups_fit.csv").open(encoding="utf-8")))
    counts = {row["scene"]: int(row["count"]) for row in fit if row["goci_wavelength_nm"] == "660"}
    rows = list(csv.DictReader((out / "matchups_all.csv").open(encoding="utf-8")))
    return counts, {row["scene"] for row in rows}


def test_a_batch_gives_every_scene_its_matchups_and_the_series_the_fit(tmp_path):
    """MATCHUPS in a batch of three scenes with GOCI = 1.07 × truth + 2 at 660 nm: each scene
    has its product and report figure, matchups_fit.csv recovers the gain and offset over all
    scenes (its "all" row sums the scenes'), matchups_all.csv lists every passing match-up
    with the scene's date; a scene whose input then changes drops out of the series."""
    import csv

    from goci_resample_plugin.core import run_batch
    from goci_resample_plugin.core.batch import discover_scenes
    from goci_resample_plugin.core.matchups.series import write_series
    from goci_resample_plugin.core.options import MatchupOptions

    root = calibrated_root(tmp_path)
    out = tmp_path / "out"
    batch = run_batch(root, out, matchups=True)
    assert batch.counts()["ok"] == 3
    fit = list(csv.DictReader((out / "matchups_fit.csv").open(encoding="utf-8")))
    red = [row for row in fit if row["goci_wavelength_nm"] == "660"]
    everything = next(row for row in red if row["scene"] == "all")
    assert float(everything["slope"]) == pytest.approx(1.07, abs=0.01)
    assert float(everything["intercept"]) == pytest.approx(2.0, abs=0.6)
    scenes = [row for row in red if row["scene"] != "all"]
    assert len(scenes) == 3 and {row["date"] for row in scenes} == {
        "2021-04-20", "2021-04-21", "2021-04-22"}  # fmt: skip
    assert int(everything["count"]) == sum(int(row["count"]) for row in scenes)
    report = list(csv.DictReader((out / "batch_report.csv").open(encoding="utf-8")))
    by_scene = {row["scene"]: int(row["matchups_passing"]) for row in report}
    assert by_scene == {row["scene"]: int(row["count"]) for row in scenes}
    rows = list(csv.DictReader((out / "matchups_all.csv").open(encoding="utf-8")))
    assert sum(row["goci_wavelength_nm"] == "660" for row in rows) == int(everything["count"])
    changed = sorted(root.iterdir())[0]
    goci = next(changed.glob("*.nc"))
    goci.write_bytes(goci.read_bytes()[:-1] + b"\0")
    assert write_series(out, discover_scenes(root), MatchupOptions().as_dict(), False) == 2
    fit = list(csv.DictReader((out / "matchups_fit.csv").open(encoding="utf-8")))
    assert changed.name not in {row["scene"] for row in fit}


def test_register_on_a_shifted_pair_raises_r2_and_keeps_the_passing_fraction(tmp_path):
    """GOCI's geolocation ~600 m off at a coast whose land is bright in Landsat: REGISTER finds
    the offset, and with the footprints lined up again R² rises and the RMSE falls. The
    screening tests each sensor's own homogeneity (and the land mask moves with GOCI's
    geolocation), so the fraction that passes stays the same: the pairing is what changes."""
    from sample_data import goci2_spec, is_land, write_scene

    spec = goci2_spec(width=1500, height=1500, seed=3, goci_offset_m=(-500.0, 350.0),
                      land_masked=True)  # fmt: skip
    pair = write_scene(tmp_path / "in", spec)
    lon, lat = landsat_lonlat(pair.landsat)
    land = is_land(lon, lat, spec)

    def bright_land(data, nodata):  # a real coast: land far brighter than water in Landsat
        return np.where(land[np.newaxis] & (data != nodata), data * 2.0, data)

    landsat = _landsat_copy(pair, tmp_path, bright_land)
    plain = match_pair(pair.goci, landsat, tmp_path / "plain" / "m.nc")
    fixed = match_pair(pair.goci, landsat, tmp_path / "fixed" / "m.nc", register=True)
    assert math.hypot(fixed.shift_east_m, fixed.shift_north_m) > 400
    red = {name: next(p for p in r.pairs if p["goci_nm"] == 660)
           for name, r in (("plain", plain), ("fixed", fixed))}  # fmt: skip
    fraction = {name: pair["passing"] / pair["candidates"] for name, pair in red.items()}
    assert fraction["fixed"] == pytest.approx(fraction["plain"], abs=0.005)
    assert red["fixed"]["statistics"]["r2"] > red["plain"]["statistics"]["r2"] + 0.01
    assert red["fixed"]["statistics"]["rmse"] < red["plain"]["statistics"]["rmse"]


def test_a_killed_runs_working_folder_is_removed_by_the_next_run(scene, tmp_path):
    """The points are made in a hidden working folder named like our temporaries: one a killed
    run left behind (its process gone) goes with the next run, a live run's stays."""
    import os

    dead = tmp_path / ".points.partial-4194303-abcdefgh"  # above Linux's largest pid
    (dead / "points.csv").parent.mkdir()
    (dead / "points.csv").write_text("lon,lat\n")
    alive = tmp_path / f".points.partial-{os.getpid()}-abcdefgh"
    alive.mkdir()
    match_pair(scene.goci, scene.landsat, tmp_path / "m.nc")
    assert not dead.exists() and alive.is_dir()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") and p != alive]


def test_a_cancelled_batch_leaves_a_series_of_the_scenes_done_and_a_resume_completes_it(tmp_path):
    """Cancelled once the first scene's match-ups have landed: the series holds exactly the
    scenes whose match-ups are on disk (its "all" row their sum); the resume adds the rest and
    reuses what was done."""
    from goci_resample_plugin.core import RunControl, run_batch

    root, out = calibrated_root(tmp_path), tmp_path / "out"

    def landed():
        return sorted(p.parent.name for p in out.rglob("Landsat_on_GOCI_*.nc"))

    batch = run_batch(
        root, out, matchups=True, control=RunControl(cancelled=lambda: bool(landed()))
    )
    assert batch.cancelled
    done = landed()
    assert 1 <= len(done) < 3
    counts, listed = series_scenes(out)
    assert sorted(set(counts) - {"all"}) == done and listed == set(done)
    assert counts["all"] == sum(counts[scene] for scene in done)
    products = {p: p.stat().st_mtime_ns for p in out.rglob("Landsat_on_GOCI_*.nc")}
    again = run_batch(root, out, matchups=True)
    assert again.counts()["failed"] == 0
    counts, listed = series_scenes(out)
    assert len(set(counts) - {"all"}) == 3 and len(listed) == 3
    assert counts["all"] == sum(v for k, v in counts.items() if k != "all")
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in products.items())  # reused


def test_the_points_carry_their_columns_whether_spatialite_or_ogr_makes_them(tmp_path, monkeypatch):
    """Every way of writing the GeoPackage (SpatiaLite's module making the points in a
    connection of our own, GDAL's SQL copying staged parts, or OGR's VRT where GDAL has no
    SpatiaLite) gives every row of the columns as a feature: the point at lon/lat, NaN as
    null, booleans as booleans, the extent of the points, and no spatial index."""
    from osgeo import ogr

    from goci_resample_plugin.core.matchups import points as files

    rng = np.random.default_rng(5)
    n = 3000
    columns = {"lon": rng.uniform(120.5, 122.7, n), "lat": rng.uniform(30.8, 32.6, n),
               "row": np.arange(n), "mean": np.where(rng.random(n) < 0.1, np.nan, rng.random(n)),
               "passes": rng.random(n) < 0.5}  # fmt: skip
    folder = tmp_path / "目录 with space's"
    folder.mkdir()
    assert files._write_direct(folder / "direct.gpkg", columns)  # no silent fallback
    assert files._write_by_sql(folder / "sql.gpkg", folder, columns, rows_per_copy=1000)
    assert not list(folder.glob("points*.sqlite"))  # each part removed once copied
    files._translate(folder / "vrt.gpkg", folder / "points.sqlite",
                     files._stage(folder / "points.sqlite", columns))  # fmt: skip
    # where SpatiaLite's module cannot be loaded, the file the direct way began is made again
    monkeypatch.setattr(files, "SPATIALITE_MODULE", "mod_missing_here")
    assert not files._write_direct(folder / "direct_failed.gpkg", columns)
    assert not (folder / "direct_failed.gpkg").exists()
    files.write_points(folder / "fallback.gpkg", columns)
    assert not list(folder.glob(".*"))  # no working folder left behind
    for made in ("direct.gpkg", "sql.gpkg", "vrt.gpkg", "fallback.gpkg"):
        source = ogr.Open(str(folder / made))  # the layer lives only as long as it
        layer = source.GetLayer(files.POINTS_LAYER)
        assert layer.GetFeatureCount() == n and not layer.TestCapability(ogr.OLCFastSpatialFilter)
        west, east, south, north = layer.GetExtent()
        expected = (
            [columns[c].min() for c in ("lon", "lat")],
            [columns[c].max() for c in ("lon", "lat")],
        )
        assert [west, south] == pytest.approx(expected[0], abs=1e-9)
        assert [east, north] == pytest.approx(expected[1], abs=1e-9)
        definition = layer.GetLayerDefn()
        passes = definition.GetFieldDefn(definition.GetFieldIndex("passes"))
        assert passes.GetSubType() == ogr.OFSTBoolean
        for feature in layer:
            i = feature["row"]
            point = feature.GetGeometryRef()
            assert (point.GetX(), point.GetY()) == (columns["lon"][i], columns["lat"][i])
            mean = columns["mean"][i]
            assert feature["mean"] is None if np.isnan(mean) else feature["mean"] == mean
            assert feature["passes"] == int(columns["passes"][i])


def test_the_compiled_staging_makes_the_table_pythons_sqlite3_makes(tmp_path):
    """The points' rows inserted by the compiled pass (numba calling SQLite's C API) and by
    Python's ``sqlite3`` give the same table: the same values to the bit, NaN as null, the
    same storage class per value (integers, reals, booleans as 0/1, float32 widened), over
    more rows than one compiled batch; and a GeoPackage made by the SQL copy counts its
    features as OGR's triggers would after the copy (they are dropped during it)."""
    import sqlite3

    from osgeo import ogr

    from goci_resample_plugin.core.matchups import points as files
    from goci_resample_plugin.core.matchups import sqlite_rows
    from goci_resample_plugin.core.matchups.sqlite_rows import ROWS_AT_ONCE

    rng = np.random.default_rng(8)
    n = ROWS_AT_ONCE + 1234
    columns = {"lon": rng.uniform(120.5, 122.7, n), "lat": rng.uniform(30.8, 32.6, n),
               "row": np.arange(n), "count": rng.integers(0, 2**40, n),
               "mean": np.where(rng.random(n) < 0.1, np.nan, rng.normal(80, 30, n)),
               "goci": rng.random(n).astype(np.float32), "whole": np.round(rng.random(n) * 9),
               "passes": rng.random(n) < 0.5}  # fmt: skip
    assert files._compiled_insert_rows() is not None and sqlite_rows._sqlite() is not None
    tables = []
    for compiled in (True, False):
        staged = tmp_path / f"compiled {compiled} 点.sqlite"
        kinds = files._stage(staged, columns, compiled=compiled)
        with contextlib.closing(sqlite3.connect(staged)) as connection:
            typed = ", ".join(f'"{n}", typeof("{n}")' for n in columns)
            tables.append((kinds, connection.execute(f"SELECT {typed} FROM points").fetchall()))
    assert tables[0] == tables[1] and len(tables[0][1]) == n
    direct = tmp_path / "direct.sqlite"  # the compiled pass itself ran (no silent fallback)
    assert sqlite_rows.insert_rows(direct, ["CREATE TABLE t (a REAL)"], "INSERT INTO t VALUES (?)",
                                   {"a": columns["mean"]})  # fmt: skip
    with contextlib.closing(sqlite3.connect(direct)) as connection:
        stored = [row[0] for row in connection.execute("SELECT a FROM t")]
    assert stored == [None if np.isnan(v) else v for v in columns["mean"].tolist()]
    first = tables[0][1][0]
    assert first[0] == columns["lon"][0] and first[7] == "integer"  # count
    assert sum(row[8] is None for row in tables[0][1]) == np.isnan(columns["mean"]).sum()

    made = [tmp_path / "copied.gpkg", tmp_path / "direct.gpkg"]
    assert files._write_by_sql(made[0], tmp_path, columns, rows_per_copy=7000)
    assert files._write_direct(made[1], columns)
    for points in made:
        with contextlib.closing(sqlite3.connect(points)) as connection:
            # the count OGR reports (GDAL 3.10 said 0 features, QGIS showed none in the table)
            [(kept,)] = connection.execute("SELECT feature_count FROM gpkg_ogr_contents").fetchall()
        assert kept == n
        layer_source = ogr.Open(str(points), update=1)
        layer = layer_source.GetLayer(files.POINTS_LAYER)
        assert layer.GetFeatureCount() == n
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT (121 31)"))
        layer.CreateFeature(feature)  # as a user editing the layer
        layer_source = None
        with contextlib.closing(sqlite3.connect(points)) as connection:
            triggers = connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                          "AND name LIKE '%feature_count%'").fetchall()  # fmt: skip
        assert len(triggers) == 2
        assert ogr.Open(str(points)).GetLayer(0).GetFeatureCount() == n + 1
    # where SpatiaLite's module is missing or lacks a function, nothing is inserted: the caller
    # writes the points the other way
    for extension, insert in (
        ("mod_missing_here", "INSERT INTO t VALUES (?)"),
        ("mod_spatialite", "INSERT INTO t VALUES (NoSuchFunction(?))"),
    ):
        assert not sqlite_rows.insert_rows(direct, [], insert, {"a": columns["mean"]}, extension)
        with contextlib.closing(sqlite3.connect(direct)) as connection:
            assert connection.execute("SELECT COUNT(*) FROM t").fetchone() == (n,)


def test_the_compiled_sums_equal_numpys_to_the_bit(scene):
    """The one compiled pass (numba) and numpy's ``bincount`` fallback (no numba) give the same
    counts, sums and flags to the bit on the scene's real Landsat values (its nodata border and
    NaN pixels), strip after strip, with GOCI pixels reached from several strips."""
    from goci_resample_plugin.core.matchups.footprints import FootprintSums

    with rasterio.open(scene.landsat) as dataset:
        landsat, nodata = dataset.read(), dataset.nodata
    landsat[2, 100:104] = np.nan
    bands, height, width = landsat.shape
    goci_shape = (40, 50)
    rng = np.random.default_rng(3)
    assigned = rng.integers(-1, goci_shape[0] * goci_shape[1], size=(height, width))
    made = []
    for compiled in (True, False):
        sums = FootprintSums(goci_shape, bands, nodata, (height, width), compiled=compiled)
        for row in range(0, height, 128):
            sums.add(row, assigned[row : row + 128], landsat[:, row : row + 128])
        made.append(sums)
    assert made[0]._accumulate is not None and made[1]._accumulate is None
    for name in ("pixels", "count", "total", "squares", "shift", "edge"):
        np.testing.assert_array_equal(getattr(made[0], name), getattr(made[1], name))
    assert 0 < made[0].count.sum() < made[0].pixels.sum() * bands  # valid and invalid ones


def test_a_geolocation_scan_line_without_values_assigns_no_landsat_pixel_near_it(scene, tmp_path):
    """One GOCI row without latitude/longitude: no Landsat pixel belongs to it, none whose
    exact index falls in a cell touching it belongs to its neighbours (the start index's
    shortcut must not carry them there), and everything else is as the reference says."""

    def edit(dataset):
        for name in ("latitude", "longitude"):
            values = dataset[f"navigation_data/{name}"][:]
            values[30] = np.nan
            dataset[f"navigation_data/{name}"][:] = values

    goci = edited_copy(scene.goci, tmp_path / "N_subset_footprint.nc", edit)
    lines = []
    result = match_pair(goci, scene.landsat, tmp_path / "m.nc",
                        control=RunControl(log=lambda level, text: lines.append(text)))  # fmt: skip
    assert not [line for line in lines if "starting again" in line]  # the fast engine's answer
    pixels, *_ = _assert_footprints_match(result.files["netcdf"], goci, scene.landsat)
    full, *_ = reference_footprints(scene.goci, scene.landsat)
    reached = full[30] > 0
    assert reached.sum() > 20 and (pixels[30] == 0).all()
    # rows 29 and 31 keep only the Landsat pixels of their cells away from row 30: about half
    for row in (29, 31):
        kept = pixels[row][reached].sum() / full[row][reached].sum()
        assert 0.35 < kept < 0.65
    np.testing.assert_array_equal(pixels[:28], full[:28])


FULL_DISK_MATCHUPS = """
import os, sys
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import GociResampleError
from goci_resample_plugin.core.matchups import match_pair
try:
    match_pair({goci!r}, {landsat!r}, {output!r})
except GociResampleError as error:
    print("ERROR", error)
else:
    print("WRITTEN")
print("LEFT", sorted(str(p) for p in __import__("pathlib").Path({folder!r}).rglob("*")))
disk = os.statvfs({folder!r})
print("FREE", disk.f_bfree / disk.f_blocks)
"""


@pytest.mark.parametrize("size_kb", [150, 500, 1000])
def test_a_full_disk_is_a_clear_error_that_leaves_nothing_and_frees_its_space(scene, tmp_path,
                                                                              size_kb):  # fmt: skip
    """A real full disk (a tmpfs of a few hundred kB in a mount namespace of its own; the
    product needs 1.6 MB) stops the match-ups wherever it strikes (the NetCDF, the points'
    staging or copy, the report) with the message naming the folder and the fix: no
    traceback, no file left, and its space free again (HDF5 keeps a NetCDF it failed to
    close open; the temporary is emptied)."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs unshare and root for a private mount namespace")
    folder = tmp_path / "disk 满"
    folder.mkdir()
    output = folder / "out" / "m.nc"
    code = FULL_DISK_MATCHUPS.format(repo=str(REPO), goci=str(scene.goci),
                                     landsat=str(scene.landsat), output=str(output),
                                     folder=str(folder))  # fmt: skip
    script = f'mount -t tmpfs -o size={size_kb}k tmpfs "$0" && exec "$@"'
    completed = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script,
                                str(folder), sys.executable, "-c", code],
                               capture_output=True, text=True, timeout=300)  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].startswith("ERROR"), completed.stdout
    assert "Check the free space" in lines[0] and str(output.parent) in lines[0]
    assert lines[-2] == f"LEFT {[str(output.parent)]}"
    assert float(lines[-1].split()[1]) > 0.99


@pytest.mark.parametrize("box", [3, 5])
def test_the_screening_equals_a_box_by_box_evaluation(box):
    """SPEC §8's screening evaluated box by box (numpy's mean and std of each box's pixels,
    a box leaving the grid failing) on fields with NaN GOCI pixels, coverage gaps and a
    coastline step: the same CVs to 1e-12, the same passes and the same counts per reason."""
    from goci_resample_plugin.core.matchups.screen import REASONS, screen

    rng = np.random.default_rng(11 + box)
    rows, cols = 40, 50
    landsat = rng.normal(80, 2, (rows, cols))
    landsat[:, 30:] *= 0.3  # a coastline: boxes across it fail the CV test
    landsat[rng.random((rows, cols)) < 0.02] = np.nan  # no Landsat mean
    goci = landsat * 1.05 + rng.normal(0, 1.5, (rows, cols))
    goci[rng.random((rows, cols)) < 0.02] = np.nan
    coverage = np.where(np.isfinite(landsat), rng.uniform(0.47, 1.0, (rows, cols)), 0.0)
    max_cv, min_coverage = 0.04, 0.5
    made = screen(goci, landsat, coverage, box, max_cv, min_coverage)
    half = box // 2
    expected = {name: np.full((rows, cols), np.nan) for name in ("landsat", "goci")}
    passes = np.zeros((rows, cols), dtype=bool)
    failed = dict.fromkeys(REASONS, 0)
    for r in range(rows):
        for c in range(cols):
            if not np.isfinite(landsat[r, c]):
                continue
            inside = half <= r < rows - half and half <= c < cols - half
            window = (slice(r - half, r + half + 1), slice(c - half, c + half + 1))
            covered = inside and bool((coverage[window] >= min_coverage).all())
            valid = inside and bool(np.isfinite(goci[window]).all())
            for name, values, usable in (("landsat", landsat, covered), ("goci", goci, valid)):
                box_values = values[window]
                if usable and np.isfinite(box_values).all() and box_values.mean() > 0:
                    expected[name][r, c] = box_values.std() / box_values.mean()
            tests = [covered, valid, expected["landsat"][r, c] <= max_cv,
                     expected["goci"][r, c] <= max_cv]  # fmt: skip
            reason = next((name for name, ok in zip(REASONS, tests) if not ok), None)
            if reason is None:
                passes[r, c] = True
            else:
                failed[reason] += 1
    np.testing.assert_allclose(made.cv_landsat, expected["landsat"], rtol=1e-12, atol=0)
    np.testing.assert_allclose(made.cv_goci, expected["goci"], rtol=1e-12, atol=0)
    np.testing.assert_array_equal(made.passes, passes)
    assert made.failed == failed
    assert passes.sum() > 50 and all(failed.values())  # every test bites


@covers("products-in-the-scene-folder")
def test_a_batch_writing_into_its_input_root_finds_the_same_pairs_the_next_time(tmp_path):
    """OUTPUT_ROOT = INPUT_ROOT: the match-ups (``Landsat_on_GOCI_<goci stem>.nc``) and the
    resampled rasters land in the scene folders; the next run must not take them for a second
    GOCI or Landsat file of the scene (every scene "holds 2 GOCI files")."""
    from goci_resample_plugin.core import run_batch

    root = calibrated_root(tmp_path, count=1)
    first = run_batch(root, root, matchups=True)
    assert first.counts()["ok"] == 1
    [scene] = [p for p in root.iterdir() if p.is_dir()]
    assert list(scene.glob("Landsat_on_GOCI_*.nc")) and list(scene.glob("GOCI_on_Landsat_*.tif"))
    again = run_batch(root, root, matchups=True)
    assert again.counts()["skipped"] == 1, [(r.status, r.message) for r in again.scenes]


def test_landsat_read_in_many_small_strips_gives_the_same_footprints(scene, tmp_path):
    """The Landsat strips are buffers used in turn while the next is read and the last one is
    summed: a Landsat file of 32-row tiles (a strip each, so every buffer is reused many times)
    gives the very same footprints as the scene's own file."""
    from goci_resample_plugin.core.read.tiff_tiles import tile_reader

    small = tmp_path / f"{scene.landsat.stem}_small_tiles.tif"
    with rasterio.open(scene.landsat) as source:
        profile = source.profile | {"tiled": True, "blockxsize": 32, "blockysize": 32,
                                    "compress": "deflate", "predictor": 3}  # fmt: skip
        with rasterio.open(small, "w", **profile) as copy:
            copy.write(source.read())
            copy.update_tags(**source.tags())
            for band in range(1, source.count + 1):
                copy.update_tags(band, **source.tags(band))
                copy.set_band_description(band, source.descriptions[band - 1])
    from goci_resample_plugin.core.read import read_target_grid

    assert tile_reader(read_target_grid(small)) is not None
    assert read_target_grid(small).height > 8 * 32
    first = match_pair(scene.goci, scene.landsat, tmp_path / "a" / "m.nc")
    second = match_pair(scene.goci, small, tmp_path / "b" / "m.nc")
    for made, again in zip(_read(first.files["netcdf"]), _read(second.files["netcdf"])):
        np.testing.assert_array_equal(made, again)
