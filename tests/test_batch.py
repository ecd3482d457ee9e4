"""run_batch: report rows, isolation of bad scenes, resume, overwrite, workers, kill and re-run."""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import rasterio
from conftest import REPO
from rows import covers
from sample_data import goci2_spec

from goci_resample_plugin.core import ResampleOptions, RunControl, run_batch
from goci_resample_plugin.core.batch import read_report

OPTIONS = ResampleOptions(method="nearest")


def _outputs(root):
    """Every file under root except the report, relative, sorted."""
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and p.name != "batch_report.csv"
    )


@pytest.fixture(scope="module")
def first_run(batch_root, tmp_path_factory):
    root, _ = batch_root
    output_root = tmp_path_factory.mktemp("batch_out")
    return output_root, run_batch(root, output_root, OPTIONS, write_npy=True)


@covers("bad-scene-in-batch")
def test_report_has_the_right_row_for_every_folder(batch_root, first_run):
    _, good = batch_root
    output_root, batch = first_run
    rows = {row["scene"]: row for row in read_report(output_root / "batch_report.csv")}
    assert len(rows) == 7
    assert {s for s, r in rows.items() if r["status"] == "ok"} == set(good)
    assert rows["LC08_L1TP_116040_20200412_20200422_01_T1"]["status"] == "no-pair"
    assert "no GOCI" in rows["LC08_L1TP_116040_20200412_20200422_01_T1"]["message"]
    ambiguous = rows["LC08_L1TP_116041_20200412_20200422_01_T1"]
    assert ambiguous["status"] == "failed" and "2 GOCI files" in ambiguous["message"]
    corrupt = rows["LC08_L1TP_116042_20200412_20200422_01_T1"]
    assert corrupt["status"] == "failed" and "_subset_footprint.nc" in corrupt["message"]
    apart = rows["LC08_L1TP_116043_20200412_20200422_01_T1"]
    assert apart["status"] == "failed" and "do not overlap" in apart["message"]
    assert "GOCI lon" in apart["message"] and "Landsat lon" in apart["message"]
    assert batch.counts() == {"ok": 3, "skipped": 0, "failed": 3, "no-pair": 1, "not-run": 0}
    for row in rows.values():
        assert "Traceback" not in row["message"] and "Error(" not in row["message"]


def test_outputs_only_for_good_scenes_with_sidecars_and_npy(batch_root, first_run):
    _, good = batch_root
    output_root, _ = first_run
    written = _outputs(output_root)
    stem = f"GOCI_on_Landsat_{goci2_spec().goci_stem}_subset_footprint_NEAREST"
    bands = ["L_TOA_443", "L_TOA_490", "L_TOA_555", "L_TOA_660", "L_TOA_865"]
    expected = sorted(
        f"{scene}/{stem}{suffix}"
        for scene in good
        for suffix in [".tif", ".json", ".qml", "_landsat.qml"] + [f"_{b}.npy" for b in bands]
    )
    assert written == expected
    scene = output_root / good[0]
    with rasterio.open(scene / f"{stem}.tif") as dataset:
        band = dataset.read(2)
    assert np.array_equal(np.load(scene / f"{stem}_L_TOA_490.npy"), band, equal_nan=True)


def test_second_run_skips_and_overwrite_redoes(batch_root, first_run):
    root, _ = batch_root
    output_root, _ = first_run
    before = {p: p.stat().st_mtime_ns for p in output_root.rglob("*.tif")}
    again = run_batch(root, output_root, OPTIONS, write_npy=True)
    assert again.counts()["skipped"] == 3 and again.counts()["ok"] == 0
    assert {p: p.stat().st_mtime_ns for p in output_root.rglob("*.tif")} == before
    rows = read_report(output_root / "batch_report.csv")
    assert len(rows) == 7  # a new run starts a new report
    redone = run_batch(root, output_root, OPTIONS, write_npy=True, overwrite=True)
    assert redone.counts()["ok"] == 3
    assert all(p.stat().st_mtime_ns > before[p] for p in before)


def test_stale_outputs_are_redone_and_the_report_says_why(batch_root, first_run, tmp_path):
    """SPEC §4: only an output complete *for this run* is skipped; the others are our own
    files and are redone (inputs changed in place, other parameters, a truncated raster)."""
    root, good = batch_root
    inputs, outputs = tmp_path / "in", tmp_path / "out"
    shutil.copytree(root, inputs)
    shutil.copytree(first_run[0], outputs)
    # Copies keep size, modification time and content: still the same inputs.
    assert run_batch(inputs, outputs, OPTIONS).counts()["skipped"] == 3
    [goci] = (inputs / good[0]).glob("*_subset_footprint.nc")
    os.utime(goci, ns=(time.time_ns(), time.time_ns()))  # the land-mask step rewrote it
    [tif] = (outputs / good[1]).glob("*.tif")
    tif.write_bytes(tif.read_bytes()[:-5000])  # truncated; its sidecar stays
    again = run_batch(inputs, outputs, ResampleOptions(method="nearest", radius_m=900.0))
    rows = {row["scene"]: row for row in read_report(outputs / "batch_report.csv")}
    assert again.counts()["ok"] == 3 and again.counts()["skipped"] == 0
    assert f"input {goci.name} changed" in rows[good[0]]["message"]
    assert "truncated or changed" in rows[good[1]]["message"]
    assert "radius_m=800.0 instead of 900.0" in rows[good[2]]["message"]
    with rasterio.open(tif) as dataset:
        assert float(dataset.tags()["RADIUS_M"]) == 900.0


def test_two_workers_give_byte_identical_rasters(batch_root, tmp_path):
    root, good = batch_root
    serial = run_batch(root, tmp_path / "serial", OPTIONS, workers=1)
    parallel = run_batch(root, tmp_path / "parallel", OPTIONS, workers=2)
    assert serial.counts() == parallel.counts()
    for scene in good:
        [one] = (tmp_path / "serial" / scene).glob("*.tif")
        [two] = (tmp_path / "parallel" / scene).glob("*.tif")
        assert one.read_bytes() == two.read_bytes()


@covers("cancel")
def test_cancel_stops_and_leaves_no_partial_file(batch_root, tmp_path):
    root, _ = batch_root
    calls = []

    def cancel_after_a_few_blocks():
        calls.append(1)
        return len(calls) > 3

    batch = run_batch(
        root, tmp_path, OPTIONS, control=RunControl(cancelled=cancel_after_a_few_blocks)
    )
    assert batch.cancelled
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()]
    for tif in tmp_path.rglob("*.tif"):
        assert tif.with_suffix(".json").is_file()
    rows = read_report(tmp_path / "batch_report.csv")
    assert len(rows) == 7  # every folder has its row, also those the cancel never reached
    not_run = [row for row in rows if row["status"] == "not-run"]
    assert not_run and all("run it again to resume" in row["message"] for row in not_run)


KILLABLE = """
import sys
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, RunControl, run_batch
run_batch({root!r}, {out!r}, ResampleOptions())
"""


@covers("killed")
def test_killed_run_leaves_nothing_that_looks_complete_and_rerun_finishes(tmp_path):
    from sample_data import SceneSpec, write_root

    root = tmp_path / "input"
    specs = [
        SceneSpec(
            scene=f"LC08_L1TP_11700{n}_20200412_20200422_01_T1", width=900, height=900, seed=n
        )
        for n in range(3)
    ]
    write_root(root, specs)
    out = tmp_path / "out"
    code = KILLABLE.format(repo=str(REPO), root=str(root), out=str(out))
    child = subprocess.Popen([sys.executable, "-c", code])

    def writing_the_second_scene():  # one scene complete, another one's temporaries written
        done = {path.parent for path in out.rglob("*.json")}
        return bool(done) and any(p.parent not in done for p in out.rglob(".*.partial-*"))

    deadline = time.monotonic() + 120
    while not writing_the_second_scene() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert writing_the_second_scene(), "the batch never started writing a second scene"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    for tif in out.rglob("*.tif"):  # whatever carries a visible name is whole, with its sidecar
        sidecar = json.loads(tif.with_suffix(".json").read_text())
        with rasterio.open(tif) as dataset:
            valid = np.isfinite(dataset.read()).all(axis=0).mean()
        assert valid == pytest.approx(sidecar["valid_fraction"], abs=1e-12) and valid > 0.5
    complete = [p for p in out.rglob("*.json") if p.name != "batch_report.csv"]
    assert 1 <= len(complete) < 3
    rerun = run_batch(root, out, ResampleOptions())
    counts = rerun.counts()
    assert counts["failed"] == 0 and counts["skipped"] == len(complete)
    assert counts["ok"] + counts["skipped"] == 3
    assert not [p for p in out.rglob(".*") if p.is_file()]
    for tif in out.rglob("*.tif"):
        sidecar = json.loads(tif.with_suffix(".json").read_text())
        with rasterio.open(tif) as dataset:
            assert np.isfinite(dataset.read(1)).mean() == pytest.approx(
                sidecar["bands"][0]["valid_fraction"]
            )


def test_compare_adds_the_key_figures_to_the_report(batch_root, tmp_path):
    root, good = batch_root
    batch = run_batch(root, tmp_path, OPTIONS, compare=True)
    rows = {row["scene"]: row for row in read_report(tmp_path / "batch_report.csv")}
    for scene in good:
        row = rows[scene]
        # 220 × 200 pixels are too few 16-pixel blocks for an offset: left empty, not made up
        assert row["shift_east_m"] == row["shift_north_m"] == ""
        assert row["shift_east_uncertainty_m"] == row["shift_north_uncertainty_m"] == ""
        assert "offset not measurable: too little overlap" in row["message"]  # the log too
        r2 = dict(item.split("=") for item in row["r2_by_band"].split(";"))
        assert set(r2) == {"443", "490", "555", "660", "865"}
        assert all(float(value) > 0.95 for value in r2.values())
        [html] = (tmp_path / scene).glob("*_comparison.html")
        offset = r"offset is <b>not measurable</b> on L_TOA_660:B4: too little overlap"
        assert re.search(offset, html.read_text())
    assert rows["LC08_L1TP_116040_20200412_20200422_01_T1"]["r2_by_band"] == ""
    assert batch.counts()["ok"] == 3


UNPRIVILEGED_DISCOVERY = """
import json, os, sys
os.setgid(65534)
os.setuid(65534)  # nobody: a folder it may not list is unreadable, as for any user
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core.batch import discover_scenes
print(json.dumps([[s.name, bool(s.landsat), s.problem] for s in discover_scenes({root!r})]))
"""


@covers("scene-folder-unreadable")
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs to drop root")
def test_a_scene_folder_that_cannot_be_read_is_a_row_not_the_end_of_the_batch(batch_root):
    """An input root at a drive's top holds folders the user may not read (``System Volume
    Information``): they get a row saying so; the readable scenes are found as before."""
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="unreadable-"))
    try:
        input_root, names = batch_root
        good = input_root / names[0]
        shutil.copytree(good, root / good.name)
        (root / "System Volume Information").mkdir(mode=0o000)
        for path in [root, *root.rglob("*")]:
            if path.name != "System Volume Information":
                path.chmod(0o755 if path.is_dir() else 0o644)
        code = UNPRIVILEGED_DISCOVERY.format(repo=str(REPO), root=str(root))
        completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                   timeout=120)  # fmt: skip
        assert completed.returncode == 0, completed.stderr[-1500:]
        found = {name: (paired, problem) for name, paired, problem in
                 json.loads(completed.stdout.splitlines()[-1])}  # fmt: skip
        assert found[good.name] == (True, "")
        paired, problem = found["System Volume Information"]
        assert not paired and "cannot read" in problem and "Permission denied" in problem
    finally:
        with contextlib.suppress(OSError):
            (root / "System Volume Information").chmod(0o755)
        shutil.rmtree(root)
