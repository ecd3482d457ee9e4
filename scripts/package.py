"""Build the installable plugin: ``dist/goci_resample_plugin.zip`` or a deployed folder.

Usage:
    python3 scripts/package.py zip [ARCHIVE]        (default dist/goci_resample_plugin.zip)
    python3 scripts/package.py deploy PLUGINS_DIR   (a QGIS profile's python/plugins folder)

The plugin folder ``goci_resample_plugin/`` holds the Python package, ``metadata.txt`` and
``resources/`` and nothing else (no tests, no caches). The ZIP is reproducible: sorted entries,
timestamps derived from the content and fixed permissions, so the same sources give the same
bytes — and any change gives every file a new timestamp: numba checks only the timestamp and
size of the file defining a cached kernel, not of the files it calls (``grid_rules.py``).
"""

import datetime
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLUGIN = "goci_resample_plugin"
TOP_LEVEL = ("metadata.txt", "LICENSE", "resources", "i18n")


def compile_translations():
    """Compile ``i18n/*.ts`` to ``.qm`` with Qt's lrelease (Debian qttools5-dev-tools), when
    it is installed; without it the plugin ships untranslated."""
    sources = sorted((REPO / "i18n").glob("*.ts"))
    lrelease = shutil.which("lrelease")
    if sources and lrelease:
        subprocess.run([lrelease, "-silent", *map(str, sources)], check=True)


def plugin_files():
    """Yield (source path, path inside the plugin folder) for every file the plugin ships."""
    sources = [(REPO / PLUGIN, Path())] + [(REPO / name, Path(name)) for name in TOP_LEVEL]
    for source, inside in sources:
        if source.is_file():
            yield source, inside
            continue
        for path in sorted(source.rglob("*")):
            if path.suffix in (".pyc", ".ts") or "__pycache__" in path.parts:
                continue
            if path.is_file():
                yield path, inside / path.relative_to(source)


def build_plugin_dir(plugins_dir):
    """Write ``plugins_dir/goci_resample_plugin/``; replace an existing copy. Return its path."""
    compile_translations()
    plugins_dir = Path(plugins_dir)
    plugins_dir.mkdir(parents=True, exist_ok=True)
    target = plugins_dir / PLUGIN
    staging = Path(tempfile.mkdtemp(prefix=f".{PLUGIN}-", dir=plugins_dir))
    files = list(plugin_files())
    stamp = content_time(files).timestamp()
    try:
        for source, inside in files:
            destination = staging / inside
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            # as in the ZIP: numba's cache stays valid exactly while nothing changed
            os.utime(destination, (stamp, stamp))
        staging.chmod(0o755)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def content_time(files):
    """A moment between 1980 and 2010 (a ``datetime``) that depends only on the files' names
    and bytes (``files``: ``(source, inside)`` pairs): every shipped file's timestamp."""
    digest = hashlib.sha256()
    for source, inside in files:
        digest.update(inside.as_posix().encode() + b"\0" + source.read_bytes())
    seconds = int.from_bytes(digest.digest()[:8], "big") % (30 * 365 * 86400) // 2 * 2
    return datetime.datetime(1980, 1, 1) + datetime.timedelta(seconds=seconds)


def build_zip(archive):
    """Write the reproducible plugin ZIP to ``archive`` atomically; return its path."""
    compile_translations()
    archive = Path(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(f".{archive.name}.partial-{os.getpid()}")
    try:
        files = list(plugin_files())
        stamp = content_time(files).timetuple()[:6]
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for source, inside in files:
                entry = zipfile.ZipInfo(f"{PLUGIN}/{inside.as_posix()}", date_time=stamp)
                entry.external_attr = 0o644 << 16
                entry.compress_type = zipfile.ZIP_DEFLATED
                zipped.writestr(entry, source.read_bytes())
        os.replace(partial, archive)
    finally:
        partial.unlink(missing_ok=True)
    return archive


def main(argv):
    if len(argv) >= 1 and argv[0] == "zip":
        print(build_zip(argv[1] if len(argv) > 1 else REPO / "dist" / f"{PLUGIN}.zip"))
    elif len(argv) == 2 and argv[0] == "deploy":
        print(build_plugin_dir(argv[1]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
