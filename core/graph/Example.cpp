#include "graph/Example.h"

#include "base/Rng.h"

namespace snn {

Graph exampleGraph(std::uint64_t seed)
{
    struct Spec {
        const char *name;
        int neurons;
        float weightScale;
        float rateScale;
    };
    const Spec specs[] = {
        {"hidden1", 256, 0.05f, 0.2f}, {"hidden2", 64, 0.1f, 0.15f}, {"output", 10, 0.2f, 0.5f}};
    constexpr int kInputs = 784;
    constexpr int kDeadHidden1 = 30;

    Rng rng(seed);
    Graph graph(kInputs);
    LayerId source = kNetworkInput;
    int inputs = kInputs;
    for (const Spec &spec : specs) {
        Layer layer;
        layer.name = QString::fromLatin1(spec.name);
        layer.source = source;
        layer.neuron = NeuronParams{NeuronType::LIF, 1.0f, 0.9f, ResetMode::Subtract, true};
        layer.weights.resize(spec.neurons, inputs);
        for (int r = 0; r < spec.neurons; ++r)
            for (int c = 0; c < inputs; ++c)
                layer.weights(r, c) = float(rng.normal()) * spec.weightScale;
        layer.rates.resize(spec.neurons);
        for (int n = 0; n < spec.neurons; ++n)
            layer.rates(n) = float(rng.uniform()) * spec.rateScale;
        if (source == kNetworkInput)
            layer.rates.head(kDeadHidden1).setZero();
        layer.ratesSource = kSyntheticRates;
        source = graph.addLayer(std::move(layer));
        inputs = spec.neurons;
    }
    return graph;
}

} // namespace snn
