#pragma once

#include "base/DeclaredSize.h"
#include "graph/Graph.h"
#include "graph/GraphSummary.h"

#include <hdf5.h>

#include <cstdint>

namespace snn {

// The project's HDF5 graph file (docs/file-format.md). loadGraph throws Error with one line naming
// the file, the layer and the problem; it never returns an invalid graph. saveGraph validates the
// graph, then writes it atomically.
inline constexpr int kFormatVersion = 1;
// At most kMaxGraphValues values (base/DeclaredSize.h) are read from one file.
Graph loadGraph(const QString &path);
// The file's layers without reading their weights: the same checks of names, sources, declared
// sizes, biases, rates and neuron parameters as loadGraph, and the same errors; the weights'
// values are neither read nor checked.
GraphSummary loadGraphSummary(const QString &path);
void saveGraph(const Graph &graph, const QString &path);
// The bytes of the graph's file, for writeAtomically() with other files (validated first).
QByteArray graphFileBytes(const Graph &graph);
// The graph file's layout at `loc`, the root of a file or a group in one (a training checkpoint
// keeps its best graph so): read with loadGraph's checks (errors without the file's name), and
// written for the valid `graph`. The caller holds h5::lock().
Graph readGraph(hid_t loc);
void writeGraph(const Graph &graph, hid_t loc);

} // namespace snn
