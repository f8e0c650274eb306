#pragma once

#include "graph/Graph.h"
#include "graph/GraphSummary.h"
#include "nir/NirFile.h"

namespace snn {

// Loads a graph from either format, chosen by the file's content: a NIR file (root group 'node',
// imported with nirOptions) or an SNN Studio graph file (loadGraph). Throws Error like both.
Graph loadAnyGraph(const QString &path, const nir::NirOptions &nirOptions = {});
// The summary of either format: loadGraphSummary for an SNN Studio file (no weights read); a NIR
// file is imported whole and summarised.
GraphSummary loadAnyGraphSummary(const QString &path, const nir::NirOptions &nirOptions = {});

} // namespace snn
