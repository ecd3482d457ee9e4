"""``make docs``: screenshots of the real Processing dialogs and of the map, rendered headless.

Run through pytest so that pytest-qgis provides QGIS, Processing and a stand-in for iface:
``.venv/bin/python -m pytest -p no:xdist -p no:cacheprovider scripts/screenshots.py``
(``make docs`` does this, with a throw-away QGIS profile). Writes ``docs/img/*.png``: each
algorithm's dialog, the map after resamplepair (the result and its Landsat layer alone), and
the top of the comparison and match-up HTML reports as a 1200 px browser window shows them.
"""

import sys
from pathlib import Path

from qgis.core import QgsApplication, QgsMapRendererParallelJob, QgsMapSettings, QgsProject
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from sample_data import goci2_spec, write_scene  # noqa: E402

from goci_resample_plugin import classFactory  # noqa: E402

IMAGES = REPO / "docs" / "img"


def test_screenshots(qgis_app, qgis_iface, qgis_processing):
    """Not a test: the docs' screenshot generator, run by ``make docs``."""
    from qgis.gui import QgsBrowserGuiModel

    IMAGES.mkdir(parents=True, exist_ok=True)
    browser = QgsBrowserGuiModel()
    qgis_iface.browserModel = lambda: browser  # the dialog's file widgets ask for it
    plugin = classFactory(qgis_iface)
    plugin.initProcessing()
    # the user's format: a GOCI-II 250 m subset as the clip step writes it
    scene = write_scene(REPO / "demo_output" / "docs", goci2_spec(width=900, height=900, seed=5))
    dialogs(IMAGES, scene)
    map_views(IMAGES, scene)
    reports(IMAGES, REPO / "demo_output" / "docs-reports")
    plugin.unload()


def dialogs(folder, scene):
    """Each algorithm's dialog, parameters filled for the pair, advanced parameters shown."""
    from processing.gui.AlgorithmDialog import AlgorithmDialog

    registry = QgsApplication.processingRegistry()
    for algorithm_id, values in (
        ("gociresample:resamplepair", {"GOCI": str(scene.goci), "LANDSAT": str(scene.landsat)}),
        ("gociresample:batchresample", {"INPUT_ROOT": str(scene.scene_dir.parent)}),
        ("gociresample:comparelandsat", {}),
        ("gociresample:matchups", {"GOCI": str(scene.goci), "LANDSAT": str(scene.landsat)}),
    ):
        dialog = AlgorithmDialog(registry.algorithmById(algorithm_id).create())
        dialog.mainWidget().setParameters(values)
        dialog.resize(980, 760)
        dialog.show()
        QgsApplication.processEvents()
        dialog.grab().save(str(folder / f"{algorithm_id.split(':')[1]}_dialog.png"))
        dialog.close()


def map_views(folder, scene):
    """The scene group after resamplepair: result over Landsat, and each layer alone."""
    import processing

    project = QgsProject.instance()
    project.clear()
    output = REPO / "demo_output" / "docs" / "GOCI_on_Landsat_docs_GAUSS.tif"
    processing.runAndLoadResults("gociresample:resamplepair", {
        "GOCI": str(scene.goci), "LANDSAT": str(scene.landsat), "OUTPUT": str(output),
        "OVERWRITE": True,
    })  # fmt: skip
    [group] = project.layerTreeRoot().findGroups()
    goci, landsat = (node.layer() for node in group.findLayers())
    for name, layers in (("map_goci", [goci]), ("map_landsat", [landsat])):
        settings = QgsMapSettings()
        settings.setLayers(layers)
        settings.setDestinationCrs(landsat.crs())
        settings.setExtent(landsat.extent())
        settings.setOutputSize(QSize(600, 600))
        settings.setBackgroundColor(QColor(255, 255, 255))
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        job.renderedImage().save(str(folder / f"{name}.png"))


def reports(folder, root):
    """The comparison and match-up reports of a 45 km GOCI-II pair whose GOCI geolocation is
    150 m east / 90 m north off, rendered by QtWebKit in a 1200 px window (top 1300 px)."""
    from qgis.PyQt.QtCore import QEventLoop, QUrl
    from qgis.PyQt.QtGui import QImage, QPainter
    from qgis.PyQt.QtWebKitWidgets import QWebPage

    from goci_resample_plugin.core import compare_pair, resample_pair
    from goci_resample_plugin.core.matchups.run import match_pair

    spec = goci2_spec(width=1500, height=1500, seed=3, goci_offset_m=(150.0, 90.0))
    scene = write_scene(root, spec)
    out = root / "out"
    resampled = resample_pair(scene.goci, scene.landsat, out / "r.tif", overwrite=True).output
    compare_pair(resampled, scene.landsat, out / "t.csv", out / "comparison.html",
                 overwrite=True)  # fmt: skip
    match_pair(scene.goci, scene.landsat, out / "matchups.nc", overwrite=True)
    for page_file, image in ((out / "comparison.html", "comparison_report.png"),
                             (out / "matchups.html", "matchups_report.png")):  # fmt: skip
        page = QWebPage()
        page.setViewportSize(QSize(1200, 900))
        loop = QEventLoop()
        page.loadFinished.connect(loop.quit)
        page.mainFrame().load(QUrl.fromLocalFile(str(page_file)))
        loop.exec()
        height = min(page.mainFrame().contentsSize().height(), 1300)
        page.setViewportSize(QSize(1200, height))
        picture = QImage(page.viewportSize(), QImage.Format.Format_RGB32)
        painter = QPainter(picture)
        page.mainFrame().render(painter)
        painter.end()
        picture.save(str(folder / image))
