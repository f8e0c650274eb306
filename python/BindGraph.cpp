// The snnstudio module's layers and graphs: LayerNode, SNNGraph, load, export_nir, example_graph
// (docs/python.md). Conversions only; every computation is core's.

#include "Bindings.h"
#include "Convert.h"
#include "base/Error.h"
#include "graph/Example.h"
#include "io/GraphFile.h"
#include "nir/AnyGraphFile.h"
#include "nir/NirFile.h"

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

PyLayer makeLayer(const std::string &name, int nInputs, int nNeurons, const py::handle &weights,
                  const py::handle &rates, const py::handle &bias, const std::string &neuronType,
                  float threshold, std::optional<float> beta, const std::string &reset,
                  bool spiking, std::optional<std::string> source, float alpha,
                  const std::string &firing, float initialMembrane)
{
    auto layer = std::make_shared<Layer>();
    layer->name = qstr(name);
    const QString where = QStringLiteral("layer '%1'").arg(layer->name);
    if (nInputs <= 0 || nNeurons <= 0)
        throw Error(where + QStringLiteral(": n_inputs and n_neurons must be positive, not %1 "
                                           "and %2")
                                .arg(nInputs)
                                .arg(nNeurons));
    const RowMatrixXf w = rowMatrix(weights, where + QStringLiteral(": weights"));
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
    layer->neuron.type =
        kNeuronTypeNames.parse(qstr(neuronType), where + QStringLiteral(": neuron_type"));
    layer->neuron.reset = kResetModeNames.parse(qstr(reset), where + QStringLiteral(": reset"));
    layer->neuron.threshold = threshold;
    layer->neuron.beta = beta ? *beta : (layer->neuron.type == NeuronType::IF ? 1.0f : 0.9f);
    layer->neuron.spiking = spiking;
    layer->neuron.alpha = alpha;
    layer->neuron.firing = kFiringNames.parse(qstr(firing), where + QStringLiteral(": firing"));
    layer->neuron.initial = initialMembrane;
    if (const QString problem = neuronParamsProblem(layer->neuron); !problem.isEmpty())
        throw Error(where + QStringLiteral(": ") + problem);
    PyLayer result{std::move(layer), {}};
    if (source)
        result.source = qstr(*source);
    return result;
}

// NIR options with a given dt (it wins), or none (the file's or graph's own, docs/nir.md).
nir::NirOptions nirOptions(std::optional<double> dt)
{
    nir::NirOptions options;
    if (dt) {
        options.dt = *dt;
        options.dtFromFile = false;
    }
    return options;
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

// SNNGraph.layers: the graph's layers as a read-only sequence. A list that silently dropped an
// append (the seed tutorial's graph.layers.append(layer)) would lose the user's layer; its
// changes raise TypeError instead, saying how to make the graph wanted.
struct LayerList {
    GraphPtr graph;
};

[[noreturn]] void refuseChange(const LayerList &)
{
    throw py::type_error("SNNGraph.layers cannot be changed in place (the layers' arrays are "
                         "views of the graph): build a new graph, e.g. "
                         "SNNGraph(list(graph.layers) + [layer])");
}

void bindLayerList(py::module_ &m)
{
    auto list = py::class_<LayerList>(m, "LayerList",
                                      "An SNNGraph's layers in topological order, read-only: "
                                      "append, insert, remove and the like raise TypeError.");
    list.def("__len__", [](const LayerList &l) { return l.graph->layerCount(); })
        .def("__getitem__",
             [](const LayerList &l, int i) {
                 const int n = l.graph->layerCount();
                 if (i < -n || i >= n)
                     throw py::index_error("layer index out of range");
                 return graphLayers(l.graph)[std::size_t(i < 0 ? i + n : i)];
             })
        .def("__iter__",
             [](const LayerList &l) { return py::iter(py::cast(graphLayers(l.graph))); })
        .def("__add__",
             [](const LayerList &l, const py::iterable &other) {
                 py::list result = py::cast(graphLayers(l.graph));
                 for (const py::handle item : other)
                     result.append(item);
                 return result;
             })
        .def("__repr__", [](const LayerList &l) {
            return py::repr(py::cast(graphLayers(l.graph))).cast<std::string>();
        });
    for (const char *name : {"append", "insert", "extend", "remove", "pop", "clear", "sort",
                             "reverse", "__setitem__", "__delitem__", "__iadd__"})
        list.def(name, [](const LayerList &l, const py::args &) { refuseChange(l); });
}

void bindLayerNode(py::module_ &m)
{
    py::class_<PyLayer>(m, "LayerNode",
                        "A fully connected layer of spiking neurons. Standalone when built by the "
                        "user (its arrays are copied in); a graph's layer when read from "
                        "SNNGraph.layers (its arrays are views of the graph's memory).")
        .def(py::init(&makeLayer), py::arg("name"), py::arg("n_inputs"), py::arg("n_neurons"),
             py::arg("weights"), py::arg("firing_rates") = py::none(), py::arg("bias") = py::none(),
             py::kw_only(), py::arg("neuron_type") = "LIF", py::arg("threshold") = 1.0f,
             py::arg("beta") = py::none(), py::arg("reset") = "subtract", py::arg("spiking") = true,
             py::arg("source") = py::none(), py::arg("alpha") = 0.0f, py::arg("firing") = "above",
             py::arg("initial_membrane") = 0.0f,
             "weights: [n_neurons, n_inputs] (PyTorch's and NIR's order), or [n_inputs, n_neurons] "
             "(transposed here; n_inputs and n_neurons say which, a square matrix is taken as "
             "[n_neurons, n_inputs]). firing_rates: spikes per step of each neuron, in [0, 1]. "
             "beta defaults to 0.9 for LIF and 1 for IF. source: the name of the layer feeding "
             "this one, 'input' for the network input, None for the previous layer of the chain. "
             "alpha: a CubaLIF's synaptic decay (0 for LIF and IF); firing: 'above' (v > "
             "threshold) or 'at-or-above'; initial_membrane: the membrane at the first step. "
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
        .def_property_readonly("alpha", [](const PyLayer &l) { return l.layer->neuron.alpha; })
        .def_property_readonly(
            "firing", [](const PyLayer &l) { return str(toString(l.layer->neuron.firing)); })
        .def_property_readonly("initial_membrane",
                               [](const PyLayer &l) { return l.layer->neuron.initial; })
        .def_property_readonly(
            "neuron_values",
            [](const PyLayer &l) {
                py::dict values;
                const Layer &layer = *l.layer;
                const auto every = [&](float (Layer::*value)(int) const) {
                    Eigen::VectorXf v(layer.neurons());
                    for (int n = 0; n < layer.neurons(); ++n)
                        v(n) = (layer.*value)(n);
                    return py::array_t<float>(v.size(), v.data());
                };
                values["beta"] = every(&Layer::beta);
                values["threshold"] = every(&Layer::threshold);
                values["alpha"] = every(&Layer::alpha);
                values["initial_membrane"] = every(&Layer::initial);
                return values;
            },
            "Each neuron's beta, threshold, alpha and initial membrane (copies), as imported "
            "per neuron or the layer's value.")
        .def_property_readonly("total_params",
                               [](const PyLayer &l) { return l.layer->paramCount(); })
        .def("__repr__", [](const PyLayer &l) {
            return str(QStringLiteral("LayerNode('%1', n_inputs=%2, n_neurons=%3)")
                           .arg(l.layer->name)
                           .arg(l.layer->inputs())
                           .arg(l.layer->neurons()));
        });
}

void bindGraphClass(py::module_ &m)
{
    py::class_<Graph, GraphPtr>(m, "SNNGraph",
                                "A network of fully connected spiking layers (a chain, or a DAG "
                                "through the layers' sources).")
        .def(py::init(&makeGraph), py::arg("layers"), py::arg("input_size") = py::none(),
             "Copies the layers in. input_size defaults to the first layer's n_inputs. Raises "
             "ValueError naming the first problem (shapes, names, rates outside [0, 1]...).")
        .def_property_readonly(
            "layers", [](const GraphPtr &g) { return LayerList{g}; },
            "The layers in topological order, a read-only sequence (append and the like raise "
            "TypeError); their arrays are views of this graph's memory and keep it alive.")
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
            [](const Graph &g, const std::string &path, std::optional<double> dt) {
                const QString p = qstr(path);
                py::gil_scoped_release release;
                if (p.endsWith(QLatin1String(".nir"), Qt::CaseInsensitive))
                    nir::exportNir(g, p, nirOptions(dt));
                else
                    saveGraph(g, p);
            },
            py::arg("path"), py::arg("dt") = py::none(),
            "Writes the graph: NIR when the path ends in .nir (dt seconds per step; None: the "
            "graph's own, from its import, else 1e-4), else SNN Studio's HDF5 graph file "
            "(docs/file-format.md). Atomic: OSError with the system's reason when the write "
            "fails, and the previous file stays as it was.")
        .def_property_readonly("dt", &Graph::dt,
                               "The time step (s) the graph was imported with from NIR, or None.")
        .def_property_readonly(
            "input_shape",
            [](const Graph &g) -> py::object {
                if (g.inputShape().empty())
                    return py::none();
                return py::cast(g.inputShape());
            },
            "The input's shape before its Flatten (a NIR import of image input), or None.")
        .def("copy", [](const Graph &g) { return std::make_shared<Graph>(g); })
        .def("__len__", &Graph::layerCount)
        .def("__repr__", [](const Graph &g) {
            return str(QStringLiteral("SNNGraph(%1 layers, %2 inputs, %3 parameters)")
                           .arg(g.layerCount())
                           .arg(g.inputSize())
                           .arg(g.totalParams()));
        });
}

} // namespace

void bindGraph(py::module_ &m)
{
    bindLayerNode(m);
    bindLayerList(m);
    bindGraphClass(m);

    m.def(
        "load",
        [](const std::string &path, std::optional<double> dt) {
            const QString p = qstr(path);
            py::gil_scoped_release release;
            return std::make_shared<Graph>(loadAnyGraph(p, nirOptions(dt)));
        },
        py::arg("path"), py::arg("dt") = py::none(),
        "Reads an SNN Studio graph file or a NIR file (chosen by content). NIR is imported with "
        "dt seconds per step; None: the file's own, else its producer's (snnTorch 1e-4, Norse "
        "1e-3), else 1e-4 (docs/nir.md).");
    m.def(
        "export_nir",
        [](const Graph &g, const std::string &path, std::optional<double> dt) {
            const QString p = qstr(path);
            py::gil_scoped_release release;
            nir::exportNir(g, p, nirOptions(dt));
        },
        py::arg("graph"), py::arg("path"), py::arg("dt") = py::none(),
        "Writes the graph as NIR with dt seconds per step (None: the graph's own, else 1e-4).");
    m.def(
        "example_graph",
        [](std::uint64_t seed) { return std::make_shared<Graph>(exampleGraph(seed)); },
        py::arg("seed") = kExampleSeed,
        "The built-in example (snnc example): 784-256-64-10 LIF, synthetic rates.");
}

} // namespace snnpy
