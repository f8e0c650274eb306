// The snnstudio module's optimisation reports: GraphSize, AccuracyChange, LayerChange, PassReport,
// Report (docs/python.md, docs/passes.md). Conversions only; every computation is core's.

#include "Bindings.h"
#include "Convert.h"
#include "opt/Report.h"

#include <pybind11/stl.h>

namespace snnpy {

void bindReports(py::module_ &m)
{
    using namespace snn;
    py::class_<GraphSize>(m, "GraphSize")
        .def_readonly("params", &GraphSize::params)
        .def_readonly("neurons", &GraphSize::neurons)
        .def_readonly("layers", &GraphSize::layers)
        .def("__repr__", [](const GraphSize &s) {
            return str(QStringLiteral("GraphSize(params=%1, neurons=%2, layers=%3)")
                           .arg(s.params)
                           .arg(s.neurons)
                           .arg(s.layers));
        });
    py::class_<AccuracyChange>(m, "AccuracyChange",
                               "Accuracy before and after on the same input spikes.")
        .def_readonly("before", &AccuracyChange::before)
        .def_readonly("after", &AccuracyChange::after)
        .def_readonly("agreement", &AccuracyChange::agreement)
        .def_readonly("samples", &AccuracyChange::samples)
        .def_property_readonly("how", [](const AccuracyChange &a) { return str(a.how); });
    py::class_<LayerChange>(m, "LayerChange", "What one pass did to one layer.")
        .def_property_readonly("layer", [](const LayerChange &c) { return str(c.layer); })
        .def_readonly("neurons_before", &LayerChange::neuronsBefore)
        .def_readonly("neurons_after", &LayerChange::neuronsAfter)
        .def_readonly("removed", &LayerChange::removed)
        .def_readonly("merged", &LayerChange::merged)
        .def_readonly("groups", &LayerChange::groups)
        .def_readonly("never_fired", &LayerChange::neverFired)
        .def_readonly("skipped", &LayerChange::skipped,
                      "Changes left out: not exact on the deployed core.")
        .def_property_readonly("fused_into", [](const LayerChange &c) { return str(c.fusedInto); });
    py::class_<PassReport>(m, "PassReport", "What one pass did.")
        .def_property_readonly("name", [](const PassReport &p) { return str(p.pass); })
        .def_readonly("before", &PassReport::before)
        .def_readonly("after", &PassReport::after)
        .def_readonly("neurons_removed", &PassReport::neuronsRemoved)
        .def_readonly("neurons_merged", &PassReport::neuronsMerged)
        .def_readonly("layers_fused", &PassReport::layersFused)
        .def_readonly("layers", &PassReport::layers)
        .def_property_readonly("notes", [](const PassReport &p) { return strings(p.notes); })
        .def_property_readonly("warnings", [](const PassReport &p) { return strings(p.warnings); })
        .def_readonly("accuracy", &PassReport::accuracy)
        .def_readonly("skipped", &PassReport::skipped,
                      "Changes left out: not exact on the deployed core (notes say why).")
        .def_property_readonly(
            "core",
            [](const PassReport &p) {
                std::map<int, AccuracyChange> widths;
                for (const HardwareAccuracy::Width &w : p.core)
                    widths[w.weightBits] = w.accuracy;
                return widths;
            },
            "The bit-accurate core's accuracy before and after this pass, by weight width.")
        .def_property_readonly(
            "hardware",
            [](const PassReport &p) {
                return p.figures ? jsonToPython(p.figures->toJson()) : py::object(py::none());
            },
            "The hardware figures after this pass (a dict as in to_dict), or None.");
    const auto total = [](const Report &r, int PassReport::*field) {
        int n = 0;
        for (const PassReport &p : r.passReports)
            n += p.*field;
        return n;
    };
    py::class_<Report>(m, "Report", "The optimisation report (docs/passes.md).")
        .def_property_readonly("passes", [](const Report &r) { return strings(r.passes); })
        .def_readonly("before", &Report::before)
        .def_readonly("after", &Report::after)
        .def_property_readonly("params_before", [](const Report &r) { return r.before.params; })
        .def_property_readonly("params_after", [](const Report &r) { return r.after.params; })
        .def_property_readonly("neurons_before", [](const Report &r) { return r.before.neurons; })
        .def_property_readonly("neurons_after", [](const Report &r) { return r.after.neurons; })
        .def_property_readonly("compression_ratio", &Report::compressionRatio)
        .def_property_readonly(
            "dead_neurons_removed",
            [](const Report &r) {
                int n = 0;
                for (const PassReport &p : r.passReports)
                    n += p.pass == QLatin1String("dead_neuron_elimination") ? p.neuronsRemoved : 0;
                return n;
            },
            "Neurons removed by dead_neuron_elimination, all layers.")
        .def_property_readonly(
            "redundant_pairs_merged",
            [total](const Report &r) { return total(r, &PassReport::neuronsMerged); },
            "Neurons merged into a near-identical keeper (one pair each), all layers.")
        .def_property_readonly(
            "layers_fused", [total](const Report &r) { return total(r, &PassReport::layersFused); })
        .def_readonly("pass_reports", &Report::passReports, "One PassReport per pass, in order.")
        .def_readonly("pass_results", &Report::passReports,
                      "pass_reports under the seed tutorial's name.")
        .def_readonly("accuracy", &Report::accuracy,
                      "Over all passes, when a validation set was given; else None.")
        .def_property_readonly(
            "hardware",
            [](const Report &r) {
                return r.figures ? jsonToPython(r.figures->toJson()) : py::object(py::none());
            },
            "The FPGA core's hardware figures, {'before', 'after', 'after_same_configuration'} "
            "(snnc optimize --json's 'hardware'), when measured; else None.")
        .def(
            "summary", [](const Report &r) { return str(r.summary()); },
            "The text report snnc optimize prints.")
        .def(
            "to_dict", [](const Report &r) { return jsonToPython(r.toJson()); },
            "The JSON report (snnc optimize --json) as a dict.")
        .def("__str__", [](const Report &r) { return str(r.summary()); });
}

} // namespace snnpy
