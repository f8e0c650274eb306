// Column-major matrices (layers' weights) in datasets of C order: transposed tile by tile on the
// way in and out, never copied whole (docs/performance.md, "Loading and saving a graph").

#include "io/Hdf5Internal.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace snn::h5 {

using namespace internal;

namespace {

using Eigen::Index;

// Tiles of kTile x kTile values: a tile's source rows and destination columns stay in the L1
// cache while it is transposed.
constexpr Index kTile = 32;
// Rows written to HDF5 at once: about 1 MB, so the transposed slab stays in the cache.
constexpr Index kSlabValues = Index(1) << 18;

// dst[i * ldDst + o] = src[o * ldSrc + i] for o in [o0, o1), i in [i0, i1) (src read as bytes:
// the file's values need not be aligned).
void transposeScalar(const unsigned char *src, Index ldSrc, Index o0, Index o1, Index i0, Index i1,
                     float *dst, Index ldDst)
{
    for (Index i = i0; i < i1; ++i)
        for (Index o = o0; o < o1; ++o)
            std::memcpy(dst + i * ldDst + o, src + sizeof(float) * std::size_t(o * ldSrc + i),
                        sizeof(float));
}

// The same for a tile, in blocks of 4 x 4 values transposed in registers where SSE is there.
void transposeTile(const unsigned char *src, Index ldSrc, Index o0, Index o1, Index i0, Index i1,
                   float *dst, Index ldDst)
{
#if defined(__SSE2__)
    const Index o4 = o0 + (o1 - o0) / 4 * 4, i4 = i0 + (i1 - i0) / 4 * 4;
    for (Index o = o0; o < o4; o += 4)
        for (Index i = i0; i < i4; i += 4) {
            const auto row = [&](Index k) {
                return _mm_loadu_ps(reinterpret_cast<const float *>(
                    src + sizeof(float) * std::size_t((o + k) * ldSrc + i)));
            };
            const __m128 r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3);
            const __m128 low01 = _mm_unpacklo_ps(r0, r1), low23 = _mm_unpacklo_ps(r2, r3);
            const __m128 high01 = _mm_unpackhi_ps(r0, r1), high23 = _mm_unpackhi_ps(r2, r3);
            _mm_storeu_ps(dst + (i + 0) * ldDst + o, _mm_movelh_ps(low01, low23));
            _mm_storeu_ps(dst + (i + 1) * ldDst + o, _mm_movehl_ps(low23, low01));
            _mm_storeu_ps(dst + (i + 2) * ldDst + o, _mm_movelh_ps(high01, high23));
            _mm_storeu_ps(dst + (i + 3) * ldDst + o, _mm_movehl_ps(high23, high01));
        }
    transposeScalar(src, ldSrc, o0, o4, i4, i1, dst, ldDst);
    transposeScalar(src, ldSrc, o4, o1, i0, i1, dst, ldDst);
#else
    transposeScalar(src, ldSrc, o0, o1, i0, i1, dst, ldDst);
#endif
}

// dst[i * ldDst + o] = src[o * ldSrc + i] for o < outer, i < inner, tile by tile.
void transpose(const unsigned char *src, Index ldSrc, Index outer, Index inner, float *dst,
               Index ldDst)
{
    for (Index o0 = 0; o0 < outer; o0 += kTile)
        for (Index i0 = 0; i0 < inner; i0 += kTile)
            transposeTile(src, ldSrc, o0, std::min(outer, o0 + kTile), i0,
                          std::min(inner, i0 + kTile), dst, ldDst);
}

// The file's pages under a dataset whose values HDF5 would read with no conversion: stored
// contiguously in the file itself as floats of this machine, all of them allocated, in a file
// opened by the default (sec2) driver. Empty otherwise, or when the mapping fails.
class MappedValues {
public:
    MappedValues(hid_t ds, hid_t type, std::size_t count)
    {
        const std::size_t bytes = count * sizeof(float);
        Handle create(H5Dget_create_plist(ds), H5Pclose);
        const haddr_t offset = H5Dget_offset(ds);
        if (H5Tequal(type, H5T_NATIVE_FLOAT) <= 0 || !create.valid() ||
            H5Pget_layout(create) != H5D_CONTIGUOUS || H5Pget_external_count(create) != 0 ||
            offset == HADDR_UNDEF || H5Dget_storage_size(ds) != bytes || bytes == 0)
            return;
        Handle file(H5Iget_file_id(ds), H5Fclose);
        Handle access(file.valid() ? H5Fget_access_plist(file) : -1, H5Pclose);
        void *handle = nullptr;
        if (!access.valid() || H5Pget_driver(access) != H5FD_SEC2 ||
            H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) < 0 || !handle)
            return;
        const int fd = *static_cast<int *>(handle);
        struct stat st {};
        if (::fstat(fd, &st) != 0 || offset > haddr_t(st.st_size) ||
            bytes > haddr_t(st.st_size) - offset)
            return;
        const haddr_t start = offset - offset % haddr_t(::sysconf(_SC_PAGESIZE));
        m_length = bytes + std::size_t(offset - start);
        void *map =
            ::mmap(nullptr, m_length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, off_t(start));
        if (map == MAP_FAILED)
            return;
        m_map = map;
        m_values = static_cast<const unsigned char *>(map) + (offset - start);
    }
    MappedValues(const MappedValues &) = delete;
    MappedValues &operator=(const MappedValues &) = delete;
    ~MappedValues()
    {
        if (m_map)
            ::munmap(m_map, m_length);
    }
    const unsigned char *values() const { return m_values; } // null: not mapped

private:
    void *m_map = nullptr;
    std::size_t m_length = 0;
    const unsigned char *m_values = nullptr;
};

} // namespace

namespace internal {

void preferHugePages(void *data, std::size_t bytes)
{
    constexpr std::uintptr_t kHuge = std::uintptr_t(2) << 20;
    const auto start = reinterpret_cast<std::uintptr_t>(data);
    const std::uintptr_t begin = (start + kHuge - 1) & ~(kHuge - 1);
    const std::uintptr_t end = (start + bytes) & ~(kHuge - 1);
    if (end > begin)
        ::madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
}

} // namespace internal

Eigen::MatrixXf readColumnMajorMatrix(hid_t loc, const QString &name)
{
    const NumericDataset d = openNumeric(loc, name, 2);
    const std::vector<hsize_t> &shape = d.shape;
    const Index rows = Index(shape[0]), cols = Index(shape[1]);
    const MappedValues mapped(d.dataset, d.type, std::size_t(rows * cols));
    if (!mapped.values()) {
        // Chunked, compressed or another type: HDF5 converts it whole, then it is transposed.
        const RowMatrixXf m = readMatrix(loc, name);
        const auto *bytes = reinterpret_cast<const unsigned char *>(m.data());
        Eigen::MatrixXf result = allocate(name, shape, [&] { return Eigen::MatrixXf(rows, cols); });
        transpose(bytes, cols, rows, cols, result.data(), rows);
        return result;
    }
    Eigen::MatrixXf result = allocate(name, shape, [&] { return Eigen::MatrixXf(rows, cols); });
    preferHugePages(result.data(), std::size_t(result.size()) * sizeof(float));
    transpose(mapped.values(), cols, rows, cols, result.data(), rows);
    return result;
}

void writeColumnMajorMatrix(hid_t loc, const QString &name,
                            const Eigen::Ref<const Eigen::MatrixXf> &m, WriteOptions options)
{
    if (options.gzip || options.asDouble) {
        // One chunk (or doubles): HDF5 takes it whole.
        writeMatrix(loc, name, RowMatrixXf(m), options);
        return;
    }
    const std::vector<hsize_t> shape{hsize_t(m.rows()), hsize_t(m.cols())};
    Handle space = dataspace(shape);
    Handle create = datasetCreationList(shape, options);
    Handle ds = check(H5Dcreate2(loc, name.toUtf8().constData(), H5T_IEEE_F32LE, space, H5P_DEFAULT,
                                 create, H5P_DEFAULT),
                      H5Dclose, QStringLiteral("cannot create dataset '%1'").arg(name));
    if (m.size() == 0)
        return;
    const Index slab = std::clamp<Index>(kSlabValues / m.cols(), 1, m.rows());
    std::vector<float> rows(std::size_t(slab * m.cols()));
    for (Index r = 0; r < m.rows(); r += slab) {
        const Index n = std::min(slab, m.rows() - r);
        transpose(reinterpret_cast<const unsigned char *>(m.data() + r), m.outerStride(), m.cols(),
                  n, rows.data(), m.cols());
        const hsize_t start[2] = {hsize_t(r), 0}, count[2] = {hsize_t(n), hsize_t(m.cols())};
        Handle memory = dataspace({count[0], count[1]});
        if (H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr) < 0 ||
            H5Dwrite(ds, H5T_NATIVE_FLOAT, memory, space, H5P_DEFAULT, rows.data()) < 0)
            fail(QStringLiteral("cannot write dataset '%1'").arg(name));
    }
}

} // namespace snn::h5
