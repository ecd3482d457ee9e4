"""``gociresample:matchups``: Landsat aggregated onto GOCI's own pixels, screened match-ups and
their statistics at GOCI scale, for cross-calibration (SPEC §8)."""

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)

from ..core import parse_band_pairs, scene_name
from ..core.matchups import match_pair
from ..core.options import MAX_BOX, MatchupOptions
from .algorithm import GociResampleAlgorithm
from .bridge import core_errors, run_control, tr
from .layers import load_points
from .parameters import (
    OVERWRITE,
    REGISTER,
    RasterFileParameter,
    geopackage_file,
    overwrite_help,
    overwrite_parameter,
    raster_file,
    register_parameter,
)

GOCI, LANDSAT, BAND_PAIRS, BOX = "GOCI", "LANDSAT", "BAND_PAIRS", "BOX"
MAX_CV, MIN_COVERAGE = "MAX_CV", "MIN_COVERAGE"
OUTPUT, OUTPUT_POINTS, OUTPUT_TABLE, OUTPUT_REPORT = (
    "OUTPUT",
    "OUTPUT_POINTS",
    "OUTPUT_TABLE",
    "OUTPUT_REPORT",
)
MATCHUPS = "MATCHUPS"


class MatchupsAlgorithm(GociResampleAlgorithm):
    """Match-ups at GOCI scale: the NetCDF on the GOCI grid, points, statistics, report."""

    def name(self):
        return "matchups"

    def group(self):
        return tr("Comparison")

    def groupId(self):  # noqa: N802 (QGIS API)
        return "comparison"

    def displayName(self):  # noqa: N802 (QGIS API)
        return tr("Match-ups at GOCI scale: Landsat aggregated onto GOCI pixels")

    def tags(self):
        return tr("goci,landsat,matchups,cross-calibration,aggregate,homogeneity,gain").split(",")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        defaults = MatchupOptions()
        number = QgsProcessingParameterNumber
        self.addParameter(QgsProcessingParameterFile(
            GOCI, tr("GOCI subset NetCDF (*_subset*.nc)"),
            behavior=QgsProcessingParameterFile.Behavior.File,
            fileFilter=tr("NetCDF files (*.nc *.nc4 *.h5);;All files (*.*)")))  # fmt: skip
        self.addParameter(RasterFileParameter(LANDSAT, tr("Landsat TOA radiance GeoTIFF")))
        self.addParameter(QgsProcessingParameterString(
            BAND_PAIRS, tr("Band pairs GOCI nm:Landsat band (empty = by wavelength)"),
            defaultValue="", optional=True))  # fmt: skip
        box = number(BOX, tr("Screening box (GOCI pixels, odd)"), number.Type.Integer,
                     defaultValue=defaults.box, minValue=1, maxValue=MAX_BOX)  # fmt: skip
        self.addParameter(box)
        self.addParameter(number(MAX_CV, tr("Largest coefficient of variation in the box"),
                                 number.Type.Double, defaultValue=defaults.max_cv,
                                 minValue=0.0001))  # fmt: skip
        self.addParameter(number(MIN_COVERAGE, tr("Smallest Landsat coverage of a GOCI pixel"),
                                 number.Type.Double, defaultValue=defaults.min_coverage,
                                 minValue=0.01, maxValue=1.0))  # fmt: skip
        self.addParameter(register_parameter())
        self.addParameter(overwrite_parameter())
        self.addParameter(QgsProcessingParameterFileDestination(
            OUTPUT, tr("Landsat on the GOCI grid (NetCDF)"),
            tr("NetCDF files (*.nc)")))  # fmt: skip
        self.addParameter(QgsProcessingParameterVectorDestination(
            OUTPUT_POINTS, tr("Match-up points (GeoPackage)")))  # fmt: skip
        self.addParameter(QgsProcessingParameterFileDestination(
            OUTPUT_TABLE, tr("Statistics table"), tr("CSV files (*.csv)")))  # fmt: skip
        self.addParameter(QgsProcessingParameterFileDestination(
            OUTPUT_REPORT, tr("Report"), tr("HTML files (*.html)")))  # fmt: skip
        self.addOutput(QgsProcessingOutputNumber(
            MATCHUPS, tr("Match-ups that pass (band pair nearest 660 nm)")))  # fmt: skip

    def help_map(self):
        return {
            "ALG_DESC": tr(
                "Cross-calibration at GOCI's own scale: every Landsat pixel is assigned to the "
                "GOCI pixel whose footprint (in GOCI's index space) holds its centre, and per "
                "GOCI pixel and Landsat band the count, mean, std and coverage are written as "
                "a NetCDF on the GOCI grid. A match-up (GOCI pixel, band pair) passes when "
                "every pixel of the BOX × BOX box around it has Landsat coverage ≥ MIN_COVERAGE "
                "and a valid GOCI value and the coefficients of variation of the box's Landsat "
                "means and of its GOCI values are ≤ MAX_CV (the ocean-colour validation "
                "protocols' homogeneity test). The statistics over the passing match-ups "
                "(bias, RMSE, R², orthogonal gain and offset) compare the sensors without "
                "interpolating GOCI at all: use them rather than the 30 m comparison for "
                "calibration. The points (one per GOCI pixel with Landsat data) load on the "
                "map coloured by the GOCI/Landsat ratio of the red band, passing ones large."
            ),
            "ALG_CREATOR": "goci-resample",
            GOCI: tr("The GOCI subset NetCDF of the scene."),
            LANDSAT: tr(
                "The Landsat TOA radiance GeoTIFF of the same scene; its nodata marks "
                "pixels outside the scene."
            ),
            BAND_PAIRS: tr(
                "e.g. <code>443:1,490:2,555:3,660:4,865:5</code>. Empty: each GOCI band is paired "
                "with the Landsat band nearest in wavelength, within 40 nm."
            ),
            BOX: tr(
                "Box of GOCI pixels screened around each match-up: 3 (default) or 5; odd, at "
                "most 15."
            ),
            MAX_CV: tr(
                "Largest coefficient of variation (std / mean) of the box's Landsat "
                "means and of its GOCI values (default 0.15)."
            ),
            MIN_COVERAGE: tr(
                "Smallest fraction of a GOCI pixel's footprint with valid Landsat "
                "data, for every pixel of the box (default 0.9)."
            ),
            REGISTER: register_help_matchups(),
            OVERWRITE: overwrite_help(),
            OUTPUT: tr(
                "NetCDF on the GOCI subset's grid: navigation_data/latitude, longitude; "
                "landsat_data/L_TOA_B&lt;k&gt; (mean), _std, count_B&lt;k&gt;, pixels; "
                "matchups/passes_&lt;nm&gt;. Opens in QGIS (GDAL), xarray and SNAP."
            ),
            OUTPUT_POINTS: tr(
                "GeoPackage: one point per GOCI pixel with Landsat data, with "
                "the GOCI values, Landsat mean/std/count, both CVs, the ratio "
                "and passes per band pair."
            ),
            OUTPUT_TABLE: tr("CSV: the statistics per band pair and the counts screened out."),
            OUTPUT_REPORT: tr("Self-contained HTML: table and a density plot per band pair."),
        }

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        goci = self.parameterAsFile(parameters, GOCI, context)
        landsat = raster_file(self, parameters, LANDSAT, context)
        output = self.parameterAsFileOutput(parameters, OUTPUT, context)
        points = geopackage_file(self, parameters, OUTPUT_POINTS, context)
        table = self.parameterAsFileOutput(parameters, OUTPUT_TABLE, context)
        report = self.parameterAsFileOutput(parameters, OUTPUT_REPORT, context)
        with core_errors(), run_control(feedback) as control:
            options = MatchupOptions(
                band_pairs=tuple(parse_band_pairs(
                    self.parameterAsString(parameters, BAND_PAIRS, context)) or ()),
                box=self.parameterAsInt(parameters, BOX, context),
                max_cv=self.parameterAsDouble(parameters, MAX_CV, context),
                min_coverage=self.parameterAsDouble(parameters, MIN_COVERAGE, context),
            )  # fmt: skip
            overwrite = self.parameterAsBool(parameters, OVERWRITE, context)
            register = self.parameterAsBool(parameters, REGISTER, context)
            result = match_pair(goci, landsat, output, options, control, points=points,
                                table=table, report=report, overwrite=overwrite,
                                register=register)  # fmt: skip
        self.written = [result.files["points"]]
        red = min((p["goci_nm"] for p in result.pairs), key=lambda nm: abs(nm - 660))
        load_points(context, points, tr("Match-ups {scene}").format(scene=scene_name(landsat)),
                    red, group=scene_name(landsat))  # fmt: skip
        return {OUTPUT: output, OUTPUT_POINTS: points, OUTPUT_TABLE: table,
                OUTPUT_REPORT: report, MATCHUPS: result.passing}  # fmt: skip


def register_help_matchups():
    """REGISTER's help for the match-ups."""
    return tr(
        "Off (default). On: measure GOCI's offset against Landsat first (as the resampling "
        "algorithms' REGISTER does) and move the GOCI geolocation back by it before the "
        "Landsat pixels are assigned to GOCI pixels; an unreliable or implausible offset is "
        "not applied and the log says why."
    )
