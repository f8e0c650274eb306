// The snnstudio module's passes: available_passes, optimize, sweep and its results
// (docs/python.md, docs/passes.md). Conversions only; every computation is core's.

#include "Bindings.h"
#include "Convert.h"
#include "Options.h"
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
        "Every pass, in the default order.");
    m.def(
        "optimize",
        [](const GraphPtr &graph, const std::optional<std::vector<std::string>> &passes,
           float deadThreshold, float similarity, float normTolerance, float fusionActivity,
           const py::object &validate, int steps, const std::string &encoding, std::uint64_t seed,
           int limit, py::object progress) {
            const OptimizeOptions options =
                optimizeOptions(deadThreshold, similarity, normTolerance, fusionActivity, validate,
                                steps, encoding, seed, limit);
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
        py::arg("seed") = 1, py::arg("limit") = 0, py::arg("progress") = py::none(),
        (std::string("Runs the passes (None: all, in the default order) on a copy of the graph "
                     "and returns (optimized, report). Thresholds as in snnc optimize. validate: "
                     "a data set (see evaluate) on which accuracy is measured before and after "
                     "each pass. ") +
         kProgressDoc)
            .c_str());
}

void bindSweep(py::module_ &m)
{
    py::class_<SweepFigures>(m, "SweepFigures", "The figures of one graph in a sweep.")
        .def_property_readonly("params", [](const SweepFigures &f) { return f.size.params; })
        .def_property_readonly("neurons", [](const SweepFigures &f) { return f.size.neurons; })
        .def_property_readonly("layers", [](const SweepFigures &f) { return f.size.layers; })
        .def_readonly("estimate", &SweepFigures::fit,
                      "The Estimate on the sweep's board, or None when the core cannot run the "
                      "graph (not_estimated says why).")
        .def_property_readonly("not_estimated",
                               [](const SweepFigures &f) { return str(f.notEstimated); })
        .def_readonly("accuracy", &SweepFigures::accuracy, "With a validation set; else None.");
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
            const hw::ExportOptions hwOptions =
                exportOptions(board, bits, lanes, hw::QuantConfig{}.steps,
                              hw::QuantConfig{}.membraneBits, memory);
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
