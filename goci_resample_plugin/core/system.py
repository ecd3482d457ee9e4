"""What the machine gives: memory (free now, and a stop before work that cannot fit), its C
libraries (called through ctypes: the codecs of the GeoTIFF tiles), whether another process
still runs (the temporaries' owners), and lock files that a process holds for
as long as it works on something (an output, a kernel being compiled).

A lock file's lock is an OS file lock, released by the OS when the holding process ends,
however it ends (killed, out of memory, its machine restarted), so a dead holder never leaves
anything locked and a reused pid never looks like the holder. The holder removes the file when
it is done; a process that locked a file just removed (its inode no longer at the path) tries
again.
"""

import contextlib
import ctypes
import ctypes.util
import errno
import functools
import os
import socket
import stat
import sys
from datetime import datetime, timezone

from .errors import GociResampleError

BASELINE_BYTES = 300 * 2**20
"""Python, numpy, GDAL, PROJ and numba loaded: what a worker holds before any data."""


def available_memory_bytes():
    """Memory the system can give without swapping (``MemAvailable``), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(needed_bytes, what):
    """Stop with a message when ``needed_bytes`` exceeds the memory available now.

    Raises:
        GociResampleError: not enough memory; says how much is needed and available.
    """
    available = available_memory_bytes()
    if available is not None and needed_bytes > available:
        raise GociResampleError(
            f"{what} needs about {needed_bytes / 2**30:.1f} GB of memory but only "
            f"{available / 2**30:.1f} GB are available. Close other programs, run fewer "
            "scenes at once (WORKERS), or process a smaller Landsat grid."
        )


def compute_threads():
    """Threads the compute kernels and the GeoTIFF tile encoder run on: ``NUMBA_NUM_THREADS``
    when set (a batch worker's share of the cores), else every core this process may use."""
    configured = os.environ.get("NUMBA_NUM_THREADS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def process_alive(pid):
    """True while process ``pid`` runs (a zombie, dead but not yet reaped, counts as gone; a
    number no process can have, as 0 or one read from a damaged name, as gone)."""
    if not 0 < pid < 2**31:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # there os.kill(pid, 0) would terminate the process
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(") ", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc (macOS): the signal test is all there is


def _windows_process_alive(pid):
    """Windows: the process ``pid`` can be opened and has no exit code yet."""
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.argtypes = [ctypes.c_ulong, ctypes.c_int, ctypes.c_ulong]
    kernel32.OpenProcess.restype = ctypes.c_void_p  # a handle: pointer-wide
    kernel32.GetExitCodeProcess.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_ulong)]
    kernel32.CloseHandle.argtypes = [ctypes.c_void_p]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: it exists, not ours
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


READ_NEVER_WAITING = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
"""How a lock file is opened to be looked at: never through a link, and never waiting (a FIFO
planted at the name would block a plain open until something writes to it)."""


@contextlib.contextmanager
def held_lock(path, busy):
    """Hold the lock file ``path`` for the duration of the block (its folder must exist).

    Args:
        path: the lock file (hidden, next to what it guards; removed when the block ends).
        busy: ``busy(holder)`` returns the message when another run holds it; ``holder``
            names that run (process, host, start time).

    Raises:
        GociResampleError: another run holds it, or the name holds something not ours.
    """
    with _locked(path, busy) as handle:
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        _replace_text(handle, f"process {os.getpid()} on {socket.gethostname()}, started {started}")
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                path.unlink()
            _unlock(handle)


def leave_in_lock_file(path, text):
    """Write ``text`` into the lock file ``path`` (created when missing) and leave it there,
    not held: what shows, until it takes the lock, that a process just started will hold it.
    Nothing is written while another process holds it.

    Raises:
        GociResampleError: another process holds it, or the name holds something not ours.
    """
    with _locked(path, lambda holder: f"{path} is held by {holder}") as handle:
        _replace_text(handle, text)
        _unlock(handle)


def _locked(path, busy):
    """The lock file ``path``, opened (:func:`_open`) and locked, still at the path.

    Raises:
        GociResampleError: ``busy(holder)`` when another process holds it; see :func:`_open`.
    """
    while True:
        handle = _open(path)
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise GociResampleError(busy(holder))
        if _still_at(path, handle):
            return handle
        _unlock(handle)
        handle.close()


def _replace_text(handle, text):
    with contextlib.suppress(OSError):  # a full disk: the holder's name is a courtesy
        handle.seek(0)
        handle.truncate()
        handle.write(text)
        handle.flush()


def lock_holder(path):
    """Who holds the lock file ``path`` (its text: process, host, start time), or None when
    nobody does (no file there, or not one of ours). Nothing is created or changed; the test
    takes a shared lock for an instant, so two processes looking at once do not collide."""
    try:
        descriptor = os.open(path, READ_NEVER_WAITING)
    except OSError:
        return None
    with os.fdopen(descriptor, encoding="utf-8", errors="replace") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        if _try_lock(handle, shared=True):
            _unlock(handle)
            return None
        return handle.read().strip() or "another process"


def _open(path):
    """Open (creating) the lock file, never through a symbolic link and never anything but a
    regular file: a link planted at the name would have its target truncated.

    Raises:
        GociResampleError: the root is not writable, or the name holds something not ours.
    """
    not_ours = GociResampleError(
        f"{path} is not goci-resample's lock file (a symbolic or hard link, or not a regular "
        "file); it is left untouched. Remove it, or choose another output folder."
    )
    flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError as error:
        if os.path.islink(path):
            raise not_ours from None
        raise GociResampleError(
            f"Cannot write to {path.parent} ({error.strerror or error}). Choose a folder you "
            "can write to."
        ) from None
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode) or status.st_nlink > 1:  # a hard link is another's
        os.close(descriptor)
        raise not_ours
    return os.fdopen(descriptor, "a+", encoding="utf-8")


def _still_at(path, handle):
    try:
        return os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except OSError:
        return False


def _try_lock(handle, shared=False):
    if sys.platform == "win32":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except OSError as error:
        # held by another run; any other error (ENOLCK, ENOSYS, EOPNOTSUPP: a file system
        # without locks, e.g. Lustre without -o flock) must not read as busy forever
        return error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES)
    return True


def _unlock(handle):
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    with contextlib.suppress(OSError):  # a file system without locks: nothing was held
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


LIBDEFLATE = ("deflate", "libdeflate.so.0", "libdeflate.dll", "deflate.dll", "libdeflate.dylib")
"""Names of libdeflate, the DEFLATE library GDAL links."""


@functools.cache
def shared_library(names):
    """The first of the shared libraries ``names`` (a tuple: bare names for ``find_library``,
    or file names) that loads, or None."""
    for name in names:
        found = ctypes.util.find_library(name) or name
        try:
            return ctypes.CDLL(found)
        except OSError:
            continue
    return None


def c_function(library, name, restype, *argtypes):
    """``library``'s C function ``name`` with its result and argument types set (raises
    ``AttributeError`` when the library has no such function)."""
    function = getattr(library, name)
    function.restype, function.argtypes = restype, list(argtypes)
    return function
