"""The Processing layer inside QGIS (pytest-qgis): provider, parameters, loading and styling."""

import json

import pytest
from qgis.core import (
    QgsApplication,
    QgsProcessingParameterDefinition,
    QgsProject,
)

from goci_resample_plugin import classFactory

ADVANCED = QgsProcessingParameterDefinition.Flag.FlagAdvanced


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


def test_parameters_follow_the_public_contract(plugin):
    algorithm = QgsApplication.processingRegistry().algorithmById("gociresample:resamplepair")
    names = [p.name() for p in algorithm.parameterDefinitions()]
    assert names == ["GOCI", "LANDSAT", "METHOD", "BANDS", "RADIUS", "SIGMA", "NEIGHBOURS",
                     "INVALID", "OUTPUT"]
    defaults = {p.name(): p.defaultValue() for p in algorithm.parameterDefinitions()}
    assert (defaults["METHOD"], defaults["RADIUS"], defaults["SIGMA"], defaults["NEIGHBOURS"],
            defaults["INVALID"]) == (0, 800.0, 320.0, 16, 0)
    advanced = {p.name() for p in algorithm.parameterDefinitions() if p.flags() & ADVANCED}
    assert advanced == {"RADIUS", "SIGMA", "NEIGHBOURS", "INVALID"}
    assert [o.name() for o in algorithm.outputDefinitions()] == ["OUTPUT", "VALID_FRACTION"]


def test_run_and_load_results_loads_a_named_true_colour_layer(plugin, scene, tmp_path):
    import processing

    QgsProject.instance().clear()
    output = tmp_path / "GOCI_on_Landsat_demo_GAUSS.tif"
    results = processing.runAndLoadResults(
        "gociresample:resamplepair",
        {"GOCI": str(scene.goci), "LANDSAT": str(scene.landsat), "OUTPUT": str(output)},
    )
    assert results["OUTPUT"] == str(output) and 0.3 < results["VALID_FRACTION"] <= 1.0
    layers = list(QgsProject.instance().mapLayers().values())
    assert [layer.name() for layer in layers] == [f"{scene.scene_dir.name} GOCI GAUSS"]
    renderer = layers[0].renderer()
    assert renderer.type() == "multibandcolor"
    assert (renderer.redBand(), renderer.greenBand(), renderer.blueBand()) == (4, 3, 2)
    red = json.loads(output.with_suffix(".json").read_text())["bands"][3]
    assert red["name"] == "L_TOA_660"
    enhancement = renderer.redContrastEnhancement()
    assert enhancement.minimumValue() == pytest.approx(red["p2"])
    assert enhancement.maximumValue() == pytest.approx(red["p98"])
