#pragma once

// Exact comparison of two graphs for the studio's tests (undo must restore the graph bit for bit).

#include "graph/Graph.h"

#include <QString>

namespace snn::test {

// An empty string when equal, else the first difference.
inline QString graphDifference(const Graph &a, const Graph &b)
{
    if (a.inputSize() != b.inputSize())
        return QStringLiteral("input size %1 vs %2").arg(a.inputSize()).arg(b.inputSize());
    if (a.layerCount() != b.layerCount())
        return QStringLiteral("%1 vs %2 layers").arg(a.layerCount()).arg(b.layerCount());
    for (int i = 0; i < a.layerCount(); ++i) {
        const Layer &x = a.layers()[std::size_t(i)];
        const Layer &y = b.layers()[std::size_t(i)];
        const QString where = QStringLiteral("layer %1 (%2 / %3): ").arg(i).arg(x.name, y.name);
        if (x.id != y.id || x.name != y.name || x.source != y.source)
            return where + QStringLiteral("id, name or source");
        if (!(x.neuron == y.neuron))
            return where + QStringLiteral("neuron parameters");
        if (x.position != y.position)
            return where + QStringLiteral("position");
        if (x.weights.rows() != y.weights.rows() || x.weights.cols() != y.weights.cols() ||
            x.weights != y.weights)
            return where + QStringLiteral("weights");
        if (x.bias.size() != y.bias.size() || x.bias != y.bias)
            return where + QStringLiteral("bias");
        if (x.rates.size() != y.rates.size() || x.rates != y.rates)
            return where + QStringLiteral("rates");
        for (std::size_t f = 0; f < x.perNeuron.fields().size(); ++f) {
            const Eigen::VectorXf &u = *x.perNeuron.fields()[f].second;
            const Eigen::VectorXf &v = *y.perNeuron.fields()[f].second;
            if (u.size() != v.size() || u != v)
                return where + QLatin1String(x.perNeuron.fields()[f].first) +
                       QStringLiteral(" per neuron");
        }
    }
    if (a.inputShape() != b.inputShape())
        return QStringLiteral("input shape");
    if (a.dt() != b.dt())
        return QStringLiteral("dt");
    return {};
}

} // namespace snn::test

#define SNN_COMPARE_GRAPHS(actual, expected)                                                       \
    QCOMPARE(snn::test::graphDifference((actual), (expected)), QString())
