#pragma once

// Options shared by the hardware commands (export, synth, verify, run): board, weight bits, lanes,
// time steps, membrane bits, weight memory. Bits and lanes not given are chosen for the board
// (hw::chooseConfiguration).

#include "Cli.h"
#include "base/Error.h"
#include "hw/BoardLink.h"
#include "hw/Exporter.h"

#include <QCommandLineOption>

namespace snn::cli {

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

    QCommandLineOption baud{QStringLiteral("baud"),
                            QStringLiteral("UART baud rate, 9600 to 3000000 (default 115200); "
                                           "refused when the core clock cannot make it within "
                                           "2% with at least 8 clocks a bit."),
                            QStringLiteral("N"), QStringLiteral("115200")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({board, bits, lanes, steps, membrane, memory, clock, baud});
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
    // most accurate, then fastest, configuration of `graph` that fits the board. `reason` gets
    // the chooser's one-line explanation. Throws Error when nothing fits.
    hw::ExportOptions read(const QCommandLineParser &parser, const Graph &graph,
                           QString *reason) const
    {
        hw::ExportOptions o = read(parser);
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
