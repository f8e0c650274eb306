#include "base/Blas.h"

#include <cblas.h>

#include <algorithm>
#include <mutex>

namespace snn::blas {

namespace {

// OpenBLAS's own threads off, once for the process (see Blas.h).
void singleThreaded()
{
    static std::once_flag once;
    std::call_once(once, [] { openblas_set_num_threads(1); });
}

CBLAS_TRANSPOSE op(bool transpose)
{
    return transpose ? CblasTrans : CblasNoTrans;
}

} // namespace

void gemm(const ConstRef &a, bool transposeA, const ConstRef &b, bool transposeB, Ref c, float beta)
{
    singleThreaded();
    const Eigen::Index m = transposeA ? a.cols() : a.rows();
    const Eigen::Index k = transposeA ? a.rows() : a.cols();
    const Eigen::Index n = transposeB ? b.rows() : b.cols();
    eigen_assert(c.rows() == m && c.cols() == n && (transposeB ? b.cols() : b.rows()) == k);
    if (m == 0 || n == 0)
        return;
    cblas_sgemm(CblasColMajor, op(transposeA), op(transposeB), blasint(m), blasint(n), blasint(k),
                1.0f, a.data(), blasint(std::max<Eigen::Index>(1, a.outerStride())), b.data(),
                blasint(std::max<Eigen::Index>(1, b.outerStride())), beta, c.data(),
                blasint(std::max<Eigen::Index>(1, c.outerStride())));
}

void syrk(const ConstRef &a, bool transposeA, Ref c, bool lower)
{
    singleThreaded();
    const Eigen::Index n = transposeA ? a.cols() : a.rows();
    const Eigen::Index k = transposeA ? a.rows() : a.cols();
    eigen_assert(c.rows() == n && c.cols() == n);
    if (n == 0)
        return;
    cblas_ssyrk(CblasColMajor, lower ? CblasLower : CblasUpper, op(transposeA), blasint(n),
                blasint(k), 1.0f, a.data(), blasint(std::max<Eigen::Index>(1, a.outerStride())),
                0.0f, c.data(), blasint(std::max<Eigen::Index>(1, c.outerStride())));
}

} // namespace snn::blas
