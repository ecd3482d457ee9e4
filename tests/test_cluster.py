"""SCHEDULER: a batch on a real dask.distributed cluster — a scheduler and two workers started
as separate processes on 127.0.0.1 (``scripts/local_cluster.py``)."""

import json
import os
import shutil
import signal
import subprocess
import time

import pytest
from local_cluster import local_cluster
from rows import covers
from sample_data import goci2_spec, write_scene

from goci_resample_plugin.core import GociResampleError, ResampleOptions, RunControl, run_batch
from goci_resample_plugin.core.batch import read_report
from goci_resample_plugin.core.batch.report import COLUMNS
from goci_resample_plugin.core.write.names import temporary_owner


@pytest.fixture
def cluster(tmp_path):
    """(scheduler address, {name: worker process}) of a two-worker local cluster."""
    pytest.importorskip("distributed")
    with local_cluster(tmp_path, workers=2) as running:
        yield running


@pytest.fixture(scope="module")
def cluster_root(tmp_path_factory):
    """Three GOCI-II scenes, large enough that a scene takes a moment."""
    root = tmp_path_factory.mktemp("cluster") / "input"
    for number in range(3):
        write_scene(root, goci2_spec(scene=f"LC08_L1TP_11803{number}_20210429_20210507_02_T1",
                                     width=1200, height=1200, centre_lat=31.0 + 0.4 * number,
                                     seed=20 + number))  # fmt: skip
    return root


ONE_BAND_NEAREST = ResampleOptions(wavelengths=(660,), method="nearest")


def _hidden(root):
    return [p for p in root.rglob(".*") if p.is_file()]


def test_a_batch_runs_on_the_cluster_and_the_report_is_written_here(cluster, cluster_root,
                                                                     tmp_path):  # fmt: skip
    address, _ = cluster
    batch = run_batch(cluster_root, tmp_path / "out", ResampleOptions(method="nearest"),
                      scheduler=address)  # fmt: skip
    assert batch.counts()["ok"] == 3
    rows = read_report(tmp_path / "out" / "batch_report.csv")
    assert sorted(row["status"] for row in rows) == ["ok"] * 3
    assert len(list((tmp_path / "out").rglob("*_NEAREST.tif"))) == 3
    assert _hidden(tmp_path / "out") == []


def test_a_worker_killed_mid_scene_leaves_every_scene_done(cluster, cluster_root, tmp_path):
    address, workers = cluster
    output = tmp_path / "out"
    killed = []

    def kill_a_writing_worker():  # one of the two, while it writes a scene
        for partial in _hidden(output):
            pid = (temporary_owner(partial) or (None,))[0]
            if not killed and pid in {w.pid for w in workers.values()}:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
        return False

    batch = run_batch(cluster_root, output, ResampleOptions(neighbours=32), scheduler=address,
                      control=RunControl(cancelled=kill_a_writing_worker))  # fmt: skip
    assert killed, "no worker was caught writing"
    assert batch.counts()["ok"] == 3, batch.counts()
    assert len(read_report(output / "batch_report.csv")) == 3
    assert _hidden(output) == []  # the dead worker's temporary was cleaned by the rerun


@covers("scheduler-lost")
def test_a_lost_scheduler_ends_with_not_run_rows_after_the_workers(cluster, cluster_root,
                                                                   tmp_path):  # fmt: skip
    """The scheduler killed mid-batch: unfinished scenes get not-run rows (not "failed on the
    cluster: CancelledError"), the batch fails with what to do, and it returns only when no
    worker still writes into OUTPUT_ROOT (the lock held until then)."""
    output = tmp_path / "out"

    def kill_the_scheduler_once_writing():
        if cluster.scheduler.poll() is None and [
            p for p in _hidden(output) if ".partial-" in p.name
        ]:
            cluster.scheduler.kill()
        return False

    with pytest.raises(GociResampleError, match="Lost the dask scheduler at") as raised:
        run_batch(cluster_root, output, ResampleOptions(neighbours=32), scheduler=cluster[0],
                  control=RunControl(cancelled=kill_the_scheduler_once_writing))  # fmt: skip
    assert "not run" in str(raised.value) and "run the batch again to resume" in str(raised.value)
    assert not [p for p in _hidden(output) if ".partial-" in p.name]
    rows = read_report(output / "batch_report.csv")
    assert len(rows) == 3 and {row["status"] for row in rows} <= {"ok", "not-run"}
    assert "not-run" in {row["status"] for row in rows}
    assert not any("CancelledError" in row["message"] for row in rows)


@covers("worker-without-the-shared-folder")
def test_a_worker_that_does_not_see_the_shared_folder_fails_its_scenes(cluster_root, tmp_path):
    """A worker's machine without the shared folder writes OUTPUT_ROOT on its own disk: its
    scenes must not read "ok" here. Simulated with a worker in a mount namespace of its own,
    where OUTPUT_ROOT is a private tmpfs."""
    pytest.importorskip("distributed")
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs unshare and root for a private mount namespace")
    output = tmp_path / "out"
    output.mkdir()

    def elsewhere(command):
        script = 'mount -t tmpfs tmpfs "$0" && exec "$@"'
        return ["unshare", "-m", "--propagation", "private", "sh", "-c", script, str(output),
                *command]  # fmt: skip

    with local_cluster(tmp_path, workers=1, worker_command=elsewhere) as (address, _):
        batch = run_batch(cluster_root, output, ONE_BAND_NEAREST, scheduler=address)
    rows = read_report(batch.report)
    assert len(rows) == 3 and {row["status"] for row in rows} == {"failed"}, rows
    assert all("on its own machine, not here" in row["message"] for row in rows)


def test_cancel_reaches_the_workers_and_leaves_no_partial_file(cluster, cluster_root, tmp_path):
    address, _ = cluster
    output = tmp_path / "out"
    seen = []

    def cancel_once_writing():
        seen.extend(p for p in _hidden(output) if ".partial-" in p.name)
        return bool(seen)

    batch = run_batch(cluster_root, output, ResampleOptions(neighbours=32), scheduler=address,
                      control=RunControl(cancelled=cancel_once_writing))  # fmt: skip
    assert batch.cancelled and batch.counts()["not-run"] >= 1
    assert len(read_report(output / "batch_report.csv")) == 3
    assert _hidden(output) == []


def test_scheduler_through_qgis_process(qgis_process, cluster, cluster_root, tmp_path):
    address, _ = cluster
    completed = qgis_process("--json", "run", "gociresample:batchresample", "--",
                             f"INPUT_ROOT={cluster_root}", f"OUTPUT_ROOT={tmp_path}", "METHOD=1",
                             f"SCHEDULER={address}", check=True)  # fmt: skip
    assert json.loads(completed.stdout)["results"]["PROCESSED"] == 3
    assert _scheduler_ran_scenes(address)  # on the cluster, not here


def _scheduler_ran_scenes(address):
    """True when the scheduler at ``address`` has seen the batch's scene tasks."""
    import distributed

    with distributed.Client(address, set_as_default=False) as client:
        return "goci-scene" in client.run_on_scheduler(
            lambda dask_scheduler: list(dask_scheduler.task_prefixes)
        )


def test_ctrl_c_on_qgis_process_cancels_the_cluster_tasks(qgis_process, cluster, cluster_root,
                                                          tmp_path):  # fmt: skip
    """Ctrl-C in the terminal of a ``qgis_process`` batch on a cluster: the same clean stop as
    with local workers — message, not-run rows, no temporary left by a remote worker."""
    address, _ = cluster
    run = subprocess.Popen(
        [qgis_process.binary, "run", "gociresample:batchresample", "--",
         f"INPUT_ROOT={cluster_root}", f"OUTPUT_ROOT={tmp_path}", "NEIGHBOURS=32",
         f"SCHEDULER={address}"],
        env=qgis_process.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not [p for p in _hidden(tmp_path) if ".partial-" in p.name]:
        assert time.monotonic() < deadline and run.poll() is None, "no scene was being written"
        time.sleep(0.002)
    os.killpg(run.pid, signal.SIGINT)  # as the terminal does: the whole process group
    stdout, stderr = run.communicate(timeout=300)  # a hang fails here
    text = stdout + stderr
    assert run.returncode != 0
    assert "SIGINT received" in text and "Cancelled" in text and "Traceback" not in text
    rows = read_report(tmp_path / "batch_report.csv")
    assert len(rows) == 3 and "not-run" in {row["status"] for row in rows}
    assert _hidden(tmp_path) == []


def test_an_unreachable_scheduler_is_a_clear_message(batch_root, tmp_path):
    from goci_resample_plugin.core import GociResampleError

    root, _ = batch_root
    report = tmp_path / "out" / "batch_report.csv"
    report.parent.mkdir()
    previous = ",".join(COLUMNS) + "\nLC08_L1TP_118030_20210429_20210507_02_T1,ok,,12.5\n"
    report.write_text(previous)
    with pytest.raises(GociResampleError, match="Cannot reach the dask scheduler"):
        run_batch(root, tmp_path / "out", scheduler="tcp://127.0.0.1:9")
    assert report.read_text() == previous  # not replaced by a bare header


def test_matchups_on_the_cluster_give_every_scene_its_files_and_the_series(cluster, tmp_path):
    """SCHEDULER with MATCHUPS: the workers write each scene's match-up files, the client the
    series after each scene (the same figures as the report's)."""
    from test_matchups import calibrated_root, series_scenes

    address, _ = cluster
    root, out = calibrated_root(tmp_path, count=2), tmp_path / "out"
    batch = run_batch(root, out, ONE_BAND_NEAREST, scheduler=address, matchups=True)
    assert batch.counts()["ok"] == 2
    for scene in root.iterdir():
        [product] = (out / scene.name).glob("Landsat_on_GOCI_*.nc")
        for suffix in (".gpkg", "_stats.csv", ".html", ".json"):
            assert product.with_name(product.stem + suffix).is_file(), suffix
    counts, listed = series_scenes(out)
    report = {
        row["scene"]: int(row["matchups_passing"]) for row in read_report(out / "batch_report.csv")
    }
    assert {k: v for k, v in counts.items() if k != "all"} == report
    assert counts["all"] == sum(report.values()) > 0 and len(listed) == 2
    assert _hidden(out) == []


def test_after_a_lost_scheduler_a_held_product_lock_counts_as_writing(tmp_path):
    """Between two files of a product (its GeoTIFF landed, its style not begun) a worker has
    no half-written file but holds the product's lock: the batch waits for it too."""
    import threading

    from goci_resample_plugin.core.batch.cluster import _wait_for_workers
    from goci_resample_plugin.core.system import held_lock
    from goci_resample_plugin.core.write.names import lock_path

    scene = tmp_path / "LC08_L1TP_118038_20210429_20210507_02_T1"
    scene.mkdir()
    held, release = threading.Event(), threading.Event()

    def worker():
        with held_lock(lock_path(scene / "GOCI_on_Landsat_x_GAUSS.tif"), lambda holder: ""):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=worker)
    thread.start()
    held.wait(10)
    threading.Timer(1.5, release.set).start()
    started = time.monotonic()
    _wait_for_workers(tmp_path, RunControl())
    waited = time.monotonic() - started
    thread.join()
    assert waited >= 1.2, f"returned after {waited:.2f} s while the lock was held"
