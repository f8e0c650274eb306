// Loading and validating a chain of n small layers (4 LIF neurons each), and importing it from NIR
// (2n + 2 nodes): all take linear time in the number of layers (docs/performance.md, "Many
// layers"). Loading and saving one layer of [n x n] weights (and 10 outputs): at memory speed
// (docs/performance.md, "Loading and saving a graph").
//   build/release/bin/bench_graph
#include "base/Rng.h"
#include "graph/Graph.h"
#include "io/GraphFile.h"
#include "nir/NirFile.h"

#include <QTemporaryDir>

#include <benchmark/benchmark.h>

namespace {

snn::Graph chain(int layers)
{
    std::vector<snn::Layer> list;
    for (int i = 0; i < layers; ++i) {
        snn::Layer l;
        l.id = i + 1;
        l.source = i; // the previous layer; 0 (the network input) for the first
        l.name = QStringLiteral("l%1").arg(i + 1);
        l.weights = Eigen::MatrixXf::Constant(4, 4, 0.5f);
        list.push_back(std::move(l));
    }
    return snn::Graph(4, std::move(list));
}

// An [n x n] layer of random weights feeding 10 outputs.
snn::Graph wide(int n)
{
    snn::Rng rng(1);
    snn::Graph graph(n);
    snn::Layer hidden;
    hidden.name = QStringLiteral("hidden");
    hidden.weights.resize(n, n);
    for (Eigen::Index i = 0; i < hidden.weights.size(); ++i)
        hidden.weights.data()[i] = float(rng.normal());
    const snn::LayerId id = graph.addLayer(hidden);
    snn::Layer out;
    out.name = QStringLiteral("out");
    out.source = id;
    out.weights = Eigen::MatrixXf::Constant(10, n, 0.5f);
    graph.addLayer(out);
    return graph;
}

void loadWide(benchmark::State &state)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("wide.h5"));
    snn::saveGraph(wide(int(state.range(0))), path);
    for (auto _ : state)
        benchmark::DoNotOptimize(snn::loadGraph(path));
    state.SetBytesProcessed(state.iterations() * state.range(0) * state.range(0) * 4);
}

// The file's bytes built in memory (saveGraph without the disk).
void buildWide(benchmark::State &state)
{
    const snn::Graph graph = wide(int(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(snn::graphFileBytes(graph));
    state.SetBytesProcessed(state.iterations() * state.range(0) * state.range(0) * 4);
}

void saveWide(benchmark::State &state)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("wide.h5"));
    const snn::Graph graph = wide(int(state.range(0)));
    for (auto _ : state)
        snn::saveGraph(graph, path);
    state.SetBytesProcessed(state.iterations() * state.range(0) * state.range(0) * 4);
}

void validateChain(benchmark::State &state)
{
    const snn::Graph graph = chain(int(state.range(0)));
    for (auto _ : state)
        graph.validate();
    state.SetComplexityN(state.range(0));
}

void loadChain(benchmark::State &state)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("chain.h5"));
    snn::saveGraph(chain(int(state.range(0))), path);
    for (auto _ : state)
        benchmark::DoNotOptimize(snn::loadGraph(path));
    state.SetComplexityN(state.range(0));
}

void importNirChain(benchmark::State &state)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("chain.nir"));
    snn::nir::exportNir(chain(int(state.range(0))), path);
    for (auto _ : state)
        benchmark::DoNotOptimize(snn::nir::importNir(path));
    state.SetComplexityN(state.range(0));
}

} // namespace

BENCHMARK(validateChain)->RangeMultiplier(4)->Range(1 << 11, 1 << 15)->Complexity();
BENCHMARK(loadChain)
    ->RangeMultiplier(4)
    ->Range(1 << 11, 1 << 15)
    ->Complexity()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(importNirChain)
    ->RangeMultiplier(4)
    ->Range(1 << 10, 1 << 14)
    ->Complexity()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(loadWide)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond);
BENCHMARK(buildWide)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond);
BENCHMARK(saveWide)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
