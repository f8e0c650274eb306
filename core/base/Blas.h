#pragma once

// Matrix products through OpenBLAS (Debian's libopenblas picks its kernels for the CPU at run
// time, so one binary is fast on any x86-64). OpenBLAS runs single-threaded in this process: the
// callers split their work into pieces whose shapes do not depend on the thread count and run the
// pieces on their own threads, so every value is computed by the same call with the same operands
// whatever --threads says, and results are bit-identical for any thread count.

#include <Eigen/Core>

namespace snn::blas {

using ConstRef = Eigen::Ref<const Eigen::MatrixXf, 0, Eigen::OuterStride<>>;
using Ref = Eigen::Ref<Eigen::MatrixXf, 0, Eigen::OuterStride<>>;

// c = op(a) op(b) + beta c, where op transposes when asked. Shapes must agree (asserted).
void gemm(const ConstRef &a, bool transposeA, const ConstRef &b, bool transposeB, Ref c,
          float beta = 0.0f);

// One triangle, the lower or the upper (with the diagonal), of c = a a^T, or of a^T a when
// transposeA; the other triangle is left untouched.
void syrk(const ConstRef &a, bool transposeA, Ref c, bool lower);

} // namespace snn::blas
