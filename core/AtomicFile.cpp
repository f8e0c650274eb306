#include "AtomicFile.h"

#include "Error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <cstdio>

namespace snn {

void writeAtomically(const QString &path, const std::function<void(const QString &)> &write)
{
    const QFileInfo target(path);
    if (!target.dir().exists())
        throw Error(QStringLiteral("cannot save %1: the folder does not exist").arg(path));
    QString tempPath;
    {
        // Reserve a unique name in the same folder (so the rename stays on one file system).
        QTemporaryFile reserve(target.absoluteFilePath() + QStringLiteral(".XXXXXX.tmp"));
        reserve.setAutoRemove(false);
        if (!reserve.open())
            throw Error(QStringLiteral("cannot save %1: %2").arg(path, reserve.errorString()));
        tempPath = reserve.fileName();
    }
    try {
        write(tempPath);
    } catch (...) {
        QFile::remove(tempPath);
        throw;
    }
    if (std::rename(QFile::encodeName(tempPath).constData(),
                    QFile::encodeName(target.absoluteFilePath()).constData()) != 0) {
        QFile::remove(tempPath);
        throw Error(QStringLiteral("cannot save %1: renaming the temporary file failed").arg(path));
    }
}

} // namespace snn
