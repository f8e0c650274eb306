#include "base/Text.h"

#include <array>

namespace snn {

QString shapeText(std::span<const quint64> dimensions)
{
    QStringList parts;
    for (quint64 d : dimensions)
        parts << QString::number(d);
    return QStringLiteral("[%1]").arg(parts.join(QStringLiteral(" x ")));
}

QString shapeText(qint64 rows, qint64 cols)
{
    const std::array<quint64, 2> dimensions{quint64(rows), quint64(cols)};
    return shapeText(dimensions);
}

QString choicesText(const QStringList &choices)
{
    if (choices.size() < 2)
        return choices.join(QString());
    return choices.mid(0, choices.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ") +
           choices.back();
}

} // namespace snn
