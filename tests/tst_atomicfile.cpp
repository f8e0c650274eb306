#include "base/Error.h"
#include "graph/Example.h"
#include "io/AtomicFile.h"
#include "io/GraphFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>
#include <optional>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace snn;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray pattern(char seed, qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(seed + i % 251);
    return bytes;
}

mode_t modeOf(const QString &path)
{
    struct stat st {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode : 0;
}

struct ChildResult {
    bool exited = false; // normally, not by a signal
    QString message;     // "ok", or the Error it threw
};

struct ChildOptions {
    std::optional<rlim_t> fileSizeLimit; // RLIMIT_FSIZE: a full disk
    bool unprivileged = false;           // as root, drop to nobody (root writes anywhere)
};

// Runs `work` in a child process and returns how it ended.
ChildResult runInChild(const std::function<void()> &work, ChildOptions options = {})
{
    int fds[2];
    if (::pipe(fds) != 0)
        return {};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        std::signal(SIGXFSZ, SIG_IGN); // as snnc and the studio do
        if (options.fileSizeLimit) {
            const rlimit limit{*options.fileSizeLimit, *options.fileSizeLimit};
            ::setrlimit(RLIMIT_FSIZE, &limit);
        }
        if (options.unprivileged && ::geteuid() == 0 &&
            (::setgid(65534) != 0 || ::setuid(65534) != 0))
            ::_exit(3);
        QByteArray message = "ok";
        try {
            work();
        } catch (const Error &e) {
            message = e.message().toUtf8();
        }
        const bool written = ::write(fds[1], message.constData(), std::size_t(message.size())) ==
                             ssize_t(message.size());
        ::_exit(written ? 0 : 2);
    }
    ::close(fds[1]);
    QByteArray message;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;)
        message.append(buffer, n);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return {WIFEXITED(status) && WEXITSTATUS(status) == 0, QString::fromUtf8(message)};
}

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { m_dir.emplace(); }
    void writesAndReplaces();
    void newFileFollowsUmask();
    void keepsMode();
    void writesThroughSymlinks();
    void refusesWhatIsNotAFile();
    void readOnlyFolder();
    void fullDisk_data();
    void fullDisk();
    void fullDiskGraph();
    void severalFilesAllOrNothing();
    void removesLeftoversOfDeadWriters();
    void checkingATargetRemovesItsLeftovers();
    void refusesANulInTheName();
    void makeFolderSaysWhy();
    void killDuringSave();
    void twoWriters();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    QStringList leftovers() const
    {
        return QDir(m_dir->path()).entryList({QStringLiteral("*.tmp")}, QDir::Files);
    }
    std::optional<QTemporaryDir> m_dir;
};

void TestAtomicFile::writesAndReplaces()
{
    const QString file = path(QStringLiteral("a.bin"));
    writeAtomically(file, "first");
    QCOMPARE(readAll(file), QByteArray("first"));
    writeAtomically(file, "second, longer");
    QCOMPARE(readAll(file), QByteArray("second, longer"));
    writeAtomically(file, QByteArray());
    QCOMPARE(QFileInfo(file).size(), 0);
    QCOMPARE(leftovers(), QStringList());
    try {
        writeAtomically(path(QStringLiteral("no/such/folder/g.h5")), "x");
        QFAIL("saved into a missing folder");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("cannot save %1: the folder does not exist")
                                  .arg(path(QStringLiteral("no/such/folder/g.h5"))));
    }
}

void TestAtomicFile::newFileFollowsUmask()
{
    const mode_t saved = ::umask(022);
    writeAtomically(path(QStringLiteral("open.bin")), "x");
    ::umask(077);
    writeAtomically(path(QStringLiteral("private.bin")), "x");
    ::umask(saved);
    QCOMPARE(modeOf(path(QStringLiteral("open.bin"))) & 07777, mode_t(0644));
    QCOMPARE(modeOf(path(QStringLiteral("private.bin"))) & 07777, mode_t(0600));
}

void TestAtomicFile::keepsMode()
{
    for (const mode_t mode : {mode_t(0640), mode_t(0755), mode_t(0604)}) {
        const QString file = path(QStringLiteral("m%1.bin").arg(mode, 0, 8));
        writeAtomically(file, "old");
        QCOMPARE(::chmod(QFile::encodeName(file).constData(), mode), 0);
        writeAtomically(file, "new");
        QCOMPARE(readAll(file), QByteArray("new"));
        QCOMPARE(modeOf(file) & 07777, mode);
    }
}

void TestAtomicFile::writesThroughSymlinks()
{
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("real")));
    const QString target = path(QStringLiteral("real/graph.h5"));
    writeAtomically(target, "old");
    // link2 -> link1 -> real/graph.h5, both relative.
    QVERIFY(QFile::link(QStringLiteral("real/graph.h5"), path(QStringLiteral("link1"))));
    QVERIFY(QFile::link(QStringLiteral("link1"), path(QStringLiteral("link2"))));
    writeAtomically(path(QStringLiteral("link2")), "through the links");
    QCOMPARE(readAll(target), QByteArray("through the links"));
    QVERIFY(S_ISLNK(modeOf(path(QStringLiteral("link1")))));
    QVERIFY(S_ISLNK(modeOf(path(QStringLiteral("link2")))));
    // A dangling link: the file it names is created, the link stays.
    QVERIFY(QFile::link(QStringLiteral("real/new.h5"), path(QStringLiteral("dangling"))));
    writeAtomically(path(QStringLiteral("dangling")), "created");
    QCOMPARE(readAll(path(QStringLiteral("real/new.h5"))), QByteArray("created"));
    QVERIFY(S_ISLNK(modeOf(path(QStringLiteral("dangling")))));
    QCOMPARE(QDir(path(QStringLiteral("real"))).entryList({QStringLiteral("*.tmp")}, QDir::Files),
             QStringList());
}

void TestAtomicFile::refusesWhatIsNotAFile()
{
    const QString folder = path(QStringLiteral("folder"));
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("folder")));
    const QString fifo = path(QStringLiteral("fifo"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0644), 0);
    std::vector<std::pair<QString, QString>> cases = {
        {folder, QStringLiteral("cannot save %1: it is a folder, not a regular file").arg(folder)},
        {folder + QLatin1Char('/'),
         QStringLiteral("cannot save %1/: it names a folder, not a file").arg(folder)},
        {fifo, QStringLiteral("cannot save %1: it is a FIFO, not a regular file").arg(fifo)},
        {QString(), QStringLiteral("cannot save: no file name given")},
    };
    const QString device = path(QStringLiteral("null"));
    if (::mknod(QFile::encodeName(device).constData(), S_IFCHR | 0666, makedev(1, 3)) == 0)
        cases.push_back(
            {device,
             QStringLiteral("cannot save %1: it is a device, not a regular file").arg(device)});
    else
        qInfo("not root: the device case is left out");
    for (const auto &[target, expected] : cases) {
        const mode_t before = modeOf(target);
        try {
            writeAtomically(target, "data");
            QFAIL(qPrintable(QStringLiteral("replaced %1").arg(target)));
        } catch (const Error &e) {
            QCOMPARE(e.message(), expected);
        }
        QCOMPARE(modeOf(target), before);
    }
    QCOMPARE(QDir(m_dir->path())
                 .entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)
                 .size(),
             qsizetype(cases.size() == 5 ? 3 : 2));
}

void TestAtomicFile::readOnlyFolder()
{
    // The folder is world-readable (so that nobody can reach it) but writable by no one.
    QCOMPARE(::chmod(QFile::encodeName(m_dir->path()).constData(), 0755), 0);
    const QString folder = path(QStringLiteral("readonly"));
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("readonly")));
    const QString file = folder + QStringLiteral("/g.bin");
    writeAtomically(file, "kept");
    QCOMPARE(::chmod(QFile::encodeName(file).constData(), 0644), 0);
    QCOMPARE(::chmod(QFile::encodeName(folder).constData(), 0555), 0);
    const ChildResult r =
        runInChild([&] { writeAtomically(file, "replaced"); }, {.unprivileged = true});
    ::chmod(QFile::encodeName(folder).constData(), 0755);
    QVERIFY(r.exited);
    QCOMPARE(r.message, QStringLiteral("cannot save %1: permission denied").arg(file));
    QCOMPARE(readAll(file), QByteArray("kept"));
}

void TestAtomicFile::fullDisk_data()
{
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<bool>("fits");
    const qint64 size = 1 << 20;
    for (qint64 limit : {qint64(0), qint64(1), qint64(4095), qint64(4096), size / 2, size - 1})
        QTest::addRow("%lld bytes", limit) << limit << false;
    QTest::addRow("exactly") << size << true;
}

void TestAtomicFile::fullDisk()
{
    QFETCH(qint64, limit);
    QFETCH(bool, fits);
    const QString file = path(QStringLiteral("data.bin"));
    writeAtomically(file, "the previous contents");
    const QByteArray bytes = pattern('a', 1 << 20);
    const ChildResult r =
        runInChild([&] { writeAtomically(file, bytes); }, {.fileSizeLimit = rlim_t(limit)});
    QVERIFY(r.exited);
    if (fits) {
        QCOMPARE(r.message, QStringLiteral("ok"));
        QCOMPARE(readAll(file), bytes);
    } else {
        QCOMPARE(r.message, QStringLiteral("cannot save %1: file too large").arg(file));
        QCOMPARE(readAll(file), QByteArray("the previous contents"));
    }
    QCOMPARE(leftovers(), QStringList());
}

void TestAtomicFile::fullDiskGraph()
{
    // Through HDF5: the graph is built in memory, so a failed write cannot leave HDF5 with a
    // half-closed file (which used to crash at exit) nor replace the target.
    const QString file = path(QStringLiteral("graph.h5"));
    Graph small(2);
    Layer l;
    l.name = QStringLiteral("l");
    l.weights = Eigen::MatrixXf::Ones(2, 2);
    small.addLayer(l);
    saveGraph(small, file);
    const QByteArray before = readAll(file);
    const Graph big = exampleGraph();
    for (rlim_t limit : {rlim_t(0), rlim_t(512), rlim_t(100000), rlim_t(800000)}) {
        const ChildResult r = runInChild([&] { saveGraph(big, file); }, {.fileSizeLimit = limit});
        QVERIFY(r.exited);
        QCOMPARE(r.message, QStringLiteral("cannot save %1: file too large").arg(file));
        QCOMPARE(readAll(file), before);
        QCOMPARE(leftovers(), QStringList());
    }
    const ChildResult r = runInChild([&] { saveGraph(big, file); }, {.fileSizeLimit = 4 << 20});
    QCOMPARE(r.message, QStringLiteral("ok"));
    QCOMPARE(loadGraph(file).totalParams(), big.totalParams());
}

void TestAtomicFile::severalFilesAllOrNothing()
{
    const QString a = path(QStringLiteral("a.v"));
    const QString b = path(QStringLiteral("b.v"));
    writeAtomically({{a, "old a"}, {b, "old b"}});
    // a fits under the limit, b does not: neither is replaced.
    const std::vector<FileContents> files = {{a, pattern('x', 1000)}, {b, pattern('y', 5000)}};
    const ChildResult r = runInChild([&] { writeAtomically(files); }, {.fileSizeLimit = 4096});
    QVERIFY(r.exited);
    QCOMPARE(r.message, QStringLiteral("cannot save %1: file too large").arg(b));
    QCOMPARE(readAll(a), QByteArray("old a"));
    QCOMPARE(readAll(b), QByteArray("old b"));
    QCOMPARE(leftovers(), QStringList());
    writeAtomically(files);
    QCOMPARE(readAll(a), files[0].bytes);
    QCOMPARE(readAll(b), files[1].bytes);
}

void TestAtomicFile::removesLeftoversOfDeadWriters()
{
    const pid_t dead = ::fork();
    if (dead == 0)
        ::_exit(0);
    ::waitpid(dead, nullptr, 0);
    const QString file = path(QStringLiteral("g.h5"));
    const auto touch = [&](const QString &name) {
        QFile f(path(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("leftover");
    };
    const QString ofDead = QStringLiteral("g.h5.%1-aB3xYz.tmp").arg(dead);
    const QString ofLiving = QStringLiteral("g.h5.%1-aB3xYz.tmp").arg(::getpid());
    const QString ofOther = QStringLiteral("other.h5.%1-aB3xYz.tmp").arg(dead);
    touch(ofDead);
    touch(ofLiving);
    touch(ofOther);
    writeAtomically(file, "new");
    QStringList expected = {ofLiving, ofOther};
    expected.sort();
    QCOMPARE(leftovers(), expected);
}

void TestAtomicFile::checkingATargetRemovesItsLeftovers()
{
    // A command checks its outputs before its work: the temporary files of killed saves go then,
    // whether or not it gets to save (issue 29: five killed runs left theirs until a save).
    const pid_t dead = ::fork();
    if (dead == 0)
        ::_exit(0);
    ::waitpid(dead, nullptr, 0);
    const QString ofDead = QStringLiteral("g.h5.%1-aB3xYz.tmp").arg(dead);
    const QString ofLiving = QStringLiteral("g.h5.%1-aB3xYz.tmp").arg(::getpid());
    for (const QString &name : {ofDead, ofLiving}) {
        QFile f(path(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("leftover");
    }
    checkSaveTarget(path(QStringLiteral("g.h5")));
    QCOMPARE(leftovers(), QStringList{ofLiving});
    QVERIFY(!QFile::exists(path(QStringLiteral("g.h5"))));
}

void TestAtomicFile::refusesANulInTheName()
{
    // The system would cut the name at the NUL and write "a" (Python's save did).
    const QString name = path(QStringLiteral("a")) + QChar(u'\0') + QStringLiteral("b.h5");
    for (const auto &save : std::vector<std::function<void()>>{
             [&] { writeAtomically(name, "data"); }, [&] { checkSaveTarget(name); }}) {
        try {
            save();
            QFAIL("a name with a NUL was accepted");
        } catch (const Error &e) {
            QCOMPARE(e.message(),
                     QStringLiteral("cannot save %1\\x00b.h5: the name contains a NUL character")
                         .arg(path(QStringLiteral("a"))));
        }
    }
    QVERIFY(!QFile::exists(path(QStringLiteral("a"))));
}

void TestAtomicFile::makeFolderSaysWhy()
{
    const QString nested = path(QStringLiteral("x/y/z"));
    makeFolder(nested);
    QVERIFY(QFileInfo(nested).isDir());
    makeFolder(nested); // there already
    writeAtomically(path(QStringLiteral("file")), "data");
    const QString through = path(QStringLiteral("file/sub"));
    try {
        makeFolder(through);
        QFAIL("made a folder in a file");
    } catch (const SaveError &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("cannot create the folder %1: not a directory").arg(through));
    }
    try {
        makeFolder(path(QStringLiteral("file")));
        QFAIL("took a file for a folder");
    } catch (const SaveError &e) {
        QCOMPARE(e.message(), QStringLiteral("cannot create the folder %1: not a directory")
                                  .arg(path(QStringLiteral("file"))));
    }
    // A folder nobody may write to: the system's reason, not just "cannot create".
    const QString locked = path(QStringLiteral("locked"));
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("locked")));
    QCOMPARE(::chmod(QFile::encodeName(m_dir->path()).constData(), 0755), 0);
    QCOMPARE(::chmod(QFile::encodeName(locked).constData(), 0555), 0);
    const ChildResult r =
        runInChild([&] { makeFolder(locked + QStringLiteral("/out")); }, {.unprivileged = true});
    ::chmod(QFile::encodeName(locked).constData(), 0755);
    QVERIFY(r.exited);
    QCOMPARE(r.message,
             QStringLiteral("cannot create the folder %1/out: permission denied").arg(locked));
}

void TestAtomicFile::killDuringSave()
{
    const QString file = path(QStringLiteral("g.h5"));
    const QByteArray a = pattern('a', 4 << 20);
    const QByteArray b = pattern('b', 4 << 20);
    writeAtomically(file, a);
    int interrupted = 0; // kills that left a temporary file: they landed inside a save
    for (int round = 0; round < 12; ++round) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            for (int i = 0;; ++i)
                writeAtomically(file, i % 2 ? a : b);
        }
        ::usleep(useconds_t(20000 + 7000 * round));
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        const QByteArray now = readAll(file);
        QVERIFY2(now == a || now == b, qPrintable(QStringLiteral("round %1").arg(round)));
        interrupted += leftovers().isEmpty() ? 0 : 1;
    }
    QVERIFY(interrupted > 0);
    writeAtomically(file, b); // removes what the killed writers left
    QCOMPARE(readAll(file), b);
    QCOMPARE(leftovers(), QStringList());
}

void TestAtomicFile::twoWriters()
{
    const QString file = path(QStringLiteral("g.h5"));
    const QByteArray a = pattern('a', 1 << 20);
    const QByteArray b = pattern('b', 1 << 20);
    std::vector<pid_t> writers;
    for (const QByteArray *bytes : {&a, &b}) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            try {
                for (int i = 0; i < 20; ++i)
                    writeAtomically(file, *bytes);
            } catch (const Error &) {
                ::_exit(1);
            }
            ::_exit(0);
        }
        writers.push_back(pid);
    }
    for (const pid_t pid : writers) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
    }
    const QByteArray now = readAll(file);
    QVERIFY(now == a || now == b);
    QCOMPARE(leftovers(), QStringList());
}

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
