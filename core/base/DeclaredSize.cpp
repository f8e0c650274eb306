#include "base/DeclaredSize.h"

#include "base/Error.h"
#include "base/Text.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace snn {

quint64 valueCount(std::span<const quint64> shape)
{
    // A dimension of 0 makes 0 values, however large the others (no saturation before it).
    if (std::find(shape.begin(), shape.end(), quint64(0)) != shape.end())
        return 0;
    quint64 n = 1;
    for (const quint64 d : shape) {
        if (n > std::numeric_limits<quint64>::max() / d)
            return std::numeric_limits<quint64>::max();
        n *= d;
    }
    return n;
}

quint64 checkDeclaredSize(std::span<const quint64> shape, quint64 ceiling, const QString &what,
                          const QString &scope)
{
    const quint64 count = valueCount(shape);
    if (count > ceiling)
        throw Error(
            QStringLiteral("%1 declares %2 values (shape %3), more than the %4 SNN Studio %5")
                .arg(what)
                .arg(count)
                .arg(shapeText(shape))
                .arg(ceiling)
                .arg(scope));
    return count;
}

SizeBudget::SizeBudget(quint64 ceiling, QString scope)
    : m_ceiling(ceiling)
    , m_scope(std::move(scope))
{}

void SizeBudget::take(quint64 count, const QString &what)
{
    // Saturated at ceiling + 1: the sum of declared counts never wraps.
    m_used = m_used > m_ceiling || count > m_ceiling - m_used ? m_ceiling + 1 : m_used + count;
    if (m_used > m_ceiling)
        throw Error(QStringLiteral("%1 takes %2 past %3 values, the most SNN Studio loads")
                        .arg(what, m_scope)
                        .arg(m_ceiling));
}

} // namespace snn
