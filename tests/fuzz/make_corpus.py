#!/usr/bin/python3
"""Writes the seed corpus in tests/fuzz/corpus (issue 14): small real files in each format SNN
Studio reads, and mutations of them that each hit one check (the hostile-name corpus of issue 17,
sizes declared far beyond the graph, null or non-integral attributes, ...). expected.tsv holds the
one-line error (or OK) that tst_fuzzcorpus asserts for a seed; files the fuzzer adds later need no
entry. Run from the repository root after building snnc:

    /usr/bin/python3 tests/fuzz/make_corpus.py build/release/bin/snnc [READER ...]

(READER: graph, nir, dataset, simulate, idx; default all.)
"""
import gzip
import os
import shutil
import struct
import subprocess
import sys
import zlib

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(ROOT, "corpus")
SAMPLES = os.path.join(ROOT, "..", "data", "nir-samples")
RULE = " (a layer name is 1 to 64 printable characters, unique in the graph)"
expected = []


def path(reader, name):
    os.makedirs(os.path.join(CORPUS, reader), exist_ok=True)
    return os.path.join(CORPUS, reader, name)


def expect(reader, name, message):
    expected.append(f"{reader}/{name}\t{message}")


def graph(name, edit=None, message=None):
    """input(4) -> hidden(3, LIF, bias, rates) -> out(2, IF), then edit(file)."""
    p = path("graph", name)
    with h5py.File(p, "w") as f:
        f.attrs["format"] = "snn-studio"
        f.attrs["format_version"] = 1
        f.attrs["input_size"] = 4
        for i, (lname, inp, n, k, typ) in enumerate(
            [("hidden", "", 3, 4, "LIF"), ("out", "hidden", 2, 3, "IF")]
        ):
            g = f.create_group(f"layers/{i}")
            g.attrs["name"] = lname
            g.attrs["neuron_type"] = typ
            g.attrs["input"] = inp
            g.attrs["threshold"] = np.float32(1.25)
            g.attrs["beta"] = np.float32(0.8 if typ == "LIF" else 1.0)
            g.attrs["reset"] = "subtract"
            g.attrs["spiking"] = 1
            g.attrs["n_neurons"] = n
            g.attrs["n_inputs"] = k
            g["weights"] = np.arange(n * k, dtype=np.float32).reshape(n, k) / 10
            if i == 0:
                g["bias"] = np.array([0.5, -0.5, 0.125], dtype=np.float32)
                g["firing_rates"] = np.array([0.0, 0.25, 1.0], dtype=np.float32)
        f["studio/positions"] = np.array([[0.0, 0.0], [310.0, 0.0]])
        if edit:
            edit(f)
    expect("graph", name, message or "OK")


def set_attr(where, key, value):
    return lambda f: f[where].attrs.__setitem__(key, value)


def declare(where, dataset, shape):
    """Replaces a dataset by a chunked one declaring `shape`, never written (a few KB)."""

    def edit(f):
        del f[where][dataset]
        chunks = tuple([1] * (len(shape) - 1) + [min(shape[-1], 4096)])
        f[where].create_dataset(dataset, shape=shape, dtype="f4", chunks=chunks)

    return edit


def both(*edits):
    def edit(f):
        for e in edits:
            e(f)

    return edit


def write_graphs():
    graph("good.h5")
    # The root group's symbol table node counting 9 entries where the superblock's 2K leaves
    # room for 8: HDF5 1.10 would decode all 9 into its array of 8.
    graph("snod-count.h5")
    with open(path("graph", "snod-count.h5"), "r+b") as f:
        data = f.read()
        node = data.find(b"SNOD")
        f.seek(node + 6)
        f.write(struct.pack("<H", 9))
    expected[-1] = (
        f"graph/snod-count.h5\tcannot open snod-count.h5: the HDF5 file is damaged (the symbol "
        f"table node at byte {node} counts 9 entries, where it has room for 8)"
    )
    injected = "h\n        L_THR = 0; // injected"
    graph(
        "name-injection.h5",
        both(set_attr("layers/0", "name", injected), set_attr("layers/1", "input", injected)),
        "name-injection.h5: layer 0: the name contains the control character U+000A" + RULE,
    )
    refused = {
        "name-cr": ("a\rb", "the name contains the control character U+000D"),
        "name-tab": ("a\tb", "the name contains the control character U+0009"),
        "name-escape": ("\x1b[31mred", "the name contains the control character U+001B"),
        "name-line-separator": ("a\u2028b", "the name contains the unprintable character U+2028"),
        "name-bidi": ("a\u202eb", "the name contains the unprintable character U+202E"),
        "name-65": ("x" * 65, "the name has 65 characters"),
        "name-empty": ("", "the name is empty"),
    }
    for stem, (name, why) in refused.items():
        graph(f"{stem}.h5", set_attr("layers/0", "name", name), f"{stem}.h5: layer 0: {why}{RULE}")
    graph(
        "name-nul.h5",
        set_attr("layers/0", "name", np.bytes_(b"a\x00b")),
        "name-nul.h5: layer 0: the name contains the control character U+0000" + RULE,
    )
    graph(
        "name-not-utf8.h5",
        set_attr("layers/1", "name", np.bytes_(b"out\xff\xfe")),
        "name-not-utf8.h5: layer 1: 'name' is not valid UTF-8",
    )
    graph(
        "names-accepted.h5",
        both(
            set_attr("layers/0", "name", "`define L_THR 0 */ $(id) | <b>"),
            set_attr("layers/1", "input", "`define L_THR 0 */ $(id) | <b>"),
            set_attr("layers/1", "name", "=HYPERLINK(\"x\"),\"'"),
        ),
    )

    def huge(f):
        del f["layers/0"].attrs["n_neurons"]
        del f["layers/0"].attrs["n_inputs"]
        declare("layers/0", "weights", (1, 1200000000))(f)

    graph(
        "weights-1.2e9.h5",
        huge,
        "weights-1.2e9.h5: layer 'hidden': weights are [1 x 1200000000] but its source 'input' "
        "gives 4 values",
    )
    graph(
        "bias-1.2e9.h5",
        declare("layers/0", "bias", (1200000000,)),
        "bias-1.2e9.h5: layer 'hidden': bias has 1200000000 entries for 3 neurons",
    )
    graph(
        "input-size-1e12.h5",
        set_attr("/", "input_size", 1e12),
        "input-size-1e12.h5: attribute 'input_size' must be an integer in [1, 2147483647], not "
        "1e+12",
    )
    graph(
        "n-neurons-6.5.h5",
        set_attr("layers/0", "n_neurons", 6.5),
        "n-neurons-6.5.h5: layer 'hidden': attribute 'n_neurons' must be an integer in "
        "[0, 2147483647], not 6.5",
    )
    graph(
        "spiking-nan.h5",
        set_attr("layers/0", "spiking", np.nan),
        "spiking-nan.h5: layer 'hidden': attribute 'spiking' must be an integer in [0, 1], not nan",
    )
    graph(
        "beta-null.h5",
        set_attr("layers/0", "beta", h5py.Empty("f8")),
        "beta-null.h5: layer 'hidden': 'beta' is empty (a null dataspace)",
    )

    def empty_bias(f):
        del f["layers/0/bias"]
        f["layers/0/bias"] = np.zeros((0,), dtype=np.float32)

    graph(
        "bias-empty.h5",
        empty_bias,
        "bias-empty.h5: layer 'hidden': bias has 0 entries for 3 neurons",
    )
    graph(
        "threshold-1e300.h5",
        set_attr("layers/0", "threshold", 1e300),
        "threshold-1e300.h5: layer 'hidden': attribute 'threshold' is 1e+300, outside the float "
        "range",
    )
    graph(
        "cycle.h5",
        set_attr("layers/0", "input", "out"),
        "cycle.h5: the inputs of layers 'hidden', 'out' form a cycle",
    )


def nir(name, snnc, message=None, edit=None, source="good.h5"):
    p = path("nir", name)
    subprocess.run(
        [snnc, "export-nir", path("graph", source), "-o", p], check=True, stdout=subprocess.DEVNULL
    )
    if edit:
        with h5py.File(p, "r+") as f:
            edit(f)
    # A callable message is built after the edit (from what it found in the file).
    expect("nir", name, (message() if callable(message) else message) or "OK")


def write_nirs(snnc):
    for sample in ["lif_norse.nir", "lif_rockpool.nir", "two_lif_neurons.nir"]:
        shutil.copy(os.path.join(SAMPLES, sample), path("nir", sample))
        expect("nir", sample, "OK")
    nir("good.nir", snnc)

    def rekey(f):
        nodes = f["node/nodes"]
        nodes.move("hidden", "hidden\n        L_THR = 0;")
        key = "hidden\n        L_THR = 0;"
        edges = [
            [key if e == "hidden" else e for e in (x.decode() for x in row)]
            for row in f["node/edges"][()]
        ]
        del f["node/edges"]
        f.create_dataset("node/edges", data=edges, dtype=h5py.string_dtype())
        meta = f["node/metadata"]
        for k in list(meta):
            if k.startswith("snn_studio.hidden."):
                meta.move(k, k.replace("snn_studio.hidden.", "snn_studio.hidden\n        L_THR = 0;."))

    nir("key-injection.nir", snnc, None, rekey)

    def duplicate_edge(f):
        edges = f["node/edges"][()]
        del f["node/edges"]
        f["node/edges"] = np.concatenate([edges, edges[:1]])

    nir(
        "duplicate-edge.nir",
        snnc,
        "duplicate-edge.nir: edge 'input' -> 'hidden' appears twice",
        duplicate_edge,
    )

    def huge_weight(f):
        g = f["node/nodes/out"]
        del g["weight"]
        g.create_dataset("weight", shape=(1200000000, 3), dtype="f4", chunks=(1, 3))

    nir(
        "weight-1.2e9.nir",
        snnc,
        "weight-1.2e9.nir: node 'out' (Linear): 'weight' [1200000000 x 3] takes the graph past "
        "67108864 values, the most SNN Studio loads",
        huge_weight,
    )

    def input_inf(f):
        del f["node/nodes/input/shape"]
        f["node/nodes/input/shape"] = np.array([np.inf])

    nir(
        "input-shape-inf.nir",
        snnc,
        "input-shape-inf.nir: node 'input' (Input): shape entry inf makes more than 67108864 "
        "values",
        input_inf,
    )

    def tau_huge(f):
        g = f["node/nodes/hidden.lif"]
        n = g["tau"].shape[0]
        del g["tau"]
        g["tau"] = np.full(n, 1e300)

    nir(
        "tau-1e300.nir",
        snnc,
        "tau-1e300.nir: node 'hidden' (Affine): the folded weights underflow (a nonzero weight or "
        "bias becomes 0 as float32; check tau and dt)",
        tau_huge,
    )

    # Variable-length strings whose length is not their global heap object's size: HDF5 would
    # allocate the declared length before reading the object (fuzz_graph found it in an
    # attribute, corpus/crashes/graph-vlen-5.2e9.h5). SNN Studio keeps 'edges' in deflated chunks
    # and each node's 'type' in one contiguous block.
    found = {}

    def damaged(name, dataset, declared, holds):
        return lambda: (
            f"cannot open {name}: the HDF5 file is damaged (a string of the dataset at byte "
            f"{found[dataset]} declares {declared} characters of 1 bytes, where its global heap "
            f"object holds {holds} bytes)"
        )

    def edges_length(f):
        edges = f["node/edges"]
        found["edges"] = h5py.h5o.get_info(edges.id).addr
        mask, chunk = edges.id.read_direct_chunk((0, 0))
        raw = bytearray(zlib.decompress(chunk))
        raw[0:4] = struct.pack("<I", 4000000000)  # the first string, "input"
        edges.id.write_direct_chunk((0, 0), zlib.compress(bytes(raw)), mask)

    nir("edges-length.nir", snnc, damaged("edges-length.nir", "edges", 4000000000, 5), edges_length)

    def type_offset(f):
        found["type"] = h5py.h5o.get_info(f["node/nodes/hidden/type"].id).addr
        found["type data"] = f["node/nodes/hidden/type"].id.get_offset()

    nir("type-length.nir", snnc, damaged("type-length.nir", "type", 7, 6), type_offset)
    with open(path("nir", "type-length.nir"), "r+b") as f:
        f.seek(found["type data"])
        f.write(struct.pack("<I", 7))  # "Affine" has 6


def dataset(name, x, y, message=None, groups=False):
    p = path("dataset", name)
    with h5py.File(p, "w") as f:
        if groups:
            for g in ["train", "test"]:
                f[f"{g}/x"] = x
                f[f"{g}/y"] = y
        else:
            f["x"] = x
            f["y"] = y
    expect("dataset", name, message or "OK")


def idx(name, magic_type, dims, data, compress=False):
    raw = struct.pack(">BBBB", 0, 0, magic_type, len(dims)) + b"".join(
        struct.pack(">I", d) for d in dims
    ) + bytes(data)
    with open(path("dataset", name), "wb") as f:
        f.write(gzip.compress(raw, mtime=0) if compress else raw)


def write_datasets():
    x = np.linspace(0, 1, 12, dtype=np.float32).reshape(4, 3)
    y = np.array([0, 1, 2, 1], dtype=np.int32)
    dataset("xy.h5", x, y)
    dataset("train-test.h5", x, y, groups=True)
    dataset(
        "label-2.5.h5",
        x,
        np.array([0, 2.5, 1, 1]),
        "label-2.5.h5: label 2.5 of sample 1 is not a class index (an integer in [0, 65535])",
    )
    # One label of 1,000,000 sized snnc train's output layer to a million neurons (issue 29).
    dataset(
        "label-1e6.h5",
        x,
        np.array([0, 1, 1000000, 1]),
        "label-1e6.h5: label 1000000 of sample 2 is not a class index (an integer in [0, 65535])",
    )
    # No sample: read, then refused where it is used (Dataset::checkFits).
    dataset("empty.h5", np.zeros((0, 3), dtype=np.float32), np.zeros((0,), dtype=np.int32))
    p = path("dataset", "x-1.2e9.h5")
    with h5py.File(p, "w") as f:
        f.create_dataset("x", shape=(1200000000, 1), dtype="f4", chunks=(4096, 1))
        f.create_dataset("y", shape=(1200000000,), dtype="i4", chunks=(4096,))
    expect(
        "dataset",
        "x-1.2e9.h5",
        f"{p}: 'x' declares 1200000000 values (shape [1200000000 x 1]), more than the 134217728 "
        "SNN Studio reads from one dataset".replace(p, "x-1.2e9.h5"),
    )
    idx("images.idx", 0x08, [2, 2, 2], range(8))
    idx("images.idx.gz", 0x08, [2, 2, 2], range(8), compress=True)
    idx("labels.idx", 0x08, [3], [0, 1, 2])
    idx("truncated.idx", 0x08, [5, 28, 28], range(100))


def sequence(name, datasets, message=None):
    """snnc simulate's input: datasets maps a name ('spikes', 'current') to an array, or to a
    shape declared in chunks and never written."""
    with h5py.File(path("simulate", name), "w") as f:
        for key, value in datasets.items():
            if isinstance(value, tuple):
                f.create_dataset(key, shape=value, dtype="f4", chunks=(1,) * (len(value) - 1) + (4,))
            else:
                f[key] = value
    expect("simulate", name, message or "OK")


def declared(name, dataset, shape, message):
    """A seed whose `dataset` declares `shape`: written as [1, 1, 8] in chunks of [1, 1, 4], then
    the dimensions patched in the file (HDF5 will not create an extent whose size overflows)."""
    sequence(name, {dataset: (1, 1, 8)}, message)
    p = path("simulate", name)
    with open(p, "r+b") as f:
        data = bytearray(f.read())
        # The dataspace message: version 1, rank 3, flags 1 (max dims), then dims and max dims.
        old = struct.pack("<QQQ", 1, 1, 8) * 2
        at = data.find(old)
        assert at > 0 and data.find(old, at + 1) < 0
        data[at : at + len(old)] = struct.pack("<QQQ", *shape) * 2
        f.seek(0)
        f.write(data)


def write_sequences():
    spikes = (np.arange(30).reshape(2, 3, 5) % 3 == 0).astype(np.uint8)
    current = np.linspace(-1, 1, 30, dtype=np.float32).reshape(2, 3, 5)
    sequence("spikes.h5", {"spikes": spikes})
    sequence("current.h5", {"current": current})
    sequence("constant.h5", {"current": current[:, 0, :]})
    sequence(
        "both.h5",
        {"spikes": spikes, "current": current},
        "both.h5: holds both 'spikes' and 'current'; give one",
    )
    sequence("neither.h5", {"x": current}, "neither.h5: holds neither 'spikes' nor 'current'")
    two = spikes.copy()
    two[1, 2, 4] = 2
    sequence(
        "spike-2.h5",
        {"spikes": two},
        "spike-2.h5: 'spikes' holds 2 at sample 1, step 2, input 4; spikes are 0 or 1",
    )
    nan = current.copy()
    nan[0, 1, 3] = np.nan
    sequence(
        "current-nan.h5",
        {"current": nan},
        "current-nan.h5: 'current' holds nan at sample 0, step 1, input 3; currents are finite",
    )
    sequence(
        "no-samples.h5",
        {"spikes": np.zeros((0, 3, 5), dtype=np.uint8)},
        "no-samples.h5: 'spikes' has shape [0 x 3 x 5]: nothing to simulate",
    )
    # A step's inputs of several dimensions are flattened in row-major order (NIR's Flatten).
    sequence("rank-4.h5", {"current": current.reshape(2, 3, 5, 1)})
    sequence(
        "steps-1e9.h5",
        {"current": (1, 1000000000, 8)},
        "steps-1e9.h5: 'current' declares 8000000000 values (shape [1 x 1000000000 x 8]), more "
        "than the 134217728 SNN Studio reads from one dataset",
    )
    # The outside fuzz round's file: std::length_error (rc 134) before the size was checked.
    declared(
        "spikes-2e62.h5",
        "spikes",
        (2**62, 1, 8),
        "spikes-2e62.h5: 'spikes' declares 18446744073709551615 values (shape "
        "[4611686018427387904 x 1 x 8]), more than the 134217728 SNN Studio reads from one dataset",
    )
    declared(
        "zero-2e62.h5",
        "spikes",
        (2**62, 0, 8),
        "zero-2e62.h5: 'spikes' has shape [4611686018427387904 x 0 x 8]: nothing to simulate",
    )


def write_idx():
    def raw(dims, values):
        return (
            struct.pack(">BBBB", 0, 0, 8, len(dims))
            + b"".join(struct.pack(">I", d) for d in dims)
            + bytes(values)
        )

    def write(name, data, message):
        with open(path("idx", name), "wb") as f:
            f.write(data)
        expect("idx", name, message)

    # Read in the role the header gives them, beside a companion that fits (FuzzReaders.cpp).
    write("images.idx", raw([2, 2, 2], range(8)), "OK")
    write("images.idx.gz", gzip.compress(raw([2, 2, 2], range(8)), mtime=0), "OK")
    write("labels.idx.gz", gzip.compress(raw([3], [0, 1, 2]), mtime=0), "OK")
    # The IDX gzip bomb of issue 29 (3 MB behind a 3000 x 28 x 28 header took 22 s and 2.1 GB),
    # small: 10 MB of zeros behind a 30 x 28 x 28 header. Inflated only as far as the header says.
    write(
        "bomb.idx.gz",
        gzip.compress(raw([30, 28, 28], bytes(10 * 1024 * 1024)), mtime=0),
        "bomb.idx.gz: wrong size: the header declares 23520 values, the file holds at least 89056",
    )
    write(
        "truncated.idx.gz",
        gzip.compress(raw([5, 28, 28], range(100)), mtime=0),
        "truncated.idx.gz: truncated: the header declares 3920 values, the file holds 100",
    )
    whole = gzip.compress(raw([2, 2, 2], range(8)), mtime=0)
    write("cut.idx.gz", whole[: len(whole) // 2], "cut.idx.gz: truncated gzip data")
    write(
        "dims-2e48.idx",
        raw([65536, 65536, 65536], []),
        "dims-2e48.idx: the IDX header declares 281474976710656 values (shape [65536 x 65536 x "
        "65536]), more than the 134217728 SNN Studio reads from one IDX file",
    )
    # Four dimensions whose product overflows 64 bits: counted saturated.
    write(
        "dims-overflow.idx",
        raw([2**32 - 1] * 4, []),
        "dims-overflow.idx: the IDX header declares 18446744073709551615 values (shape "
        "[4294967295 x 4294967295 x 4294967295 x 4294967295]), more than the 134217728 SNN Studio "
        "reads from one IDX file",
    )
    write(
        "rank-33.idx",
        raw([1] * 33, [7]),
        "rank-33.idx: IDX file with 33 dimensions, more than the 32 SNN Studio reads",
    )


WRITERS = {
    "graph": lambda snnc: write_graphs(),
    "nir": write_nirs,
    "dataset": lambda snnc: write_datasets(),
    "simulate": lambda snnc: write_sequences(),
    "idx": lambda snnc: write_idx(),
}


def main():
    """make_corpus.py SNNC [READER ...]: rewrites the seeds of the given readers (default: all),
    keeping the other readers' seeds and their lines of expected.tsv."""
    snnc = sys.argv[1]
    readers = sys.argv[2:] or list(WRITERS)
    # The seeds are rewritten; crashes/ (every file that ever crashed a reader) is kept.
    for reader in readers:
        shutil.rmtree(os.path.join(CORPUS, reader), ignore_errors=True)
        WRITERS[reader](snnc)
    table = os.path.join(CORPUS, "expected.tsv")
    if os.path.exists(table):
        with open(table) as f:
            expected.extend(
                line for line in f.read().splitlines() if line.split("/")[0] not in readers
            )
    with open(table, "w") as f:
        f.write("\n".join(sorted(expected)) + "\n")


main()
