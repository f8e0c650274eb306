#!/usr/bin/env python3
# The duplicated-neuron case of issue 25: 32 hidden1 neurons of the shipped model made exact
# copies (fan-in weights and bias) of 32 other firing ones; each copy keeps its own outgoing
# weights. Rates are measured again afterwards (snnc rates). Usage: duplicate_neurons.py IN.h5 OUT.h5
import shutil, sys
import h5py, numpy as np
src, dst = sys.argv[1], sys.argv[2]
shutil.copyfile(src, dst)
with h5py.File(dst, "r+") as f:
    w, b, r = f["layers/0/weights"], f["layers/0/bias"], f["layers/0/firing_rates"][...]
    firing = np.flatnonzero(r > 0)
    originals, copies = firing[:32], firing[32:64]
    W, B = w[...], b[...]
    W[copies], B[copies] = W[originals], B[originals]
    w[...], b[...] = W, B
    print("copies", list(copies), "of", list(originals))
