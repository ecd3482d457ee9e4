"""Where the plugin's own files are, in a source checkout and in an installed plugin.

An installed plugin (the ZIP, ``make deploy``) holds ``metadata.txt`` and ``resources/``
inside the package folder; a source checkout keeps them at the repository root, one level up.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def plugin_file(*parts):
    """Return the path of a plugin file such as ``metadata.txt`` or ``resources/icon.svg``.

    Looks in the installed layout first, then in the source checkout.

    Raises:
        FileNotFoundError: the file is in neither place (a broken installation).
    """
    for base in (PACKAGE_DIR, PACKAGE_DIR.parent):
        candidate = base.joinpath(*parts)
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"plugin file {'/'.join(parts)} is missing from {PACKAGE_DIR}")
