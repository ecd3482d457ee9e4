"""Driven inside the real QGIS desktop (``qgis --code``) by tests/test_desktop.py, as a user
would: the algorithm's dialog, the layer tree, the map canvas, the Model Designer.

Reads its task from the JSON file named by ``GOCI_DESKTOP_TASK``; writes what it saw to the
task's ``answer`` file, screenshots as PNG next to it, then quits QGIS.
"""

import json
import os
import traceback

import processing
from processing.modeler.ModelerDialog import ModelerDialog
from qgis.core import QgsApplication, QgsProcessingModelAlgorithm, QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.utils import iface

with open(os.environ["GOCI_DESKTOP_TASK"], encoding="utf-8") as task_file:
    TASK = json.load(task_file)
ANSWER = {"steps": []}
STEP_MS = 250
TIMEOUT_TICKS = 4 * 240


def finish(error=None):
    if error:
        ANSWER["error"] = error
    with open(TASK["answer"], "w", encoding="utf-8") as handle:
        json.dump(ANSWER, handle, indent=1)
    # Leave at once: after the batch dialog, QGIS's own exit() waits on an event loop that
    # never returns headless, and there is nothing of the throw-away profile to keep.
    os._exit(0)


def guarded(step):
    def run(*args):
        try:
            step(*args)
        except Exception:  # the test reads the traceback from the answer
            finish(traceback.format_exc())

    return run


def layer_tree():
    root = QgsProject.instance().layerTreeRoot()
    groups = {}
    for group in root.findGroups():
        layers = []
        for node in group.findLayers():
            layer = node.layer()
            renderer = layer.renderer()
            entry = {"name": layer.name(), "renderer": renderer.type(), "source": layer.source()}
            if renderer.type() == "graduatedSymbol":
                entry["attribute"] = renderer.classAttribute()
                entry["ranges"] = [[r.lowerValue(), r.upperValue()] for r in renderer.ranges()]
                entry["features"] = layer.featureCount()
            if renderer.type() == "multibandcolor":
                entry["bands"] = [renderer.redBand(), renderer.greenBand(), renderer.blueBand()]
                entry["red_limits"] = [
                    renderer.redContrastEnhancement().minimumValue(),
                    renderer.redContrastEnhancement().maximumValue(),
                ]
            layers.append(entry)
        groups[group.name()] = layers
    top = [node.name() for node in root.children() if node.nodeType() == node.NodeType.NodeLayer]
    return {"groups": groups, "top_level_layers": top}


@guarded
def open_dialog_and_run():
    dialog = processing.createAlgorithmDialog(
        "gociresample:resamplepair",
        {"GOCI": TASK["goci"], "LANDSAT": TASK["landsat"], "OUTPUT": TASK["output"]},
    )
    dialog.show()
    ANSWER["dialog_title"] = dialog.windowTitle()
    dialog.grab().save(os.path.join(TASK["folder"], "dialog.png"))
    dialog.runAlgorithm()
    wait_for_group(dialog, 0)


@guarded
def wait_for_group(dialog, ticks):
    groups = QgsProject.instance().layerTreeRoot().findGroups()
    if groups and len(groups[0].findLayers()) == 2:
        ANSWER["steps"].append("dialog-run")
        ANSWER["after_dialog"] = layer_tree()
        dialog.close()
        QTimer.singleShot(STEP_MS, show_on_canvas)
    elif ticks > TIMEOUT_TICKS:
        finish("the dialog's run did not load its layers in time")
    else:
        QTimer.singleShot(STEP_MS, lambda: wait_for_group(dialog, ticks + 1))


@guarded
def show_on_canvas():
    canvas = iface.mapCanvas()
    [group] = QgsProject.instance().layerTreeRoot().findGroups()
    canvas.setExtent(group.findLayers()[-1].layer().extent())
    canvas.refresh()
    canvas.waitWhileRendering()
    QTimer.singleShot(1000, grab_canvas)


@guarded
def grab_canvas():
    path = os.path.join(TASK["folder"], "canvas.png")
    iface.mapCanvas().grab().save(path)
    iface.mainWindow().grab().save(os.path.join(TASK["folder"], "window.png"))
    ANSWER["canvas"] = path
    ANSWER["steps"].append("canvas")
    QTimer.singleShot(STEP_MS, open_model)


@guarded
def open_model():
    model = QgsProcessingModelAlgorithm()
    model.fromFile(TASK["model"])
    designer = ModelerDialog.create(model)
    designer.show()
    valid, issues = designer.model().validate()
    ANSWER["model"] = {"valid": valid, "issues": list(issues)}
    designer.grab().save(os.path.join(TASK["folder"], "designer.png"))
    designer.setDirty(False)
    designer.close()
    ANSWER["steps"].append("model")
    QTimer.singleShot(STEP_MS, compare)


@guarded
def compare():
    processing.runAndLoadResults(
        "gociresample:comparelandsat",
        {
            "RESAMPLED": TASK["output"],
            "LANDSAT": TASK["landsat"],
            "OUTPUT_TABLE": TASK["table"],
            "OUTPUT_REPORT": TASK["report"],
            "OUTPUT_DIFFERENCE": TASK["difference"],
        },
    )
    ANSWER["after_compare"] = layer_tree()
    ANSWER["steps"].append("compare")
    QTimer.singleShot(STEP_MS, matchups)


@guarded
def matchups():
    """The match-ups with their points loaded on the map; a picture of them for the docs."""
    result = processing.runAndLoadResults(
        "gociresample:matchups",
        {
            "GOCI": TASK["goci"],
            "LANDSAT": TASK["landsat"],
            "OUTPUT": TASK["matchups"],
            "OUTPUT_POINTS": TASK["matchups"].replace(".nc", ".gpkg"),
            "OUTPUT_TABLE": TASK["matchups"].replace(".nc", ".csv"),
            "OUTPUT_REPORT": TASK["matchups"].replace(".nc", ".html"),
        },
    )
    ANSWER["matchups"] = result["MATCHUPS"]
    ANSWER["after_matchups"] = layer_tree()
    canvas = iface.mapCanvas()
    points = next(layer for layer in QgsProject.instance().mapLayers().values()
                  if layer.name().startswith("Match-ups"))  # fmt: skip
    root = QgsProject.instance().layerTreeRoot()
    for node in root.findLayers():  # the points over the GOCI result, as a user would look
        shown = node.layer() == points or node.name().startswith("GOCI GAUSS")
        node.setItemVisibilityChecked(shown)
    extent = points.extent()
    extent.scale(0.35)
    canvas.setExtent(canvas.mapSettings().layerExtentToOutputExtent(points, extent))
    canvas.refresh()
    canvas.waitWhileRendering()
    QTimer.singleShot(1000, grab_matchups)


@guarded
def grab_matchups():
    iface.mainWindow().grab().save(os.path.join(TASK["folder"], "matchups.png"))
    ANSWER["steps"].append("matchups")
    QTimer.singleShot(STEP_MS, batch_panel)


@guarded
def batch_panel():
    """Execute as Batch Process: two rows, each its own output."""
    from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog
    from processing.tools import dataobjects

    algorithm = QgsApplication.processingRegistry().algorithmById("gociresample:resamplepair")
    dialog = BatchAlgorithmDialog(algorithm.create(), iface.mainWindow())
    dialog.show()
    panel = dialog.mainWidget()
    panel.addRow()
    panel.checkLoadLayersOnCompletion.setChecked(False)
    context = dataobjects.createContext()
    for row, output in enumerate(TASK["batch_outputs"]):
        wrappers = panel.wrappers[row]
        for name, value in (("GOCI", TASK["goci"]), ("LANDSAT", TASK["landsat"]), ("METHOD", 1)):
            wrappers[panel.parameter_to_column[name]].setParameterValue(value, context)
        column = panel.parameter_to_column["OUTPUT"]
        panel.tblParameters.cellWidget(row + 1, column).setValue(output)
    ANSWER["batch_rows"] = panel.batchRowCount()
    dialog.grab().save(os.path.join(TASK["folder"], "batch.png"))
    dialog.runAlgorithm()
    dialog.close()
    ANSWER["steps"].append("batch")
    finish()


QTimer.singleShot(2000, open_dialog_and_run)
