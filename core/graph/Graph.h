#pragma once

#include "graph/Layer.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace snn {

// Why a layer cannot have these neuron parameters ("threshold must be a positive number, not 0"),
// or an empty string when it can. Shared by validate() and the studio's parameter edit, which
// checks them without copying the graph.
QString neuronParamsProblem(const NeuronParams &params);
// Why a layer's per-neuron values (Layer::perNeuron) do not fit its `neurons` (-1: its weights'
// rows; the file summary reads no weights), or an empty string.
QString perNeuronProblem(const Layer &layer, int neurons = -1);

// "the input shape [2 x 3] does not hold the 4 inputs" when a non-empty `shape` does not multiply
// to `inputSize`; empty when it does (or there is no shape).
QString inputShapeProblem(const std::vector<int> &shape, int inputSize);

// Why a layer's values other than its weights (bias, firing rates, neuron parameters) are not
// ones a graph may hold ("firing rates must lie in [0, 1] (spikes per step), found 0 to 1.5"), or
// an empty string. Shared by validate() and the file summary (snnc info), which reads no weights.
QString layerValuesProblem(const Layer &layer);

// Why weights of [rows x cols] do not fit a source (`sourceName`) that gives `sourceSize` values
// ("weights are [3 x 2] but its source 'hidden' gives 3 values (the transpose [2 x 3] would
// fit: ...)"), or an empty string when they fit. Shared by validate() and the file readers,
// which check declared shapes before reading any data.
QString weightsShapeProblem(Eigen::Index rows, Eigen::Index cols, const QString &sourceName,
                            Eigen::Index sourceSize);

// An order of n items in which every item comes after its source: sources[i] is the position of
// item i's source, -1 for the network input, and any other negative value for a source that does
// not exist. Items are taken in rounds over the given order (an ordered list keeps its order);
// items on a cycle, with a missing source, or downstream of either are left out. Linear in n.
std::vector<std::size_t> stableTopologicalOrder(const std::vector<std::ptrdiff_t> &sources);

// A network of fully connected spiking layers. Each layer has one source (the network input or
// another layer); a layer may feed several layers. Layers are kept in topological order and are
// referred to by stable ids. Output layers are the layers that feed no other layer.
class Graph {
public:
    Graph() = default;
    explicit Graph(int inputSize)
        : m_inputSize(inputSize)
    {}
    // Takes layers as they are (ids, sources and order unchecked; validate() checks them in
    // linear time), unlike addLayer's per-layer checks; the file readers build graphs this way.
    Graph(int inputSize, std::vector<Layer> layers)
        : m_inputSize(inputSize)
        , m_layers(std::move(layers))
    {}

    int inputSize() const { return m_inputSize; }
    // Also forgets an input shape that no longer fits.
    void setInputSize(int size);
    // The input's shape before it was flattened (a NIR Input [1, 28, 28] and a Flatten node), or
    // empty for a flat input; its product is inputSize(). NIR export writes it back.
    const std::vector<int> &inputShape() const { return m_inputShape; }
    void setInputShape(std::vector<int> shape) { m_inputShape = std::move(shape); }
    // The time step in seconds the neurons were imported with from a (continuous-time) NIR file,
    // or unset; NIR export writes with it unless given another.
    std::optional<double> dt() const { return m_dt; }
    void setDt(std::optional<double> dt) { m_dt = dt; }

    const std::vector<Layer> &layers() const { return m_layers; }
    int layerCount() const { return int(m_layers.size()); }
    bool isEmpty() const { return m_layers.empty(); }

    // Lookups; layer() throws Error for an unknown id, find() returns nullptr.
    const Layer &layer(LayerId id) const;
    Layer &layer(LayerId id);
    const Layer *find(LayerId id) const;
    const Layer *findByName(const QString &name) const;
    int indexOf(LayerId id) const; // -1 if absent

    // Adds a layer whose source already exists and returns its id (a fresh one when layer.id
    // is 0 or taken). Throws Error for an unknown source or a duplicate name.
    LayerId addLayer(Layer layer);
    // Removes a layer; layers it fed are left pointing at a missing source until rewired,
    // so callers remove or rewire consumers first (validate() reports the dangling edge).
    void removeLayer(LayerId id);
    // Rewires a layer to a new source and restores topological order; throws Error (and changes
    // nothing) if that would make a cycle.
    void setSource(LayerId id, LayerId source);

    std::vector<LayerId> consumers(LayerId id) const; // kNetworkInput: layers fed by the input
    bool isOutput(LayerId id) const { return consumers(id).empty(); }
    std::vector<LayerId> outputs() const;
    // How many values a layer receives: its source's neuron count or the network input size.
    int sourceSize(const Layer &layer) const;
    QString sourceName(const Layer &layer) const; // "input" for the network input

    std::int64_t totalParams() const;
    std::int64_t totalNeurons() const;

    // Reorders layers topologically (stable for already ordered graphs). Throws Error naming the
    // layers of a cycle or a layer whose source does not exist.
    void sortTopologically();
    // Throws Error with one line naming the first problem: sizes, shapes (with a hint when the
    // transpose would fit), NaN/Inf, rates outside [0, 1], bad neuron parameters, names, edges.
    void validate() const;

private:
    int m_inputSize = 0;
    std::vector<int> m_inputShape;
    std::optional<double> m_dt;
    std::vector<Layer> m_layers;
};

// "1 layer", "3 layers": a layer count for messages.
QString layersText(qsizetype count);
// "1 neuron", "784 values": `count` (thousands grouped, as the studio's other figures) and the
// noun, plural unless the count is 1.
QString countText(qint64 count, const char *noun);

} // namespace snn
