#pragma once

#include "graph/Graph.h"
#include "graph/GraphSummary.h"

#include <cstdint>

namespace snn {

// The project's HDF5 graph file (docs/file-format.md). loadGraph throws Error with one line naming
// the file, the layer and the problem; it never returns an invalid graph. saveGraph validates the
// graph, then writes it atomically.
inline constexpr int kFormatVersion = 1;
// The most values (weights, biases, rates) one graph file may hold, and a NIR import may read
// and build: far above any network the iCE40 flow or the studio handles, far below what would
// exhaust memory.
inline constexpr std::int64_t kMaxGraphValues = std::int64_t(1) << 26;
Graph loadGraph(const QString &path);
// The file's layers without reading their weights: the same checks of names, sources and declared
// sizes as loadGraph, and the same errors; the weights' values are neither read nor checked.
GraphSummary loadGraphSummary(const QString &path);
void saveGraph(const Graph &graph, const QString &path);
// The bytes of the graph's file, for writeAtomically() with other files (validated first).
QByteArray graphFileBytes(const Graph &graph);

} // namespace snn
