#pragma once

// Sizes a file declares (a dataset's shape, an IDX header, a NIR node's shape), checked against a
// documented ceiling before anything is allocated from them: one rule and one message for every
// reader (docs/file-format.md, docs/datasets.md, docs/simulation.md list the ceilings).

#include <QString>

#include <span>

namespace snn {

// The most values SNN Studio reads from one HDF5 dataset or attribute (graph, NIR, data set,
// simulate input, checkpoint) or from one IDX file: 2^27, 512 MB as float32, above every data set
// it reads (Fashion-MNIST's training images are 47,040,000).
inline constexpr quint64 kMaxReadValues = quint64(1) << 27;
// The most values (weights, biases, rates) one graph file may hold and a NIR import may build:
// far above any network the iCE40 flow or the studio handles, far below what would exhaust memory.
inline constexpr quint64 kMaxGraphValues = quint64(1) << 26;
// The most values `snnc simulate` records (spikes, membranes and outputs of every layer,
// samples x steps x neurons each), checked before it allocates them.
inline constexpr quint64 kMaxRecordedValues = quint64(1) << 28;

// The number of values of `shape` (1 for a scalar), saturated at the largest quint64: no product
// of declared dimensions overflows.
quint64 valueCount(std::span<const quint64> shape);

// Returns valueCount(shape) when it is at most `ceiling`; otherwise throws Error "WHAT declares N
// values (shape S), more than the CEILING SNN Studio SCOPE" (scope: "reads from one dataset").
quint64 checkDeclaredSize(std::span<const quint64> shape, quint64 ceiling, const QString &what,
                          const QString &scope);

// The values a reader allocates from several declared pieces (a graph's layers, a NIR graph's
// nodes), counted against one ceiling as each piece is declared.
class SizeBudget {
public:
    // `scope` names what the ceiling bounds in messages ("the graph").
    SizeBudget(quint64 ceiling, QString scope);
    // Takes `count` values for `what` (a dataset with its shape); throws Error "WHAT takes SCOPE
    // past CEILING values, the most SNN Studio loads" when the total passes the ceiling.
    void take(quint64 count, const QString &what);
    quint64 used() const { return m_used; }

private:
    quint64 m_ceiling;
    QString m_scope;
    quint64 m_used = 0;
};

} // namespace snn
