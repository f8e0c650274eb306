// The snnstudio Python module: core's graph, passes, simulation and iCE40 flow, with numpy arrays
// for weights and data (docs/python.md). Conversions only; every computation is core's.

#include "Convert.h"
#include "base/Error.h"
#include "graph/Example.h"
#include "hw/Exporter.h"
#include "hw/IceFlow.h"
#include "hw/Quantizer.h"
#include "io/GraphFile.h"
#include "nir/AnyGraphFile.h"
#include "nir/NirFile.h"
#include "opt/Optimizer.h"
#include "opt/Sweep.h"
#include "sim/Sequences.h"
#include "sim/SpikeMonitor.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <pybind11/stl.h>

namespace snnpy {
namespace {

using namespace snn;

// A layer seen from Python: standalone (a LayerNode the user built, with the source it names, or
// none for "the previous layer of the chain") or one of a graph's layers, sharing the graph's
// memory (`layer` then aliases the graph, which it keeps alive).
struct PyLayer {
    std::shared_ptr<Layer> layer;
    std::optional<QString> source;
};

using GraphPtr = std::shared_ptr<Graph>;

// quantize()'s result: the integers the core computes with and the float graph on their grid.
struct PyQuantized {
    hw::QuantizedNetwork net;
    GraphPtr graph;
};

PyLayer makeLayer(const std::string &name, int nInputs, int nNeurons, const py::handle &weights,
                  const py::handle &rates, const py::handle &bias, const std::string &neuronType,
                  float threshold, std::optional<float> beta, const std::string &reset,
                  bool spiking, std::optional<std::string> source)
{
    auto layer = std::make_shared<Layer>();
    layer->name = qstr(name);
    const QString where = QStringLiteral("layer '%1'").arg(layer->name);
    if (nInputs <= 0 || nNeurons <= 0)
        throw Error(where + QStringLiteral(": n_inputs and n_neurons must be positive, not %1 "
                                           "and %2")
                                .arg(nInputs)
                                .arg(nNeurons));
    const sim::RowMatrixXf w = rowMatrix(weights, where + QStringLiteral(": weights"));
    // [n_neurons, n_inputs] as stored, or [n_inputs, n_neurons] as the seed's tutorial writes
    // them; a square matrix is taken as stored.
    if (w.rows() == nNeurons && w.cols() == nInputs)
        layer->weights = w;
    else if (w.rows() == nInputs && w.cols() == nNeurons)
        layer->weights = w.transpose();
    else
        throw Error(where + QStringLiteral(": weights have shape (%1, %2), expected (n_neurons, "
                                           "n_inputs) = (%3, %4) or (n_inputs, n_neurons) = "
                                           "(%4, %3)")
                                .arg(w.rows())
                                .arg(w.cols())
                                .arg(nNeurons)
                                .arg(nInputs));
    if (!rates.is_none())
        layer->rates = vector(rates, where + QStringLiteral(": firing_rates"));
    if (!bias.is_none())
        layer->bias = vector(bias, where + QStringLiteral(": bias"));
    if (!parseNeuronType(qstr(neuronType), &layer->neuron.type))
        throw Error(
            where +
            QStringLiteral(": neuron_type must be LIF or IF, not '%1'").arg(qstr(neuronType)));
    if (!parseResetMode(qstr(reset), &layer->neuron.reset))
        throw Error(
            where +
            QStringLiteral(": reset must be %1, not '%2'").arg(resetModeChoices(), qstr(reset)));
    layer->neuron.threshold = threshold;
    layer->neuron.beta = beta ? *beta : (layer->neuron.type == NeuronType::IF ? 1.0f : 0.9f);
    layer->neuron.spiking = spiking;
    PyLayer result{std::move(layer), {}};
    if (source)
        result.source = qstr(*source);
    return result;
}

GraphPtr makeGraph(const std::vector<PyLayer> &layers, std::optional<int> inputSize)
{
    if (layers.empty())
        throw Error(QStringLiteral("a graph needs at least one layer"));
    auto graph = std::make_shared<Graph>(inputSize ? *inputSize : layers.front().layer->inputs());
    LayerId previous = kNetworkInput;
    for (const PyLayer &node : layers) {
        Layer layer = *node.layer;
        layer.id = 0;
        layer.source = previous;
        if (node.source && *node.source == QLatin1String("input")) {
            layer.source = kNetworkInput;
        } else if (node.source) {
            const Layer *source = graph->findByName(*node.source);
            if (!source)
                throw Error(QStringLiteral("layer '%1': its source '%2' is not an earlier layer")
                                .arg(layer.name, *node.source));
            layer.source = source->id;
        }
        previous = graph->addLayer(std::move(layer));
    }
    graph->validate();
    return graph;
}

std::vector<PyLayer> graphLayers(const GraphPtr &graph)
{
    std::vector<PyLayer> result;
    for (const Layer &l : graph->layers())
        result.push_back(
            {std::shared_ptr<Layer>(graph, &graph->layer(l.id)), graph->sourceName(l)});
    return result;
}

QStringList passList(const std::optional<std::vector<std::string>> &names)
{
    if (!names)
        return availablePasses();
    QStringList list;
    for (const std::string &n : *names)
        list << qstr(n);
    return list;
}

sim::SimOptions simOptions(int steps, const std::string &encoding, std::uint64_t seed)
{
    sim::SimOptions o;
    o.steps = steps;
    o.seed = seed;
    if (!sim::parseEncoding(qstr(encoding), &o.encoding))
        throw Error(
            QStringLiteral("encoding must be rate or current, not '%1'").arg(qstr(encoding)));
    o.validate();
    return o;
}

hw::ExportOptions exportOptions(const std::string &board, int bits, int lanes, int steps,
                                int membraneBits, const std::string &memory)
{
    hw::ExportOptions o;
    o.board = hw::board(qstr(board)).id;
    o.quant.weightBits = bits;
    o.quant.steps = steps;
    o.quant.membraneBits = membraneBits;
    o.lanes = lanes;
    o.weightMemory = hw::parseWeightMemory(qstr(memory));
    o.quant.validate();
    return o;
}

OptimizeOptions optimizeOptions(float deadThreshold, float similarity, float normTolerance,
                                float fusionActivity, const py::object &validate, int steps,
                                const std::string &encoding, std::uint64_t seed, int limit)
{
    OptimizeOptions options;
    options.deadThreshold = deadThreshold;
    options.similarity = similarity;
    options.normTolerance = normTolerance;
    options.fusionActivity = fusionActivity;
    if (!validate.is_none()) {
        auto set = std::make_shared<ValidationSet>();
        set->simulation = simOptions(steps, encoding, seed);
        set->data = dataset(validate, limit);
        options.validation = std::move(set);
    }
    return options;
}

py::object jsonToPython(const QJsonObject &object)
{
    return py::module_::import("json").attr("loads")(
        QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString());
}

const char *kProgressDoc =
    "progress: None or a callable (fraction: float, step: str) called as the work goes on. "
    "Raising an exception in it stops the work and propagates; Ctrl+C (KeyboardInterrupt) stops it "
    "cleanly as well. The GIL is released while the work runs.";

} // namespace
} // namespace snnpy

PYBIND11_MODULE(snnstudio, m)
{
    using namespace snn;
    using namespace snnpy;
    m.doc() =
        "SNN Studio's engine in Python: build or load a spiking neural network graph, measure "
        "its firing rates and accuracy, run the optimisation passes, estimate and build it "
        "for an iCE40 FPGA. See docs/python.md.";

    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p)
                std::rethrow_exception(p);
        } catch (const Cancelled &) {
            PyErr_SetNone(PyExc_KeyboardInterrupt);
        } catch (const SaveError &e) { // the system refused a write: not the input's fault
            PyErr_SetString(PyExc_OSError, e.what());
        } catch (const Error &e) {
            PyErr_SetString(PyExc_ValueError, e.what());
        }
    });

    // ---- Layers and graphs
    py::class_<PyLayer>(m, "LayerNode",
                        "A fully connected layer of spiking neurons. Standalone when built by the "
                        "user (its arrays are copied in); a graph's layer when read from "
                        "SNNGraph.layers (its arrays are views of the graph's memory).")
        .def(py::init(&makeLayer), py::arg("name"), py::arg("n_inputs"), py::arg("n_neurons"),
             py::arg("weights"), py::arg("firing_rates") = py::none(), py::arg("bias") = py::none(),
             py::kw_only(), py::arg("neuron_type") = "LIF", py::arg("threshold") = 1.0f,
             py::arg("beta") = py::none(), py::arg("reset") = "subtract", py::arg("spiking") = true,
             py::arg("source") = py::none(),
             "weights: [n_neurons, n_inputs] (PyTorch's and NIR's order), or [n_inputs, n_neurons] "
             "(transposed here; n_inputs and n_neurons say which, a square matrix is taken as "
             "[n_neurons, n_inputs]). firing_rates: spikes per step of each neuron, in [0, 1]. "
             "beta defaults to 0.9 for LIF and 1 for IF. source: the name of the layer feeding "
             "this one, 'input' for the network input, None for the previous layer of the chain. "
             "The arrays are copied.")
        .def_property_readonly("name", [](const PyLayer &l) { return str(l.layer->name); })
        .def_property_readonly("n_inputs", [](const PyLayer &l) { return l.layer->inputs(); })
        .def_property_readonly("n_neurons", [](const PyLayer &l) { return l.layer->neurons(); })
        .def_property_readonly(
            "source",
            [](const PyLayer &l) {
                return l.source ? std::optional(str(*l.source)) : std::nullopt;
            },
            "The source layer's name, 'input', or None (a standalone layer of a chain).")
        .def_property_readonly(
            "weights", [](const PyLayer &l) { return matrixView(l.layer, l.layer->weights); },
            "[n_neurons, n_inputs] float32, a view (no copy): writing to it changes the layer.")
        .def_property_readonly(
            "bias",
            [](const PyLayer &l) -> py::object {
                if (!l.layer->hasBias())
                    return py::none();
                return vectorView(l.layer, l.layer->bias);
            },
            "[n_neurons] float32 view, or None without bias.")
        .def_property_readonly(
            "firing_rates",
            [](const PyLayer &l) -> py::object {
                if (!l.layer->hasRates())
                    return py::none();
                return vectorView(l.layer, l.layer->rates);
            },
            "[n_neurons] float32 view (spikes per step), or None when not measured.")
        .def_property_readonly("neuron_type",
                               [](const PyLayer &l) { return str(toString(l.layer->neuron.type)); })
        .def_property_readonly("threshold",
                               [](const PyLayer &l) { return l.layer->neuron.threshold; })
        .def_property_readonly("beta", [](const PyLayer &l) { return l.layer->neuron.beta; })
        .def_property_readonly(
            "reset", [](const PyLayer &l) { return str(toString(l.layer->neuron.reset)); })
        .def_property_readonly("spiking", [](const PyLayer &l) { return l.layer->neuron.spiking; })
        .def_property_readonly("total_params",
                               [](const PyLayer &l) { return l.layer->paramCount(); })
        .def("__repr__", [](const PyLayer &l) {
            return str(QStringLiteral("LayerNode('%1', n_inputs=%2, n_neurons=%3)")
                           .arg(l.layer->name)
                           .arg(l.layer->inputs())
                           .arg(l.layer->neurons()));
        });

    py::class_<Graph, GraphPtr>(m, "SNNGraph",
                                "A network of fully connected spiking layers (a chain, or a DAG "
                                "through the layers' sources).")
        .def(py::init(&makeGraph), py::arg("layers"), py::arg("input_size") = py::none(),
             "Copies the layers in. input_size defaults to the first layer's n_inputs. Raises "
             "ValueError naming the first problem (shapes, names, rates outside [0, 1]...).")
        .def_property_readonly("layers", &graphLayers,
                               "The layers in topological order; their arrays are views of this "
                               "graph's memory and keep it alive.")
        .def_property_readonly("input_size", &Graph::inputSize)
        .def_property_readonly("total_params", &Graph::totalParams, "Weights plus biases.")
        .def_property_readonly("total_neurons", &Graph::totalNeurons)
        .def_property_readonly("outputs",
                               [](const Graph &g) {
                                   std::vector<std::string> names;
                                   for (LayerId id : g.outputs())
                                       names.push_back(str(g.layer(id).name));
                                   return names;
                               })
        .def(
            "layer",
            [](const GraphPtr &g, const std::string &name) {
                const Layer *l = g->findByName(qstr(name));
                if (!l)
                    throw Error(QStringLiteral("no layer named '%1'").arg(qstr(name)));
                return PyLayer{std::shared_ptr<Layer>(g, &g->layer(l->id)), g->sourceName(*l)};
            },
            py::arg("name"))
        .def(
            "save",
            [](const Graph &g, const std::string &path, double dt) {
                const QString p = qstr(path);
                py::gil_scoped_release release;
                if (p.endsWith(QLatin1String(".nir"), Qt::CaseInsensitive))
                    nir::exportNir(g, p, {dt});
                else
                    saveGraph(g, p);
            },
            py::arg("path"), py::arg("dt") = 1e-4,
            "Writes the graph: NIR when the path ends in .nir (dt seconds per step), else SNN "
            "Studio's HDF5 graph file (docs/file-format.md). Atomic: OSError with the system's "
            "reason when the write fails, and the previous file stays as it was.")
        .def("copy", [](const Graph &g) { return std::make_shared<Graph>(g); })
        .def("__len__", &Graph::layerCount)
        .def("__repr__", [](const Graph &g) {
            return str(QStringLiteral("SNNGraph(%1 layers, %2 inputs, %3 parameters)")
                           .arg(g.layerCount())
                           .arg(g.inputSize())
                           .arg(g.totalParams()));
        });

    m.def(
        "load",
        [](const std::string &path, double dt) {
            const QString p = qstr(path);
            py::gil_scoped_release release;
            return std::make_shared<Graph>(loadAnyGraph(p, {dt}));
        },
        py::arg("path"), py::arg("dt") = 1e-4,
        "Reads an SNN Studio graph file or a NIR file (chosen by content; NIR is imported with dt "
        "seconds per step).");
    m.def(
        "export_nir",
        [](const Graph &g, const std::string &path, double dt) {
            const QString p = qstr(path);
            py::gil_scoped_release release;
            nir::exportNir(g, p, {dt});
        },
        py::arg("graph"), py::arg("path"), py::arg("dt") = 1e-4);
    m.def(
        "example_graph",
        [](std::uint64_t seed) { return std::make_shared<Graph>(exampleGraph(seed)); },
        py::arg("seed") = kExampleSeed,
        "The built-in example (snnc example): 784-256-64-10 LIF, synthetic rates.");

    // ---- Reports
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
        .def_property_readonly("fused_into", [](const LayerChange &c) { return str(c.fusedInto); });
    const auto strings = [](const QStringList &list) {
        std::vector<std::string> result;
        for (const QString &s : list)
            result.push_back(str(s));
        return result;
    };
    py::class_<PassReport>(m, "PassReport", "What one pass did.")
        .def_property_readonly("name", [](const PassReport &p) { return str(p.pass); })
        .def_readonly("before", &PassReport::before)
        .def_readonly("after", &PassReport::after)
        .def_readonly("neurons_removed", &PassReport::neuronsRemoved)
        .def_readonly("neurons_merged", &PassReport::neuronsMerged)
        .def_readonly("layers_fused", &PassReport::layersFused)
        .def_readonly("layers", &PassReport::layers)
        .def_property_readonly("notes", [strings](const PassReport &p) { return strings(p.notes); })
        .def_property_readonly("warnings",
                               [strings](const PassReport &p) { return strings(p.warnings); })
        .def_readonly("accuracy", &PassReport::accuracy);
    const auto total = [](const Report &r, int PassReport::*field) {
        int n = 0;
        for (const PassReport &p : r.passReports)
            n += p.*field;
        return n;
    };
    py::class_<Report>(m, "Report", "The optimisation report (docs/passes.md).")
        .def_property_readonly("passes", [strings](const Report &r) { return strings(r.passes); })
        .def_readonly("before", &Report::before)
        .def_readonly("after", &Report::after)
        .def_property_readonly("params_before", [](const Report &r) { return r.before.params; })
        .def_property_readonly("params_after", [](const Report &r) { return r.after.params; })
        .def_property_readonly("compression_ratio", &Report::compressionRatio)
        .def_property_readonly(
            "dead_neurons_removed",
            [total](const Report &r) { return total(r, &PassReport::neuronsRemoved); },
            "Neurons removed by dead_neuron_elimination, all layers.")
        .def_property_readonly(
            "redundant_pairs_merged",
            [total](const Report &r) { return total(r, &PassReport::neuronsMerged); },
            "Neurons merged into a near-identical keeper (one pair each), all layers.")
        .def_property_readonly(
            "layers_fused", [total](const Report &r) { return total(r, &PassReport::layersFused); })
        .def_readonly("pass_reports", &Report::passReports, "One PassReport per pass, in order.")
        .def_readonly("accuracy", &Report::accuracy,
                      "Over all passes, when a validation set was given; else None.")
        .def(
            "summary", [](const Report &r) { return str(r.summary()); },
            "The text report snnc optimize prints.")
        .def(
            "to_dict", [](const Report &r) { return jsonToPython(r.toJson()); },
            "The JSON report (snnc optimize --json) as a dict.")
        .def("__str__", [](const Report &r) { return str(r.summary()); });

    // ---- Passes
    m.def(
        "available_passes", [strings] { return strings(availablePasses()); },
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
            options.parameter = parseSweepParameter(qstr(parameter));
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

    // ---- Simulation
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
            const Eigen::MatrixXf x = rowMatrix(input, QStringLiteral("the input"));
            graph.validate();
            if (x.cols() != graph.inputSize())
                throw Error(QStringLiteral("the input has %1 columns, the graph takes %2 inputs")
                                .arg(x.cols())
                                .arg(graph.inputSize()));
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

    // ---- Hardware
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
    m.def(
        "boards", [strings] { return strings(hw::boardIds()); },
        "The board names estimate and synth take.");
    m.def(
        "export_hardware",
        [strings](const Graph &graph, const std::string &directory, const std::string &board,
                  int bits, int lanes, int steps, int membraneBits, const std::string &memory) {
            const hw::ExportOptions o =
                exportOptions(board, bits, lanes, steps, membraneBits, memory);
            const QString dir = qstr(directory);
            py::gil_scoped_release release;
            const hw::ExportResult r = hw::exportDesign(graph, o, dir);
            py::gil_scoped_acquire gil;
            return py::make_tuple(r.fit, strings(r.files));
        },
        py::arg("graph"), py::arg("directory"), py::kw_only(), py::arg("board") = "icebreaker",
        py::arg("bits") = 8, py::arg("lanes") = 4, py::arg("steps") = 16,
        py::arg("membrane_bits") = 16, py::arg("memory") = "auto",
        "Writes the hardware folder (snnc export): Verilog, memories, pcf, testbench, build.sh. "
        "Returns (estimate, files). ValueError when the design does not fit.");
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
        .def("to_dict", [](const hw::FlowReport &r) { return jsonToPython(r.toJson()); })
        .def("__str__", [](const hw::FlowReport &r) { return str(r.toText()); });
    m.def(
        "synth",
        [](const Graph &graph, const std::string &directory, const std::string &board, int bits,
           int lanes, int steps, int membraneBits, const std::string &memory, py::object log) {
            const hw::ExportOptions o =
                exportOptions(board, bits, lanes, steps, membraneBits, memory);
            const QString dir = qstr(directory);
            ensureApplication();
            return Interruptible(py::none()).run([&](const RunControl &c) {
                hw::exportDesign(graph, o, dir);
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
                    return hw::runFlow(hw::flowOptions(dir, hw::board(o.board)), logLine,
                                       c.cancelRequested);
                } catch (const Cancelled &) {
                    throw;
                } catch (const Error &e) { // a tool failed: not bad input
                    throw std::runtime_error(e.what());
                }
            });
        },
        py::arg("graph"), py::arg("directory"), py::kw_only(), py::arg("board") = "icebreaker",
        py::arg("bits") = 8, py::arg("lanes") = 4, py::arg("steps") = 16,
        py::arg("membrane_bits") = 16, py::arg("memory") = "auto", py::arg("log") = py::none(),
        "Exports the design to directory and runs yosys, nextpnr-ice40, icepack and icetime there "
        "(snnc synth -o DIR); returns the FlowReport with the bitstream's path. ValueError for bad "
        "input or a design that does not fit, RuntimeError when a tool fails, KeyboardInterrupt "
        "on Ctrl+C (the tool is stopped). log: None or a callable (text: str) given the tools' "
        "output. The GIL is released while the tools run.");
    bindPipeline(m);
}
