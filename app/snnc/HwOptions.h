#pragma once

// Options shared by the hardware commands (export, synth, verify): board, weight bits, lanes,
// time steps, membrane bits.

#include "Cli.h"
#include "Error.h"
#include "hw/Exporter.h"

#include <QCommandLineOption>

namespace snn::cli {

struct HwOptionSet {
    QCommandLineOption board{
        QStringLiteral("board"),
        QStringLiteral("Target board: %1.").arg(hw::boardIds().join(QStringLiteral(", "))),
        QStringLiteral("B")};
    QCommandLineOption bits{QStringLiteral("bits"),
                            QStringLiteral("Weight bits, 2 to 8 (default 8)."), QStringLiteral("N"),
                            QStringLiteral("8")};
    QCommandLineOption lanes{
        QStringLiteral("lanes"),
        QStringLiteral("Neurons updated in parallel: 1, 2, 4, 8, 16 (default 4)."),
        QStringLiteral("N"), QStringLiteral("4")};
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

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({board, bits, lanes, steps, membrane, memory});
    }

    // Reads the options; throws Error for a missing board or a bad number.
    hw::ExportOptions read(const QCommandLineParser &parser) const
    {
        if (!parser.isSet(board))
            throw Error(QStringLiteral("--board is required (one of %1)")
                            .arg(hw::boardIds().join(QStringLiteral(", "))));
        hw::ExportOptions o;
        o.board = hw::board(parser.value(board)).id;
        o.quant.weightBits = integer(parser, bits);
        o.quant.membraneBits = integer(parser, membrane);
        o.quant.steps = integer(parser, steps);
        o.lanes = integer(parser, lanes);
        const QString m = parser.value(memory);
        if (m == QLatin1String("auto"))
            o.weightMemory = hw::WeightMemory::Auto;
        else if (m == QLatin1String("ebr"))
            o.weightMemory = hw::WeightMemory::Ebr;
        else if (m == QLatin1String("spram"))
            o.weightMemory = hw::WeightMemory::Spram;
        else
            throw Error(QStringLiteral("--memory takes auto, ebr or spram, not '%1'").arg(m));
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
