#include "base/EnumNames.h"
#include "base/Error.h"

#include <QTest>

using namespace snn;

namespace {

enum class Colour { Red, Green, Blue, Unnamed };
constexpr EnumNames<Colour, 3>
    kColourNames({{Colour::Red, "red"}, {Colour::Green, "green"}, {Colour::Blue, "blue"}});
// Usable at compile time: the values in the table's order.
static_assert(kColourNames.values()[2] == Colour::Blue);

} // namespace

class TestEnumNames : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bothWays();
    void unknownNamesListTheChoices();
};

void TestEnumNames::bothWays()
{
    QCOMPARE(kColourNames.names(),
             (QStringList{QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("blue")}));
    for (Colour c : kColourNames.values())
        QCOMPARE(kColourNames.find(kColourNames.name(c)), std::optional(c));
    QCOMPARE(kColourNames.name(Colour::Green), QStringLiteral("green"));
    QCOMPARE(kColourNames.name(Colour::Unnamed), QString());
    QCOMPARE(kColourNames.parse(QStringLiteral("blue"), QStringLiteral("--colour")), Colour::Blue);
    QCOMPARE(kColourNames.choices(), QStringLiteral("red, green or blue"));
}

void TestEnumNames::unknownNamesListTheChoices()
{
    QCOMPARE(kColourNames.find(QStringLiteral("Red")), std::nullopt); // case matters
    QCOMPARE(kColourNames.find(QString()), std::nullopt);
    try {
        kColourNames.parse(QStringLiteral("mauve"), QStringLiteral("--colour"));
        QFAIL("an unknown name was accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("--colour takes red, green or blue, not 'mauve'"));
    }
}

QTEST_GUILESS_MAIN(TestEnumNames)
#include "tst_enumnames.moc"
