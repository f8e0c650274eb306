#pragma once

// Small pieces of message text, written once for every message that shows them.

#include <QString>
#include <QStringList>

#include <span>

namespace snn {

// A dataset's or matrix's shape in a message: "[784 x 256]", "[2 x 3 x 5]", "[3]", "[]".
QString shapeText(std::span<const quint64> dimensions);
QString shapeText(qint64 rows, qint64 cols);

// A number with thousands separators and `decimals` decimals: "218,058", "12.34".
QString numberText(double value, int decimals = 0);
// "218,058 -> 161,935 (-25.7%)": before -> after (numberText), and the relative change when
// before is not 0 and after differs.
QString changeText(double before, double after, int decimals = 0);

// Accepted values in a message: "a", "a or b", "a, b or c" (empty for none).
QString choicesText(const QStringList &choices);

} // namespace snn
