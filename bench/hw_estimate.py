#!/usr/bin/python3
"""Calibrates and checks the hardware resource estimate (core/hw/ResourceEstimator.cpp) against
real yosys + nextpnr runs. For each case: write a random chain graph, `snnc export` it (which
prints the estimate), `snnc synth` it (nextpnr's figures). Results are cached in WORK/results.json;
it prints each case's estimate and nextpnr's figures, the logic-cell errors in-sample and
leave-one-out (refit without a case, then predict it), and with `--fit` the least-squares
coefficients of the logic-cell model, computed from the generated snn_config.vh and snn_layers.vh
(features as in estimateResources).

Usage: bench/hw_estimate.py build/release/bin/snnc WORK [--fit]
"""
import json
import os
import re
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = [
    # name, sizes, board, lanes, weight bits, graph flags (make_chain_graph.py), export flags
    ("tiny-2l", "16,12,4", "icestick", 2, 8, ["--bias"], []),
    ("tiny-1l", "8,6,3", "icestick", 1, 8, [], []),
    ("small-4l", "32,24,10", "icebreaker", 4, 8, ["--bias"], []),
    ("small-if", "32,16,10", "icebreaker", 2, 4, ["--if"], []),
    ("mid-4l", "64,48,32,10", "icebreaker", 4, 6, [], []),
    ("mid-8l", "64,64,10", "icebreaker", 8, 8, ["--zero"], []),
    ("wide-1l", "100,40,10", "hx8k", 1, 8, ["--bias"], []),
    ("deep-2l", "48,32,32,16,10", "hx8k", 2, 8, [], []),
    ("mid-2l-bias", "64,32,10", "icebreaker", 2, 8, ["--bias"], []),
    ("small-16l", "32,32,10", "icebreaker", 16, 4, [], []),
    ("tiny-4l-if", "12,8,4", "icestick", 4, 4, ["--if", "--zero"], []),
    ("wide-2l", "200,32,10", "icebreaker", 2, 8, [], []),
    ("deep-4l-bias", "32,24,24,16,10", "icebreaker", 4, 8, ["--bias"], []),
    ("mid-1l-8k", "80,60,10", "hx8k", 1, 6, ["--zero"], []),
    # The seed's example (snnc example), weights in SPRAM loaded from the SPI flash.
    ("example-spram", "example", "icebreaker", 4, 4, [], []),
    # Other membrane widths, step counts (counter bits), depths and layer counts.
    ("up-8l-mb12", "48,32,16", "upduino3", 8, 4, ["--bias"], ["--membrane-bits", "12"]),
    ("stick-1l-2b", "24,16,8", "icestick", 1, 2, ["--if"], []),
    ("one-layer", "64,20", "icebreaker", 4, 8, [], []),
    ("mb8-16l", "32,32,16", "hx8k", 16, 2, ["--zero"], ["--membrane-bits", "8"]),
    ("mb24-2l", "40,30,10", "icebreaker", 2, 8, ["--bias"],
     ["--membrane-bits", "24", "--steps", "255"]),
    ("out32", "32,32,32", "hx8k", 4, 6, [], ["--steps", "64"]),
    ("deep-5l", "40,32,32,32,32,10", "upduino3", 2, 5, ["--if"], []),
    ("wide-4l-zero", "256,64,10", "hx8k", 4, 4, ["--zero", "--bias"], ["--steps", "8"]),
    ("up-1l-if-bias", "100,50,10", "upduino3", 1, 8, ["--if", "--bias"], []),
    ("mid-8l-mb10", "64,40,20", "icebreaker", 8, 3, [], ["--membrane-bits", "10"]),
    ("spram-2l", "64,32,10", "icebreaker", 2, 8, [], ["--memory", "spram"]),
    # Pairs with the zero-reset cases above: the same graphs with subtractive reset.
    ("mid-1l-8k-sub", "80,60,10", "hx8k", 1, 6, [], []),
    ("mid-8l-sub", "64,64,10", "icebreaker", 8, 8, [], []),
    ("tiny-4l-if-sub", "12,8,4", "icestick", 4, 4, ["--if"], []),
    # The same graph with its weights in EBR and in SPRAM: the SPI flash loader's cost.
    ("pair-ebr", "32,24,10", "icebreaker", 4, 4, [], ["--memory", "ebr"]),
    ("pair-spram", "32,24,10", "icebreaker", 4, 4, [], ["--memory", "spram"]),
]


def ebr_mapping(depth, width, writable):
    """(blocks, read multiplexer input bits) as yosys maps the memory: ebrMapping in
    core/hw/ResourceEstimator.cpp."""
    best = None
    tries = ([(w, True) for w in (2, 4, 8)] if writable else []) + [(w, False) for w in (2, 4, 8, 16)]
    for block_width, padded in tries:
        slices = -(-depth // (4096 // block_width))
        word_bits = -(-width // block_width) * block_width if padded else width
        blocks = -(-slices * word_bits // block_width)
        mux_bits = (slices - 1) * width
        cost = 64 * blocks + 0.5 * mux_bits + (0.5 * slices if writable and slices > 1 else 0)
        if best is None or cost < best[0]:
            best = (cost, blocks, mux_bits)
    return best[1:]


TERMS = ["fixed", "per lane x membrane bit", "per counter bit", "SPI flash loader (SPRAM)",
         "per lane x membrane bit with bias", "per lane x membrane bit with leak",
         "per lane x membrane bit with subtractive reset",
         "per lane x membrane bit with subtractive reset and no leak", "per address bit",
         "per layer-table bit (3+ layers)", "per EBR read multiplexer input bit"]


def config_features(folder):
    """The logic-cell model's features (TERMS) of an exported design."""
    text = open(os.path.join(folder, "snn_config.vh")).read()
    p = {m.group(1): int(m.group(2)) for m in re.finditer(r"localparam (\w+) = (\d+);", text)}
    layers = open(os.path.join(folder, "snn_layers.vh")).read()
    leak = any(int(k) > 0 for k in re.findall(r"L_K = (\d+);", layers)[1:])  # [0]: the default
    subtract = any(z == "0" for z in re.findall(r"L_ZERO = 1'b(\d);", layers)[1:])
    spram = "`define SNN_SPRAM" in open(os.path.join(folder, "snn_defines.vh")).read()
    lanes, mb = p["LANES"], p["MB"]
    lane_bits = lanes * mb
    addr = p["WAW"] + p["VAW"] + p["JW"] + p["GAW"] + p["IAW"]
    # L_SRC, L_N, L_G, L_WBASE, L_VBASE, L_THR, L_K, L_ZERO
    table = 2 * (p["JW"] + 1) + p["GAW"] + 1 + p["WAW"] + p["VAW"] + mb + 5 + 1
    mux = (ebr_mapping(p["IN_SIZE"], 8, True)[1] + ebr_mapping(p["V_DEPTH"], lane_bits, True)[1] +
           ebr_mapping(p["M_DEPTH"], lanes, True)[1] +
           (0 if spram else ebr_mapping(p["W_DEPTH"], lanes * p["WB"], False)[1]) +
           (ebr_mapping(p["V_DEPTH"], lane_bits, False)[1] if p["HAS_BIAS"] else 0))
    return [1.0, lane_bits, p["OUT_SIZE"] * p["CW"], 1.0 if spram else 0.0,
            p["HAS_BIAS"] * lane_bits, lane_bits if leak else 0,
            lane_bits if subtract else 0, lane_bits if subtract and not leak else 0, addr,
            table if p["NUM_LAYERS"] > 2 else 0, mux]


def main():
    snnc, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    cache_path = os.path.join(work, "results.json")
    cache = json.load(open(cache_path)) if os.path.exists(cache_path) else {}
    rows = []
    for name, sizes, board, lanes, bits, flags, export_flags in CASES:
        model = os.path.join(work, name + ".h5")
        out = os.path.join(work, name)
        if sizes == "example":
            subprocess.run([snnc, "example", "-o", model], check=True, capture_output=True)
        else:
            subprocess.run(["/usr/bin/python3", os.path.join(HERE, "make_chain_graph.py"), model,
                            sizes] + flags, check=True)
        exp = subprocess.run([snnc, "export", model, "--board", board, "--lanes", str(lanes),
                              "--bits", str(bits), "-o", out] + export_flags, check=True, capture_output=True,
                             text=True).stdout
        m = re.search(r"\((\d+) EBR blocks, (\d+) in all\) and about (\d+) logic cells", exp)
        if m:
            est_ebr, est_lc = int(m.group(2)), int(m.group(3))
        else:
            m = re.search(r"SPRAM blocks; (\d+) EBR blocks for the rest\) and about (\d+) logic", exp)
            est_ebr, est_lc = int(m.group(1)), int(m.group(2))
        if name not in cache:
            rep = subprocess.run([snnc, "synth", out, "--board", board, "--json"], check=True,
                                 capture_output=True, text=True).stdout
            r = json.loads(rep)
            cache[name] = {"lc": r["logic_cells"]["used"], "ebr": r["ebr"]["used"],
                           "fmax": r["fmax_mhz"]}
            json.dump(cache, open(cache_path, "w"), indent=1)
        real = cache[name]
        options = " ".join(flags + export_flags).replace("--", "")
        rows.append((name, sizes, board, lanes, bits, est_lc, real["lc"], est_ebr, real["ebr"],
                     real["fmax"], config_features(out), options))
    print("| case | layers | options | board | lanes | bits | LC est. | LC real | LC error | "
          "EBR est. | EBR real | fmax MHz |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    errs = []
    for name, sizes, board, lanes, bits, el, rl, ee, re_, fmax, _, options in rows:
        err = 100.0 * (el - rl) / rl
        errs.append(abs(err))
        print(f"| {name} | {sizes} | {options} | {board} | {lanes} | {bits} | {el} | {rl} | "
              f"{err:+.1f}% | {ee} | {re_} | {fmax:.1f} |")
    print(f"\nmean |LC error| {np.mean(errs):.1f}%, max {np.max(errs):.1f}% ({len(rows)} cases)")
    X = np.array([r[10] for r in rows], dtype=float)
    y = np.array([r[6] for r in rows], dtype=float)
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    fit = np.abs(X @ coef - y) / y * 100.0
    loo = []
    for i in range(len(y)):
        keep = np.arange(len(y)) != i
        c, *_ = np.linalg.lstsq(X[keep], y[keep], rcond=None)
        loo.append(abs(X[i] @ c - y[i]) / y[i] * 100.0)
    worst = rows[int(np.argmax(loo))][0]
    print(f"refitted |LC error|: in-sample mean {np.mean(fit):.1f}%, max {np.max(fit):.1f}%; "
          f"leave-one-out mean {np.mean(loo):.1f}%, max {np.max(loo):.1f}% ({worst})")
    if "--fit" in sys.argv:
        for term, c in zip(TERMS, coef):
            print(f"  {term}: {c:.3f}")

main()
