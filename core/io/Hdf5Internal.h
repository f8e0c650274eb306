#pragma once

// What io/Hdf5.cpp shares with io/Hdf5Matrix.cpp; not part of the h5:: interface.

#include "base/Text.h"
#include "io/Hdf5.h"

#include <new>

namespace snn::h5::internal {

[[noreturn]] void fail(const QString &what);
// `id` as a Handle closed by `closer`; a negative id throws Error(what).
Handle check(hid_t id, Handle::Closer closer, const QString &what);
Handle dataspace(const std::vector<hsize_t> &shape); // scalar when empty
// The shape of a space that is about to be read: a null space (h5py.Empty) and more than
// kMaxReadValues values (base/DeclaredSize.h) are refused, naming `name`.
std::vector<hsize_t> readableShape(hid_t space, const QString &name);
// Refuses what is not an integer or float type HDF5 converts safely (see Hdf5.cpp).
void checkNumeric(hid_t type, const QString &name);
Handle openDataset(hid_t loc, const QString &name); // "missing dataset 'NAME'" when absent
// A dataset of numbers about to be read: its shape checked (readableShape) to have `rank`
// dimensions, its type checked (checkNumeric).
struct NumericDataset {
    Handle dataset;
    Handle type;
    std::vector<hsize_t> shape;
};
NumericDataset openNumeric(hid_t loc, const QString &name, std::size_t rank);
// Chunked as one chunk and deflated with options.gzip, else contiguous.
Handle datasetCreationList(const std::vector<hsize_t> &shape, WriteOptions options);

// Asks the kernel for huge pages under a large buffer that is about to be filled: one fault per
// 2 MB instead of per 4 KB (ignored where transparent huge pages are off).
void preferHugePages(void *data, std::size_t bytes);

// Runs an allocation for `name`; running out of memory becomes an Error naming it.
template <typename F> auto allocate(const QString &name, const std::vector<hsize_t> &shape, F &&f)
{
    try {
        return f();
    } catch (const std::bad_alloc &) {
        fail(QStringLiteral("out of memory reading '%1' %2").arg(name, shapeText(shape)));
    }
}

} // namespace snn::h5::internal
