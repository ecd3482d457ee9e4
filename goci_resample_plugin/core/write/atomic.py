"""Outputs that appear whole or not at all: write to a temporary name, then rename."""

import contextlib
import errno
import os
import shutil
import tempfile
import time
from pathlib import Path

from ..errors import GociResampleError
from ..system import process_alive
from .names import fits, temporary_owner, temporary_prefix

_UMASK = os.umask(0o022)
os.umask(_UMASK)
"""The process's umask: temporaries are created 0600 and get the usual mode before landing."""


@contextlib.contextmanager
def atomic_outputs(*paths):
    """Yield temporary paths for ``paths``; when the block succeeds, rename them to ``paths``
    in the order given.

    Each temporary is created exclusively (``O_CREAT | O_EXCL``, a random name after
    :func:`~.names.temporary_prefix`), so a symlink or file planted at a predictable name is
    never written through. On any exception (including cancel and ``KeyboardInterrupt``) the
    temporary files are removed and existing files at ``paths`` are untouched.
    """
    temporaries = []
    try:
        for path in paths:
            temporaries.append(_create_temporary(Path(path)))
        yield temporaries
        for temporary, path in zip(temporaries, paths):
            try:
                os.chmod(temporary, 0o666 & ~_UMASK)
                os.replace(temporary, path)
            except OSError as error:
                raise GociResampleError(_landing_message(path, error)) from None
    finally:
        for temporary in temporaries:
            with contextlib.suppress(OSError):
                _empty(temporary)
            with contextlib.suppress(OSError):
                temporary.unlink()


def _landing_message(path, error):
    """Why the finished ``path`` could not replace the file at its name, and what to do."""
    # Windows refuses to replace a file a program has open (access denied, sharing violation)
    if getattr(error, "winerror", None) in (5, 32) and Path(path).is_file():
        return (f"Cannot replace {path} ({error.strerror or error}): another program has it "
                "open, e.g. as a layer in QGIS or in a spreadsheet. Remove that layer or close "
                "the file, then run again; the file there is kept as it was.")  # fmt: skip
    return (f"Cannot write {path} ({error.strerror or error}). Check that the folder is still "
            "writable and has free space.")  # fmt: skip


def _empty(temporary):
    """Truncate our temporary file, never through a symlink put in its place: a library may
    keep it open after failing (HDF5 cannot close a file on a full disk), which would hold its
    space until QGIS ends."""
    descriptor = os.open(temporary, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)


def _create_temporary(path):
    """Create an empty temporary for ``path`` exclusively; return its path.

    Raises:
        GociResampleError: the folder cannot be written.
    """
    prefix = temporary_prefix(path)
    try:
        handle, name = tempfile.mkstemp(prefix=prefix.name, dir=prefix.parent)
    except OSError as error:
        raise GociResampleError(
            f"Cannot write {path} ({error.strerror or error}). Choose a folder you can write "
            "to, with free space."
        ) from None
    os.close(handle)
    return Path(name)


@contextlib.contextmanager
def atomic_output(path):
    """Yield a temporary path next to ``path``; rename it to ``path`` when the block succeeds."""
    with atomic_outputs(path) as (temporary,):
        yield temporary


def write_text(path, text, shown_as=None):
    """Write ``text`` (UTF-8) to ``path`` (see :func:`text_file`)."""
    with text_file(path, shown_as) as handle:
        handle.write(text)


@contextlib.contextmanager
def text_file(path, shown_as=None):
    """``path`` opened to write UTF-8 text as given (no newline translation: the csv module's
    own line ends stay as they are, on Windows too), never through a symlink put at its name
    (in a shared folder another user could swap our temporary for one between its creation
    and this open); a full disk or a lost folder is a clear error naming ``shown_as`` (the
    final name, when ``path`` is a temporary one)."""
    flags = (os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_BINARY", 0))  # fmt: skip
    try:
        with open(os.open(path, flags, 0o666), "w", encoding="utf-8", newline="") as handle:
            yield handle
    except OSError as error:
        raise GociResampleError(
            f"Cannot write {shown_as or path} ({error.strerror or error}). Check the free space "
            "and that the folder is still writable."
        ) from None


def write_text_atomic(path, text):
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_output(path) as temporary:
        write_text(temporary, text, shown_as=path)


def make_folder(folder):
    """Create ``folder`` and its parents, or fail with what to do.

    Raises:
        GociResampleError: the folder cannot be created (also: a name too long for the file
            system).
    """
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise GociResampleError(
            f"Cannot create the output folder {folder} ({error.strerror or error}). "
            "Choose a folder you can write to, with a shorter path if it is very long."
        ) from None


def check_path_usable(path):
    """Fail clearly when ``path`` cannot even be looked at (a name or path longer than the file
    system allows, a parent that is a file); a missing file is fine.

    Raises:
        GociResampleError: names the path and the reason.
    """
    too_long = OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG))
    try:
        if not fits(path):  # checked by name: a folder not created yet hides it from stat
            raise too_long
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as error:
        raise GociResampleError(
            f"The output {path} cannot be used ({error.strerror or error}). Choose a shorter "
            "name or folder (file names are limited to 255 bytes, paths to about 4000)."
        ) from None


ELSEWHERE_STALE_SECONDS = 2 * 86400
"""Age after which another machine's temporary (a shared folder) is taken for a killed run's:
no run writes one product for two days."""


def remove_stale_temporaries(*folders):
    """Delete temporary files (and working folders) that a killed run left in ``folders``: this
    machine's whose process is gone, another machine's once ``ELSEWHERE_STALE_SECONDS`` old
    (its process cannot be looked at from here)."""
    for folder in map(Path, folders):
        if not folder.is_dir():
            continue
        for path in folder.glob(".*"):
            owner = temporary_owner(path)
            if owner is None:
                continue
            pid, written_here = owner
            with contextlib.suppress(OSError):
                if written_here:
                    stale = not process_alive(pid)
                else:
                    stale = time.time() - path.lstat().st_mtime > ELSEWHERE_STALE_SECONDS
                if stale:
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path)
                    else:
                        path.unlink()
