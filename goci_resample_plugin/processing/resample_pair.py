"""``gociresample:resamplepair``: resample one GOCI subset onto one Landsat grid."""

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
    QgsProcessingParameterRasterDestination,
)

from ..core import ProductRequest, make_product, scene_name
from .algorithm import GociResampleAlgorithm
from .bridge import core_errors, run_control, tr
from .layers import load_scene_pair, load_styled, quality_name
from .parameters import (
    OVERWRITE,
    REGISTER,
    RasterFileParameter,
    overwrite_help,
    overwrite_parameter,
    raster_file,
    register_help,
    register_parameter,
    resample_options,
    resampling_help,
    resampling_parameters,
)

GOCI, LANDSAT, OUTPUT, VALID_FRACTION = "GOCI", "LANDSAT", "OUTPUT", "VALID_FRACTION"
OUTPUT_QA = "OUTPUT_QA"
SHIFT_EAST_M, SHIFT_NORTH_M = "SHIFT_EAST_M", "SHIFT_NORTH_M"


class ResamplePairAlgorithm(GociResampleAlgorithm):
    """Resamples every band of a GOCI subset NetCDF onto the exact grid of a Landsat GeoTIFF."""

    def name(self):
        return "resamplepair"

    def displayName(self):  # noqa: N802 (QGIS API)
        return tr("One pair: resample GOCI onto the Landsat grid")

    def tags(self):
        return tr(
            "goci,landsat,resample,pyresample,gaussian,nearest,bilinear,cubic,netcdf,ocean colour"
        ).split(",")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.addParameter(
            QgsProcessingParameterFile(
                GOCI,
                tr("GOCI subset NetCDF (*_subset*.nc)"),
                behavior=QgsProcessingParameterFile.Behavior.File,
                fileFilter=tr("NetCDF files (*.nc *.nc4 *.h5);;All files (*.*)"),
            )
        )
        self.addParameter(
            RasterFileParameter(
                LANDSAT,
                tr("Landsat TOA radiance GeoTIFF (target grid)"),
            )
        )
        for parameter in resampling_parameters():
            self.addParameter(parameter)
        self.addParameter(register_parameter())
        self.addParameter(overwrite_parameter())
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                OUTPUT,
                tr("GOCI on Landsat grid"),
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                OUTPUT_QA,
                tr("Per-pixel quality (GOCI pixels used, nearest distance, weight sum)"),
                optional=True,
                createByDefault=False,
            )
        )
        self.addOutput(
            QgsProcessingOutputNumber(
                VALID_FRACTION,
                tr("Fraction of Landsat grid pixels with a value in every band"),
            )
        )
        for name, direction in ((SHIFT_EAST_M, tr("east")), (SHIFT_NORTH_M, tr("north"))):
            self.addOutput(QgsProcessingOutputNumber(
                name, tr("GOCI offset corrected by REGISTER, metres {}").format(direction)
            ))  # fmt: skip

    def help_map(self):
        return {
            "ALG_DESC": tr(
                "Resamples every L_TOA_&lt;nm&gt; band of a GOCI subset NetCDF (curvilinear "
                "latitude/longitude, 250 m GOCI-II or 500 m GOCI) onto the exact grid of a "
                "Landsat GeoTIFF (size, transform, CRS), with pyresample's Gaussian or "
                "nearest-neighbour semantics, or bilinear/cubic interpolation in GOCI's own "
                "pixel grid. The "
                "result is a float32 GeoTIFF, one band per GOCI band in wavelength order, nodata "
                "NaN, plus a JSON sidecar (parameters, per-band statistics, timings) and a QGIS "
                "style (.qml). On the map it shows as a true-colour composite (660/555/490 nm, "
                "the wavelengths of Landsat B4/B3/B2) for an overlap check against the Landsat "
                "layer. Memory stays bounded whatever the scene size."
            ),
            "ALG_CREATOR": "goci-resample",
            GOCI: tr(
                "The GOCI subset NetCDF clipped to the Landsat footprint "
                "(navigation_data/latitude, longitude; geophysical_data/L_TOA_&lt;nm&gt;; "
                "mask/inside_mask or inside_footprint)."
            ),
            LANDSAT: tr(
                "The Landsat TOA radiance GeoTIFF of the same scene; its grid is the output grid."
            ),
            **resampling_help(),
            REGISTER: register_help(),
            OVERWRITE: overwrite_help(),
            OUTPUT: tr(
                "The GeoTIFF to write. A batch run names it "
                "GOCI_on_Landsat_&lt;goci stem&gt;_GAUSS.tif (or _NEAREST, _BILINEAR, _CUBIC)."
            ),
            OUTPUT_QA: tr(
                "Optional. A float32 GeoTIFF on the same grid, computed in the same pass: band 1 "
                "GOCI_PIXELS = how many GOCI pixels entered the first band's value (at most "
                "NEIGHBOURS; 1 for Nearest), band 2 NEAREST_DISTANCE_M = distance to the nearest "
                "of them in metres, band 3 WEIGHT_SUM = the sum of their Gaussian weights "
                "exp(-d²/σ²); 0, no data, 0 where there is no value. To pick training patches, "
                "keep pixels with enough GOCI support, e.g. GOCI_PIXELS = NEIGHBOURS and "
                "NEAREST_DISTANCE_M below half a GOCI pixel diagonal (~180 m at 250 m); pixels "
                "near masked edges or the footprint have fewer and farther GOCI pixels. "
                "Bilinear and cubic: band 1 = how many pixels of the 2 × 2 (bilinear) or 4 × 4 "
                "(cubic) support entered the value (fewer near masked pixels, where the "
                "bilinear rule of the valid ones is used), band 2 = the distance to the nearest "
                "of them, band 3 = the sum of their interpolation weights (1 where the whole "
                "support is valid, less where invalid pixels were left out)."
            ),
            VALID_FRACTION: tr(
                "Fraction (0–1) of the Landsat grid's pixels that received a value in every band."
            ),
            SHIFT_EAST_M: tr(
                "With REGISTER: how many metres east GOCI's content sat from Landsat's, the "
                "offset corrected (0 when none was applied or REGISTER is off)."
            ),
            SHIFT_NORTH_M: tr("As SHIFT_EAST_M, northwards."),
        }

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        options = resample_options(self, parameters, context)
        goci_path = self.parameterAsFile(parameters, GOCI, context)
        landsat_path = raster_file(self, parameters, LANDSAT, context)
        output_path = self.parameterAsOutputLayer(parameters, OUTPUT, context)
        quality_path = self.parameterAsOutputLayer(parameters, OUTPUT_QA, context) or None
        request = ProductRequest(
            overwrite=self.parameterAsBool(parameters, OVERWRITE, context),
            quality=quality_path,
            register=self.parameterAsBool(parameters, REGISTER, context),
        )
        with core_errors(), run_control(feedback) as control:
            result, registration = make_product(goci_path, landsat_path, output_path, options,
                                                request, control)  # fmt: skip
        shift = (registration.east_m, registration.north_m) if registration else (0.0, 0.0)
        scene = scene_name(landsat_path)
        load_scene_pair(context, output_path, landsat_path, scene, options.suffix,
                        output_is_destination=True,
                        registered=bool(registration and registration.applied))  # fmt: skip
        if quality_path:  # in the scene's group; a re-run replaces it rather than adding one
            load_styled(context, quality_path, quality_name(options.suffix, scene), None, scene)
        self.written = [result.output, result.quality]
        results = {OUTPUT: str(result.output), VALID_FRACTION: result.valid_fraction,
                   SHIFT_EAST_M: shift[0], SHIFT_NORTH_M: shift[1]}  # fmt: skip
        if result.quality is not None:
            results[OUTPUT_QA] = str(result.quality)
        return results
