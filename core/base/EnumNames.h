#pragma once

// An enum's names (in files, on the command line, in messages) as one table read both ways, so
// that a parser, its error message and a list of choices never disagree:
//
//     inline constexpr EnumNames<Encoding, 2> kEncodingNames({{Encoding::Rate, "rate"},
//                                                            {Encoding::Current, "current"}});
//     kEncodingNames.parse(text, QStringLiteral("--encoding")); // or Error: "--encoding takes
//                                                               // rate or current, not 'morse'"

#include "base/Error.h"
#include "base/Text.h"

#include <array>
#include <cstddef>
#include <optional>

namespace snn {

template <typename E> struct EnumName {
    E value;
    const char *name; // ASCII
};

template <typename E, std::size_t N> class EnumNames {
public:
    constexpr explicit EnumNames(const EnumName<E> (&entries)[N])
    {
        for (std::size_t i = 0; i < N; ++i)
            m_entries[i] = entries[i];
    }

    // The name of `value`; empty for a value the table does not hold.
    QString name(E value) const
    {
        for (const EnumName<E> &e : m_entries)
            if (e.value == value)
                return QString::fromLatin1(e.name);
        return {};
    }
    // The value named `text` exactly (case matters), if any.
    std::optional<E> find(const QString &text) const
    {
        for (const EnumName<E> &e : m_entries)
            if (text == QLatin1String(e.name))
                return e.value;
        return std::nullopt;
    }
    // The value named `text`; throws Error("WHAT takes A, B or C, not 'TEXT'") for any other.
    E parse(const QString &text, const QString &what) const
    {
        if (const std::optional<E> value = find(text))
            return *value;
        throw Error(QStringLiteral("%1 takes %2, not '%3'").arg(what, choices(), text));
    }
    // Every name, in the table's order.
    QStringList names() const
    {
        QStringList list;
        for (const EnumName<E> &e : m_entries)
            list << QString::fromLatin1(e.name);
        return list;
    }
    // The names for a message: "a, b or c".
    QString choices() const { return choicesText(names()); }
    // Every value, in the table's order.
    constexpr std::array<E, N> values() const
    {
        std::array<E, N> list{};
        for (std::size_t i = 0; i < N; ++i)
            list[i] = m_entries[i].value;
        return list;
    }

private:
    std::array<EnumName<E>, N> m_entries{};
};

} // namespace snn
