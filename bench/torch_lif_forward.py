#!/usr/bin/python3
"""PyTorch CPU forward of the same LIF network, for comparison with bench_simulation.

    /usr/bin/python3 bench/torch_lif_forward.py resources/fashion-mnist-snn.h5 [THREADS]

Bernoulli rate encoding, T = 25, batches of 1000, the dynamics of core/graph/Layer.h (subtract reset),
firing rates and predictions collected over the 10,000 Fashion-MNIST test images.
"""
import gzip
import sys
import time

import h5py
import numpy as np
import torch


def load_layers(path):
    layers = []
    with h5py.File(path, "r") as f:
        g = f["layers"]
        names = sorted(g.keys(), key=int)  # a chain: layer i feeds layer i + 1
        for n in names:
            l = g[n]
            layers.append((torch.tensor(np.array(l["weights"]), dtype=torch.float32),
                           torch.tensor(np.array(l["bias"]), dtype=torch.float32) if "bias" in l else None,
                           float(l.attrs.get("threshold", 1.0)), float(l.attrs.get("beta", 0.9))))
    return layers


def main():
    path = sys.argv[1]
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    torch.set_num_threads(threads)
    with gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255.0
    with gzip.open("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    layers = load_layers(path)
    x = torch.from_numpy(x)
    gen = torch.Generator().manual_seed(1)
    steps, batch = 25, 1000
    start = time.perf_counter()
    correct = 0
    counts = [torch.zeros(w.shape[0]) for w, _, _, _ in layers]
    with torch.no_grad():
        for b0 in range(0, x.shape[0], batch):
            xb = x[b0:b0 + batch]
            v = [torch.zeros(xb.shape[0], w.shape[0]) for w, _, _, _ in layers]
            out_count = torch.zeros(xb.shape[0], layers[-1][0].shape[0])
            for _ in range(steps):
                s = (torch.rand(xb.shape, generator=gen) < xb).float()
                for k, (w, bias, thr, beta) in enumerate(layers):
                    cur = s @ w.T
                    if bias is not None:
                        cur += bias
                    v[k] = beta * v[k] + cur
                    s = (v[k] > thr).float()
                    v[k] -= thr * s
                    counts[k] += s.sum(0)
                out_count += s
            correct += int((out_count.argmax(1).numpy() == y[b0:b0 + batch]).sum())
    seconds = time.perf_counter() - start
    print(f"torch {torch.__version__}, {threads} threads: {seconds:.2f} s, "
          f"{x.shape[0] / seconds:.0f} samples/s, accuracy {100.0 * correct / x.shape[0]:.2f}%")


if __name__ == "__main__":
    main()
