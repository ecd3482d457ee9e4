"""QGIS layer style (``.qml``) for a resampled raster, written without QGIS.

A ``<name>.qml`` next to a raster is QGIS's default style for it, so the true-colour look
applies whenever the file is opened, not only when the plugin loads it.
"""

from string import Template

from .paths import plugin_file

TRUE_COLOUR_NM = {"red": 660, "green": 555, "blue": 490}
"""Display channels and the GOCI wavelengths (nm) that match Landsat B4 / B3 / B2."""


def nearest_band(wavelengths, target_nm):
    """Return the 1-based band number whose wavelength (nm) is nearest ``target_nm``."""
    distances = [abs(w - target_nm) for w in wavelengths]
    return distances.index(min(distances)) + 1


def style_qml(wavelengths, stretches):
    """Return the QML text of the plugin's style for a resampled raster.

    Args:
        wavelengths: band wavelengths in nm, in band order.
        stretches: per band (low, high) display limits in the data's units; NaN limits (a band
            without data) fall back to 0..1.

    Returns:
        A true-colour composite (660/555/490 nm or the nearest bands) when there are three
        bands or more, otherwise a grey stretch of the band nearest 555 nm.
    """
    fields = {}
    if len(wavelengths) >= 3:
        template, channels = "true_colour.qml", TRUE_COLOUR_NM
    else:
        template, channels = "grey.qml", {"grey": TRUE_COLOUR_NM["green"]}
    for channel, target_nm in channels.items():
        band = nearest_band(wavelengths, target_nm)
        low, high = stretches[band - 1]
        if not (low == low and high == high) or high <= low:
            low, high = 0.0, 1.0
        fields |= {
            f"{channel}_band": band,
            f"{channel}_name": f"L_TOA_{wavelengths[band - 1]}",
            f"{channel}_min": repr(float(low)),
            f"{channel}_max": repr(float(high)),
        }
    text = plugin_file("resources", "styles", template).read_text(encoding="utf-8")
    return Template(text).substitute(fields)
