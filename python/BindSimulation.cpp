// The snnstudio module's simulation: Activity, evaluate, rates, simulate (docs/python.md,
// docs/simulation.md). Conversions only; every computation is core's.

#include "Bindings.h"
#include "Convert.h"
#include "Options.h"
#include "base/Error.h"
#include "sim/Sequences.h"
#include "sim/SpikeMonitor.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <limits>

namespace snnpy {

void bindSimulation(py::module_ &m)
{
    using namespace snn;
    py::class_<sim::Activity>(m, "Activity", "Measured activity on a data set.")
        .def_readonly("samples", &sim::Activity::samples)
        .def_readonly("steps", &sim::Activity::steps)
        .def_readonly("accuracy", &sim::Activity::accuracy)
        .def_property_readonly(
            "rates",
            [](const sim::Activity &a) {
                py::list list;
                for (const Eigen::VectorXf &r : a.rates)
                    list.append(r.size() ? py::object(ownedVector(r)) : py::object(py::none()));
                return list;
            },
            "Per layer: spikes per step of each neuron (None: non-spiking).")
        .def_property_readonly(
            "output_counts", [](const sim::Activity &a) { return ownedMatrix(a.outputCounts); },
            "[samples, outputs] output spike counts.")
        .def_property_readonly("predictions",
                               [](const sim::Activity &a) { return ownedInts(a.predictions); });
    const auto record = [](const Graph &graph, const py::object &data, int steps,
                           const std::string &encoding, std::uint64_t seed, int limit,
                           py::object progress) {
        const sim::SpikeMonitor monitor(simOptions(steps, encoding, seed));
        const sim::Dataset set = dataset(data, limit);
        return Interruptible(std::move(progress)).run([&](const RunControl &c) {
            return monitor.record(graph, set, c);
        });
    };
    const std::string dataDoc =
        std::string("data: a data set name or path as snnc's --data takes it ('fashion-mnist', "
                    "an IDX folder, an HDF5 file; its test set when it has one), or a tuple (x, "
                    "y): x [n, features] in [0, 1], y [n] class indices. limit: the first samples "
                    "only (0: all). ") +
        kProgressDoc;
    m.def("evaluate", record, py::arg("graph"), py::arg("data"), py::kw_only(),
          py::arg("steps") = 25, py::arg("encoding") = "rate", py::arg("seed") = 1,
          py::arg("limit") = 0, py::arg("progress") = py::none(),
          ("Simulates the data set and returns the Activity: accuracy, predictions, output "
           "counts, rates (snnc eval). " +
           dataDoc)
              .c_str());
    m.def(
        "rates",
        [record](const Graph &graph, const py::object &data, int steps, const std::string &encoding,
                 std::uint64_t seed, int limit, py::object progress) {
            const sim::Activity a = record(graph, data, steps, encoding, seed, limit, progress);
            auto result = std::make_shared<Graph>(graph);
            const QString label = py::isinstance<py::str>(data)
                                      ? sim::dataSetLabel(qstr(data.cast<std::string>()))
                                      : QStringLiteral("arrays");
            sim::SpikeMonitor::storeRates(
                *result, a,
                sim::measuredRatesSource(label, sim::kTestSplit, a.samples,
                                         simOptions(steps, encoding, seed)));
            return result;
        },
        py::arg("graph"), py::arg("data"), py::kw_only(), py::arg("steps") = 25,
        py::arg("encoding") = "rate", py::arg("seed") = 1, py::arg("limit") = 0,
        py::arg("progress") = py::none(),
        ("Measures every neuron's firing rate on the data set and returns a copy of the graph "
         "holding them (snnc rates). " +
         dataDoc)
            .c_str());
    m.def(
        "simulate",
        [](const Graph &graph, const py::object &input) {
            const RowMatrixXf x = rowMatrix(input, QStringLiteral("the input"));
            // Checked as snnc simulate checks a current, in core's words.
            SequenceInput in;
            in.kind = SequenceInput::Current;
            in.samples = 1;
            constexpr Eigen::Index kMaxInt = std::numeric_limits<int>::max();
            in.steps = int(std::min(x.rows(), kMaxInt));
            in.inputs = int(std::min(x.cols(), kMaxInt));
            in.values.assign(x.data(), x.data() + x.size());
            in.validate(QStringLiteral("the input"));
            in.checkFits(graph, in.steps);
            std::vector<Eigen::MatrixXf> outputs;
            {
                py::gil_scoped_release release;
                outputs = snn::simulate(graph, x);
            }
            py::list list;
            for (Eigen::MatrixXf &o : outputs)
                list.append(ownedMatrix(std::move(o)));
            return list;
        },
        py::arg("graph"), py::arg("input"),
        "One input sequence [steps, input_size] through the graph's dynamics; returns each "
        "layer's output per step ([steps, neurons], spikes as 0/1), in layer order.");
}

} // namespace snnpy
