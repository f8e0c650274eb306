#pragma once

// The engine's and the trainer's innermost loops, compiled for AVX2 as well as for baseline x86-64
// and chosen at run time by the CPU it runs on (GCC's target_clones), so the Debian-built binary
// uses the vector width the machine has without -march=native.

#include <cstddef>
#include <vector>

namespace snn::sim {

// A layer's weights [rows x cols] laid out for addColumnSets: the rows in groups of 64, then of 8,
// then single rows, and each group's part of a column contiguous, the columns one after another
// (so a block of columns of one group is one contiguous piece of memory that stays in the cache).
class PackedColumns {
public:
    PackedColumns() = default;                                            // no weights
    PackedColumns(const float *w, int rows, int cols, std::ptrdiff_t ld); // w column-major
    int rows() const { return m_rows; }
    int cols() const { return m_cols; }
    // Row r's group starts at data() + r cols (r a multiple of the group's height h); its part of
    // column j at data() + r cols + j h.
    const float *data() const { return reinterpret_cast<const float *>(m_lines.data()); }

private:
    struct alignas(64) Line {
        float v[16];
    };
    std::vector<Line> m_lines;
    int m_rows = 0, m_cols = 0;
};

// For each set s < sets: current[s ldc + r] += w(r, idx[o]) + w(r, idx[o + 1]) + ... +
// w(r, idx[e - 1]) for r < w.rows(), with o = offsets[s] and e = offsets[s + 1] (the indices of
// a set ascending). Every element gets the same additions in the same order as adding one column
// after another, whatever the vector width and however many sets come at once, so results are
// identical on every CPU. Several sets at once (the input spikes of several time steps) reuse each
// block of weights from the L1 cache for all of them.
void addColumnSets(float *current, std::ptrdiff_t ldc, const PackedColumns &w, const int *idx,
                   const std::size_t *offsets, std::size_t sets);

// neuronStep (sim/Dynamics.h) on `count` neurons with the subtract reset, vectorised: the same
// values (u - 0.0f is u, and neuronStep's "- 0.0f" leaves every value as it is). spike[n] is 1 or
// 0, and pre[n], when given, the membrane before the reset.
void subtractStep(float *v, const float *current, int count, float beta, float threshold,
                  float *spike, float *pre = nullptr);

} // namespace snn::sim
