#!/usr/bin/env bash
# Regenerates docs/images/canvas.png (the trained Fashion-MNIST model on the canvas),
# docs/images/optimization.png (the optimisation panel after running every pass with the
# Fashion-MNIST test set attached, so accuracy and the FPGA core's accuracy are measured) and
# docs/images/fpga.png (the FPGA tab's estimate before and after) from the real studio, on Qt's
# offscreen platform (no display needed; set QT_QPA_PLATFORM=xcb under Xvfb to use X instead).
# Usage: scripts/screenshots.sh [preset]   (default: release)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${1:-release}
cd "$root"
if [ ! -d "build/$preset" ]; then
    cmake --preset "$preset"
fi
cmake --build --preset "$preset" --target snn-studio -j2
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
# A private settings directory, so a saved window layout does not change the pictures.
settings=$(mktemp -d)
trap 'rm -rf "$settings"' EXIT
XDG_CONFIG_HOME="$settings" "build/$preset/bin/snn-studio" resources/fashion-mnist-snn.h5 \
    --data fashion-mnist --screenshots "$root/docs/images"
