#include "Passes.h"

#include <algorithm>
#include <cmath>

namespace snn::passes {

namespace {

// Rows of the Gram matrix computed at once: bounds memory to kBlock x n floats.
constexpr Eigen::Index kBlock = 1024;

bool closeRelative(float a, float b, float tolerance)
{
    return std::abs(a - b) <= tolerance * std::max(std::abs(a), std::abs(b));
}

} // namespace

std::vector<int> findRedundantNeurons(const Eigen::MatrixXf &weights, const Eigen::VectorXf &bias,
                                      float similarity, float normTolerance,
                                      const RunControl &control)
{
    const Eigen::Index n = weights.rows();
    std::vector<int> keeper(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i)
        keeper[std::size_t(i)] = int(i);
    if (n < 2)
        return keeper;

    const Eigen::VectorXf norms = weights.rowwise().norm();
    const Eigen::VectorXf inverse =
        norms.unaryExpr([](float v) { return v > 0.0f ? 1.0f / v : 0.0f; });
    const Eigen::MatrixXf normalised = inverse.asDiagonal() * weights;
    const bool hasBias = bias.size() == n;

    auto similar = [&](Eigen::Index i, Eigen::Index j, float cosine) {
        const float ni = norms(i), nj = norms(j);
        if (ni == 0.0f || nj == 0.0f) {
            if (ni != nj)
                return false; // one zero vector, one not
        } else if (!(cosine > similarity) || !closeRelative(ni, nj, normTolerance)) {
            return false;
        }
        return !hasBias || closeRelative(bias(i), bias(j), normTolerance);
    };

    // Only the upper triangle matters: block rows [b, b + rows) against columns [b, n).
    Eigen::MatrixXf gram;
    for (Eigen::Index b = 0; b < n; b += kBlock) {
        control.checkCancelled();
        control.report(double(b) / double(n), QStringLiteral("similarity"));
        const Eigen::Index rows = std::min(kBlock, n - b);
        gram.noalias() = normalised.middleRows(b, rows) * normalised.bottomRows(n - b).transpose();
        for (Eigen::Index r = 0; r < rows; ++r) {
            const Eigen::Index i = b + r;
            if (keeper[std::size_t(i)] != int(i))
                continue; // already merged into an earlier keeper
            for (Eigen::Index j = i + 1; j < n; ++j)
                if (keeper[std::size_t(j)] == int(j) && similar(i, j, gram(r, j - b)))
                    keeper[std::size_t(j)] = int(i);
        }
    }
    return keeper;
}

void redundancyElimination(Graph &graph, const OptimizeOptions &options, const RunControl &control,
                           PassReport &report)
{
    std::vector<LayerId> ids;
    for (const Layer &l : graph.layers())
        ids.push_back(l.id);
    for (std::size_t k = 0; k < ids.size(); ++k) {
        const LayerId id = ids[k];
        const Layer &l = graph.layer(id);
        LayerChange change{
            .layer = l.name, .neuronsBefore = l.neurons(), .neuronsAfter = l.neurons()};
        if (graph.isOutput(id)) {
            report.layers.push_back(change);
            continue; // output neurons are the network's answers: never merged
        }
        const std::vector<int> keeper = findRedundantNeurons(
            l.weights, l.bias, options.similarity, options.normTolerance,
            control.part(double(k) / double(ids.size()), double(k + 1) / double(ids.size()),
                         l.name + QLatin1Char(' ')));

        // Each merged neuron's outgoing weights are added to its keeper's, then it is removed.
        std::vector<int> merged;
        std::vector<bool> isKeeperOfGroup(keeper.size(), false);
        for (std::size_t j = 0; j < keeper.size(); ++j) {
            const int into = keeper[j];
            if (into == int(j))
                continue;
            merged.push_back(int(j));
            isKeeperOfGroup[std::size_t(into)] = true;
            for (LayerId consumer : graph.consumers(id)) {
                Eigen::MatrixXf &w = graph.layer(consumer).weights;
                w.col(into) += w.col(Eigen::Index(j));
            }
        }
        if (!merged.empty()) {
            removeNeurons(graph, id, merged);
            change.merged = int(merged.size());
            change.groups = int(std::count(isKeeperOfGroup.begin(), isKeeperOfGroup.end(), true));
            change.neuronsAfter = graph.layer(id).neurons();
            report.neuronsMerged += change.merged;
        }
        report.layers.push_back(change);
    }
}

} // namespace snn::passes
