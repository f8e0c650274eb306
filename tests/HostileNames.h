#pragma once

// The hostile-name corpus (issue 17): names a model file from anywhere may carry. The refused
// ones break the name rule (Names.h); the accepted ones keep it but are full of the syntax of the
// formats SNN Studio writes, so every generator has to escape them.

#include <QString>
#include <QStringList>

#include <vector>

namespace snn::test {

struct RefusedName {
    const char *label;
    QString name;
    QString why; // nameProblem's answer
};

inline std::vector<RefusedName> refusedNames()
{
    return {
        {"empty", QString(), QStringLiteral("the name is empty")},
        {"newline injection", QStringLiteral("h\n        L_THR = 0; // injected"),
         QStringLiteral("the name contains the control character U+000A")},
        {"carriage return", QStringLiteral("a\rb"),
         QStringLiteral("the name contains the control character U+000D")},
        {"NUL", QString::fromUtf8("a\0b", 3),
         QStringLiteral("the name contains the control character U+0000")},
        {"tab", QStringLiteral("a\tb"),
         QStringLiteral("the name contains the control character U+0009")},
        {"terminal escape", QStringLiteral("\x1b[31mred"),
         QStringLiteral("the name contains the control character U+001B")},
        {"line separator", QStringLiteral("a\u2028b"),
         QStringLiteral("the name contains the unprintable character U+2028")},
        {"bidi override", QStringLiteral("a\u202eb"),
         QStringLiteral("the name contains the unprintable character U+202E")},
        {"65 characters", QString(65, QLatin1Char('x')),
         QStringLiteral("the name has 65 characters")},
    };
}

inline QStringList acceptedHostileNames()
{
    return {
        QStringLiteral("`define L_THR 0"),
        QStringLiteral("`include \"/etc/passwd\""),
        QStringLiteral("*/ module evil; /*"),
        QStringLiteral("a\"b'c\\"),
        QStringLiteral("$(rm -rf ~) `id`"),
        QStringLiteral("| x | y |"),
        QStringLiteral("<script>alert(1)</script>"),
        QStringLiteral("=HYPERLINK(\"http://x\",\"y\"),1"),
        QStringLiteral("\u65e5\u672c\u8a9e \u00fc \U0001F600"),
        QString(64, QLatin1Char('w')),
    };
}

} // namespace snn::test
