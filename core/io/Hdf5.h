#pragma once

// A thin RAII layer over the HDF5 C API, shared by every file format in core. Failures throw
// snn::Error with the given context; HDF5's own error printing is switched off. The Debian HDF5
// build is not thread-safe, so every entry point into a file holds lock() while it works.

#include "base/DeclaredSize.h"
#include "base/Matrix.h"

#include <QString>
#include <QStringList>
#include <hdf5.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace snn::h5 {

std::unique_lock<std::recursive_mutex> lock();

class Handle {
public:
    using Closer = herr_t (*)(hid_t);
    Handle() = default;
    Handle(hid_t id, Closer closer)
        : m_id(id)
        , m_closer(closer)
    {}
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
    Handle(Handle &&other) noexcept { *this = std::move(other); }
    Handle &operator=(Handle &&other) noexcept;
    ~Handle() { reset(); }

    hid_t id() const { return m_id; }
    operator hid_t() const { return m_id; }
    bool valid() const { return m_id >= 0; }
    void reset();
    hid_t release() { return std::exchange(m_id, -1); } // the caller closes it

private:
    hid_t m_id = -1;
    Closer m_closer = nullptr;
};

// Files. openFile throws Error("cannot open PATH: ...") for a missing or non-HDF5 file.
Handle openFile(const QString &path);
// The bytes of an HDF5 file that `fill` builds in memory (HDF5's core driver: no failed write or
// close on a full disk can leave HDF5 holding a half-written file). Holds lock() while it works.
// `expectedSize`, when known, is reserved at once: the image then grows without being copied.
QByteArray buildFile(const std::function<void(hid_t file)> &fill, qsizetype expectedSize = 0);
// buildFile(), then writeAtomically() puts its bytes in place of `path`.
void saveFile(const QString &path, const std::function<void(hid_t file)> &fill);

bool exists(hid_t loc, const QString &name); // a link (group or dataset) below loc
bool isGroup(hid_t loc, const QString &name);
Handle openGroup(hid_t loc, const QString &name);
Handle createGroup(hid_t loc, const QString &name);
QStringList childNames(hid_t group); // in HDF5's name order

// Every read below checks the declared shape first: a null dataspace, more than kMaxReadValues
// values (base/DeclaredSize.h), or an allocation that fails is refused with an Error naming the
// attribute or dataset.

// Attributes.
bool hasAttribute(hid_t loc, const QString &name);
std::optional<QString> readStringAttribute(hid_t loc, const QString &name);
std::optional<double> readNumberAttribute(hid_t loc, const QString &name);
// One number that must be an integer in [min, max]: anything else (NaN, 8.5, 1e12) is refused
// with "attribute 'NAME' must be an integer in [MIN, MAX], not VALUE".
std::optional<long long> readIntegerAttribute(hid_t loc, const QString &name, long long min,
                                              long long max);
// One number that fits a float (NaN and Inf pass, for the caller to judge); larger magnitudes
// are refused with "attribute 'NAME' is VALUE, outside the float range".
std::optional<float> readFloatAttribute(hid_t loc, const QString &name);
void writeStringAttribute(hid_t loc, const QString &name, const QString &value);
void writeNumberAttribute(hid_t loc, const QString &name, double value);
void writeFloatAttribute(hid_t loc, const QString &name, float value); // stored as float32
void writeIntAttribute(hid_t loc, const QString &name, long long value);

// Datasets of numbers, converted to the requested type by HDF5. shape() is empty for a scalar.
std::vector<hsize_t> datasetShape(hid_t loc, const QString &name);
// The number of values of a shape (1 for a scalar), saturated at the largest hsize_t (valueCount).
hsize_t elementCount(const std::vector<hsize_t> &shape);
std::vector<double> readDoubles(hid_t loc, const QString &name,
                                std::vector<hsize_t> *shape = nullptr);
RowMatrixXf readMatrix(hid_t loc, const QString &name);       // 2-D datasets only
RowMatrixXd readDoubleMatrix(hid_t loc, const QString &name); // as readMatrix, in float64
Eigen::VectorXf readVector(hid_t loc, const QString &name);   // 1-D datasets only
// A 2-D dataset [rows x cols] into a column-major matrix of that shape (layers' weights): the
// values are transposed tile by tile on the way, straight out of the file's pages when the
// dataset is contiguous float32 (what SNN Studio writes), else after HDF5 has converted it.
Eigen::MatrixXf readColumnMajorMatrix(hid_t loc, const QString &name);

struct WriteOptions {
    bool gzip = false;
    bool asDouble = false; // store float64 instead of float32
};
void writeMatrix(hid_t loc, const QString &name, const Eigen::Ref<const RowMatrixXf> &m,
                 WriteOptions options = {});
// A column-major matrix as a [rows x cols] float32 dataset (C order), transposed a slab of rows
// at a time (a gzip or float64 dataset: transposed whole, then written).
void writeColumnMajorMatrix(hid_t loc, const QString &name,
                            const Eigen::Ref<const Eigen::MatrixXf> &m, WriteOptions options = {});
void writeVector(hid_t loc, const QString &name, const Eigen::Ref<const Eigen::VectorXf> &v,
                 WriteOptions options = {});
void writeDoubles(hid_t loc, const QString &name, const std::vector<double> &values,
                  const std::vector<hsize_t> &shape, WriteOptions options = {});
// Integers, stored as int64 (e.g. NIR's `shape` datasets); options.asDouble is ignored.
void writeInts(hid_t loc, const QString &name, const std::vector<long long> &values,
               const std::vector<hsize_t> &shape, WriteOptions options = {});

// Numbers as float32 / bytes in memory (any numeric type in the file, converted by HDF5), and
// written as float32 / uint8: for large arrays that doubles would not fit (spike trains).
std::vector<float> readFloats(hid_t loc, const QString &name, std::vector<hsize_t> *shape);
void writeFloats(hid_t loc, const QString &name, const std::vector<float> &values,
                 const std::vector<hsize_t> &shape, WriteOptions options = {});
void writeBytes(hid_t loc, const QString &name, const std::vector<std::uint8_t> &values,
                const std::vector<hsize_t> &shape, WriteOptions options = {});

// Datasets of strings (fixed or variable length on reading; variable-length UTF-8 on writing).
QStringList readStrings(hid_t loc, const QString &name, std::vector<hsize_t> *shape = nullptr);
void writeStrings(hid_t loc, const QString &name, const QStringList &values,
                  const std::vector<hsize_t> &shape, WriteOptions options = {});

} // namespace snn::h5
