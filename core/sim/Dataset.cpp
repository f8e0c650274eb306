#include "sim/Dataset.h"

#include "base/DeclaredSize.h"
#include "base/Error.h"
#include "io/AtomicFile.h"
#include "io/Hdf5.h"

#include <QDir>
#include <QFileInfo>

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace snn::sim {

namespace {

// The most dimensions of an IDX file: NumPy's and HDF5's limit (the format allows 255).
constexpr int kMaxIdxRank = 32;

// An IDX file read front to back (inflated on the way when it is gzipped): its header first, then
// as many of its values as the caller asks for, never more; nothing is held but a chunk.
class IdxFile {
public:
    explicit IdxFile(const QString &path)
        : m_path(path)
    {
        if (!QFileInfo(path).isFile())
            throw Error(QStringLiteral("%1: %2").arg(path, missingFileReason(path)));
        m_file.reset(gzopen(QFile::encodeName(path).constData(), "rb"));
        if (!m_file)
            throw Error(QStringLiteral("%1: cannot open").arg(path));
        gzbuffer(m_file.get(), 1 << 17);
        readHeader();
    }

    const std::vector<qint64> &dims() const { return m_dims; }

    // Passes the next n values to take(bytes, count), a chunk at a time; a file that ends first
    // is refused ("truncated: ...").
    template <typename Take> void read(qint64 n, Take take)
    {
        unsigned char buffer[1 << 16];
        while (n > 0) {
            const int got = readSome(buffer, int(std::min<qint64>(n, qint64(sizeof buffer))));
            if (got == 0)
                throw Error(QStringLiteral(
                                "%1: truncated: the header declares %2 values, the file holds %3")
                                .arg(m_path)
                                .arg(m_count)
                                .arg(m_read));
            take(buffer, got);
            n -= got;
        }
    }
    void skip(qint64 n)
    {
        read(n, [](const unsigned char *, int) {});
    }
    // After the last declared value: the file must end there ("wrong size: ..."). At most 64 KiB
    // past it are read to tell (the message says "at least" when there are more): a gzip stream
    // inflating to gigabytes behind a small header costs no more than the header declares.
    void checkEnd()
    {
        unsigned char buffer[1 << 16];
        const qint64 declared = m_read;
        int more = 0;
        for (int n = 1; n > 0 && more < int(sizeof buffer); more += n)
            n = readSome(buffer + more, int(sizeof buffer) - more);
        if (more > 0)
            throw Error(
                QStringLiteral("%1: wrong size: the header declares %2 values, the file "
                               "holds %3%4")
                    .arg(m_path)
                    .arg(m_count)
                    .arg(more == int(sizeof buffer) ? QStringLiteral("at least ") : QString())
                    .arg(declared + more));
    }

private:
    // Up to `size` bytes; 0 at the end of the file. A read error or a gzip stream cut short is
    // refused.
    int readSome(unsigned char *buffer, int size)
    {
        const int n = gzread(m_file.get(), buffer, unsigned(size));
        int code = 0;
        const char *why = gzerror(m_file.get(), &code);
        if (n < 0 && code != Z_BUF_ERROR)
            throw Error(
                QStringLiteral("%1: cannot read (%2)").arg(m_path, QString::fromLocal8Bit(why)));
        // zlib reports a gzip stream cut short only through gzerror.
        if (n <= 0 && code == Z_BUF_ERROR)
            throw Error(QStringLiteral("%1: truncated gzip data").arg(m_path));
        if (n > 0 && m_header)
            m_read += n;
        return std::max(n, 0);
    }
    void readHeaderBytes(unsigned char *bytes, int size, const QString &problem)
    {
        for (int done = 0; done < size;) {
            const int n = readSome(bytes + done, size - done);
            if (n == 0)
                throw Error(QStringLiteral("%1: %2").arg(m_path, problem));
            done += n;
        }
    }
    void readHeader()
    {
        unsigned char b[4];
        readHeaderBytes(b, 4, QStringLiteral("not an IDX file (wrong magic number)"));
        if (b[0] != 0 || b[1] != 0)
            throw Error(QStringLiteral("%1: not an IDX file (wrong magic number)").arg(m_path));
        if (b[2] != 0x08)
            throw Error(QStringLiteral("%1: IDX element type 0x%2 is not supported (only "
                                       "unsigned bytes, 0x08)")
                            .arg(m_path)
                            .arg(int(b[2]), 2, 16, QLatin1Char('0')));
        const int rank = b[3];
        if (rank < 1)
            throw Error(QStringLiteral("%1: IDX file with no dimensions").arg(m_path));
        if (rank > kMaxIdxRank)
            throw Error(QStringLiteral("%1: IDX file with %2 dimensions, more than the %3 SNN "
                                       "Studio reads")
                            .arg(m_path)
                            .arg(rank)
                            .arg(kMaxIdxRank));
        std::vector<quint64> shape;
        for (int i = 0; i < rank; ++i) {
            unsigned char d[4];
            readHeaderBytes(d, 4, QStringLiteral("truncated IDX header"));
            shape.push_back((quint64(d[0]) << 24) | (quint64(d[1]) << 16) | (quint64(d[2]) << 8) |
                            d[3]);
            m_dims.push_back(qint64(shape.back()));
        }
        // The declared size against the ceiling before any value is read or allocated.
        m_count = qint64(checkDeclaredSize(shape, kMaxReadValues,
                                           QStringLiteral("%1: the IDX header").arg(m_path),
                                           QStringLiteral("reads from one IDX file")));
        m_header = true;
    }

    struct Close {
        void operator()(gzFile file) const { gzclose(file); }
    };
    QString m_path;
    std::unique_ptr<gzFile_s, Close> m_file;
    std::vector<qint64> m_dims;
    qint64 m_count = 0;    // values the header declares
    qint64 m_read = 0;     // values read so far
    bool m_header = false; // the header is read: bytes read from now on are values
};

QString firstExisting(const QString &dir, const QStringList &names)
{
    for (const QString &n : names) {
        const QString path = QDir(dir).filePath(n);
        if (QFileInfo::exists(path))
            return path;
    }
    return {};
}

// The images and labels files of `prefix` in `dir` ("train", "t10k"), when it has them.
std::optional<std::pair<QString, QString>> idxPairIn(const QString &dir, const QString &prefix)
{
    const QString images = firstExisting(dir, {prefix + QStringLiteral("-images-idx3-ubyte.gz"),
                                               prefix + QStringLiteral("-images-idx3-ubyte"),
                                               prefix + QStringLiteral("-images.idx3-ubyte")});
    const QString labels = firstExisting(dir, {prefix + QStringLiteral("-labels-idx1-ubyte.gz"),
                                               prefix + QStringLiteral("-labels-idx1-ubyte"),
                                               prefix + QStringLiteral("-labels.idx1-ubyte")});
    if (images.isEmpty() && labels.isEmpty())
        return std::nullopt;
    if (images.isEmpty() || labels.isEmpty())
        throw Error(
            QStringLiteral("%1: found %2 but not the matching %3 file")
                .arg(dir, images.isEmpty() ? labels : images,
                     images.isEmpty() ? QStringLiteral("images") : QStringLiteral("labels")));
    return std::pair{images, labels};
}

Dataset loadIdxPair(const std::pair<QString, QString> &files, const SampleSelection &select)
{
    return loadIdx(files.first, files.second, select);
}

// The samples of a set of `size` that `select` picks (all without one), checked.
SampleRange rangeOf(const SampleSelection &select, qint64 size)
{
    const SampleRange range = select ? select(size) : SampleRange{0, size};
    Q_ASSERT(range.first >= 0 && range.count >= 0 && range.first + range.count <= size);
    return range;
}

// Refuses a validation split of n samples that a training set of `total` cannot give.
void checkValidationSize(int n, qint64 total)
{
    if (n < 0)
        throw Error(QStringLiteral("the validation split must be >= 0 samples, not %1").arg(n));
    if (n >= total)
        throw Error(QStringLiteral("a validation split of %1 samples leaves none of the %2 "
                                   "training samples to train on")
                        .arg(n)
                        .arg(total));
}

} // namespace

int Dataset::classes() const
{
    return y.empty() ? 0 : *std::max_element(y.begin(), y.end()) + 1;
}

Dataset Dataset::head(int n) const
{
    n = std::clamp(n, 0, size());
    Dataset d;
    d.name = name;
    d.x = x.topRows(n);
    d.y.assign(y.begin(), y.begin() + n);
    return d;
}

Dataset Dataset::tail(int n) const
{
    n = std::clamp(n, 0, size());
    Dataset d;
    d.name = name;
    d.x = x.bottomRows(n);
    d.y.assign(y.end() - n, y.end());
    return d;
}

void Dataset::checkFits(int inputs, int outputs) const
{
    if (isEmpty())
        throw Error(QStringLiteral("%1: the data set holds no samples").arg(name));
    if (features() != inputs)
        throw Error(QStringLiteral("%1: samples have %2 features, the network takes %3 inputs")
                        .arg(name)
                        .arg(features())
                        .arg(inputs));
    for (std::size_t i = 0; i < y.size(); ++i)
        if (y[i] < 0 || y[i] >= outputs)
            throw Error(QStringLiteral("%1: label %2 of sample %3 is out of range for a network "
                                       "with %4 outputs")
                            .arg(name)
                            .arg(y[i])
                            .arg(i)
                            .arg(outputs));
}

QString fashionMnistDirectory()
{
    return QStringLiteral("/usr/share/datasets/fashion-mnist");
}

Dataset loadIdx(const QString &imagesPath, const QString &labelsPath, const SampleSelection &select)
{
    IdxFile images(imagesPath);
    IdxFile labels(labelsPath);
    if (images.dims().size() < 2)
        throw Error(QStringLiteral("%1: an images IDX file needs at least 2 dimensions, found %2")
                        .arg(imagesPath)
                        .arg(images.dims().size()));
    if (labels.dims().size() != 1)
        throw Error(QStringLiteral("%1: a labels IDX file has 1 dimension, found %2")
                        .arg(labelsPath)
                        .arg(labels.dims().size()));
    const qint64 n = images.dims()[0];
    if (n != labels.dims()[0])
        throw Error(QStringLiteral("%1 holds %2 images but %3 holds %4 labels")
                        .arg(imagesPath)
                        .arg(n)
                        .arg(labelsPath)
                        .arg(labels.dims()[0]));
    // One image's size against the ceiling too: with 0 images the header's own check passes
    // whatever the other dimensions declare, and their product may not fit in 64 bits.
    const std::vector<quint64> image(images.dims().begin() + 1, images.dims().end());
    const auto features = qint64(checkDeclaredSize(
        image, kMaxReadValues, QStringLiteral("%1: one image of the IDX header").arg(imagesPath),
        QStringLiteral("reads from one IDX file")));
    if (features == 0)
        throw Error(QStringLiteral("%1: images have no pixels").arg(imagesPath));
    const SampleRange range = rangeOf(select, n);
    const bool toTheEnd = range.first + range.count == n;
    Dataset d;
    d.name = QFileInfo(imagesPath).fileName();
    d.x.resize(range.count, features);
    float *out = d.x.data();
    images.skip(range.first * features);
    images.read(range.count * features, [&](const unsigned char *px, int count) {
        for (int i = 0; i < count; ++i)
            out[i] = float(px[i]) / 255.0f;
        out += count;
    });
    if (toTheEnd)
        images.checkEnd();
    d.y.reserve(std::size_t(range.count));
    labels.skip(range.first);
    labels.read(range.count, [&](const unsigned char *label, int count) {
        d.y.insert(d.y.end(), label, label + count);
    });
    if (toTheEnd)
        labels.checkEnd();
    return d;
}

Dataset loadHdf5Dataset(const QString &path, const QString &group)
{
    auto guard = h5::lock();
    const h5::Handle file = h5::openFile(path);
    const bool root = group == QLatin1String("/");
    const h5::Handle sub = root ? h5::Handle() : h5::openGroup(file, group);
    const hid_t g = root ? file.id() : sub.id();
    const QString where = group == QLatin1String("/") ? path : path + QLatin1Char(':') + group;
    for (const char *name : {"x", "y"})
        if (!h5::exists(g, QLatin1String(name)))
            throw Error(QStringLiteral("%1: no dataset '%2' (a data set holds x [n x features] "
                                       "and y [n])")
                            .arg(where, QLatin1String(name)));
    const auto xShape = h5::datasetShape(g, QStringLiteral("x"));
    const auto yShape = h5::datasetShape(g, QStringLiteral("y"));
    if (xShape.size() != 2)
        throw Error(QStringLiteral("%1: x must be 2-D [n x features], it has %2 dimensions")
                        .arg(where)
                        .arg(xShape.size()));
    if (yShape.size() != 1)
        throw Error(QStringLiteral("%1: y must be 1-D [n], it has %2 dimensions")
                        .arg(where)
                        .arg(yShape.size()));
    RowMatrixXf x;
    std::vector<double> y;
    try {
        x = h5::readMatrix(g, QStringLiteral("x"));
        y = h5::readDoubles(g, QStringLiteral("y"));
    } catch (const Error &e) {
        throw Error(QStringLiteral("%1: %2").arg(where, e.message()));
    }
    return makeDataset(QFileInfo(path).fileName(), std::move(x), y, where);
}

Dataset makeDataset(const QString &name, RowMatrixXf x, std::span<const double> y,
                    const QString &where)
{
    if (std::size_t(x.rows()) != y.size())
        throw Error(QStringLiteral("%1: x has %2 samples but y has %3")
                        .arg(where)
                        .arg(x.rows())
                        .arg(y.size()));
    if (!x.allFinite() || (x.size() > 0 && (x.minCoeff() < 0.0f || x.maxCoeff() > 1.0f)))
        throw Error(QStringLiteral("%1: x must hold values in [0, 1]").arg(where));
    Dataset d;
    d.name = name;
    d.x = std::move(x);
    d.y.resize(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (!(y[i] >= 0.0 && y[i] < kMaxClasses) || y[i] != std::floor(y[i]))
            throw Error(QStringLiteral("%1: label %2 of sample %3 is not a class index (an integer "
                                       "in [0, %4])")
                            .arg(where, QString::number(y[i], 'g', 15))
                            .arg(i)
                            .arg(kMaxClasses - 1));
        d.y[i] = int(y[i]);
    }
    return d;
}

void saveHdf5Dataset(const Dataset &data, const QString &path)
{
    h5::saveFile(path, [&](hid_t file) {
        h5::writeMatrix(file, QStringLiteral("x"), data.x, {.gzip = true});
        // y as 32-bit integers (h5:: writes numbers as floats).
        const hsize_t n = data.y.size();
        const h5::Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
        const h5::Handle ds(
            H5Dcreate2(file, "y", H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
            H5Dclose);
        if (!ds.valid() ||
            H5Dwrite(ds, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.y.data()) < 0)
            throw Error(QStringLiteral("%1: cannot write the labels").arg(path));
    });
}

namespace {

// Which sets of a source loadSplit() reads.
enum class Sets {
    Both,     // the training set and the test set, whole
    TestOnly, // the test set, or the one set of a source without one (as `train`)
    Training, // the training set, or the one set of a source without a test set
};

// The samples of `data` that `select` picks.
Dataset selected(Dataset data, const SampleSelection &select)
{
    const SampleRange r = rangeOf(select, data.size());
    if (r.first == 0 && r.count == data.size())
        return data;
    Dataset part;
    part.name = data.name;
    part.x = data.x.middleRows(r.first, r.count);
    part.y.assign(data.y.begin() + r.first, data.y.begin() + r.first + r.count);
    return part;
}

// The HDF5 data set of `group` ("train", "test"), named after it.
Dataset hdf5Set(const QString &path, const QString &group, const SampleSelection &select)
{
    Dataset set = selected(loadHdf5Dataset(path, group), select);
    set.name += QLatin1Char(':') + group;
    return set;
}

// The sets of a --data source (loadDataSplit), `select` picking the samples of each set read.
DataSplit loadSplit(const QString &spec, Sets sets, const SampleSelection &select)
{
    if (spec.isEmpty())
        throw Error(QStringLiteral("no data set given"));
    const QString path = spec == QLatin1String("fashion-mnist") ? fashionMnistDirectory() : spec;
    if (spec.contains(QLatin1Char(',')) && !QFileInfo::exists(spec)) {
        const QStringList parts = spec.split(QLatin1Char(','));
        if (parts.size() != 2)
            throw Error(QStringLiteral("'%1': give IMAGES,LABELS (two IDX files)").arg(spec));
        return {loadIdx(parts[0], parts[1], select), std::nullopt};
    }
    const QFileInfo info(path);
    if (info.isDir()) {
        auto test = idxPairIn(path, QStringLiteral("t10k"));
        if (!test)
            test = idxPairIn(path, QStringLiteral("test"));
        if (test && sets == Sets::TestOnly)
            return {Dataset{}, loadIdxPair(*test, select)};
        auto train = idxPairIn(path, QStringLiteral("train"));
        if (!train && !test)
            throw Error(QStringLiteral("%1: no train-/t10k- images and labels IDX files there%2")
                            .arg(path, spec == QLatin1String("fashion-mnist")
                                           ? QStringLiteral(" (install dataset-fashion-mnist)")
                                           : QString()));
        if (!train)
            return {loadIdxPair(*test, select), std::nullopt};
        if (sets == Sets::Training || !test)
            return {loadIdxPair(*train, select), std::nullopt};
        return {loadIdxPair(*train, select), loadIdxPair(*test, select)};
    }
    if (!info.exists())
        throw Error(QStringLiteral("%1: no such file or directory (--data takes fashion-mnist, a "
                                   "directory of IDX files, IMAGES,LABELS or an HDF5 file)")
                        .arg(spec));
    bool grouped = false, hasTest = false;
    {
        auto guard = h5::lock();
        const h5::Handle file = h5::openFile(path);
        grouped =
            h5::exists(file, QStringLiteral("train")) && h5::isGroup(file, QStringLiteral("train"));
        hasTest = grouped && h5::exists(file, QStringLiteral("test"));
    }
    if (!grouped)
        return {selected(loadHdf5Dataset(path), select), std::nullopt};
    if (hasTest && sets == Sets::TestOnly)
        return {Dataset{}, hdf5Set(path, QStringLiteral("test"), select)};
    DataSplit split{hdf5Set(path, QStringLiteral("train"), select), std::nullopt};
    if (hasTest && sets == Sets::Both)
        split.test = hdf5Set(path, QStringLiteral("test"), select);
    return split;
}

} // namespace

DataSplit loadDataSplit(const QString &spec)
{
    DataSplit split = loadSplit(spec, Sets::Both, {});
    split.label = dataSetLabel(spec);
    return split;
}

QString dataSetLabel(const QString &spec)
{
    if (spec == QLatin1String("fashion-mnist"))
        return spec;
    const QString first = spec.contains(QLatin1Char(',')) && !QFileInfo::exists(spec)
                              ? spec.section(QLatin1Char(','), 0, 0)
                              : spec;
    return QFileInfo(first).fileName();
}

QString splitSummary(const DataSplit &split)
{
    return QStringLiteral("%1: training on %2 samples, %3, %4")
        .arg(split.label)
        .arg(split.train.size())
        .arg(split.validation ? QStringLiteral("validation on %1 (the last training samples, "
                                               "never trained on)")
                                    .arg(split.validation->size())
                              : QStringLiteral("no validation set"),
             split.test ? QStringLiteral("test %1 (reported only)").arg(split.test->size())
                        : QStringLiteral("no test set"));
}

void holdOutValidation(DataSplit &split, int n)
{
    checkValidationSize(n, split.train.size());
    if (split.validation)
        throw Error(QStringLiteral("%1: the validation set is already held out").arg(split.label));
    const int total = split.train.size();
    if (n == 0)
        return;
    Dataset validation = split.train.tail(n);
    split.train = split.train.head(total - n);
    split.validation = std::move(validation);
}

Dataset loadEvaluationSet(const QString &spec)
{
    return loadSamples(spec, kTestSplit, 0, 0);
}

Dataset loadSamples(const QString &spec, const QString &split, int validationSize, int limit)
{
    const auto first = [limit](qint64 from, qint64 count) {
        return SampleRange{from, limit > 0 ? std::min<qint64>(count, limit) : count};
    };
    if (split == kTestSplit) {
        DataSplit sets =
            loadSplit(spec, Sets::TestOnly, [&](qint64 size) { return first(0, size); });
        return sets.test ? std::move(*sets.test) : std::move(sets.train);
    }
    const bool validation = split == kValidationSplit;
    return loadSplit(spec, Sets::Training,
                     [&](qint64 size) {
                         checkValidationSize(validationSize, size);
                         return validation ? first(size - validationSize, validationSize)
                                           : first(0, size - validationSize);
                     })
        .train;
}

} // namespace snn::sim
