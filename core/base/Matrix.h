#pragma once

// Row-major dense matrices: data sets (one sample a row) and HDF5 datasets (C order) are laid out
// so.

#include <Eigen/Core>

namespace snn {

using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Resizes the dense matrix or vector `m` to rows x cols (its values undefined) so that running out
// of memory leaves it empty and valid. Eigen 3.4's resize() frees the old buffer before it
// allocates the new one and keeps the freed pointer when that allocation throws, so that the
// matrix's destructor frees it a second time (snnc train aborted so, issue 29). For a buffer that
// outlives a failed allocation (a workspace kept between calls, a local the unwinding destroys),
// resize through here, never with resize(), setZero(rows, cols) or an assignment that changes
// the size.
template <typename M> void resizeSafely(M &m, Eigen::Index rows, Eigen::Index cols)
{
    if (m.size() != rows * cols)
        m = M(); // frees the old buffer: m holds none while the new one is allocated
    m.resize(rows, cols);
}

// resizeSafely(), then every value 0.
template <typename M> void setZeroSafely(M &m, Eigen::Index rows, Eigen::Index cols)
{
    resizeSafely(m, rows, cols);
    m.setZero();
}

} // namespace snn
