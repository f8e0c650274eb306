"""From a training loop's weights (plain numpy arrays) to an optimised graph and an iCE40
estimate, in memory: no files. docs/python.md walks through it.

Run from the repository root after building:
    PYTHONPATH=build/release/python /usr/bin/python3 python/examples/numpy_to_estimate.py
"""

import numpy as np

import snnstudio
from snnstudio import LayerNode, SNNGraph

rng = np.random.default_rng(7)

# A small labelled data set: 10 classes, 64 features in [0, 1], each class a noisy prototype.
prototypes = rng.uniform(0.0, 1.0, (10, 64))
y = rng.integers(0, 10, 2000)
x = np.clip(prototypes[y] + rng.normal(0.0, 0.15, (2000, 64)), 0.0, 1.0).astype(np.float32)

# What `net.fc1.weight.detach().numpy()` and `net.fc2.weight...` give after training an
# snnTorch-style network (weights [out, in]). Stand-ins with the waste trained networks carry:
# every class detector three times (redundant) and ten neurons that never fire (dead).
detectors = (prototypes - 0.5) * 0.4
fc1 = np.vstack([detectors, detectors, detectors, np.full((10, 64), -0.5)])  # [40, 64]
fc2 = np.hstack([np.eye(10), np.eye(10), np.eye(10), np.zeros((10, 10))])  # [10, 40]

graph = SNNGraph([LayerNode("fc1", 64, 40, fc1), LayerNode("fc2", 40, 10, fc2)])
graph = snnstudio.rates(graph, (x, y), steps=25)  # measured firing rates, stored in a copy
print(f"before: {graph.total_params} parameters, "
      f"accuracy {snnstudio.evaluate(graph, (x, y)).accuracy:.3f}")

optimized, report = snnstudio.optimize(graph, validate=(x, y))
print(f"after:  {optimized.total_params} parameters; {report.dead_neurons_removed} dead removed, "
      f"{report.redundant_pairs_merged} merged; accuracy {report.accuracy.before:.3f} -> "
      f"{report.accuracy.after:.3f} (agreement {report.accuracy.agreement:.3f})")

for name, g in (("before", graph), ("after", optimized)):
    e = snnstudio.estimate(g, board="icestick", bits=4, lanes=2)
    print(f"iCEstick, 4-bit weights, 2 lanes, {name}: {e.logic_cells} logic cells, {e.ebr} EBR "
          f"blocks, {e.spram} SPRAM; fits: {e.fits}")
