#pragma once

#include <QByteArray>
#include <QString>

#include <vector>

namespace snn {

struct FileContents {
    QString path;
    QByteArray bytes;
};

// Every file SNN Studio writes goes through here, so that a save either wholly replaces its target
// or leaves it byte for byte as it was, whatever happens (a full disk, a crash, kill -9):
// - the bytes go to a temporary file beside the target, NAME.PID-XXXXXX.tmp, which is synced and
//   renamed over the target; then the folder is synced;
// - a symbolic link is followed: the file it points to is replaced and the link stays;
// - an existing file keeps its permission bits; a new one gets 0666 less the umask;
// - anything that is not a regular file (a folder, a FIFO, a device) is refused;
// - temporary files that a process which died while saving the same target left behind are
//   removed first.
// On failure it throws Error "cannot save PATH: REASON" with the system's reason ("no space left
// on device"), after removing its temporary file.
void writeAtomically(const QString &path, const QByteArray &bytes);

// Throws the Error that writeAtomically() would for a `path` that names no file it may replace
// (no name, a folder, a FIFO, a device, a missing folder), so that a command refuses it before
// its work; and removes the temporary files that killed processes left while saving it, so that
// they are gone at the next start, whether or not that run gets to save.
void checkSaveTarget(const QString &path);

// Why `path` names no file to read, for "cannot open PATH: REASON": "no such file", or the
// system's reason when it is another ("too many levels of symbolic links" for a link loop).
QString missingFileReason(const QString &path);

// Creates the folder `dir` and its missing parents (mkdir -p). Throws SaveError "cannot create
// the folder DIR: REASON" with the system's reason ("read-only file system", "not a directory").
void makeFolder(const QString &dir);

// Several files, all or none: every file is written and synced to its temporary file before the
// first one is renamed, so a write failure (a full disk) leaves every target as it was.
void writeAtomically(const std::vector<FileContents> &files);

} // namespace snn
