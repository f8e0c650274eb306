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

namespace snn::sim {

namespace {

// A file read through zlib: gzipped or not (gzread passes plain bytes through).
class GzipReader {
public:
    explicit GzipReader(const QString &path)
        : m_path(path)
    {
        if (!QFileInfo(path).isFile())
            throw Error(QStringLiteral("%1: %2").arg(path, missingFileReason(path)));
        m_file = gzopen(QFile::encodeName(path).constData(), "rb");
        if (!m_file)
            throw Error(QStringLiteral("%1: cannot open").arg(path));
    }
    GzipReader(const GzipReader &) = delete;
    GzipReader &operator=(const GzipReader &) = delete;
    ~GzipReader() { gzclose(m_file); }

    // Reads up to `size` bytes into `to`; fewer only at the end of the data. Throws Error for a
    // read error or a gzip stream cut short (zlib reports it only through gzerror).
    qint64 read(char *to, qint64 size)
    {
        qint64 done = 0;
        while (done < size) {
            const int n =
                gzread(m_file, to + done, unsigned(std::min<qint64>(size - done, 1 << 30)));
            int code = Z_OK;
            const char *why = gzerror(m_file, &code);
            if (n < 0)
                throw Error(QStringLiteral("%1: cannot read (%2)")
                                .arg(m_path, QString::fromLocal8Bit(why)));
            if (code == Z_BUF_ERROR)
                throw Error(QStringLiteral("%1: truncated gzip data").arg(m_path));
            if (n == 0)
                break;
            done += n;
        }
        return done;
    }

private:
    QString m_path;
    gzFile m_file = nullptr;
};

// The most dimensions of an IDX file: NumPy's and HDF5's limit (the format allows 255).
constexpr int kMaxIdxRank = 32;

struct Idx {
    std::vector<qint64> dims;
    QByteArray data; // the whole file; values start at `offset`
    qint64 offset = 0;
    const unsigned char *values() const
    {
        return reinterpret_cast<const unsigned char *>(data.constData()) + offset;
    }
};

// The header first; then exactly the values it declares (at most kMaxReadValues) are inflated,
// and at most 64 KiB past them to tell a longer file: a gzip stream inflating to gigabytes costs
// no more than its header declares.
Idx readIdx(const QString &path)
{
    GzipReader file(path);
    Idx idx;
    idx.data.resize(4);
    const auto *b = reinterpret_cast<const unsigned char *>(idx.data.constData());
    if (file.read(idx.data.data(), 4) < 4 || b[0] != 0 || b[1] != 0)
        throw Error(QStringLiteral("%1: not an IDX file (wrong magic number)").arg(path));
    if (b[2] != 0x08)
        throw Error(QStringLiteral("%1: IDX element type 0x%2 is not supported (only unsigned "
                                   "bytes, 0x08)")
                        .arg(path)
                        .arg(int(b[2]), 2, 16, QLatin1Char('0')));
    const int rank = b[3];
    if (rank < 1)
        throw Error(QStringLiteral("%1: IDX file with no dimensions").arg(path));
    if (rank > kMaxIdxRank)
        throw Error(QStringLiteral("%1: IDX file with %2 dimensions, more than the %3 SNN Studio "
                                   "reads")
                        .arg(path)
                        .arg(rank)
                        .arg(kMaxIdxRank));
    idx.offset = 4 + 4 * qint64(rank);
    idx.data.resize(idx.offset);
    b = reinterpret_cast<const unsigned char *>(idx.data.constData());
    if (file.read(idx.data.data() + 4, idx.offset - 4) < idx.offset - 4)
        throw Error(QStringLiteral("%1: truncated IDX header").arg(path));
    std::vector<quint64> shape;
    for (int i = 0; i < rank; ++i) {
        const unsigned char *d = b + 4 + 4 * i;
        shape.push_back((quint64(d[0]) << 24) | (quint64(d[1]) << 16) | (quint64(d[2]) << 8) |
                        d[3]);
        idx.dims.push_back(qint64(shape.back()));
    }
    const auto count = qint64(checkDeclaredSize(shape, kMaxReadValues,
                                                QStringLiteral("%1: the IDX header").arg(path),
                                                QStringLiteral("reads from one IDX file")));
    idx.data.resize(idx.offset + count);
    const qint64 have = file.read(idx.data.data() + idx.offset, count);
    if (have < count)
        throw Error(
            QStringLiteral("%1: truncated: the header declares %2 values, the file holds %3")
                .arg(path)
                .arg(count)
                .arg(have));
    char past[1 << 16];
    if (const qint64 more = file.read(past, sizeof past); more > 0)
        throw Error(QStringLiteral("%1: wrong size: the header declares %2 values, the file "
                                   "holds %3%4")
                        .arg(path)
                        .arg(count)
                        .arg(more == qint64(sizeof past) ? QStringLiteral("at least ") : QString())
                        .arg(count + more));
    return idx;
}

QString firstExisting(const QString &dir, const QStringList &names)
{
    for (const QString &n : names) {
        const QString path = QDir(dir).filePath(n);
        if (QFileInfo::exists(path))
            return path;
    }
    return {};
}

std::optional<Dataset> idxPairIn(const QString &dir, const QString &prefix)
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
    return loadIdx(images, labels);
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

Dataset loadIdx(const QString &imagesPath, const QString &labelsPath)
{
    const Idx images = readIdx(imagesPath);
    const Idx labels = readIdx(labelsPath);
    if (images.dims.size() < 2)
        throw Error(QStringLiteral("%1: an images IDX file needs at least 2 dimensions, found %2")
                        .arg(imagesPath)
                        .arg(images.dims.size()));
    if (labels.dims.size() != 1)
        throw Error(QStringLiteral("%1: a labels IDX file has 1 dimension, found %2")
                        .arg(labelsPath)
                        .arg(labels.dims.size()));
    if (images.dims[0] != labels.dims[0])
        throw Error(QStringLiteral("%1 holds %2 images but %3 holds %4 labels")
                        .arg(imagesPath)
                        .arg(images.dims[0])
                        .arg(labelsPath)
                        .arg(labels.dims[0]));
    qint64 features = 1;
    for (std::size_t i = 1; i < images.dims.size(); ++i)
        features *= images.dims[i];
    if (features == 0)
        throw Error(QStringLiteral("%1: images have no pixels").arg(imagesPath));
    Dataset d;
    d.name = QFileInfo(imagesPath).fileName();
    const qint64 n = images.dims[0];
    d.x.resize(n, features);
    const unsigned char *px = images.values();
    float *out = d.x.data();
    for (qint64 i = 0; i < n * features; ++i)
        out[i] = float(px[i]) / 255.0f;
    d.y.resize(std::size_t(n));
    for (qint64 i = 0; i < n; ++i)
        d.y[std::size_t(i)] = labels.values()[i];
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

// loadDataSplit(); with testOnly, a directory's training files are not read when it has a test set.
DataSplit loadSplit(const QString &spec, bool testOnly)
{
    if (spec.isEmpty())
        throw Error(QStringLiteral("no data set given"));
    const QString path = spec == QLatin1String("fashion-mnist") ? fashionMnistDirectory() : spec;
    if (spec.contains(QLatin1Char(',')) && !QFileInfo::exists(spec)) {
        const QStringList parts = spec.split(QLatin1Char(','));
        if (parts.size() != 2)
            throw Error(QStringLiteral("'%1': give IMAGES,LABELS (two IDX files)").arg(spec));
        return {loadIdx(parts[0], parts[1]), std::nullopt};
    }
    const QFileInfo info(path);
    if (info.isDir()) {
        auto test = idxPairIn(path, QStringLiteral("t10k"));
        if (!test)
            test = idxPairIn(path, QStringLiteral("test"));
        if (test && testOnly)
            return {Dataset{}, test};
        auto train = idxPairIn(path, QStringLiteral("train"));
        if (!train && !test)
            throw Error(QStringLiteral("%1: no train-/t10k- images and labels IDX files there%2")
                            .arg(path, spec == QLatin1String("fashion-mnist")
                                           ? QStringLiteral(" (install dataset-fashion-mnist)")
                                           : QString()));
        if (!train)
            return {*test, std::nullopt};
        return {*train, test};
    }
    if (!info.exists())
        throw Error(QStringLiteral("%1: no such file or directory (--data takes fashion-mnist, a "
                                   "directory of IDX files, IMAGES,LABELS or an HDF5 file)")
                        .arg(spec));
    bool grouped = false;
    {
        auto guard = h5::lock();
        const h5::Handle file = h5::openFile(path);
        grouped =
            h5::exists(file, QStringLiteral("train")) && h5::isGroup(file, QStringLiteral("train"));
    }
    if (!grouped)
        return {loadHdf5Dataset(path), std::nullopt};
    DataSplit split{loadHdf5Dataset(path, QStringLiteral("train")), std::nullopt};
    split.train.name += QStringLiteral(":train");
    auto guard = h5::lock();
    const h5::Handle file = h5::openFile(path);
    if (h5::exists(file, QStringLiteral("test"))) {
        split.test = loadHdf5Dataset(path, QStringLiteral("test"));
        split.test->name += QStringLiteral(":test");
    }
    return split;
}

} // namespace

DataSplit loadDataSplit(const QString &spec)
{
    DataSplit split = loadSplit(spec, false);
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
    if (n < 0)
        throw Error(QStringLiteral("the validation split must be >= 0 samples, not %1").arg(n));
    if (split.validation)
        throw Error(QStringLiteral("%1: the validation set is already held out").arg(split.label));
    const int total = split.train.size();
    if (n >= total)
        throw Error(QStringLiteral("a validation split of %1 samples leaves none of the %2 "
                                   "training samples to train on")
                        .arg(n)
                        .arg(total));
    if (n == 0)
        return;
    Dataset validation = split.train.tail(n);
    split.train = split.train.head(total - n);
    split.validation = std::move(validation);
}

Dataset loadEvaluationSet(const QString &spec)
{
    DataSplit split = loadSplit(spec, true);
    return split.test ? std::move(*split.test) : std::move(split.train);
}

} // namespace snn::sim
