"""The snnstudio module (docs/python.md), run by ctest through Debian's python3 (unittest).

Environment: PYTHONPATH holds the built module, SNNC is the snnc program (for round trips with
files that snnc writes and reads).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import unittest

import numpy as np

import snnstudio
from snnstudio import LayerNode, SNNGraph, optimize

SNNC = os.environ["SNNC"]


def snnc(*args):
    """Runs snnc; returns (exit code, stdout, stderr)."""
    p = subprocess.run([SNNC, *args], capture_output=True, text=True, check=False)
    return p.returncode, p.stdout, p.stderr


def tutorial_graph():
    """The seed tutorial's graph as its users write it: numpy's default_rng(42), weights
    [inputs, neurons], uniform rates with the first 30 of hidden1 zeroed (core/graph/Example.cpp's
    recipe, drawn by numpy)."""
    rng = np.random.default_rng(42)
    specs = [("hidden1", 784, 256, 0.05, 0.2), ("hidden2", 256, 64, 0.1, 0.15),
             ("output", 64, 10, 0.2, 0.5)]
    layers = []
    for name, n_in, n_out, w_scale, r_scale in specs:
        w = rng.normal(0.0, w_scale, size=(n_in, n_out)).astype(np.float32)
        r = (rng.uniform(0.0, 1.0, size=n_out) * r_scale).astype(np.float32)
        if name == "hidden1":
            r[:30] = 0.0
        layers.append(LayerNode(name, n_in, n_out, w, firing_rates=r))
    return SNNGraph(layers=layers)


def relay_graph(weight=2.0):
    """input(3) -> hidden(3) -> output(3), each neuron fed by the input of the same index: an IF
    neuron with threshold 1 fed a constant current 2 spikes at every step, fed 0 never."""
    eye = np.eye(3, dtype=np.float32) * weight
    return SNNGraph([LayerNode("hidden", 3, 3, eye, neuron_type="IF"),
                     LayerNode("output", 3, 3, eye, neuron_type="IF")])


class Tutorial(unittest.TestCase):
    def test_tutorial_numbers(self):
        graph = tutorial_graph()
        self.assertEqual(graph.total_params, 217_728)
        optimized, report = optimize(graph)
        self.assertEqual(optimized.total_params, 192_288)
        self.assertEqual(report.dead_neurons_removed, 30)
        self.assertEqual(report.redundant_pairs_merged, 0)
        self.assertEqual(report.layers_fused, 0)
        self.assertEqual([l.n_neurons for l in optimized.layers], [226, 64, 10])
        self.assertEqual(graph.total_params, 217_728)  # the input graph is never modified
        self.assertIn("Parameters:  217,728 -> 192,288 (-11.7%)", report.summary())
        self.assertEqual(str(report), report.summary())

        dead_only, report = optimize(graph, passes=["dead_neuron_elimination"])
        self.assertEqual(dead_only.total_params, 192_288)
        self.assertEqual(report.passes, ["dead_neuron_elimination"])
        self.assertEqual(report.dead_neurons_removed, 30)
        self.assertEqual(report.redundant_pairs_merged, 0)

    def test_report_fields(self):
        _, report = optimize(tutorial_graph())
        self.assertEqual([p.name for p in report.pass_reports], snnstudio.available_passes())
        dead = report.pass_reports[0]
        self.assertEqual((dead.before.params, dead.after.params), (217_728, 192_288))
        self.assertEqual(dead.neurons_removed, 30)
        self.assertEqual([(c.layer, c.neurons_before, c.neurons_after, c.removed)
                          for c in dead.layers][0], ("hidden1", 256, 226, 30))
        self.assertIsNone(report.accuracy)
        self.assertAlmostEqual(report.compression_ratio, 217_728 / 192_288)
        d = report.to_dict()
        self.assertEqual(d["before"], {"params": 217_728, "neurons": 330, "layers": 3})
        self.assertEqual(d["after"], {"params": 192_288, "neurons": 300, "layers": 3})
        self.assertEqual(d["accuracy"], "not measured")
        self.assertEqual(d["pass_reports"][0]["neurons_removed"], 30)

    def test_merge_keeps_function(self):
        # Two identical hidden neurons merge, their outgoing weights summed: outputs unchanged.
        rng = np.random.default_rng(1)
        w1 = rng.normal(0, 1, (4, 6)).astype(np.float32)
        w1[3] = w1[1]
        w2 = rng.normal(0, 1, (2, 4)).astype(np.float32)
        g = SNNGraph([LayerNode("h", 6, 4, w1, firing_rates=[0.5] * 4),
                      LayerNode("out", 4, 2, w2, neuron_type="IF")])
        merged, report = optimize(g, ["redundancy_elimination"])
        self.assertEqual(report.redundant_pairs_merged, 1)
        self.assertEqual(merged.layers[0].n_neurons, 3)
        np.testing.assert_array_equal(merged.layers[1].weights[:, 1], w2[:, 1] + w2[:, 3])
        x = (rng.uniform(0, 1, (20, 6)) > 0.5).astype(np.float32)
        np.testing.assert_array_equal(snnstudio.simulate(g, x)[-1],
                                      snnstudio.simulate(merged, x)[-1])

    def test_passes_exact_on_the_core(self):
        # quantized=[4]: the merge is made (or skipped, with a note) on the 4-bit grid, the core's
        # answers stay; the hardware figures before and after as in snnc optimize --json.
        rng = np.random.default_rng(1)
        w1 = rng.normal(0, 1, (4, 6)).astype(np.float32)
        w1[3] = w1[1]
        w2 = rng.normal(0, 1, (2, 4)).astype(np.float32)
        g = SNNGraph([LayerNode("h", 6, 4, w1, firing_rates=[0.5] * 4),
                      LayerNode("out", 4, 2, w2)])
        x = rng.uniform(0, 1, (30, 6)).astype(np.float32)
        y = np.arange(30) % 2
        _, report = optimize(g, ["redundancy_elimination"], validate=(x, y), steps=10,
                             quantized=[4])
        merge = report.pass_reports[0]
        self.assertEqual(merge.neurons_merged + merge.skipped, 1)
        self.assertEqual(list(merge.core), [4])
        self.assertEqual(merge.core[4].agreement, 1.0)
        self.assertEqual(set(report.hardware), {"before", "after", "after_same_configuration"})
        self.assertEqual(report.to_dict()["hardware"], report.hardware)
        self.assertEqual(report.hardware["after"]["samples"], 30)
        self.assertEqual(merge.hardware, report.hardware["after"])
        # A loose latency target: the smallest design, 1 lane in EBR; an impossible one raises.
        _, targeted = optimize(g, ["redundancy_elimination"], validate=(x, y), steps=10,
                               quantized=[4], target_latency=1000.0)
        config = targeted.hardware["before"]["config"]
        self.assertEqual(config["target"], {"kind": "latency_ms", "value": 1000.0})
        self.assertEqual((config["lanes"], config["memory"]), (1, "ebr"))
        with self.assertRaisesRegex(ValueError, r"^no configuration on the iCEBreaker meets the "
                                    r"target latency <= 0\.000001 ms: the fastest that fits"):
            optimize(g, validate=(x, y), steps=10, quantized=[4], target_latency=1e-6)
        self.assertIn("neuron_pruning", snnstudio.all_passes())
        self.assertNotIn("neuron_pruning", snnstudio.available_passes())
        with self.assertRaisesRegex(ValueError, "budget_kbit takes a number above 0 or 'N%'"):
            optimize(g, ["neuron_pruning"], budget_kbit="half")
        with self.assertRaisesRegex(ValueError, "neuron_pruning needs a budget"):
            optimize(g, ["neuron_pruning"])


class SeedTutorialNames(unittest.TestCase):
    def test_report_neurons_and_pass_results(self):
        _, report = optimize(tutorial_graph())
        self.assertEqual((report.neurons_before, report.neurons_after), (330, 300))
        self.assertEqual([p.name for p in report.pass_results],
                         [p.name for p in report.pass_reports])
        self.assertEqual(report.pass_results[0].neurons_removed, 30)

    def test_layers_cannot_be_changed_in_place(self):
        # The seed tutorial's graph.layers.append(layer) must not be dropped silently.
        g = tutorial_graph()
        extra = LayerNode("extra", 10, 4, np.ones((4, 10), np.float32))
        for change in (lambda: g.layers.append(extra), lambda: g.layers.insert(0, extra),
                       lambda: g.layers.remove(g.layers[0]), lambda: g.layers.pop(),
                       lambda: g.layers.__setitem__(0, extra), lambda: g.layers.clear()):
            with self.assertRaisesRegex(TypeError, r"SNNGraph.layers cannot be changed in place"):
                change()
        self.assertEqual(len(g.layers), 3)
        self.assertEqual(g.layers[-1].name, "output")
        with self.assertRaises(IndexError):
            g.layers[3]
        bigger = SNNGraph(list(g.layers) + [extra])
        self.assertEqual([l.name for l in bigger.layers], ["hidden1", "hidden2", "output", "extra"])
        self.assertEqual([l.name for l in g.layers + [extra]][-1], "extra")


class ProducerFiles(unittest.TestCase):
    DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")

    def test_conventions(self):
        synaptic = snnstudio.load(os.path.join(self.DATA, "snntorch", "synaptic.nir"))
        self.assertEqual(synaptic.dt, 1e-4)
        self.assertEqual([(l.neuron_type, l.reset) for l in synaptic.layers],
                         [("CubaLIF", "subtract-next")] * 3)
        self.assertAlmostEqual(synaptic.layers[0].alpha, 0.8, places=6)
        norse = snnstudio.load(os.path.join(self.DATA, "norse", "lifbox.nir"))
        self.assertEqual(norse.dt, 1e-3)  # Norse's default, said by snnc import
        starts = norse.layers[1].neuron_values["initial_membrane"]
        self.assertEqual(starts.shape, (8,))
        self.assertEqual((starts[0], starts[-1]), (0.0, 0.5))
        fine = snnstudio.load(os.path.join(self.DATA, "norse", "lifbox.nir"), dt=1e-4)
        self.assertEqual(fine.dt, 1e-4)
        self.assertAlmostEqual(fine.layers[0].beta, 1 - 1e-4 / 0.01, places=6)
        image = snnstudio.load(os.path.join(self.DATA, "snntorch", "flatten-leaky.nir"))
        self.assertEqual((image.input_size, image.input_shape), (144, [1, 12, 12]))
        per_neuron = snnstudio.load(os.path.join(self.DATA, "snntorch", "leaky-per-neuron.nir"))
        betas = per_neuron.layers[0].neuron_values["beta"]
        self.assertEqual(betas.shape, (12,))
        self.assertGreater(betas.max() - betas.min(), 0.1)


class Shapes(unittest.TestCase):
    def test_both_orders(self):
        w = np.arange(12, dtype=np.float32).reshape(4, 3)  # [neurons=4, inputs=3]
        a = LayerNode("a", 3, 4, w)
        b = LayerNode("b", 3, 4, w.T)  # [inputs, neurons]
        np.testing.assert_array_equal(a.weights, w)
        np.testing.assert_array_equal(b.weights, w)
        self.assertEqual(a.weights.shape, (4, 3))
        self.assertEqual((a.n_inputs, a.n_neurons, a.total_params), (3, 4, 12))

    def test_square_is_neurons_by_inputs(self):
        w = np.arange(9, dtype=np.float32).reshape(3, 3)
        np.testing.assert_array_equal(LayerNode("s", 3, 3, w).weights, w)

    def test_mismatch(self):
        with self.assertRaises(ValueError) as e:
            LayerNode("h", 5, 4, np.zeros((3, 5)))
        self.assertEqual(str(e.exception),
                         "layer 'h': weights have shape (3, 5), expected (n_neurons, n_inputs) = "
                         "(4, 5) or (n_inputs, n_neurons) = (5, 4)")

    def test_chain_mismatch(self):
        with self.assertRaises(ValueError) as e:
            SNNGraph([LayerNode("a", 3, 4, np.zeros((4, 3))), LayerNode("b", 5, 2, np.zeros((2, 5)))])
        self.assertEqual(str(e.exception),
                         "layer 'b': weights are [2 x 5] but its source 'a' gives 4 values")

    def test_dag_sources(self):
        g = SNNGraph([LayerNode("a", 3, 4, np.ones((4, 3))),
                      LayerNode("b", 4, 2, np.ones((2, 4))),
                      LayerNode("c", 4, 5, np.ones((5, 4)), source="a")])
        self.assertEqual([l.source for l in g.layers], ["input", "a", "a"])
        self.assertEqual(g.outputs, ["b", "c"])
        with self.assertRaises(ValueError) as e:
            SNNGraph([LayerNode("a", 3, 4, np.ones((4, 3)), source="z")])
        self.assertEqual(str(e.exception), "layer 'a': its source 'z' is not an earlier layer")


class Sweep(unittest.TestCase):
    def test_sweep_like_snnc(self):
        x = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]], dtype=np.float32)
        y = np.array([0, 1, 2, 0])
        g = snnstudio.rates(relay_graph(), (x[:2], y[:2]), steps=10, encoding="current")
        r = snnstudio.sweep(g, "dead-threshold", [0.6, 0.0], validate=(x, y), steps=10,
                            encoding="current", bits=4)
        self.assertEqual([p.value for p in r.points], [0.6, 0.0])
        self.assertEqual([p.figures.neurons for p in r.points], [6, 5])
        self.assertEqual(r.before.accuracy, 0.75)
        self.assertEqual(r.points[1].figures.accuracy, 0.5)
        self.assertEqual(r.points[1].report.dead_neurons_removed, 1)
        e = snnstudio.estimate(optimize(g)[0], bits=4, steps=10)  # the core at the sweep's steps
        self.assertEqual(r.points[1].figures.estimate.logic_cells, e.logic_cells)
        with tempfile.TemporaryDirectory() as d:
            model, data = os.path.join(d, "g.h5"), os.path.join(d, "data.h5")
            g.save(model)
            import h5py
            with h5py.File(data, "w") as f:
                f["x"], f["y"] = x, y
            code, out, _ = snnc("sweep", model, "--validate", data, "--encoding", "current",
                                "--steps", "10", "--param", "dead-threshold", "--values", "0.6,0",
                                "--bits", "4", "--json")
        self.assertEqual(code, 0)
        self.assertEqual(r.to_dict(), json.loads(out))
        with self.assertRaises(ValueError) as e:
            snnstudio.sweep(g, "threshold", [0.1])
        self.assertEqual(str(e.exception), "parameter takes dead-threshold, similarity, "
                                           "norm-tolerance, fusion-activity or budget-cycles, "
                                           "not 'threshold'")


class Views(unittest.TestCase):
    def test_graph_layers_are_views(self):
        g = tutorial_graph()
        w = g.layers[0].weights
        self.assertTrue(np.shares_memory(w, g.layers[0].weights))
        self.assertTrue(np.shares_memory(g.layers[0].firing_rates, g.layer("hidden1").firing_rates))
        w[0, 0] = 7.0
        self.assertEqual(g.layers[0].weights[0, 0], 7.0)
        # Writing a rate through the view is what optimize then sees.
        g.layers[0].firing_rates[30:40] = 0.0
        self.assertEqual(optimize(g)[1].dead_neurons_removed, 40)

    def test_view_keeps_graph_alive(self):
        g = tutorial_graph()
        w = g.layers[2].weights
        expected = w.copy()
        del g
        np.testing.assert_array_equal(w, expected)

    def test_constructor_copies(self):
        w = np.ones((2, 3), dtype=np.float32)
        node = LayerNode("a", 3, 2, w)
        w[0, 0] = 5.0
        self.assertEqual(node.weights[0, 0], 1.0)
        g = SNNGraph([node])
        g.layers[0].weights[0, 0] = 9.0
        self.assertEqual(node.weights[0, 0], 1.0)

    def test_optional_arrays(self):
        node = LayerNode("a", 3, 2, np.ones((2, 3)))
        self.assertIsNone(node.bias)
        self.assertIsNone(node.firing_rates)
        node = LayerNode("a", 3, 2, np.ones((2, 3)), bias=[0.5, -0.5])
        np.testing.assert_array_equal(node.bias, [0.5, -0.5])


class Errors(unittest.TestCase):
    def test_unknown_pass(self):
        with self.assertRaises(ValueError) as e:
            optimize(relay_graph(), passes=["dead_neuron_elimination", "prune"])
        self.assertEqual(str(e.exception),
                         "unknown pass 'prune' (valid passes: dead_neuron_elimination, "
                         "redundancy_elimination, layer_fusion, neuron_pruning)")

    def test_bad_threshold_and_unknown_keyword(self):
        with self.assertRaises(ValueError) as e:
            optimize(relay_graph(), dead_threshold=2.0)
        self.assertEqual(str(e.exception), "the dead threshold must be in [0, 1], not 2")
        with self.assertRaises(TypeError):
            optimize(relay_graph(), dead_treshold=0.1)

    def test_same_message_as_cli(self):
        with tempfile.TemporaryDirectory() as d:
            missing = os.path.join(d, "missing.h5")
            code, _, err = snnc("info", missing)
            self.assertEqual(code, 2)
            with self.assertRaises(ValueError) as e:
                snnstudio.load(missing)
            self.assertEqual("snnc: " + str(e.exception) + "\n", err)

    def test_bad_rates(self):
        with self.assertRaises(ValueError) as e:
            SNNGraph([LayerNode("a", 2, 2, np.eye(2), firing_rates=[0.5, 2.0])])
        self.assertEqual(str(e.exception), "layer 'a': firing rates must lie in [0, 1] (spikes per "
                                           "step), found 0.5 to 2")

    def test_bad_data(self):
        with self.assertRaises(ValueError) as e:
            snnstudio.evaluate(relay_graph(), (np.zeros((2, 3)), [0, 1, 2]))
        self.assertEqual(str(e.exception), "arrays: x has 2 samples but y has 3")

    def test_synth_keeps_the_bitstream(self):
        log = []
        with tempfile.TemporaryDirectory() as d:
            r = snnstudio.synth(relay_graph(), d, board="icestick", bits=4, lanes=1,
                                log=log.append)
            self.assertEqual(r.bitstream, os.path.join(d, "top.bin"))
            self.assertEqual(os.path.getsize(r.bitstream), r.bitstream_bytes)
        self.assertEqual((r.logic_cells_available, r.ebr_available), (1280, 16))
        self.assertGreater(r.logic_cells, 0)
        self.assertEqual(r.to_dict()["logic_cells"], {"used": r.logic_cells, "available": 1280})
        # The automatic clock: a run at the oscillator measures fmax, a second builds at the
        # highest standard PLL clock 10% below it.
        steps = ["== yosys\n", "== nextpnr\n", "== icepack\n", "== icetime\n"]
        clock = "== clock: %s\n" % r.clock
        self.assertEqual([line for line in log if line.startswith("== ")],
                         steps + [clock] + steps)
        self.assertRegex(r.clock, r"^\d+ MHz by the PLL \(auto: the highest standard clock 10% "
                                  r"below nextpnr's [0-9.]+ MHz fmax at 12 MHz\)$")
        self.assertEqual(r.target_mhz, float(r.clock.split(" ")[0]))
        self.assertTrue(r.timing_met)
        self.assertEqual(r.to_dict()["clock"], r.clock)

    def test_export_at_a_given_clock(self):
        with tempfile.TemporaryDirectory() as d:
            snnstudio.export_hardware(relay_graph(), d, board="icestick", bits=4, lanes=1,
                                       clock_mhz=18)
            with open(os.path.join(d, "README.md")) as f:
                self.assertIn("Core clock: 18 MHz by the PLL, as set.", f.read())
            with open(os.path.join(d, "snn_config.vh")) as f:
                self.assertIn("localparam CLKS_PER_BIT = 156;", f.read())  # 18 MHz / 115200
        with self.assertRaises(ValueError) as e:
            snnstudio.export_hardware(relay_graph(), "unused", clock_mhz=-1)
        self.assertEqual(str(e.exception),
                         "clock_mhz takes a frequency in MHz, or 0 for automatic, not -1")

    def test_tool_failure_is_runtime_error(self):
        path = os.environ["PATH"]
        os.environ["PATH"] = "/nonexistent"
        try:
            with tempfile.TemporaryDirectory() as d, self.assertRaises(RuntimeError) as e:
                snnstudio.synth(relay_graph(), d, board="icestick", bits=4, lanes=1)
        finally:
            os.environ["PATH"] = path
        self.assertIn("yosys", str(e.exception))


class Quantize(unittest.TestCase):
    def test_quantize_gives_the_cores_integers(self):
        g = tutorial_graph()
        q = snnstudio.quantize(g, bits=4)
        self.assertEqual((q.bits, q.membrane_bits, q.steps, q.input_size), (4, 16, 16, 784))
        self.assertEqual([l.name for l in q.layers], ["hidden1", "hidden2", "output"])
        for ql, l in zip(q.layers, g.layers):
            # qmax = 7 at 4 bits maps to the largest |w|; round half away from zero.
            self.assertEqual(ql.scale, 7 / float(np.abs(l.weights).max()))
            scaled = l.weights.astype(np.float64) * ql.scale
            expected = np.clip(np.sign(scaled) * np.floor(np.abs(scaled) + 0.5), -7, 7)
            self.assertEqual(ql.weights.shape, (l.n_neurons, l.n_inputs))
            np.testing.assert_array_equal(ql.weights, expected)
            self.assertEqual(ql.threshold, int(np.floor(1.0 * ql.scale + 0.5)))
            np.testing.assert_array_equal(ql.bias, np.zeros(l.n_neurons))
            self.assertEqual((ql.leak_shift, ql.reset), (3, "subtract"))  # beta 0.9 -> 1 - 2^-3
        # The float graph on the grid quantises back to the same integers.
        self.assertEqual(q.graph.total_params, g.total_params)
        again = snnstudio.quantize(q.graph, bits=4)
        for a, b in zip(again.layers, q.layers):
            np.testing.assert_array_equal(a.weights, b.weights)
            self.assertEqual(a.threshold, b.threshold)
        with self.assertRaises(ValueError) as e:
            snnstudio.quantize(g, bits=9)
        self.assertEqual(str(e.exception), "weight bits must be 2 to 8, got 9")


class Files(unittest.TestCase):
    def test_failed_save_is_os_error(self):
        """A save the system refuses (a file-size limit standing in for a full disk) raises
        OSError with snnc's one-line message and leaves the previous file as it was."""
        script = ("import resource, signal, sys, snnstudio\n"
                  "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
                  "resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))\n"
                  "try:\n"
                  "    snnstudio.example_graph().save(sys.argv[1])\n"
                  "except Exception as e:\n"
                  "    print(type(e).__name__)\n"
                  "    print(e)\n")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "g.h5")
            relay_graph().save(path)
            with open(path, "rb") as f:
                before = f.read()
            p = subprocess.run([sys.executable, "-c", script, path], capture_output=True,
                               text=True, check=False)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stdout.splitlines(),
                             ["OSError", f"cannot save {path}: file too large"])
            cli = subprocess.run(["prlimit", "--fsize=1000:1000", SNNC, "example", "-o", path],
                                 capture_output=True, text=True, check=False)
            self.assertEqual(cli.returncode, 1)
            self.assertEqual(cli.stderr, f"snnc: {p.stdout.splitlines()[1]}\n")
            with open(path, "rb") as f:
                self.assertEqual(f.read(), before)
            self.assertEqual(os.listdir(d), ["g.h5"])

    def test_round_trips_with_snnc(self):
        with tempfile.TemporaryDirectory() as d:
            ex = os.path.join(d, "example.h5")
            self.assertEqual(snnc("example", "-o", ex)[0], 0)
            loaded = snnstudio.load(ex)
            builtin = snnstudio.example_graph()
            self.assertEqual(loaded.total_params, 217_728)
            for a, b in zip(loaded.layers, builtin.layers):
                np.testing.assert_array_equal(a.weights, b.weights)
                np.testing.assert_array_equal(a.firing_rates, b.firing_rates)

            # Python writes, snnc reads: HDF5 and NIR.
            g = tutorial_graph()
            h5, nir = os.path.join(d, "t.h5"), os.path.join(d, "t.nir")
            g.save(h5)
            g.save(nir)
            code, out, _ = snnc("info", h5)
            self.assertEqual(code, 0)
            self.assertIn("217,728", out)
            back = os.path.join(d, "back.h5")
            self.assertEqual(snnc("import", nir, "-o", back)[0], 0)
            for path in (h5, nir, back):
                again = snnstudio.load(path)
                self.assertEqual([l.name for l in again.layers], ["hidden1", "hidden2", "output"])
                for a, b in zip(again.layers, g.layers):
                    np.testing.assert_array_equal(a.weights, b.weights)
                    np.testing.assert_array_equal(a.firing_rates, b.firing_rates)

            # The same report as snnc optimize --json.
            code, out, _ = snnc("optimize", h5, "--json", "-")
            self.assertEqual(code, 0)
            self.assertEqual(optimize(snnstudio.load(h5))[1].to_dict(), json.loads(out))
            snnstudio.export_nir(g, nir)
            self.assertEqual(snnstudio.load(nir).total_params, 217_728)


class Simulation(unittest.TestCase):
    def test_simulate(self):
        x = np.array([[1, 0, 1]] * 4, dtype=np.float32)
        hidden, out = snnstudio.simulate(relay_graph(), x)
        self.assertEqual(hidden.shape, (4, 3))
        np.testing.assert_array_equal(hidden, [[1, 0, 1]] * 4)
        # The output layer sees spikes 1 from step 0: current 2 > threshold 1 every step.
        np.testing.assert_array_equal(out, [[1, 0, 1]] * 4)

    def test_evaluate_and_rates(self):
        x = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]], dtype=np.float32)
        y = np.array([0, 1, 2, 0])
        g = relay_graph()
        a = snnstudio.evaluate(g, (x, y), steps=10, encoding="current")
        self.assertEqual(a.samples, 4)
        self.assertEqual(a.accuracy, 0.75)
        np.testing.assert_array_equal(a.predictions, [0, 1, 2, 1])
        np.testing.assert_array_equal(a.output_counts[1], [0, 10, 0])
        np.testing.assert_array_equal(a.rates[0], [0.25, 0.5, 0.25])
        self.assertEqual(snnstudio.evaluate(g, (x, y), encoding="current", limit=2).samples, 2)

        rated = snnstudio.rates(g, (x[:2], y[:2]), steps=10, encoding="current")
        self.assertIsNone(g.layers[0].firing_rates)
        np.testing.assert_array_equal(rated.layers[0].firing_rates, [0.5, 0.5, 0.0])
        optimized, report = optimize(rated, validate=(x, y), steps=10, encoding="current")
        # hidden[2] never fired on the first two samples; on the other two it carried the answer.
        self.assertEqual(report.dead_neurons_removed, 1)
        self.assertEqual(report.accuracy.before, 0.75)
        self.assertEqual(report.accuracy.after, 0.5)
        self.assertEqual(report.accuracy.agreement, 0.75)
        self.assertEqual(report.accuracy.samples, 4)

    def test_progress_and_stop(self):
        x = np.ones((4096, 3), dtype=np.float32)
        y = np.zeros(4096, dtype=int)
        seen = []
        snnstudio.evaluate(relay_graph(), (x, y), progress=lambda f, step: seen.append((f, step)))
        self.assertGreater(len(seen), 0)
        self.assertEqual({step for _, step in seen}, {"simulating"})
        self.assertEqual([f for f, _ in seen], sorted(f for f, _ in seen))
        seen.clear()
        optimize(tutorial_graph(), progress=lambda f, step: seen.append((f, step)))
        self.assertEqual(seen[0], (0.0, "dead_neuron_elimination"))
        self.assertEqual(seen[-1], (1.0, "done"))

        class Stop(Exception):
            pass

        def stop(fraction, step):
            raise Stop(step)

        with self.assertRaises(Stop) as e:
            snnstudio.evaluate(relay_graph(), (x, y), progress=stop)
        self.assertEqual(str(e.exception), "simulating")
        with self.assertRaises(Stop) as e:
            optimize(tutorial_graph(), progress=stop)
        self.assertEqual(str(e.exception), "dead_neuron_elimination")

    def test_keyboard_interrupt_stops_cleanly(self):
        # A long evaluation (minutes) with the GIL released; SIGINT from another thread reaches
        # the main thread's cancel check, which raises KeyboardInterrupt there.
        g = snnstudio.example_graph()
        rng = np.random.default_rng(0)
        x = rng.uniform(0, 1, (20000, 784)).astype(np.float32)
        y = np.zeros(20000, dtype=int)
        timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        with self.assertRaises(KeyboardInterrupt):
            snnstudio.evaluate(g, (x, y), steps=200)
        timer.join()
        # The module still works afterwards.
        self.assertEqual(snnstudio.evaluate(relay_graph(), (x[:2, :3], y[:2])).samples, 2)


class CliCasesThroughPython(unittest.TestCase):
    """snnc's bad-input cases through the module: the same check in core, the same words
    (issue 29). A file's message names the file where the module's names the arrays."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.graph = os.path.join(self.dir.name, "relay.h5")
        relay_graph().save(self.graph)

    def tearDown(self):
        self.dir.cleanup()

    def cli_error(self, *args):
        code, out, err = snnc(*args)
        self.assertEqual((code, out), (2, ""), err)
        self.assertTrue(err.startswith("snnc: ") and err.endswith("\n") and err.count("\n") == 1,
                        err)
        return err[len("snnc: "):-1]

    def py_error(self, call, *args, **kwargs):
        with self.assertRaises(ValueError) as e:
            call(*args, **kwargs)
        return str(e.exception)

    def test_simulate_input(self):
        import h5py
        path = os.path.join(self.dir.name, "in.h5")
        ok = np.array([[1.0, 0.0, 1.0]] * 4, dtype=np.float32)
        for value in [np.nan, np.inf, -np.inf]:
            x = ok.copy()
            x[1, 2] = value
            with h5py.File(path, "w") as f:
                f["current"] = x[np.newaxis]
            cli = self.cli_error("simulate", self.graph, "--input", path, "-o",
                                 os.path.join(self.dir.name, "out.h5"))
            self.assertEqual(cli.replace("in.h5: 'current'", "the input"),
                             self.py_error(snnstudio.simulate, relay_graph(), x))
            self.assertTrue(cli.endswith("at sample 0, step 1, input 2; currents are finite"), cli)
        with h5py.File(path, "w") as f:
            f["current"] = np.ones((1, 4, 2), dtype=np.float32)
        self.assertEqual(
            self.cli_error("simulate", self.graph, "--input", path, "-o",
                           os.path.join(self.dir.name, "out.h5")),
            self.py_error(snnstudio.simulate, relay_graph(), np.ones((4, 2), dtype=np.float32)))
        self.assertEqual(self.py_error(snnstudio.simulate, relay_graph(), np.ones((0, 3))),
                         "the input has shape [1 x 0 x 3]: nothing to simulate")
        with self.assertRaises(ValueError):
            snnstudio.simulate(relay_graph(), None)

    def data_cases(self):
        """(name, x, y) that snnc refuses in a data set file."""
        x = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]], dtype=np.float32)
        nan = x.copy()
        nan[2, 1] = np.nan
        return [("label-0.5", x, np.array([0, 0.5, 2, 1])),
                ("label-1e6", x, np.array([0, 1, 1000000, 1])),
                ("label-negative", x, np.array([0, -1, 2, 1])),
                ("x-nan", nan, np.array([0, 1, 2, 1])),
                ("x-above-1", x * 2, np.array([0, 1, 2, 1])),
                ("empty", x[:0], np.array([], dtype=np.int32))]

    def test_data_sets(self):
        import h5py
        for name, x, y in self.data_cases():
            with self.subTest(name):
                path = os.path.join(self.dir.name, name + ".h5")
                with h5py.File(path, "w") as f:
                    f["x"] = x
                    f["y"] = y
                shown = "empty.h5" if name == "empty" else path  # a set's name, its file's path
                for cli, py in [
                    (("eval", self.graph, "--data", path, "--encoding", "current"),
                     lambda data: snnstudio.evaluate(relay_graph(), data, encoding="current")),
                    (("optimize", self.graph, "--validate", path, "--encoding", "current", "-o",
                      os.path.join(self.dir.name, "o.h5")),
                     lambda data: optimize(relay_graph(), validate=data, encoding="current")),
                    (("rates", self.graph, "--data", path, "--split", "test", "--encoding",
                      "current", "-o", os.path.join(self.dir.name, "r.h5")),
                     lambda data: snnstudio.rates(relay_graph(), data, encoding="current")),
                ]:
                    message = self.cli_error(*cli)
                    self.assertTrue(message.startswith(shown + ": "), message)
                    # The same door (a file): the same message; arrays: the same words.
                    self.assertEqual(self.py_error(py, path), message)
                    self.assertEqual(self.py_error(py, (x, y)),
                                     "arrays: " + message[len(shown) + 2:])

    def test_bad_values(self):
        data = (np.eye(3, dtype=np.float32), np.array([0, 1, 2]))
        path = os.path.join(self.dir.name, "ok.h5")
        import h5py
        with h5py.File(path, "w") as f:
            f["x"], f["y"] = data
        for option, value, keyword in [("--steps", "0", {"steps": 0}),
                                       ("--steps", "100001", {"steps": 100001}),
                                       ("--encoding", "bogus", {"encoding": "bogus"})]:
            with self.subTest(option + " " + value):
                # The same words; each door names its own parameter (--encoding, encoding).
                cli = self.cli_error("eval", self.graph, "--data", path, option, value)
                self.assertEqual(cli.replace(option, option[2:]),
                                 self.py_error(snnstudio.evaluate, relay_graph(), data, **keyword))

    def test_nul_in_a_path(self):
        target = os.path.join(self.dir.name, "a")
        message = self.py_error(relay_graph().save, target + "\x00b.h5")
        self.assertEqual(message, "cannot save %s\\x00b.h5: the name contains a NUL character"
                         % target)
        self.assertFalse(os.path.exists(target))
        with self.assertRaises(ValueError):
            snnstudio.load(target + "\x00b.h5")


class Hardware(unittest.TestCase):
    def test_estimate_matches_cli(self):
        g = snnstudio.example_graph()
        e = snnstudio.estimate(g, board="icebreaker", bits=4)
        self.assertTrue(e.fits)
        self.assertGreater(e.logic_cells, 0)
        with tempfile.TemporaryDirectory() as d:
            ex = os.path.join(d, "example.h5")
            g.save(ex)
            # The same configuration on both sides: without --lanes, export picks the lanes.
            code, out, _ = snnc("export", ex, "--board", "icebreaker", "--bits", "4", "--lanes",
                                "4", "-o", os.path.join(d, "hw"))
            self.assertEqual(code, 0)
            self.assertIn(e.message, out.splitlines())
            code, _, stderr = snnc("export", ex, "--board", "icebreaker", "--memory", "flash",
                                   "-o", os.path.join(d, "unused"))
            self.assertIn(f"{e.logic_cells}", e.message)
        self.assertIn("icebreaker", snnstudio.boards())
        with self.assertRaises(ValueError) as err:
            snnstudio.estimate(g, board="nosuchboard")
        self.assertTrue(str(err.exception).startswith("unknown board 'nosuchboard'"))
        with self.assertRaises(ValueError) as err:
            snnstudio.estimate(g, memory="flash")
        self.assertEqual(str(err.exception), "--memory takes auto, ebr or spram, not 'flash'")
        self.assertEqual((code, stderr), (2, "snnc: " + str(err.exception) + "\n"))


def write_idx(path, array):
    """An IDX file (the MNIST format): magic 0 0 8 rank, big-endian sizes, unsigned bytes."""
    array = np.asarray(array, dtype=np.uint8)
    sizes = b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    with open(path, "wb") as f:
        f.write(bytes([0, 0, 8, array.ndim]) + sizes + array.tobytes())


def toy_data(directory):
    """120 training and 40 test samples of 4 x 4 pixels in 3 classes (class c lights the pixels
    whose index mod 3 is c) as IDX files in `directory`; and an untrained 16-8-3 network."""
    rng = np.random.default_rng(1)
    for prefix, n in (("train", 120), ("t10k", 40)):
        y = rng.integers(0, 3, n)
        lit = (np.arange(16)[None, :] % 3) == y[:, None]
        x = np.where(lit, rng.uniform(0.6, 1.0, (n, 16)), rng.uniform(0.0, 0.2, (n, 16)))
        write_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte"),
                  np.round(x * 255).reshape(n, 4, 4))
        write_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte"), y)
    return SNNGraph([LayerNode("hidden", 16, 8, rng.normal(0.2, 1.0, (8, 16))),
                     LayerNode("output", 8, 3, rng.normal(0.2, 1.0, (3, 8)))])


TINY_TRAINING = {"epochs": 1, "steps": 5, "batch": 16, "val_split": 20}


class Pipeline(unittest.TestCase):
    def test_pipeline_like_snnc(self):
        tools = ("yosys", "nextpnr-ice40", "icepack", "iverilog")
        if not all(shutil.which(t) for t in tools):
            self.skipTest("the iCE40 tools are not installed")
        with tempfile.TemporaryDirectory() as d:
            graph = toy_data(d)
            out = os.path.join(d, "out")
            lines = []
            r = snnstudio.pipeline(graph, d, out, board="icebreaker", training=TINY_TRAINING,
                                   progress=lambda f, line: lines.append((f, line)))
            self.assertEqual([f for f, _ in lines], [0.2, 0.4, 0.6, 0.8, 1.0])
            self.assertEqual([s["state"] for s in r.stages],
                             ["done", "done", "done", "skipped", "done"])
            self.assertEqual([line for _, line in lines][3], "Fine-tune (QAT): not run: not asked")
            self.assertTrue(lines[0][1].startswith("Training: done in "))
            self.assertTrue(r.summary.startswith("Pipeline: Training: 1 epoch, kept epoch 1"))
            # What snnc pipeline writes: the optimised graph, report.json, the hardware folder.
            saved = snnstudio.load(os.path.join(out, "optimized.h5"))
            self.assertEqual(saved.total_params, r.graph.total_params)
            self.assertEqual(r.report.params_after, r.graph.total_params)
            self.assertIsNotNone(r.report.accuracy)
            bitstream = os.path.join(out, "hardware", "top.bin")
            self.assertEqual(r.flow.bitstream, bitstream)
            self.assertEqual(os.path.getsize(bitstream), r.flow.bitstream_bytes)
            with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
                self.assertEqual(json.load(f), r.to_dict())
            self.assertEqual(r.to_dict()["hardware"]["flow"]["logic_cells"]["used"],
                             r.flow.logic_cells)

    def test_pipeline_bad_input_and_failures(self):
        with tempfile.TemporaryDirectory() as d:
            graph = toy_data(d)
            out = os.path.join(d, "out")
            with self.assertRaises(ValueError) as e:
                snnstudio.pipeline(graph, d, out, training={"epoch": 1})
            self.assertTrue(str(e.exception).startswith("training has no setting 'epoch' "
                                                        "(known: "))
            with self.assertRaises(ValueError) as e:
                snnstudio.pipeline(relay_graph(), d, out)
            self.assertEqual(str(e.exception), "the data set's samples have 16 features, the "
                                               "network takes 3 inputs")
            self.assertFalse(os.path.exists(out))  # refused before any work
            # A missing tool: the stage that failed, in one line; the graph and report written.
            path = os.environ["PATH"]
            os.environ["PATH"] = "/nonexistent"
            try:
                with self.assertRaises(RuntimeError) as e:
                    snnstudio.pipeline(graph, d, out, train=False)
            finally:
                os.environ["PATH"] = path
            self.assertTrue(str(e.exception).startswith(
                "Build: failed in "), str(e.exception))
            self.assertIn("Build failed at yosys (nothing was built): ", str(e.exception))
            self.assertTrue(os.path.exists(os.path.join(out, "optimized.h5")))
            self.assertTrue(os.path.exists(os.path.join(out, "report.json")))

            # A progress callback that raises stops the chain; its exception propagates.
            class Stop(Exception):
                pass

            def stop(fraction, line):
                raise Stop(line)

            with self.assertRaises(Stop) as e:
                snnstudio.pipeline(graph, d, out, training=TINY_TRAINING, build=False,
                                   progress=stop)
            self.assertTrue(str(e.exception).startswith("Training: done in "))
            with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
                states = [s["state"] for s in json.load(f)["stages"]]
            self.assertEqual(states[0], "done")
            self.assertIn("stopped", states)


if __name__ == "__main__":
    unittest.main()
