#pragma once

// Small pieces of message text, written once for every message that shows them.

#include <QString>
#include <QStringList>

#include <span>

namespace snn {

// A dataset's or matrix's shape in a message: "[784 x 256]", "[2 x 3 x 5]", "[3]", "[]".
QString shapeText(std::span<const quint64> dimensions);
QString shapeText(qint64 rows, qint64 cols);

// Accepted values in a message: "a", "a or b", "a, b or c" (empty for none).
QString choicesText(const QStringList &choices);

} // namespace snn
