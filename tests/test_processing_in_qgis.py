"""The Processing layer inside QGIS (pytest-qgis): provider, parameters, loading and styling."""

import json

import numpy as np
import pytest
import rasterio
from conftest import REPO
from qgis.core import (
    QgsApplication,
    QgsProcessingParameterDefinition,
    QgsProject,
)
from rows import covers

from goci_resample_plugin import classFactory

ADVANCED = QgsProcessingParameterDefinition.Flag.FlagAdvanced
OPTIONAL = QgsProcessingParameterDefinition.Flag.FlagOptional


@pytest.fixture(scope="module")
def plugin(qgis_app, qgis_iface, qgis_processing):
    instance = classFactory(qgis_iface)
    instance.initProcessing()
    yield instance
    instance.unload()


def test_provider_and_algorithm_are_registered(plugin):
    registry = QgsApplication.processingRegistry()
    assert registry.providerById("gociresample") is not None
    algorithm = registry.algorithmById("gociresample:resamplepair")
    assert algorithm is not None
    assert "Landsat" in algorithm.displayName()
    assert "exp(-d²/SIGMA²)" in algorithm.shortHelpString()
    assert algorithm.helpUrl().endswith("/docs/user-guide.md")


COMMON = ["METHOD", "BANDS", "RADIUS", "SIGMA", "NEIGHBOURS", "INVALID", "COMPRESSION"]
ADVANCED_COMMON = {"RADIUS", "SIGMA", "NEIGHBOURS", "INVALID", "COMPRESSION", "OVERWRITE"}
CONTRACT = {
    # algorithm: (parameters in order, defaults, advanced, outputs) — SPEC §5, public
    "gociresample:resamplepair": (
        ["GOCI", "LANDSAT", *COMMON, "REGISTER", "OVERWRITE", "OUTPUT", "OUTPUT_QA"],
        {"METHOD": 0, "RADIUS": 800.0, "SIGMA": 320.0, "NEIGHBOURS": 16, "INVALID": 0,
         "COMPRESSION": 0, "REGISTER": False, "OVERWRITE": False},
        ADVANCED_COMMON,
        ["OUTPUT", "OUTPUT_QA", "VALID_FRACTION", "SHIFT_EAST_M", "SHIFT_NORTH_M"],
    ),
    "gociresample:batchresample": (
        ["INPUT_ROOT", *COMMON, "REGISTER", "OVERWRITE", "WRITE_NPY", "WRITE_QA", "WORKERS",
         "SCHEDULER", "COMPARE", "MATCHUPS", "LOAD_OUTPUTS", "OUTPUT_ROOT"],
        {"REGISTER": False, "OVERWRITE": False, "WRITE_NPY": False, "WRITE_QA": False,
         "WORKERS": 1, "MATCHUPS": False, "LOAD_OUTPUTS": False},
        ADVANCED_COMMON | {"WORKERS", "SCHEDULER"},
        ["OUTPUT_ROOT", "REPORT", "PROCESSED", "SKIPPED", "FAILED", "NO_PAIR"],
    ),
    "gociresample:comparelandsat": (
        ["RESAMPLED", "LANDSAT", "BAND_PAIRS", "BLOCK", "OVERWRITE", "OUTPUT_TABLE",
         "OUTPUT_REPORT", "OUTPUT_DIFFERENCE"],
        {"BLOCK": 16, "OVERWRITE": False},
        {"OVERWRITE"},
        ["OUTPUT_TABLE", "OUTPUT_REPORT", "OUTPUT_DIFFERENCE", "SHIFT_EAST_M", "SHIFT_NORTH_M",
         "SHIFT_X_M", "SHIFT_Y_M", "SHIFT_CONFIDENCE", "SHIFT_EAST_UNCERTAINTY_M",
         "SHIFT_NORTH_UNCERTAINTY_M"],
    ),
    "gociresample:matchups": (
        ["GOCI", "LANDSAT", "BAND_PAIRS", "BOX", "MAX_CV", "MIN_COVERAGE", "REGISTER",
         "OVERWRITE", "OUTPUT", "OUTPUT_POINTS", "OUTPUT_TABLE", "OUTPUT_REPORT"],
        {"BOX": 3, "MAX_CV": 0.15, "MIN_COVERAGE": 0.9, "REGISTER": False, "OVERWRITE": False},
        {"OVERWRITE"},
        ["OUTPUT", "OUTPUT_POINTS", "OUTPUT_TABLE", "OUTPUT_REPORT", "MATCHUPS"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("algorithm_id", sorted(CONTRACT))
def test_parameters_follow_the_public_contract(plugin, algorithm_id):
    names, defaults, advanced, outputs = CONTRACT[algorithm_id]
    algorithm = QgsApplication.processingRegistry().algorithmById(algorithm_id)
    definitions = algorithm.parameterDefinitions()
    assert [p.name() for p in definitions] == names
    assert {p.name(): p.defaultValue() for p in definitions if p.name() in defaults} == defaults
    assert {p.name() for p in definitions if p.flags() & ADVANCED} == advanced
    assert [o.name() for o in algorithm.outputDefinitions()] == outputs
    # Parameters added after 0.1.0 are optional, so models saved before them stay valid.
    assert algorithm.parameterDefinition("OVERWRITE").flags() & OPTIONAL
    if algorithm.parameterDefinition("COMPRESSION") is not None:
        assert algorithm.parameterDefinition("COMPRESSION").flags() & OPTIONAL


def test_a_landsat_layer_the_user_has_keeps_its_name_style_and_place(plugin, scene, tmp_path):
    import processing
    from qgis.core import QgsRasterLayer, QgsSingleBandGrayRenderer

    project = QgsProject.instance()
    project.clear()
    mine = QgsRasterLayer(str(scene.landsat), "my Landsat", "gdal")
    mine.setRenderer(QgsSingleBandGrayRenderer(mine.dataProvider(), 5))
    project.addMapLayer(mine)
    processing.runAndLoadResults(
        "gociresample:resamplepair",
        {"GOCI": mine.id(), "LANDSAT": mine.id(), "OUTPUT": str(tmp_path / "o.tif")}
        | {"GOCI": str(scene.goci)},
    )
    root = project.layerTreeRoot()
    assert mine.name() == "my Landsat" and mine.renderer().type() == "singlebandgray"
    assert mine.renderer().grayBand() == 5
    assert root.findLayer(mine.id()).parent() == root  # not moved into the plugin's group
    [group] = root.findGroups()
    ours = [node.layer() for node in group.findLayers()]
    assert mine not in ours and ours[1].source() == mine.source()
    assert ours[1].renderer().type() == "multibandcolor"


def test_run_and_load_results_puts_result_and_landsat_in_one_scene_group(plugin, scene, tmp_path):
    import processing

    project = QgsProject.instance()
    project.clear()
    output = tmp_path / "GOCI_on_Landsat_demo_GAUSS.tif"
    results = processing.runAndLoadResults(
        "gociresample:resamplepair",
        {"GOCI": str(scene.goci), "LANDSAT": str(scene.landsat), "OUTPUT": str(output)},
    )
    assert results["OUTPUT"] == str(output) and 0.3 < results["VALID_FRACTION"] <= 1.0
    name = scene.scene_dir.name
    [group] = project.layerTreeRoot().findGroups()
    assert group.name() == name
    assert [node.name() for node in group.findLayers()] == [f"GOCI GAUSS {name}", f"Landsat {name}"]
    goci, landsat = (node.layer() for node in group.findLayers())
    red = json.loads(output.with_suffix(".json").read_text())["bands"][3]
    assert red["name"] == "L_TOA_660"
    for layer, bands in ((goci, (4, 3, 2)), (landsat, (4, 3, 2))):
        renderer = layer.renderer()
        assert renderer.type() == "multibandcolor"
        assert (renderer.redBand(), renderer.greenBand(), renderer.blueBand()) == bands
        enhancement = renderer.redContrastEnhancement()
        assert enhancement.minimumValue() == pytest.approx(red["p2"])
        assert enhancement.maximumValue() == pytest.approx(red["p98"])
    # What the user sees: render each layer alone and compare the pixels.
    goci_image = _render(goci, landsat.extent())
    landsat_image = _render(landsat, landsat.extent())
    both = (goci_image.sum(axis=2) > 0) & (landsat_image.sum(axis=2) > 0)
    assert both.mean() > 0.3, "both layers must show the scene"
    difference = np.abs(goci_image.astype(int) - landsat_image.astype(int))[both].mean()
    spread = landsat_image[both].astype(int).std()
    assert difference < 0.35 * spread, (difference, spread)


def _render(layer, extent, size=240):
    """Render one layer headless (QgsMapRendererParallelJob) to an (h, w, 3) uint8 array."""
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor, QImage

    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(size, size))
    settings.setBackgroundColor(QColor(0, 0, 0))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage().convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits().asstring(image.sizeInBytes()), dtype=np.uint8)
    return data.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(height, width, 3)


def test_a_rerun_replaces_the_layers_it_loaded_instead_of_adding_more(plugin, scene, tmp_path):
    """Every re-run (reused or OVERWRITE) added another identical "Landsat <scene>"; a layer
    the user loaded of the same file stays."""
    import processing
    from qgis.core import QgsRasterLayer

    project = QgsProject.instance()
    project.clear()
    mine = QgsRasterLayer(str(scene.landsat), "my Landsat", "gdal")
    project.addMapLayer(mine)
    output = tmp_path / "GOCI_on_Landsat_demo_GAUSS.tif"
    parameters = {"GOCI": str(scene.goci), "LANDSAT": str(scene.landsat), "BANDS": "660",
                  "OUTPUT": str(output)}  # fmt: skip
    for overwrite in (False, False, True):
        processing.runAndLoadResults("gociresample:resamplepair",
                                     parameters | {"OVERWRITE": overwrite})  # fmt: skip
    name = scene.scene_dir.name
    [group] = project.layerTreeRoot().findGroups()
    assert [node.name() for node in group.findLayers()] == [f"GOCI GAUSS {name}", f"Landsat {name}"]
    assert sorted(layer.name() for layer in project.mapLayers().values()) == sorted(
        [f"GOCI GAUSS {name}", f"Landsat {name}", "my Landsat"]
    )


def test_batch_loads_each_scene_into_its_own_group_with_its_landsat_layer(
    plugin, batch_root, tmp_path
):
    import processing

    root, good = batch_root
    project = QgsProject.instance()
    project.clear()
    results = processing.runAndLoadResults(
        "gociresample:batchresample",
        {
            "INPUT_ROOT": str(root),
            "OUTPUT_ROOT": str(tmp_path),
            "METHOD": 1,
            "LOAD_OUTPUTS": True,
        },
    )
    assert results["PROCESSED"] == 3
    tree = project.layerTreeRoot()
    groups = {
        group.name(): [layer.name() for layer in group.findLayers()] for group in tree.findGroups()
    }
    assert groups == {scene: [f"GOCI NEAREST {scene}", f"Landsat {scene}"] for scene in good}
    assert not [node for node in tree.children() if node.nodeType() == node.NodeType.NodeLayer]
    goci = project.mapLayersByName(f"GOCI NEAREST {good[0]}")[0]
    assert goci.renderer().type() == "multibandcolor"


def test_resamplepair_runs_row_by_row_as_the_batch_panel_does(plugin, batch_root, tmp_path):
    """The batch panel runs the algorithm once per row, each with a new context and file paths
    as values; every row must give its own output."""
    import processing
    from processing.tools import dataobjects

    root, good = batch_root
    for scene in good:
        [goci] = (root / scene).glob("*_subset_footprint.nc")
        [landsat] = (root / scene).glob("*_TOA_RAD_B*.tif")
        output = tmp_path / f"{scene}.tif"
        results = processing.run(
            "gociresample:resamplepair",
            {
                "GOCI": str(goci),
                "LANDSAT": str(landsat),
                "METHOD": 1,
                "OUTPUT": str(output),
            },
            context=dataobjects.createContext(),
        )
        assert results["OUTPUT"] == str(output) and 0.5 < results["VALID_FRACTION"] < 1
    assert sorted(p.stem for p in tmp_path.glob("*.tif")) == sorted(good)


@pytest.mark.parametrize("model", sorted((REPO / "resources" / "models").glob("*.model3")))
def test_every_shipped_model_is_valid_in_the_model_designer(plugin, model):
    """What the Model Designer checks before Run (qgis_process does not validate the same)."""
    from qgis.core import QgsProcessingModelAlgorithm

    algorithm = QgsProcessingModelAlgorithm()
    assert algorithm.fromFile(str(model))
    valid, issues = algorithm.validate()
    assert valid and not issues, issues
    assert {child.algorithmId() for child in algorithm.childAlgorithms().values()} >= {
        "gociresample:resamplepair"
    }


def test_the_difference_raster_loads_diverging_in_the_scene_group(plugin, scene, tmp_path):
    import processing

    project = QgsProject.instance()
    project.clear()
    resampled = tmp_path / "GOCI_on_Landsat_x_GAUSS.tif"
    processing.run("gociresample:resamplepair", {"GOCI": str(scene.goci),
                   "LANDSAT": str(scene.landsat), "OUTPUT": str(resampled)})  # fmt: skip
    processing.runAndLoadResults(
        "gociresample:comparelandsat",
        {"RESAMPLED": str(resampled), "LANDSAT": str(scene.landsat),
         "OUTPUT_TABLE": str(tmp_path / "t.csv"), "OUTPUT_REPORT": str(tmp_path / "r.html"),
         "OUTPUT_DIFFERENCE": str(tmp_path / "d.tif")},
    )  # fmt: skip
    [group] = project.layerTreeRoot().findGroups()
    assert group.name() == scene.scene_dir.name
    [layer] = [node.layer() for node in group.findLayers()]
    assert layer.name() == f"GOCI − Landsat {scene.scene_dir.name}"
    renderer = layer.renderer()
    assert renderer.type() == "singlebandpseudocolor" and renderer.band() == 4  # 660 nm vs B4
    shader = renderer.shader().rasterShaderFunction()
    assert shader.minimumValue() == pytest.approx(-shader.maximumValue())
    with rasterio.open(tmp_path / "d.tif") as dataset:
        red = np.abs(dataset.read(4))
    assert shader.maximumValue() == pytest.approx(np.nanpercentile(red, 98), rel=0.05)


def test_a_batch_into_a_temporary_folder_writes_there_not_into_the_working_folder(
    plugin, batch_root, tmp_path, monkeypatch
):
    """ "Save to a Temporary Directory" or a model's temporary folder (``TEMPORARY_OUTPUT``):
    the batch writes into a folder QGIS makes and returns its absolute path, never into
    ``./TEMPORARY_OUTPUT`` under the working folder (on Windows often QGIS's install folder)."""
    import os
    from pathlib import Path

    import processing

    root, _ = batch_root
    working = tmp_path / "working"
    working.mkdir()
    monkeypatch.chdir(working)
    results = processing.run("gociresample:batchresample",
                             {"INPUT_ROOT": str(root), "OUTPUT_ROOT": "TEMPORARY_OUTPUT",
                              "METHOD": 1})  # fmt: skip
    report = Path(results["REPORT"])
    assert results["PROCESSED"] == 3 and report.is_file() and report.is_absolute()
    assert report.parent == Path(results["OUTPUT_ROOT"]) and not os.listdir(working)


def test_a_rerun_with_qa_keeps_one_quality_layer_in_the_scene_group(plugin, scene, tmp_path):
    """OUTPUT_QA was loaded by Processing outside the scene group, and every re-run added
    another copy of it."""
    import processing

    project = QgsProject.instance()
    project.clear()
    output, quality = tmp_path / "o.tif", tmp_path / "o_QA.tif"
    parameters = {"GOCI": str(scene.goci), "LANDSAT": str(scene.landsat), "BANDS": "660",
                  "METHOD": 1, "OUTPUT": str(output), "OUTPUT_QA": str(quality)}  # fmt: skip
    for overwrite in (False, True):
        processing.runAndLoadResults("gociresample:resamplepair",
                                     parameters | {"OVERWRITE": overwrite})  # fmt: skip
    name = scene.scene_dir.name
    [group] = project.layerTreeRoot().findGroups()
    assert [node.name() for node in group.findLayers()] == [
        f"GOCI NEAREST quality {name}", f"GOCI NEAREST {name}", f"Landsat {name}"]  # fmt: skip
    assert len(project.mapLayers()) == 3


def test_temporary_match_up_points_are_a_geopackage_whatever_the_default_vector_format(
    plugin, scene, tmp_path
):
    """A user whose Processing default vector format is Shapefile: a temporary OUTPUT_POINTS
    (the dialog's default) was made ``….shp`` and then refused as not a GeoPackage."""
    import processing
    from qgis.core import QgsSettings, QgsVectorFileWriter

    settings = QgsSettings()
    key = "Processing/Configuration/DefaultOutputVectorLayerExt"
    before = settings.value(key)
    settings.setValue(key, QgsVectorFileWriter.supportedFormatExtensions().index("shp"))
    try:
        results = processing.run("gociresample:matchups",
                                 {"GOCI": str(scene.goci), "LANDSAT": str(scene.landsat),
                                  "OUTPUT": str(tmp_path / "Landsat_on_GOCI_x.nc"),
                                  "OUTPUT_POINTS": "TEMPORARY_OUTPUT",
                                  "OUTPUT_TABLE": str(tmp_path / "m.csv"),
                                  "OUTPUT_REPORT": str(tmp_path / "m.html")})  # fmt: skip
    finally:
        if before is None:
            settings.remove(key)
        else:
            settings.setValue(key, before)
    assert results["OUTPUT_POINTS"].endswith(".gpkg")


def test_match_up_points_saved_to_a_geopackage_from_the_dialog(plugin, scene, tmp_path):
    """The dialog's "Save to GeoPackage…" gives OUTPUT_POINTS as ``ogr:dbname='…'
    table="…" (geom)``: the points go to that GeoPackage (it was refused as "not a .gpkg")
    and load on the map from it, named and styled as match-ups."""
    import processing

    project = QgsProject.instance()
    project.clear()
    target = tmp_path / "it's 我的 points.gpkg"
    dbname = str(target).replace("'", "''")
    results = processing.runAndLoadResults(
        "gociresample:matchups",
        {"GOCI": str(scene.goci), "LANDSAT": str(scene.landsat),
         "OUTPUT": str(tmp_path / "Landsat_on_GOCI_x.nc"),
         "OUTPUT_POINTS": f"ogr:dbname='{dbname}' table=\"pts\" (geom)",
         "OUTPUT_TABLE": str(tmp_path / "m.csv"), "OUTPUT_REPORT": str(tmp_path / "m.html")},
    )  # fmt: skip
    assert results["OUTPUT_POINTS"] == str(target) and target.is_file()
    points = [layer for layer in project.mapLayers().values() if layer.type() == 0]
    assert len(points) == 1 and points[0].name().startswith("Match-ups")
    assert points[0].source().split("|")[0] == str(target) and points[0].featureCount() > 0
    project.clear()


@covers("user-layer-of-the-output")
def test_a_layer_of_the_output_the_user_loaded_shows_the_new_values_after_a_rerun(
    plugin, scene, tmp_path
):
    """The user loaded the result themselves (drag and drop) and runs again with another
    METHOD into the same OUTPUT: their layer must show the new file, not the replaced one
    (GDAL kept the old file open), and stay theirs."""
    import processing
    from qgis.core import QgsPointXY, QgsRaster, QgsRasterLayer

    project = QgsProject.instance()
    project.clear()
    output = tmp_path / "result.tif"
    parameters = {"GOCI": str(scene.goci), "LANDSAT": str(scene.landsat), "BANDS": "660",
                  "OUTPUT": str(output), "OVERWRITE": True}  # fmt: skip
    processing.run("gociresample:resamplepair", parameters | {"METHOD": 1})
    mine = QgsRasterLayer(str(output), "my result", "gdal")
    project.addMapLayer(mine)
    with rasterio.open(output) as dataset:
        row, col = dataset.height // 2, dataset.width // 2
        point = QgsPointXY(*dataset.xy(row, col))

    def shown():
        identified = mine.dataProvider().identify(
            point, QgsRaster.IdentifyFormat.IdentifyFormatValue
        )
        return identified.results()[1]

    nearest = shown()
    # "Open output file after running" unchecked: nothing is loaded, the user's layer stays
    processing.run("gociresample:resamplepair", parameters | {"METHOD": 0})
    with rasterio.open(output) as dataset:
        gaussian = float(dataset.read(1)[row, col])
    assert gaussian != pytest.approx(nearest, rel=1e-6)
    assert shown() == pytest.approx(gaussian, rel=1e-6)
    assert mine.name() == "my result" and project.mapLayer(mine.id()) is not None
