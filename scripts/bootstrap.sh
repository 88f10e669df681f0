#!/usr/bin/env bash
# Installs what Casework needs and is missing, quickly when nothing is:
#  - the Debian libraries Qt needs (offscreen for tests, xcb for a desktop), fonts,
#    poppler-utils (PDF checks) and PostgreSQL (sync and migration tests);
#  - a virtual environment in .venv with the project and its test tools.
# Usage: scripts/bootstrap.sh run|test
set -euo pipefail
purpose="${1:-test}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

debs=(python3 python3-venv libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfreetype6
      libfontconfig1 libdbus-1-3 fonts-dejavu-core fonts-dejavu-extra)
if [ "$purpose" = run ]; then
  debs+=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
         libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1)
else
  debs+=(poppler-utils postgresql xvfb xauth)
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python 3.11 or newer for the virtual environment.
py=""
for c in python3.13 python3.12 python3.11 python3; do
  if command -v "$c" >/dev/null 2>&1 &&
     "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    py="$c"; break
  fi
done
if [ -z "$py" ]; then
  echo "Casework needs Python 3.11 or newer; none was found on PATH." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv with $($py --version)"
  "$py" -m venv .venv
fi

# Reinstall only when the declared dependencies change.
stamp=.venv/.casework-deps
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing Casework and its Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi
