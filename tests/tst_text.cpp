#include "base/Text.h"

#include <QTest>

#include <vector>

using namespace snn;

class TestText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapeText();
    void choicesText();
};

void TestText::shapeText()
{
    // The same text for an HDF5 shape (hsize_t) and a matrix's rows and columns.
    const std::vector<unsigned long long> shape{2, 3, 5};
    QCOMPARE(snn::shapeText(shape), QStringLiteral("[2 x 3 x 5]"));
    QCOMPARE(snn::shapeText(std::vector<quint64>{1200000000}), QStringLiteral("[1200000000]"));
    QCOMPARE(snn::shapeText(std::vector<quint64>{}), QStringLiteral("[]"));
    QCOMPARE(snn::shapeText(784, 256), QStringLiteral("[784 x 256]"));
}

void TestText::choicesText()
{
    QCOMPARE(snn::choicesText({}), QString());
    QCOMPARE(snn::choicesText({QStringLiteral("a")}), QStringLiteral("a"));
    QCOMPARE(snn::choicesText({QStringLiteral("a"), QStringLiteral("b")}),
             QStringLiteral("a or b"));
    QCOMPARE(snn::choicesText({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}),
             QStringLiteral("a, b or c"));
}

QTEST_GUILESS_MAIN(TestText)
#include "tst_text.moc"
