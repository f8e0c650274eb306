#pragma once

// The areas of the snnstudio module, each in its own file: a function that adds the area's classes
// and functions to the module. Module.cpp calls them in this order (a class is registered before
// the functions whose signatures name it).

#include <pybind11/pybind11.h>

namespace snnpy {

void bindGraph(pybind11::module_ &m); // LayerNode, SNNGraph, load, export_nir, example_graph
void bindReports(
    pybind11::module_ &m);             // GraphSize, AccuracyChange, LayerChange, PassReport, Report
void bindPasses(pybind11::module_ &m); // available_passes, optimize, sweep and its results
void bindSimulation(pybind11::module_ &m); // Activity, evaluate, rates, simulate
void bindHardware(pybind11::module_ &m);   // estimate, quantize, boards, export_hardware, synth
void bindPipeline(pybind11::module_ &m);   // pipeline and its PipelineResult

} // namespace snnpy
