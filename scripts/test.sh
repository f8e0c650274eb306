#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds, and runs the whole test suite through ctest.
# Usage: scripts/test.sh [preset]   (presets: release (default), debug, asan)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${1:-release}
"$root/scripts/setup.sh" "$preset"
cd "$root"
ctest --preset "$preset"
