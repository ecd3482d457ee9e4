#!/bin/bash
# Install what goci-resample needs on Debian 12 / Ubuntu, then the test venv.
#
#   scripts/setup.sh                 Debian packages + .venv with the test tools
#   scripts/setup.sh --runtime-only  Debian packages only (enough for `make demo`)
#
# Re-running is fast: packages already installed and an up-to-date .venv are left alone.
# Without root or apt-get it prints the exact commands to run instead.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  qgis python3-qgis qgis-providers
  python3-numpy python3-rasterio python3-netcdf4 python3-pyproj python3-pyresample
  python3-pykdtree python3-scipy python3-matplotlib python3-gdal gdal-bin python3-venv
  python3-numba python3-distributed libisal2 pyqt5-dev-tools qttools5-dev-tools xvfb xauth
)
VENV=.venv
REQUIREMENTS=requirements-test.txt
SYSTEM_PYTHON=/usr/bin/python3

missing=()
for package in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]})); then
  install_command="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: run this as root (or with sudo), then re-run make:" >&2
    echo "    sudo sh -c '$install_command'" >&2
    echo "setup: on Windows (OSGeo4W) or macOS see README.md, section 'Installing'." >&2
    exit 1
  fi
fi

[[ "${1:-}" == "--runtime-only" ]] && exit 0

# The venv sees Debian's numpy/rasterio/netCDF4/pyproj/pyresample/QGIS (never pip copies of
# them: wheels bundling their own GDAL/PROJ/HDF5 crash inside QGIS) and adds the test tools.
if ! cmp -s "$REQUIREMENTS" "$VENV/.requirements" 2>/dev/null; then
  echo "setup: creating $VENV with the test tools from $REQUIREMENTS"
  rm -rf "$VENV"
  "$SYSTEM_PYTHON" -m venv --system-site-packages "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  cp "$REQUIREMENTS" "$VENV/.requirements"
fi
