"""The QGIS plugin: registers the goci-resample Processing provider in the user's language."""

from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from .core.provenance import plugin_file
from .processing.provider import GociResampleProvider


class GociResamplePlugin:
    """Adds the ``gociresample`` provider to the Processing toolbox (also in qgis_process)."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.translator = _load_translator()

    def initProcessing(self):  # noqa: N802 (QGIS plugin API)
        """Register the provider; QGIS calls this in the desktop and in qgis_process. After an
        install or update, also start compiling the fast engine in a process of its own, so
        that the first run finds it ready (:mod:`.core.resample.precompile`)."""
        self.provider = GociResampleProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)
        from .core.resample.precompile import start_compiling

        start_compiling()

    def initGui(self):  # noqa: N802 (QGIS plugin API)
        """Desktop start-up: the provider is all the plugin adds."""
        self.initProcessing()

    def unload(self):
        """Remove the provider when the plugin is disabled or reloaded."""
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None


def _load_translator():
    """Install the translation for QGIS's user locale (``i18n/goci_resample_<lang>.qm``), if
    there is one; return it (or None)."""
    locale = str(QgsSettings().value("locale/userLocale", "") or "")
    for name in filter(None, (locale, locale[:2])):
        try:
            path = plugin_file("i18n", f"goci_resample_{name}.qm")
        except FileNotFoundError:
            continue
        translator = QTranslator()
        if translator.load(str(path)):
            QCoreApplication.installTranslator(translator)
            return translator
    return None
