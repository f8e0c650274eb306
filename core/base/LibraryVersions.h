#pragma once

#include <QString>

namespace snn {

// The versions of the libraries this process runs, as they report them.
QString hdf5Version();     // "1.10.8"
QString openblasVersion(); // "OpenBLAS 0.3.21 DYNAMIC_ARCH ..."

} // namespace snn
