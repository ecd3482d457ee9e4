"""The ``gociresample`` Processing provider."""

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core.provenance import plugin_file
from .batch_resample import BatchResampleAlgorithm
from .compare_landsat import CompareLandsatAlgorithm
from .matchups import MatchupsAlgorithm
from .resample_pair import ResamplePairAlgorithm


class GociResampleProvider(QgsProcessingProvider):
    """Provider id ``gociresample`` (public: models and scripts depend on it)."""

    def id(self):
        return "gociresample"

    def name(self):
        return "GOCI resample"

    def longName(self):  # noqa: N802 (QGIS API)
        return "GOCI resample: GOCI subsets onto Landsat grids"

    def icon(self):
        return QIcon(str(plugin_file("resources", "icon.svg")))

    def svgIconPath(self):  # noqa: N802 (QGIS API)
        return str(plugin_file("resources", "icon.svg"))

    def supportedOutputRasterLayerExtensions(self):  # noqa: N802 (QGIS API)
        return ["tif"]

    def supportedOutputVectorLayerExtensions(self):  # noqa: N802 (QGIS API)
        # the match-up points are a GeoPackage: a temporary one too, whatever the user's
        # default vector format (e.g. Shapefile, which would be refused)
        return ["gpkg"]

    def loadAlgorithms(self):  # noqa: N802 (QGIS API)
        self.addAlgorithm(ResamplePairAlgorithm())
        self.addAlgorithm(BatchResampleAlgorithm())
        self.addAlgorithm(CompareLandsatAlgorithm())
        self.addAlgorithm(MatchupsAlgorithm())
