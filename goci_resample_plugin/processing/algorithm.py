"""What every goci-resample algorithm shares: group, icon, help rendering, instance creation."""

from qgis.core import QgsProcessingAlgorithm, QgsProcessingUtils
from qgis.PyQt.QtGui import QIcon

from ..core.provenance import plugin_file, plugin_metadata
from .bridge import tr
from .layers import refresh_layers_of


class GociResampleAlgorithm(QgsProcessingAlgorithm):
    """Base of the provider's algorithms; subclasses give ``name``, ``displayName``, ``tags``,
    ``initAlgorithm``, ``processAlgorithm`` and ``help_map`` (``{parameter: text}``);
    ``processAlgorithm`` lists the files it wrote in ``written``."""

    written = ()

    def group(self):
        return tr("Resampling")

    def groupId(self):  # noqa: N802 (QGIS API)
        return "resampling"

    def icon(self):
        return QIcon(str(plugin_file("resources", "icon.svg")))

    def createInstance(self):  # noqa: N802 (QGIS API)
        return type(self)()

    def helpUrl(self):  # noqa: N802 (QGIS API)
        return f"{plugin_metadata('homepage')}/blob/main/docs/user-guide.md"

    def shortHelpString(self):  # noqa: N802 (QGIS API)
        return QgsProcessingUtils.formatHelpMapAsHtml(self.help_map(), self)

    def help_map(self):
        """``{"ALG_DESC": ..., parameter or output name: help text}`` (HTML allowed)."""
        raise NotImplementedError

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802 (QGIS API)
        """In the main thread, after every run (results loaded or not): the project's layers
        that show a file the run replaced read it again (GDAL kept the replaced one open)."""
        if context.project() is not None:
            refresh_layers_of(context.project(), self.written)
        return {}
