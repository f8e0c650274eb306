#include "opt/PassOptions.h"

#include "base/Error.h"
#include "base/Text.h"

#include <cmath>

namespace snn {

QString PruningBudget::text() const
{
    return percent ? QStringLiteral("%1% of the original").arg(value) : numberText(value);
}

void PassOptions::validate() const
{
    auto check = [](bool ok, const QString &what, float value, const QString &range) {
        if (!ok || !std::isfinite(value))
            throw Error(
                QStringLiteral("%1 must be %2, not %3").arg(what, range).arg(double(value)));
    };
    check(deadThreshold >= 0.0f && deadThreshold <= 1.0f, QStringLiteral("the dead threshold"),
          deadThreshold, QStringLiteral("in [0, 1]"));
    check(similarity > 0.0f && similarity <= 1.0f, QStringLiteral("the similarity"), similarity,
          QStringLiteral("in (0, 1]"));
    check(normTolerance >= 0.0f && normTolerance < 1.0f, QStringLiteral("the norm tolerance"),
          normTolerance, QStringLiteral("in [0, 1)"));
    check(fusionActivity >= 0.0f && fusionActivity <= 1.0f, QStringLiteral("the fusion activity"),
          fusionActivity, QStringLiteral("in [0, 1]"));
    for (const auto &[budget, name] :
         {std::pair{budgetCycles, QStringLiteral("the cycles budget")},
          std::pair{budgetKbit, QStringLiteral("the weight memory budget")},
          std::pair{budgetLogicCells, QStringLiteral("the logic-cell budget")}})
        check(budget.value >= 0.0 && (!budget.percent || budget.value <= 100.0), name,
              float(budget.value),
              budget.percent ? QStringLiteral("in [0, 100]%") : QStringLiteral(">= 0"));
    if (threads < 0)
        throw Error(QStringLiteral("the thread count must be >= 0, not %1").arg(threads));
    for (int bits : exactBits) {
        hw::QuantConfig c = hardware;
        c.weightBits = bits;
        c.validate();
    }
}

} // namespace snn
