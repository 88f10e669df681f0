#!/usr/bin/env bash
# Build the one-folder bundle with PyInstaller, then smoke-test the frozen app offscreen:
# it must make the demo workspace, sign in and show its main window.
#   packaging/build.sh            -> dist/casework/casework
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/bootstrap.sh test
for deb in binutils; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || {
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get install -y -qq --no-install-recommends "$deb" >/dev/null; }
done
.venv/bin/python -m pip install -q "pyinstaller>=6.10"
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/casework.spec

home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
echo "Smoke test of the frozen app (offscreen, demo workspace in a temporary folder):"
CASEWORK_HOME="$home" QT_QPA_PLATFORM=offscreen dist/casework/casework --demo --smoke tl.macleod
echo "Bundle: dist/casework ($(du -sh dist/casework | cut -f1))"
