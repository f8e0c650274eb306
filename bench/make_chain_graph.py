#!/usr/bin/python3
"""Writes a random chain of LIF layers as an SNN Studio graph file (docs/file-format.md).

Usage: make_chain_graph.py OUT.h5 SIZE0,SIZE1,... [--seed S] [--bias] [--if] [--zero]
"""
import argparse

import h5py
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("sizes")
p.add_argument("--seed", type=int, default=1)
p.add_argument("--bias", action="store_true")
p.add_argument("--if", dest="integrate", action="store_true")
p.add_argument("--zero", action="store_true")
a = p.parse_args()
sizes = [int(s) for s in a.sizes.split(",")]
rng = np.random.default_rng(a.seed)
with h5py.File(a.out, "w") as f:
    f.attrs["format"] = "snn-studio"
    f.attrs["format_version"] = 1
    f.attrs["input_size"] = sizes[0]
    layers = f.create_group("layers")
    for k in range(1, len(sizes)):
        g = layers.create_group(str(k - 1))
        g.attrs["name"] = f"l{k}"
        g.attrs["neuron_type"] = "IF" if a.integrate else "LIF"
        g.attrs["input"] = "" if k == 1 else f"l{k - 1}"
        g.attrs["threshold"] = np.float32(1.0)
        g.attrs["beta"] = np.float32(1.0 if a.integrate else 0.9)
        g.attrs["reset"] = "zero" if a.zero else "subtract"
        g.attrs["spiking"] = 1
        g.attrs["n_neurons"] = sizes[k]
        g.attrs["n_inputs"] = sizes[k - 1]
        w = rng.normal(0.1, 2.0 / np.sqrt(sizes[k - 1]), (sizes[k], sizes[k - 1]))
        g.create_dataset("weights", data=w.astype(np.float32))
        if a.bias:
            g.create_dataset("bias", data=rng.normal(0, 0.1, sizes[k]).astype(np.float32))
