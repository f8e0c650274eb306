#include "base/Text.h"

#include <QLocale>

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

QString numberText(double value, int decimals)
{
    return QLocale(QLocale::English).toString(value, 'f', decimals);
}

QString changeText(double before, double after, int decimals)
{
    QString text =
        QStringLiteral("%1 -> %2").arg(numberText(before, decimals), numberText(after, decimals));
    if (before != 0.0 && before != after)
        text += QStringLiteral(" (%1%2%)")
                    .arg(after > before ? QStringLiteral("+") : QString())
                    .arg(100.0 * (after - before) / before, 0, 'f', 1);
    return text;
}

QString choicesText(const QStringList &choices)
{
    if (choices.size() < 2)
        return choices.join(QString());
    return choices.mid(0, choices.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ") +
           choices.back();
}

} // namespace snn
