// NIR export and import of the built-in example network (784-256-64-10 LIF, 217,728 parameters).
//   build/release/bin/bench_nir --benchmark_min_time=1
#include "graph/Example.h"
#include "io/GraphFile.h"
#include "nir/NirFile.h"

#include <QTemporaryDir>

#include <benchmark/benchmark.h>

namespace {

void exportExample(benchmark::State &state)
{
    const snn::Graph graph = snn::exampleGraph();
    QTemporaryDir dir;
    snn::nir::NirOptions options;
    options.gzip = state.range(0) != 0;
    for (auto _ : state)
        snn::nir::exportNir(graph, dir.filePath(QStringLiteral("example.nir")), options);
    state.SetLabel(options.gzip ? "gzip" : "plain");
}

void importExample(benchmark::State &state)
{
    QTemporaryDir dir;
    snn::nir::NirOptions options;
    options.gzip = state.range(0) != 0;
    const QString path = dir.filePath(QStringLiteral("example.nir"));
    snn::nir::exportNir(snn::exampleGraph(), path, options);
    for (auto _ : state)
        benchmark::DoNotOptimize(snn::nir::importNir(path));
    state.SetLabel(options.gzip ? "gzip" : "plain");
}

// The SNN Studio format, for comparison.
void saveExample(benchmark::State &state)
{
    const snn::Graph graph = snn::exampleGraph();
    QTemporaryDir dir;
    for (auto _ : state)
        snn::saveGraph(graph, dir.filePath(QStringLiteral("example.h5")));
}

void loadExample(benchmark::State &state)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("example.h5"));
    snn::saveGraph(snn::exampleGraph(), path);
    for (auto _ : state)
        benchmark::DoNotOptimize(snn::loadGraph(path));
}

} // namespace

BENCHMARK(exportExample)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);
BENCHMARK(importExample)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);
BENCHMARK(saveExample)->Unit(benchmark::kMillisecond);
BENCHMARK(loadExample)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
