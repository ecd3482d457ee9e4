"""goci-resample: a QGIS Processing provider that resamples GOCI subsets onto Landsat grids."""


def classFactory(iface):  # noqa: N802 (QGIS entry point name)
    """QGIS plugin entry point."""
    from .plugin import GociResamplePlugin

    return GociResamplePlugin(iface)
