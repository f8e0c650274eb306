#include "base/Names.h"

#include "base/Error.h"

#include <QList>

namespace snn {

namespace {

// Printable: not a control, format, surrogate, private-use or unassigned code point (Qt's
// Other_* categories), and not a line or paragraph separator (U+2028, U+2029).
bool printable(char32_t c)
{
    const QChar::Category category = QChar::category(c);
    return QChar::isPrint(c) && category != QChar::Separator_Line &&
           category != QChar::Separator_Paragraph;
}

// Whether `text` holds a code point that is not printable, and which is the first.
bool firstUnprintable(const QString &text, char32_t *found)
{
    for (const char32_t c : text.toUcs4())
        if (!printable(c)) {
            *found = c;
            return true;
        }
    return false;
}

QString mapped(const QString &text, const auto &keep, char32_t replacement, int length)
{
    QList<char32_t> out;
    for (const char32_t c : text.toUcs4()) {
        if (out.size() == length)
            break;
        out.append(keep(c) ? c : replacement);
    }
    return QString::fromUcs4(out.constData(), out.size());
}

} // namespace

const QString kNameRule = QStringLiteral("a layer name is 1 to %1 printable characters, unique "
                                         "in the graph")
                              .arg(kMaxNameLength);

QString nameProblem(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("the name is empty");
    char32_t c = 0;
    if (firstUnprintable(name, &c))
        return QStringLiteral("the name contains the %1 character U+%2")
            .arg(QChar::category(c) == QChar::Other_Control ? QStringLiteral("control")
                                                            : QStringLiteral("unprintable"))
            .arg(QString::number(uint(c), 16).toUpper().rightJustified(4, QLatin1Char('0')));
    const qsizetype length = name.toUcs4().size();
    if (length > kMaxNameLength)
        return QStringLiteral("the name has %1 characters").arg(length);
    return {};
}

void checkLayerName(const QString &name, const QString &where)
{
    if (const QString why = nameProblem(name); !why.isEmpty())
        throw Error(QStringLiteral("%1: %2 (%3)").arg(where, why, kNameRule));
}

void checkLayerName(const QString &name, int index)
{
    checkLayerName(name, QStringLiteral("layer %1").arg(index));
}

QString nameFromText(const QString &text, const QString &suffix)
{
    const int room = kMaxNameLength - int(suffix.toUcs4().size());
    const QString name = mapped(text, printable, U'_', room);
    return (name.isEmpty() ? QStringLiteral("_") : name) + suffix;
}

QString commentSafe(const QString &text)
{
    static const QString punctuation = QStringLiteral(" _.,:+-=#()");
    return mapped(
        text,
        [](char32_t c) {
            return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') ||
                   (c >= U'0' && c <= U'9') || (c < 128 && punctuation.contains(QChar(c)));
        },
        U'_', kMaxNameLength);
}

QString markdownEscaped(const QString &text)
{
    QString out;
    for (const char32_t c : text.toUcs4()) {
        if (!printable(c)) {
            out += QChar(0xfffd);
            continue;
        }
        const bool asciiPunctuation = (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) ||
                                      (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
        if (asciiPunctuation)
            out += QLatin1Char('\\');
        out += QString::fromUcs4(&c, 1);
    }
    return out;
}

QString csvField(const QString &text)
{
    QString field = text;
    static const QString formulaStart = QStringLiteral("=@\t\r");
    const bool sign = field.startsWith(QLatin1Char('+')) || field.startsWith(QLatin1Char('-'));
    const bool signedNumber = sign && field.size() > 1 && field.at(1).isDigit();
    if (!field.isEmpty() &&
        (formulaStart.contains(field.front()) || (sign && field.size() > 1 && !signedNumber)))
        field.prepend(QLatin1Char('\''));
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) &&
        !field.contains(QLatin1Char('\n')) && !field.contains(QLatin1Char('\r')))
        return field;
    field.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + field + QLatin1Char('"');
}

} // namespace snn
