"""The product: file names, which files may be replaced, atomic commit, the GeoTIFF, its JSON
sidecar and QGIS styles, and when an existing output is complete for a run."""

from ..system import held_lock
from .atomic import (
    atomic_output,
    atomic_outputs,
    check_path_usable,
    make_folder,
    remove_stale_temporaries,
    write_text,
)
from .geotiff import (
    CODECS,
    GEOTIFF_PROFILE,
    STRIP_ROWS,
    GeoTiffWriter,
    export_npy,
    geotiff_profile,
    write_geotiff,
)
from .lock import busy_message, check_free
from .names import (
    OUTPUT_ROOT_LOCK,
    check_raster_names,
    comparison_paths,
    fits,
    landsat_style_path,
    lock_path,
    npy_path,
    output_name,
    product_files,
    quality_path,
    scene_name,
    sidecar_path,
    style_path,
)
from .ownership import OUR_TAG, check_outputs, check_product_outputs, is_ours
from .sidecar import (
    band_tags,
    check_unchanged,
    existing_output,
    file_identity,
    input_identities,
    raster_tags,
    sidecar_content,
    write_sidecar,
)
from .statistics import BandStatistics
from .style import difference_qml, landsat_style_qml, style_qml

__all__ = [
    "CODECS",
    "GEOTIFF_PROFILE",
    "OUR_TAG",
    "OUTPUT_ROOT_LOCK",
    "STRIP_ROWS",
    "BandStatistics",
    "GeoTiffWriter",
    "atomic_output",
    "atomic_outputs",
    "band_tags",
    "busy_message",
    "check_free",
    "check_outputs",
    "check_path_usable",
    "check_product_outputs",
    "check_raster_names",
    "check_unchanged",
    "comparison_paths",
    "difference_qml",
    "existing_output",
    "export_npy",
    "file_identity",
    "fits",
    "geotiff_profile",
    "held_lock",
    "input_identities",
    "is_ours",
    "landsat_style_path",
    "landsat_style_qml",
    "lock_path",
    "make_folder",
    "npy_path",
    "output_name",
    "product_files",
    "quality_path",
    "raster_tags",
    "remove_stale_temporaries",
    "scene_name",
    "sidecar_content",
    "sidecar_path",
    "style_path",
    "style_qml",
    "write_geotiff",
    "write_sidecar",
    "write_text",
]
