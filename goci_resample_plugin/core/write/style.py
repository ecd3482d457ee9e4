"""QGIS layer style (``.qml``) for a resampled raster, written without QGIS.

A ``<name>.qml`` next to a raster is QGIS's default style for it, so the true-colour look
applies whenever the file is opened, not only when the plugin loads it.
"""

from string import Template

from ..bands import LANDSAT_TRUE_COLOUR_BANDS, TRUE_COLOUR_NM, band_name, nearest_band
from ..provenance import plugin_file


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
    if len(wavelengths) >= 3:
        template, channels = "true_colour.qml", TRUE_COLOUR_NM
    else:
        template, channels = "grey.qml", {"grey": TRUE_COLOUR_NM["green"]}
    fields = {}
    for channel, target_nm in channels.items():
        band = nearest_band(wavelengths, target_nm)
        fields |= _channel(channel, band, band_name(wavelengths[band - 1]), stretches[band - 1])
    return _render(template, fields)


def landsat_style_qml(wavelengths, stretches):
    """Return the QML text for the Landsat layer shown next to a resampled raster: B4/B3/B2 in
    the channels of GOCI 660/555/490 nm, with the same display limits, so that toggling the
    two layers compares like with like (both are TOA radiance in the same units).

    Returns None when the resampled raster has fewer than three bands.
    """
    if len(wavelengths) < 3:
        return None
    fields = {}
    for channel, target_nm in TRUE_COLOUR_NM.items():
        goci_band = nearest_band(wavelengths, target_nm)
        landsat_band = LANDSAT_TRUE_COLOUR_BANDS[channel]
        fields |= _channel(channel, landsat_band, f"B{landsat_band}", stretches[goci_band - 1])
    return _render("true_colour.qml", fields)


def difference_qml(band, name, limit):
    """Return the QML text for a difference raster: band ``band`` (described ``name``) in a
    diverging blue–white–red ramp from ``-limit`` to ``+limit`` (0 = no difference)."""
    limit = float(limit) if limit == limit and limit > 0 else 1.0
    return _render("difference.qml", {"band": band, "name": name, "limit": f"{limit:.6g}"})


def _channel(channel, band, name, stretch):
    low, high = stretch
    if not (low == low and high == high) or high <= low:
        low, high = 0.0, 1.0
    return {
        f"{channel}_band": band,
        f"{channel}_name": name,
        f"{channel}_min": repr(float(low)),
        f"{channel}_max": repr(float(high)),
    }


def _render(template, fields):
    text = plugin_file("resources", "styles", template).read_text(encoding="utf-8")
    return Template(text).substitute(fields)
