"""numba's cache of the grid engine's kernels: whether a kernel is compiled, how long its
compile took on this machine, the child of :mod:`.precompile` that may be compiling it, and a
stamp that tells without importing numba (0.2–0.3 s at every QGIS start) that nothing is left
to compile."""

import contextlib
import hashlib
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

from ..system import process_alive

LOCK_PATTERN = "goci_resample_precompile.*.pid"
"""The compiling children's pid files next to numba's cache, one per kernel
(:func:`lock_path`): one child at a time compiles a kernel."""

TIMES_NAME = "goci_resample_compile.{}.txt"
"""The seconds a kernel's compile took, next to numba's cache (one file per kernel: two children
compile at once)."""

POLL_SECONDS = 0.2
"""How often a waiting run looks at the cache and at the child."""

STAMP_FOLDER_NAME = "goci-resample"
"""The stamps' folder, in the user's cache folder (``XDG_CACHE_HOME`` or ``~/.cache``)."""


def cache_folder(kernel):
    """Where numba caches ``kernel`` (a compiled entry point): ``NUMBA_CACHE_DIR``'s place or
    ``__pycache__`` next to its module."""
    with contextlib.suppress(AttributeError):
        return Path(kernel._cache._cache_path)
    return Path(kernel.py_func.__code__.co_filename).parent / "__pycache__"


def compiled(kernel):
    """True when numba has a cached compilation of ``kernel`` where it will look for one."""
    return _index_file(kernel) is not None


def _index_file(kernel):
    """numba's index file of ``kernel``'s cached compilations, or None when there is none."""
    cache = kernel._cache
    try:
        index = Path(cache._cache_path) / cache._cache_file._index_name
        return index if index.is_file() else None
    except AttributeError:  # another numba's private layout: its default place
        module = kernel.py_func.__module__.rsplit(".", 1)[-1]
        return next(cache_folder(kernel).glob(f"{module}.{kernel.__name__}-*.nbi"), None)


def stamp_path():
    """The stamp of this plugin copy, interpreter and ``NUMBA_CACHE_DIR``."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = "\0".join([str(Path(__file__).resolve().parent), sys.exec_prefix,
                     os.environ.get("NUMBA_CACHE_DIR", "")])  # fmt: skip
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return base / STAMP_FOLDER_NAME / f"compiled-{digest}.json"


def record_compiled(kernels):
    """Write the stamp: every one of ``kernels`` is compiled, with what numba's cache of them
    depends on (its index files, the kernels' source files, numba itself) as it is now. Does
    nothing when one is not compiled or the stamp cannot be written."""
    indexes = [_index_file(kernel) for kernel in kernels]
    if None in indexes:
        return
    sources = {Path(kernel.py_func.__code__.co_filename) for kernel in kernels}
    files = [*indexes, *sources, Path(sys.modules["numba"].__file__)]
    with contextlib.suppress(OSError):
        content = json.dumps({str(path): _state(path) for path in files})
        path = stamp_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(content, encoding="utf-8")
        os.replace(temporary, path)


def stamped_compiled():
    """True when the stamp says every kernel is compiled and none of the files it records has
    changed since (a cleared cache, an updated plugin or numba: False). Imports no numba."""
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        recorded = json.loads(stamp_path().read_text(encoding="utf-8"))
        numba = importlib.util.find_spec("numba")
        return (
            bool(recorded)
            and numba is not None
            and numba.origin in recorded
            and all(_state(Path(path)) == state for path, state in recorded.items())
        )
    return False


def _state(path):
    """What numba's own cache check looks at: modification time (ns) and size."""
    status = path.stat()
    return [status.st_mtime_ns, status.st_size]


def lock_path(kernel):
    """The pid file of the child compiling ``kernel``, next to numba's cache."""
    return cache_folder(kernel) / LOCK_PATTERN.replace("*", kernel.__name__)


def times_path(kernel):
    """Where the seconds ``kernel``'s compile took are recorded."""
    return cache_folder(kernel) / TIMES_NAME.format(kernel.__name__)


def measured_seconds(kernel):
    """How long ``kernel``'s compile took on this machine (None before it was measured: a
    child records only the kernels it compiled, not one a run compiled itself)."""
    with contextlib.suppress(OSError, ValueError):
        seconds = float(times_path(kernel).read_text(encoding="ascii"))
        if 0 < seconds < float("inf"):  # a damaged file is no measurement
            return seconds
    return None


def compiling_child(kernel):
    """The pid of a live child compiling ``kernel`` (its pid file), else 0."""
    with contextlib.suppress(OSError, ValueError):
        pid = int(lock_path(kernel).read_text(encoding="ascii"))
        if pid > 0 and process_alive(pid):  # a killed child, not yet reaped, is gone
            return pid
    return 0


def wait_for(kernel):
    """Wait while a child compiles ``kernel``. Returns True once it is in the cache, False
    when no child is compiling (any more) and it is still not there (the caller compiles)."""
    while not compiled(kernel):
        if not compiling_child(kernel):
            return compiled(kernel)
        time.sleep(POLL_SECONDS)
    return True
