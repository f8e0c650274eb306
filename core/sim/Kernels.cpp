#include "sim/Kernels.h"

#include <cstring>

// No FMA in the clones (avx2 does not imply it), so no multiplication and addition are contracted
// into one rounding. This file is compiled with -fno-trapping-math (core/CMakeLists.txt), which
// lets the compiler vectorise the comparisons and changes no value.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define SNN_CPU_DISPATCH __attribute__((target_clones("avx2", "default")))
#else
#define SNN_CPU_DISPATCH
#endif

namespace snn::sim {

namespace {
using Vec8 = float __attribute__((vector_size(32))); // eight floats (two SSE registers without AVX)
} // namespace

SNN_CPU_DISPATCH void addColumns(float *current, int rows, const float *w, std::ptrdiff_t ld,
                                 const int *idx, std::size_t count)
{
    // 64 rows at a time held in registers while every column passes (one load and one addition
    // per 8 values, where adding column after column to memory also loads and stores `current`),
    // then 8 rows, then one.
    // The columns come in no pattern the hardware prefetcher sees: fetch the one kAhead columns on
    // (its 256 bytes, four cache lines) while adding this one.
    constexpr int kWide = 8;
    constexpr std::size_t kAhead = 8;
    int r = 0;
    for (; r + 8 * kWide <= rows; r += 8 * kWide) {
        Vec8 acc[kWide];
        std::memcpy(acc, current + r, sizeof acc);
        for (std::size_t i = 0; i < count; ++i) {
            const float *c = w + idx[i] * ld + r;
            if (i + kAhead < count) {
                const float *next = w + idx[i + kAhead] * ld + r;
                for (int q = 0; q < kWide; q += 2)
                    __builtin_prefetch(next + 8 * q);
            }
            for (int q = 0; q < kWide; ++q) {
                Vec8 x;
                std::memcpy(&x, c + 8 * q, sizeof x);
                acc[q] += x;
            }
        }
        std::memcpy(current + r, acc, sizeof acc);
    }
    for (; r + 8 <= rows; r += 8) {
        Vec8 acc;
        std::memcpy(&acc, current + r, sizeof acc);
        for (std::size_t i = 0; i < count; ++i) {
            Vec8 x;
            std::memcpy(&x, w + idx[i] * ld + r, sizeof x);
            acc += x;
        }
        std::memcpy(current + r, &acc, sizeof acc);
    }
    for (; r < rows; ++r) {
        float acc = current[r];
        for (std::size_t i = 0; i < count; ++i)
            acc += w[idx[i] * ld + r];
        current[r] = acc;
    }
}

SNN_CPU_DISPATCH void subtractStep(float *__restrict v, const float *__restrict current, int count,
                                   float beta, float threshold, float *__restrict spike,
                                   float *__restrict pre)
{
    const auto loop = [&](auto storePre) {
        for (int n = 0; n < count; ++n) {
            const float u = beta * v[n] + current[n];
            storePre(n, u);
            const float fired = float(u > threshold); // 1 or 0
            spike[n] = fired;
            v[n] = u - fired * threshold; // u - threshold, or u - 0 (threshold > 0)
        }
    };
    if (pre)
        loop([pre](int n, float u) { pre[n] = u; });
    else
        loop([](int, float) {});
}

} // namespace snn::sim
