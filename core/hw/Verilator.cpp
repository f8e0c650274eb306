#include "hw/Verilator.h"

#include "base/Error.h"
#include "base/RunControl.h"
#include "hw/ToolRunner.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>

namespace snn::hw {

namespace {

const QString kBinary = QStringLiteral("tb_snn_core");
const QString kKeyFile = QStringLiteral("key");

// The options Verilator compiles the testbench with: two-state values start at 0 (iverilog's X
// would stop a comparison as a mismatch; here they are defined, the same on every run), the
// testbench's delays with --timing, warnings reported but not fatal (the core is linted by
// yosys and iverilog), Verilator's -O3.
QStringList verilatorOptions(const QString &folder)
{
    return {QStringLiteral("--binary"),     QStringLiteral("--timing"),
            QStringLiteral("-O3"),          QStringLiteral("-Wno-fatal"),
            QStringLiteral("-Wno-lint"),    QStringLiteral("-Wno-style"),
            QStringLiteral("--x-assign"),   QStringLiteral("0"),
            QStringLiteral("--x-initial"),  QStringLiteral("0"),
            QStringLiteral("--top-module"), kBinary,
            QStringLiteral("--Mdir"),       folder,
            QStringLiteral("-o"),           kBinary};
}

// How the C++ is built (no effect on what it computes): g++ -O2 rather than Verilator's -Os
// (about a quarter less CPU time on the shipped model's testbench), one compiler per core,
// through ccache when it is installed.
QStringList makeOptions()
{
    QString flags = QStringLiteral("OPT_FAST=-O2 OPT_GLOBAL=-O2");
    if (!QStandardPaths::findExecutable(QStringLiteral("ccache")).isEmpty())
        flags += QStringLiteral(" OBJCACHE=ccache");
    return {QStringLiteral("-j"), QString::number(std::max(1, QThread::idealThreadCount())),
            QStringLiteral("-MAKEFLAGS"), flags};
}

// The key of a compiled testbench: SHA-1 over the options and every source it reads at compile
// time (the sources named in `arguments` and the folder's .vh includes); the memory images are
// read when it runs.
QByteArray buildKey(const QString &dir, const QStringList &arguments)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(arguments.join(QLatin1Char('\n')).toUtf8());
    QStringList files;
    for (const QString &argument : arguments)
        if (argument.endsWith(QLatin1String(".v")))
            files << argument;
    files += QDir(dir).entryList({QStringLiteral("*.vh")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile file(QDir(dir).filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            throw Error(QStringLiteral("cannot read %1").arg(file.fileName()));
        hash.addData(name.toUtf8() + '\0' + file.readAll() + '\0');
    }
    return hash.result().toHex();
}

// Copies the design's Verilog sources and includes into `to`.
void copySources(const QString &dir, const QString &to)
{
    const QDir from(dir);
    for (const QString &name :
         from.entryList({QStringLiteral("*.v"), QStringLiteral("*.vh")}, QDir::Files)) {
        if (!QFile::copy(from.filePath(name), QDir(to).filePath(name)))
            throw Error(QStringLiteral("cannot copy %1 to %2").arg(from.filePath(name), to));
    }
}

// Compiles the testbench into DIR/verilator unless the binary there has the same key. Returns
// whether it compiled. The compile runs in a temporary folder (Verilator's makefiles refuse a
// path with a space, as the studio's default "SNN Studio" project folder has); the binary and its
// key are then kept in DIR/verilator.
bool compile(const QString &dir, const RunControl &control)
{
    const QString folder = QLatin1String(kVerilatorFolder);
    const QStringList arguments =
        verilatorOptions(folder) +
        simulationSources(dir, {kBinary + QStringLiteral(".v"), QStringLiteral("snn_core.v")});
    const QByteArray key = buildKey(dir, arguments);
    const QDir build(QDir(dir).filePath(folder));
    QFile stamp(build.filePath(kKeyFile));
    if (QFile::exists(build.filePath(kBinary)) && stamp.open(QIODevice::ReadOnly) &&
        stamp.readAll() == key)
        return false;
    stamp.close();
    QDir(build).removeRecursively();
    const QTemporaryDir work;
    if (!work.isValid())
        throw Error(QStringLiteral("cannot create a temporary folder for Verilator: %1")
                        .arg(work.errorString()));
    copySources(dir, work.path());
    runToolBlocking(QStringLiteral("verilator"), arguments + makeOptions(), work.path(),
                    QStringLiteral("verilator"), control);
    const QString compiled = QDir(work.path()).filePath(folder + QLatin1Char('/') + kBinary);
    if (!QDir().mkpath(build.path()) || !QFile::copy(compiled, build.filePath(kBinary)))
        throw Error(QStringLiteral("cannot write %1").arg(build.filePath(kBinary)));
    if (!stamp.open(QIODevice::WriteOnly) || stamp.write(key) != key.size())
        throw Error(QStringLiteral("cannot write %1").arg(stamp.fileName()));
    return true;
}

// The testbench's sample count (its localparam NS).
int testbenchSamples(const QString &dir)
{
    QFile tb(QDir(dir).filePath(kBinary + QStringLiteral(".v")));
    if (!tb.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1").arg(tb.fileName()));
    static const QRegularExpression ns(QStringLiteral("localparam NS = (\\d+);"));
    const QRegularExpressionMatch m = ns.match(QString::fromUtf8(tb.readAll()));
    if (!m.hasMatch())
        throw Error(QStringLiteral("%1 is not the core testbench (no NS)").arg(tb.fileName()));
    return m.captured(1).toInt();
}

// Adds a part's result (samples after those of `total`) to the total.
void add(RtlVerification &total, const RtlVerification &part)
{
    total.samples += part.samples;
    total.mismatches += part.mismatches;
    for (const QString &line : part.details)
        if (total.details.size() < 20)
            total.details << line;
    if (!total.first)
        total.first = part.first;
    total.spikeWords += part.spikeWords;
    total.checksums += part.checksums;
    total.outputCounts += part.outputCounts;
    total.silentCounts += part.silentCounts;
    total.saturatedCounts += part.saturatedCounts;
    total.cycles += part.cycles;
}

} // namespace

RtlVerification runVerilator(const QString &dir, const RunControl &control, int jobs)
{
    control.report(0.0, QStringLiteral("verilator"));
    const int samples = testbenchSamples(dir);
    const bool compiled = compile(dir, control);
    const int parts =
        std::clamp(jobs > 0 ? jobs : QThread::idealThreadCount(), 1, std::max(1, samples));
    std::vector<ToolStep> runs;
    const QString binary =
        QDir(dir).absoluteFilePath(QLatin1String(kVerilatorFolder) + QLatin1Char('/') + kBinary);
    for (int p = 0; p < parts; ++p) {
        const int first = int(std::int64_t(samples) * p / parts);
        const int next = int(std::int64_t(samples) * (p + 1) / parts);
        runs.push_back({QStringLiteral("simulation"),
                        binary,
                        {QStringLiteral("+first=%1").arg(first),
                         QStringLiteral("+count=%1").arg(next - first)},
                        QStringLiteral("verilator")});
    }
    control.report(0.1, QStringLiteral("simulating"));
    RtlVerification total;
    for (const QByteArray &output : runToolsBlocking(runs, dir, control))
        add(total, parseTestbenchOutput(output, dir));
    total.simulator = QStringLiteral("verilator");
    total.compiled = compiled;
    total.processes = parts;
    control.report(1.0, QStringLiteral("done"));
    return total;
}

} // namespace snn::hw
