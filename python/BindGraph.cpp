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
}

void bindGraphClass(py::module_ &m)
{
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
}

} // namespace

void bindGraph(py::module_ &m)
{
    bindLayerNode(m);
    bindGraphClass(m);

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
}

} // namespace snnpy
