"""How the Processing layer talks to the core: translated texts, a ``RunControl`` fed by
QGIS's feedback, and core errors turned into ``QgsProcessingException`` (written once)."""

import contextlib

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


@contextlib.contextmanager
def core_errors():
    """Turn a ``GociResampleError`` (a message for the user) into a ``QgsProcessingException``."""
    try:
        yield
    except GociResampleError as error:
        raise QgsProcessingException(str(error)) from None
