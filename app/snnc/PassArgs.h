#pragma once

// The pass options shared by snnc optimize and snnc sweep: --passes, the four thresholds and
// neuron_pruning's budgets.

#include "Cli.h"
#include "base/Error.h"
#include "opt/Optimizer.h"

namespace snn::cli {

struct PassArgs {
    QCommandLineOption passes{
        QStringLiteral("passes"),
        QStringLiteral("Comma-separated passes, run in this order "
                       "(default: %1; also: %2, with a budget).")
            .arg(availablePasses().join(QLatin1Char(',')), passes::kNeuronPruning),
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

    QCommandLineOption budgetCycles =
        budget(QStringLiteral("budget-cycles"), QStringLiteral("cycles per inference (measured on "
                                                               "the validation data)"));
    QCommandLineOption budgetKbit =
        budget(QStringLiteral("budget-kbit"), QStringLiteral("stored weight Kbit"));
    QCommandLineOption budgetLc =
        budget(QStringLiteral("budget-lc"), QStringLiteral("estimated logic cells"));

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions(
            {passes, dead, similarity, norm, fusion, budgetCycles, budgetKbit, budgetLc});
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
        options.budgetCycles = readBudget(parser, budgetCycles);
        options.budgetKbit = readBudget(parser, budgetKbit);
        options.budgetLogicCells = readBudget(parser, budgetLc);
        return options;
    }

private:
    static QCommandLineOption budget(const QString &name, const QString &figure)
    {
        return {name,
                QStringLiteral("neuron_pruning: prune until the deployed core's %1 is at most N, "
                               "or N% of the input graph's.")
                    .arg(figure),
                QStringLiteral("N[%]")};
    }
    // N or N% (unset: no budget); throws Error naming the option for anything else.
    static PruningBudget readBudget(const QCommandLineParser &parser,
                                    const QCommandLineOption &option)
    {
        if (!parser.isSet(option))
            return {};
        QString text = parser.value(option).trimmed();
        const bool percent = text.endsWith(QLatin1Char('%'));
        if (percent)
            text.chop(1);
        bool ok = false;
        const double value = text.toDouble(&ok);
        if (!ok || !(value > 0.0))
            throw Error(QStringLiteral("--%1 takes a number above 0 or a percentage (N or N%), "
                                       "not '%2'")
                            .arg(option.names().front(), parser.value(option)));
        return {value, percent};
    }
    static QCommandLineOption number(const QString &name, const QString &what, float value)
    {
        return {name, QStringLiteral("%1 (default %2).").arg(what).arg(double(value)),
                QStringLiteral("X"), QString::number(double(value))};
    }
};

} // namespace snn::cli
