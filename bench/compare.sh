#!/bin/bash
# SNN Studio against its peers, side by side (docs/performance.md, "Side by side"): each workload
# and its peer run in turn, A B A B ..., ROUNDS rounds, on the same machine at the same time, so
# that the ratios hold while the machine's load drifts. Each program times its own work (data
# loading excluded) and prints it; beside those in-process figures, the whole snnc process is
# timed as a user waits for it (wall clock from before its start to after its exit, and its peak
# memory from GNU time), against the same peer figures. This script collects the figures, the
# load average before and after each workload, and prints the ratio table (min / median over the
# rounds). The `process` workload times whole snnc commands alone (no peer): starting, loading,
# a pass, saving, describing a large file; docs/performance.md derives the breakdown from them.
#
#     cmake --build --preset release --target snnc redundancy_pass
#     bench/compare.sh [WORKLOAD ...]  # redundancy rates train accuracy process (default: all five)
#
# Environment: ROUNDS (default 3), BIN (default build/release/bin), THREADS (SNN Studio's threads,
# default 2), TRAIN_SAMPLES and TRAIN_EPOCHS (the training speed workload: default 10000 and 1),
# ACC_SAMPLES, ACC_EPOCHS, SEEDS and FIRST_SEED (the accuracy workload: both sides trained from
# SEEDS seeds from FIRST_SEED on; default 60000, 2, 6 and 1), TEST_SAMPLES (default 10000). The
# peers run on 1 and 2 threads (OpenMP and OpenBLAS alike); the better of the two in each round
# counts. Needs Debian's python3-numpy and python3-torch (both on OpenBLAS through the libblas.so.3
# alternative) and python3-h5py (the graph files of the whole-process runs, bench/make_chain_graph.py);
# none is a dependency of SNN Studio.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
BIN=${BIN:-build/release/bin}
THREADS=${THREADS:-2}
TRAIN_SAMPLES=${TRAIN_SAMPLES:-10000}
TRAIN_EPOCHS=${TRAIN_EPOCHS:-1}
ACC_SAMPLES=${ACC_SAMPLES:-60000}
ACC_EPOCHS=${ACC_EPOCHS:-2}
SEEDS=${SEEDS:-6}
FIRST_SEED=${FIRST_SEED:-1}
LAST_SEED=$((FIRST_SEED + SEEDS - 1))
TEST_SAMPLES=${TEST_SAMPLES:-10000}
PY=/usr/bin/python3
MODEL=resources/fashion-mnist-snn.h5
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
WORKLOADS=("$@")
[ ${#WORKLOADS[@]} -gt 0 ] || WORKLOADS=(redundancy rates train accuracy process)

load() { cut -d' ' -f1 /proc/loadavg; }
# The number before UNIT in a program's output ("3.1 s", "1604 samples/s").
field() { grep -oE "[0-9.]+ $1" | head -1 | cut -d' ' -f1; }
peer() { # peer THREADS COMMAND...: a peer with its thread counts fixed
    local t=$1
    shift
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t "$@"
}
# stats VALUES...: "min / median" of the values (PRECISION decimals, default 2)
stats() { printf '%s\n' "$@" | sort -g | awk -v d="${PRECISION:-2}" '{v[NR]=$1} END {f = "%." d "f / %." d "f"; printf f, v[1], (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print a / b}'; }
better() { awk -v a="$1" -v b="$2" 'BEGIN {print (a > b ? a : b)}'; }
row() {
    local line="|" cell
    for cell in "$@"; do line+=" $cell |"; done
    echo "$line"
}
# whole COMMAND...: the whole process as a user waits for it, "SECONDS PEAK_KB" (wall clock from
# before its start to after its exit, in ms; its peak resident memory); its output in $WORK/out.
whole() {
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$WORK/rss" "$@" >"$WORK/out" 2>&1 || {
        echo "compare.sh: failed: $*" >&2
        cat "$WORK/out" >&2
        return 1
    }
    t1=$(date +%s%N)
    echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e9}') $(tail -1 "$WORK/rss")"
}
# graph NEURONS INPUTS: a random LIF layer [NEURONS x INPUTS] feeding 10 outputs, made once.
graph() {
    local file="$WORK/graph-$1x$2.h5"
    [ -f "$file" ] || $PY bench/make_chain_graph.py "$file" "$2,$1,10"
    echo "$file"
}

echo "# ROUNDS=$ROUNDS THREADS=$THREADS TRAIN_SAMPLES=$TRAIN_SAMPLES TRAIN_EPOCHS=$TRAIN_EPOCHS ACC_SAMPLES=$ACC_SAMPLES ACC_EPOCHS=$ACC_EPOCHS SEEDS=$SEEDS FIRST_SEED=$FIRST_SEED TEST_SAMPLES=$TEST_SAMPLES bench/compare.sh ${WORKLOADS[*]}"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, SNN Studio on $THREADS threads"
echo "# $(lscpu | sed -n 's/^Model name: *//p'); numpy $($PY -c 'import numpy; print(numpy.__version__)'), torch $($PY -c 'import torch; print(torch.__version__)' 2>/dev/null)"
echo
echo "| workload | SNN Studio, min / median | peer, min / median | ratio, min / median | load average |"
echo "|---|---|---|---|---|"

redundancy() { # redundancy NEURONS INPUTS: time ratio SNN Studio / numpy (lower is faster)
    # In the process (bench/redundancy_pass), and the whole `snnc optimize` of a graph of that
    # layer (make_chain_graph's weights: their norms lie within the tolerance, so the pass
    # compares every pair, as numpy does), both against numpy's normalised Gram product alone.
    local n=$1 k=$2 g l0 a b w ratios=() as=() bs=() ws=() wratios=()
    g=$(graph "$n" "$k")
    l0=$(load)
    for _ in $(seq "$ROUNDS"); do
        a=$("$BIN/redundancy_pass" "$n" "$k" "$THREADS" | field s)
        b=$(peer 2 $PY bench/numpy_gram.py "$n" "$k" | field s)
        w=$(whole "$BIN/snnc" optimize "$g" --passes redundancy_elimination --threads "$THREADS" |
            cut -d' ' -f1)
        as+=("$a") bs+=("$b") ws+=("$w") ratios+=("$(ratio "$a" "$b")") wratios+=("$(ratio "$w" "$b")")
    done
    row "redundancy pass $n x $k (s; time ratio, lower is faster)" "$(stats "${as[@]}")" \
        "numpy, 2 threads: $(stats "${bs[@]}")" "$(stats "${ratios[@]}")" "$l0 to $(load)"
    row "whole snnc optimize --passes redundancy_elimination, $n x $k (s, from start to exit)" \
        "$(PRECISION=3 stats "${ws[@]}")" "numpy's Gram alone, as above" \
        "$(stats "${wratios[@]}")" "$l0 to $(load)"
}

rates() { # firing rates, 10k test images, T=25, rate encoding: speed ratio (higher is faster)
    # snnc's own figure (the simulation) and, from the same run, the whole process: 10,000
    # samples over its wall time from start to exit (loading the graph and the data included).
    local l0 a w b1 b2 best ratios=() as=() ws=() b1s=() b2s=() wratios=()
    l0=$(load)
    for _ in $(seq "$ROUNDS"); do
        w=$(whole "$BIN/snnc" rates "$MODEL" --data fashion-mnist --split test --encoding rate \
            --steps 25 --threads "$THREADS" | cut -d' ' -f1)
        a=$(field samples/s <"$WORK/out")
        w=$(awk -v n="$TEST_SAMPLES" -v s="$w" 'BEGIN {printf "%.0f", n / s}')
        b1=$(peer 1 $PY bench/torch_lif_forward.py "$MODEL" 1 | field samples/s)
        b2=$(peer 2 $PY bench/torch_lif_forward.py "$MODEL" 2 | field samples/s)
        best=$(better "$b1" "$b2")
        as+=("$a") ws+=("$w") b1s+=("$b1") b2s+=("$b2")
        ratios+=("$(ratio "$a" "$best")") wratios+=("$(ratio "$w" "$best")")
    done
    row "firing rates, 10k images, T=25, rate (samples/s; speed ratio, higher is faster)" \
        "$(stats "${as[@]}")" "PyTorch, 1 thread: $(stats "${b1s[@]}"); 2 threads: $(stats "${b2s[@]}")" \
        "$(stats "${ratios[@]}")" "$l0 to $(load)"
    row "whole snnc rates, the same runs (10,000 samples / s from start to exit)" \
        "$(stats "${ws[@]}")" "PyTorch as above (the better of 1 and 2 threads)" \
        "$(stats "${wratios[@]}")" "$l0 to $(load)"
}

train() { # training speed, batch 128, T=25, current encoding (round r from seed r; the accuracy
    # workload judges the accuracy, so 1,000 test images here)
    local l0 a b1 b2 ratios=() as=() b1s=() b2s=() seed
    l0=$(load)
    for seed in $(seq "$ROUNDS"); do
        # The last epoch's summary: "epoch E/E: ..., 1.2 s (2703 samples/s); ..."
        a=$("$BIN/snnc" train --data fashion-mnist -o "$WORK/train.h5" --epochs "$TRAIN_EPOCHS" \
            --limit "$TRAIN_SAMPLES" --val-split 0 --test-limit 1000 \
            --threads "$THREADS" --seed "$seed" 2>&1 | tr '\r' '\n' | grep -E '^epoch [0-9]+/[0-9]+:' |
            tail -1 | grep -oE '\([0-9.]+ samples/s' | tr -d '(' | field samples/s)
        b1=$(peer 1 $PY bench/torch_lif_train.py 1 "$TRAIN_SAMPLES" "$TRAIN_EPOCHS" 1000 "$seed" |
            field samples/s)
        b2=$(peer 2 $PY bench/torch_lif_train.py 2 "$TRAIN_SAMPLES" "$TRAIN_EPOCHS" 1000 "$seed" |
            field samples/s)
        as+=("$a") b1s+=("$b1") b2s+=("$b2")
        ratios+=("$(ratio "$a" "$(better "$b1" "$b2")")")
    done
    row "training, $TRAIN_SAMPLES samples x $TRAIN_EPOCHS epochs, batch 128, T=25, current (samples/s; speed ratio, higher is faster)" \
        "$(stats "${as[@]}")" "PyTorch BPTT, 1 thread: $(stats "${b1s[@]}"); 2 threads: $(stats "${b2s[@]}")" \
        "$(stats "${ratios[@]}")" "$l0 to $(load)"
}

accuracy() { # test accuracy after ACC_EPOCHS epochs of ACC_SAMPLES training samples, both sides
    # trained alternately from seeds FIRST_SEED to LAST_SEED (initial weights and batch order);
    # PyTorch on 1 thread (its faster; the thread count does not change what it computes beyond
    # rounding). Every seed gives the same accuracy on every rerun, on both sides.
    local l0 seed a b ours=() theirs=() cells
    l0=$(load)
    for seed in $(seq "$FIRST_SEED" "$LAST_SEED"); do
        a=$("$BIN/snnc" train --data fashion-mnist -o "$WORK/train.h5" --epochs "$ACC_EPOCHS" \
            --limit "$ACC_SAMPLES" --val-split 0 --test-limit "$TEST_SAMPLES" \
            --threads "$THREADS" --seed "$seed" 2>&1 | grep -oE 'test accuracy [0-9.]+' | grep -oE '[0-9.]+$')
        b=$(peer 1 $PY bench/torch_lif_train.py 1 "$ACC_SAMPLES" "$ACC_EPOCHS" "$TEST_SAMPLES" "$seed" |
            grep -oE 'accuracy [0-9.]+' | grep -oE '[0-9.]+$')
        echo "compare.sh: accuracy, seed $seed: SNN Studio $a%, PyTorch $b%" >&2
        ours+=("$a") theirs+=("$b")
    done
    IFS=$'\t' read -ra cells < <($PY bench/mean_difference.py "${ours[*]}" "${theirs[*]}")
    row "test accuracy after $ACC_EPOCHS epochs of $ACC_SAMPLES samples, $TEST_SAMPLES images, seeds $FIRST_SEED to $LAST_SEED (%; mean ± standard error, then min / median)" \
        "${cells[0]}" "PyTorch, 1 thread: ${cells[1]}" "difference of the means: ${cells[2]}" "$l0 to $(load)"
}

process() { # whole snnc commands, no peer: seconds from start to exit and peak memory
    local g chain l0 t secs kbs
    g=$(graph 4096 4096)
    chain="$WORK/chain-5e7.h5"
    [ -f "$chain" ] || $PY bench/make_chain_graph.py "$chain" 5000,10000
    local -a labels=(
        "snnc --version (starting)"
        "snnc info, 5e7 parameters (a 200 MB file)"
        "snnc optimize G --passes dead_neuron_elimination (loading 64 MB)"
        "the same -o OUT (loading and saving 64 MB)"
        "snnc optimize G --passes redundancy_elimination (loading, the pass)"
        "snnc eval MODEL --data fashion-mnist --limit 1 (the test images' first sample)"
    )
    local -a cmds=(
        "$BIN/snnc --version"
        "$BIN/snnc info $chain"
        "$BIN/snnc optimize $g --passes dead_neuron_elimination --threads $THREADS"
        "$BIN/snnc optimize $g --passes dead_neuron_elimination --threads $THREADS -o $WORK/out.h5"
        "$BIN/snnc optimize $g --passes redundancy_elimination --threads $THREADS"
        "$BIN/snnc eval $MODEL --data fashion-mnist --limit 1 --threads $THREADS"
    )
    for i in "${!cmds[@]}"; do
        l0=$(load)
        secs=() kbs=()
        for _ in $(seq "$ROUNDS"); do
            # shellcheck disable=SC2086 # the command's words
            t=$(whole ${cmds[$i]})
            secs+=("${t% *}") kbs+=("${t#* }")
        done
        row "${labels[$i]} (s, from start to exit; the largest peak memory)" \
            "$(PRECISION=3 stats "${secs[@]}"); $(printf '%s\n' "${kbs[@]}" | sort -n | tail -1 | awk '{printf "%.0f MB", $1 / 1024}')" \
            "-" "-" "$l0 to $(load)"
    done
}

for w in "${WORKLOADS[@]}"; do
    case $w in
    redundancy)
        redundancy 4096 4096
        redundancy 8192 784
        ;;
    rates) rates ;;
    train) train ;;
    accuracy) accuracy ;;
    process) process ;;
    *)
        echo "compare.sh: unknown workload '$w' (redundancy, rates, train, accuracy or process)" >&2
        exit 2
        ;;
    esac
done
