"""Compare a resampled raster with its Landsat raster and write the table, report and
optional difference raster: the one call behind ``comparelandsat`` and the batch's COMPARE."""

from pathlib import Path

from ..control import RunControl
from ..write import check_outputs, make_folder, style_path
from .difference import write_difference
from .registration import describe_shift
from .report import TABLE_HEADER, write_report_html, write_table_csv
from .statistics import compare_rasters


def compare_pair(resampled, landsat, table, report, *, band_pairs=None, block=16,
                 difference=None, overwrite=False, control=None):  # fmt: skip
    """Compare ``resampled`` with ``landsat`` and write the CSV ``table``, the HTML ``report``
    and, when given, the ``difference`` GeoTIFF (each atomically, folders created).

    Args:
        resampled, landsat: the rasters (same grid).
        table, report, difference: output paths (``difference`` optional).
        band_pairs: ``[(GOCI nm, Landsat band)]``; None pairs by wavelength.
        block: block size in target pixels.
        overwrite: replace output files goci-resample did not write.
        control: ``RunControl``.

    Returns:
        The ``Comparison``.

    Raises:
        GociResampleError: an output would replace an input or a file not ours, or the
            comparison is impossible (see :func:`compare_rasters`).
    """
    control = control or RunControl()
    outputs = [Path(p) for p in (table, report, difference) if p]
    if difference:
        outputs.append(style_path(difference))
    check_outputs(outputs, (resampled, landsat), overwrite, csv_header=TABLE_HEADER)
    for folder in {path.parent for path in outputs}:
        make_folder(folder)
    steps = control.part(0.0, 0.7 if difference else 0.95)
    comparison = compare_rasters(resampled, landsat, band_pairs, block, steps)
    write_table_csv(comparison, table)
    write_report_html(comparison, report)
    if difference:
        write_difference(comparison, difference, control.part(0.7, 1.0))
    for pair in comparison.pairs:
        control.info(
            f"{pair.goci_name} vs B{pair.landsat_band}: block R² {pair.blocks.r2:.4f}, "
            f"bias {pair.blocks.bias:+.4g}, slope {pair.blocks.slope:.4f}"
        )
    shift = comparison.shift
    control.info(
        f"Offset: GOCI sits {describe_shift(shift, 1)} of Landsat (95 %, confidence "
        f"{shift.confidence:.3f})"
        if shift.measurable
        else f"Offset {describe_shift(shift)}"
    )
    control.progress(1.0)
    return comparison
