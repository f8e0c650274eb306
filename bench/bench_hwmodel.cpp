// Throughput of the bit-accurate hardware model on the seed's 784-256-64-10 example at 4 and 8
// bits, 16 steps: what the studio pays for quantised accuracy. hw::runModel (one sample, its
// weights rearranged for that sample alone) against eval::quantizedPredictions (a batch: the
// weights rearranged once per thread), on 1 and 2 threads.

#include "eval/Accuracy.h"
#include "graph/Example.h"
#include "hw/Exporter.h"
#include "hw/Quantizer.h"

#include <benchmark/benchmark.h>
#include <omp.h>

namespace {

snn::hw::QuantizedNetwork exampleNet(int bits)
{
    snn::hw::QuantConfig config;
    config.weightBits = bits;
    return snn::hw::quantize(snn::exampleGraph(), config);
}

void modelSample(benchmark::State &state)
{
    const snn::hw::QuantizedNetwork net = exampleNet(int(state.range(0)));
    const auto samples = snn::hw::randomSamples(net.inputSize, 16, 1);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(snn::hw::runModel(net, samples[i++ % samples.size()]));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(modelSample)->Arg(4)->Arg(8)->Unit(benchmark::kMillisecond);

void modelBatch(benchmark::State &state)
{
    const snn::hw::QuantizedNetwork net = exampleNet(int(state.range(0)));
    constexpr int kBatch = 256;
    const auto samples = snn::hw::randomSamples(net.inputSize, kBatch, 1);
    snn::RowMatrixXf x(kBatch, net.inputSize);
    for (int s = 0; s < kBatch; ++s)
        for (int j = 0; j < net.inputSize; ++j)
            x(s, j) = float(samples[std::size_t(s)][std::size_t(j)]) / 255.0f;
    const int threads = omp_get_max_threads();
    omp_set_num_threads(int(state.range(1)));
    for (auto _ : state)
        benchmark::DoNotOptimize(snn::eval::quantizedPredictions(net, x));
    omp_set_num_threads(threads);
    state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(modelBatch)
    ->ArgsProduct({{4, 8}, {1, 2}})
    ->ArgNames({"bits", "threads"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
