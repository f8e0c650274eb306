#include "Cli.h"

#include "nir/AnyGraphFile.h"

#include <QLocale>

namespace snn::cli {

namespace {

QString rateSummary(const Layer &l)
{
    if (!l.hasRates())
        return QStringLiteral("not measured");
    const auto never = (l.rates.array() == 0.0f).count();
    return QStringLiteral("mean %1, max %2, %3 never fired")
        .arg(double(l.rates.mean()), 0, 'f', 4)
        .arg(double(l.rates.maxCoeff()), 0, 'f', 4)
        .arg(never);
}

} // namespace

int runInfo(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Describe a graph file: layers, sizes, neuron "
                                                    "parameters, parameter counts and firing "
                                                    "rates."));
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("An SNN Studio graph (.h5) or a NIR file (.nir, "
                                                "imported as snnc import would without "
                                                "options)."));
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;
    const QString path = parser.positionalArguments().front();
    const GraphSummary graph = loadAnyGraphSummary(path);
    const QLocale locale(QLocale::English);
    QString text = QStringLiteral("%1: %2\n").arg(path, graph.description());
    for (const LayerSummary &s : graph.layers) {
        const Layer &l = s.layer;
        const NeuronParams &p = l.neuron;
        text +=
            QStringLiteral("  %1 <- %2: %3 %4 x %5, %6 params%7; %8, reset %9%10\n")
                .arg(l.name, s.source, p.spiking ? toString(p.type) : QStringLiteral("linear"))
                .arg(s.neurons)
                .arg(s.inputs)
                .arg(locale.toString(qint64(s.paramCount())),
                     l.hasBias() ? QStringLiteral(" (with bias)") : QString(), l.neuronValuesText(),
                     resetDescription(p), s.output ? QStringLiteral(" [output]") : QString());
        const QString source = l.hasSyntheticRates() ? QStringLiteral(" (synthetic, not measured)")
                               : l.hasRates() && !l.ratesSource.isEmpty()
                                   ? QStringLiteral(" (%1)").arg(l.ratesSource)
                                   : QString();
        text += QStringLiteral("      rates%1: %2\n").arg(source, rateSummary(l));
    }
    printOut(text);
    return Success;
}

} // namespace snn::cli
