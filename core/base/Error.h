#pragma once

#include <QString>

#include <stdexcept>

namespace snn {

// `text` with every control character (and U+2028, U+2029) written as an escape (\n, \r, \t,
// \xNN, \uNNNN), so that text from a file cannot break a message into several lines.
inline QString oneLine(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'\n')
            out += QLatin1String("\\n");
        else if (u == u'\r')
            out += QLatin1String("\\r");
        else if (u == u'\t')
            out += QLatin1String("\\t");
        else if (u < 0x20 || (u >= 0x7f && u < 0xa0))
            out += QStringLiteral("\\x%1").arg(uint(u), 2, 16, QLatin1Char('0'));
        else if (u == 0x2028 || u == 0x2029)
            out += QStringLiteral("\\u%1").arg(uint(u), 4, 16);
        else
            out += c;
    }
    return out;
}

// The one error type core throws for bad input: a single line that names the problem
// (the file, the layer, what is wrong). Front ends print what() and carry on. Control
// characters in the message are escaped (oneLine), so it stays one line whatever it quotes.
class Error : public std::runtime_error {
public:
    explicit Error(const QString &message)
        : std::runtime_error(oneLine(message).toStdString())
    {}
    QString message() const { return QString::fromStdString(what()); }
};

// Thrown when the system fails to write a file (a full disk, no permission): the input was
// fine, so snnc exits 1 (a failure), not 2 (bad input).
class SaveError : public Error {
public:
    using Error::Error;
};

// Thrown when a long job notices that its caller asked it to stop.
class Cancelled : public Error {
public:
    Cancelled()
        : Error(QStringLiteral("cancelled"))
    {}
};

} // namespace snn
