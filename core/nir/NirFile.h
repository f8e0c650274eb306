#pragma once

// NIR (Neuromorphic Intermediate Representation) graph files: import into and export from the
// SNN Studio graph model. The mapping of each NIR node type, the time step and what is refused
// are documented in docs/nir.md.

#include "graph/Graph.h"

#include <QStringList>

#include <optional>

namespace snn::nir {

struct NirOptions {
    // Seconds per simulation step. NIR is continuous time; a LIF with time constant tau becomes
    // beta = 1 - dt / tau (forward Euler). 1e-4 s is the step snnTorch exports with.
    double dt = 1e-4;
    // Import: a dt recorded in the file's SNN Studio metadata, else the one its producer's
    // conventions imply (snnTorch's 1e-4, Norse's 1e-3), wins over `dt`; export: the graph's own
    // (Graph::dt) wins. false: `dt` wins.
    bool dtFromFile = true;
    // Import: how every spiking neuron resets, overriding the file. Unset: as the file's SNN
    // Studio metadata records it, else NIR's own semantics, a reset to v_reset (zero mode).
    std::optional<ResetMode> reset;
    // Import: when every spiking neuron fires, overriding the file. Unset: as the file's SNN
    // Studio metadata records it, else NIR's v > v_threshold (Sinabs fires at v >= threshold).
    std::optional<Firing> firing;
    // Export: gzip every array dataset, like the current NIR writer.
    bool gzip = true;
};

// The NIR version written by exportNir: its LIF and IF nodes carry v_reset.
inline constexpr const char *kNirVersion = "1.0.0";

// Reads a NIR graph. Throws Error with one line naming the file, the node and its type for
// anything that is not an exact chain of supported nodes; never returns an invalid graph.
// `assumptions`, when given, receives one line each on the reset semantics and the time step the
// import assumed, and why, then one line per NIR node key that broke the name rule (Names.h)
// and the layer name it was mapped to (nameFromText, made unique). A name in SNN Studio's
// metadata that breaks the rule is refused.
Graph importNir(const QString &path, const NirOptions &options = {},
                QStringList *assumptions = nullptr);

// Writes the graph as NIR (Input, Affine or Linear, LIF or IF per layer, Output; firing rates,
// canvas positions, reset modes and original names under node/metadata). Validates the graph
// first; the file is written atomically.
void exportNir(const Graph &graph, const QString &path, const NirOptions &options = {});

// The time step an export writes with: the graph's own (Graph::dt, from its import) unless
// options.dtFromFile is off, else options.dt.
double exportDt(const Graph &graph, const NirOptions &options);

// What a NIR file of `graph` cannot carry, as one line, or empty: NIR's LIF and IF reset to
// v_reset, so readers other than SNN Studio (which reads its metadata) run layers that reset by
// subtracting as if they reset to v_reset = 0.
QString exportWarning(const Graph &graph);

// True when path is an HDF5 file laid out as NIR (a root group 'node' and no SNN Studio
// 'format' attribute). False for anything else, including unreadable files.
bool isNirFile(const QString &path);

} // namespace snn::nir
