#!/usr/bin/env bash
# Regenerates the user guide's pictures of the studio on the shipped trained model with the
# Fashion-MNIST test set attached: docs/images/getstarted.png (the first start), canvas.png (Graph,
# the first layer selected), optimization.png (Optimise after Run passes), spikes.png (the first
# test sample before and after), sweep.png (a sweep of the dead threshold), fpga-target.png
# (Deploy with the target "latency <= 20 ms" for Auto), fpga.png (Deploy after
# the pipeline) and training.png (Train: two short runs compared), taken
# from outside the program: the studio runs on a private Xvfb screen with a window manager
# (openbox) and ImageMagick's `import` grabs the screen whenever the studio prints "shot <name>"
# (snn-studio --screenshots); the studio neither fits, resizes nor grabs anything itself.
# Usage: scripts/screenshots.sh [preset] [WIDTHxHEIGHT]   (defaults: release, 1280x800)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${1:-release}
screen=${2:-1280x800}
cd "$root"
if [ ! -d "build/$preset" ]; then
    cmake --preset "$preset"
fi
cmake --build --preset "$preset" --target snn-studio -j2
# A private settings directory, so a saved window layout does not change the pictures.
settings=$(mktemp -d)
display=:$((100 + RANDOM % 800))
Xvfb "$display" -screen 0 "${screen}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "${wm:-}" "$xvfb" 2>/dev/null; rm -rf "$settings"' EXIT
export DISPLAY=$display QT_QPA_PLATFORM=xcb
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
openbox >/dev/null 2>&1 &
wm=$!
sleep 1
coproc studio {
    XDG_CONFIG_HOME="$settings" exec "build/$preset/bin/snn-studio" --data fashion-mnist \
        --screenshots
}
studio_pid=$studio_PID # bash unsets studio_PID once the coprocess has ended
while IFS= read -r line <&"${studio[0]}"; do
    case $line in
    "shot "*)
        name=${line#shot }
        import -window root "docs/images/$name.png"
        echo "wrote docs/images/$name.png" >&2
        echo >&"${studio[1]}"
        ;;
    esac
done
wait "$studio_pid"
