#include "Cli.h"

#include "base/Error.h"
#include "io/AtomicFile.h"
#include "io/GraphFile.h"
#include "nir/AnyGraphFile.h"
#include "nir/NirFile.h"

#include <cstdio>

namespace snn::cli {

void ModelArgument::addTo(QCommandLineParser &parser) const
{
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 nir ? QStringLiteral("An SNN Studio graph (.h5) or a NIR file.")
                                     : QStringLiteral("An SNN Studio graph (.h5)."));
}

Graph ModelArgument::load(const QCommandLineParser &parser) const
{
    const QString path = parser.positionalArguments().front();
    return nir ? loadAnyGraph(path) : loadGraph(path);
}

void printError(const QString &message)
{
    std::fprintf(stderr, "snnc: %s\n", qPrintable(message));
}

void printOut(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fflush(stdout);
}

int parse(QCommandLineParser &parser, const QStringList &arguments, int positional)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(arguments)) {
        printError(parser.errorText());
        return BadInput;
    }
    if (parser.isSet(help)) {
        // Qt names the program by its full path; name it by the command instead.
        QString text = parser.helpText();
        text.replace(0, text.indexOf(QLatin1String(" [options]")),
                     QStringLiteral("Usage: snnc ") + arguments.front());
        printOut(text);
        return Success;
    }
    if (parser.positionalArguments().size() != positional) {
        printError(QStringLiteral("%1 takes %2 file argument%3, got %4 (see snnc %1 --help)")
                       .arg(arguments.front())
                       .arg(positional)
                       .arg(positional == 1 ? QString() : QStringLiteral("s"))
                       .arg(parser.positionalArguments().size()));
        return BadInput;
    }
    return -1;
}

void checkOutputs(const QCommandLineParser &parser,
                  std::initializer_list<const QCommandLineOption *> options)
{
    for (const QCommandLineOption *option : options)
        if (parser.isSet(*option) && parser.value(*option) != QLatin1String("-"))
            checkSaveTarget(parser.value(*option));
}

double numberOption(const QCommandLineParser &parser, const QString &name)
{
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok)
        throw Error(QStringLiteral("--%1 takes a number, not '%2'").arg(name, parser.value(name)));
    return value;
}

void requireOptions(const QCommandLineParser &parser,
                    std::initializer_list<const QCommandLineOption *> options)
{
    for (const QCommandLineOption *option : options) {
        if (parser.isSet(*option))
            continue;
        const QString name = option->names().front();
        throw Error(name.size() == 1
                        ? QStringLiteral("-%1 %2 is required").arg(name, option->valueName())
                        : QStringLiteral("--%1 is required").arg(name));
    }
}

QCommandLineOption outputOption(const QString &description, const QString &valueName)
{
    return QCommandLineOption({QStringLiteral("o"), QStringLiteral("output")}, description,
                              valueName);
}

const QCommandLineOption &nirDtOption()
{
    static const QCommandLineOption option(
        QStringLiteral("dt"),
        QStringLiteral("Seconds per simulation step: a LIF with time constant tau gets "
                       "beta = 1 - dt/tau. Default: the one the file (or graph) records, else "
                       "its producer's (snnTorch's 1e-4, Norse's 1e-3), else %1.")
            .arg(nir::NirOptions().dt),
        QStringLiteral("S"), QString::number(nir::NirOptions().dt));
    return option;
}

double nirDt(const QCommandLineParser &parser)
{
    const double dt = numberOption(parser, nirDtOption().names().front());
    if (!(dt > 0))
        throw Error(QStringLiteral("--dt must be positive, not %1").arg(dt));
    return dt;
}

} // namespace snn::cli
