#include "opt/Passes.h"

#include "base/Blas.h"
#include "opt/ExactCore.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace snn::passes {

namespace {

// Rows of the Gram matrix held at once: bounds memory to kBlock x n floats. Each block's part of
// the upper triangle is cut into pieces: on the diagonal, strips of kStrip rows (a triangle by
// ssyrk and the rest of the block to its right by sgemm); right of the block, the block's rows
// against kPiece columns at a time (sgemm). The pieces' shapes depend only on the sizes and the
// norms, never on the thread count, so every similarity is the same float for any --threads.
constexpr Eigen::Index kBlock = 1024;
constexpr Eigen::Index kStrip = 256;
constexpr Eigen::Index kPiece = 1024;

bool closeRelative(float a, float b, float tolerance)
{
    return std::abs(a - b) <= tolerance * std::max(std::abs(a), std::abs(b));
}

// One product of the upper triangle (stored transposed): rows [row, row + rows) against columns
// [col, col + cols) (col == row: the diagonal triangle).
struct Piece {
    Eigen::Index row, rows, col, cols;
};

// The unit vectors of the weights' rows, row p being neuron order[p]'s.
Eigen::MatrixXf unitRows(const Eigen::MatrixXf &weights, const Eigen::VectorXf &inverseNorms,
                         const std::vector<int> &order)
{
    Eigen::MatrixXf unit(weights.rows(), weights.cols());
    for (Eigen::Index c = 0; c < weights.cols(); ++c)
        for (Eigen::Index p = 0; p < weights.rows(); ++p) {
            const Eigen::Index i = order[std::size_t(p)];
            unit(p, c) = weights(i, c) * inverseNorms(i);
        }
    return unit;
}

// Calls pair(p, q, cosine) for every q in (p, bandEnd[p]) whose cosine with p passes `passes`,
// p ascending, then q ascending, the cosines of rows p and q of `unit`; stops (returning false)
// when `pair` returns false.
template <typename Passes, typename Pair>
bool forEachSimilar(const Eigen::MatrixXf &unit, const std::vector<Eigen::Index> &bandEnd,
                    const RunControl &control, int workers, Passes passes, Pair pair)
{
    const Eigen::Index n = unit.rows();
    // similarity(q - b, r) is the cosine of rows b + r and q, for q > b + r: each row's
    // similarities to the later ones are one contiguous column.
    Eigen::MatrixXf cosines;
    std::vector<Piece> pieces;
    for (Eigen::Index b = 0; b < n; b += kBlock) {
        control.checkCancelled();
        control.report(double(b) / double(n), QStringLiteral("similarity"));
        const Eigen::Index rows = std::min(kBlock, n - b);
        const Eigen::Index end = bandEnd[std::size_t(b + rows - 1)]; // the widest band: the last
        cosines.resize(end - b, rows);
        pieces.clear();
        for (Eigen::Index s = b; s < b + rows; s += kStrip) {
            const Eigen::Index strip = std::min(kStrip, b + rows - s);
            const Eigen::Index stripEnd = bandEnd[std::size_t(s + strip - 1)];
            pieces.push_back({s, strip, s, strip});
            for (Eigen::Index c = s + strip; c < stripEnd; c += kPiece)
                pieces.push_back({s, strip, c, std::min(kPiece, stripEnd - c)});
        }
        // Largest first, so that the threads finish the block together rather than one of them
        // alone on a large piece at the end (the order changes no value).
        std::stable_sort(pieces.begin(), pieces.end(), [](const Piece &x, const Piece &y) {
            const auto work = [](const Piece &p) {
                return p.rows * p.cols / (p.col == p.row ? 2 : 1);
            };
            return work(x) > work(y);
        });
#pragma omp parallel for schedule(dynamic, 1) num_threads(workers)
        for (std::size_t p = 0; p < pieces.size(); ++p) {
            const Piece &piece = pieces[p];
            auto out = cosines.block(piece.col - b, piece.row - b, piece.cols, piece.rows);
            if (piece.col == piece.row)
                blas::syrk(unit.middleRows(piece.row, piece.rows), false, out, true);
            else
                blas::gemm(unit.middleRows(piece.col, piece.cols), false,
                           unit.middleRows(piece.row, piece.rows), true, out);
        }
        for (Eigen::Index r = 0; r < rows; ++r) {
            const Eigen::Index p = b + r;
            const float *cosine = &cosines(0, r);
            for (Eigen::Index q = p + 1; q < bandEnd[std::size_t(p)]; ++q)
                if (passes(p, cosine[q - b]) && !pair(p, q, cosine[q - b]))
                    return false;
        }
    }
    return true;
}

} // namespace

std::vector<int> findRedundantNeurons(const Eigen::MatrixXf &weights, const Eigen::VectorXf &bias,
                                      float similarity, float normTolerance,
                                      const RunControl &control, int threads,
                                      std::size_t pairBudget)
{
    const Eigen::Index n = weights.rows();
    std::vector<int> identity(static_cast<std::size_t>(n));
    std::iota(identity.begin(), identity.end(), 0);
    std::vector<int> keeper = identity;
    if (n < 2)
        return keeper;

    // Column by column (the storage order), not row by row across columns.
    Eigen::VectorXf norms = Eigen::VectorXf::Zero(n);
    for (Eigen::Index c = 0; c < weights.cols(); ++c)
        norms += weights.col(c).cwiseAbs2();
    norms = norms.cwiseSqrt();
    const Eigen::VectorXf inverse =
        norms.unaryExpr([](float v) { return v > 0.0f ? 1.0f / v : 0.0f; });
    const bool hasBias = bias.size() == n;
    const int workers = threads > 0 ? threads : omp_get_max_threads();

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

    // Two neurons are similar only if their norms are within the tolerance, so with the neurons
    // in order of norm each one's candidates are the next ones up to a bound: only that band of
    // the Gram matrix is computed (on random 4096 x 4096 weights, whose norms lie within a few
    // per cent, 53% of the triangle; on trained layers far less). Its similar pairs are kept and
    // then claimed in index order.
    std::vector<int> order = identity;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return norms(a) < norms(b); });
    std::vector<Eigen::Index> bandEnd(static_cast<std::size_t>(n), n);
    if (normTolerance < 1.0f) {
        // A bound a little above norm / (1 - tolerance): no pair outside it passes closeRelative
        // in float.
        const double widen = (1.0 + 1e-6) / (1.0 - double(normTolerance));
        for (Eigen::Index p = 0, q = 1; p < n; ++p) {
            const double bound = double(norms(order[std::size_t(p)])) * widen;
            for (q = std::max(q, p + 1); q < n && double(norms(order[std::size_t(q)])) <= bound;)
                ++q;
            bandEnd[std::size_t(p)] = q;
        }
    }
    const auto zero = [&](Eigen::Index i) { return norms(i) == 0.0f; };
    std::vector<std::pair<int, int>> pairs;
    const std::size_t budget =
        pairBudget > 0 ? pairBudget : std::max<std::size_t>(std::size_t(kBlock * n) / 2, 1 << 22);
    const bool complete = forEachSimilar(
        unitRows(weights, inverse, order), bandEnd, control, workers,
        [&](Eigen::Index p, float cosine) {
            return zero(order[std::size_t(p)]) || cosine > similarity;
        },
        [&](Eigen::Index p, Eigen::Index q, float cosine) {
            const auto [i, j] = std::minmax(order[std::size_t(p)], order[std::size_t(q)]);
            if (similar(i, j, cosine))
                pairs.emplace_back(i, j);
            return pairs.size() <= budget;
        });
    if (complete) {
        std::sort(pairs.begin(), pairs.end());
        for (const auto &[i, j] : pairs)
            if (keeper[std::size_t(i)] == i && keeper[std::size_t(j)] == j)
                keeper[std::size_t(j)] = i;
        return keeper;
    }

    // More similar pairs than the budget (a layer of many copies): the whole triangle in index
    // order instead, each keeper claiming the later unclaimed similar neurons as it goes.
    pairs = {};
    forEachSimilar(
        unitRows(weights, inverse, identity),
        std::vector<Eigen::Index>(static_cast<std::size_t>(n), n), control, workers,
        // A non-zero neuron is similar only where the cosine passes (similarity > 0): test that
        // first, it fails almost everywhere.
        [&](Eigen::Index i, float cosine) {
            return keeper[std::size_t(i)] == int(i) && (zero(i) || cosine > similarity);
        },
        [&](Eigen::Index i, Eigen::Index j, float cosine) {
            if (keeper[std::size_t(j)] == int(j) && similar(i, j, cosine))
                keeper[std::size_t(j)] = int(i);
            return true;
        });
    return keeper;
}

namespace {

// Adds each merged neuron's outgoing weights to its keeper's in every consumer (the float merge:
// exact for identical neurons). Returns the merged neurons, ascending.
std::vector<int> mergeInFloat(Graph &graph, LayerId id, const std::vector<int> &keeper)
{
    std::vector<int> merged;
    for (std::size_t j = 0; j < keeper.size(); ++j) {
        const int into = keeper[j];
        if (into == int(j))
            continue;
        merged.push_back(int(j));
        for (LayerId consumer : graph.consumers(id)) {
            Eigen::MatrixXf &w = graph.layer(consumer).weights;
            w.col(into) += w.col(Eigen::Index(j));
        }
    }
    return merged;
}

} // namespace

void redundancyElimination(Graph &graph, const PassOptions &options, const RunControl &control,
                           PassReport &report)
{
    std::vector<LayerId> ids;
    for (const Layer &l : graph.layers())
        ids.push_back(l.id);
    for (std::size_t k = 0; k < ids.size(); ++k) {
        const LayerId id = ids[k];
        const Layer &l = graph.layer(id);
        LayerChange change{.layer = l.name,
                           .layerId = id,
                           .neuronsBefore = l.neurons(),
                           .neuronsAfter = l.neurons(),
                           .neurons = removalMap(l.neurons(), {}, NeuronFate::Merged)};
        if (graph.isOutput(id)) {
            report.layers.push_back(change);
            continue; // output neurons are the network's answers: never merged
        }
        std::vector<int> keeper = findRedundantNeurons(
            l.weights, l.bias, options.similarity, options.normTolerance,
            control.part(double(k) / double(ids.size()), double(k + 1) / double(ids.size()),
                         l.name + QLatin1Char(' ')),
            options.threads);

        // Each merged neuron's outgoing weights go into its keeper's (on the core's integer grid
        // when a deployed width is given), then it is removed.
        int candidates = 0;
        for (std::size_t j = 0; j < keeper.size(); ++j)
            candidates += keeper[j] != int(j);
        const std::vector<int> merged =
            options.exactBits.empty() ? mergeInFloat(graph, id, keeper)
                                      : mergeExactly(graph, id, keeper, options, report.notes);
        change.skipped = candidates - int(merged.size());
        report.skipped += change.skipped;
        if (!merged.empty()) {
            std::vector<bool> isKeeperOfGroup(keeper.size(), false);
            for (int j : merged)
                isKeeperOfGroup[std::size_t(keeper[std::size_t(j)])] = true;
            removeNeurons(graph, id, merged);
            change.neurons = removalMap(change.neuronsBefore, merged, NeuronFate::Merged);
            for (int j : merged)
                change.neurons[std::size_t(j)].index = keeper[std::size_t(j)];
            change.merged = int(merged.size());
            change.groups = int(std::count(isKeeperOfGroup.begin(), isKeeperOfGroup.end(), true));
            change.neuronsAfter = graph.layer(id).neurons();
            report.neuronsMerged += change.merged;
        }
        report.layers.push_back(change);
    }
}

} // namespace snn::passes
