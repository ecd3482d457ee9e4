"""Match-ups on a user's bad day (review of 2026-12-07): a batch's series while inputs are
renamed away and products are remade with other settings, a cancel during a scene's
match-ups, band pairs and boxes that cannot work, GDAL's exception switch, REGISTER with an
input rewritten after it was measured, and Landsat files with odd tile tags."""

import csv
import os
import struct

import numpy as np
import pytest
from test_landsat_tiles import TAKEN, _landsat
from test_matchups import calibrated_root

from goci_resample_plugin.core import GociResampleError, RunControl, run_batch
from goci_resample_plugin.core.batch import discover_scenes
from goci_resample_plugin.core.matchups import match_pair, matchup_name, series
from goci_resample_plugin.core.matchups.series import SeriesWriter, series_paths, write_series
from goci_resample_plugin.core.options import MAX_BOX, MatchupOptions
from goci_resample_plugin.core.read import landsat_strips, read_target_grid


def _series_scenes(out):
    """Scene names of the "all"-less rows of matchups_fit.csv and of matchups_all.csv."""
    all_path, fit_path = series_paths(out)
    fit = {row["scene"] for row in csv.DictReader(fit_path.open(encoding="utf-8"))}
    listed = {row["scene"] for row in csv.DictReader(all_path.open(encoding="utf-8"))}
    return fit - {"all"}, listed


def test_the_series_leaves_out_renamed_inputs_and_other_settings_and_is_not_rewritten_per_row(
    tmp_path, monkeypatch
):
    """After a batch with MATCHUPS: the land-mask step renames one scene's GOCI file away
    while it rewrites it, and the user remakes another scene's match-ups with BOX 5. The
    series then holds only the third scene (no error for the missing file: the batch went on),
    and thirty finished scenes in a row write it only a few times, the last one landing."""
    root, out = calibrated_root(tmp_path), tmp_path / "out"
    assert run_batch(root, out, matchups=True).counts()["ok"] == 3
    scenes = discover_scenes(root)
    renamed, remade, kept = scenes
    os.rename(renamed.goci, f"{renamed.goci}.bak")
    match_pair(remade.goci, remade.landsat, out / remade.name / matchup_name(remade.goci),
               MatchupOptions(box=5), overwrite=True)  # fmt: skip
    defaults = MatchupOptions().as_dict()
    assert write_series(out, scenes, defaults, False) == 1
    assert _series_scenes(out) == ({kept.name}, {kept.name})
    assert write_series(out, scenes, defaults, True) == 0  # none was made with REGISTER
    writes = []

    def counted(*arguments):  # the real writer, counted
        writes.append(arguments)
        return write_series(*arguments)

    monkeypatch.setattr(series, "write_series", counted)
    writer = SeriesWriter(out, scenes, defaults, False)
    for _ in range(30):
        writer.scene_finished()
    writer.close()
    assert 2 <= len(writes) <= 5  # the first at once, the rest deferred to the end (was 30)
    assert _series_scenes(out) == ({kept.name}, {kept.name})


def test_a_cancel_during_a_scenes_matchups_stops_the_batch_without_an_ok_row(tmp_path):
    """Cancelled once the first scene's raster has landed, while its match-ups are made: the
    batch is cancelled and no row says "ok ... match-ups failed: Cancelled"; the resume makes
    them."""
    root, out = calibrated_root(tmp_path, count=2), tmp_path / "out"

    def raster_landed():
        return any(out.rglob("GOCI_on_Landsat_*.json"))

    batch = run_batch(root, out, matchups=True, control=RunControl(cancelled=raster_landed))
    assert batch.cancelled
    report = list(csv.DictReader((out / "batch_report.csv").open(encoding="utf-8")))
    assert not [row for row in report if "match-ups failed" in row["message"]]
    assert not [row for row in report if row["status"] == "ok"]
    again = run_batch(root, out, matchups=True)
    assert again.counts()["failed"] == 0 and len(list(out.rglob("Landsat_on_GOCI_*.json"))) == 2


@pytest.mark.parametrize(
    ("options", "fragment"),
    [({"band_pairs": ((660, 4), (660, 3))}, "660 nm more than once"),
     ({"box": MAX_BOX + 2}, f"from 1 to {MAX_BOX}")],
    ids=["repeated-goci-band", "box-too-large"],
)  # fmt: skip
def test_band_pairs_and_boxes_that_cannot_work_are_refused(options, fragment):
    """A GOCI band given twice (its screening, NetCDF variable and points were keyed by
    wavelength: the second pair silently replaced the first) and a box whose screening would
    run for hours without a cancel are refused with a message."""
    with pytest.raises(GociResampleError, match=fragment):
        MatchupOptions(**options)


def test_the_matchups_leave_gdals_exception_switch_as_they_found_it(scene, tmp_path):
    """GDAL's Python exceptions are one switch for the whole QGIS process (GDAL < 3.7):
    another plugin relying on the default (off) must find it off after a run."""
    from osgeo import gdal

    gdal.DontUseExceptions()
    try:
        match_pair(scene.goci, scene.landsat, tmp_path / "m.nc")
        assert not gdal.GetUseExceptions()
    finally:
        gdal.UseExceptions()  # as the rest of the test session had it


def test_an_input_rewritten_after_register_measured_it_is_not_vouched_for(scene, tmp_path):
    """The land-mask step rewrites the GOCI file once REGISTER has measured the offset and
    before the resampling reads it: the output would carry an offset measured on another
    file, so nothing lands and the message names the input."""
    from goci_resample_plugin.core.compare import resample_registered

    def rewrite_once_measured(level, text):  # REGISTER says what it measured, then resamples
        if text.startswith("REGISTER:") and not rewritten:
            stat = os.stat(scene.goci)
            os.utime(scene.goci, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
            rewritten.append(True)

    rewritten = []
    output = tmp_path / "registered.tif"
    with pytest.raises(GociResampleError, match="changed"):
        resample_registered(scene.goci, scene.landsat, output,
                            control=RunControl(log=rewrite_once_measured))  # fmt: skip
    assert rewritten and not output.exists()


def _read_all(path):
    """Every row of the Landsat raster ``path`` as the match-ups read it."""
    strips = landsat_strips(read_target_grid(path), 256, 64)
    return np.concatenate([strip.copy() for _, strip in strips], axis=1)  # buffers reused


@pytest.mark.parametrize("tag", [322, 324], ids=["tile-width", "tile-offsets"])
def test_a_tile_tag_with_no_values_is_a_clear_message(tmp_path, tag):
    """A Landsat file whose TileWidth or TileOffsets tag holds no value (a count of 0) is left
    to GDAL, and what GDAL makes of it is a message naming the file, not a traceback."""
    tifffile = pytest.importorskip("tifffile")
    path = tmp_path / "landsat 景.tif"
    _landsat(path, **TAKEN["clip-step"])
    with tifffile.TiffFile(path) as tif:
        entry = tif.pages[0].tags[tag].offset
    with open(path, "r+b") as handle:
        handle.seek(entry + 4)  # the entry's count (classic TIFF: tag, type, count, value)
        handle.write(struct.pack("<I", 0))
    with pytest.raises(GociResampleError, match=r"landsat 景\.tif"):
        _read_all(path)


def test_a_one_row_goci_subset_is_refused_not_an_empty_product(scene, tmp_path):
    """A GOCI subset of a single row has no cells for the footprints: the match-ups say so
    (they "succeeded" with no GOCI pixel and no match-up) and write nothing."""
    from bad_inputs import one_row_copy

    (tmp_path / "in").mkdir()
    goci = one_row_copy(scene, tmp_path / "in")
    with pytest.raises(GociResampleError, match=r"is 1 × \d+ pixels"):
        match_pair(goci, scene.landsat, tmp_path / "out" / "m.nc")
    assert not list((tmp_path / "out").glob("*"))


def test_csv_numbers_read_back_as_the_very_floats_computed(tmp_path):
    """Every float of the statistics and match-up CSVs reads back (as float64, as numpy and
    pandas read it) as the very value computed, float32 data included; bools as integers."""
    import numpy as np

    from goci_resample_plugin.core.compare.report import csv_text

    values = [np.float32(52.35), np.float32(1 / 3), np.float64(1.0700000000000012), 0.1,
              np.float32(3.4e38), np.float64(5e-324)]  # fmt: skip
    for value in values:
        assert float(csv_text(value)) == float(value), value
    assert csv_text(np.float32("nan")) == "nan"
    assert [csv_text(v) for v in (True, np.bool_(False), np.int64(7), "x")] == ["1", "0", "7", "x"]


def test_a_point_without_a_position_does_not_fail_the_points(tmp_path):
    """A GOCI pixel with a Landsat mean but no longitude (NaN): the GeoPackage is still
    written, its extent that of the located points (it was "no such column: nan", reported as
    a full disk)."""
    from osgeo import ogr

    from goci_resample_plugin.core.matchups.points import POINTS_LAYER, write_points

    columns = {"lon": np.array([126.1, np.nan, 128.25]), "lat": np.array([31.0, 32.0, 33.5]),
               "row": np.array([0, 1, 2]), "goci_660": np.array([50.0, 51.0, np.nan])}  # fmt: skip
    write_points(tmp_path / "points.gpkg", columns)
    dataset = ogr.Open(str(tmp_path / "points.gpkg"))
    layer = dataset.GetLayerByName(POINTS_LAYER)
    assert layer.GetFeatureCount() == 3
    assert layer.GetExtent() == (126.1, 128.25, 31.0, 33.5)
