#pragma once
// Test data shared by the pass tests (tst_passes, tst_redundancy): random weights and spikes, and a
// graph with every layer's reset or neuron type changed.

#include "TestUtils.h"
#include "base/Rng.h"
#include "graph/Graph.h"

#include <Eigen/Dense>

namespace snn::test {

inline Eigen::MatrixXf randomMatrix(Rng &rng, int rows, int cols, float scale)
{
    Eigen::MatrixXf m(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            m(r, c) = float(rng.normal()) * scale;
    return m;
}

// Random 0/1 input spikes, [steps x inputs].
inline Eigen::MatrixXf randomSpikes(Rng &rng, int steps, int inputs, double p)
{
    Eigen::MatrixXf s(steps, inputs);
    for (int t = 0; t < steps; ++t)
        for (int i = 0; i < inputs; ++i)
            s(t, i) = rng.uniform() < p ? 1.0f : 0.0f;
    return s;
}

// The graph with every spiking layer reset in `mode` (the zero reset to -0.25).
inline Graph withReset(Graph g, ResetMode mode)
{
    for (const Layer &l : g.layers()) {
        NeuronParams &p = g.layer(l.id).neuron;
        p.reset = mode;
        p.resetValue = mode == ResetMode::Zero ? -0.25f : 0.0f;
    }
    return g;
}

// The graph with every spiking layer of `type`: a CubaLIF gets alpha 0.6 (its synaptic current
// a second state the passes must keep exact).
inline Graph withType(Graph g, NeuronType type)
{
    for (const Layer &l : g.layers()) {
        NeuronParams &p = g.layer(l.id).neuron;
        p.type = type;
        p.alpha = type == NeuronType::CubaLIF ? 0.6f : 0.0f;
    }
    g.validate();
    return g;
}

} // namespace snn::test
