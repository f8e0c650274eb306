#include "HostileNames.h"
#include "base/Error.h"
#include "base/Names.h"

#include <QTest>

using namespace snn;

class TestNames : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void refused_data();
    void refused();
    void acceptedHostile();
    void nameFromTextKeepsTheRule();
    void commentSafe();
    void markdownEscaped();
    void csvField_data();
    void csvField();
    void errorsStayOneLine();
};

void TestNames::refused_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("why");
    for (const test::RefusedName &r : test::refusedNames())
        QTest::newRow(r.label) << r.name << r.why;
}

void TestNames::refused()
{
    QFETCH(QString, name);
    QFETCH(QString, why);
    QCOMPARE(nameProblem(name), why);
    try {
        checkLayerName(name, 3);
        QFAIL("a name that breaks the rule was accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("layer 3: %1 (a layer name is 1 to 64 printable "
                                             "characters, unique in the graph)")
                                  .arg(why));
    }
}

void TestNames::acceptedHostile()
{
    for (const QString &name : test::acceptedHostileNames())
        QVERIFY2(nameProblem(name).isEmpty(), qPrintable(name));
}

void TestNames::nameFromTextKeepsTheRule()
{
    for (const test::RefusedName &r : test::refusedNames()) {
        const QString name = nameFromText(r.name);
        QVERIFY2(nameProblem(name).isEmpty(), r.label);
        QVERIFY(nameProblem(nameFromText(r.name, QStringLiteral("_12"))).isEmpty());
    }
    QCOMPARE(nameFromText(QStringLiteral("h\n x")), QStringLiteral("h_ x"));
    QCOMPARE(nameFromText(QString()), QStringLiteral("_"));
    QCOMPARE(nameFromText(QString(70, QLatin1Char('x')), QStringLiteral("_2")),
             QString(62, QLatin1Char('x')) + QStringLiteral("_2"));
    // Cut in code points: a name of 70 emoji keeps 64 of them (128 UTF-16 units).
    QString emoji;
    for (int i = 0; i < 70; ++i)
        emoji += QStringLiteral("\U0001F600");
    QCOMPARE(nameFromText(emoji).size(), 128);
    QVERIFY(nameProblem(nameFromText(emoji)).isEmpty());
    QCOMPARE(nameFromText(QStringLiteral("plain")), QStringLiteral("plain"));
}

void TestNames::commentSafe()
{
    QCOMPARE(snn::commentSafe(QStringLiteral("*/ module evil; /*")),
             QStringLiteral("__ module evil_ __"));
    QCOMPARE(snn::commentSafe(QStringLiteral("`define L_THR 0")),
             QStringLiteral("_define L_THR 0"));
    QCOMPARE(snn::commentSafe(QStringLiteral("h\n L_THR = 0; // x")),
             QStringLiteral("h_ L_THR = 0_ __ x"));
    QCOMPARE(snn::commentSafe(QStringLiteral("fc1 (a+b), 2.5:#-")),
             QStringLiteral("fc1 (a+b), 2.5:#-"));
    QCOMPARE(snn::commentSafe(QString(80, QLatin1Char('a'))).size(), 64);
    for (const QString &name : test::acceptedHostileNames())
        for (const QChar c : snn::commentSafe(name))
            QVERIFY2((c.isLetterOrNumber() && c.unicode() < 128) ||
                         QStringLiteral(" _.,:+-=#()").contains(c),
                     qPrintable(name));
}

void TestNames::markdownEscaped()
{
    QCOMPARE(snn::markdownEscaped(QStringLiteral("| x | y |")), QStringLiteral("\\| x \\| y \\|"));
    QCOMPARE(snn::markdownEscaped(QStringLiteral("<script>`a`*b*_c_")),
             QStringLiteral("\\<script\\>\\`a\\`\\*b\\*\\_c\\_"));
    QCOMPARE(snn::markdownEscaped(QStringLiteral("$(rm -rf ~)")),
             QStringLiteral("\\$\\(rm \\-rf \\~\\)"));
    QCOMPARE(snn::markdownEscaped(QStringLiteral("fc1 \u00fc")), QStringLiteral("fc1 \u00fc"));
    QCOMPARE(snn::markdownEscaped(QStringLiteral("a\nb")), QStringLiteral("a\ufffdb"));
}

void TestNames::csvField_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("field");
    QTest::newRow("plain") << QStringLiteral("fc1") << QStringLiteral("fc1");
    QTest::newRow("negative number") << QStringLiteral("-3.5") << QStringLiteral("-3.5");
    QTest::newRow("change") << QStringLiteral("-25,440 (-11.7%)")
                            << QStringLiteral("\"-25,440 (-11.7%)\"");
    QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
    QTest::newRow("quote") << QStringLiteral("a\"b") << QStringLiteral("\"a\"\"b\"");
    QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
    QTest::newRow("carriage return") << QStringLiteral("a\rb") << QStringLiteral("\"a\rb\"");
    QTest::newRow("formula") << QStringLiteral("=HYPERLINK(\"http://x\",\"y\")")
                             << QStringLiteral("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    QTest::newRow("plus") << QStringLiteral("+cmd") << QStringLiteral("'+cmd");
    QTest::newRow("at") << QStringLiteral("@SUM(1)") << QStringLiteral("'@SUM(1)");
    QTest::newRow("minus text") << QStringLiteral("-x") << QStringLiteral("'-x");
}

void TestNames::csvField()
{
    QFETCH(QString, text);
    QFETCH(QString, field);
    QCOMPARE(snn::csvField(text), field);
}

void TestNames::errorsStayOneLine()
{
    const Error e(QStringLiteral("layer 'h\n x\r\t\x01\u2028': bad"));
    QCOMPARE(e.message(), QStringLiteral("layer 'h\\n x\\r\\t\\x01\\u2028': bad"));
    const Error nul(QStringLiteral("a") + QChar(0) + QStringLiteral("b"));
    QCOMPARE(nul.message(), QStringLiteral("a\\x00b"));
}

QTEST_GUILESS_MAIN(TestNames)
#include "tst_names.moc"
