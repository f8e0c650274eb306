#!/bin/bash
# Every snnc command that writes, run under a file-size limit (RLIMIT_FSIZE, which stands in for
# a full disk) at fill levels from 0 bytes to the whole output: each run either succeeds with
# valid files or exits 1 with the reason, every previous target byte-identical (train's model,
# checkpoint and runs file, and rates' graph and counts: all or none) and no temporary file
# left; never a signal.
#
#   tests/full_disk.sh SNNC [LEVELS]
#
# LEVELS (default 12) limits per command, spread from 0 to the size of its largest output file.
# Uses the Fashion-MNIST package for `rates` and `train` (left out when it is not installed).
set -u
snnc=$1
levels=${2:-12}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
failures=0
runs=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# A written file is read back: graphs by snnc, JSON by Python; a folder must hold what a run
# without a limit wrote.
valid() {
    [ -d "$1" ] && { diff -r "full/$1" "$1" >/dev/null; return; }
    case $1 in
    *.h5 | *.nir) "$snnc" info "$1" >/dev/null 2>&1 ;;
    *.json) python3 -m json.tool "$1" >/dev/null 2>&1 ;;
    *) [ -s "$1" ] ;;
    esac
}

# check NAME TARGET... -- COMMAND...: TARGETs hold the previous contents; COMMAND rewrites them.
check() {
    local name=$1
    shift
    local targets=()
    while [ "$1" != "--" ]; do
        targets+=("$1")
        shift
    done
    shift
    mkdir -p before
    local t size=0
    for t in "${targets[@]}"; do
        rm -rf "before/$t"
        cp -a "$t" "before/$t"
    done
    # The size of a full write: run once without a limit, then put the previous contents back.
    "$@" >/dev/null 2>&1 || { fail "$name: does not run without a limit"; return; }
    # RLIMIT_FSIZE bounds each file: the levels go up to the largest one.
    size=$(find "${targets[@]}" -type f -printf '%s\n' | sort -n | tail -1)
    mkdir -p full
    for t in "${targets[@]}"; do
        rm -rf "full/$t"
        cp -a "$t" "full/$t"
        rm -rf "$t"
        cp -a "before/$t" "$t"
    done
    local i limit status
    for ((i = 0; i <= levels; ++i)); do
        limit=$((size * i / levels))
        [ "$i" -eq 1 ] && limit=1
        # The limit would bound err.txt too: the message goes through a pipe.
        prlimit --fsize="$limit:$limit" "$@" 2>&1 >/dev/null | cat >err.txt
        status=${PIPESTATUS[0]}
        runs=$((runs + 1))
        if [ "$status" -gt 1 ]; then
            fail "$name at $limit bytes: exit status $status ($(head -c 200 err.txt))"
        elif [ "$status" -eq 1 ]; then
            grep -q "file too large\|no space left" err.txt ||
                fail "$name at $limit bytes: no reason given: $(head -c 200 err.txt)"
            for t in "${targets[@]}"; do
                diff -r "before/$t" "$t" >/dev/null || fail "$name at $limit bytes: $t changed"
            done
        else
            for t in "${targets[@]}"; do
                diff -r "before/$t" "$t" >/dev/null && fail "$name at $limit bytes: $t not written"
                valid "$t" || fail "$name at $limit bytes: $t is not valid"
            done
            for t in "${targets[@]}"; do
                rm -rf "$t"
                cp -a "before/$t" "$t"
            done
        fi
        if find . -name '*.tmp' | grep -q .; then
            fail "$name at $limit bytes: temporary files left: $(find . -name '*.tmp' | head -3)"
            find . -name '*.tmp' -delete
        fi
    done
    echo "$name: $((levels + 1)) levels up to $size bytes"
}

"$snnc" example --seed 1 -o old.h5 >/dev/null || exit 2
"$snnc" example --seed 2 -o new.h5 >/dev/null || exit 2
cp old.h5 g.h5
check "example -o" g.h5 -- "$snnc" example --seed 2 -o g.h5
check "optimize -o" g.h5 -- "$snnc" optimize new.h5 --passes layer_fusion -o g.h5
"$snnc" optimize old.h5 --json report.json >/dev/null || exit 2
check "optimize --json" report.json -- "$snnc" optimize new.h5 --json report.json
"$snnc" export-nir old.h5 -o g.nir >/dev/null || exit 2
check "export-nir" g.nir -- "$snnc" export-nir new.h5 -o g.nir
"$snnc" export-nir new.h5 -o new.nir >/dev/null || exit 2
check "import" g.h5 -- "$snnc" import new.nir -o g.h5
"$snnc" export old.h5 --board icebreaker --bits 2 -o hw >/dev/null || exit 2
check "export" hw -- "$snnc" export new.h5 --board icebreaker --bits 4 -o hw
if [ -d /usr/share/datasets/fashion-mnist ]; then
    data=(--data fashion-mnist --limit 50)
    "$snnc" train "${data[@]}" --test-limit 50 --epochs 1 --hidden 16 -o t.h5 >/dev/null || exit 2
    check "train -o" t.h5 t.h5.state t.h5.runs.json -- \
        "$snnc" train "${data[@]}" --test-limit 50 --epochs 1 --hidden 16 --seed 7 -o t.h5
    # A small graph (64 KB) and counts of 6,000 samples (86 KB): some levels let the graph
    # through and stop the counts, where both must stay as they were.
    cp g.h5 counts.out
    check "rates -o --counts" g.h5 counts.out -- \
        "$snnc" rates t.h5 --data fashion-mnist --limit 6000 -o g.h5 --counts counts.out
fi
echo "$runs runs, $failures failures"
[ "$failures" -eq 0 ]
