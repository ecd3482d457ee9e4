"""``gociresample:comparelandsat``: how GOCI-on-Landsat agrees with Landsat, and the offset."""

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterString,
)

from ..core import compare_pair, parse_band_pairs, scene_name
from ..core.write import style_path
from .algorithm import GociResampleAlgorithm
from .bridge import core_errors, run_control, tr
from .layers import load_styled
from .parameters import (
    OVERWRITE,
    RasterFileParameter,
    overwrite_help,
    overwrite_parameter,
    raster_file,
)

RESAMPLED, LANDSAT, BAND_PAIRS, BLOCK = "RESAMPLED", "LANDSAT", "BAND_PAIRS", "BLOCK"
OUTPUT_TABLE, OUTPUT_REPORT, OUTPUT_DIFFERENCE = (
    "OUTPUT_TABLE",
    "OUTPUT_REPORT",
    "OUTPUT_DIFFERENCE",
)
SHIFT_X_M, SHIFT_Y_M, SHIFT_CONFIDENCE = "SHIFT_X_M", "SHIFT_Y_M", "SHIFT_CONFIDENCE"
SHIFT_EAST_M, SHIFT_NORTH_M = "SHIFT_EAST_M", "SHIFT_NORTH_M"
SHIFT_EAST_UNCERTAINTY_M = "SHIFT_EAST_UNCERTAINTY_M"
SHIFT_NORTH_UNCERTAINTY_M = "SHIFT_NORTH_UNCERTAINTY_M"


class CompareLandsatAlgorithm(GociResampleAlgorithm):
    """Statistics per band pair at 30 m and block scale, a report, and the image offset."""

    def name(self):
        return "comparelandsat"

    def group(self):
        return tr("Comparison")

    def groupId(self):  # noqa: N802 (QGIS API)
        return "comparison"

    def displayName(self):  # noqa: N802 (QGIS API)
        return tr("Compare GOCI on Landsat with Landsat")

    def tags(self):
        return tr("goci,landsat,compare,bias,rmse,regression,shift,misregistration").split(",")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.addParameter(RasterFileParameter(
            RESAMPLED, tr("GOCI on Landsat grid (a resample output)")))  # fmt: skip
        self.addParameter(RasterFileParameter(LANDSAT, tr("Landsat raster")))
        self.addParameter(QgsProcessingParameterString(
            BAND_PAIRS, tr("Band pairs GOCI nm:Landsat band (empty = by wavelength)"),
            defaultValue="", optional=True))  # fmt: skip
        self.addParameter(QgsProcessingParameterNumber(
            BLOCK, tr("Block size for block statistics (target pixels)"),
            QgsProcessingParameterNumber.Type.Integer, defaultValue=16, minValue=2))  # fmt: skip
        self.addParameter(overwrite_parameter())
        self.addParameter(QgsProcessingParameterFileDestination(
            OUTPUT_TABLE, tr("Statistics table"), tr("CSV files (*.csv)")))  # fmt: skip
        self.addParameter(QgsProcessingParameterFileDestination(
            OUTPUT_REPORT, tr("Report"), tr("HTML files (*.html)")))  # fmt: skip
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                OUTPUT_DIFFERENCE,
                tr("Relative difference (GOCI − Landsat) / Landsat"),
                optional=True,
                createByDefault=False,
            )
        )
        for name, description in (
            (SHIFT_EAST_M, tr("Offset of GOCI east of Landsat (m, true east)")),
            (SHIFT_NORTH_M, tr("Offset of GOCI north of Landsat (m, true north)")),
            (SHIFT_X_M, tr("Offset of GOCI along the Landsat CRS's x axis (m)")),
            (SHIFT_Y_M, tr("Offset of GOCI along the Landsat CRS's y axis (m)")),
            (SHIFT_CONFIDENCE, tr("Confidence of the offset (0–1)")),
            (SHIFT_EAST_UNCERTAINTY_M, tr("Uncertainty of the offset east, ± m at 95 %")),
            (SHIFT_NORTH_UNCERTAINTY_M, tr("Uncertainty of the offset north, ± m at 95 %")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, description))

    def help_map(self):
        return {
            "ALG_DESC": tr(
                "Compares a GOCI-on-Landsat raster with the Landsat raster it was resampled "
                "onto, pixel for pixel: per band pair the number of pixels valid in both, both "
                "means, the bias (GOCI − Landsat), RMSE, R² and an orthogonal (total least "
                "squares) fit, at 30 m and after averaging both over BLOCK × BLOCK blocks (only "
                "blocks fully valid in both; 16 × 30 m ≈ one GOCI pixel). It also measures the "
                "offset between the two images on the red band's block means, so a "
                "misregistration is a number, not a guess: SHIFT_EAST_M and SHIFT_NORTH_M in "
                "metres towards true east and north (as REGISTER reports them), SHIFT_X_M and "
                "SHIFT_Y_M along the Landsat CRS's axes (grid north is about 1° off true north "
                "in UTM; kept for saved models), with SHIFT_EAST_UNCERTAINTY_M and "
                "SHIFT_NORTH_UNCERTAINTY_M, the half-widths of its 95 % intervals (the "
                "blocks' spatially correlated misfit counted). When the offset cannot be known "
                "it is not measurable: the offsets and their uncertainties are NaN, the "
                "confidence 0, and the log and the report say why: the image varies in one "
                "direction only (a straight coast, a front, stripes: an offset along them "
                "changes nothing), the overlap is too small, or the 95 % uncertainty exceeds "
                "100 m (typical below about 25 × 25 km of overlap)."
            ),
            "ALG_CREATOR": "goci-resample",
            RESAMPLED: tr("A raster written by the resample algorithms (bands L_TOA_&lt;nm&gt;)."),
            LANDSAT: tr("The Landsat raster on the same grid; its nodata marks pixels outside."),
            BAND_PAIRS: tr(
                "e.g. <code>443:1,490:2,555:3,660:4,865:5</code>. Empty: each GOCI band is paired "
                "with the Landsat band nearest in wavelength (from WAVELENGTH_NM band metadata, "
                "else the Landsat 8/9 OLI band order), within 40 nm."
            ),
            BLOCK: tr("Block size in target pixels for the block statistics and the offset."),
            OVERWRITE: overwrite_help(),
            OUTPUT_TABLE: tr("CSV: one row per band pair and scale."),
            OUTPUT_REPORT: tr("Self-contained HTML: offset, table and density plots."),
            OUTPUT_DIFFERENCE: tr(
                "Optional GeoTIFF: (GOCI − Landsat) / Landsat per band pair, NaN where either "
                "has no data. Skipped when left empty."
            ),
        }

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        resampled = raster_file(self, parameters, RESAMPLED, context)
        landsat = raster_file(self, parameters, LANDSAT, context)
        table = self.parameterAsFileOutput(parameters, OUTPUT_TABLE, context)
        report = self.parameterAsFileOutput(parameters, OUTPUT_REPORT, context)
        difference = self.parameterAsOutputLayer(parameters, OUTPUT_DIFFERENCE, context)
        pairs = self.parameterAsString(parameters, BAND_PAIRS, context)
        with core_errors(), run_control(feedback) as control:
            comparison = compare_pair(
                resampled, landsat, table, report,
                band_pairs=parse_band_pairs(pairs),
                block=self.parameterAsInt(parameters, BLOCK, context),
                difference=difference or None,
                overwrite=self.parameterAsBool(parameters, OVERWRITE, context),
                control=control,
            )  # fmt: skip
        if difference:
            scene = scene_name(landsat)
            name = tr("GOCI − Landsat {scene}").format(scene=scene)
            load_styled(context, difference, name, style_path(difference), group=scene)
        true, shift = comparison.shift, comparison.grid_shift
        return {
            OUTPUT_DIFFERENCE: difference or None,
            OUTPUT_TABLE: table,
            OUTPUT_REPORT: report,
            SHIFT_EAST_M: true.east_m,
            SHIFT_NORTH_M: true.north_m,
            SHIFT_X_M: shift.east_m,
            SHIFT_Y_M: shift.north_m,
            SHIFT_CONFIDENCE: shift.confidence,
            SHIFT_EAST_UNCERTAINTY_M: true.uncertainty_m[0],
            SHIFT_NORTH_UNCERTAINTY_M: true.uncertainty_m[1],
        }
