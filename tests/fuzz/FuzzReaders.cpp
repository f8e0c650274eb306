#include "FuzzReaders.h"

#include "base/Error.h"
#include "io/GraphFile.h"
#include "nir/NirFile.h"
#include "sim/Dataset.h"
#include "sim/Sequences.h"

#include <QDir>
#include <QFile>

#include <unistd.h>

namespace snn::fuzz {

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
            // As images and as labels: both headers' checks run.
            sim::loadIdx(path, path);
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
