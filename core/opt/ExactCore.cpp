#include "opt/ExactCore.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

namespace snn::passes {

namespace {

// One weight matrix on the core's grids: its clip (what sets the scale) and the scale at each
// width of PassOptions::exactBits.
struct Grid {
    float clip = 0.0f;
    std::vector<double> scales;

    Grid(const Eigen::MatrixXf &weights, const PassOptions &options)
        : clip(float(hw::clipMagnitude(weights, options.hardware.clipPercentile)))
    {
        for (int bits : options.exactBits) {
            hw::QuantConfig c = options.hardware;
            c.weightBits = bits;
            scales.push_back(hw::weightScale(weights, c));
        }
    }
};

bool atTop(const PassOptions &options)
{
    return options.hardware.clipPercentile >= 100.0;
}

// How many entries of each row (byRow) or column of `m` are as large as `clip` in magnitude.
std::vector<int> clipCounts(const Eigen::MatrixXf &m, float clip, bool byRow)
{
    std::vector<int> counts(std::size_t(byRow ? m.rows() : m.cols()), 0);
    for (Eigen::Index c = 0; c < m.cols(); ++c)
        for (Eigen::Index r = 0; r < m.rows(); ++r)
            if (std::abs(m(r, c)) == clip)
                ++counts[std::size_t(byRow ? r : c)];
    return counts;
}

// The float weight nearest `target` that rounds to q[b] on every width's grid of `grid`, within
// [-clip, clip] (the clip itself where the first width's integer is at the end of its range, so
// that a largest |w| stays one); none when no float does.
std::optional<float> onGrids(const std::vector<int> &q, double target, const Grid &grid,
                             const PassOptions &options)
{
    // Where every width rounds to its integer, a hair inside the rounding boundaries (rounding
    // half away from zero makes one end of each interval open).
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    for (std::size_t b = 0; b < q.size(); ++b) {
        const double hair = 1e-4 / grid.scales[b];
        lo = std::max(lo, (q[b] - 0.5) / grid.scales[b] + hair);
        hi = std::min(hi, (q[b] + 0.5) / grid.scales[b] - hair);
    }
    lo = std::max(lo, -double(grid.clip));
    hi = std::min(hi, double(grid.clip));
    if (lo > hi)
        return std::nullopt;
    if (std::abs(q.front()) == hw::maxWeight(options.exactBits.front()))
        target = q.front() > 0 ? hi : lo;
    // Else the nearest to the target inside, the first width's own value, the middle.
    for (double x : {std::clamp(target, lo, hi),
                     std::clamp(q.front() / grid.scales.front(), lo, hi), (lo + hi) / 2.0}) {
        const auto w = float(x);
        bool exact = std::abs(w) <= grid.clip;
        for (std::size_t b = 0; exact && b < q.size(); ++b)
            exact = hw::quantizeWeight(w, grid.scales[b], options.exactBits[b]) == q[b];
        if (exact)
            return w;
    }
    return std::nullopt;
}

// Why neurons i and j of `layer` may spike differently on the core (empty: they cannot): their
// integer fan-in weights or biases differ at a width.
QString difference(const Layer &layer, const Grid &grid, int i, int j, const PassOptions &options)
{
    for (std::size_t b = 0; b < options.exactBits.size(); ++b) {
        const int bits = options.exactBits[b];
        const double scale = grid.scales[b];
        int differ = 0;
        for (Eigen::Index k = 0; k < layer.weights.cols(); ++k)
            differ += hw::quantizeWeight(layer.weights(i, k), scale, bits) !=
                      hw::quantizeWeight(layer.weights(j, k), scale, bits);
        const bool bias = layer.hasBias() && hw::roundToInt(double(layer.bias(i)) * scale) !=
                                                 hw::roundToInt(double(layer.bias(j)) * scale);
        if (differ > 0 || bias)
            return QStringLiteral("its %1-bit fan-in differs from neuron %2's (%3 of %4 weights%5)")
                .arg(bits)
                .arg(i)
                .arg(differ)
                .arg(layer.weights.cols())
                .arg(bias ? QStringLiteral(", and the bias") : QString());
    }
    return {};
}

// A consumer of the merged layer: its weights (in the graph), their grids and clip counts.
struct Consumer {
    QString name;
    Eigen::MatrixXf *weights;
    Grid grid;
    std::vector<int> columnClips;
    int clips = 0;
    Eigen::MatrixXf saved; // restored when the merges must be undone
};

// Keeper i's column of `c` with j's added on every width's grid, and how many of its entries are
// the clip; or why it cannot be.
struct MergedColumn {
    Eigen::VectorXf column;
    int clips = 0;
    QString why;
};
MergedColumn mergedColumn(const Consumer &c, int i, int j, const PassOptions &options)
{
    const Eigen::MatrixXf &w = *c.weights;
    MergedColumn m{Eigen::VectorXf(w.rows()), 0, {}};
    std::vector<int> q(options.exactBits.size());
    for (Eigen::Index r = 0; r < w.rows(); ++r) {
        for (std::size_t b = 0; b < q.size(); ++b) {
            const int bits = options.exactBits[b];
            const double scale = c.grid.scales[b];
            q[b] =
                hw::quantizeWeight(w(r, i), scale, bits) + hw::quantizeWeight(w(r, j), scale, bits);
            if (std::abs(q[b]) > hw::maxWeight(bits)) {
                m.why = QStringLiteral("%1 neuron %2 would get %3 + %4 = %5, beyond the %6-bit "
                                       "range +-%7")
                            .arg(c.name)
                            .arg(r)
                            .arg(hw::quantizeWeight(w(r, i), scale, bits))
                            .arg(hw::quantizeWeight(w(r, j), scale, bits))
                            .arg(q[b])
                            .arg(bits)
                            .arg(hw::maxWeight(bits));
                return m;
            }
        }
        const std::optional<float> value =
            onGrids(q, double(w(r, i)) + double(w(r, j)), c.grid, options);
        if (!value) {
            m.why = QStringLiteral("no weight of %1 neuron %2 rounds to the merged integers at "
                                   "every width")
                        .arg(c.name)
                        .arg(r);
            return m;
        }
        m.column(r) = *value;
        m.clips += std::abs(*value) == c.grid.clip;
    }
    return m;
}

// `m` without the rows (byRow) or columns `gone`.
Eigen::MatrixXf without(const Eigen::MatrixXf &m, const std::vector<int> &gone, bool byRow)
{
    std::vector<int> kept;
    for (int n = 0; n < int(byRow ? m.rows() : m.cols()); ++n)
        if (!std::binary_search(gone.begin(), gone.end(), n))
            kept.push_back(n);
    return byRow ? Eigen::MatrixXf(m(kept, Eigen::all)) : Eigen::MatrixXf(m(Eigen::all, kept));
}

// Whether removing `gone` from `m` (rows or columns) moves its clip.
bool clipMoves(const Eigen::MatrixXf &m, const std::vector<int> &gone, bool byRow,
               const PassOptions &options)
{
    const double p = options.hardware.clipPercentile;
    return hw::clipMagnitude(without(m, gone, byRow), p) != hw::clipMagnitude(m, p);
}

// Keeps in `gone` only what `m` (rows or columns) can lose with its clip kept (see
// removableExactly); `whose` names the matrix in the notes.
void keepClip(const Eigen::MatrixXf &m, bool byRow, std::vector<int> &gone, const QString &layer,
              const QString &whose, const PassOptions &options, QStringList &notes)
{
    if (gone.empty() || !clipMoves(m, gone, byRow, options))
        return;
    // At the percentile 100 the clip moves only when every largest |w| goes: one of them stays.
    const float clip = float(hw::clipMagnitude(m, 100.0));
    const std::vector<int> counts = clipCounts(m, clip, byRow);
    const auto holder =
        std::find_if(gone.begin(), gone.end(), [&](int n) { return counts[std::size_t(n)] > 0; });
    if (!atTop(options) || holder == gone.end()) {
        notes << QStringLiteral("%1: %2 neurons kept for %3: removing them would move %4's "
                                "clipping magnitude (percentile %5), so its scale")
                     .arg(layer)
                     .arg(gone.size())
                     .arg(coreText(options.exactBits), whose)
                     .arg(options.hardware.clipPercentile);
        gone.clear();
        return;
    }
    notes << QStringLiteral("%1: neuron %2 kept for %3: its %4 weights hold %5's largest |w|, "
                            "which sets its scale")
                 .arg(layer)
                 .arg(*holder)
                 .arg(coreText(options.exactBits),
                      byRow ? QStringLiteral("fan-in") : QStringLiteral("outgoing"), whose);
    gone.erase(holder);
}

} // namespace

QString coreText(const std::vector<int> &bits)
{
    QStringList widths;
    for (int b : bits)
        widths << QString::number(b);
    if (widths.size() == 1)
        return QStringLiteral("the %1-bit core").arg(widths.front());
    return QStringLiteral("the %1- and %2-bit cores")
        .arg(widths.mid(0, widths.size() - 1).join(QStringLiteral("-, ")), widths.back());
}

std::vector<int> mergeExactly(Graph &graph, LayerId id, std::vector<int> &keeper,
                              const PassOptions &options, QStringList &notes)
{
    const Layer &layer = graph.layer(id);
    const bool top = atTop(options);
    const Grid producer(layer.weights, options);
    std::vector<int> rowClips =
        top ? clipCounts(layer.weights, producer.clip, true) : std::vector<int>(keeper.size(), 0);
    int producerClips = std::accumulate(rowClips.begin(), rowClips.end(), 0);
    std::vector<Consumer> consumers;
    for (LayerId c : graph.consumers(id)) {
        Layer &l = graph.layer(c);
        Consumer consumer{l.name, &l.weights, Grid(l.weights, options), {}, 0, {}};
        consumer.columnClips = top ? clipCounts(l.weights, consumer.grid.clip, false)
                                   : std::vector<int>(keeper.size(), 0);
        consumer.clips =
            std::accumulate(consumer.columnClips.begin(), consumer.columnClips.end(), 0);
        if (!top)
            consumer.saved = l.weights;
        consumers.push_back(std::move(consumer));
    }

    std::vector<int> merged;
    for (int j = 0; j < int(keeper.size()); ++j) {
        const int i = keeper[std::size_t(j)];
        if (i == j)
            continue;
        QString why = difference(layer, producer, i, j, options);
        if (why.isEmpty() && top && rowClips[std::size_t(j)] == producerClips)
            why = QStringLiteral("its fan-in holds %1's largest |w|, which sets its scale")
                      .arg(layer.name);
        std::vector<MergedColumn> columns;
        for (std::size_t c = 0; why.isEmpty() && c < consumers.size(); ++c) {
            const Consumer &consumer = consumers[c];
            columns.push_back(mergedColumn(consumer, i, j, options));
            why = columns.back().why;
            if (why.isEmpty() && top &&
                consumer.clips - consumer.columnClips[std::size_t(i)] -
                        consumer.columnClips[std::size_t(j)] + columns.back().clips ==
                    0)
                why = QStringLiteral("its outgoing weights hold %1's largest |w|, which sets its "
                                     "scale")
                          .arg(consumer.name);
        }
        if (!why.isEmpty()) {
            notes << QStringLiteral("%1: neuron %2 not merged into %3 (not exact on %4): %5")
                         .arg(layer.name)
                         .arg(j)
                         .arg(i)
                         .arg(coreText(options.exactBits), why);
            keeper[std::size_t(j)] = j;
            continue;
        }
        for (std::size_t c = 0; c < consumers.size(); ++c) {
            Consumer &consumer = consumers[c];
            consumer.weights->col(i) = columns[c].column;
            consumer.clips += columns[c].clips - consumer.columnClips[std::size_t(i)] -
                              consumer.columnClips[std::size_t(j)];
            consumer.columnClips[std::size_t(i)] = columns[c].clips;
            consumer.columnClips[std::size_t(j)] = 0;
        }
        producerClips -= rowClips[std::size_t(j)];
        rowClips[std::size_t(j)] = 0;
        merged.push_back(j);
    }

    // Below the percentile 100 a clip depends on every weight: check the layer's merges at once.
    if (top || merged.empty())
        return merged;
    QString moved;
    if (clipMoves(layer.weights, merged, true, options))
        moved = layer.name;
    for (const Consumer &c : consumers)
        if (moved.isEmpty() && clipMoves(*c.weights, merged, false, options))
            moved = c.name;
    if (moved.isEmpty())
        return merged;
    for (Consumer &c : consumers)
        *c.weights = c.saved;
    for (int j : merged)
        keeper[std::size_t(j)] = j;
    notes << QStringLiteral("%1: %2 merges undone (not exact on %3): they would move %4's clipping "
                            "magnitude (percentile %5), so its scale")
                 .arg(layer.name)
                 .arg(merged.size())
                 .arg(coreText(options.exactBits), moved)
                 .arg(options.hardware.clipPercentile);
    return {};
}

std::vector<int> removableExactly(const Graph &graph, LayerId id, std::vector<int> gone,
                                  const PassOptions &options, QStringList &notes)
{
    const Layer &layer = graph.layer(id);
    keepClip(layer.weights, true, gone, layer.name, layer.name, options, notes);
    for (LayerId c : graph.consumers(id))
        keepClip(graph.layer(c).weights, false, gone, layer.name, graph.layer(c).name, options,
                 notes);
    return gone;
}

} // namespace snn::passes
