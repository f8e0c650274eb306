#!/usr/bin/python3
"""Calibrates and checks the hardware resource estimate (core/hw/ResourceEstimator.cpp) against
real yosys + nextpnr runs. For each case: write a random chain graph, `snnc export` it (its
estimate.json holds the estimate and the logic-cell model's terms with their units), `snnc synth`
it (nextpnr's figures). Results are cached in WORK/results.json; it prints each case's estimate and
nextpnr's figures, the logic-cell errors in-sample and leave-one-out (refit without a case, then
predict it), and with `--fit` the least-squares cost of each term.

Usage: bench/hw_estimate.py build/release/bin/snnc WORK [--fit]
"""
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = [
    # name, sizes, board, lanes, weight bits, graph flags (make_chain_graph.py), export flags
    ("tiny-2l", "16,12,4", "hx8k", 2, 8, ["--bias"], []),
    ("tiny-1l", "8,6,3", "icestick", 1, 8, [], []),
    ("small-4l", "32,24,10", "icebreaker", 4, 8, ["--bias"], []),
    ("small-if", "32,16,10", "icebreaker", 2, 4, ["--if"], []),
    ("mid-4l", "64,48,32,10", "icebreaker", 4, 6, [], []),
    ("mid-8l", "64,64,10", "icebreaker", 8, 8, ["--zero"], []),
    ("wide-1l", "100,40,10", "hx8k", 1, 8, ["--bias"], []),
    ("deep-2l", "48,32,32,16,10", "hx8k", 2, 8, [], []),
    ("mid-2l-bias", "64,32,10", "icebreaker", 2, 8, ["--bias"], []),
    ("small-16l", "32,32,10", "hx8k", 16, 4, [], []),
    ("tiny-4l-if", "12,8,4", "hx8k", 4, 4, ["--if", "--zero"], []),
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
    ("tiny-4l-if-sub", "12,8,4", "hx8k", 4, 4, ["--if"], []),
    # The same graph with its weights in EBR and in SPRAM: the SPI flash loader's cost.
    ("pair-ebr", "32,24,10", "icebreaker", 4, 4, [], ["--memory", "ebr"]),
    ("pair-spram", "32,24,10", "icebreaker", 4, 4, [], ["--memory", "spram"]),
    # Blocks shorter than the lanes (steps < lanes) and the shipped model's shape at 8 lanes.
    ("short-8l", "48,40,10", "icebreaker", 8, 6, [], ["--steps", "4"]),
    ("example-8l", "example", "icebreaker", 8, 4, [], []),
    ("stick-1l-bias", "16,12,4", "icestick", 1, 8, ["--bias"], []),
]
# Shapes never used for fitting: the refit's figures on them are the held-out check.
HELD_OUT = [
    ("held-3l", "96,72,24", "icebreaker", 4, 4, ["--bias"], ["--memory", "spram"]),
    ("held-deep", "28,20,20,20,6", "hx8k", 2, 7, ["--zero"], ["--steps", "24"]),
    ("held-16l", "128,48,12", "hx8k", 16, 3, ["--if"], []),
]


def estimate(folder):
    """The instant estimate snnc export wrote: (logic cells, EBR blocks, term names, term units)."""
    e = json.load(open(os.path.join(folder, "estimate.json")))
    terms = e["logic_cell_terms"]
    return (e["logic_cells"], e["ebr_blocks"], [t["term"] for t in terms],
            [t["units"] for t in terms])


def measure(snnc, work, cache, cache_path, case):
    """One case: its estimate (from snnc export) and nextpnr's figures (cached)."""
    name, sizes, board, lanes, bits, flags, export_flags = case
    model = os.path.join(work, name + ".h5")
    out = os.path.join(work, name)
    if sizes == "example":
        subprocess.run([snnc, "example", "-o", model], check=True, capture_output=True)
    else:
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "make_chain_graph.py"), model,
                        sizes] + flags, check=True)
    subprocess.run([snnc, "export", model, "--board", board, "--lanes", str(lanes), "--bits",
                    str(bits), "-o", out] + export_flags, check=True, capture_output=True)
    est_lc, est_ebr, terms, units = estimate(out)
    if name not in cache:
        rep = subprocess.run([snnc, "synth", out, "--board", board, "--json"], check=True,
                             capture_output=True, text=True).stdout
        r = json.loads(rep)
        cache[name] = {"lc": r["logic_cells"]["used"], "ebr": r["ebr"]["used"],
                       "fmax": r["fmax_mhz"]}
        json.dump(cache, open(cache_path, "w"), indent=1)
    real = cache[name]
    options = " ".join(flags + export_flags).replace("--", "")
    return (name, sizes, board, lanes, bits, est_lc, real["lc"], est_ebr, real["ebr"],
            real["fmax"], units, options, terms)


def table(rows):
    """The markdown table of cases; returns the |LC error| of each in percent."""
    print("| case | layers | options | board | lanes | bits | LC est. | LC real | LC error | "
          "EBR est. | EBR real | fmax MHz |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    errs = []
    for name, sizes, board, lanes, bits, el, rl, ee, re_, fmax, _, options, _ in rows:
        err = 100.0 * (el - rl) / rl
        errs.append(abs(err))
        print(f"| {name} | {sizes} | {options} | {board} | {lanes} | {bits} | {el} | {rl} | "
              f"{err:+.1f}% | {ee} | {re_} | {fmax:.1f} |")
    return errs


def main():
    snnc, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    cache_path = os.path.join(work, "results.json")
    cache = json.load(open(cache_path)) if os.path.exists(cache_path) else {}
    rows = [measure(snnc, work, cache, cache_path, c) for c in CASES]
    held = [measure(snnc, work, cache, cache_path, c) for c in HELD_OUT]
    errs = table(rows)
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
    print("\nHeld out (never fitted), with the estimator as built:\n")
    herrs = table(held)
    Xh = np.array([r[10] for r in held], dtype=float)
    yh = np.array([r[6] for r in held], dtype=float)
    refit = np.abs(Xh @ coef - yh) / yh * 100.0
    print(f"\nheld out |LC error|: as built mean {np.mean(herrs):.1f}%, max {np.max(herrs):.1f}%; "
          f"refitted mean {np.mean(refit):.1f}%, max {np.max(refit):.1f}%")
    if "--fit" in sys.argv:
        for term, c in zip(rows[0][12], coef):
            print(f"  {term}: {c:.3f}")


main()
