"""The QGIS plugin: registers the goci-resample Processing provider."""

from qgis.core import QgsApplication

from .processing.provider import GociResampleProvider


class GociResamplePlugin:
    """Adds the ``gociresample`` provider to the Processing toolbox (also in qgis_process)."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 (QGIS plugin API)
        """Register the provider; QGIS calls this in the desktop and in qgis_process."""
        self.provider = GociResampleProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 (QGIS plugin API)
        """Desktop start-up: the provider is all the plugin adds."""
        self.initProcessing()

    def unload(self):
        """Remove the provider when the plugin is disabled or reloaded."""
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
