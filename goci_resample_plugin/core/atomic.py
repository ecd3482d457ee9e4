"""Outputs that appear whole or not at all: write to a temporary name, then rename."""

import contextlib
import os
from pathlib import Path


@contextlib.contextmanager
def atomic_output(path):
    """Yield a temporary path next to ``path``; rename it to ``path`` when the block succeeds.

    The temporary name (``.<name>.partial-<pid>``) is hidden and does not end in the output's
    extension, so no tool mistakes it for a result. On any exception (including cancel and
    ``KeyboardInterrupt``) the temporary file is removed and an existing ``path`` is untouched.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def write_text_atomic(path, text):
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_output(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
