"""One object that carries a run's progress, cancel request and log through every layer."""

from dataclasses import dataclass
from typing import Callable

from .errors import ResampleCancelled

INFO, WARNING = "info", "warning"
"""Log levels: a warning is something the user should act on (QGIS shows it highlighted)."""


def _ignore(*_):
    return None


def _never():
    return False


@dataclass(frozen=True)
class RunControl:
    """How a long run reports and how it is stopped.

    Attributes:
        progress: called with the fraction done, 0..1.
        cancelled: returns True when the user asked to stop.
        log: called with ``(level, text)``, level ``INFO`` or ``WARNING``.

    Every field is optional: ``RunControl()`` reports nowhere and never stops.
    """

    progress: Callable[[float], None] = _ignore
    cancelled: Callable[[], bool] = _never
    log: Callable[[str, str], None] = _ignore

    def info(self, text):
        """Log ``text`` as information."""
        self.log(INFO, text)

    def warning(self, text):
        """Log ``text`` as a warning."""
        self.log(WARNING, text)

    def stop_if_cancelled(self):
        """Raise ``ResampleCancelled`` when the user asked to stop."""
        if self.cancelled():
            raise ResampleCancelled()

    def part(self, start, stop):
        """A control whose progress 0..1 maps onto ``start..stop`` of this one (same cancel
        and log), for one step of a larger run."""
        outer = self.progress
        return RunControl(
            lambda fraction: outer(start + (stop - start) * fraction), self.cancelled, self.log
        )
