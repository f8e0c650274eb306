#!/usr/bin/python3
"""PyTorch BPTT training of the network `snnc train` trains, for bench/compare.sh.

    /usr/bin/python3 bench/torch_lif_train.py THREADS TRAIN_SAMPLES EPOCHS [TEST_SAMPLES [SEED]]

The same network and method as core/train/Trainer.cpp: 784-256-64-10 LIF (beta 0.9, threshold 1,
subtract reset, detached from the graph as snnTorch does), biases, PyTorch's default Linear
initialisation (uniform +-1/sqrt(fan-in), as sim::initialGraph), constant-current input for
T = 25 steps, cross-entropy on the output spike counts, the fast-sigmoid surrogate
1 / (1 + 5 |u - threshold|)^2, Adam (lr 1e-3, betas 0.9 / 0.999, eps 1e-8), batches of 128
shuffled each epoch, the last one smaller, no learning-rate schedule. Trains on the first
TRAIN_SAMPLES Fashion-MNIST training images with torch.manual_seed(SEED) (default 1); prints the
training samples per second (the training loop only) and the accuracy on the first TEST_SAMPLES
test images (all by default; ties go to the lowest class, as in SNN Studio).

The one difference: torch.optim.Adam adds eps to sqrt(v) / sqrt(1 - beta2^t), SNN Studio (as
TensorFlow) to sqrt(v) before that correction. Their steps differ by the relative amount
eps (1 - sqrt(c)) / (sqrt(c) rms(g)), c = 1 - beta2^t: 3e-7 / rms(g) at the first step, 6e-9 /
rms(g) after 469 steps (one epoch of 60,000), rms(g) the parameter's gradient size.
"""
import gzip
import sys
import time

import numpy as np
import torch

STEPS, BATCH, BETA, THRESHOLD, SLOPE, LR = 25, 128, 0.9, 1.0, 5.0, 1e-3
DATA = "/usr/share/datasets/fashion-mnist/"


def load(images, labels):
    with gzip.open(DATA + images) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255
    with gzip.open(DATA + labels) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


class Spike(torch.autograd.Function):
    @staticmethod
    def forward(ctx, u):
        ctx.save_for_backward(u)
        return (u > THRESHOLD).float()

    @staticmethod
    def backward(ctx, grad):
        (u,) = ctx.saved_tensors
        return grad / (1.0 + SLOPE * (u - THRESHOLD).abs()) ** 2


def run(layers, x):
    """Spike counts of the output layer over the steps."""
    v = [torch.zeros(x.shape[0], l.out_features) for l in layers]
    count = 0
    first = layers[0](x)  # constant input: the first layer's current is the same at every step
    for _ in range(STEPS):
        s = None
        for k, layer in enumerate(layers):
            u = BETA * v[k] + (first if k == 0 else layer(s))
            s = Spike.apply(u)
            v[k] = u - THRESHOLD * s.detach()
        count = count + s
    return count


def main():
    threads, n, epochs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    test_n = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
    torch.set_num_threads(threads)
    torch.manual_seed(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
    x, y = load("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
    x, y = x[:n], y[:n]
    tx, ty = load("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
    tx, ty = tx[:test_n], ty[:test_n]
    layers = torch.nn.ModuleList([torch.nn.Linear(784, 256), torch.nn.Linear(256, 64),
                                  torch.nn.Linear(64, 10)])
    opt = torch.optim.Adam(layers.parameters(), lr=LR)
    seconds = 0.0
    for _ in range(epochs):
        order = torch.randperm(n)
        start = time.perf_counter()
        for b in range(0, n, BATCH):
            idx = order[b:b + BATCH]
            loss = torch.nn.functional.cross_entropy(run(layers, x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        seconds += time.perf_counter() - start
    with torch.no_grad():
        correct = sum(int((run(layers, tx[b:b + 1000]).argmax(1) == ty[b:b + 1000]).sum())
                      for b in range(0, test_n, 1000))
    print(f"torch {torch.__version__}, {threads} threads: {epochs * n / seconds:.0f} samples/s, "
          f"test accuracy {100.0 * correct / test_n:.2f}%")


if __name__ == "__main__":
    main()
