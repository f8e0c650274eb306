#include "io/Hdf5.h"

#include "base/Error.h"
#include "base/Text.h"
#include "io/AtomicFile.h"
#include "io/Hdf5Check.h"
#include "io/Hdf5Internal.h"

#include <QFile>
#include <QFileInfo>
#include <QStringDecoder>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

namespace snn::h5 {

using namespace internal;

namespace {

QByteArray utf8(const QString &s)
{
    return s.toUtf8();
}

} // namespace

namespace internal {

void fail(const QString &what)
{
    throw Error(what);
}

Handle check(hid_t id, Handle::Closer closer, const QString &what)
{
    if (id < 0)
        fail(what);
    return Handle(id, closer);
}

Handle dataspace(const std::vector<hsize_t> &shape)
{
    if (shape.empty())
        return check(H5Screate(H5S_SCALAR), H5Sclose, QStringLiteral("cannot create a dataspace"));
    return check(H5Screate_simple(int(shape.size()), shape.data(), nullptr), H5Sclose,
                 QStringLiteral("cannot create a dataspace"));
}

} // namespace internal

namespace {

std::vector<hsize_t> shapeOf(hid_t space)
{
    const int rank = H5Sget_simple_extent_ndims(space);
    if (rank < 0)
        fail(QStringLiteral("cannot read a dataspace"));
    std::vector<hsize_t> dims(std::size_t(rank), 0);
    if (rank > 0)
        H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    return dims;
}

} // namespace

hsize_t elementCount(const std::vector<hsize_t> &shape)
{
    return valueCount(shape);
}

namespace internal {

std::vector<hsize_t> readableShape(hid_t space, const QString &name)
{
    if (H5Sget_simple_extent_type(space) == H5S_NULL)
        fail(QStringLiteral("'%1' is empty (a null dataspace)").arg(name));
    const std::vector<hsize_t> shape = shapeOf(space);
    checkDeclaredSize(shape, kMaxReadValues, QStringLiteral("'%1'").arg(name),
                      QStringLiteral("reads from one dataset"));
    return shape;
}

// Integers and floats, the numbers HDF5 converts, of at most 16 bytes: HDF5 allocates a
// conversion buffer of a value's declared size (fuzz_graph found a float of 1.9 GB). Their bits
// (and a float's sign, exponent and mantissa) must lie within those bytes: HDF5 1.10 converts
// from the bit positions the file declares without checking them (a crash in H5T__bit_copy).
void checkNumeric(hid_t type, const QString &name)
{
    const H5T_class_t cls = H5Tget_class(type);
    if (cls != H5T_INTEGER && cls != H5T_FLOAT)
        fail(QStringLiteral("'%1' is not numeric").arg(name));
    const std::size_t size = H5Tget_size(type);
    if (size > 16)
        fail(QStringLiteral("'%1' holds numbers of %2 bytes (SNN Studio reads at most 16)")
                 .arg(name)
                 .arg(size));
    const std::size_t bits = 8 * size;
    const std::size_t precision = H5Tget_precision(type);
    const int offset = H5Tget_offset(type);
    bool inside = precision > 0 && offset >= 0 && std::size_t(offset) + precision <= bits;
    if (inside && cls == H5T_FLOAT) {
        std::size_t sign = 0, exponent = 0, exponentBits = 0, mantissa = 0, mantissaBits = 0;
        inside =
            H5Tget_fields(type, &sign, &exponent, &exponentBits, &mantissa, &mantissaBits) >= 0 &&
            sign < bits && exponentBits > 0 && exponentBits <= 64 &&
            exponent + exponentBits <= bits && mantissa + mantissaBits <= bits;
    }
    if (!inside)
        fail(QStringLiteral("'%1' declares numbers whose bits lie outside their %2 bytes")
                 .arg(name)
                 .arg(size));
}

Handle openDataset(hid_t loc, const QString &name)
{
    if (!exists(loc, name))
        fail(QStringLiteral("missing dataset '%1'").arg(name));
    return check(H5Dopen2(loc, utf8(name).constData(), H5P_DEFAULT), H5Dclose,
                 QStringLiteral("cannot open dataset '%1'").arg(name));
}

Handle datasetCreationList(const std::vector<hsize_t> &shape, WriteOptions options)
{
    Handle plist = check(H5Pcreate(H5P_DATASET_CREATE), H5Pclose,
                         QStringLiteral("cannot create a property list"));
    if (options.gzip && !shape.empty() && elementCount(shape) > 0) {
        H5Pset_chunk(plist, int(shape.size()), shape.data());
        H5Pset_deflate(plist, 4);
    }
    return plist;
}

NumericDataset openNumeric(hid_t loc, const QString &name, std::size_t rank)
{
    NumericDataset d;
    d.dataset = openDataset(loc, name);
    Handle space =
        check(H5Dget_space(d.dataset), H5Sclose, QStringLiteral("cannot read '%1'").arg(name));
    d.shape = readableShape(space, name);
    if (d.shape.size() != rank)
        fail(QStringLiteral("'%1' has %2 dimensions, not %3")
                 .arg(name)
                 .arg(d.shape.size())
                 .arg(rank));
    d.type = check(H5Dget_type(d.dataset), H5Tclose, QStringLiteral("cannot read '%1'").arg(name));
    checkNumeric(d.type, name);
    return d;
}

} // namespace internal

namespace {

Handle openAttribute(hid_t loc, const QString &name)
{
    return check(H5Aopen(loc, utf8(name).constData(), H5P_DEFAULT), H5Aclose,
                 QStringLiteral("cannot open attribute '%1'").arg(name));
}

// An attribute that must hold one value (`what`: "strings", "numbers"), checked from its declared
// shape before anything is read; a null space is left to readableShape's message.
Handle openSingleAttribute(hid_t loc, const QString &name, const QString &what)
{
    Handle attr = openAttribute(loc, name);
    Handle space = check(H5Aget_space(attr), H5Sclose,
                         QStringLiteral("cannot read the shape of '%1'").arg(name));
    if (H5Sget_simple_extent_type(space) != H5S_NULL) {
        const hsize_t count = elementCount(shapeOf(space));
        if (count != 1)
            fail(QStringLiteral("attribute '%1' holds %2 %3, not one")
                     .arg(name)
                     .arg(count)
                     .arg(what));
    }
    return attr;
}

// A transfer property list with a small type-conversion buffer. HDF5 callocs its whole
// conversion buffer (1 MiB by default) for every variable-length string read or write; with many
// small string datasets (NIR files) that dominated the time.
Handle smallConversionBuffer()
{
    Handle plist = check(H5Pcreate(H5P_DATASET_XFER), H5Pclose,
                         QStringLiteral("cannot create a property list"));
    H5Pset_buffer(plist, 64 * 1024, nullptr, nullptr);
    return plist;
}

// UTF-8 bytes as text; clears *valid when they are not valid UTF-8.
QString decodeUtf8(QByteArrayView bytes, bool *valid)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        *valid = false;
    return text;
}

// Reads every string of an attribute or dataset, whether stored fixed or variable length.
QStringList readStringData(hid_t object, bool isAttribute, const QString &name,
                           std::vector<hsize_t> *shapeOut)
{
    Handle fileType = check(isAttribute ? H5Aget_type(object) : H5Dget_type(object), H5Tclose,
                            QStringLiteral("cannot read the type of '%1'").arg(name));
    if (H5Tget_class(fileType) != H5T_STRING)
        fail(QStringLiteral("'%1' is not a string").arg(name));
    Handle space = check(isAttribute ? H5Aget_space(object) : H5Dget_space(object), H5Sclose,
                         QStringLiteral("cannot read the shape of '%1'").arg(name));
    const std::vector<hsize_t> shape = readableShape(space, name);
    if (shapeOut)
        *shapeOut = shape;
    const std::size_t count = std::size_t(elementCount(shape));
    Handle memType = check(H5Tcopy(H5T_C_S1), H5Tclose, QStringLiteral("cannot copy a type"));
    H5Tset_cset(memType, H5Tget_cset(fileType));
    QStringList result;
    bool valid = true;
    herr_t status = 0;
    const Handle xfer = smallConversionBuffer();
    if (H5Tis_variable_str(fileType) > 0) {
        H5Tset_size(memType, H5T_VARIABLE);
        std::vector<char *> data =
            allocate(name, shape, [&] { return std::vector<char *>(count, nullptr); });
        status = isAttribute ? H5Aread(object, memType, data.data())
                             : H5Dread(object, memType, H5S_ALL, H5S_ALL, xfer, data.data());
        if (status >= 0)
            for (char *s : data)
                result << decodeUtf8(QByteArrayView(s ? s : ""), &valid);
        if (status >= 0) {
            if (isAttribute)
                for (char *s : data)
                    H5free_memory(s);
            else
                H5Dvlen_reclaim(memType, space, H5P_DEFAULT, data.data());
        }
    } else {
        // Read the bytes as stored (same padding), so that no conversion cuts the text.
        const std::size_t size = H5Tget_size(fileType);
        const H5T_str_t pad = H5Tget_strpad(fileType);
        H5Tset_size(memType, size);
        H5Tset_strpad(memType, pad);
        // Each string's bytes count as values: [strings x bytes].
        const std::array<quint64, 2> stringBytes{count, size};
        checkDeclaredSize(stringBytes, kMaxReadValues, QStringLiteral("'%1'").arg(name),
                          QStringLiteral("reads from one dataset"));
        std::vector<char> data =
            allocate(name, shape, [&] { return std::vector<char>(count * size + 1, '\0'); });
        status = isAttribute ? H5Aread(object, memType, data.data())
                             : H5Dread(object, memType, H5S_ALL, H5S_ALL, xfer, data.data());
        if (status >= 0)
            for (std::size_t i = 0; i < count; ++i) {
                // Trailing NULs (spaces for SPACEPAD) are padding; a NUL inside the text is kept
                // (and refused where the text is a name) rather than silently cutting it.
                const char padding = pad == H5T_STR_SPACEPAD ? ' ' : '\0';
                QByteArrayView bytes(data.data() + i * size, qsizetype(size));
                while (bytes.endsWith(padding))
                    bytes.chop(1);
                result << decodeUtf8(bytes, &valid);
            }
    }
    if (status < 0)
        fail(QStringLiteral("cannot read the strings of '%1'").arg(name));
    if (!valid)
        fail(QStringLiteral("'%1' is not valid UTF-8").arg(name));
    return result;
}

std::vector<double> readNumberData(hid_t object, bool isAttribute, const QString &name,
                                   std::vector<hsize_t> *shapeOut)
{
    Handle fileType = check(isAttribute ? H5Aget_type(object) : H5Dget_type(object), H5Tclose,
                            QStringLiteral("cannot read the type of '%1'").arg(name));
    checkNumeric(fileType, name);
    Handle space = check(isAttribute ? H5Aget_space(object) : H5Dget_space(object), H5Sclose,
                         QStringLiteral("cannot read the shape of '%1'").arg(name));
    const std::vector<hsize_t> shape = readableShape(space, name);
    if (shapeOut)
        *shapeOut = shape;
    std::vector<double> values = allocate(
        name, shape, [&] { return std::vector<double>(std::size_t(elementCount(shape))); });
    if (values.empty())
        return values;
    const herr_t status = isAttribute ? H5Aread(object, H5T_NATIVE_DOUBLE, values.data())
                                      : H5Dread(object, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                                                H5P_DEFAULT, values.data());
    if (status < 0)
        fail(QStringLiteral("cannot read '%1'").arg(name));
    return values;
}

void writeAttribute(hid_t loc, const QString &name, hid_t type, const void *data)
{
    if (H5Aexists(loc, utf8(name).constData()) > 0)
        H5Adelete(loc, utf8(name).constData());
    Handle space = dataspace({});
    Handle attr =
        check(H5Acreate2(loc, utf8(name).constData(), type, space, H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose, QStringLiteral("cannot create attribute '%1'").arg(name));
    if (H5Awrite(attr, type, data) < 0)
        fail(QStringLiteral("cannot write attribute '%1'").arg(name));
}

Handle utf8StringType()
{
    Handle type = check(H5Tcopy(H5T_C_S1), H5Tclose, QStringLiteral("cannot copy a type"));
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    return type;
}

void writeDataset(hid_t loc, const QString &name, hid_t memType, hid_t fileType, const void *data,
                  const std::vector<hsize_t> &shape, WriteOptions options, hid_t xfer = H5P_DEFAULT)
{
    Handle space = dataspace(shape);
    Handle plist = datasetCreationList(shape, options);
    Handle ds = check(
        H5Dcreate2(loc, utf8(name).constData(), fileType, space, H5P_DEFAULT, plist, H5P_DEFAULT),
        H5Dclose, QStringLiteral("cannot create dataset '%1'").arg(name));
    if (elementCount(shape) > 0 && H5Dwrite(ds, memType, H5S_ALL, H5S_ALL, xfer, data) < 0)
        fail(QStringLiteral("cannot write dataset '%1'").arg(name));
}

} // namespace

std::unique_lock<std::recursive_mutex> lock()
{
    static std::recursive_mutex mutex;
    static const bool silenced = [] {
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        return true;
    }();
    Q_UNUSED(silenced);
    return std::unique_lock(mutex);
}

Handle &Handle::operator=(Handle &&other) noexcept
{
    if (this != &other) {
        reset();
        m_id = std::exchange(other.m_id, -1);
        m_closer = std::exchange(other.m_closer, nullptr);
    }
    return *this;
}

void Handle::reset()
{
    if (m_id >= 0 && m_closer)
        m_closer(m_id);
    m_id = -1;
}

Handle openFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        fail(QStringLiteral("cannot open %1: %2").arg(path, missingFileReason(path)));
    if (!info.isFile() || !info.isReadable())
        fail(QStringLiteral("cannot open %1: not a readable file").arg(path));
    const QByteArray native = QFile::encodeName(path);
    if (H5Fis_hdf5(native.constData()) <= 0)
        fail(QStringLiteral("cannot open %1: not an HDF5 file").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        fail(QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
    const uchar *mapped = file.map(0, file.size());
    const QByteArray read = mapped ? QByteArray() : file.readAll();
    const QByteArrayView bytes =
        mapped ? QByteArrayView(mapped, file.size()) : QByteArrayView(read);
    if (const QString problem = fileProblem(bytes); !problem.isEmpty())
        fail(QStringLiteral("cannot open %1: %2").arg(path, problem));
    return check(H5Fopen(native.constData(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                 QStringLiteral("cannot open %1: the HDF5 file is damaged").arg(path));
}

namespace {

// How much the core driver grows a file's image by at a time.
constexpr std::size_t kCoreIncrement = std::size_t(1) << 20;

// The core driver's memory, held in a QByteArray that HDF5 grows (image_realloc) and leaves to us
// when it closes the file (image_free): the file's bytes are then taken without the copy that
// H5Fget_file_image makes.
class ImageBuffer {
public:
    explicit ImageBuffer(qsizetype reserve)
        : m_callbacks{&ImageBuffer::allocate,
                      &ImageBuffer::copy,
                      &ImageBuffer::resize,
                      &ImageBuffer::release,
                      &ImageBuffer::share,
                      &ImageBuffer::unshare,
                      this}
    {
        if (reserve > 0) // the core driver grows the image by whole increments
            m_bytes.reserve(reserve + qsizetype(kCoreIncrement));
    }
    H5FD_file_image_callbacks_t *callbacks() { return &m_callbacks; }
    // The first `size` bytes, once HDF5 has closed the file; empty when it holds fewer.
    QByteArray take(qsizetype size)
    {
        if (size > m_bytes.size())
            return {};
        m_bytes.truncate(size);
        return std::move(m_bytes);
    }

private:
    static void *allocate(std::size_t size, H5FD_file_image_op_t op, void *self)
    {
        return resize(nullptr, size, op, self);
    }
    static void *resize(void *, std::size_t size, H5FD_file_image_op_t, void *self)
    {
        QByteArray &bytes = static_cast<ImageBuffer *>(self)->m_bytes;
        try {
            bytes.resize(qsizetype(size));
        } catch (const std::bad_alloc &) {
            return nullptr; // HDF5 reports the failed write
        }
        preferHugePages(bytes.data(), std::size_t(bytes.capacity()));
        return bytes.data();
    }
    static void *copy(void *to, const void *from, std::size_t size, H5FD_file_image_op_t, void *)
    {
        return std::memcpy(to, from, size);
    }
    static herr_t release(void *, H5FD_file_image_op_t, void *) { return 0; }
    static void *share(void *self) { return self; }
    static herr_t unshare(void *) { return 0; }

    QByteArray m_bytes;
    H5FD_file_image_callbacks_t m_callbacks;
};

} // namespace

QByteArray buildFile(const std::function<void(hid_t file)> &fill, qsizetype expectedSize)
{
    auto guard = lock();
    const QString what = QStringLiteral("HDF5 cannot build a file in memory");
    // Outlives the file, and is left to HDF5 when it fails to close it.
    auto buffer = std::make_unique<ImageBuffer>(expectedSize);
    Handle access = check(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, what);
    if (H5Pset_fapl_core(access, kCoreIncrement, false) < 0 ||
        H5Pset_file_image_callbacks(access, buffer->callbacks()) < 0)
        fail(what);
    // With no backing store nothing reaches the disk, but H5Fcreate first tries to open the name
    // as an existing file, and the core driver reads such a file whole into memory (a
    // ./snn-studio-memory.h5 of 3 GB took every save 19 s and 3.1 GB): the name is one no file
    // can have, below a device.
    Handle file =
        check(H5Fcreate("/dev/null/snn-studio-memory.h5", H5F_ACC_TRUNC, H5P_DEFAULT, access),
              H5Fclose, what);
    fill(file);
    // The image holds what is flushed: the metadata cache would otherwise be missing. Closing
    // writes the superblock as H5Fget_file_image would give it.
    const ssize_t size =
        H5Fflush(file, H5F_SCOPE_GLOBAL) < 0 ? -1 : H5Fget_file_image(file, nullptr, 0);
    if (size < 0)
        fail(what);
    if (H5Fclose(file.release()) < 0) {
        buffer.release(); // HDF5 may still hold it
        fail(what);
    }
    QByteArray image = buffer->take(qsizetype(size));
    if (image.size() != size)
        fail(what);
    return image;
}

void saveFile(const QString &path, const std::function<void(hid_t file)> &fill)
{
    writeAtomically(path, buildFile(fill));
}

bool exists(hid_t loc, const QString &name)
{
    // H5Lexists fails on a path whose intermediate groups are missing, so walk it.
    QString path;
    for (const QString &part : name.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        path += (path.isEmpty() ? QString() : QStringLiteral("/")) + part;
        if (H5Lexists(loc, utf8(path).constData(), H5P_DEFAULT) <= 0)
            return false;
    }
    return true; // every part exists; an empty path or "/" names loc itself
}

bool isGroup(hid_t loc, const QString &name)
{
    if (!exists(loc, name))
        return false;
    Handle obj(H5Oopen(loc, utf8(name).constData(), H5P_DEFAULT), H5Oclose);
    return obj.valid() && H5Iget_type(obj) == H5I_GROUP;
}

Handle openGroup(hid_t loc, const QString &name)
{
    if (!isGroup(loc, name))
        fail(QStringLiteral("missing group '%1'").arg(name));
    return check(H5Gopen2(loc, utf8(name).constData(), H5P_DEFAULT), H5Gclose,
                 QStringLiteral("cannot open group '%1'").arg(name));
}

Handle createGroup(hid_t loc, const QString &name)
{
    return check(H5Gcreate2(loc, utf8(name).constData(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 H5Gclose, QStringLiteral("cannot create group '%1'").arg(name));
}

QStringList childNames(hid_t group)
{
    // One pass over the links (by index, each lookup would walk the group again).
    QStringList names;
    hsize_t next = 0;
    const herr_t status = H5Literate(
        group, H5_INDEX_NAME, H5_ITER_INC, &next,
        [](hid_t, const char *name, const H5L_info_t *, void *data) -> herr_t {
            try {
                static_cast<QStringList *>(data)->append(QString::fromUtf8(name));
                return 0;
            } catch (...) { // no exception through HDF5's C frames
                return -1;
            }
        },
        &names);
    if (status < 0)
        fail(QStringLiteral("cannot list a group"));
    return names;
}

bool hasAttribute(hid_t loc, const QString &name)
{
    return H5Aexists(loc, utf8(name).constData()) > 0;
}

std::optional<QString> readStringAttribute(hid_t loc, const QString &name)
{
    if (!hasAttribute(loc, name))
        return std::nullopt;
    Handle attr = openSingleAttribute(loc, name, QStringLiteral("strings"));
    return readStringData(attr, true, name, nullptr).front();
}

std::optional<double> readNumberAttribute(hid_t loc, const QString &name)
{
    if (!hasAttribute(loc, name))
        return std::nullopt;
    Handle attr = openSingleAttribute(loc, name, QStringLiteral("numbers"));
    return readNumberData(attr, true, name, nullptr).front();
}

std::optional<long long> readIntegerAttribute(hid_t loc, const QString &name, long long min,
                                              long long max)
{
    const std::optional<double> v = readNumberAttribute(loc, name);
    if (!v)
        return std::nullopt;
    // Compared as doubles before any conversion: [min, max] holds the value exactly.
    if (!(*v >= double(min) && *v <= double(max)) || *v != std::floor(*v))
        fail(QStringLiteral("attribute '%1' must be an integer in [%2, %3], not %4")
                 .arg(name)
                 .arg(min)
                 .arg(max)
                 .arg(*v));
    return static_cast<long long>(*v);
}

std::optional<float> readFloatAttribute(hid_t loc, const QString &name)
{
    const std::optional<double> v = readNumberAttribute(loc, name);
    if (!v)
        return std::nullopt;
    if (std::isfinite(*v) && std::abs(*v) > double(std::numeric_limits<float>::max()))
        fail(QStringLiteral("attribute '%1' is %2, outside the float range").arg(name).arg(*v));
    return static_cast<float>(*v);
}

void writeStringAttribute(hid_t loc, const QString &name, const QString &value)
{
    Handle type = utf8StringType();
    const QByteArray bytes = utf8(value);
    const char *data = bytes.constData();
    writeAttribute(loc, name, type, &data);
}

void writeNumberAttribute(hid_t loc, const QString &name, double value)
{
    writeAttribute(loc, name, H5T_NATIVE_DOUBLE, &value);
}

void writeFloatAttribute(hid_t loc, const QString &name, float value)
{
    writeAttribute(loc, name, H5T_NATIVE_FLOAT, &value);
}

void writeIntAttribute(hid_t loc, const QString &name, long long value)
{
    writeAttribute(loc, name, H5T_NATIVE_LLONG, &value);
}

std::vector<hsize_t> datasetShape(hid_t loc, const QString &name)
{
    Handle ds = openDataset(loc, name);
    Handle space = check(H5Dget_space(ds), H5Sclose, QStringLiteral("cannot read '%1'").arg(name));
    return shapeOf(space);
}

std::vector<double> readDoubles(hid_t loc, const QString &name, std::vector<hsize_t> *shape)
{
    Handle ds = openDataset(loc, name);
    return readNumberData(ds, false, name, shape);
}

namespace {

// A 2-D dataset read straight into a row-major matrix of `Matrix`'s scalar (`memType`).
template <typename Matrix> Matrix readMatrixAs(hid_t loc, const QString &name, hid_t memType)
{
    const NumericDataset d = openNumeric(loc, name, 2);
    const std::vector<hsize_t> &shape = d.shape;
    Matrix m = allocate(name, shape, [&] {
        return Matrix(static_cast<Eigen::Index>(shape[0]), static_cast<Eigen::Index>(shape[1]));
    });
    if (m.size() > 0 && H5Dread(d.dataset, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, m.data()) < 0)
        fail(QStringLiteral("cannot read '%1'").arg(name));
    return m;
}

} // namespace

RowMatrixXf readMatrix(hid_t loc, const QString &name)
{
    return readMatrixAs<RowMatrixXf>(loc, name, H5T_NATIVE_FLOAT);
}

RowMatrixXd readDoubleMatrix(hid_t loc, const QString &name)
{
    return readMatrixAs<RowMatrixXd>(loc, name, H5T_NATIVE_DOUBLE);
}

Eigen::VectorXf readVector(hid_t loc, const QString &name)
{
    const NumericDataset d = openNumeric(loc, name, 1);
    Eigen::VectorXf v = allocate(
        name, d.shape, [&] { return Eigen::VectorXf(static_cast<Eigen::Index>(d.shape[0])); });
    if (v.size() > 0 &&
        H5Dread(d.dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) < 0)
        fail(QStringLiteral("cannot read '%1'").arg(name));
    return v;
}

void writeMatrix(hid_t loc, const QString &name, const Eigen::Ref<const RowMatrixXf> &m,
                 WriteOptions options)
{
    if (options.asDouble) {
        const RowMatrixXd d = m.cast<double>();
        writeDataset(loc, name, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, d.data(),
                     {hsize_t(m.rows()), hsize_t(m.cols())}, options);
        return;
    }
    // Ref may have an outer stride: copied only then.
    const RowMatrixXf copy = m.outerStride() == m.cols() ? RowMatrixXf() : RowMatrixXf(m);
    writeDataset(loc, name, H5T_NATIVE_FLOAT, H5T_IEEE_F32LE, copy.size() ? copy.data() : m.data(),
                 {hsize_t(m.rows()), hsize_t(m.cols())}, options);
}

void writeVector(hid_t loc, const QString &name, const Eigen::Ref<const Eigen::VectorXf> &v,
                 WriteOptions options)
{
    const Eigen::VectorXf contiguous = v;
    if (options.asDouble) {
        const Eigen::VectorXd d = contiguous.cast<double>();
        writeDataset(loc, name, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, d.data(), {hsize_t(v.size())},
                     options);
        return;
    }
    writeDataset(loc, name, H5T_NATIVE_FLOAT, H5T_IEEE_F32LE, contiguous.data(),
                 {hsize_t(v.size())}, options);
}

void writeDoubles(hid_t loc, const QString &name, const std::vector<double> &values,
                  const std::vector<hsize_t> &shape, WriteOptions options)
{
    if (elementCount(shape) != values.size())
        fail(QStringLiteral("'%1': %2 values do not fill the shape").arg(name).arg(values.size()));
    if (options.asDouble) {
        writeDataset(loc, name, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, values.data(), shape, options);
        return;
    }
    const std::vector<float> f(values.begin(), values.end());
    writeDataset(loc, name, H5T_NATIVE_FLOAT, H5T_IEEE_F32LE, f.data(), shape, options);
}

void writeInts(hid_t loc, const QString &name, const std::vector<long long> &values,
               const std::vector<hsize_t> &shape, WriteOptions options)
{
    if (elementCount(shape) != values.size())
        fail(QStringLiteral("'%1': %2 values do not fill the shape").arg(name).arg(values.size()));
    writeDataset(loc, name, H5T_NATIVE_LLONG, H5T_STD_I64LE, values.data(), shape, options);
}

QStringList readStrings(hid_t loc, const QString &name, std::vector<hsize_t> *shape)
{
    Handle ds = openDataset(loc, name);
    return readStringData(ds, false, name, shape);
}

void writeStrings(hid_t loc, const QString &name, const QStringList &values,
                  const std::vector<hsize_t> &shape, WriteOptions options)
{
    if (elementCount(shape) != hsize_t(values.size()))
        fail(QStringLiteral("'%1': %2 strings do not fill the shape").arg(name).arg(values.size()));
    std::vector<QByteArray> bytes;
    bytes.reserve(std::size_t(values.size()));
    std::vector<const char *> pointers;
    for (const QString &v : values) {
        bytes.push_back(utf8(v));
        pointers.push_back(bytes.back().constData());
    }
    Handle type = utf8StringType();
    writeDataset(loc, name, type, type, pointers.data(), shape, options, smallConversionBuffer());
}

std::vector<float> readFloats(hid_t loc, const QString &name, std::vector<hsize_t> *shapeOut)
{
    Handle ds = openDataset(loc, name);
    Handle fileType =
        check(H5Dget_type(ds), H5Tclose, QStringLiteral("cannot read the type of '%1'").arg(name));
    checkNumeric(fileType, name);
    Handle space = check(H5Dget_space(ds), H5Sclose,
                         QStringLiteral("cannot read the shape of '%1'").arg(name));
    const std::vector<hsize_t> shape = readableShape(space, name);
    if (shapeOut)
        *shapeOut = shape;
    std::vector<float> values =
        allocate(name, shape, [&] { return std::vector<float>(std::size_t(elementCount(shape))); });
    if (!values.empty() &&
        H5Dread(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
        fail(QStringLiteral("cannot read '%1'").arg(name));
    return values;
}

void writeFloats(hid_t loc, const QString &name, const std::vector<float> &values,
                 const std::vector<hsize_t> &shape, WriteOptions options)
{
    if (elementCount(shape) != values.size())
        fail(QStringLiteral("'%1': %2 values do not fill the shape").arg(name).arg(values.size()));
    writeDataset(loc, name, H5T_NATIVE_FLOAT, H5T_IEEE_F32LE, values.data(), shape, options);
}

void writeBytes(hid_t loc, const QString &name, const std::vector<std::uint8_t> &values,
                const std::vector<hsize_t> &shape, WriteOptions options)
{
    if (elementCount(shape) != values.size())
        fail(QStringLiteral("'%1': %2 values do not fill the shape").arg(name).arg(values.size()));
    writeDataset(loc, name, H5T_NATIVE_UINT8, H5T_STD_U8LE, values.data(), shape, options);
}

} // namespace snn::h5
