"""Resample every scene pair under an input root: isolated scenes, resumable, optionally parallel.

::

    from goci_resample_plugin.core import ResampleOptions, run_batch
    batch = run_batch("/data/clipped", "/data/resampled", ResampleOptions(), workers=2)
    print(batch.counts())          # {'ok': 41, 'skipped': 0, 'failed': 2, 'no-pair': 1}

Each scene runs in isolation: its errors become a ``failed`` report row and the batch goes on.
Outputs are atomic (see :mod:`.atomic`) and a complete output (raster, then sidecar, then the
optional ``.npy`` files) is skipped unless ``overwrite``, so a killed run resumes where it
stopped. Scenes run in-process, or in any ``concurrent.futures.Executor`` (``workers`` > 1
makes a process pool), with identical results.
"""

import concurrent.futures
import contextlib
import json
import math
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from .atomic import atomic_output
from .checks import available_memory_bytes
from .errors import GociResampleError, ResampleCancelled
from .options import ResampleOptions
from .pair import output_name, pair_memory_bytes, resample_pair, sidecar_paths
from .report import BatchReport
from .scenes import discover_scenes

OK, SKIPPED, FAILED, NO_PAIR = "ok", "skipped", "failed", "no-pair"
STATUSES = (OK, SKIPPED, FAILED, NO_PAIR)
POLL_SECONDS = 0.25
MAX_BANDS = 16
"""Bands assumed per scene when sizing workers before reading any GOCI file (GOCI-II: 12)."""
MAX_GOCI_PIXELS = 1_000_000
"""GOCI pixels assumed per subset when sizing workers (a Landsat footprint holds ~250 000)."""


@dataclass(frozen=True)
class SceneResult:
    """What happened to one scene folder.

    Attributes:
        scene: the folder name.
        status: ``ok``, ``skipped``, ``failed`` or ``no-pair``.
        message: what was done or what was wrong (names the file and the fix).
        seconds: wall time spent on the scene.
        output: the output GeoTIFF (``None`` when there is none).
        valid_fraction: fraction of the grid valid in every band (``None`` when unknown).
        landsat: the scene's Landsat file, when there is an output (to show them together).
        figures: key figures of the comparison with Landsat when asked for (report columns
            ``COMPARE_COLUMNS``).
    """

    scene: str
    status: str
    message: str = ""
    seconds: float = 0.0
    output: Path = None
    valid_fraction: float = None
    landsat: Path = None
    figures: dict = field(default_factory=dict)


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


def run_batch(
    input_root,
    output_root,
    options=None,
    *,
    overwrite=False,
    write_npy=False,
    workers=1,
    executor=None,
    progress=None,
    is_cancelled=None,
    log=None,
    compare=False,
):
    """Resample every scene pair under ``input_root`` into ``output_root/<scene>/``.

    Args:
        input_root: folder of scene folders (SPEC §2).
        output_root: where outputs and ``batch_report.csv`` go (created if needed).
        options: ``ResampleOptions`` for every scene.
        overwrite: redo scenes whose output is already complete.
        write_npy: also write one ``<output stem>_<band>.npy`` per band.
        workers: scenes run at once; > 1 makes a process pool (ignored with ``executor``).
        executor: any ``concurrent.futures.Executor`` to run scenes in (e.g. a cluster's).
        progress: optional callable taking the overall fraction 0..1.
        is_cancelled: optional callable; when it returns True the run stops within a block
            of rows, finished outputs stay and no partial file is left.
        log: optional callable taking a line of text.
        compare: also compare each output with its Landsat file (``core.compare``) and put
            the key figures in the report.

    Returns:
        BatchResult (scene results in the order they finished).

    Raises:
        GociResampleError: the input root is missing or the output root is not writable.
    """
    started = time.perf_counter()
    options = options or ResampleOptions()
    progress = progress or (lambda fraction: None)
    is_cancelled = is_cancelled or (lambda: False)
    log = log or (lambda text: None)
    input_root, output_root = Path(input_root), Path(output_root)
    scenes = _discover(input_root)
    report = _start_report(output_root)
    log(f"{len(scenes)} scene folder(s) under {input_root}; report {report.path}")
    results = []

    def finished(result, lines=()):
        for line in lines:
            log(f"{result.scene}: {line}")
        results.append(result)
        report.add(result)
        log(f"{result.scene}: {result.status} ({result.seconds:.1f} s) {result.message}")

    settings = dict(
        output_root=output_root,
        options=options,
        overwrite=overwrite,
        write_npy=write_npy,
        compare=compare,
    )
    if executor is None and workers > 1:
        workers = _affordable_workers(scenes, min(workers, max(1, len(scenes))), log)
    if executor is None and workers <= 1:
        cancelled = _run_in_process(scenes, settings, finished, progress, is_cancelled, log)
    else:
        with _executor(executor, workers) as pool:
            cancelled = _run_in_executor(pool, scenes, settings, finished, progress, is_cancelled)
    batch = BatchResult(results, report.path, cancelled, time.perf_counter() - started)
    counts = batch.counts()
    log(
        f"{'Cancelled' if cancelled else 'Done'} in {batch.seconds:.1f} s: "
        + ", ".join(f"{counts[s]} {s}" for s in STATUSES)
        + f". Report: {report.path}"
    )
    return batch


def process_scene(
    scene,
    output_root,
    options,
    overwrite=False,
    write_npy=False,
    progress=None,
    is_cancelled=None,
    log=None,
    compare=False,
):
    """Resample one ``SceneFolder`` and return its :class:`SceneResult`; never raises for a
    bad scene (its problem becomes the result's message). With ``compare``, a finished or
    skipped output is also compared with Landsat (``<stem>_comparison.csv``/``.html`` next to
    it, key figures in the result).

    Raises:
        ResampleCancelled: ``is_cancelled`` returned True; nothing partial is left.
    """
    started = time.perf_counter()
    log = log or (lambda text: None)
    if scene.problem:
        return SceneResult(scene.name, FAILED if scene.ambiguous else NO_PAIR, scene.problem)
    output = Path(output_root) / scene.name / output_name(scene.goci, options)
    _remove_stale_partials(output.parent)
    if not overwrite:
        existing = _complete_output(output, options, write_npy)
        if existing is not None:
            skipped = SceneResult(
                scene.name,
                SKIPPED,
                existing["message"],
                time.perf_counter() - started,
                output,
                existing["valid_fraction"],
                scene.landsat,
            )
            return _with_comparison(skipped, started) if compare else skipped
    try:
        result = resample_pair(
            scene.goci,
            scene.landsat,
            output,
            options,
            progress=progress,
            is_cancelled=is_cancelled,
            log=log,
            overwrite=overwrite,
        )
        if write_npy:
            export_npy(output)
    except ResampleCancelled:
        raise
    except GociResampleError as error:
        return SceneResult(scene.name, FAILED, str(error), time.perf_counter() - started)
    except MemoryError:
        return SceneResult(
            scene.name,
            FAILED,
            "ran out of memory; run with fewer WORKERS.",
            time.perf_counter() - started,
        )
    except Exception as error:  # one bad scene never stops the batch
        log(traceback.format_exc())
        return SceneResult(
            scene.name,
            FAILED,
            f"unexpected error reading {scene.goci.name} / {scene.landsat.name}: "
            f"{type(error).__name__}: {error}. Please report it with these files.",
            time.perf_counter() - started,
        )
    message = f"{result.valid_fraction:.1%} of the grid valid in every band"
    done = SceneResult(
        scene.name,
        OK,
        message,
        time.perf_counter() - started,
        output,
        result.valid_fraction,
        scene.landsat,
    )
    return _with_comparison(done, started) if compare else done


def _with_comparison(result, started):
    """``result`` with the comparison's key figures (or why it failed, in the message)."""
    from .compare import compare_rasters
    from .compare_report import write_report_html, write_table_csv

    stem = result.output.with_suffix("")
    try:
        comparison = compare_rasters(result.output, result.landsat)
        write_table_csv(comparison, stem.with_name(f"{stem.name}_comparison.csv"))
        write_report_html(comparison, stem.with_name(f"{stem.name}_comparison.html"))
    except GociResampleError as error:
        return replace(result, message=f"{result.message}; comparison failed: {error}",
                       seconds=time.perf_counter() - started)  # fmt: skip
    shift, pairs = comparison.shift, comparison.pairs
    measured = math.isfinite(shift.east_m)  # small scenes have too few blocks for an offset
    figures = {
        "shift_east_m": f"{shift.east_m:.1f}" if measured else "",
        "shift_north_m": f"{shift.north_m:.1f}" if measured else "",
        "shift_confidence": f"{shift.confidence:.3f}" if measured else "",
        "r2_by_band": ";".join(f"{p.goci_wavelength_nm}={p.blocks.r2:.4f}" for p in pairs),
        "bias_by_band": ";".join(f"{p.goci_wavelength_nm}={p.blocks.bias:.4g}" for p in pairs),
    }
    return replace(result, figures=figures, seconds=time.perf_counter() - started)


def export_npy(output):
    """Write each band of an output GeoTIFF as ``<stem>_<band name>.npy`` (float32, NaN = no
    data), one band in memory at a time; each file appears atomically. Returns the paths."""
    import numpy as np
    import rasterio

    paths = []
    with rasterio.open(output) as dataset:
        for number, description in enumerate(dataset.descriptions, start=1):
            path = npy_path(output, description or f"band{number}")
            with atomic_output(path) as temporary, open(temporary, "wb") as handle:
                np.save(handle, dataset.read(number))
            paths.append(path)
    return paths


def npy_path(output, band_name):
    """Return the ``.npy`` path of one band of an output GeoTIFF."""
    output = Path(output)
    return output.with_name(f"{output.stem}_{band_name}.npy")


def _discover(input_root):
    if not input_root.is_dir():
        raise GociResampleError(
            f"INPUT_ROOT {input_root} is not a folder. Choose the folder that holds one "
            "sub-folder per Landsat scene."
        )
    return discover_scenes(input_root)


def _start_report(output_root):
    try:
        output_root.mkdir(parents=True, exist_ok=True)
        return BatchReport(output_root)
    except OSError as error:
        raise GociResampleError(
            f"Cannot write to OUTPUT_ROOT {output_root} ({error.strerror}). Choose a folder "
            "you can write to."
        ) from None


def _complete_output(output, options, write_npy):
    """Return ``{"message", "valid_fraction"}`` when ``output`` is complete, else None.

    Complete = the raster, its sidecar (written last) and, with ``write_npy``, every band's
    ``.npy``. An output made with other parameters is still complete; the message says so.
    """
    sidecar_path, _ = sidecar_paths(output)
    if not (output.is_file() and sidecar_path.is_file()):
        return None
    try:
        sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
        bands = [band["name"] for band in sidecar["bands"]]
        made_with = sidecar["parameters"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if write_npy and not all(npy_path(output, name).is_file() for name in bands):
        return None
    message = "output already complete; set OVERWRITE to redo it"
    changed = {
        key: (made_with.get(key), value)
        for key, value in options.as_dict().items()
        if made_with.get(key) != value
    }
    if changed:
        message += (
            " (it was made with "
            + ", ".join(f"{key}={old} instead of {new}" for key, (old, new) in changed.items())
            + ")"
        )
    return {"message": message, "valid_fraction": sidecar.get("valid_fraction")}


def _remove_stale_partials(folder):
    """Delete temporary files that a killed run (its process gone) left in ``folder``."""
    if not folder.is_dir():
        return
    for path in folder.glob(".*.partial-*"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _process_alive(int(pid)):
            with contextlib.suppress(OSError):
                path.unlink()


def _process_alive(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _affordable_workers(scenes, workers, log):
    """Fewer workers when the machine cannot hold ``workers`` of the largest scene at once."""
    import rasterio

    widths = []
    for scene in scenes:
        if scene.landsat is not None:
            try:
                with rasterio.open(scene.landsat) as dataset:
                    widths.append(dataset.width)
            except (rasterio.errors.RasterioError, OSError):
                continue  # the scene itself will report it
    available = available_memory_bytes()
    if not widths or available is None:
        return workers
    per_worker = pair_memory_bytes(max(widths), MAX_BANDS, MAX_GOCI_PIXELS)
    affordable = max(1, int(available // per_worker))
    if affordable < workers:
        log(
            f"WORKERS reduced from {workers} to {affordable}: each needs up to "
            f"{per_worker / 2**30:.1f} GB and {available / 2**30:.1f} GB are available."
        )
    return min(workers, affordable)


def _run_in_process(scenes, settings, finished, progress, is_cancelled, log):
    """Run scenes one after the other; return True when cancelled."""
    total = max(1, len(scenes))
    for position, scene in enumerate(scenes):
        if is_cancelled():
            return True

        def scene_progress(fraction, position=position):
            progress((position + fraction) / total)

        try:
            result = process_scene(
                scene, **settings, progress=scene_progress, is_cancelled=is_cancelled, log=log
            )
        except ResampleCancelled:
            return True
        finished(result)
        progress((position + 1) / total)
    return False


def _run_in_executor(pool, scenes, settings, finished, progress, is_cancelled):
    """Run scenes in ``pool``; return True when cancelled.

    Workers see a cancel request through a flag file (any executor on this machine can).
    """
    flag_dir = Path(tempfile.mkdtemp(prefix="goci-resample-cancel-"))
    flag = flag_dir / "cancel"
    try:
        pending = {
            pool.submit(_process_in_worker, scene, settings, str(flag)): scene for scene in scenes
        }
        total, done = max(1, len(pending)), 0
        while pending:
            finished_now, _ = concurrent.futures.wait(
                pending, timeout=POLL_SECONDS, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in finished_now:
                scene = pending.pop(future)
                done += 1
                outcome = _worker_outcome(future, scene)
                if outcome is not None:
                    finished(*outcome)
                progress(done / total)
            if is_cancelled() and not flag.exists():
                flag.touch()
                for future in pending:
                    future.cancel()
        return flag.exists()
    finally:
        shutil.rmtree(flag_dir, ignore_errors=True)


def _worker_outcome(future, scene):
    """Return (SceneResult, log lines) of a finished future, or None if it was cancelled."""
    if future.cancelled():
        return None
    try:
        return future.result()
    except ResampleCancelled:
        return None
    except Exception as error:  # the worker itself died (e.g. killed for memory)
        return SceneResult(scene.name, FAILED, f"the worker process failed: {error}"), ()


def _process_in_worker(scene, settings, flag):
    """Run one scene in a worker; return (SceneResult, log lines)."""
    lines = []
    result = process_scene(
        scene, **settings, is_cancelled=lambda: os.path.exists(flag), log=lines.append
    )
    return result, lines


@contextlib.contextmanager
def _executor(executor, workers):
    """Yield ``executor``, or a process pool of ``workers`` that is shut down afterwards."""
    if executor is not None:
        yield executor
        return
    context = multiprocessing.get_context("spawn")
    context.set_executable(python_executable())
    threads = max(1, (os.cpu_count() or 1) // workers)
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_share_cores, initargs=(threads,)
    ) as pool:
        yield pool


def _share_cores(threads):
    """Worker start-up: use ``threads`` compute threads, so workers do not oversubscribe cores."""
    os.environ["NUMBA_NUM_THREADS"] = str(threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)


def python_executable():
    """Return the Python interpreter to start workers with: the one running this code.

    Inside QGIS ``sys.executable`` may be QGIS itself or whatever ``python3`` is first on PATH
    (an embedded interpreter guesses it); the interpreter QGIS embeds lives under
    ``sys.exec_prefix`` (``bin/python3.X`` on Linux/macOS, ``python.exe`` on Windows/OSGeo4W).
    """
    prefix = Path(sys.exec_prefix)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [
        prefix / "bin" / version,
        prefix / "bin" / "python3",
        prefix / "python.exe",
        prefix / "python3.exe",
        Path(sys.executable),
    ]
    for candidate in candidates:
        if candidate.name.lower().startswith("python") and candidate.is_file():
            return str(candidate)
    raise GociResampleError(
        f"Cannot find the Python interpreter under {prefix} to start worker processes; "
        "set WORKERS to 1."
    )
