#include "Simulator.h"

#include "sim/Engine.h"

namespace snn {

// The dynamics live once, in the simulation engine (sim/Engine.cpp, sim/Dynamics.h).
std::vector<Eigen::MatrixXf> simulate(const Graph &graph, const Eigen::MatrixXf &input)
{
    std::vector<Eigen::MatrixXf> outputs;
    for (const Layer &l : graph.layers())
        outputs.emplace_back(input.rows(), l.neurons());
    sim::runSequence(graph, input, [&](int layer, int step, const Eigen::VectorXf &out) {
        outputs[std::size_t(layer)].row(step) = out.transpose();
    });
    return outputs;
}

} // namespace snn
