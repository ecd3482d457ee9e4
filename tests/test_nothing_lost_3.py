"""Round 3 of the attack (issue #23): wrong numbers kept and files written through planted
names. Each test does what the world does (a rewrite while a run reads, a symlink or a file of
the user's at one of our names, a full disk) at the moment it matters, and checks what a user
would see: the message, the user's files byte for byte, the report's rows, the numbers."""

import csv
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import rasterio
from conftest import REPO
from netcdf_files import edited_copy
from reference import assert_within_spec
from rows import covers

from goci_resample_plugin.core import (
    GociResampleError,
    ResampleOptions,
    RunControl,
    compare_pair,
    resample_pair,
    run_batch,
)
from goci_resample_plugin.core.batch import read_report

ONE_BAND = ResampleOptions(wavelengths=(660,), method="nearest")


def _mask_half(dataset):
    """The land-mask step's kind of edit: half the pixels become fill, inside_mask stays 1."""
    band = dataset["geophysical_data/L_TOA_660"]
    values = band[:]
    values[:, : values.shape[1] // 2] = band.getncattr("_FillValue")
    band[:] = values


@covers("input-rewritten-during-a-run")
def test_an_input_rewritten_while_it_is_read_is_not_vouched_for(scene, tmp_path):
    """The land-mask step replaces the ``.nc`` while a run reads it: nothing lands (a sidecar
    recording the new file's identity made every later run reuse numbers of the old one)."""
    goci = tmp_path / "run" / scene.goci.name
    goci.parent.mkdir()
    shutil.copy(scene.goci, goci)
    masked = edited_copy(scene.goci, goci.parent / "masked.nc", _mask_half)
    reference = edited_copy(scene.goci, tmp_path / "reference_subset.nc", _mask_half)
    output = goci.parent / "o.tif"
    swapped = []

    def rewrite_once(fraction):  # the first block is resampled: the input is replaced
        if not swapped:
            os.replace(masked, goci)
            swapped.append(fraction)

    with pytest.raises(GociResampleError, match="changed while it was being read"):
        resample_pair(goci, scene.landsat, output, ONE_BAND, RunControl(progress=rewrite_once))
    assert swapped and sorted(p.name for p in goci.parent.iterdir()) == [goci.name]
    again = resample_pair(goci, scene.landsat, output, ONE_BAND)  # made from the new file
    assert not again.reused
    expected = resample_pair(reference, scene.landsat, tmp_path / "e.tif", ONE_BAND).output
    with rasterio.open(output) as got, rasterio.open(expected) as want:
        assert np.array_equal(got.read(), want.read(), equal_nan=True)
    assert resample_pair(goci, scene.landsat, output, ONE_BAND).reused


@covers("temporary-planted")
def test_a_symlink_planted_at_a_temporary_name_is_never_written_through(scene, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    output = tmp_path / "r.tif"
    for name in ("r.tif", "r.json", "r.qml"):  # the names an earlier version used
        (tmp_path / f".{name}.partial-{os.getpid()}").symlink_to(victim)
    resample_pair(scene.goci, scene.landsat, output, ONE_BAND)
    assert victim.read_text() == "someone else's file"
    for name in ("r.tif", "r.json", "r.qml"):
        landed = tmp_path / name
        assert landed.is_file() and not landed.is_symlink(), name
    assert json.loads((tmp_path / "r.json").read_text())["output"] == "r.tif"
    assert oct(output.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def test_a_temporary_swapped_for_a_symlink_is_not_written_through(tmp_path):
    """In a shared folder another user may replace our temporary (made exclusively, then
    written by name) with a symlink before we write it: the text writers (tables, reports,
    styles, sidecars, the match-up series) refuse it, and the symlink's target is untouched."""
    from goci_resample_plugin.core.write.atomic import atomic_outputs, write_text

    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")

    def write_after_the_swap():
        with atomic_outputs(tmp_path / "report.html") as (temporary,):
            temporary.unlink()
            temporary.symlink_to(victim)
            write_text(temporary, "<html>ours</html>", shown_as=tmp_path / "report.html")

    with pytest.raises(GociResampleError, match=r"report\.html"):
        write_after_the_swap()
    assert victim.read_text() == "someone else's file"
    assert not (tmp_path / "report.html").exists()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


@covers("lock-planted")
@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_link_planted_at_the_lock_name_is_refused_and_its_target_kept(batch_root, tmp_path, link):
    root, _ = batch_root
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    out = tmp_path / "out"
    out.mkdir()
    lock = out / ".goci-resample.lock"
    if link == "symbolic":
        lock.symlink_to(victim)
    else:
        os.link(victim, lock)
    with pytest.raises(GociResampleError, match="is not goci-resample's lock file"):
        run_batch(root, out, ONE_BAND)
    assert victim.read_text() == "someone else's file"
    assert sorted(p.name for p in out.iterdir()) == [lock.name]


@covers("report-not-ours")
def test_a_batch_report_of_the_users_is_kept_without_overwrite(batch_root, tmp_path):
    root, _ = batch_root
    theirs = tmp_path / "batch_report.csv"
    theirs.write_text("scene,my notes\nA,cloudy\n")
    with pytest.raises(GociResampleError, match="not written by goci-resample"):
        run_batch(root, tmp_path, ONE_BAND)
    assert theirs.read_text() == "scene,my notes\nA,cloudy\n"
    assert run_batch(root, tmp_path, ONE_BAND, overwrite=True).report == theirs
    assert theirs.read_text().startswith("scene,status,message")


@covers("style-saved-over")
def test_a_style_the_user_saved_over_ours_is_kept_on_a_redo(scene, tmp_path):
    """QGIS "Save as Default" writes ``r.qml`` without our mark: it is the user's now."""
    output = tmp_path / "r.tif"
    resample_pair(scene.goci, scene.landsat, output, ONE_BAND)
    users = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22\">"
    output.with_suffix(".qml").write_text(users)
    stale = ResampleOptions(wavelengths=(660,), method="nearest", radius_m=900)
    with pytest.raises(GociResampleError, match=r"r\.qml already exists and was not written"):
        resample_pair(scene.goci, scene.landsat, output, stale)
    assert output.with_suffix(".qml").read_text() == users
    resample_pair(scene.goci, scene.landsat, output, stale, overwrite=True)
    assert "goci-resample" in output.with_suffix(".qml").read_text().splitlines()[1]


@covers("report-html-mentioning-us")
def test_an_html_page_mentioning_us_is_not_taken_for_our_report(scene, tmp_path):
    resampled = resample_pair(scene.goci, scene.landsat, tmp_path / "r.tif").output
    page = tmp_path / "notes.html"
    page.write_text("<html><body>My notes on goci-resample runs</body></html>")
    with pytest.raises(GociResampleError, match="not written by goci-resample"):
        compare_pair(resampled, scene.landsat, tmp_path / "t.csv", page)
    assert page.read_text() == "<html><body>My notes on goci-resample runs</body></html>"
    assert not (tmp_path / "t.csv").exists()


@covers("report-formula-cells")
def test_scene_names_a_spreadsheet_would_evaluate_are_written_as_text(tmp_path):
    root = tmp_path / "in"
    names = ['=HYPERLINK("x";"y")', "+1+1", "@SUM(1)", "-2"]
    for name in names:
        (root / name).mkdir(parents=True)
    batch = run_batch(root, tmp_path / "out", ONE_BAND)
    rows = read_report(batch.report)
    assert sorted(row["scene"] for row in rows) == sorted(f"'{name}" for name in names)
    assert all(row["status"] == "no-pair" for row in rows)


FULL_REPORT = """
import resource, signal, sys
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import GociResampleError
from goci_resample_plugin.core.batch.report import BatchReport
from goci_resample_plugin.core.batch.scene import SceneResult
report = BatchReport({root!r})
report.add(SceneResult("first", "ok", "fine", 1.0))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail, as on a full disk
size = report.path.stat().st_size
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 40, size + 40))
for number in range(3):
    try:
        report.add(SceneResult(f"scene {{number}}", "failed", "x" * 200, 2.0))
    except GociResampleError as error:
        print("ERROR", error)
"""


@covers("report-disk-full")
def test_a_full_disk_never_leaves_half_a_report_row(tmp_path):
    code = FULL_REPORT.format(repo=str(REPO), root=str(tmp_path))
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               timeout=120, check=True)  # fmt: skip
    assert completed.stdout.count("ERROR Cannot add to the batch report") == 3
    text = (tmp_path / "batch_report.csv").read_text()
    assert text.endswith("\n")
    rows = list(csv.reader(text.splitlines()))
    assert len(rows) == 2 and len({len(row) for row in rows}) == 1
    assert rows[1][:2] == ["first", "ok"]


@covers("neighbours-absurd")
def test_an_absurd_neighbours_is_refused_with_a_message(scene, tmp_path):
    with pytest.raises(GociResampleError, match="NEIGHBOURS 1e\\+08 is more than any RADIUS"):
        resample_pair(scene.goci, scene.landsat, tmp_path / "o.tif",
                      ResampleOptions(neighbours=100_000_000))  # fmt: skip
    assert list(tmp_path.iterdir()) == []


@covers("tiny-sigma")
def test_a_tiny_sigma_gives_pyresamples_numbers_and_a_warning(scene, tmp_path):
    """SIGMA 15 m: the weights of all but the nearest GOCI pixels near the subnormal range
    (they differed from pyresample by up to 2e-3); SIGMA 1 m: almost every weight is 0."""
    options = ResampleOptions(wavelengths=(660, 865), sigma_m=15.0)
    results = {}
    for engine in ("grid", "kdtree"):
        resample_pair(scene.goci, scene.landsat, tmp_path / f"{engine}.tif", options,
                      engine=engine)  # fmt: skip
        with rasterio.open(tmp_path / f"{engine}.tif") as dataset:
            results[engine] = dataset.read()
    assert_within_spec(results["grid"], results["kdtree"].astype(np.float64), "gauss", 0.2)
    lines = []
    resample_pair(scene.goci, scene.landsat, tmp_path / "one.tif",
                  ResampleOptions(wavelengths=(660,), sigma_m=1.0),
                  RunControl(log=lambda level, text: lines.append(text)))  # fmt: skip
    assert any("SIGMA 1 m is tiny against the GOCI pixels" in line for line in lines)


@covers("long-names-new-folder")
def test_a_name_too_long_for_a_sidecar_fails_clearly_in_a_new_folder(tmp_path):
    """A GOCI name whose output fits in 255 bytes but whose sidecar (``.json``, one byte more)
    does not, into a scene folder that does not exist yet (where ``stat`` reports a missing
    folder, not a long name): a clear report row, no traceback, nothing written."""
    from sample_data import goci2_spec, write_scene

    pair = write_scene(tmp_path / "in", goci2_spec(width=120, height=120, seed=3))
    room = 255 - len("GOCI_on_Landsat_") - len("_NEAREST.tif")  # the output: 255 bytes exactly
    goci = pair.goci.rename(pair.goci.with_name("G" * (room - 17) + "_subset_footprint.nc"))
    output = tmp_path / "out" / pair.scene_dir.name / f"GOCI_on_Landsat_{goci.stem}_NEAREST.tif"
    assert len(output.name.encode()) == 255
    batch = run_batch(tmp_path / "in", tmp_path / "out", ResampleOptions(method="nearest"))
    [row] = read_report(batch.report)
    assert row["status"] == "failed", row
    assert "cannot be used (File name too long)" in row["message"]
    assert not (tmp_path / "out" / pair.scene_dir.name).exists() or not any(
        (tmp_path / "out" / pair.scene_dir.name).iterdir()
    )


@covers("two-runs-one-output")
def test_a_second_run_on_an_output_being_written_is_refused(scene, tmp_path):
    """Two runs on one OUTPUT landed a raster from one and the sidecar and style from the
    other: the second now stops at once, naming the run that writes it."""
    output = tmp_path / "r.tif"
    refused = []

    def second_run(fraction):  # while the first one resamples
        if not refused:
            with pytest.raises(GociResampleError) as raised:
                resample_pair(scene.goci, scene.landsat, output, ONE_BAND, overwrite=True)
            refused.append(str(raised.value))

    first = resample_pair(scene.goci, scene.landsat, output, ONE_BAND,
                          RunControl(progress=second_run))  # fmt: skip
    assert refused and f"Another run is writing {output} (process {os.getpid()}" in refused[0]
    sidecar = json.loads(output.with_suffix(".json").read_text())
    assert sidecar["valid_fraction"] == first.valid_fraction
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "r.qml", "r.tif"]
    assert resample_pair(scene.goci, scene.landsat, output, ONE_BAND).reused


@covers("pair-into-a-batch-root")
@pytest.mark.parametrize("where", ["root", "scene folder"])
def test_a_single_pair_into_a_root_a_batch_is_writing_is_refused(scene, tmp_path, where):
    from goci_resample_plugin.core.batch.lock import output_root_lock

    folder = tmp_path if where == "root" else tmp_path / "LC08_scene"
    folder.mkdir(exist_ok=True)
    with output_root_lock(tmp_path), pytest.raises(GociResampleError) as raised:
        resample_pair(scene.goci, scene.landsat, folder / "r.tif", ONE_BAND)
    assert f"A batch is writing into {tmp_path} (process {os.getpid()}" in str(raised.value)
    assert not list(folder.glob("r.*"))
    assert resample_pair(scene.goci, scene.landsat, folder / "r.tif", ONE_BAND).valid_fraction


@covers("landsat-input-untouched")
@pytest.mark.parametrize("kind", ["vrt", "tif"])
def test_qgis_process_leaves_the_landsat_input_byte_for_byte(qgis_process, scene, tmp_path, kind):
    """``qgis_process`` checks every parameter itself; a raster layer parameter opened the
    Landsat file as a layer, whose statistics grew a ``.vrt`` from 4 KB to ~550 KB and left a
    ``.tif.aux.xml`` beside a GeoTIFF. The file is now only read, by the core."""
    folder = tmp_path / "input"
    folder.mkdir()
    landsat = folder / f"scene_TOA_RAD_B1-2-3-4-5.{kind}"
    if kind == "vrt":
        subprocess.run(["gdalbuildvrt", "-q", str(landsat), str(scene.landsat)], check=True)
    else:
        shutil.copy(scene.landsat, landsat)
    before = landsat.read_bytes()
    qgis_process("run", "gociresample:resamplepair", "--", f"GOCI={scene.goci}",
                 f"LANDSAT={landsat}", "BANDS=660", f"OUTPUT={tmp_path / 'o.tif'}",
                 check=True)  # fmt: skip
    assert landsat.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [landsat.name]
    assert (tmp_path / "o.tif").is_file()


@covers("style-saved-over")
def test_register_reuses_an_output_whose_style_the_user_saved(scene, tmp_path, monkeypatch):
    """REGISTER checked every file before its probe, so a style the user saved over ours
    failed a rerun that only had to reuse the output (the reviewer's finding)."""
    from goci_resample_plugin.core import resample_registered

    output = tmp_path / "r.tif"
    resample_registered(scene.goci, scene.landsat, output, ONE_BAND)
    users = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis/>"
    output.with_suffix(".qml").write_text(users)
    result, _ = resample_registered(scene.goci, scene.landsat, output, ONE_BAND)
    assert result.reused and output.with_suffix(".qml").read_text() == users


@covers("input-rewritten-during-a-run")
def test_an_input_deleted_during_a_run_is_a_message_not_a_traceback(scene, tmp_path):
    goci = tmp_path / scene.goci.name
    shutil.copy(scene.goci, goci)
    gone = []

    def delete_once(fraction):
        if not gone:
            goci.unlink()
            gone.append(fraction)

    with pytest.raises(GociResampleError, match="changed while it was being read"):
        resample_pair(goci, scene.landsat, tmp_path / "o.tif", ONE_BAND,
                      RunControl(progress=delete_once))  # fmt: skip
    assert gone and not list(tmp_path.glob("o.*"))


@covers("shared-folder-temporaries", "pid-out-of-range")
def test_another_machines_temporaries_in_a_shared_folder_are_left_to_it(scene, tmp_path):
    """Two machines write into one NFS folder: this one cannot look at the other's processes,
    so a temporary the other is writing (its pid unknown here) must survive this run, while
    this machine's own dead temporary, the other's left for days, and one whose pid no process
    can have (a damaged name) go."""
    import time

    output = tmp_path / "out.tif"
    elsewhere = tmp_path / f".{output.name}.partial-4194303.0badc0de-abcdefgh"
    elsewhere.write_bytes(b"the other machine's half-written raster")
    abandoned = tmp_path / f".{output.name}.partial-4194302.0badc0de-ijklmnop"
    abandoned.write_bytes(b"written three days ago")
    three_days_ago = time.time() - 3 * 86400
    os.utime(abandoned, (three_days_ago, three_days_ago))
    from goci_resample_plugin.core.write.names import host_mark

    dead_here = tmp_path / f".{output.name}.partial-4194303.{host_mark()}-qrstuvwx"
    dead_here.write_bytes(b"this machine's, its run killed")
    impossible = tmp_path / f".{output.name}.partial-0-yzabcdef"
    impossible.write_bytes(b"pid 0: the kernel's, never a run's")
    resample_pair(scene.goci, scene.landsat, output, ONE_BAND)
    assert elsewhere.read_bytes() == b"the other machine's half-written raster"
    assert not abandoned.exists() and not dead_here.exists() and not impossible.exists()


@covers("report-lost-with-workers")
def test_a_report_that_cannot_be_written_stops_the_workers_at_once(tmp_path):
    """WORKERS=2 and the report becomes unwritable after the first row (a spreadsheet locking
    it on Windows, a full disk): the batch stops with the report's message, the scenes still
    queued are not computed first, and no half row is left."""
    from sample_data import goci2_spec, write_scene

    root, out = tmp_path / "in", tmp_path / "out"
    for number in range(6):
        write_scene(root, goci2_spec(scene=f"LC08_L1TP_11803{number}_20210429_20210507_02_T1",
                                     width=160, height=150, centre_lat=31.0 + 0.2 * number,
                                     seed=40 + number))  # fmt: skip
    report = out / "batch_report.csv"

    def lock_the_report(fraction):
        if fraction > 0 and report.is_file():  # after the first row: it can no longer be written
            kept = report.read_text(encoding="utf-8")
            report.unlink()
            report.mkdir()
            (tmp_path / "kept.csv").write_text(kept, encoding="utf-8")

    with pytest.raises(GociResampleError, match="Cannot add to the batch report"):
        run_batch(root, out, ONE_BAND, workers=2, control=RunControl(progress=lock_the_report))
    written = list(out.rglob("GOCI_on_Landsat_*.tif"))
    assert 1 <= len(written) <= 3, written  # the first, and at most the two then running
    rows = list(csv.reader((tmp_path / "kept.csv").read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 2 and rows[1][1] == "ok"
