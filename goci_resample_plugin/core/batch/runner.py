"""Resample every scene pair under an input root: isolated scenes, resumable, optionally parallel.

::

    from goci_resample_plugin.core import ResampleOptions, run_batch

    if __name__ == "__main__":  # needed with workers > 1: workers re-import the script
        batch = run_batch("/data/clipped", "/data/resampled", ResampleOptions(), workers=2)
        print(batch.counts())      # {'ok': 41, 'skipped': 0, 'failed': 2, 'no-pair': 1}

Each scene runs in isolation (:mod:`.scene`): its errors become a ``failed`` report row and
the batch goes on. Outputs are atomic and an output complete for this run is reused, so a
killed run resumes where it stopped. Scenes run in-process, or in any
``concurrent.futures.Executor`` (``workers`` > 1 makes a process pool), with identical results.
"""

import concurrent.futures
import contextlib
import dataclasses
import multiprocessing
import os
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from ..control import RunControl
from ..errors import GociResampleError, ResampleCancelled
from ..matchups.series import SeriesWriter, check_series_outputs
from ..options import MatchupOptions, ProductRequest, ResampleOptions
from ..pair import pair_memory_bytes
from ..system import available_memory_bytes
from ..write import check_path_usable, make_folder, remove_stale_temporaries
from .cluster import SchedulerLost, cluster_client, run_on_cluster
from .lock import output_root_lock
from .report import BatchReport
from .scene import FAILED, NO_PAIR, NOT_RUN, STATUSES, SceneResult, process_scene
from .scenes import discover_scenes
from .workers import cancel_flag, process_in_worker, process_pool

POLL_SECONDS = 0.25
WORKER_DIED_MESSAGE = (
    "the worker process running this scene died (killed, out of memory, or a crash in a "
    "library), also when run again alone; run it with WORKERS=1 to see the error, or with "
    "fewer WORKERS if memory is short (from a Python script, also check that run_batch is "
    'called under `if __name__ == "__main__":`)'
)
WORKER_BOOTSTRAP_MESSAGE = (
    "goci-resample: run_batch(workers > 1) was called again while a worker process started. "
    "A script that runs a batch with several workers must call it under "
    '`if __name__ == "__main__":` (workers import the script). The batch is not affected.'
)
MAX_BANDS = 16
"""Bands assumed per scene when sizing workers before reading any GOCI file (GOCI-II: 12)."""
MAX_GOCI_PIXELS = 1_000_000
"""GOCI pixels assumed per subset when sizing workers (a Landsat footprint holds ~250 000)."""


@dataclass(frozen=True)
class BatchResult:
    """All scene results of a run, the report path and whether the run was cancelled."""

    scenes: list
    report: Path
    cancelled: bool
    seconds: float

    def counts(self):
        """Return ``{status: number of scenes}`` for every status."""
        return {status: sum(r.status == status for r in self.scenes) for status in STATUSES}


def run_batch(input_root, output_root, options=None, *, request=None, workers=1, executor=None,
              scheduler=None, control=None, **products):  # fmt: skip
    """Resample every scene pair under ``input_root`` into ``output_root/<scene>/``.

    Args:
        input_root: folder of scene folders (SPEC §2).
        output_root: where outputs and ``batch_report.csv`` go (created if needed).
        options: ``ResampleOptions`` for every scene.
        request: a ``ProductRequest`` (quality True: ``<stem>_QA.tif``) for every scene;
            without it, the keywords below make it.
        overwrite: redo outputs that are already complete for this run, and replace files at
            output names that goci-resample did not write (the same meaning as for one pair).
        write_npy: also write one ``<output stem>_<band>.npy`` per band.
        write_quality: also write each output's per-pixel quality raster
            ``<output stem>_QA.tif`` (see ``resample_pair``'s ``quality_output``).
        register: correct each scene's GOCI geolocation against its Landsat file
            (:func:`~..compare.resample_registered`); the report gets the offsets.
        workers: scenes run at once; > 1 makes a process pool (ignored with ``executor``).
        executor: any ``concurrent.futures.Executor`` on this machine to run scenes in.
        scheduler: a dask.distributed scheduler address (``tcp://host:8786``) or ``Client``:
            scenes then run as tasks on that cluster's workers (``WORKERS`` and
            ``executor`` are ignored); OUTPUT_ROOT must be the same path on every worker.
        compare: also compare each output with its Landsat file and put the key figures in
            the report.
        matchups: also make each scene's match-ups at GOCI scale (``match_pair``) next to its
            output, and ``matchups_all.csv`` / ``matchups_fit.csv`` in ``output_root``.
        control: ``RunControl``: overall progress, cancel (the run stops within a block of
            rows; finished outputs stay, no partial file is left), log.

    Returns:
        BatchResult (scene results in the order they finished).

    Raises:
        GociResampleError: the input root is missing or the output root is not writable.
    """
    started = time.perf_counter()
    options = options or ResampleOptions()
    request = dataclasses.replace(request or batch_request(**products), in_batch=True)
    control = control or RunControl()
    input_root, output_root = Path(input_root), Path(output_root)
    if executor is None and workers > 1 and scheduler is None:
        _refuse_while_a_worker_starts()
    check_path_usable(output_root)
    scenes = _discover(input_root, output_root)
    settings = dict(output_root=output_root, options=options, request=request)
    make_folder(output_root)
    # the scheduler is reached first: a wrong address must not cost the previous report
    connection = cluster_client(scheduler) if scheduler else contextlib.nullcontext()
    with connection as client, output_root_lock(output_root):
        remove_stale_temporaries(output_root)
        report = BatchReport(output_root, overwrite=request.overwrite)
        series = None
        if request.matchups:  # the batch makes them with the default parameters
            check_series_outputs(output_root, request.overwrite)
            series = SeriesWriter(output_root, scenes, MatchupOptions().as_dict(),
                                  request.register)  # fmt: skip
            report = _WithSeries(report, series)
        control.info(f"{len(scenes)} scene folder(s) under {input_root}; report {report.path}")
        try:
            results, cancelled = _run(scenes, settings, report, workers, executor, client,
                                      control)  # fmt: skip
        except BaseException:
            if series is not None:  # the scenes done so far (a lost scheduler, Ctrl-C)
                with contextlib.suppress(GociResampleError):
                    series.close()
            raise
        if series is not None:
            series.close()
    batch = BatchResult(results, report.path, cancelled, time.perf_counter() - started)
    counts = batch.counts()
    control.info(
        f"{'Cancelled' if cancelled else 'Done'} in {batch.seconds:.1f} s: "
        + ", ".join(f"{counts[s]} {s}" for s in STATUSES)
        + f". Report: {report.path}"
    )
    return batch


def batch_request(*, overwrite=False, write_npy=False, write_quality=False, register=False,
                  compare=False, matchups=False):  # fmt: skip
    """The ``ProductRequest`` of ``run_batch``'s keywords (``write_quality``: ``<stem>_QA.tif``
    next to each output)."""
    return ProductRequest(overwrite=overwrite, write_npy=write_npy,
                          quality=True if write_quality else None, register=register,
                          compare=compare, matchups=matchups)  # fmt: skip


class _WithSeries:
    """The batch report, and the match-up series (a :class:`SeriesWriter`) told of every
    scene that ran."""

    def __init__(self, report, series):
        self.report, self.series, self.path = report, series, report.path

    def add(self, result):
        self.report.add(result)
        if result.status not in (NO_PAIR, NOT_RUN):  # its products may have changed
            self.series.scene_finished()


def _run(scenes, settings, report, workers, executor, client, control):
    """Run every scene, adding its row to ``report`` as it finishes; return the results and
    whether the run was cancelled (scenes not reached then get a ``not-run`` row)."""
    results = []

    def finished(result, lines=()):
        for level, line in lines:
            control.log(level, f"{result.scene}: {line}")
        results.append(result)
        report.add(result)
        control.info(f"{result.scene}: {result.status} ({result.seconds:.1f} s) {result.message}")

    if executor is None and client is None and workers > 1:
        workers = _affordable_workers(scenes, min(workers, max(1, len(scenes))), control)
    if client is not None:
        try:
            cancelled = run_on_cluster(client, scenes, settings, finished, control)
        except SchedulerLost as lost:
            _not_run(scenes, results, finished, f"not run: {lost}")
            raise
    elif executor is None and workers <= 1:
        cancelled = _run_in_process(scenes, settings, finished, control)
    else:
        cancelled = _run_in_executor(executor, workers, scenes, settings, finished, control)
    if cancelled:
        _not_run(scenes, results, finished, "not run: the batch was cancelled; run it again "
                 "to resume")  # fmt: skip
    return results, cancelled


def _not_run(scenes, results, finished, message):
    """A ``not-run`` row for every scene without a result yet."""
    done = {result.scene for result in results}
    for scene in scenes:
        if scene.name not in done:
            finished(SceneResult(scene.name, NOT_RUN, message))


def _discover(input_root, output_root):
    """The scene folders under ``input_root``, without ``output_root`` when it lies inside."""
    if not input_root.is_dir():
        raise GociResampleError(
            f"INPUT_ROOT {input_root} is not a folder. Choose the folder that holds one "
            "sub-folder per Landsat scene."
        )
    output = os.path.realpath(output_root)
    return [s for s in discover_scenes(input_root) if os.path.realpath(s.folder) != output]


def _refuse_while_a_worker_starts():
    """A script that calls ``run_batch(workers=2)`` without ``if __name__ == "__main__":`` runs
    it again in every worker as the worker imports the script; stop that second run at once
    (before it rewrites the report) with what to do."""
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        sys.stderr.write(WORKER_BOOTSTRAP_MESSAGE + "\n")
        raise SystemExit(1)


def _affordable_workers(scenes, workers, control):
    """Fewer workers when the machine cannot hold ``workers`` of the largest scene at once."""
    import rasterio

    sizes = []
    for scene in scenes:
        if scene.landsat is not None:
            try:
                with rasterio.open(scene.landsat) as dataset:
                    sizes.append((dataset.width, dataset.height))
            except (rasterio.errors.RasterioError, OSError):
                continue  # the scene itself will report it
    available = available_memory_bytes()
    if not sizes or available is None:
        return workers
    per_worker = max(pair_memory_bytes(w, h, MAX_BANDS, MAX_GOCI_PIXELS) for w, h in sizes)
    affordable = max(1, int(available // per_worker))
    if affordable < workers:
        control.warning(
            f"WORKERS reduced from {workers} to {affordable}: each needs up to "
            f"{per_worker / 2**30:.1f} GB and {available / 2**30:.1f} GB are available."
        )
    return min(workers, affordable)


def _run_in_process(scenes, settings, finished, control):
    """Run scenes one after the other; return True when cancelled."""
    total = max(1, len(scenes))
    for position, scene in enumerate(scenes):
        if control.cancelled():
            return True
        try:
            result = process_scene(
                scene, **settings, control=control.part(position / total, (position + 1) / total)
            )
        except ResampleCancelled:
            return True
        finished(result)
        control.progress((position + 1) / total)
    return False


def _run_in_executor(executor, workers, scenes, settings, finished, control):
    """Run scenes in ``executor`` or in a process pool of ``workers``; return True when
    cancelled.

    Workers see a cancel request through a flag file (any executor on this machine can). When
    a worker process dies (killed, out of memory, a crash), Python's pool fails every scene it
    was running or still had queued; those scenes are run again, each alone in a fresh
    one-worker pool, so only the scene that kills its worker fails.
    """
    progress = _Progress(len(scenes), control)
    with cancel_flag() as flag:
        pool = contextlib.nullcontext(executor) if executor else process_pool(workers)
        with pool as running:
            broken = _submit_all(running, scenes, settings, flag, finished, control, progress)
        for scene in broken:
            if flag.exists():
                break
            with process_pool(1) as alone:
                again = _submit_all(alone, [scene], settings, flag, finished, control, progress)
            for scene in again:
                finished(SceneResult(scene.name, FAILED, WORKER_DIED_MESSAGE))
                progress.advance()
        return flag.exists()


def _submit_all(pool, scenes, settings, flag, finished, control, progress):
    """Run ``scenes`` in ``pool``, reporting each as it finishes; return the scenes whose
    worker process died."""
    pending = {
        pool.submit(process_in_worker, scene, settings, str(flag)): scene for scene in scenes
    }
    broken = []
    while pending:
        finished_now, _ = concurrent.futures.wait(
            pending, timeout=POLL_SECONDS, return_when=concurrent.futures.FIRST_COMPLETED
        )
        for future in finished_now:
            scene = pending.pop(future)
            if future.cancelled():
                continue
            try:
                outcome = future.result()
            except ResampleCancelled:
                continue
            except BrokenProcessPool:
                broken.append(scene)
                continue
            except Exception as error:  # an executor of the caller's failed the task
                outcome = (SceneResult(scene.name, FAILED, f"the worker failed: {error}"),)
            try:
                finished(*outcome)
            except BaseException:  # the report cannot be written: stop the others at once
                flag.touch()
                for other in pending:
                    other.cancel()
                raise
            progress.advance()
        if control.cancelled() and not flag.exists():
            flag.touch()
            for future in pending:
                future.cancel()
    return broken


class _Progress:
    """Overall progress of scenes finishing in any order."""

    def __init__(self, total, control):
        self.total, self.done, self.control = max(1, total), 0, control

    def advance(self):
        self.done += 1
        self.control.progress(self.done / self.total)
