// Throughput of the bit-accurate hardware model (hw::runModel) on the seed's 784-256-64-10
// example at 4 and 8 bits, 16 steps: what the studio pays for quantised accuracy per sample.

#include "Example.h"
#include "hw/Exporter.h"
#include "hw/Quantizer.h"

#include <benchmark/benchmark.h>

namespace {

void modelSample(benchmark::State &state)
{
    snn::hw::QuantConfig config;
    config.weightBits = int(state.range(0));
    const snn::hw::QuantizedNetwork net = snn::hw::quantize(snn::exampleGraph(), config);
    const auto samples = snn::hw::randomSamples(net.inputSize, 16, 1);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(snn::hw::runModel(net, samples[i++ % samples.size()]));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(modelSample)->Arg(4)->Arg(8)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
