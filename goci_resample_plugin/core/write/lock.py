"""One run at a time on an output (a batch's output root, one pair's OUTPUT): the run holds the
output's lock file (:func:`~..system.held_lock`, which names the run holding it); here, what a
second run is told, and the check that writes nothing."""

import os

from ..errors import GociResampleError
from ..system import lock_holder


def busy_message(output, holder):
    """The message when another run (``holder``, as :func:`~..system.held_lock` names it; a
    batch, when ``output`` is a folder) writes ``output``."""
    what = "A batch is writing into" if os.path.isdir(output) else "Another run is writing"
    return (f"{what} {output} ({holder}). Two runs on one output would mix their files: wait "
            "for it to finish, or choose another OUTPUT.")  # fmt: skip


def check_free(path, busy):
    """Refuse when another run holds the lock file ``path`` (a batch writing into the folder
    an OUTPUT lies in); nothing is created or changed.

    Raises:
        GociResampleError: ``busy(holder)``.
    """
    holder = lock_holder(path)
    if holder is not None:
        raise GociResampleError(busy(holder))
