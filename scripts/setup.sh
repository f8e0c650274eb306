#!/usr/bin/env bash
# Installs the Debian packages in scripts/debian-packages.txt that are missing (needs root),
# then configures and builds the given CMake preset (default: release).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${1:-release}

mapfile -t packages < <(grep -vE '^\s*(#|$)' "$root/scripts/debian-packages.txt")
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake --preset "$preset" -S "$root" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
