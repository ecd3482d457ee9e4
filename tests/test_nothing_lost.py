"""Nothing lost, round 2: the faults a real attack found (docs/robustness.md, one test a row)."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import rasterio
from conftest import REPO
from netcdf_files import edited_copy
from rows import covers
from sample_data import SceneSpec, write_scene

from goci_resample_plugin.core import (
    WARNING,
    GociResampleError,
    ResampleOptions,
    RunControl,
    compare_pair,
    output_name,
    resample_pair,
    run_batch,
)
from goci_resample_plugin.core.batch import read_report
from goci_resample_plugin.core.batch.lock import output_root_lock
from goci_resample_plugin.core.write.names import temporary_owner

ONE_BAND = ResampleOptions(wavelengths=(660,), method="nearest")


def _hidden_files(root):
    return [p for p in Path(root).rglob(".*") if p.is_file()]


@pytest.fixture(scope="module")
def big_root(tmp_path_factory):
    """Three scenes large enough (1200 × 1200) that a run can be interrupted mid-write."""
    root = tmp_path_factory.mktemp("big") / "input"
    for number in range(3):
        spec = SceneSpec(scene=f"LC08_L1TP_11803{number}_20210429_20210507_02_T1", width=1200,
                         height=1200, centre_lat=35.0 + 0.3 * number, seed=20 + number)  # fmt: skip
        write_scene(root, spec)
    return root


def _wait_for_partial(root, timeout=120):
    """Return the first temporary output raster that appears under ``root``: a scene being
    written (not the report's temporary header, which the submitting process writes first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in _hidden_files(root)
                 if p.name.startswith(".GOCI_on_Landsat_") and ".partial-" in p.name]  # fmt: skip
        if found:
            return found[0]
        time.sleep(0.002)
    raise AssertionError(f"no temporary file appeared under {root}")


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ")[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _children(pid):
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text(encoding="ascii")
            except OSError:
                continue
            if int(stat.split(") ")[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


# --- Loses or corrupts data ----------------------------------------------------------------


@covers("compare-onto-an-input", "compare-onto-a-foreign-file")
@pytest.mark.parametrize("target", ["table-on-landsat", "report-on-goci", "difference-on-result"])
def test_comparison_never_writes_over_an_input_or_a_foreign_file(scene, tmp_path, target):
    resampled = tmp_path / "r.tif"
    resample_pair(scene.goci, scene.landsat, resampled, ONE_BAND)
    goci = tmp_path / scene.goci.name
    goci.write_bytes(scene.goci.read_bytes())
    outputs = {"table": tmp_path / "t.csv", "report": tmp_path / "r.html", "difference": None}
    victim = {"table-on-landsat": ("table", scene.landsat), "report-on-goci": ("report", goci),
              "difference-on-result": ("difference", resampled)}[target]  # fmt: skip
    outputs[victim[0]] = victim[1]
    before = victim[1].read_bytes()
    with pytest.raises(GociResampleError) as raised:
        compare_pair(resampled, scene.landsat, outputs["table"], outputs["report"],
                     difference=outputs["difference"])  # fmt: skip
    assert str(victim[1]) in str(raised.value)
    assert victim[1].read_bytes() == before
    assert not (tmp_path / "t.csv").exists() and not (tmp_path / "r.html").exists()


@covers("compare-missing-folders")
def test_comparison_creates_missing_folders_and_replaces_its_own_outputs(scene, tmp_path):
    resampled = tmp_path / "r.tif"
    resample_pair(scene.goci, scene.landsat, resampled, ONE_BAND)
    table, report = tmp_path / "a" / "t.csv", tmp_path / "b" / "c" / "r.html"
    for _ in range(2):  # the second run replaces what the first wrote
        compare_pair(resampled, scene.landsat, table, report)
    assert table.read_text().startswith("goci_band,") and "<html" in report.read_text()


@covers("sidecar-not-ours")
@pytest.mark.parametrize("companion", [".json", ".qml", "_landsat.qml"])
def test_a_foreign_file_at_a_sidecar_name_is_kept(scene, tmp_path, companion):
    output = tmp_path / "result.tif"
    theirs = tmp_path / f"result{companion}"
    theirs.write_text("the user's own notes")
    # the Landsat layer's style is written for a true-colour product only (3+ bands)
    options = ResampleOptions() if companion == "_landsat.qml" else ONE_BAND
    with pytest.raises(GociResampleError) as raised:
        resample_pair(scene.goci, scene.landsat, output, options)
    assert str(theirs) in str(raised.value) and "OVERWRITE" in str(raised.value)
    assert theirs.read_text() == "the user's own notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == [theirs.name]


@covers("sidecar-not-ours")
def test_a_foreign_file_at_a_name_this_run_does_not_write_is_no_obstacle(scene, tmp_path):
    """One home for the product's files: a one-band product has no Landsat style, so a file of
    the user's at that name neither stops the run nor is touched or loaded as ours."""
    theirs = tmp_path / "result_landsat.qml"
    theirs.write_text("the user's own notes")
    result = resample_pair(scene.goci, scene.landsat, tmp_path / "result.tif", ONE_BAND)
    assert result.landsat_style is None and theirs.read_text() == "the user's own notes"


@covers("stale-output")
def test_rerun_after_an_input_changed_in_place_redoes_the_output(scene, tmp_path):
    landsat = tmp_path / scene.landsat.name
    landsat.write_bytes(scene.landsat.read_bytes())
    output = tmp_path / "o.tif"
    first = resample_pair(scene.goci, landsat, output, ONE_BAND)
    assert resample_pair(scene.goci, landsat, output, ONE_BAND).reused
    with rasterio.open(landsat, "r+") as dataset:  # a new grid origin, written in place
        dataset.transform = dataset.transform * dataset.transform.translation(40, 0)
    again = resample_pair(scene.goci, landsat, output, ONE_BAND)
    assert not again.reused and f"input {landsat.name} changed" in again.replaced_because
    with rasterio.open(output) as out, rasterio.open(landsat) as source:
        assert out.transform == source.transform
    assert again.valid_fraction != first.valid_fraction


@covers("band-subset-name")
def test_a_band_subset_carries_its_bands_in_the_name(scene):
    default = output_name(scene.goci, ResampleOptions())
    every = output_name(scene.goci, ResampleOptions(wavelengths=(443, 490, 555, 660, 865)))
    subset = output_name(scene.goci, ResampleOptions(wavelengths=(660, 443)))
    assert default == every and default.endswith("_GAUSS.tif")
    assert subset == default.replace("_GAUSS.tif", "_GAUSS_B443-660.tif")


# --- Stops a batch or leaves processes behind ----------------------------------------------


@covers("worker-killed")
def test_a_killed_worker_fails_at_most_its_own_scene(big_root, tmp_path):
    killed = []

    def kill_the_first_writer():
        partial = _wait_for_partial(tmp_path)
        pid, _ = temporary_owner(partial)
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    killer = threading.Thread(target=kill_the_first_writer)
    killer.start()
    batch = run_batch(big_root, tmp_path, ResampleOptions(), workers=2)
    killer.join()
    assert killed and not _alive(killed[0])
    assert batch.counts()["ok"] == 3  # the killed scene ran again in a fresh worker
    assert len(read_report(tmp_path / "batch_report.csv")) == 3
    assert not _hidden_files(tmp_path)


PARENT = """
import sys
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, run_batch
run_batch({root!r}, {out!r}, ResampleOptions(), workers=2)
"""


@covers("parent-killed")
def test_workers_die_with_their_parent(big_root, tmp_path):
    code = PARENT.format(repo=str(REPO), root=str(big_root), out=str(tmp_path))
    parent = subprocess.Popen([sys.executable, "-c", code])
    _wait_for_partial(tmp_path)
    family = _children(parent.pid)
    assert len(family) >= 2  # the workers (and the resource tracker)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in family if _alive(pid)]
    again = run_batch(big_root, tmp_path, ResampleOptions())  # cleans their temporary files
    assert again.counts()["failed"] == 0 and not _hidden_files(tmp_path)


@covers("long-names")
def test_a_long_goci_name_gets_a_temporary_name_that_fits(scene, tmp_path):
    root = tmp_path / "input" / "LC08_scene"
    root.mkdir(parents=True)
    landsat = root / "LC08_scene_TOA_RAD_B1-2-3-4-5.tif"
    landsat.write_bytes(scene.landsat.read_bytes())
    goci = root / ("G" * (228 - len("_subset_footprint.nc")) + "_subset_footprint.nc")
    goci.write_bytes(scene.goci.read_bytes())
    assert len(goci.name.encode()) == 228
    every_band = ResampleOptions(method="nearest")  # the default name: 253 bytes
    for expected in ("ok", "skipped"):
        batch = run_batch(tmp_path / "input", tmp_path / "out", every_band)
        assert [r.status for r in batch.scenes] == [expected], batch.scenes[0].message
    deep = tmp_path / "/".join(["d" * 200] * 21)  # ~4200 characters
    with pytest.raises(GociResampleError) as raised:
        run_batch(tmp_path / "input", deep, ONE_BAND)
    assert "too long" in str(raised.value) and "Traceback" not in str(raised.value)


# --- Cryptic, or a traceback ----------------------------------------------------------------


@covers("name-too-long")
def test_an_output_name_whose_sidecar_name_would_be_too_long_is_refused(scene, tmp_path):
    output = tmp_path / ("o" * 251 + ".tif")  # legal, but <stem>.json is not
    with pytest.raises(GociResampleError) as raised:
        resample_pair(scene.goci, scene.landsat, output, ONE_BAND)
    assert "File name too long" in str(raised.value) and "shorter" in str(raised.value)
    assert list(tmp_path.iterdir()) == []


@covers("output-not-a-tif")
@pytest.mark.parametrize("name", ["d.json", "e.tif.json", "f.qml"])
def test_an_output_that_is_not_a_tif_is_refused_with_the_name_to_use(scene, tmp_path, name):
    with pytest.raises(GociResampleError) as raised:
        resample_pair(scene.goci, scene.landsat, tmp_path / name, ONE_BAND)
    assert "must be a GeoTIFF ending in .tif" in str(raised.value)
    assert list(tmp_path.iterdir()) == []


SCRIPT_WITHOUT_MAIN_GUARD = """
import sys
sys.path.insert(0, {repo!r})
from goci_resample_plugin.core import ResampleOptions, run_batch
batch = run_batch({root!r}, {out!r}, ResampleOptions(method="nearest"), workers=2)
print("COUNTS", batch.counts())
"""


@covers("script-without-main-guard")
def test_a_script_without_main_guard_says_what_to_do_and_keeps_its_report(batch_root, tmp_path):
    root, good = batch_root
    script = tmp_path / "run.py"
    script.write_text(SCRIPT_WITHOUT_MAIN_GUARD.format(repo=str(REPO), root=str(root),
                                                       out=str(tmp_path / "out")))  # fmt: skip
    completed = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                               timeout=600, cwd=tmp_path)  # fmt: skip
    assert 'if __name__ == "__main__":' in completed.stderr
    rows = read_report(tmp_path / "out" / "batch_report.csv")
    assert len(rows) == 7  # one header, every folder once: no worker rewrote the report
    failed = [row for row in rows if row["scene"] in good]
    assert all('if __name__ == "__main__":' in row["message"] for row in failed)


def _qgis_batch(qgis_process, root, out, workers):
    return subprocess.Popen(
        [qgis_process.binary, "run", "gociresample:batchresample", "--",
         f"INPUT_ROOT={root}", f"OUTPUT_ROOT={out}", f"WORKERS={workers}"],
        env=qgis_process.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


@covers("ctrl-c")
@pytest.mark.parametrize(
    ("workers", "how"),
    [(1, "SIGINT-group"), (2, "SIGINT-group"), (2, "SIGTERM")],
    ids=["ctrl-c-1", "ctrl-c-2", "sigterm-2"],
)
def test_ctrl_c_or_sigterm_on_qgis_process_stops_cleanly_and_says_so(
    qgis_process, big_root, tmp_path, workers, how
):
    run = _qgis_batch(qgis_process, big_root, tmp_path, workers)
    _wait_for_partial(tmp_path)
    family = _children(run.pid)  # its workers and their resource tracker
    if how == "SIGINT-group":
        os.killpg(run.pid, signal.SIGINT)  # as the terminal does: the whole process group
    else:
        os.kill(run.pid, signal.SIGTERM)  # as a job scheduler or `kill` does
    stdout, stderr = run.communicate(timeout=300)  # a hang fails here
    assert run.returncode != 0
    text = stdout + stderr
    assert f"{how.split('-')[0]} received" in text and "Cancelled" in text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert not _hidden_files(tmp_path)
    rows = read_report(tmp_path / "batch_report.csv")
    assert len(rows) == 3 and "not-run" in {row["status"] for row in rows}
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in family if _alive(pid)]


@covers("two-runs-one-root")
def test_a_second_batch_into_the_same_root_is_refused_naming_the_first(batch_root, tmp_path):
    root, _ = batch_root
    with output_root_lock(tmp_path), pytest.raises(GociResampleError) as raised:
        run_batch(root, tmp_path, ONE_BAND)
    message = str(raised.value)
    assert "Another batch is writing into" in message and f"process {os.getpid()}" in message
    assert not (tmp_path / "batch_report.csv").exists()
    assert run_batch(root, tmp_path, ONE_BAND).counts()["ok"] == 3  # free again afterwards


# --- Cosmetic but real ----------------------------------------------------------------------


@covers("band-all-fill")
def test_a_band_without_any_valid_pixel_is_warned_about(scene, tmp_path):
    def fill_865(dataset):
        band = dataset["geophysical_data/L_TOA_865"]
        band[:] = np.full(band.shape, band.getncattr("_FillValue"), band.dtype)

    goci = edited_copy(scene.goci, tmp_path / scene.goci.name, fill_865)
    lines = []
    control = RunControl(log=lambda level, text: lines.append((level, text)))
    resample_pair(goci, scene.landsat, tmp_path / "o.tif", ResampleOptions(), control)
    warnings = [text for level, text in lines if level == WARNING]
    assert any("L_TOA_865 has no value anywhere" in text for text in warnings)


@covers("lat-lon-swapped")
def test_swapped_latitude_and_longitude_are_named(scene, tmp_path):
    def swap(dataset):
        latitude, longitude = (
            dataset["navigation_data/latitude"],
            dataset["navigation_data/longitude"],
        )
        lat, lon = latitude[:], longitude[:]
        latitude[:], longitude[:] = lon, lat

    goci = edited_copy(scene.goci, tmp_path / scene.goci.name, swap)
    with pytest.raises(GociResampleError) as raised:
        resample_pair(goci, scene.landsat, tmp_path / "o.tif", ONE_BAND)
    assert "look swapped" in str(raised.value)


@covers("output-root-inside-input-root")
def test_an_output_root_inside_the_input_root_is_not_a_scene(batch_root, tmp_path):
    import shutil

    root, _ = batch_root
    inputs = tmp_path / "in"
    shutil.copytree(root, inputs)
    for _ in range(2):
        batch = run_batch(inputs, inputs / "resampled", ONE_BAND)
        assert "resampled" not in {result.scene for result in batch.scenes}


@covers("stale-report-temporary")
def test_a_temporary_left_by_a_killed_run_is_removed(batch_root, tmp_path):
    root, _ = batch_root
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    leftover = tmp_path / f".batch_report.csv.partial-{gone.pid}"
    leftover.write_text("scene,status\n")
    run_batch(root, tmp_path, ONE_BAND)
    assert not leftover.exists()


@covers("neighbours-not-whole")
def test_neighbours_that_is_not_a_whole_number_is_refused(qgis_process, scene, tmp_path):
    completed = qgis_process("run", "gociresample:resamplepair", "--", f"GOCI={scene.goci}",
                             f"LANDSAT={scene.landsat}", "NEIGHBOURS=2.5",
                             f"OUTPUT={tmp_path / 'o.tif'}")  # fmt: skip
    assert completed.returncode != 0
    assert "NEIGHBOURS must be a whole number ≥ 1, not 2.5" in completed.stdout + completed.stderr
    assert list(tmp_path.iterdir()) == []


def test_sidecar_of_a_reused_output_is_unchanged(scene, tmp_path):
    output = tmp_path / "o.tif"
    resample_pair(scene.goci, scene.landsat, output, ONE_BAND)
    before = json.loads(output.with_suffix(".json").read_text())
    reused = resample_pair(scene.goci, scene.landsat, output, ONE_BAND)
    assert reused.reused and json.loads(output.with_suffix(".json").read_text()) == before


MEASURE = """
import json, sys
sys.path.insert(0, {repo!r})
import rasterio
from goci_resample_plugin.core import ResampleCancelled, ResampleOptions, RunControl, resample_pair
from goci_resample_plugin.core.pair import pair_memory_bytes
with rasterio.open({landsat!r}) as src:
    profile = src.profile | dict(width={size}, height={size}, tiled=True, blockxsize=256,
                                 blockysize=256, sparse_ok=True, BIGTIFF="YES")
with rasterio.open({big!r}, "w", **profile):
    pass  # sparse: a huge grid, nothing stored
calls = []
try:  # set-up, then two blocks of rows
    resample_pair({goci!r}, {big!r}, {output!r}, ResampleOptions(),
                  RunControl(cancelled=lambda: calls.append(1) or len(calls) > 2))
except ResampleCancelled:
    pass
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec
with open("/proc/self/status", encoding="ascii") as status:
    [peak_kib] = [int(line.split()[1]) for line in status if line.startswith("VmHWM:")]
print(json.dumps([peak_kib * 1024, pair_memory_bytes({size}, {size}, 5, 0)]))
"""


@covers("memory-estimate")
@pytest.mark.parametrize("size", [6000, 16000])
def test_the_memory_guard_estimates_at_least_what_is_used(scene, tmp_path, size):
    """The guard must stop a pair before the system kills it: its estimate may not be below
    the measured peak (set-up grew with width × height and was estimated from the width) —
    nor so far above it that it refuses scenes that fit (a guard refusing every scene would
    pass a one-sided test). The run is cancelled after two blocks, before the writer's cache
    and the blocks' working memory are full, hence the factor."""
    code = MEASURE.format(repo=str(REPO), landsat=str(scene.landsat), size=size,
                          big=str(tmp_path / "big_TOA_RAD_B1.tif"), goci=str(scene.goci),
                          output=str(tmp_path / "o.tif"))  # fmt: skip
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               timeout=600, check=True)  # fmt: skip
    peak, estimate = json.loads(completed.stdout.splitlines()[-1])
    figures = f"peak {peak / 2**30:.2f} GB, estimate {estimate / 2**30:.2f} GB"
    assert peak <= estimate <= 4 * peak, figures
