#!/usr/bin/python3
"""numpy's normalised Gram product, the computation of the redundancy pass (bench/compare.sh).

    /usr/bin/python3 bench/numpy_gram.py NEURONS INPUTS

Normalises the rows of a random float32 [neurons x inputs] matrix and forms W W^T (numpy's
matmul, i.e. the BLAS numpy is linked with: Debian's OpenBLAS through the libblas.so.3
alternative), compares it with the threshold; prints the seconds of one run after a warm-up.
"""
import sys
import time

import numpy as np


def gram(w):
    norms = np.linalg.norm(w, axis=1)
    unit = w / np.where(norms > 0, norms, 1)[:, None]
    return (unit @ unit.T) > np.float32(0.99)


def main():
    neurons, inputs = int(sys.argv[1]), int(sys.argv[2])
    w = np.random.default_rng(1).standard_normal((neurons, inputs), dtype=np.float32)
    gram(w)  # warm-up
    start = time.perf_counter()
    similar = gram(w)
    seconds = time.perf_counter() - start
    print(f"numpy {np.__version__} gram {neurons} x {inputs}: {seconds:.4f} s, "
          f"{int(np.triu(similar, 1).sum())} similar pairs")


if __name__ == "__main__":
    main()
