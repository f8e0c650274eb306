#include "hw/Target.h"

#include "base/Error.h"
#include "base/Text.h"

#include <QJsonObject>
#include <QLocale>

#include <cmath>

namespace snn::hw {

QString Target::text() const
{
    switch (kind) {
    case Kind::LatencyMs:
        return QStringLiteral("latency <= %1 ms")
            .arg(QString::number(value, 'f', QLocale::FloatingPointShortest));
    case Kind::LogicCells:
        return QStringLiteral("<= %1 logic cells").arg(numberText(value));
    case Kind::None:
        break;
    }
    return {};
}

QJsonValue Target::toJson() const
{
    if (!isSet())
        return QStringLiteral("none");
    return QJsonObject{{QStringLiteral("kind"), kind == Kind::LatencyMs
                                                    ? QStringLiteral("latency_ms")
                                                    : QStringLiteral("logic_cells")},
                       {QStringLiteral("value"), value}};
}

void Target::validate() const
{
    if (isSet() && !(std::isfinite(value) && value > 0.0))
        throw Error(QStringLiteral("the %1 target must be a positive number, not %2")
                        .arg(kind == Kind::LatencyMs ? QStringLiteral("latency")
                                                     : QStringLiteral("logic-cell"))
                        .arg(QString::number(value, 'f', QLocale::FloatingPointShortest)));
}

} // namespace snn::hw
