#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds, and starts SNN Studio on the shipped
# trained model (or on the files given as arguments).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" release
studio="$root/build/release/bin/snn-studio"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "studio: no display found; running under Xvfb (nothing will be visible)" >&2
    exec xvfb-run -a "$studio" "$@"
fi
exec "$studio" "$@"
