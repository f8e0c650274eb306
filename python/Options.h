#pragma once

// Core's option structs from the keyword arguments of the bindings, each checked: ValueError
// (snn::Error) naming the value out of range.

#include "hw/Exporter.h"
#include "opt/Optimizer.h"
#include "sim/Engine.h"

#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snnpy {

// The named passes, in the given order; every pass in the default order for None.
QStringList passList(const std::optional<std::vector<std::string>> &names);
// Simulation of a data set: steps, encoding ("rate" or "current") and seed.
snn::sim::SimOptions simOptions(int steps, const std::string &encoding, std::uint64_t seed);
// A hardware export for a board (by name) at the given widths, lanes and weight memory, and the
// core clock in MHz (0: automatic; ValueError when negative).
snn::hw::ExportOptions exportOptions(const std::string &board, int bits, int lanes, int steps,
                                     int membraneBits, const std::string &memory,
                                     double clockMHz = 0.0);
// The passes' thresholds and, when `validate` is not None, the data set (as dataset() takes it)
// on which optimize() measures accuracy, simulated with steps, encoding and seed.
snn::OptimizeOptions optimizeOptions(float deadThreshold, float similarity, float normTolerance,
                                     float fusionActivity, const pybind11::object &validate,
                                     int steps, const std::string &encoding, std::uint64_t seed,
                                     int limit);

// A neuron_pruning budget from Python: None (none), a number (absolute) or "N%" (of the input
// graph's); ValueError naming `name` for anything else.
snn::PruningBudget pruningBudget(const pybind11::object &value, const char *name);

} // namespace snnpy
