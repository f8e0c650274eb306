#include "Simulator.h"

#include "Error.h"

namespace snn {

std::vector<Eigen::MatrixXf> simulate(const Graph &graph, const Eigen::MatrixXf &input)
{
    if (input.cols() != graph.inputSize())
        throw Error(QStringLiteral("the input has %1 values per step, the network takes %2")
                        .arg(input.cols())
                        .arg(graph.inputSize()));
    const auto &layers = graph.layers();
    const Eigen::Index steps = input.rows();
    std::vector<Eigen::MatrixXf> outputs;
    std::vector<Eigen::VectorXf> membrane;
    for (const Layer &l : layers) {
        outputs.emplace_back(steps, l.neurons());
        membrane.push_back(Eigen::VectorXf::Zero(l.neurons()));
    }
    for (Eigen::Index t = 0; t < steps; ++t) {
        for (std::size_t k = 0; k < layers.size(); ++k) {
            const Layer &l = layers[k];
            const Eigen::VectorXf x =
                l.source == kNetworkInput
                    ? Eigen::VectorXf(input.row(t).transpose())
                    : Eigen::VectorXf(
                          outputs[std::size_t(graph.indexOf(l.source))].row(t).transpose());
            Eigen::VectorXf current = l.weights * x;
            if (l.hasBias())
                current += l.bias;
            if (!l.neuron.spiking) {
                outputs[k].row(t) = current.transpose();
                continue;
            }
            Eigen::VectorXf &v = membrane[k];
            v = l.neuron.beta * v + current;
            for (Eigen::Index n = 0; n < v.size(); ++n) {
                const bool spike = v(n) > l.neuron.threshold;
                outputs[k](t, n) = spike ? 1.0f : 0.0f;
                if (spike)
                    v(n) = l.neuron.reset == ResetMode::Subtract ? v(n) - l.neuron.threshold : 0.0f;
            }
        }
    }
    return outputs;
}

} // namespace snn
