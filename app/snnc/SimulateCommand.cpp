#include "Cli.h"
#include "base/Error.h"
#include "sim/Engine.h"
#include "sim/Sequences.h"

#include <cmath>

namespace snn::cli {

int runSimulate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Drive a network with given input spike trains or currents and write every layer's "
        "spikes (and membranes) per step; see docs/simulation.md."));
    const ModelArgument model{true};
    model.addTo(parser);
    const QCommandLineOption input(
        QStringLiteral("input"),
        QStringLiteral("HDF5 file with 'spikes' (uint8 [samples, steps, inputs]) or 'current' "
                       "(float32 [samples, steps, inputs] or [samples, inputs])."),
        QStringLiteral("IN"));
    const QCommandLineOption output =
        outputOption(QStringLiteral("The HDF5 file to write."), QStringLiteral("OUT"));
    const QCommandLineOption record(
        QStringLiteral("record"),
        QStringLiteral("What to record per layer: spikes, membrane or both (default spikes)."),
        QStringLiteral("LIST"), QStringLiteral("spikes"));
    const QCommandLineOption steps(
        QStringLiteral("steps"),
        QStringLiteral("Time steps (default: all of the input's; 25 for a constant current)."),
        QStringLiteral("T"));
    parser.addOptions({input, output, record, steps});
    if (const int code = parse(parser, arguments, 1); code >= 0)
        return code;
    requireOptions(parser, {&input, &output});
    bool spikes = false, membrane = false;
    for (const QString &what : parser.value(record).split(QLatin1Char(','))) {
        if (what == QLatin1String("spikes"))
            spikes = true;
        else if (what == QLatin1String("membrane"))
            membrane = true;
        else
            throw Error(QStringLiteral("--record takes spikes, membrane or spikes,membrane, not "
                                       "'%1'")
                            .arg(parser.value(record)));
    }
    const Graph graph = model.load(parser);
    const SequenceInput in = readSequenceInput(parser.value(input));
    int t = in.kind == SequenceInput::ConstantCurrent ? sim::SimOptions().steps : in.steps;
    if (parser.isSet(steps)) {
        const double value = numberOption(parser, QStringLiteral("steps"));
        if (value != std::floor(value) || value < 1 || value > 1e6)
            throw Error(QStringLiteral("--steps takes a whole number >= 1, not '%1'")
                            .arg(parser.value(steps)));
        t = int(value);
    }
    const SequenceTraces traces = simulateSequences(graph, in, t, membrane);
    saveSequenceTraces(traces, parser.value(output), spikes);
    QString text = QStringLiteral("simulated %1 samples x %2 steps through %3 layers\n")
                       .arg(traces.samples)
                       .arg(traces.steps)
                       .arg(traces.layers.size());
    for (const LayerTrace &l : traces.layers) {
        if (!l.spiking)
            continue;
        std::int64_t total = 0;
        for (std::uint8_t s : l.spikes)
            total += s;
        text += QStringLiteral("  %1: %2 spikes\n").arg(l.name).arg(total);
    }
    printOut(text + QStringLiteral("wrote %1\n").arg(parser.value(output)));
    return Success;
}

} // namespace snn::cli
