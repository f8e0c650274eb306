// The snnstudio module's passes: available_passes, optimize, sweep and its results
// (docs/python.md, docs/passes.md). Conversions only; every computation is core's.

#include "Bindings.h"
#include "Convert.h"
#include "Options.h"
#include "hw/Boards.h"
#include "opt/Optimizer.h"
#include "opt/Sweep.h"

#include <pybind11/stl.h>

namespace snnpy {
namespace {

using namespace snn;

void bindOptimize(py::module_ &m)
{
    m.def(
        "available_passes", [] { return strings(availablePasses()); },
        "The retrain-free passes, in the default order (what optimize runs for None).");
    m.def(
        "all_passes", [] { return strings(allPasses()); },
        "Every pass: available_passes() and neuron_pruning (with a budget).");
    m.def(
        "optimize",
        [](const GraphPtr &graph, const std::optional<std::vector<std::string>> &passes,
           float deadThreshold, float similarity, float normTolerance, float fusionActivity,
           const py::object &validate, int steps, const std::string &encoding, std::uint64_t seed,
           int limit, const std::vector<int> &quantized, const std::string &board,
           const py::object &budgetCycles, const py::object &budgetKbit, const py::object &budgetLc,
           std::optional<double> targetLatency, std::optional<double> targetLc,
           py::object progress) {
            OptimizeOptions options =
                optimizeOptions(deadThreshold, similarity, normTolerance, fusionActivity, validate,
                                steps, encoding, seed, limit);
            options.hardwareBits = quantized;
            options.exactBits = quantized; // the deployed widths: the passes keep them exact
            options.hardware.steps = steps;
            options.deployment.board = hw::board(qstr(board)).id;
            options.budgetCycles = pruningBudget(budgetCycles, "budget_cycles");
            options.budgetKbit = pruningBudget(budgetKbit, "budget_kbit");
            options.budgetLogicCells = pruningBudget(budgetLc, "budget_lc");
            if (targetLatency && targetLc)
                throw Error(QStringLiteral("target_latency and target_lc exclude each other"));
            if (targetLatency)
                options.deployment.target = hw::Target::latency(*targetLatency);
            if (targetLc)
                options.deployment.target = hw::Target::logicCells(*targetLc);
            const QStringList names = passList(passes);
            OptimizeResult result =
                Interruptible(std::move(progress)).run([&](const RunControl &c) {
                    return snn::optimize(*graph, names, options, c);
                });
            return py::make_tuple(std::make_shared<Graph>(std::move(result.graph)),
                                  std::move(result.report));
        },
        py::arg("graph"), py::arg("passes") = py::none(), py::kw_only(),
        py::arg("dead_threshold") = OptimizeOptions{}.deadThreshold,
        py::arg("similarity") = OptimizeOptions{}.similarity,
        py::arg("norm_tolerance") = OptimizeOptions{}.normTolerance,
        py::arg("fusion_activity") = OptimizeOptions{}.fusionActivity,
        py::arg("validate") = py::none(), py::arg("steps") = 25, py::arg("encoding") = "rate",
        py::arg("seed") = 1, py::arg("limit") = 0, py::arg("quantized") = std::vector<int>{},
        py::arg("board") = "icebreaker", py::arg("budget_cycles") = py::none(),
        py::arg("budget_kbit") = py::none(), py::arg("budget_lc") = py::none(),
        py::arg("target_latency") = py::none(), py::arg("target_lc") = py::none(),
        py::arg("progress") = py::none(),
        (std::string("Runs the passes (None: the retrain-free ones, in the default order) on a "
                     "copy of the graph and returns (optimized, report). Thresholds as in snnc "
                     "optimize. validate: a data set (see evaluate) on which accuracy is measured "
                     "before and after each pass. quantized: the FPGA core's weight widths (snnc "
                     "--quantized): the passes keep it exact there and, with validate, its "
                     "accuracy and hardware figures on board are measured. budget_cycles, "
                     "budget_kbit, budget_lc: neuron_pruning's budgets, a number or 'N%'. "
                     "target_latency (ms) / target_lc (logic cells), with quantized: each graph's "
                     "lanes and memory for that target (snnc --target-latency / --target-lc); "
                     "ValueError when it is not met. ") +
         kProgressDoc)
            .c_str());
}

void bindSweep(py::module_ &m)
{
    py::class_<SweepFigures>(m, "SweepFigures", "The figures of one graph in a sweep.")
        .def_property_readonly("params", [](const SweepFigures &f) { return f.size.params; })
        .def_property_readonly("neurons", [](const SweepFigures &f) { return f.size.neurons; })
        .def_property_readonly("layers", [](const SweepFigures &f) { return f.size.layers; })
        .def_property_readonly(
            "estimate",
            [](const SweepFigures &f) {
                return f.hardware ? std::optional(f.hardware->fit) : std::nullopt;
            },
            "The Estimate on the sweep's board, or None when the core cannot run the graph "
            "(not_estimated says why).")
        .def_property_readonly("not_estimated",
                               [](const SweepFigures &f) { return str(f.notEstimated); })
        .def_readonly("accuracy", &SweepFigures::accuracy, "With a validation set; else None.")
        .def_property_readonly(
            "hardware",
            [](const SweepFigures &f) {
                return f.hardware ? jsonToPython(f.hardware->toJson()) : py::object(py::none());
            },
            "The hardware figures (as in Report.hardware's), or None when not estimated.");
    py::class_<SweepPoint>(m, "SweepPoint")
        .def_readonly("value", &SweepPoint::value)
        .def_readonly("figures", &SweepPoint::figures)
        .def_readonly("report", &SweepPoint::report, "What the passes did at this value.");
    py::class_<SweepResult>(m, "SweepResult")
        .def_property_readonly("parameter",
                               [](const SweepResult &r) { return str(toString(r.parameter)); })
        .def_property_readonly("board", [](const SweepResult &r) { return str(r.board); })
        .def_readonly("weight_bits", &SweepResult::weightBits)
        .def_readonly("lanes", &SweepResult::lanes)
        .def_readonly("before", &SweepResult::before, "The input graph's figures.")
        .def_readonly("points", &SweepResult::points, "One per value, in the given order.")
        .def(
            "to_dict", [](const SweepResult &r) { return jsonToPython(r.toJson()); },
            "The JSON of snnc sweep --json.")
        .def("to_csv", [](const SweepResult &r) { return str(r.toCsv()); })
        .def("__str__", [](const SweepResult &r) { return str(r.toText()); });
    m.def(
        "sweep",
        [](const GraphPtr &graph, const std::string &parameter, const std::vector<double> &values,
           const std::optional<std::vector<std::string>> &passes, float deadThreshold,
           float similarity, float normTolerance, float fusionActivity, const py::object &validate,
           int steps, const std::string &encoding, std::uint64_t seed, int limit,
           const std::string &board, int bits, int lanes, const std::string &memory,
           py::object progress) {
            SweepOptions options;
            options.parameter =
                kSweepParameterNames.parse(qstr(parameter), QStringLiteral("parameter"));
            options.values = values;
            options.passes = passList(passes);
            options.optimize =
                optimizeOptions(deadThreshold, similarity, normTolerance, fusionActivity, validate,
                                steps, encoding, seed, limit);
            // The core runs as many steps as the simulation for its cycles (as snnc sweep).
            const hw::ExportOptions hwOptions =
                exportOptions(board, bits, lanes, steps, hw::QuantConfig{}.membraneBits, memory);
            options.board = hwOptions.board;
            options.quant = hwOptions.quant;
            options.lanes = hwOptions.lanes;
            options.memory = hwOptions.weightMemory;
            return Interruptible(std::move(progress)).run([&](const RunControl &c) {
                return snn::sweep(*graph, options, c);
            });
        },
        py::arg("graph"), py::arg("parameter"), py::arg("values"), py::arg("passes") = py::none(),
        py::kw_only(), py::arg("dead_threshold") = OptimizeOptions{}.deadThreshold,
        py::arg("similarity") = OptimizeOptions{}.similarity,
        py::arg("norm_tolerance") = OptimizeOptions{}.normTolerance,
        py::arg("fusion_activity") = OptimizeOptions{}.fusionActivity,
        py::arg("validate") = py::none(), py::arg("steps") = 25, py::arg("encoding") = "rate",
        py::arg("seed") = 1, py::arg("limit") = 0, py::arg("board") = "icebreaker",
        py::arg("bits") = SweepOptions{}.quant.weightBits, py::arg("lanes") = SweepOptions{}.lanes,
        py::arg("memory") = "auto", py::arg("progress") = py::none(),
        (std::string("Sensitivity sweep (snnc sweep): the passes at each value of parameter "
                     "('dead-threshold', 'similarity', 'norm-tolerance', 'fusion-activity'), the "
                     "other thresholds as given; per point the size, the estimate on the board "
                     "and, with validate, the accuracy. The input graph is simulated once. ") +
         kProgressDoc)
            .c_str());
}

} // namespace

void bindPasses(py::module_ &m)
{
    bindOptimize(m);
    bindSweep(m);
}

} // namespace snnpy
