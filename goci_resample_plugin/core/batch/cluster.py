"""Scenes as tasks on a dask.distributed cluster (``run_batch(scheduler=...)``, SCHEDULER).

The submitting process keeps the report: it submits one task per scene, writes each scene's
row as its result arrives and turns a cancel into a cluster-wide ``distributed.Event`` that
every task checks between blocks of rows (so a cancel reaches workers on other machines). A
worker lost mid-scene (killed, machine gone) is handled by the scheduler: its scene runs
again on another worker. Workers write straight into OUTPUT_ROOT, which must be the same
path on every worker (a shared file system), with the same complete-or-absent rule; a
worker's half-written temporary is removed when the scene runs again on that machine.

Workers need ``goci_resample_plugin`` importable: install it on their Python (or put its
folder on their ``PYTHONPATH``), or upload the plugin ZIP from the client with
``client.upload_file("goci_resample_plugin.zip")``.
"""

import concurrent.futures
import contextlib
import dataclasses
import time
import uuid
from datetime import datetime
from pathlib import Path

from ..control import RunControl
from ..errors import GociResampleError, ResampleCancelled
from ..system import lock_holder
from .scene import FAILED, SceneResult, process_scene

POLL_SECONDS = 0.5
"""How often the submitting process looks for finished scenes and a cancel request."""

CONNECT_SECONDS = 10
"""How long to wait for the scheduler before giving up with a message."""

WORKERS_GONE_SECONDS = 120
"""After losing the scheduler, how long to wait (holding the output root's lock) for the
workers' half-written files to land or go: a worker goes on with its scene without it."""


class SchedulerLost(GociResampleError):
    """The scheduler went away during the batch (its message says what to do)."""


@contextlib.contextmanager
def cluster_client(scheduler):
    """Yield a ``distributed.Client`` for ``scheduler`` (an address such as
    ``tcp://host:8786``, or a ``Client`` the caller keeps open).

    Raises:
        GociResampleError: distributed is missing or the scheduler cannot be reached.
    """
    try:
        import distributed
    except ImportError:
        raise GociResampleError(
            "SCHEDULER needs dask.distributed in QGIS's Python: on Debian/Ubuntu "
            "`sudo apt install python3-distributed`; elsewhere `python -m pip install "
            "distributed` in the same Python as QGIS. Leave SCHEDULER empty to run here."
        ) from None
    if isinstance(scheduler, distributed.Client):
        yield scheduler
        return
    try:
        client = distributed.Client(str(scheduler), timeout=CONNECT_SECONDS,
                                    set_as_default=False)  # fmt: skip
    except (OSError, TimeoutError, ValueError) as error:
        raise GociResampleError(
            f"Cannot reach the dask scheduler at {scheduler} ({error}). Check the address "
            "(tcp://host:8786) and that the scheduler is running, or leave SCHEDULER empty."
        ) from None
    with client:
        yield client


def run_on_cluster(client, scenes, settings, finished, control):
    """Run every scene as a task on ``client``'s cluster; call ``finished(result, lines)``
    as each arrives; return True when cancelled (scenes not finished are then not run).
    Returns only when every task has ended, so no worker still writes into OUTPUT_ROOT (a
    client-side cancel would return while running tasks go on).

    Raises:
        SchedulerLost: the scheduler went away; the scenes whose results did not arrive were
            not run. Raised once the workers' half-written files are gone (or after
            ``WORKERS_GONE_SECONDS``), so the output root stays locked while they write.
    """
    import distributed

    run_id = uuid.uuid4().hex
    stop = distributed.Event(f"goci-resample-cancel-{run_id}", client=client)
    futures = {
        client.submit(
            _scene_task, scene, settings, stop.name, key=f"goci-scene-{run_id}-{i}", pure=False
        ): scene
        for i, scene in enumerate(scenes)
    }
    pending, cancelled, done, lost = set(futures), False, 0, None
    while pending:
        if not cancelled and not lost and control.cancelled():
            cancelled = True
            stop.set()  # running scenes stop within a block of rows, the others at once
        ready = {future for future in pending if future.done()}
        if not ready:
            time.sleep(POLL_SECONDS)
        pending -= ready
        for future in ready:
            try:
                result = _result(future, futures[future])
            except concurrent.futures.CancelledError:  # not ours: the scheduler went away
                lost = lost or datetime.now().isoformat(sep=" ", timespec="seconds")
                continue
            try:
                if result is not None:
                    finished(_landed_here(result[0]), result[1])
            except BaseException:  # the report cannot be written: stop the others at once
                stop.set()
                client.cancel(list(pending))
                raise
            done += 1
            control.progress(done / max(1, len(scenes)))
    if lost:
        _wait_for_workers(settings["output_root"], control)
        raise SchedulerLost(
            f"Lost the dask scheduler at {lost}: {len(scenes) - done} scene(s) not run (their "
            "rows say not-run). Start the scheduler again (or leave SCHEDULER empty) and run "
            "the batch again to resume; finished scenes are kept."
        )
    return cancelled


def _wait_for_workers(output_root, control):
    """Wait while workers write into the scene folders of ``output_root`` (a worker goes on
    with its scene after the scheduler is gone), at most ``WORKERS_GONE_SECONDS``: while a
    half-written file is there, or a product's lock is held (its writer between two of the
    product's files, e.g. the GeoTIFF landed and the style not begun: no half-written file
    then)."""
    deadline = time.monotonic() + WORKERS_GONE_SECONDS
    said = False
    while _workers_writing(Path(output_root)) and time.monotonic() < deadline:
        if not said:
            control.info("Waiting for the workers to finish or drop the scenes they were writing…")
            said = True
        time.sleep(POLL_SECONDS * 4)


def _workers_writing(output_root):
    """Whether a half-written file is in a scene folder of ``output_root`` or a product lock
    there is held (:func:`~..system.lock_holder`)."""
    if any(output_root.glob("*/.*.partial-*")):
        return True
    return any(lock_holder(lock) is not None for lock in output_root.glob("*/.*.lock"))


def _landed_here(result):
    """``result``, failed when its output is not where this machine sees OUTPUT_ROOT: the
    worker wrote it on a machine that does not share the folder."""
    if result.output is None or Path(result.output).is_file():
        return result
    return dataclasses.replace(
        result,
        status=FAILED,
        message=f"the worker wrote {result.output} on its own machine, not here: OUTPUT_ROOT "
        "must be the same shared folder, at the same path, on every worker (the scene is "
        "not done)",
    )


def _result(future, scene):
    """(SceneResult, log lines) of a finished task; None when it was cancelled by us.

    Raises:
        concurrent.futures.CancelledError: the task was cancelled by the cluster (the
            scheduler went away).
    """
    try:
        return future.result()
    except ResampleCancelled:
        return None
    except concurrent.futures.CancelledError:
        raise
    except Exception as error:  # a task that died (KilledWorker) fails only its scene
        message = f"failed on the cluster: {type(error).__name__}: {error}"
        return SceneResult(scene.name, FAILED, message), ()


def _scene_task(scene, settings, stop_name):
    """Run one scene on a worker; return (SceneResult, log lines)."""
    import distributed

    stop = distributed.Event(stop_name)
    if stop.is_set():  # a task that starts after a cancel
        raise ResampleCancelled()
    lines = []
    control = RunControl(cancelled=stop.is_set, log=lambda level, text: lines.append((level, text)))
    return process_scene(scene, **settings, control=control), lines
