"""One batch per output root at a time (:func:`~..system.held_lock` on the root)."""

from ..system import held_lock
from ..write.names import OUTPUT_ROOT_LOCK


def output_root_lock(output_root):
    """Hold the lock of ``output_root`` for the duration of a ``with`` block.

    Raises:
        GociResampleError: another run holds it; the message names that run (process, host,
            start time).
    """

    def busy(holder):
        return (
            f"Another batch is writing into {output_root} ({holder}). Two runs into one "
            "output root would mix their report rows: wait for it to finish, cancel it, or "
            "choose another OUTPUT_ROOT."
        )

    return held_lock(output_root / OUTPUT_ROOT_LOCK, busy)
