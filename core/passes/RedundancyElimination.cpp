#include "Passes.h"

#include "Blas.h"

#include <omp.h>

#include <algorithm>
#include <cmath>

namespace snn::passes {

namespace {

// Rows of the Gram matrix held at once: bounds memory to kBlock x n floats. Each block's part of
// the upper triangle is cut into pieces: on the diagonal, strips of kStrip rows (a triangle by
// ssyrk and the rest of the block to its right by sgemm); right of the block, the block's rows
// against kPiece columns at a time (sgemm). The pieces' shapes depend only on n, never on the
// thread count, so every similarity is the same float for any --threads.
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

} // namespace

std::vector<int> findRedundantNeurons(const Eigen::MatrixXf &weights, const Eigen::VectorXf &bias,
                                      float similarity, float normTolerance,
                                      const RunControl &control, int threads)
{
    const Eigen::Index n = weights.rows();
    std::vector<int> keeper(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i)
        keeper[std::size_t(i)] = int(i);
    if (n < 2)
        return keeper;

    // Column by column (the storage order), not row by row across columns.
    Eigen::VectorXf norms = Eigen::VectorXf::Zero(n);
    for (Eigen::Index c = 0; c < weights.cols(); ++c)
        norms += weights.col(c).cwiseAbs2();
    norms = norms.cwiseSqrt();
    const Eigen::VectorXf inverse =
        norms.unaryExpr([](float v) { return v > 0.0f ? 1.0f / v : 0.0f; });
    const Eigen::MatrixXf unit = inverse.asDiagonal() * weights;
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

    // similarity(j - b, r) is the cosine of neurons b + r and j, for j > b + r: each neuron's
    // similarities to the later ones are one contiguous column.
    Eigen::MatrixXf cosines;
    std::vector<Piece> pieces;
    const int workers = threads > 0 ? threads : omp_get_max_threads();
    for (Eigen::Index b = 0; b < n; b += kBlock) {
        control.checkCancelled();
        control.report(double(b) / double(n), QStringLiteral("similarity"));
        const Eigen::Index rows = std::min(kBlock, n - b);
        cosines.resize(n - b, rows);
        pieces.clear();
        for (Eigen::Index s = b; s < b + rows; s += kStrip) {
            const Eigen::Index strip = std::min(kStrip, b + rows - s);
            pieces.push_back({s, strip, s, strip});
            if (s + strip < b + rows)
                pieces.push_back({s, strip, s + strip, b + rows - s - strip});
        }
        for (Eigen::Index c = b + rows; c < n; c += kPiece)
            pieces.push_back({b, rows, c, std::min(kPiece, n - c)});
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
            const Eigen::Index i = b + r;
            if (keeper[std::size_t(i)] != int(i))
                continue; // already merged into an earlier keeper
            const float *cosine = &cosines(0, r);
            // A non-zero neuron is similar only where the cosine passes (similarity > 0): test
            // that first, it fails almost everywhere.
            const bool zero = norms(i) == 0.0f;
            for (Eigen::Index j = i + 1; j < n; ++j)
                if ((zero || cosine[j - b] > similarity) && keeper[std::size_t(j)] == int(j) &&
                    similar(i, j, cosine[j - b]))
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
        LayerChange change{.layer = l.name,
                           .layerId = id,
                           .neuronsBefore = l.neurons(),
                           .neuronsAfter = l.neurons(),
                           .neurons = removalMap(l.neurons(), {}, NeuronFate::Merged)};
        if (graph.isOutput(id)) {
            report.layers.push_back(change);
            continue; // output neurons are the network's answers: never merged
        }
        const std::vector<int> keeper = findRedundantNeurons(
            l.weights, l.bias, options.similarity, options.normTolerance,
            control.part(double(k) / double(ids.size()), double(k + 1) / double(ids.size()),
                         l.name + QLatin1Char(' ')),
            options.threads);

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
