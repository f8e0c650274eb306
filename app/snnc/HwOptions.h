#pragma once

// Options shared by the hardware commands (export, synth, verify, run): board, weight bits, lanes,
// time steps, membrane bits, weight memory. Bits and lanes not given are chosen for the board
// (hw::chooseConfiguration), or for a latency or logic-cell target on a data set's samples
// (hw::chooseForTarget).

#include "Cli.h"
#include "SimArgs.h"
#include "base/Error.h"
#include "eval/HardwareFigures.h"
#include "hw/BoardLink.h"
#include "hw/Exporter.h"
#include "sim/Dataset.h"

#include <QCommandLineOption>

namespace snn::cli {

// --target-latency MS and --target-lc N: what Auto aims at (hw::Target; snnc optimize and the
// hardware commands).
struct TargetOptionSet {
    QCommandLineOption latency{
        QStringLiteral("target-latency"),
        QStringLiteral("Auto picks the smallest design (fewest logic cells, then fewest EBR and "
                       "SPRAM blocks) whose latency per inference, the mean cycles over the "
                       "samples at the core clock, is at most MS milliseconds."),
        QStringLiteral("MS")};
    QCommandLineOption logicCells{
        QStringLiteral("target-lc"),
        QStringLiteral("Auto picks the fastest design whose estimated logic cells are at most "
                       "N."),
        QStringLiteral("N")};

    void addTo(QCommandLineParser &parser) const { parser.addOptions({latency, logicCells}); }
    bool isSet(const QCommandLineParser &parser) const
    {
        return parser.isSet(latency) || parser.isSet(logicCells);
    }
    // The target given (none when neither option is); throws Error for both or a bad number.
    hw::Target read(const QCommandLineParser &parser) const
    {
        if (parser.isSet(latency) && parser.isSet(logicCells))
            throw Error(QStringLiteral("--target-latency and --target-lc exclude each other"));
        const QCommandLineOption &option = parser.isSet(latency) ? latency : logicCells;
        if (!parser.isSet(option))
            return {};
        bool ok = false;
        const double value = parser.value(option).toDouble(&ok);
        if (!ok)
            throw Error(QStringLiteral("--%1 takes a number, not '%2'")
                            .arg(option.names().front(), parser.value(option)));
        const hw::Target target =
            parser.isSet(latency) ? hw::Target::latency(value) : hw::Target::logicCells(value);
        target.validate();
        return target;
    }
};

struct HwOptionSet {
    QCommandLineOption board{
        QStringLiteral("board"),
        QStringLiteral("Target board: %1.").arg(hw::boardIds().join(QStringLiteral(", "))),
        QStringLiteral("B")};
    QCommandLineOption bits{QStringLiteral("bits"),
                            QStringLiteral("Weight bits, 2 to 8 (default: the most that fit the "
                                           "board)."),
                            QStringLiteral("N")};
    QCommandLineOption lanes{QStringLiteral("lanes"),
                             QStringLiteral("Neurons updated in parallel: 1, 2, 4, 8, 16 (default: "
                                            "the most that fit at those bits and that the largest "
                                            "layer can use)."),
                             QStringLiteral("N")};
    QCommandLineOption steps{QStringLiteral("steps"),
                             QStringLiteral("Time steps per sample, 1 to 255 (default 16)."),
                             QStringLiteral("N"), QStringLiteral("16")};
    QCommandLineOption membrane{QStringLiteral("membrane-bits"),
                                QStringLiteral("Saturating membrane width, 8 to 24 (default 16)."),
                                QStringLiteral("N"), QStringLiteral("16")};

    QCommandLineOption memory{QStringLiteral("memory"),
                              QStringLiteral("Where the weights go: auto (EBR when it fits, else "
                                             "the UP5K's SPRAM), ebr or spram (default auto)."),
                              QStringLiteral("M"), QStringLiteral("auto")};

    QCommandLineOption clock{
        QStringLiteral("clock"),
        QStringLiteral("Core clock: auto (default: synth measures fmax at the board's oscillator, "
                       "then builds at the highest whole-MHz clock the PLL makes exactly that is "
                       "10% below it; export alone runs the oscillator), the oscillator's 12, or "
                       "MHz made by the iCE40 PLL (16 to 275)."),
        QStringLiteral("MHZ|auto"), QStringLiteral("auto")};

    TargetOptionSet target;
    QCommandLineOption targetData{
        QStringLiteral("target-data"),
        QStringLiteral("The data set whose test samples measure the latency for --target-latency "
                       "or --target-lc (their mean cycles in the core's exact cycle model)."),
        QStringLiteral("DATA")};

    QCommandLineOption baud{QStringLiteral("baud"),
                            QStringLiteral("UART baud rate, 9600 to 3000000 (default 115200); "
                                           "refused when the core clock cannot make it within "
                                           "2% with at least 8 clocks a bit."),
                            QStringLiteral("N"), QStringLiteral("115200")};

    // `withTarget`: the target options too (for the commands that read them with a graph).
    void addTo(QCommandLineParser &parser, bool withTarget = true) const
    {
        parser.addOptions({board, bits, lanes, steps, membrane, memory, clock, baud});
        if (withTarget) {
            target.addTo(parser);
            parser.addOption(targetData);
        }
    }

    // Reads the options (weight bits and lanes as given, else 8 and 4 until choose() settles
    // them); throws Error for a missing board or a bad number.
    hw::ExportOptions read(const QCommandLineParser &parser) const
    {
        if (!parser.isSet(board))
            throw Error(QStringLiteral("--board is required (one of %1)")
                            .arg(hw::boardIds().join(QStringLiteral(", "))));
        hw::ExportOptions o;
        o.board = hw::board(parser.value(board)).id;
        if (parser.isSet(bits))
            o.quant.weightBits = integer(parser, bits);
        o.quant.membraneBits = integer(parser, membrane);
        o.quant.steps = integer(parser, steps);
        if (parser.isSet(lanes))
            o.lanes = integer(parser, lanes);
        if (parser.value(clock) != QLatin1String("auto")) {
            bool ok = false;
            o.clockMHz = parser.value(clock).toDouble(&ok);
            if (!ok || o.clockMHz <= 0.0)
                throw Error(QStringLiteral("--clock takes auto or a frequency in MHz, not '%1'")
                                .arg(parser.value(clock)));
        }
        o.weightMemory =
            hw::kWeightMemoryNames.parse(parser.value(memory), QStringLiteral("--memory"));
        o.baud = integer(parser, baud);
        hw::checkBaud(o.baud);
        return o;
    }

    // Reads the options, the weight bits and lanes not given on the command line left automatic
    // (0: chosen for the board on the graph a build exports, flow::settle).
    hw::ExportOptions readAutomatic(const QCommandLineParser &parser) const
    {
        hw::ExportOptions o = read(parser);
        if (!parser.isSet(bits))
            o.quant.weightBits = 0;
        if (!parser.isSet(lanes))
            o.lanes = 0;
        return o;
    }

    // Reads the options and settles the weight bits and lanes not given on the command line: the
    // most accurate, then fastest, configuration of `graph` that fits the board, or the one that
    // meets --target-latency / --target-lc on --target-data's test samples. `reason` gets the
    // chooser's one-line explanation. Throws Error when nothing fits or meets the target.
    hw::ExportOptions read(const QCommandLineParser &parser, const Graph &graph,
                           QString *reason) const
    {
        hw::ExportOptions o = read(parser);
        o.target = target.read(parser);
        if (parser.isSet(targetData) && !o.target.isSet())
            throw Error(QStringLiteral("--target-data needs --target-latency or --target-lc"));
        if (o.target.isSet()) {
            if (!parser.isSet(targetData))
                throw Error(QStringLiteral("--%1 needs --target-data DATA: the samples whose mean "
                                           "cycles make the latency")
                                .arg(parser.isSet(target.latency)
                                         ? target.latency.names().front()
                                         : target.logicCells.names().front()));
            if (!parser.isSet(bits))
                o.quant.weightBits = 0;
            if (!parser.isSet(lanes))
                o.lanes = 0;
            const sim::Dataset samples =
                sim::loadSamples(parser.value(targetData), sim::kTestSplit, 0, 0);
            const hw::Settled settled =
                hw::settle(graph, o, eval::meanCyclesOn(samples.x, stderrProgress()));
            clearProgress();
            *reason = settled.reason;
            return settled.options;
        }
        const hw::Configuration c = hw::chooseConfiguration(
            graph, o.quant, hw::board(o.board), o.weightMemory,
            parser.isSet(bits) ? o.quant.weightBits : 0, parser.isSet(lanes) ? o.lanes : 0);
        o.quant = c.quant;
        o.lanes = c.lanes;
        *reason = c.reason;
        return o;
    }

    static int integer(const QCommandLineParser &parser, const QCommandLineOption &option)
    {
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok)
            throw Error(QStringLiteral("--%1 takes a whole number, not '%2'")
                            .arg(option.names().front(), parser.value(option)));
        return value;
    }
};

} // namespace snn::cli
