"""Loading results on the map: the plugin's style, a name that says scene and method, and one
layer group per scene."""

import os
from typing import ClassVar

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingUtils,
    QgsRasterLayer,
)

from ..core.write import landsat_style_path, style_path


class LayerPlacement(QgsProcessingLayerPostProcessorInterface):
    """Once Processing has loaded a layer (main thread): apply a ``.qml`` style and move the
    layer into a named group, on top of it or at its bottom.

    Processing keeps only a raw pointer to a post-processor, so each instance keeps itself
    alive in ``_pending`` until it has run.
    """

    _pending: ClassVar[set] = set()

    MARK = "goci_resample/loaded"
    """Custom property of the layers the plugin loads (never set on a layer of the user's)."""

    def __init__(self, qml=None, group=None, on_top=True, renderer=None):
        super().__init__()
        self.qml = str(qml) if qml else None
        self.group = group
        self.on_top = on_top
        self.renderer = renderer

    @classmethod
    def create(cls, qml=None, group=None, on_top=True, renderer=None):
        """Return a post-processor that lives until it has been used; ``renderer``: a callable
        giving the layer's renderer (instead of a ``qml``)."""
        instance = cls(qml, group, on_top, renderer)
        cls._pending.add(instance)
        return instance

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API)
        if self.qml:
            message, ok = layer.loadNamedStyle(self.qml)
            if not ok:
                feedback.reportError(f"Could not apply the style {self.qml}: {message}")
        if self.renderer:
            layer.setRenderer(self.renderer())
        layer.setCustomProperty(self.MARK, True)
        if self.group and context.project() is not None:
            _move_into_group(context.project(), layer, self.group, self.on_top)
        if context.project() is not None:
            _remove_older_copies(context.project(), layer)
        layer.triggerRepaint()
        LayerPlacement._pending.discard(self)


def _remove_older_copies(project, layer):
    """Remove the layers an earlier run loaded of the same file under the same name: a re-run
    (reused or OVERWRITE) replaces them instead of adding another "Landsat <scene>". Layers
    the user loaded are never touched."""
    for other in list(project.mapLayers().values()):
        if (other.id() != layer.id() and other.customProperty(LayerPlacement.MARK)
                and other.source() == layer.source() and other.name() == layer.name()):  # fmt: skip
            project.removeMapLayer(other.id())


def refresh_layers_of(project, paths):
    """Make every layer of ``project`` on one of the files ``paths`` (a raster, or a layer of
    a GeoPackage) read its file again and redraw: a layer the user loaded of an output that a
    run replaced kept showing the old file's values."""
    wanted = {os.path.normcase(os.path.abspath(str(path))) for path in paths if path}
    for layer in project.mapLayers().values():
        source = layer.source().split("|", 1)[0]
        if source and os.path.normcase(os.path.abspath(source)) in wanted:
            if layer.dataProvider() is not None:
                layer.dataProvider().reloadData()
            layer.triggerRepaint()


def _move_into_group(project, layer, group_name, on_top):
    root = project.layerTreeRoot()
    node = root.findLayer(layer.id())
    if node is None:
        return
    group = root.findGroup(group_name) or root.insertGroup(0, group_name)
    clone = node.clone()
    if on_top:
        group.insertChildNode(0, clone)
    else:
        group.addChildNode(clone)
    node.parent().removeChildNode(node)


def load_styled(context, output_id, name, qml, group=None):
    """If Processing will load ``output_id`` on completion, name it, style it and put it on
    top of ``group``; return whether it will be loaded."""
    if not context.willLoadLayerOnCompletion(output_id):
        return False
    details = context.layerToLoadOnCompletionDetails(output_id)
    details.name = name
    details.setPostProcessor(LayerPlacement.create(qml, group))
    return True


RATIO_CLASSES = (
    (0.0, 0.9),
    (0.9, 0.97),
    (0.97, 0.99),
    (0.99, 1.01),
    (1.01, 1.03),
    (1.03, 1.1),
    (1.1, 1e9),
)
"""GOCI/Landsat ratio classes of the match-up points (a diverging ramp around 1)."""


def load_points(context, output_id, name, red_nm, group=None):
    """If Processing will load the match-up points ``output_id``, name them and colour them by
    the GOCI/Landsat ratio of the ``red_nm`` band pair (blue below 1, red above), passing
    match-ups large, the others small; put them on top of ``group``."""
    if not context.willLoadLayerOnCompletion(output_id):
        return False
    details = context.layerToLoadOnCompletionDetails(output_id)
    details.name = name
    details.setPostProcessor(
        LayerPlacement.create(group=group, renderer=lambda: _ratio_renderer(red_nm))
    )
    return True


def _ratio_renderer(red_nm):
    """Graduated renderer on ``ratio_<red_nm>`` (blue below 1, white at 1, red above); size
    2.2 mm where ``passes_<red_nm>``, 0.9 mm elsewhere."""
    from qgis.core import (
        QgsGradientColorRamp,
        QgsGradientStop,
        QgsGraduatedSymbolRenderer,
        QgsProperty,
        QgsRendererRange,
        QgsSymbol,
        QgsSymbolLayer,
        QgsWkbTypes,
    )
    from qgis.PyQt.QtGui import QColor

    ramp = QgsGradientColorRamp(
        QColor("#2166ac"), QColor("#b2182b"), False, [QgsGradientStop(0.5, QColor("#f7f7f7"))]
    )  # diverging at 1
    ranges = []
    for position, (low, high) in enumerate(RATIO_CLASSES):
        symbol = QgsSymbol.defaultSymbol(QgsWkbTypes.GeometryType.PointGeometry)
        symbol.setColor(ramp.color(position / (len(RATIO_CLASSES) - 1)))
        symbol.symbolLayer(0).setDataDefinedProperty(
            QgsSymbolLayer.Property.PropertySize,
            QgsProperty.fromExpression(f'CASE WHEN "passes_{red_nm}" THEN 2.2 ELSE 0.9 END'),
        )
        label = f"{low:g} – {high:g}" if high < 1e8 else f"≥ {low:g}"
        ranges.append(QgsRendererRange(low, high, symbol, label))
    return QgsGraduatedSymbolRenderer(f"ratio_{red_nm}", ranges)


def result_name(method_suffix, scene, registered=False):
    """Layer name of a result: what it is first, so names cut short in the panel stay apart;
    a REGISTER output's says so (it sits beside the plain one of the same scene)."""
    return f"GOCI {method_suffix}{' registered' if registered else ''} {scene}"


def quality_name(method_suffix, scene):
    """Layer name of a result's per-pixel quality (``OUTPUT_QA``)."""
    return f"GOCI {method_suffix} quality {scene}"


def landsat_name(scene):
    """Layer name of the Landsat layer the plugin adds next to a result."""
    return f"Landsat {scene}"


def load_scene_pair(context, output, landsat, scene, method_suffix, *,
                    output_is_destination=False, registered=False):  # fmt: skip
    """Load a result and its Landsat layer into the layer group ``scene``: the result on top in
    its true-colour style, Landsat below in the matching style (same channels and limits,
    ``<output stem>_landsat.qml``) for toggling or the transparency slider.

    The Landsat layer is always a layer of our own on the file: a Landsat layer the user
    already has keeps its name, style and place. ``output_is_destination``: the output is the
    algorithm's own destination parameter (loaded by Processing if the user asked for it)
    rather than a file found by a batch.
    """
    name = result_name(method_suffix, scene, registered)
    style = style_path(output)
    if output_is_destination:
        loading = load_styled(context, str(output), name, style, group=scene)
    else:
        loading = load_in_group(context, output, name, scene, qml=style)
    if loading:
        landsat_style = landsat_style_path(output)
        load_in_group(context, landsat, landsat_name(scene), scene,
                      qml=landsat_style if os.path.isfile(landsat_style) else None,
                      on_top=False)  # fmt: skip


def load_in_group(context, path, name, group, qml=None, on_top=True):
    """Load the raster ``path`` as a new layer of our own when the algorithm completes, named
    ``name``, styled from ``qml`` and placed in the layer group ``group``.

    A new layer, never one the project already has on the same file (Processing would
    otherwise take the user's layer and rename, restyle and move it). Returns False (and loads
    nothing) without a project, as in ``qgis_process``.
    """
    project = context.project()
    if project is None:
        return False
    layer = QgsRasterLayer(str(path), name, "gdal")
    if not layer.isValid():
        return False
    context.temporaryLayerStore().addMapLayer(layer)
    details = QgsProcessingContext.LayerDetails(
        name, project, name, QgsProcessingUtils.LayerHint.Raster
    )
    details.setPostProcessor(LayerPlacement.create(qml, group, on_top))
    context.addLayerToLoadOnCompletion(layer.id(), details)
    return True
