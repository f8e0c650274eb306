#pragma once

// The engine's and the trainer's innermost loops, compiled for AVX2 as well as for baseline x86-64
// and chosen at run time by the CPU it runs on (GCC's target_clones), so the Debian-built binary
// uses the vector width the machine has without -march=native.

#include <cstddef>

namespace snn::sim {

// current[r] += w[idx[0] ld + r] + w[idx[1] ld + r] + ... for r < rows (w column-major with
// leading dimension ld): every element gets the same additions in the same order as adding one
// column after another, whatever the vector width, so results are identical on every CPU.
void addColumns(float *current, int rows, const float *w, std::ptrdiff_t ld, const int *idx,
                std::size_t count);

// neuronStep (sim/Dynamics.h) on `count` neurons with the subtract reset, vectorised: the same
// values (u - 0.0f is u, and neuronStep's "- 0.0f" leaves every value as it is). spike[n] is 1 or
// 0, and pre[n], when given, the membrane before the reset.
void subtractStep(float *v, const float *current, int count, float beta, float threshold,
                  float *spike, float *pre = nullptr);

} // namespace snn::sim
