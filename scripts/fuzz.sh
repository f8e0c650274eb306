#!/usr/bin/env bash
# Fuzzes the graph, NIR, data set, simulate input and IDX readers with libFuzzer (clang-14,
# libfuzzer-14-dev from scripts/debian-packages.txt): builds the fuzz preset's targets, then runs each for a fixed time
# from the seed corpus in tests/fuzz/corpus. A finding stops that target; it is left in
# build/fuzz/findings/ and the script goes on with the next target, then exits with status 1.
# Copy a finding into tests/fuzz/corpus/crashes/ once fixed, so that ctest (tst_fuzzcorpus)
# replays it from then on (tests/fuzz/README.md).
# Usage: scripts/fuzz.sh [seconds per target (default 60)]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
if ! command -v clang++-14 > /dev/null; then
    echo "fuzz.sh: clang++-14 is missing (scripts/setup.sh installs clang-14 and libfuzzer-14-dev)" >&2
    exit 1
fi
cd "$root"
cmake --preset fuzz > /dev/null
readers=(graph nir dataset simulate idx)
cmake --build --preset fuzz -j2 --target "${readers[@]/#/fuzz_}"
findings="$root/build/fuzz/findings"
mkdir -p "$findings"
# HDF5 keeps global state until exit; leaks are not what this looks for. libhdf5 (not
# instrumented) allocates what a damaged file declares before it reads it (3.7e18 bytes for a root
# object header in corpus/crashes/graph-root-header-3.7e18.h5): glibc's malloc returns NULL, HDF5
# reports the error and the reader says "the HDF5 file is damaged"; ASan aborts instead unless it
# returns NULL too. Allocations that succeed still count against -rss_limit_mb and -malloc_limit_mb.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
found=()
for reader in "${readers[@]}"; do
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    echo "fuzz.sh: fuzz_$reader for ${seconds} s"
    # The first directory collects new inputs; the seeds of every reader are read from the rest.
    "$root/build/fuzz/bin/fuzz_$reader" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/$reader-" \
        "$work" "${readers[@]/#/$root/tests/fuzz/corpus/}" || found+=("fuzz_$reader")
    rm -rf "$work"
done
if [ ${#found[@]} -gt 0 ]; then
    echo "fuzz.sh: findings from ${found[*]} in $findings" >&2
    exit 1
fi
echo "fuzz.sh: no finding"
