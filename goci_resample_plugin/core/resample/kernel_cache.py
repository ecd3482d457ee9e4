"""numba's cache of the grid engine's kernels: whether a kernel is compiled, how long its
compile took on this machine, the child of :mod:`.precompile` that may be compiling it, and a
stamp that tells without importing numba (0.2–0.3 s at every QGIS start) that nothing is left
to compile."""

import contextlib
import hashlib
import importlib.util
import json
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

from ..errors import GociResampleError
from ..system import READ_NEVER_WAITING, leave_in_lock_file, lock_holder, process_alive

LOCK_PATTERN = "goci_resample_precompile.*.lock"
"""The compiling children's lock files next to numba's cache, one per kernel
(:func:`lock_path`): a child holds a kernel's (:func:`~..system.held_lock`) while it compiles
it, so one child at a time compiles a kernel and a run knows whether to wait."""

TIMES_NAME = "goci_resample_compile.{}.txt"
"""The seconds a kernel's compile took, next to numba's cache (one file per kernel: two children
compile at once)."""

POLL_SECONDS = 0.2
"""How often a waiting run looks at the cache and at the child."""

STARTING_SECONDS = 30.0
"""How long after the plugin started a child the kernel's lock file, naming the child's pid,
says "being compiled" before the child holds the lock itself (a Python start and numba's
import: under a second, longer on a loaded machine)."""

WAIT_FACTOR, WAIT_MARGIN_SECONDS = 3.0, 30.0
"""A run waits for a child at most ``WAIT_FACTOR`` × the kernel's compile time +
``WAIT_MARGIN_SECONDS``, then compiles the kernel itself (a child stopped, or starved of CPU)."""

STAMP_FOLDER_NAME = "goci-resample"
"""The stamps' folder, in the user's cache folder (``XDG_CACHE_HOME`` or ``~/.cache``)."""


def cache_folder(kernel):
    """Where numba caches ``kernel`` (a compiled entry point): ``NUMBA_CACHE_DIR``'s place or
    ``__pycache__`` next to its module."""
    with contextlib.suppress(AttributeError):
        return Path(kernel._cache._cache_path)
    return Path(kernel.py_func.__code__.co_filename).parent / "__pycache__"


def compiled(kernel):
    """True when numba's cache holds a compilation of ``kernel`` that numba will use: its
    index is of this numba, for the kernel's source as it is now and for this CPU (after an
    update of the plugin or of numba, or with a cache folder shared with another machine,
    numba compiles again)."""
    if _index_file(kernel) is None:
        return False
    try:
        cache_file = kernel._cache._cache_file
        cpu = kernel.targetctx.codegen().magic_tuple()
    except AttributeError:  # another numba's private layout: the index file is all we know
        return True
    try:
        overloads = cache_file._load_index()  # {} when numba would ignore it
    except Exception:  # damaged, or naming a class an update moved: compiled again
        return False
    return any(key[1] == cpu for key in overloads)


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
        write_replacing(path, content)


def write_replacing(path, text):
    """Replace the file ``path`` whole by ``text`` (UTF-8) through a temporary created
    exclusively beside it (a name planted as a link there is never written through); the
    temporary is removed when writing fails.

    Raises:
        OSError: it cannot be written.
    """
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


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
    """The lock file of the child compiling ``kernel``, next to numba's cache."""
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
    """True while a child compiles ``kernel``: it holds the kernel's lock file (an OS lock: a
    child that ended, however, holds nothing, and a pid reused by another process does not
    count), or the plugin started it less than ``STARTING_SECONDS`` ago and it has not taken
    the lock yet (the file, not held, names its pid: :func:`mark_starting`)."""
    path = lock_path(kernel)
    if lock_holder(path) is not None:
        return True
    try:
        descriptor = os.open(path, READ_NEVER_WAITING)
    except OSError:
        return False
    with os.fdopen(descriptor, encoding="ascii", errors="replace") as handle:
        status = os.fstat(descriptor)
        text = handle.read(32).strip()
    fresh = 0 <= time.time() - status.st_mtime < STARTING_SECONDS
    return stat.S_ISREG(status.st_mode) and fresh and text.isdigit() and process_alive(int(text))


def mark_starting(kernel, pid):
    """Write the pid of the child just started to compile ``kernel`` into the kernel's lock
    file, so that a run starting before the child holds the lock waits for it. Leaves alone a
    lock file a process holds, and a name that is a link or not a regular file."""
    with contextlib.suppress(GociResampleError, OSError):
        path = lock_path(kernel)
        path.parent.mkdir(parents=True, exist_ok=True)
        leave_in_lock_file(path, str(pid))


def wait_limit_seconds(compile_seconds):
    """The longest a run waits for a child compiling a kernel of ``compile_seconds``."""
    return WAIT_FACTOR * compile_seconds + WAIT_MARGIN_SECONDS


def wait_for(kernel, limit_seconds, stop):
    """Wait while a child compiles ``kernel``, at most ``limit_seconds`` and until the event
    ``stop`` is set. Returns True once it is in the cache, False when it is not (no child
    compiling it any more, the limit reached, or stopped): the caller compiles it then."""
    deadline = time.monotonic() + limit_seconds
    while not compiled(kernel):
        if not compiling_child(kernel) or time.monotonic() > deadline or stop.is_set():
            return compiled(kernel)
        stop.wait(POLL_SECONDS)
    return True
