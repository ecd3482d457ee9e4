"""The resampling parameters every goci-resample algorithm shares (SPEC §5), and their help."""

import re
from pathlib import Path

from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ..core import ResampleOptions, parse_wavelengths
from ..core.dependencies import require_dependencies
from ..core.options import COMPRESSIONS, INVALID_POLICIES, METHODS
from .bridge import core_errors, tr

METHOD, RADIUS, SIGMA, NEIGHBOURS, INVALID, BANDS = (
    "METHOD",
    "RADIUS",
    "SIGMA",
    "NEIGHBOURS",
    "INVALID",
    "BANDS",
)
OVERWRITE = "OVERWRITE"
COMPRESSION = "COMPRESSION"


def advanced(parameter):
    """Return ``parameter`` flagged as advanced (shown under *Advanced Parameters*)."""
    parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
    return parameter


def overwrite_parameter():
    """OVERWRITE, with one meaning in every algorithm: replace what is at the output paths.

    Optional with a default, so models saved before it existed stay valid."""
    return advanced(
        QgsProcessingParameterBoolean(
            OVERWRITE,
            tr("Overwrite existing outputs (recompute; replace files not ours)"),
            defaultValue=False,
            optional=True,
        )
    )


def overwrite_help():
    """Help text of OVERWRITE (the same in every algorithm)."""
    return tr(
        "Off (default): an output that is already complete for the same input files, "
        "parameters and bands is reused instead of computed again (a batch reports it as "
        "'skipped'); an output that is out of date (inputs changed, other parameters, "
        "truncated) is redone; and a file at an output name that goci-resample did not "
        "write is left untouched and the run stops with a message. On: compute everything "
        "again and replace whatever is at the output names. An input file is never replaced."
    )


REGISTER = "REGISTER"


def register_parameter():
    """REGISTER: correct GOCI's geolocation against the Landsat file (optional, so models
    saved before it stay valid)."""
    return QgsProcessingParameterBoolean(
        REGISTER,
        tr("Correct GOCI's misregistration against Landsat (register)"),
        defaultValue=False,
        optional=True,
    )


def register_help():
    """Help text of REGISTER (the same in both resampling algorithms)."""
    return tr(
        "Off (default). On: first resample the GOCI band nearest 660 nm and measure how far "
        "GOCI's content sits from the Landsat band, with its uncertainty (the offset of "
        "Compare with Landsat), then resample every band with the GOCI geolocation moved "
        "back by that offset, and measure what is left. The offset is not applied (the "
        "output is then written without a shift, and the log says why) when it is not "
        "measurable (the image varies in one direction only, or its 95 % uncertainty exceeds "
        "100 m: usually scenes smaller than about 25 × 25 km), when zero lies within its "
        "95 % uncertainty (already aligned), when its confidence is below 0.9, or when it "
        "exceeds 3 GOCI pixels (the files more likely do not belong together). Takes one "
        "extra single-band run and two comparisons. The applied offset is in the log, the "
        "sidecar (parameters shift_east_m/shift_north_m, the correction) and the GeoTIFF "
        "metadata."
    )


def resampling_parameters():
    """Return new definitions of METHOD, BANDS and the advanced RADIUS, SIGMA, NEIGHBOURS,
    INVALID, COMPRESSION, with the design note's defaults (800 m, 320 m, 16 neighbours) and
    DEFLATE (COMPRESSION is optional, so models saved before it stay valid)."""
    defaults = ResampleOptions()
    method = _choice(METHOD, tr("Resampling method"),
                     [tr("Gaussian-weighted (recommended)"), tr("Nearest neighbour"),
                      tr("Bilinear (GOCI index space)"),
                      tr("Cubic (Keys, GOCI index space)")])  # fmt: skip
    bands = QgsProcessingParameterString(
        BANDS,
        tr("GOCI bands in nm, comma-separated (empty = every L_TOA_* band)"),
        defaultValue="",
        optional=True,
    )
    number, whole = QgsProcessingParameterNumber, QgsProcessingParameterNumber.Type.Integer
    double = QgsProcessingParameterNumber.Type.Double
    radius = number(RADIUS, tr("Radius of influence (m; Gaussian and Nearest only)"), double,
                    defaults.radius_m, minValue=0.001)  # fmt: skip
    sigma = number(SIGMA, tr("Gaussian sigma (m; Gaussian only)"), double, defaults.sigma_m,
                   minValue=0.001)  # fmt: skip
    neighbours = number(NEIGHBOURS, tr("Neighbours weighed per pixel (Gaussian only)"), whole,
                        defaults.neighbours, minValue=1)  # fmt: skip
    invalid = _choice(INVALID, tr("Invalid GOCI pixels"),
                      [tr("Skip them (use valid neighbours only)"),
                       tr("Propagate them (NaN where one is weighted)"),
                       tr("Valid cover only (skip them, NaN where the nearest GOCI pixel is invalid)")])  # noqa: E501  # fmt: skip
    compression = _choice(COMPRESSION, tr("GeoTIFF compression"),
                          [tr("DEFLATE (every TIFF reader)"),
                           tr("ZSTD (GDAL-based readers only)")])  # fmt: skip
    compression.setFlags(compression.flags() | QgsProcessingParameterDefinition.Flag.FlagOptional)
    return [method, bands, *map(advanced, (radius, sigma, neighbours, invalid, compression))]


def _choice(name, label, options):
    """An enum parameter whose first option is the default."""
    return QgsProcessingParameterEnum(name, label, options=options, defaultValue=0)


def resample_options(algorithm, parameters, context):
    """Build ``ResampleOptions`` from an algorithm's parameter values, after checking that the
    libraries the core needs are there.

    Raises:
        QgsProcessingException: a library is missing, a value is out of range or BANDS cannot
            be read.
    """
    with core_errors():
        require_dependencies()
        return ResampleOptions(
            method=METHODS[algorithm.parameterAsEnum(parameters, METHOD, context)],
            radius_m=algorithm.parameterAsDouble(parameters, RADIUS, context),
            sigma_m=algorithm.parameterAsDouble(parameters, SIGMA, context),
            neighbours=_whole(algorithm.parameterAsDouble(parameters, NEIGHBOURS, context)),
            invalid=INVALID_POLICIES[algorithm.parameterAsEnum(parameters, INVALID, context)],
            wavelengths=parse_wavelengths(algorithm.parameterAsString(parameters, BANDS, context)),
            compression=COMPRESSIONS[algorithm.parameterAsEnum(parameters, COMPRESSION, context)],
        )


def _whole(number):
    """``number`` as an int when it is whole; else as it is, for ``ResampleOptions`` to refuse
    (QGIS would round 2.5 to 3 without a word)."""
    return int(number) if float(number).is_integer() else number


def resampling_help():
    """Return ``{parameter name: help text}`` for the shared parameters (HTML allowed)."""
    return {
        METHOD: tr(
            "<b>Gaussian</b> (default): each Landsat pixel is the mean of the NEIGHBOURS "
            "nearest valid GOCI pixels within RADIUS, weighted by exp(-d²/SIGMA²) (d = distance "
            "in metres). "
            "Smooth and robust; recommended. <b>Nearest neighbour</b>: the value of the nearest "
            "valid GOCI pixel within RADIUS; fastest, keeps original values, shows GOCI's pixels "
            "as blocks (250 m for GOCI-II, 500 m for GOCI-I). <b>Bilinear</b> and <b>Cubic</b> "
            "interpolate in GOCI's own pixel grid, as GDAL's geolocation warper does but with "
            "the exact position of each Landsat pixel in that grid: bilinear from the 2 × 2 "
            "GOCI pixels around it, cubic (Keys, a = −0.5, GDAL's 'cubic') from the 4 × 4. "
            "They keep GOCI's own resolution (Gaussian smooths it to several pixels), give no "
            "blocks and no value outside the GOCI grid; RADIUS, SIGMA and NEIGHBOURS play no "
            "part in them. Which to choose: Gaussian for a smooth, robust picture and the "
            "design note's results; Nearest for GOCI's original values; bilinear for a sharp, "
            "smooth upsampling (the usual '上采样'); cubic for the sharpest one and "
            "super-resolution training inputs (the bicubic convention)."
        ),
        BANDS: tr(
            "Wavelengths in nm of the GOCI bands to resample, e.g. "
            "<code>443,490,555,660,865</code>. Empty (default) = every L_TOA_&lt;nm&gt; band in "
            "the file, in wavelength order. A band that is not in the file is an error that "
            "lists the bands present."
        ),
        RADIUS: tr(
            "Radius of influence in metres (default 800). Only GOCI pixels closer than this to a "
            "Landsat pixel centre count; pixels with none get no data (NaN). Gaussian and "
            "Nearest only (bilinear and cubic do not use it). GOCI-I (500 m "
            "pixels): 800 m is robust (about 8 pixels within reach). GOCI-II (250 m): about 32 "
            "pixels lie within 800 m and NEIGHBOURS 16 keeps the nearest, so the weights reach "
            "about 560 m (the log says so); keep 800 m with SIGMA 320 m (the defaults: smooth, "
            "an effective resolution of several GOCI-II pixels), or RADIUS "
            "500–600 m / SIGMA 200 m for sharper results. Too small leaves holes (the log "
            "warns), too large over-smooths."
        ),
        SIGMA: tr(
            "Width of the Gaussian weight in metres (default 320, about 0.4 × RADIUS). Larger is "
            "smoother. Gaussian method only."
        ),
        NEIGHBOURS: tr(
            "How many nearest GOCI pixels the Gaussian weighs per Landsat pixel (default 16). "
            "Gaussian method only."
        ),
        INVALID: tr(
            "GOCI pixels that are fill (_FillValue, missing_value), outside valid_min/valid_max, "
            "NaN or outside the footprint mask are invalid. <b>Skip</b> (default): they take no "
            "part; the nearest valid pixels are used, so values reach up to RADIUS past every "
            "masked edge (footprint, land mask, clouds). <b>Propagate</b>: a Landsat pixel whose "
            "weighted neighbours include an invalid GOCI pixel gets no data (pyresample's "
            "masked-array behaviour): a gap of about RADIUS around every single fill pixel. "
            "<b>Valid cover only</b>: as skip, but no data where the GOCI pixel nearest to the "
            "Landsat pixel is invalid, so the result stops where GOCI's valid data stops (no "
            "ocean radiance painted over a masked coast). Recommended for land- or cloud-masked "
            "inputs and for training data. Bilinear and cubic: <b>skip</b> = the bilinear "
            "weights of the valid pixels among the 2 × 2, renormalised (cubic where its whole "
            "4 × 4 support is valid, bilinear elsewhere); <b>propagate</b> = no data where a "
            "pixel of the support is invalid; <b>valid cover only</b> = no data where the GOCI "
            "pixel nearest to the Landsat pixel is invalid, else as skip."
        ),
        COMPRESSION: tr(
            "How the output GeoTIFF is compressed; both are lossless with the floating-point "
            "predictor and hold the same numbers. <b>DEFLATE</b> (default): read by every TIFF "
            "reader; choose it for files you share. DEFLATE is written fastest where Intel's "
            "ISA-L is installed (Debian/Ubuntu package libisal2), in files larger than GDAL's "
            "own DEFLATE (interpolated output about 4 %, Nearest's small blocky files about "
            "20 %). <b>ZSTD</b>: files of about the same size; writing takes "
            "about a third less time than DEFLATE where ISA-L is missing (where it is "
            "installed, DEFLATE is as fast or faster); read by GDAL-based software built with "
            "ZSTD (QGIS, GDAL, rasterio, rioxarray, SNAP's GDAL reader) but not by programs "
            "with their own TIFF reader (e.g. MATLAB's imread and Tiff, ImageJ, Pillow, "
            "tifffile without imagecodecs). An output written with the other codec is redone."
        ),
    }


class RasterFileParameter(QgsProcessingParameterRasterLayer):
    """A raster layer parameter (same type, widgets and values) that accepts the path of an
    existing file without opening it as a layer: a layer computes statistics and writes them
    into the user's file (a ``.vrt`` grew from 4 KB to 545 KB through ``qgis_process``, which
    checks every parameter itself) or an ``.aux.xml`` beside it. The core reads the file and
    says what is wrong with it. A copy QGIS makes (``clone``) checks as QGIS does."""

    def checkValueIsAcceptable(self, value, context=None):  # noqa: N802 (QGIS API)
        if isinstance(value, str) and Path(value).is_file():
            return True
        return super().checkValueIsAcceptable(value, context)


def raster_file(algorithm, parameters, name, context):
    """Return the file behind a raster layer parameter, or fail with what to choose instead.

    A file path is used as it is, without opening it as a layer: a layer would compute
    statistics and leave a ``.aux.xml`` in the user's input folder.

    Raises:
        QgsProcessingException: no layer, or a layer that is not a GDAL raster file.
    """
    value = parameters.get(name)
    if isinstance(value, str) and Path(value).is_file():
        return Path(value)
    layer = algorithm.parameterAsRasterLayer(parameters, name, context)
    if layer is None:
        raise QgsProcessingException(tr("{name}: choose a raster file.").format(name=name))
    path = Path(layer.source().split("|")[0])
    if layer.providerType() != "gdal" or not path.is_file():
        raise QgsProcessingException(
            tr(
                "{parameter} layer {name} ({source}) is not a raster file. Choose a GeoTIFF."
            ).format(parameter=name, name=layer.name(), source=layer.source())
        )
    return path


GEOPACKAGE_DESTINATION = re.compile(r"^ogr:dbname='((?:[^']|'')*)'")
"""The dialog's "Save to GeoPackage…" destination: ``ogr:dbname='<file>' table="<layer>" …``
(a quote in the file name doubled)."""


def geopackage_file(algorithm, parameters, name, context):
    """The file a vector destination parameter names, as a plain path, whether the user typed
    a ``.gpkg`` path or chose "Save to GeoPackage…" (``ogr:dbname=…``: then the layer to load
    on completion is moved to the file, whose one layer the algorithm names itself).

    Raises:
        QgsProcessingException: the destination is not a GeoPackage file.
    """
    destination = algorithm.parameterAsOutputLayer(parameters, name, context)
    match = GEOPACKAGE_DESTINATION.match(destination)
    path = match.group(1).replace("''", "'") if match else destination
    if Path(path).suffix.lower() != ".gpkg":
        message = tr("{name} must be a GeoPackage (.gpkg), not {path}.")
        raise QgsProcessingException(message.format(name=name, path=destination))
    if match and context.willLoadLayerOnCompletion(destination):
        layers = context.layersToLoadOnCompletion()
        layers[path] = layers.pop(destination)
        context.setLayersToLoadOnCompletion(layers)
    return path
