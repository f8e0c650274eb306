#!/usr/bin/python3
"""Prints the before/after hardware table of docs/results.md from an `snnc optimize --quantized B
--json R.json` report: parameters, cycles per inference, latency, inferences/s with the UART,
weight memory, EBR and SPRAM blocks, estimated logic cells and the agreement on the core.

Usage: scripts/hardware_table.py R.json
"""
import json
import sys


def main():
    r = json.load(open(sys.argv[1]))
    hw = r["hardware"]
    agreement = r["hardware_accuracy"]["quantized"][0]["accuracy"]["agreement"]
    before_cycles = hw["before"]["cycles_per_inference"]
    print("| | params | cycles/inference | latency | inferences/s (with UART) | weight Kbit | "
          "EBR | SPRAM | LC (est.) | configuration | core agreement |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for side, label in (("before", "before"), ("after", "after default passes")):
        h = hw[side]
        cycles = f"{h['cycles_per_inference']:,.0f}"
        if side == "after":
            cycles += f" ({100.0 * (h['cycles_per_inference'] / before_cycles - 1.0):+.1f}%)"
        print(f"| {label} | {r[side]['params']:,} | {cycles} | {h['latency_ms']:.3f} ms | "
              f"{h['inferences_per_s']:.1f} | {h['weight_kbit']:,.0f} | {h['ebr']} | "
              f"{h['spram']} | {h['logic_cells']:,} | {h['config']['text']} | "
              f"{'-' if side == 'before' else f'{100.0 * agreement:.2f}%'} |")


main()
