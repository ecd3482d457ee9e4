"""The thread in which the grid engine's spot checks ask their reference engine.

OpenMP (pykdtree's KD-tree queries) runs on one thread there: a 32-pixel query split over both
cores waited for the core the kernel or the writer held, ~40 waits costing 0.45 s of a
1925 × 1950 Nearest run. The setting is this thread's own; the KD-tree engine, when it does a
whole run, keeps every core.
"""

import concurrent.futures
import contextlib
import ctypes
import ctypes.util
import functools

__all__ = ["checked"]


def checked(reference, *arguments):
    """``reference(*arguments)`` (a reference engine's ``resample`` or ``assign``) run in the
    spot checks' thread; its result."""
    return _thread().submit(reference, *arguments).result()


@functools.cache
def _thread():
    """The spot checks' thread (one, made once per process)."""
    return concurrent.futures.ThreadPoolExecutor(
        1, thread_name_prefix="goci-resample-checks", initializer=_one_openmp_thread
    )


def _one_openmp_thread():
    """Set this thread's OpenMP thread count to 1 (the OpenMP runtime pykdtree links: GNU's,
    LLVM's or Microsoft's); nothing where none is found."""
    names = (ctypes.util.find_library("gomp"), ctypes.util.find_library("omp"), "vcomp140.dll")
    for name in filter(None, names):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(name).omp_set_num_threads(1)
            return
