#include "sim/Kernels.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

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

// The height of the row group that starts at row r (PackedColumns).
int groupHeight(int r, int rows)
{
    return rows - r >= 64 ? 64 : rows - r >= 8 ? 8 : 1;
}

// addColumnSets on the row group [r, r + 8 kVecs) (kVecs > 0) or on row r alone (kVecs == 0),
// whose weights start at w. The columns come in blocks of kBlockColumns (64 of them of a 64-row
// group are 16 KB: they stay in the L1 cache while every set adds its columns from the block),
// and each set's current is held in registers while its columns of a block pass: one load and
// one addition per 8 values. Holding a sum in memory from one block to the next changes no value,
// so each element still gets its columns one after another in index order. Inlined into each clone
// of addColumnSets, so compiled for its instruction set.
template <int kVecs>
__attribute__((always_inline)) inline void addGroup(float *current, std::ptrdiff_t ldc, int r,
                                                    const float *w, int cols, const int *idx,
                                                    const std::size_t *offsets, std::size_t sets)
{
    using Acc = std::conditional_t<kVecs == 0, float, Vec8>;
    constexpr int kCount = kVecs == 0 ? 1 : kVecs;
    constexpr std::ptrdiff_t kHeight = kVecs == 0 ? 1 : 8 * kVecs;
    constexpr int kBlockColumns = 128;
    constexpr std::size_t kSets = 32; // sets per pass: their positions in idx on the stack
    const int block = sets > 1 ? kBlockColumns : cols; // one set: nothing to reuse
    std::size_t next[kSets];
    for (std::size_t s0 = 0; s0 < sets; s0 += kSets) {
        const std::size_t n = std::min(kSets, sets - s0);
        for (std::size_t s = 0; s < n; ++s)
            next[s] = offsets[s0 + s];
        for (int c0 = 0; c0 < cols; c0 += block) {
            const int c1 = c0 + block;
            for (std::size_t s = 0; s < n; ++s) {
                std::size_t i = next[s];
                const std::size_t end = offsets[s0 + s + 1];
                if (i == end || idx[i] >= c1)
                    continue;
                float *out = current + std::ptrdiff_t(s0 + s) * ldc + r;
                Acc acc[kCount];
                std::memcpy(acc, out, sizeof acc);
                for (; i < end && idx[i] < c1; ++i) {
                    const float *c = w + idx[i] * kHeight;
                    for (int q = 0; q < kCount; ++q) {
                        Acc x;
                        std::memcpy(&x, c + 8 * q, sizeof x);
                        acc[q] += x;
                    }
                }
                std::memcpy(out, acc, sizeof acc);
                next[s] = i;
            }
        }
    }
}

} // namespace

PackedColumns::PackedColumns(const float *w, int rows, int cols, std::ptrdiff_t ld)
    : m_lines((std::size_t(rows) * std::size_t(cols) + 15) / 16)
    , m_rows(rows)
    , m_cols(cols)
{
    float *out = reinterpret_cast<float *>(m_lines.data());
    for (int r = 0, h; r < rows; r += h) {
        h = groupHeight(r, rows);
        for (int j = 0; j < cols; ++j)
            for (int i = 0; i < h; ++i)
                out[std::ptrdiff_t(r) * cols + std::ptrdiff_t(j) * h + i] = w[j * ld + r + i];
    }
}

SNN_CPU_DISPATCH void addColumnSets(float *current, std::ptrdiff_t ldc, const PackedColumns &w,
                                    const int *idx, const std::size_t *offsets, std::size_t sets)
{
    const int rows = w.rows(), cols = w.cols();
    for (int r = 0, h; r < rows; r += h) {
        h = groupHeight(r, rows);
        const float *group = w.data() + std::ptrdiff_t(r) * cols;
        if (h == 64)
            addGroup<8>(current, ldc, r, group, cols, idx, offsets, sets);
        else if (h == 8)
            addGroup<1>(current, ldc, r, group, cols, idx, offsets, sets);
        else
            addGroup<0>(current, ldc, r, group, cols, idx, offsets, sets);
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
