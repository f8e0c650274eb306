#include "io/AtomicFile.h"

#include "base/Error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace snn {

namespace {

// The system's reason for the last failure, as a message fragment ("no space left on device").
QString reason(int error)
{
    QString text = QString::fromLocal8Bit(std::strerror(error));
    if (!text.isEmpty())
        text[0] = text[0].toLower();
    return text;
}

// A target that cannot be saved (bad input) and a failure of the system to write it.
[[noreturn]] void refuse(const QString &path, const QString &why)
{
    throw Error(QStringLiteral("cannot save %1: %2").arg(path, why));
}

[[noreturn]] void fail(const QString &path, const QString &why)
{
    throw SaveError(QStringLiteral("cannot save %1: %2").arg(path, why));
}

QByteArray native(const QString &path)
{
    return QFile::encodeName(path);
}

QString kindOf(mode_t mode)
{
    if (S_ISDIR(mode))
        return QStringLiteral("a folder");
    if (S_ISFIFO(mode))
        return QStringLiteral("a FIFO");
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return QStringLiteral("a device");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    return QStringLiteral("a special file");
}

// The file that `path` names, through any chain of symbolic links (a dangling link names the
// file it points to, which is then created).
QString resolveLinks(const QString &path)
{
    QString current = QFileInfo(path).absoluteFilePath();
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (::lstat(native(current).constData(), &st) != 0 || !S_ISLNK(st.st_mode))
            return current;
        char buffer[PATH_MAX];
        const ssize_t size = ::readlink(native(current).constData(), buffer, sizeof buffer);
        if (size < 0)
            fail(path, reason(errno));
        const QString link = QFile::decodeName(QByteArray(buffer, qsizetype(size)));
        current = QFileInfo(QFileInfo(current).dir(), link).absoluteFilePath();
    }
    refuse(path, reason(ELOOP));
}

// A temporary file another process was writing when it died: NAME.PID-XXXXXX.tmp with PID gone.
void removeLeftovers(const QDir &dir, const QString &name)
{
    const QRegularExpression pattern(
        QStringLiteral("^%1\\.(\\d+)-[A-Za-z0-9]{6}\\.tmp$").arg(QRegularExpression::escape(name)));
    for (const QString &entry : dir.entryList(QDir::Files | QDir::Hidden | QDir::System)) {
        const QRegularExpressionMatch match = pattern.match(entry);
        if (!match.hasMatch())
            continue;
        bool ok = false;
        const pid_t pid = pid_t(match.captured(1).toLongLong(&ok));
        if (!ok || pid <= 0 || ::kill(pid, 0) == 0 || errno != ESRCH)
            continue; // its writer may still be at work
        const QByteArray leftover = native(dir.filePath(entry));
        struct stat st {};
        if (::lstat(leftover.constData(), &st) == 0 && S_ISREG(st.st_mode))
            ::unlink(leftover.constData());
    }
}

// One target being written: checked, its temporary file filled, synced and closed.
struct Staged {
    QString path;   // as the caller named it, for messages
    QString target; // the regular file to replace
    QString temp;
};

QString randomSuffix()
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    QString suffix;
    for (int i = 0; i < 6; ++i)
        suffix += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(62)]);
    return suffix;
}

// The regular file that a save of `path` replaces or creates, and its mode when it exists.
struct Target {
    QString file;
    std::optional<mode_t> mode;
};

Target checkTarget(const QString &path)
{
    if (path.isEmpty())
        throw Error(QStringLiteral("cannot save: no file name given"));
    if (path.contains(QChar(u'\0'))) // the system would cut the name there
        refuse(path, QStringLiteral("the name contains a NUL character"));
    Target target{resolveLinks(path), std::nullopt};
    const QFileInfo info(target.file);
    if (path.endsWith(QLatin1Char('/')) || info.fileName().isEmpty())
        refuse(path, QStringLiteral("it names a folder, not a file"));
    struct stat st {};
    if (::stat(native(info.path()).constData(), &st) != 0 || !S_ISDIR(st.st_mode))
        refuse(path, QStringLiteral("the folder does not exist"));
    if (::lstat(native(target.file).constData(), &st) == 0) {
        if (!S_ISREG(st.st_mode))
            refuse(path, QStringLiteral("it is %1, not a regular file").arg(kindOf(st.st_mode)));
        target.mode = st.st_mode & 07777;
    } else if (errno != ENOENT) {
        fail(path, reason(errno));
    }
    return target;
}

Staged stage(const FileContents &file)
{
    const QString &path = file.path;
    const Target target = checkTarget(path);
    Staged s{path, target.file, QString()};
    const QFileInfo info(s.target);
    removeLeftovers(info.dir(), info.fileName());

    const QString prefix = QStringLiteral("%1.%2-").arg(s.target).arg(qint64(::getpid()));
    int fd = -1;
    while (fd < 0) {
        s.temp = prefix + randomSuffix() + QStringLiteral(".tmp");
        fd = ::open(native(s.temp).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            fail(path, reason(errno));
    }
    int error = 0;
    if (target.mode && ::fchmod(fd, *target.mode) != 0) // kept from the file being replaced
        error = errno;
    const char *data = file.bytes.constData();
    for (qsizetype done = 0, size = file.bytes.size(); !error && done < size;) {
        const ssize_t n =
            ::write(fd, data + done, std::size_t(std::min<qsizetype>(size - done, 1 << 30)));
        if (n >= 0)
            done += n;
        else if (errno != EINTR)
            error = errno;
    }
    if (!error && ::fsync(fd) != 0)
        error = errno;
    if (::close(fd) != 0 && !error)
        error = errno;
    if (error) {
        ::unlink(native(s.temp).constData());
        fail(path, reason(error));
    }
    return s;
}

void syncFolder(const QString &path, const QString &folder)
{
    const int fd = ::open(native(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        fail(path, QStringLiteral("cannot sync its folder: %1").arg(reason(errno)));
    // A file system that cannot sync folders says EINVAL; the rename is as durable as it gets.
    const int error = ::fsync(fd) != 0 && errno != EINVAL ? errno : 0;
    ::close(fd);
    if (error)
        fail(path, QStringLiteral("cannot sync its folder: %1").arg(reason(error)));
}

} // namespace

QString missingFileReason(const QString &path)
{
    struct stat st {};
    if (::stat(native(path).constData(), &st) == 0 || errno == ENOENT)
        return QStringLiteral("no such file");
    return reason(errno);
}

void makeFolder(const QString &dir)
{
    // mkdir -p, part by part, so that a failure keeps its reason (QDir::mkpath drops it).
    QString partial;
    for (const QString &part :
         QFileInfo(dir).absoluteFilePath().split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        partial += QLatin1Char('/') + part;
        const QByteArray name = native(partial);
        if (::mkdir(name.constData(), 0777) == 0)
            continue;
        int error = errno;
        struct stat st {};
        if (error == EEXIST && ::stat(name.constData(), &st) == 0)
            error = S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
        if (error)
            throw SaveError(
                QStringLiteral("cannot create the folder %1: %2").arg(dir, reason(error)));
    }
}

void checkSaveTarget(const QString &path)
{
    const QFileInfo target(checkTarget(path).file);
    removeLeftovers(target.dir(), target.fileName());
}

void writeAtomically(const QString &path, const QByteArray &bytes)
{
    writeAtomically(std::vector<FileContents>{{path, bytes}});
}

void writeAtomically(const std::vector<FileContents> &files)
{
    std::vector<Staged> staged;
    staged.reserve(files.size());
    const auto removeFrom = [&](std::size_t first) {
        for (std::size_t i = first; i < staged.size(); ++i)
            ::unlink(native(staged[i].temp).constData());
    };
    try {
        for (const FileContents &file : files)
            staged.push_back(stage(file));
    } catch (...) {
        removeFrom(0);
        throw;
    }
    std::set<QString> folders;
    for (std::size_t i = 0; i < staged.size(); ++i) {
        const Staged &s = staged[i];
        if (std::rename(native(s.temp).constData(), native(s.target).constData()) != 0) {
            const int error = errno;
            removeFrom(i);
            fail(s.path, reason(error));
        }
        folders.insert(QFileInfo(s.target).absolutePath());
    }
    for (const QString &folder : folders)
        syncFolder(staged.front().path, folder);
}

} // namespace snn
