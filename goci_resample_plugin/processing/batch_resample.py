"""``gociresample:batchresample``: resample every scene pair under an input root."""

import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core import ProductRequest, run_batch
from ..core.batch import FAILED, NO_PAIR, NOT_RUN, OK, SKIPPED
from .algorithm import GociResampleAlgorithm
from .bridge import core_errors, run_control, tr
from .layers import load_scene_pair
from .parameters import (
    OVERWRITE,
    REGISTER,
    advanced,
    overwrite_help,
    overwrite_parameter,
    register_help,
    register_parameter,
    resample_options,
    resampling_help,
    resampling_parameters,
)

WRITE_QA, SCHEDULER = "WRITE_QA", "SCHEDULER"
INPUT_ROOT, OUTPUT_ROOT, WRITE_NPY, WORKERS, LOAD_OUTPUTS = (
    "INPUT_ROOT",
    "OUTPUT_ROOT",
    "WRITE_NPY",
    "WORKERS",
    "LOAD_OUTPUTS",
)
COMPARE = "COMPARE"
MATCHUPS = "MATCHUPS"
REPORT, PROCESSED, SKIPPED_COUNT, FAILED_COUNT, NO_PAIR_COUNT = (
    "REPORT",
    "PROCESSED",
    "SKIPPED",
    "FAILED",
    "NO_PAIR",
)


class BatchResampleAlgorithm(GociResampleAlgorithm):
    """Resamples the GOCI subset of every scene folder under a root onto its Landsat grid."""

    def name(self):
        return "batchresample"

    def displayName(self):  # noqa: N802 (QGIS API)
        return tr("Folder of scenes: resample every GOCI/Landsat pair")

    def tags(self):
        return tr(
            "goci,landsat,resample,batch,folder,pyresample,gaussian,nearest,bilinear,cubic"
        ).split(",")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.addParameter(
            QgsProcessingParameterFile(
                INPUT_ROOT,
                tr("Input root (one sub-folder per scene)"),
                behavior=QgsProcessingParameterFile.Behavior.Folder,
            )
        )
        for parameter in resampling_parameters():
            self.addParameter(parameter)
        self.addParameter(register_parameter())
        self.addParameter(overwrite_parameter())
        self.addParameter(
            QgsProcessingParameterBoolean(
                WRITE_NPY,
                tr("Also write one .npy file per band"),
                defaultValue=False,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                WRITE_QA,
                tr("Also write the per-pixel quality raster (<output stem>_QA.tif)"),
                defaultValue=False,
                optional=True,  # models saved before it stay valid
            )
        )
        self.addParameter(advanced(QgsProcessingParameterNumber(
            WORKERS, tr("Scenes processed at once (worker processes)"),
            QgsProcessingParameterNumber.Type.Integer, defaultValue=1, minValue=1, maxValue=64,
        )))  # fmt: skip
        self.addParameter(advanced(QgsProcessingParameterString(
            SCHEDULER, tr("dask.distributed scheduler address (run scenes on a cluster)"),
            optional=True,
        )))  # fmt: skip
        self.addParameter(
            QgsProcessingParameterBoolean(
                COMPARE, tr("Compare each result with its Landsat scene"), defaultValue=False
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                MATCHUPS,
                tr("Match-ups at GOCI scale for each scene (cross-calibration)"),
                defaultValue=False,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                LOAD_OUTPUTS,
                tr("Load each result with its Landsat layer (one group per scene)"),
                defaultValue=False,
            )
        )
        self.addParameter(
            QgsProcessingParameterFolderDestination(
                OUTPUT_ROOT,
                tr("Output root"),
            )
        )
        self.addOutput(QgsProcessingOutputFile(REPORT, tr("Batch report (CSV)")))
        for name, description in (
            (PROCESSED, tr("Scenes resampled")),
            (SKIPPED_COUNT, tr("Scenes skipped (output already complete)")),
            (FAILED_COUNT, tr("Scenes failed")),
            (NO_PAIR_COUNT, tr("Folders without a GOCI/Landsat pair")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, description))

    def help_map(self):
        return {
            "ALG_DESC": tr(
                "Resamples every scene pair under INPUT_ROOT: each sub-folder holding a Landsat "
                "*_TOA_RAD_B*.tif and a GOCI *_subset*.nc (a *_subset_footprint.nc wins over "
                "other _subset files). Each scene gets OUTPUT_ROOT/&lt;scene&gt;/"
                "GOCI_on_Landsat_&lt;goci stem&gt;_GAUSS.tif (or _NEAREST, _BILINEAR, _CUBIC) "
                "with its JSON and .qml sidecars, exactly as the one-pair algorithm writes them. "
                "OUTPUT_ROOT/batch_report.csv gets one row per scene folder (scene, status ok / "
                "skipped / failed / no-pair, message, seconds, output) as each scene finishes. "
                "A bad scene never stops the others; outputs appear only when complete, so a "
                "run that was cancelled or killed resumes where it stopped when run again."
            ),
            "ALG_CREATOR": "goci-resample",
            INPUT_ROOT: tr("The folder with one sub-folder per Landsat scene."),
            **resampling_help(),
            REGISTER: register_help()
            + tr(
                " The batch report gets register_east_m, register_north_m, "
                "register_confidence and register_residual_m."
            ),
            OVERWRITE: overwrite_help(),
            WRITE_NPY: tr(
                "Also write each band as &lt;output stem&gt;_L_TOA_&lt;nm&gt;.npy (float32, "
                "NaN = no data) for numpy users."
            ),
            WRITE_QA: tr(
                "Also write &lt;output stem&gt;_QA.tif next to each output: per pixel the "
                "number of GOCI pixels that entered the first band's value, the distance to the "
                "nearest of them (m) and the sum of their weights (see the one-pair "
                "algorithm's OUTPUT_QA), computed in the same pass."
            ),
            WORKERS: tr(
                "How many scenes run at once, each in its own process (default 1 = in QGIS's "
                "own process). Each worker needs up to about 1 GB for a full Landsat scene; "
                "more workers than CPU cores does not help. Results are identical."
            ),
            SCHEDULER: tr(
                "Optional, advanced. The address of a running dask.distributed scheduler "
                "(tcp://host:8786): scenes then run as tasks on its workers instead of here "
                "(WORKERS is ignored). OUTPUT_ROOT and the input folders must be the same paths "
                "on every worker (a shared file system), and the workers' Python must import "
                "goci_resample_plugin (install it there, or upload the plugin ZIP with "
                "client.upload_file). A lost worker's scene runs again on another; cancel "
                "reaches every worker. Needs python3-distributed (only when used)."
            ),
            COMPARE: tr(
                "Off (default). On: each result is also compared with its Landsat file as the "
                "Compare algorithm does (&lt;output stem&gt;_comparison.csv and .html next to "
                "it), and batch_report.csv gets the offset (shift_east_m, shift_north_m, "
                "shift_confidence, and its 95 % half-widths shift_east_uncertainty_m and "
                "shift_north_uncertainty_m in the last columns; empty when not measurable) and "
                "the block-scale R² and bias per GOCI band."
            ),
            MATCHUPS: tr(
                "Off (default). On: each scene also gets its match-ups at GOCI scale as the "
                "Match-ups algorithm makes them (Landsat_on_GOCI_&lt;goci stem&gt;.nc, .gpkg, "
                "_stats.csv, .html next to its result; REGISTER applies to them too), and "
                "OUTPUT_ROOT gets matchups_all.csv (every passing match-up of every scene, with "
                "the scene and its date) and matchups_fit.csv (bias, RMSE, R², gain and offset "
                "per band pair over all scenes, scene = all, and per scene), written again as "
                "each scene finishes."
            ),
            LOAD_OUTPUTS: tr(
                "Off (default). On: when the run ends, each result and its Landsat layer load "
                "into a layer group named after the scene, the result styled as a true-colour "
                "composite, for an overlap check. Ignored where there is no project "
                "(qgis_process)."
            ),
            OUTPUT_ROOT: tr("Where the outputs and batch_report.csv go (created if needed)."),
            REPORT: tr("The path of batch_report.csv."),
        }

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        options = resample_options(self, parameters, context)
        input_root = self.parameterAsFile(parameters, INPUT_ROOT, context)
        # as a file output: QGIS turns TEMPORARY_OUTPUT (the dialog's "Save to a Temporary
        # Directory", a model's temporary folder) into a folder of its own
        output_root = self.parameterAsFileOutput(parameters, OUTPUT_ROOT, context)
        if not input_root:
            raise QgsProcessingException(tr("INPUT_ROOT: choose the folder of scene folders."))
        if not output_root:
            raise QgsProcessingException(tr("OUTPUT_ROOT: choose the folder for the outputs."))
        output_root = os.path.abspath(output_root)
        with core_errors(), run_control(feedback) as control:
            batch = run_batch(
                input_root,
                output_root,
                options,
                request=ProductRequest(
                    overwrite=self.parameterAsBool(parameters, OVERWRITE, context),
                    write_npy=self.parameterAsBool(parameters, WRITE_NPY, context),
                    quality=self.parameterAsBool(parameters, WRITE_QA, context) or None,
                    register=self.parameterAsBool(parameters, REGISTER, context),
                    compare=self.parameterAsBool(parameters, COMPARE, context),
                    matchups=self.parameterAsBool(parameters, MATCHUPS, context),
                ),
                workers=self.parameterAsInt(parameters, WORKERS, context),
                scheduler=self.parameterAsString(parameters, SCHEDULER, context).strip() or None,
                control=control,
            )
        counts = batch.counts()
        if batch.cancelled:
            message = tr("Cancelled: {left} scene(s) not run, finished ones kept, nothing "
                         "partial left. Run again to resume; see {report}.")  # fmt: skip
            raise QgsProcessingException(message.format(left=counts[NOT_RUN], report=batch.report))
        if counts[FAILED]:
            feedback.reportError(
                tr("{count} scene(s) failed; see {report}.").format(
                    count=counts[FAILED], report=batch.report
                )
            )
        if self.parameterAsBool(parameters, LOAD_OUTPUTS, context):
            self._load_outputs(batch, context, feedback, options)
        self.written = [scene.output for scene in batch.scenes if scene.output]
        return {
            OUTPUT_ROOT: output_root,
            REPORT: str(batch.report),
            PROCESSED: counts[OK],
            SKIPPED_COUNT: counts[SKIPPED],
            FAILED_COUNT: counts[FAILED],
            NO_PAIR_COUNT: counts[NO_PAIR],
        }

    @staticmethod
    def _load_outputs(batch, context, feedback, options):
        if context.project() is None:
            feedback.pushInfo(tr("LOAD_OUTPUTS ignored: there is no project to load into."))
            return
        for result in batch.scenes:
            if result.output is None or result.status not in (OK, SKIPPED):
                continue
            load_scene_pair(context, result.output, result.landsat, result.scene, options.suffix,
                            registered=bool(result.figures.get("register_east_m")))  # fmt: skip
