// The snnstudio module's iCE40 flow: estimate, quantize, boards, export_hardware, synth
// (docs/python.md, docs/hardware.md). Conversions only; every computation is core's.

#include "Bindings.h"
#include "Convert.h"
#include "Options.h"
#include "base/Error.h"
#include "hw/Exporter.h"
#include "hw/IceFlow.h"
#include "hw/Quantizer.h"
#include "hw/Synthesis.h"

#include <QCoreApplication>

#include <pybind11/stl.h>

namespace snnpy {
namespace {

using namespace snn;

// quantize()'s result: the integers the core computes with and the float graph on their grid.
struct PyQuantized {
    hw::QuantizedNetwork net;
    GraphPtr graph;
};

void bindEstimate(py::module_ &m)
{
    py::class_<hw::FitCheck>(m, "Estimate",
                             "Resources of the generated iCE40 core, before synthesis.")
        .def_property_readonly("logic_cells",
                               [](const hw::FitCheck &f) { return f.estimate.logicCells; })
        .def_property_readonly(
            "ebr", [](const hw::FitCheck &f) { return f.estimate.ebrBlocks; },
            "4 Kbit EBR blocks (SB_RAM40_4K).")
        .def_property_readonly(
            "spram", [](const hw::FitCheck &f) { return f.estimate.spramBlocks; },
            "SPRAM blocks (SB_SPRAM256KA) holding the weights.")
        .def_property_readonly("weight_bits",
                               [](const hw::FitCheck &f) { return f.estimate.weightBits; })
        .def_readonly("fits", &hw::FitCheck::fits)
        .def_readonly("weights_in_spram", &hw::FitCheck::spram)
        .def_property_readonly("message", [](const hw::FitCheck &f) { return str(f.message); })
        .def("__repr__", [](const hw::FitCheck &f) { return str(f.message); });
    m.def(
        "estimate",
        [](const Graph &graph, const std::string &board, int bits, int lanes, int steps,
           int membraneBits, const std::string &memory) {
            const hw::ExportOptions o =
                exportOptions(board, bits, lanes, steps, membraneBits, memory);
            py::gil_scoped_release release;
            return hw::checkFit(graph, o.quant, o.lanes, hw::board(o.board), o.weightMemory);
        },
        py::arg("graph"), py::kw_only(), py::arg("board") = "icebreaker", py::arg("bits") = 8,
        py::arg("lanes") = 4, py::arg("steps") = 16, py::arg("membrane_bits") = 16,
        py::arg("memory") = "auto",
        "Quantises the graph and estimates the core's logic cells, EBR and SPRAM blocks on the "
        "board, with the fit check's one-line message (what would fit when it does not).");
}

void bindQuantize(py::module_ &m)
{
    py::class_<hw::QuantLayer>(m, "QuantLayer",
                               "One layer in the integer domain: every value is in units of "
                               "1/scale of the float model (docs/hardware.md).")
        .def_property_readonly("name", [](const hw::QuantLayer &l) { return str(l.name); })
        .def_readonly("scale", &hw::QuantLayer::scale, "Integer units per float unit.")
        .def_property_readonly(
            "weights",
            [](const hw::QuantLayer &l) {
                return ownedInts(l.weights).reshape({l.neurons, l.inputs});
            },
            "int32 [n_neurons, n_inputs] (a copy), each in [-qmax, qmax].")
        .def_property_readonly(
            "bias", [](const hw::QuantLayer &l) { return ownedInts(l.bias); },
            "int32 [n_neurons] (a copy; zeros when the layer has none).")
        .def_readonly("threshold", &hw::QuantLayer::threshold)
        .def_readonly("leak_shift", &hw::QuantLayer::leakShift,
                      "0: no leak (IF); k >= 1: v -= v >> k (beta = 1 - 2^-k).")
        .def_property_readonly("reset",
                               [](const hw::QuantLayer &l) { return str(toString(l.reset)); })
        .def("__repr__", [](const hw::QuantLayer &l) {
            return str(QStringLiteral("QuantLayer('%1', %2 x %3, scale %4, threshold %5)")
                           .arg(l.name)
                           .arg(l.neurons)
                           .arg(l.inputs)
                           .arg(l.scale)
                           .arg(l.threshold));
        });
    py::class_<PyQuantized>(m, "QuantizedNetwork",
                            "A graph quantised for the iCE40 core: its integer layers and the "
                            "float graph that computes what they compute.")
        .def_property_readonly(
            "layers",
            [](const PyQuantized &q) { return std::vector<hw::QuantLayer>(q.net.layers); })
        .def_property_readonly("bits", [](const PyQuantized &q) { return q.net.config.weightBits; })
        .def_property_readonly("membrane_bits",
                               [](const PyQuantized &q) { return q.net.config.membraneBits; })
        .def_property_readonly("steps", [](const PyQuantized &q) { return q.net.config.steps; })
        .def_property_readonly("input_size", [](const PyQuantized &q) { return q.net.inputSize; })
        .def_readonly("graph", &PyQuantized::graph,
                      "The float graph on the integers' grid (weights w / scale, thresholds "
                      "theta / scale, beta = 1 - 2^-k): simulate or evaluate it to see what "
                      "quantisation costs; quantising it again gives the same integers.")
        .def("__repr__", [](const PyQuantized &q) {
            return str(QStringLiteral("QuantizedNetwork(%1 layers, %2-bit weights, %3-bit "
                                      "membranes)")
                           .arg(q.net.layers.size())
                           .arg(q.net.config.weightBits)
                           .arg(q.net.config.membraneBits));
        });
    m.def(
        "quantize",
        [](const Graph &graph, int bits, int membraneBits, int steps, double clipPercentile) {
            hw::QuantConfig config;
            config.weightBits = bits;
            config.membraneBits = membraneBits;
            config.steps = steps;
            config.clipPercentile = clipPercentile;
            py::gil_scoped_release release;
            PyQuantized q{hw::quantize(graph, config), nullptr};
            q.graph = std::make_shared<Graph>(hw::onGrid(graph, q.net));
            return q;
        },
        py::arg("graph"), py::kw_only(), py::arg("bits") = hw::QuantConfig{}.weightBits,
        py::arg("membrane_bits") = hw::QuantConfig{}.membraneBits,
        py::arg("steps") = hw::QuantConfig{}.steps,
        py::arg("clip_percentile") = hw::QuantConfig{}.clipPercentile,
        "Quantises a chain of spiking layers as the FPGA core computes it (what snnc export "
        "--bits and snnc optimize --quantized use): per layer a scale qmax / |W| (the "
        "clip_percentile of |W|; 100: the largest), rounded integer weights, bias and threshold, "
        "a shift leak. ValueError naming the layer for what the hardware cannot compute.");
}

void bindBuild(py::module_ &m)
{
    m.def(
        "boards", [] { return strings(hw::boardIds()); },
        "The board names estimate and synth take.");
    m.def(
        "export_hardware",
        [](const Graph &graph, const std::string &directory, const std::string &board, int bits,
           int lanes, int steps, int membraneBits, const std::string &memory, double clockMHz) {
            const hw::ExportOptions o =
                exportOptions(board, bits, lanes, steps, membraneBits, memory, clockMHz);
            const QString dir = qstr(directory);
            py::gil_scoped_release release;
            const hw::ExportResult r = hw::exportDesign(graph, o, dir);
            py::gil_scoped_acquire gil;
            return py::make_tuple(r.fit, strings(r.files));
        },
        py::arg("graph"), py::arg("directory"), py::kw_only(), py::arg("board") = "icebreaker",
        py::arg("bits") = 8, py::arg("lanes") = 4, py::arg("steps") = 16,
        py::arg("membrane_bits") = 16, py::arg("memory") = "auto", py::arg("clock_mhz") = 0.0,
        "Writes the hardware folder (snnc export): Verilog, memories, pcf, testbench, build.sh. "
        "clock_mhz: the core clock (0: automatic, the board's oscillator until synth measures "
        "fmax). Returns (estimate, files). ValueError when the design does not fit.");
    py::class_<hw::FlowReport>(m, "FlowReport",
                               "What yosys, nextpnr, icepack and icetime reported.")
        .def_readonly("logic_cells", &hw::FlowReport::logicCells)
        .def_readonly("logic_cells_available", &hw::FlowReport::logicCellsAvailable)
        .def_readonly("ebr", &hw::FlowReport::ebr)
        .def_readonly("ebr_available", &hw::FlowReport::ebrAvailable)
        .def_readonly("spram", &hw::FlowReport::spram)
        .def_readonly("spram_available", &hw::FlowReport::spramAvailable)
        .def_readonly("fmax_mhz", &hw::FlowReport::fmaxMHz)
        .def_readonly("target_mhz", &hw::FlowReport::targetMHz)
        .def_property_readonly("timing_met", &hw::FlowReport::timingMet)
        .def_property_readonly("bitstream",
                               [](const hw::FlowReport &r) { return str(r.bitstream); })
        .def_readonly("bitstream_bytes", &hw::FlowReport::bitstreamBytes)
        .def_property_readonly(
            "clock", [](const hw::FlowReport &r) { return str(r.clock); },
            "The core clock and why (an automatic one: the fmax it clears).")
        .def("to_dict", [](const hw::FlowReport &r) { return jsonToPython(r.toJson()); })
        .def("__str__", [](const hw::FlowReport &r) { return str(r.toText()); });
    m.def(
        "synth",
        [](const Graph &graph, const std::string &directory, const std::string &board, int bits,
           int lanes, int steps, int membraneBits, const std::string &memory, double clockMHz,
           py::object log) {
            const hw::ExportOptions o =
                exportOptions(board, bits, lanes, steps, membraneBits, memory, clockMHz);
            const QString dir = qstr(directory);
            ensureApplication();
            return Interruptible(py::none()).run([&](const RunControl &c) {
                const auto logLine = [&log](const QString &text) {
                    if (log.is_none())
                        return;
                    py::gil_scoped_acquire gil;
                    try {
                        log(str(text));
                    } catch (py::error_already_set &e) { // must not unwind through Qt's loop
                        e.discard_as_unraisable("snnstudio.synth log");
                    }
                };
                try {
                    return hw::synthesiseDesign(graph, o, dir, false, logLine, c.cancelRequested)
                        .report;
                } catch (const Cancelled &) {
                    throw;
                } catch (const Error &e) { // a tool failed: not bad input
                    throw std::runtime_error(e.what());
                }
            });
        },
        py::arg("graph"), py::arg("directory"), py::kw_only(), py::arg("board") = "icebreaker",
        py::arg("bits") = 8, py::arg("lanes") = 4, py::arg("steps") = 16,
        py::arg("membrane_bits") = 16, py::arg("memory") = "auto", py::arg("clock_mhz") = 0.0,
        py::arg("log") = py::none(),
        "Exports the design to directory and runs yosys, nextpnr-ice40, icepack and icetime there "
        "(snnc synth -o DIR); returns the FlowReport with the bitstream's path. clock_mhz 0 "
        "(automatic): a first run measures fmax, a second builds at the highest standard PLL "
        "clock 10% below it (FlowReport.clock says which and why). ValueError for bad "
        "input or a design that does not fit, RuntimeError when a tool fails, KeyboardInterrupt "
        "on Ctrl+C (the tool is stopped). log: None or a callable (text: str) given the tools' "
        "output. The GIL is released while the tools run.");
}

} // namespace

void bindHardware(py::module_ &m)
{
    bindEstimate(m);
    bindQuantize(m);
    bindBuild(m);
}

} // namespace snnpy
