#!/usr/bin/python3
"""Writes the seed corpus in tests/fuzz/corpus (issue 14): small real files in each format SNN
Studio reads, and mutations of them that each hit one check (the hostile-name corpus of issue 17,
sizes declared far beyond the graph, null or non-integral attributes, ...). expected.tsv holds the
one-line error (or OK) that tst_fuzzcorpus asserts for a seed; files the fuzzer adds later need no
entry. Run from the repository root after building snnc:

    /usr/bin/python3 tests/fuzz/make_corpus.py build/release/bin/snnc
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
        "label-2.5.h5: label 2.5 of sample 1 is not a class index (an integer >= 0)",
    )
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


def main():
    snnc = sys.argv[1]
    # The seeds are rewritten; crashes/ (every file that ever crashed a reader) is kept.
    for reader in ["graph", "nir", "dataset"]:
        shutil.rmtree(os.path.join(CORPUS, reader), ignore_errors=True)
    write_graphs()
    write_nirs(snnc)
    write_datasets()
    with open(os.path.join(CORPUS, "expected.tsv"), "w") as f:
        f.write("\n".join(sorted(expected)) + "\n")


main()
