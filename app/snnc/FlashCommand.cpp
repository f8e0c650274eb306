#include "Cli.h"
#include "base/Error.h"
#include "base/RunControl.h"
#include "hw/Exporter.h"
#include "hw/ToolRunner.h"

#include <QDir>
#include <QFileInfo>

namespace snn::cli {

int runFlash(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write an exported folder's bitstream (top.bin, built by 'snnc synth -o DIR' "
        "or build.sh) to the board's SPI flash with iceprog, and the weight image "
        "(weights.bin, when the weights are in SPRAM) after it."));
    parser.addPositionalArgument(QStringLiteral("DIR"),
                                 QStringLiteral("An exported, built folder."));
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;
    const QString dir = parser.positionalArguments().front();
    const QString bin = QDir(dir).filePath(QStringLiteral("top.bin"));
    if (!QFileInfo(bin).isFile())
        throw Error(
            QStringLiteral("%1 has no top.bin; build it first (snnc synth %1 --board B)").arg(dir));
    try {
        for (const hw::ToolStep &iceprog : hw::flashCommands(dir))
            hw::runToolBlocking(iceprog, dir, RunControl());
    } catch (const Cancelled &) {
        throw;
    } catch (const Error &e) {
        // A tool failure (or no board) is a failure, not bad input.
        if (e.message().contains(QLatin1String("find iCE FTDI")))
            printError(QStringLiteral("no board found: connect the board by USB (iceprog: %1)")
                           .arg(e.message()));
        else
            printError(e.message());
        return Failure;
    }
    printOut(QStringLiteral("flashed %1\n").arg(bin));
    if (QFileInfo::exists(QDir(dir).filePath(QStringLiteral("weights.bin"))))
        printOut(
            QStringLiteral("flashed %1\n").arg(QDir(dir).filePath(QStringLiteral("weights.bin"))));
    return Success;
}

} // namespace snn::cli
