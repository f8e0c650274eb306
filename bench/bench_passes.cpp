// Benchmarks of the optimisation passes (results and how to run them: docs/performance.md).
//
// The redundancy pass's cost is one normalised Gram product (OpenBLAS); it is measured against one
// sgemm of the same size by Eigen and by OpenBLAS, and against the seed's approach, a scalar double
// loop over neuron pairs.

#include "base/Rng.h"
#include "graph/Example.h"
#include "opt/Optimizer.h"
#include "opt/Passes.h"

#include <benchmark/benchmark.h>

#include <cblas.h>

namespace {

Eigen::MatrixXf randomMatrix(int rows, int cols)
{
    snn::Rng rng(1);
    Eigen::MatrixXf m(rows, cols);
    for (int c = 0; c < cols; ++c)
        for (int r = 0; r < rows; ++r)
            m(r, c) = float(rng.normal());
    return m;
}

void flops(benchmark::State &state, double n)
{
    state.counters["GFLOP/s"] =
        benchmark::Counter(2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate,
                           benchmark::Counter::kIs1000);
}

void BM_RedundancyGram(benchmark::State &state)
{
    const int n = int(state.range(0));
    const Eigen::MatrixXf w = randomMatrix(n, n);
    for (auto _ : state)
        benchmark::DoNotOptimize(snn::passes::findRedundantNeurons(w, {}, 0.99f, 0.01f));
    flops(state, n); // as if it were a full product: the pass computes a band of the triangle
}

void BM_EigenSgemm(benchmark::State &state)
{
    const int n = int(state.range(0));
    const Eigen::MatrixXf a = randomMatrix(n, n), b = randomMatrix(n, n);
    Eigen::MatrixXf c(n, n);
    for (auto _ : state) {
        c.noalias() = a * b.transpose();
        benchmark::DoNotOptimize(c.data());
    }
    flops(state, n);
}

void BM_OpenBlasSgemm(benchmark::State &state)
{
    const int n = int(state.range(0));
    const Eigen::MatrixXf a = randomMatrix(n, n), b = randomMatrix(n, n);
    Eigen::MatrixXf c(n, n);
    for (auto _ : state) {
        cblas_sgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0f, a.data(), n, b.data(),
                    n, 0.0f, c.data(), n);
        benchmark::DoNotOptimize(c.data());
    }
    flops(state, n);
}
BENCHMARK(BM_OpenBlasSgemm)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond)->UseRealTime();

// The seed's approach: cosine similarity of every pair by a scalar loop.
void BM_NaivePairLoop(benchmark::State &state)
{
    const int n = int(state.range(0));
    const Eigen::MatrixXf w = randomMatrix(n, n);
    for (auto _ : state) {
        int similar = 0;
        for (int i = 0; i < n; ++i)
            for (int j = i + 1; j < n; ++j) {
                float dot = 0, ni = 0, nj = 0;
                for (int k = 0; k < n; ++k) {
                    dot += w(i, k) * w(j, k);
                    ni += w(i, k) * w(i, k);
                    nj += w(j, k) * w(j, k);
                }
                similar += dot / std::sqrt(ni * nj) > 0.99f;
            }
        benchmark::DoNotOptimize(similar);
    }
}

void BM_OptimizeExample(benchmark::State &state)
{
    const snn::Graph g = snn::exampleGraph();
    for (auto _ : state)
        benchmark::DoNotOptimize(snn::optimize(g, snn::availablePasses()));
}

BENCHMARK(BM_RedundancyGram)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EigenSgemm)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_NaivePairLoop)->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_OptimizeExample)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
