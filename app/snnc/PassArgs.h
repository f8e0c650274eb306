#pragma once

// The pass options shared by snnc optimize and snnc sweep: --passes and the four thresholds.

#include "Cli.h"
#include "base/Error.h"
#include "opt/Optimizer.h"

namespace snn::cli {

struct PassArgs {
    QCommandLineOption passes{QStringLiteral("passes"),
                              QStringLiteral("Comma-separated passes, run in this order "
                                             "(default: %1).")
                                  .arg(availablePasses().join(QLatin1Char(','))),
                              QStringLiteral("a,b,c")};
    QCommandLineOption dead = number(QStringLiteral("dead-threshold"),
                                     QStringLiteral("Remove hidden neurons firing at most this "
                                                    "rate"),
                                     OptimizeOptions{}.deadThreshold);
    QCommandLineOption similarity = number(QStringLiteral("similarity"),
                                           QStringLiteral("Merge neurons whose fan-in cosine "
                                                          "similarity exceeds this"),
                                           OptimizeOptions{}.similarity);
    QCommandLineOption norm = number(QStringLiteral("norm-tolerance"),
                                     QStringLiteral("Relative difference of weight norms and "
                                                    "biases allowed for a merge"),
                                     OptimizeOptions{}.normTolerance);
    QCommandLineOption fusion = number(QStringLiteral("fusion-activity"),
                                       QStringLiteral("Fuse hidden layers whose max firing rate "
                                                      "is below this"),
                                       OptimizeOptions{}.fusionActivity);

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({passes, dead, similarity, norm, fusion});
    }
    // The passes of --passes, or every pass; throws Error for an empty list.
    QStringList passList(const QCommandLineParser &parser) const
    {
        const QStringList list =
            parser.isSet(passes) ? parser.value(passes).split(QLatin1Char(','), Qt::SkipEmptyParts)
                                 : availablePasses();
        if (list.isEmpty())
            throw Error(QStringLiteral("--passes needs at least one pass (of %1)")
                            .arg(availablePasses().join(QStringLiteral(", "))));
        return list;
    }
    // The thresholds (not checked: OptimizeOptions::validate() does that).
    OptimizeOptions read(const QCommandLineParser &parser) const
    {
        OptimizeOptions options;
        options.deadThreshold = float(numberOption(parser, dead.names().front()));
        options.similarity = float(numberOption(parser, similarity.names().front()));
        options.normTolerance = float(numberOption(parser, norm.names().front()));
        options.fusionActivity = float(numberOption(parser, fusion.names().front()));
        return options;
    }

private:
    static QCommandLineOption number(const QString &name, const QString &what, float value)
    {
        return {name, QStringLiteral("%1 (default %2).").arg(what).arg(double(value)),
                QStringLiteral("X"), QString::number(double(value))};
    }
};

} // namespace snn::cli
