"""Compile the grid engine's kernels ahead of the first run, in processes of their own.

The plugin starts ``python -m goci_resample_plugin.core.resample.precompile`` when QGIS loads
it and no kernel is compiled yet (after an install or an update): numba's compile then happens
while the user fills in a dialog, and the first run finds the kernels in numba's cache. Two
children, one per core (``GROUPS``): the Gaussian/Nearest kernel in one, the interpolators' and
the match-ups' in the other (then the match-ups' small passes, ``PASSES``), so that a first
run waits only for the kernel it needs (measured on the demo's 1500 × 1500 pair: a bilinear
first run through ``qgis_process`` waited 18.6 s for the one child, which compiled the
Gaussian kernel first, and now waits 2.6 s). A child
process cannot take QGIS down, as a compiling thread once did with ``qgis_process`` on exit.
A run that starts while a child still compiles its kernel waits for it
(:func:`.kernel_cache.wait_for`) instead of compiling the same kernel a second time: the child
holds the kernel's lock file while it compiles it (an OS lock, so a child that died, however,
holds nothing), and a run waits at most a few times the compile's time.

A child records how long each kernel took (:func:`.kernel_cache.times_path`): the time a later
run's message announces, measured on this machine. Once every kernel is compiled, a stamp
(:func:`.kernel_cache.record_compiled`) lets later QGIS starts see it without importing numba.
"""

import contextlib
import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

from ..errors import GociResampleError
from ..system import held_lock
from .kernel_cache import (
    compiled,
    compiling_child,
    lock_path,
    mark_starting,
    record_compiled,
    stamped_compiled,
    times_path,
    write_replacing,
)

KERNELS = ((False, False), (True, False), (True, True))
"""(interpolates, assign) of every kernel: Gaussian/Nearest, bilinear/cubic, the match-ups'
assignment (:func:`.grid_engine._kernel`)."""

GROUPS = ((0,), (1, 2))
"""The kernels (indices into ``KERNELS``) each child compiles, in this order."""

PASSES = ("..matchups.accumulate", "..matchups.sqlite_rows", "..read.predictor_kernel")
"""Modules of the match-ups' small compiled passes besides the assignment (the sums, the
points' rows, Landsat's tile predictor: 1.7 s of a first match-up run here). The child that
compiles the assignment kernel compiles them after it, through their ``tiny_call``."""

ASSIGNMENT = KERNELS.index((True, True))
"""The assignment kernel's index in ``KERNELS``."""

BAND_COUNT = 5
"""Bands of the tiny call that compiles a kernel (any count gives the same compilation)."""


def start_compiling():
    """Start a compiling child for each group of kernels not compiled yet and not being
    compiled; never raises (a machine where none can start compiles on the first run instead).

    Returns:
        True when a child is compiling (started now or before).
    """
    try:
        if stamped_compiled():
            return False
        kernels = _kernels()
        if all(compiled(k) for k in kernels):
            record_compiled(kernels)
            return False
        python = python_executable()
        compiling = False
        for group in GROUPS:
            left = [kernels[i] for i in group if not compiled(kernels[i])]
            if not left:
                continue
            if any(compiling_child(k) for k in left):
                compiling = True
                continue
            if python is None:
                continue
            child = _start_child(python, group)
            for kernel in left:  # at once, so that a run starting now waits for the child
                mark_starting(kernel, child.pid)
            compiling = True
        return compiling
    except Exception:
        return False


def _start_child(python, group):
    """Start the child compiling ``group`` (indices into ``KERNELS``), detached and silent."""
    package_root = Path(__file__).resolve().parents[3]
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(package_root), *filter(None, [environment.get("PYTHONPATH")])]
    )
    return subprocess.Popen(
        [python, "-m", __name__, *map(str, group)], cwd=package_root, env=environment,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def python_executable():
    """The interpreter of the Python that runs us, or None. In QGIS ``sys.executable`` is QGIS,
    ``qgis_process`` or whatever ``python3`` comes first on the PATH (seen: a pyenv shim
    without numba): the interpreter under ``sys.exec_prefix`` is taken (``bin/python3.11`` on
    Linux and macOS, ``python.exe`` with OSGeo4W), else ``sys.executable`` only when it lies
    there too."""
    prefix = Path(sys.exec_prefix).resolve()
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (prefix / "bin" / version, prefix / "bin" / "python3",
                      prefix / "python.exe", prefix / "python3.exe"):  # fmt: skip
        if candidate.is_file():
            return str(candidate)
    executable = Path(sys.executable).resolve()
    if executable.name.lower().startswith("python") and prefix in executable.parents:
        return str(executable)
    return None


def _kernels():
    from .grid_engine import _kernel

    return [_kernel(interpolates, assign)[1] for interpolates, assign in KERNELS]


def main(group):
    """The child: compile the kernels ``group`` (indices into ``KERNELS``) not in the cache, at
    low priority, recording how long each took; each is compiled holding its lock file, and a
    kernel whose lock another live child holds is left to it."""
    import warnings

    from .compiled import discard_unreadable_indexes
    from .grid_engine import _tiny_call

    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)  # the user's QGIS comes first
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        kernels = _kernels()
    for kernel in (kernels[i] for i in group):
        with contextlib.ExitStack() as holding:
            if not _hold(kernel, holding):
                continue  # another child compiles it
            if not compiled(kernel):
                discard_unreadable_indexes(kernel)
                started = time.perf_counter()
                _tiny_call(kernel, BAND_COUNT)
                with contextlib.suppress(OSError):
                    write_replacing(times_path(kernel), f"{time.perf_counter() - started:.2f}")
    record_compiled(kernels)
    if ASSIGNMENT in group:
        for name in PASSES:
            with contextlib.suppress(Exception):  # no numba or SQLite there: the run's part
                importlib.import_module(name, __package__).tiny_call()


def _hold(kernel, holding, attempts=5):
    """Hold ``kernel``'s lock file until the ``contextlib.ExitStack`` ``holding`` closes; False
    when another child holds it or the name is not a lock file of ours. A run looking at the
    lock holds it for an instant, so a busy lock is tried again a few times."""
    path = lock_path(kernel)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(attempts):
        try:
            holding.enter_context(held_lock(path, lambda holder: f"{path}: {holder}"))
            return True
        except GociResampleError:
            time.sleep(0.05)
    return False


if __name__ == "__main__":
    main([int(index) for index in sys.argv[1:]] or range(len(KERNELS)))
