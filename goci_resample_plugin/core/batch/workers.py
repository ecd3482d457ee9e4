"""Running scenes in worker processes: the pool, the interpreter to start, shared cores, and a
cancel request that workers on this machine can see."""

import concurrent.futures
import contextlib
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..control import RunControl
from ..errors import GociResampleError
from .scene import process_scene


@contextlib.contextmanager
def process_pool(workers):
    """Yield a process pool of ``workers`` (spawned from QGIS's own Python, each using its
    share of the cores); it is shut down afterwards."""
    context = multiprocessing.get_context("spawn")
    context.set_executable(python_executable())
    threads = max(1, (os.cpu_count() or 1) // workers)
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(threads, os.getpid()),
    ) as pool:
        yield pool


@contextlib.contextmanager
def cancel_flag():
    """Yield a flag file path: the submitting process creates it to ask workers to stop."""
    folder = Path(tempfile.mkdtemp(prefix="goci-resample-cancel-"))
    try:
        yield folder / "cancel"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def process_in_worker(scene, settings, flag):
    """Run one scene in a worker; return (SceneResult, log lines as (level, text))."""
    lines = []
    control = RunControl(
        cancelled=lambda: os.path.exists(flag), log=lambda level, text: lines.append((level, text))
    )
    return process_scene(scene, **settings, control=control), lines


PARENT_CHECK_SECONDS = 1.0


def _start_worker(threads, parent):
    """Worker start-up.

    * Use ``threads`` compute threads, so workers do not oversubscribe the cores.
    * Ignore Ctrl-C: the terminal sends it to every process of the group, and the submitting
      process turns it into a cancel that reaches the workers through the flag file.
    * Die with the parent, however it dies (``kill -9`` included): at once on Linux
      (``PR_SET_PDEATHSIG``), elsewhere within ``PARENT_CHECK_SECONDS``. A worker's temporary
      files are then removed by the next run (their process is gone).
    """
    os.environ["NUMBA_NUM_THREADS"] = str(threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)


def _exit_when_orphaned(parent):
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


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
