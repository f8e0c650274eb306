#include "opt/Passes.h"

#include "base/Blas.h"
#include "opt/ExactCore.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <numeric>

namespace snn::passes {

namespace {

// The Gram matrix is computed in pieces: strips of kStrip rows, each a triangle on the diagonal
// (ssyrk) and the rest of its band to the right, kPiece columns at a time (sgemm). The pieces'
// shapes depend only on the sizes and the norms, never on the thread count, so every similarity
// is the same float for any --threads. The whole triangle in index order (the fallback) holds
// kBlock rows of it at once: memory bounded to kBlock x n floats.
constexpr Eigen::Index kBlock = 1024;
constexpr Eigen::Index kStrip = 1024;
constexpr Eigen::Index kPiece = 1024;
// Each cosine is the sum of two products: over the first quarter of the inputs (the prefix) and
// over the rest. Rows of fewer inputs than kSplitFrom are not split.
constexpr Eigen::Index kSplitFrom = 64;

bool closeRelative(float a, float b, float tolerance)
{
    return std::abs(a - b) <= tolerance * std::max(std::abs(a), std::abs(b));
}

// One product of the upper triangle (stored transposed): rows [row, row + rows) against columns
// [col, col + cols) (col == row: the diagonal triangle).
struct Piece {
    Eigen::Index row, rows, col, cols;
};

// The pieces of the rows [begin, end) up to each strip's band end, largest first, so that the
// threads finish together rather than one of them alone on a large piece at the end (the order
// changes no value).
std::vector<Piece> bandPieces(Eigen::Index begin, Eigen::Index end,
                              const std::vector<Eigen::Index> &bandEnd)
{
    std::vector<Piece> pieces;
    for (Eigen::Index s = begin; s < end; s += kStrip) {
        const Eigen::Index strip = std::min(kStrip, end - s);
        const Eigen::Index stripEnd = bandEnd[std::size_t(s + strip - 1)];
        pieces.push_back({s, strip, s, strip});
        for (Eigen::Index c = s + strip; c < stripEnd; c += kPiece)
            pieces.push_back({s, strip, c, std::min(kPiece, stripEnd - c)});
    }
    std::stable_sort(pieces.begin(), pieces.end(), [](const Piece &x, const Piece &y) {
        const auto work = [](const Piece &p) { return p.rows * p.cols / (p.col == p.row ? 2 : 1); };
        return work(x) > work(y);
    });
    return pieces;
}

// The unit vectors of the weights' rows, row p being neuron order[p]'s, and where their cosines
// are split (see kSplitFrom).
struct UnitRows {
    Eigen::MatrixXf unit;
    Eigen::Index prefix = 0;   // the columns of the first product
    Eigen::VectorXf restNorms; // each row's norm over the columns after the prefix
    // The most a cosine can lose to rounding: a pair whose prefix product plus the product of its
    // rows' rest norms (the most the rest can add: Cauchy-Schwarz) stays below the threshold by
    // more cannot pass, whatever the rest is.
    float slack = 0.0f;
};

UnitRows unitRows(const Eigen::MatrixXf &weights, const Eigen::VectorXf &inverseNorms,
                  const std::vector<int> &order, int workers)
{
    const Eigen::Index n = weights.rows(), k = weights.cols();
    UnitRows u;
    u.unit.resize(n, k);
#pragma omp parallel for schedule(static) num_threads(workers)
    for (Eigen::Index c = 0; c < k; ++c)
        for (Eigen::Index p = 0; p < n; ++p) {
            const Eigen::Index i = order[std::size_t(p)];
            u.unit(p, c) = weights(i, c) * inverseNorms(i);
        }
    u.prefix = k < kSplitFrom ? k : (k + 3) / 4;
    Eigen::VectorXd rest = Eigen::VectorXd::Zero(n);
    for (Eigen::Index c = u.prefix; c < k; ++c)
        rest += u.unit.col(c).cast<double>().cwiseAbs2();
    u.restNorms = rest.cwiseSqrt().cast<float>();
    u.slack = 1e-3f + 4.0f * float(k) * std::ldexp(1.0f, -24);
    return u;
}

// out (piece.cols x piece.rows) = the products of the piece's rows of `unit` with its columns',
// over `count` columns from `first`: out(q - col, p - row) for row p and column q (on the
// diagonal, for q >= p only).
void product(const Eigen::MatrixXf &unit, Eigen::Index first, Eigen::Index count,
             const Piece &piece, blas::Ref out)
{
    const auto rows = [&](Eigen::Index row, Eigen::Index n) {
        return unit.block(row, first, n, count);
    };
    if (piece.col == piece.row)
        blas::syrk(rows(piece.row, piece.rows), false, out, true);
    else
        blas::gemm(rows(piece.col, piece.cols), false, rows(piece.row, piece.rows), true, out);
}

// Adds the products over the rest to the prefix's in `out`: the piece's cosines. `scratch`
// holds at least a piece.
void addRest(const UnitRows &u, const Piece &piece, blas::Ref out, Eigen::MatrixXf &scratch)
{
    const Eigen::Index rest = u.unit.cols() - u.prefix;
    if (rest == 0)
        return;
    auto part = scratch.topLeftCorner(piece.cols, piece.rows);
    product(u.unit, u.prefix, rest, piece, part);
    if (piece.col == piece.row)
        out.triangularView<Eigen::Lower>() += part;
    else
        out += part;
}

// The cosines of a piece (see product), the prefix's and the rest's products summed.
void pieceCosines(const UnitRows &u, const Piece &piece, blas::Ref out, Eigen::MatrixXf &scratch)
{
    product(u.unit, 0, u.prefix, piece, out);
    addRest(u, piece, out, scratch);
}

// Whether a pair of the piece (within the band) may have a cosine above `threshold`, from the
// prefix's products in `out` (see UnitRows::slack).
bool mayPass(const UnitRows &u, const Piece &piece, const blas::Ref &out,
             const std::vector<Eigen::Index> &bandEnd, float threshold)
{
    const float reach = threshold - u.slack;
    for (Eigen::Index r = 0; r < piece.rows; ++r) {
        const Eigen::Index p = piece.row + r;
        const float *prefix = &out(0, r) - piece.col;
        const float restP = u.restNorms(p);
        const Eigen::Index last = std::min(piece.col + piece.cols, bandEnd[std::size_t(p)]);
        for (Eigen::Index q = std::max(piece.col, p + 1); q < last; ++q)
            if (prefix[q] + restP * u.restNorms(q) >= reach)
                return true;
    }
    return false;
}

// The pairs (p, q), p < q < bandEnd[p], of rows of `u` for which accept(p, q, cosine) holds,
// the pieces spread over the threads with each scanned as soon as it is computed. accept must
// refuse every cosine at or below `threshold` of the rows from `zeroRows` on (the rows before it
// are zero vectors): a piece none of whose pairs can pass gets only the prefix's products
// (mayPass), and only its zero rows are scanned. Stops, returning false, once more than
// `budget` pairs are found: whether it does depends on the pairs alone.
template <typename Accept>
bool collectSimilar(const UnitRows &u, const std::vector<Eigen::Index> &bandEnd, float threshold,
                    Eigen::Index zeroRows, const RunControl &control, int workers,
                    std::size_t budget, Accept accept,
                    std::vector<std::pair<Eigen::Index, Eigen::Index>> &pairs)
{
    control.checkCancelled();
    control.report(0.0, QStringLiteral("similarity"));
    const std::vector<Piece> pieces = bandPieces(0, u.unit.rows(), bandEnd);
    double total = 0.0;
    for (const Piece &piece : pieces)
        total += double(piece.rows) * double(piece.cols);
    std::atomic<std::size_t> next{0}, found{0};
    std::atomic<double> done{0.0};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::vector<std::vector<std::pair<Eigen::Index, Eigen::Index>>> perThread(
        std::size_t(std::max(workers, 1)));
#pragma omp parallel num_threads(workers)
    {
        auto &mine = perThread[std::size_t(omp_get_thread_num())];
        try {
            Eigen::MatrixXf cosines(kPiece, kStrip), scratch(kPiece, kStrip);
            for (std::size_t k = next++; !stop && k < pieces.size(); k = next++) {
                const Piece &piece = pieces[k];
                auto out = cosines.topLeftCorner(piece.cols, piece.rows);
                product(u.unit, 0, u.prefix, piece, out);
                const bool full = mayPass(u, piece, out, bandEnd, threshold);
                if (full)
                    addRest(u, piece, out, scratch);
                const Eigen::Index scanned =
                    full ? piece.rows
                         : std::clamp(zeroRows - piece.row, Eigen::Index(0), piece.rows);
                for (Eigen::Index r = 0; r < scanned; ++r) {
                    const Eigen::Index p = piece.row + r;
                    const float *cosine = &out(0, r) - piece.col;
                    const Eigen::Index last =
                        std::min(piece.col + piece.cols, bandEnd[std::size_t(p)]);
                    for (Eigen::Index q = std::max(piece.col, p + 1); q < last; ++q)
                        if (accept(p, q, cosine[q])) {
                            mine.emplace_back(p, q);
                            stop = stop || ++found > budget;
                        }
                }
                done.fetch_add(double(piece.rows) * double(piece.cols));
                if (omp_get_thread_num() == 0) { // the caller's thread
                    control.checkCancelled();
                    control.report(done / total, QStringLiteral("similarity"));
                }
            }
        } catch (...) {
#pragma omp critical(snn_redundancy_failure)
            if (!failure)
                failure = std::current_exception();
            stop = true;
        }
    }
    if (failure)
        std::rethrow_exception(failure);
    if (found > budget)
        return false;
    for (const auto &list : perThread)
        pairs.insert(pairs.end(), list.begin(), list.end());
    return true;
}

// Calls pair(p, q, cosine) for every q in (p, n) whose cosine with p passes `passes`, p
// ascending, then q ascending, the cosines of rows p and q of `unit`: a block of rows at a time,
// its pieces spread over the threads.
template <typename Passes, typename Pair>
void forEachSimilar(const UnitRows &u, const RunControl &control, int workers, Passes passes,
                    Pair pair)
{
    const Eigen::Index n = u.unit.rows();
    const std::vector<Eigen::Index> bandEnd(static_cast<std::size_t>(n), n);
    // similarity(q - b, r) is the cosine of rows b + r and q, for q > b + r: each row's
    // similarities to the later ones are one contiguous column.
    Eigen::MatrixXf cosines;
    for (Eigen::Index b = 0; b < n; b += kBlock) {
        control.checkCancelled();
        control.report(double(b) / double(n), QStringLiteral("similarity"));
        const Eigen::Index rows = std::min(kBlock, n - b);
        cosines.resize(n - b, rows);
        const std::vector<Piece> pieces = bandPieces(b, b + rows, bandEnd);
#pragma omp parallel num_threads(workers)
        {
            Eigen::MatrixXf scratch(kPiece, kStrip);
#pragma omp for schedule(dynamic, 1)
            for (std::size_t p = 0; p < pieces.size(); ++p) {
                const Piece &piece = pieces[p];
                pieceCosines(u, piece,
                             cosines.block(piece.col - b, piece.row - b, piece.cols, piece.rows),
                             scratch);
            }
        }
        for (Eigen::Index r = 0; r < rows; ++r) {
            const Eigen::Index p = b + r;
            const float *cosine = &cosines(0, r);
            for (Eigen::Index q = p + 1; q < n; ++q)
                if (passes(p, cosine[q - b]))
                    pair(p, q, cosine[q - b]);
        }
    }
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
    const auto zeroRows = Eigen::Index(std::count_if(order.begin(), order.end(), zero));
    std::vector<std::pair<Eigen::Index, Eigen::Index>> pairs;
    const std::size_t budget =
        pairBudget > 0 ? pairBudget : std::max<std::size_t>(std::size_t(kBlock * n) / 2, 1 << 22);
    const bool complete = collectSimilar(
        unitRows(weights, inverse, order, workers), bandEnd, similarity, zeroRows, control, workers,
        budget,
        [&](Eigen::Index p, Eigen::Index q, float cosine) {
            const auto [i, j] = std::minmax(order[std::size_t(p)], order[std::size_t(q)]);
            return (zero(order[std::size_t(p)]) || cosine > similarity) && similar(i, j, cosine);
        },
        pairs);
    if (complete) {
        for (auto &[p, q] : pairs) { // rows in order of norm -> neurons
            const Eigen::Index i = order[std::size_t(p)], j = order[std::size_t(q)];
            p = std::min(i, j);
            q = std::max(i, j);
        }
        std::sort(pairs.begin(), pairs.end());
        for (const auto &[i, j] : pairs)
            if (keeper[std::size_t(i)] == i && keeper[std::size_t(j)] == j)
                keeper[std::size_t(j)] = int(i);
        return keeper;
    }

    // More similar pairs than the budget (a layer of many copies): the whole triangle in index
    // order instead, each keeper claiming the later unclaimed similar neurons as it goes.
    forEachSimilar(
        unitRows(weights, inverse, identity, workers), control, workers,
        // A non-zero neuron is similar only where the cosine passes (similarity > 0): test that
        // first, it fails almost everywhere.
        [&](Eigen::Index i, float cosine) {
            return keeper[std::size_t(i)] == int(i) && (zero(i) || cosine > similarity);
        },
        [&](Eigen::Index i, Eigen::Index j, float cosine) {
            if (keeper[std::size_t(j)] == int(j) && similar(i, j, cosine))
                keeper[std::size_t(j)] = int(i);
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
        // Equal fan-in gives equal states (both of a CubaLIF's) only with equal neuron values.
        int apart = 0;
        for (std::size_t j = 0; j < keeper.size(); ++j)
            if (keeper[j] != int(j) && !l.sameNeuronValues(int(j), keeper[j])) {
                keeper[j] = int(j);
                ++apart;
            }
        if (apart > 0)
            report.notes << QStringLiteral("%1: %2 kept apart from similar neurons: their beta, "
                                           "threshold, alpha or initial membrane differ")
                                .arg(l.name, countText(apart, "neuron"));

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
