#!/usr/bin/python3
"""Calibrates and checks the hardware resource estimate (core/hw/ResourceEstimator.cpp) against
real yosys + nextpnr runs. For each case: write a random chain graph, `snnc export` it (which
prints the estimate), `snnc synth` it (nextpnr's figures). Results are cached in WORK/results.json;
`--fit` prints least-squares coefficients for the logic-cell model from the generated
snn_config.vh sizes.

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
    # name, sizes, board, lanes, bits, extra graph flags
    ("tiny-2l", "16,12,4", "icestick", 2, 8, ["--bias"]),
    ("tiny-1l", "8,6,3", "icestick", 1, 8, []),
    ("small-4l", "32,24,10", "icebreaker", 4, 8, ["--bias"]),
    ("small-if", "32,16,10", "icebreaker", 2, 4, ["--if"]),
    ("mid-4l", "64,48,32,10", "icebreaker", 4, 6, []),
    ("mid-8l", "64,64,10", "icebreaker", 8, 8, ["--zero"]),
    ("wide-1l", "100,40,10", "hx8k", 1, 8, ["--bias"]),
    ("deep-2l", "48,32,32,16,10", "hx8k", 2, 8, []),
    # The seed's example (snnc example), weights in SPRAM loaded from the SPI flash.
    ("example-spram", "example", "icebreaker", 4, 4, []),
]


def config_features(path):
    text = open(path).read()
    p = {m.group(1): int(m.group(2)) for m in re.finditer(r"localparam (\w+) = (\d+);", text)}
    addressing = p["WAW"] + p["VAW"] + p["JW"] + p["GAW"]
    return [1.0, p["LANES"] * p["MB"], p["OUT_SIZE"] * p["CW"], addressing,
            p["HAS_BIAS"] * p["LANES"] * p["MB"]]


def main():
    snnc, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    cache_path = os.path.join(work, "results.json")
    cache = json.load(open(cache_path)) if os.path.exists(cache_path) else {}
    rows = []
    for name, sizes, board, lanes, bits, flags in CASES:
        model = os.path.join(work, name + ".h5")
        out = os.path.join(work, name)
        if sizes == "example":
            subprocess.run([snnc, "example", "-o", model], check=True, capture_output=True)
        else:
            subprocess.run(["/usr/bin/python3", os.path.join(HERE, "make_chain_graph.py"), model,
                            sizes] + flags, check=True)
        exp = subprocess.run([snnc, "export", model, "--board", board, "--lanes", str(lanes),
                              "--bits", str(bits), "-o", out], check=True, capture_output=True,
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
        rows.append((name, sizes, board, lanes, bits, est_lc, real["lc"], est_ebr, real["ebr"],
                     real["fmax"], config_features(os.path.join(out, "snn_config.vh"))))
    print("| case | layers | board | lanes | bits | LC est. | LC real | LC error | EBR est. | "
          "EBR real | fmax MHz |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    errs = []
    for name, sizes, board, lanes, bits, el, rl, ee, re_, fmax, _ in rows:
        err = 100.0 * (el - rl) / rl
        errs.append(abs(err))
        print(f"| {name} | {sizes} | {board} | {lanes} | {bits} | {el} | {rl} | {err:+.1f}% | "
              f"{ee} | {re_} | {fmax:.1f} |")
    print(f"\nmean |LC error| {np.mean(errs):.1f}%, max {np.max(errs):.1f}%")
    if "--fit" in sys.argv:
        X = np.array([r[10] for r in rows])
        y = np.array([r[6] for r in rows], dtype=float)
        coef, *_ = np.linalg.lstsq(X, y, rcond=None)
        print("fit (fixed, per lane x membrane bit, per counter bit, per address bit, "
              "per lane x membrane bit with bias):", ", ".join(f"{c:.3f}" for c in coef))


main()
