"""How the Processing layer talks to the core: translated texts, a ``RunControl`` fed by
QGIS's feedback, and core errors turned into ``QgsProcessingException`` (written once)."""

import contextlib
import signal
import threading

from qgis.core import QgsProcessingException
from qgis.PyQt.QtCore import QCoreApplication

from ..core import WARNING, GociResampleError, RunControl

TRANSLATION_CONTEXT = "@default"
"""The context ``pylupdate5`` gives plain ``tr("...")`` calls (see ``make translations``)."""


def tr(text):
    """Translate a user-visible string with the plugin's translator (``i18n/*.qm``)."""
    return QCoreApplication.translate(TRANSLATION_CONTEXT, text)


def feedback_control(feedback):
    """A ``RunControl`` that reports to QGIS's ``feedback``: progress bar, cancel button, log
    panel (warnings highlighted)."""

    def log(level, text):
        if level == WARNING:
            feedback.pushWarning(text)
        else:
            feedback.pushInfo(text)

    return RunControl(
        progress=lambda fraction: feedback.setProgress(100.0 * fraction),
        cancelled=feedback.isCanceled,
        log=log,
    )


INTERRUPTS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def run_control(feedback):
    """Yield the ``RunControl`` of a run; in the main thread (``qgis_process``) Ctrl-C and
    ``SIGTERM`` become a cancel for its duration, so the run stops at the next block, removes
    its temporary files and says so, instead of dying mid-write or being ignored."""
    control = feedback_control(feedback)
    if threading.current_thread() is not threading.main_thread():
        yield control  # the desktop runs algorithms in a task thread: its Cancel button works
        return

    def interrupted(signum, frame):
        feedback.pushWarning(
            tr("{signal} received: stopping after the current block.").format(
                signal=signal.Signals(signum).name
            )
        )
        feedback.cancel()

    previous = {number: signal.signal(number, interrupted) for number in INTERRUPTS}
    try:
        yield control
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)


@contextlib.contextmanager
def core_errors():
    """Turn a ``GociResampleError`` (a message for the user) into a ``QgsProcessingException``."""
    try:
        yield
    except GociResampleError as error:
        raise QgsProcessingException(str(error)) from None
