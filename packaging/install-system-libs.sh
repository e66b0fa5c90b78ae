#!/usr/bin/env bash
# Install the Debian libraries Qt 6 needs to show windows (xcb) and to run offscreen.
# Usage: packaging/install-system-libs.sh [--if-missing]
#   --if-missing  do nothing when every library is already there (used by .ci/run).
set -euo pipefail
PACKAGES=(
  libegl1 libgl1 libopengl0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
  libxcb-randr0 libxcb-xfixes0 libxcb-util1 libxcb-sync1 libxcb-shm0 libxcb-render0
  libx11-xcb1 libxrender1 libxi6
)
if [ "${1:-}" = "--if-missing" ]; then
  missing=()
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && exit 0
  PACKAGES=("${missing[@]}")
fi
if ! command -v apt-get >/dev/null; then
  echo "install-system-libs: not a Debian/Ubuntu system; install these yourself: ${PACKAGES[*]}" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"
