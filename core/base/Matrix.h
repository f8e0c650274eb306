#pragma once

// Row-major dense matrices: data sets (one sample a row) and HDF5 datasets (C order) are laid out
// so.

#include <Eigen/Core>

namespace snn {

using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

} // namespace snn
