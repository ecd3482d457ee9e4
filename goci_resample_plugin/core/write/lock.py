"""One run at a time on an output (a batch's output root, one pair's OUTPUT): a lock file that
names the run holding it.

The lock is an OS file lock (released by the OS when the holding process dies, however it
dies), so a killed run never leaves the root locked. The holder removes the file when it is
done; a run that locked a file just removed (its inode no longer at the path) tries again.
"""

import contextlib
import errno
import os
import socket
import stat
import sys
from datetime import datetime, timezone

from ..errors import GociResampleError


def busy_message(output, holder):
    """The message when another run (``holder``, as :func:`held_lock` names it; a batch, when
    ``output`` is a folder) writes ``output``."""
    what = "A batch is writing into" if os.path.isdir(output) else "Another run is writing"
    return (f"{what} {output} ({holder}). Two runs on one output would mix their files: wait "
            "for it to finish, or choose another OUTPUT.")  # fmt: skip


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
    while True:
        handle = _open(path)
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise GociResampleError(busy(holder))
        if _still_at(path, handle):
            break
        _unlock(handle)
        handle.close()
    with handle:
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with contextlib.suppress(OSError):  # a full disk: the holder's name is a courtesy
            handle.seek(0)
            handle.truncate()
            handle.write(f"process {os.getpid()} on {socket.gethostname()}, started {started}")
            handle.flush()
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                path.unlink()
            _unlock(handle)


def check_free(path, busy):
    """Refuse when another run holds the lock file ``path`` (a batch writing into the folder
    an OUTPUT lies in); nothing is created or changed.

    Raises:
        GociResampleError: ``busy(holder)``.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return  # no lock there (or not one of ours): nobody holds it
    with os.fdopen(descriptor, encoding="utf-8", errors="replace") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return
        if not _try_lock(handle, shared=True):  # two runs looking at once do not collide
            holder = handle.read().strip() or "another process"
            raise GociResampleError(busy(holder))
        _unlock(handle)


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
