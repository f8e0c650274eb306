#include "FuzzReaders.h"

#include "base/Error.h"
#include "io/GraphFile.h"
#include "nir/NirFile.h"
#include "sim/Dataset.h"
#include "sim/Sequences.h"

#include <QDir>
#include <QFile>

#include <zlib.h>

#include <array>

#include <unistd.h>

namespace snn::fuzz {

namespace {

// The most samples a companion file (idxInItsRole) is written for: 1 MB.
constexpr quint32 kMaxCompanion = 1 << 20;

// The IDX file at `path` as images or labels, as its header's rank says, beside a companion file
// of the declared number of samples (zeros), so that its values are read and its end checked as
// in a data set; only the headers are checked (`path` as both) when the header is unreadable or
// declares more than kMaxCompanion samples.
void idxInItsRole(const QString &path)
{
    std::array<unsigned char, 8> head{};
    gzFile file = gzopen(QFile::encodeName(path).constData(), "rb");
    const bool read = file && gzread(file, head.data(), unsigned(head.size())) == int(head.size());
    if (file)
        gzclose(file);
    const quint32 n =
        quint32(head[4]) << 24 | quint32(head[5]) << 16 | quint32(head[6]) << 8 | quint32(head[7]);
    if (!read || head[3] == 0 || n > kMaxCompanion) {
        sim::loadIdx(path, path);
        return;
    }
    const bool images = head[3] >= 2;
    // Labels [n], or images [n x 1].
    QByteArray companion = QByteArray::fromHex(images ? "00000801" : "00000802");
    for (int shift = 24; shift >= 0; shift -= 8)
        companion.append(char(n >> shift));
    if (!images)
        companion.append(QByteArray::fromHex("00000001"));
    companion.append(QByteArray(qsizetype(n), '\0'));
    QFile out(QDir::temp().filePath(QStringLiteral("snn-fuzz-companion-%1.idx").arg(::getpid())));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        out.write(companion) != companion.size())
        qFatal("cannot write %s", qPrintable(out.fileName()));
    out.close();
    struct Remove {
        QFile &file;
        ~Remove() { file.remove(); }
    } remove{out};
    images ? sim::loadIdx(path, out.fileName()) : sim::loadIdx(out.fileName(), path);
}

} // namespace

QString readFile(Reader reader, const QString &path)
{
    try {
        switch (reader) {
        case Reader::Graph:
            loadGraph(path);
            break;
        case Reader::Nir:
            nir::importNir(path);
            break;
        case Reader::Dataset: {
            // Both data set formats: HDF5 (x, y at the root or in train/test) and IDX (the file
            // as images and as labels: the header, gzip and size checks run either way).
            QFile file(path);
            const bool hdf5 = file.open(QIODevice::ReadOnly) && file.read(8) == "\x89HDF\r\n\x1a\n";
            if (hdf5)
                sim::loadDataSplit(path);
            else
                sim::loadIdx(path, path);
            break;
        }
        case Reader::Sequence:
            readSequenceInput(path);
            break;
        case Reader::Idx:
            idxInItsRole(path);
            break;
        }
    } catch (const Error &e) {
        return e.message();
    }
    return {};
}

QString readBytes(Reader reader, const QByteArray &bytes)
{
    // One file per process, rewritten for each input; /dev/shm keeps it off the disk.
    static const QString path =
        QDir(QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm")
                                                       : QDir::tempPath())
            .filePath(QStringLiteral("snn-fuzz-%1.bin").arg(::getpid()));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    file.close();
    return readFile(reader, path);
}

} // namespace snn::fuzz
