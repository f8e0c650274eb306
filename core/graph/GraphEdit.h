#pragma once

#include "graph/Graph.h"

#include <cstdint>
#include <map>

namespace snn::edit {

// The studio's graph-editing rules, on plain Graph values (docs/studio.md, "Edit rules").
//
// New weights (new neurons' rows, new input columns, a new layer) are kNewWeightScale * N(0, 1)
// drawn from snn::Rng seeded with kEditSeed + the id of the layer whose matrix grows, row by row
// and within a row column by column; new neurons get bias 0. The same edit on the same graph
// always gives the same weights. Every function validates its arguments first and throws Error
// (changing nothing) when the edit is invalid.
inline constexpr std::uint64_t kEditSeed = 0x534e4e5354554449ULL; // "SNNSTUDI"
inline constexpr float kNewWeightScale = 0.01f;

// Gives a layer `neurons` neurons (>= 1). Growing appends rows of new weights and clears the
// layer's firing rates and their source (the new neurons were never measured); shrinking drops the
// last rows, bias and rate entries. Every consumer's input columns follow (dropped or new weights).
void resizeLayer(Graph &graph, LayerId id, int neurons);

// Feeds a layer from `source` (a layer id or kNetworkInput). Throws Error for a cycle or a
// missing source. The layer's input columns are resized to the new source's neuron count:
// columns beyond it are dropped, missing columns get new weights.
void setLayerSource(Graph &graph, LayerId id, LayerId source);

// Removes a layer; the layers it fed are fed by its source instead (columns resized as above).
void removeLayer(Graph &graph, LayerId id);

// A new layer (not yet added) fed by `source` with `neurons` neurons, new weights, no bias, no
// rates, id nextLayerId(graph) and the given name (or uniqueName(graph, "layer") when empty);
// throws Error for a name that breaks the name rule or is taken.
Layer newLayer(const Graph &graph, LayerId source, int neurons, const QString &name = {});

// Renames a layer to `name` without its surrounding white space; throws Error for a name that
// breaks the name rule (Names.h) or is taken.
void renameLayer(Graph &graph, LayerId id, const QString &name);
// The name renameLayer would give the layer (`name` trimmed), checked the same way (throws Error
// the same way), without changing the graph.
QString checkedName(const Graph &graph, LayerId id, const QString &name);

LayerId nextLayerId(const Graph &graph);
// base1, base2, ...: the first not used by a layer.
QString uniqueName(const Graph &graph, const QString &base);

// Left-to-right layout: column = depth (the input is column 0), rows in layer order within a
// column, kColumnSpacing by kRowSpacing apart. Returns a position for every layer.
inline constexpr double kColumnSpacing = 250.0;
inline constexpr double kRowSpacing = 170.0;
std::map<LayerId, QPointF> autoLayout(const Graph &graph);

} // namespace snn::edit
