"""Loading results on the map: the plugin's style and a name that says scene and method."""

from qgis.core import QgsProcessingLayerPostProcessorInterface


class StyleFromFile(QgsProcessingLayerPostProcessorInterface):
    """Applies a ``.qml`` style to a layer once Processing has loaded it (main thread).

    Processing keeps only a raw pointer to a post-processor, so each instance keeps itself
    alive in ``_pending`` until it has run.
    """

    _pending = set()

    def __init__(self, style_path):
        super().__init__()
        self.style_path = str(style_path)

    @classmethod
    def create(cls, style_path):
        """Return a post-processor for ``style_path`` that lives until it has been used."""
        instance = cls(style_path)
        cls._pending.add(instance)
        return instance

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API)
        message, ok = layer.loadNamedStyle(self.style_path)
        if not ok:
            feedback.reportError(f"Could not apply the style {self.style_path}: {message}")
        layer.triggerRepaint()
        StyleFromFile._pending.discard(self)


def load_styled(context, output_id, name, style_path):
    """If Processing will load ``output_id`` on completion, name it and style it on load."""
    if context.willLoadLayerOnCompletion(output_id):
        details = context.layerToLoadOnCompletionDetails(output_id)
        details.name = name
        details.setPostProcessor(StyleFromFile.create(style_path))
