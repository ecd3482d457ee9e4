"""Outputs that appear whole or not at all: write to a temporary name, then rename."""

import contextlib
import os
from pathlib import Path

from .errors import GociResampleError


def temporary_path(path):
    """The hidden temporary name ``.<name>.partial-<pid>`` next to ``path``; it does not end in
    the output's extension, so no tool mistakes it for a result."""
    path = Path(path)
    return path.with_name(f".{path.name}.partial-{os.getpid()}")


@contextlib.contextmanager
def atomic_outputs(*paths):
    """Yield temporary paths for ``paths``; when the block succeeds, rename them to ``paths``
    in the order given.

    On any exception (including cancel and ``KeyboardInterrupt``) the temporary files are
    removed and existing files at ``paths`` are untouched.
    """
    temporaries = [temporary_path(path) for path in paths]
    try:
        yield temporaries
        for temporary, path in zip(temporaries, paths):
            os.replace(temporary, path)
    finally:
        for temporary in temporaries:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()


@contextlib.contextmanager
def atomic_output(path):
    """Yield a temporary path next to ``path``; rename it to ``path`` when the block succeeds."""
    with atomic_outputs(path) as (temporary,):
        yield temporary


def write_text(path, text):
    """Write ``text`` (UTF-8) to ``path``; a full disk or a lost folder is a clear error."""
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise GociResampleError(
            f"Cannot write {path} ({error.strerror or error}). Check the free space and that "
            "the folder is still writable."
        ) from None


def write_text_atomic(path, text):
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_output(path) as temporary:
        write_text(temporary, text)
