#include "hw/Boards.h"

#include "base/Error.h"

namespace snn::hw {

QByteArray Board::pcf(bool flash) const
{
    QString text = QStringLiteral("# %1 (%2 %3): 12 MHz clock, UART to the host, five LEDs\n")
                       .arg(name, device, package);
    text += QStringLiteral("set_io clk %1\nset_io uart_rx %2\nset_io uart_tx %3\n")
                .arg(clockPin, rxPin, txPin);
    for (int i = 0; i < ledPins.size(); ++i)
        text += QStringLiteral("set_io led[%1] %2\n").arg(i).arg(ledPins[i]);
    if (flash && flashPins.size() == 4)
        text += QStringLiteral("set_io flash_sck %1\nset_io flash_csn %2\nset_io flash_mosi %3\n"
                               "set_io flash_miso %4\n")
                    .arg(flashPins[0], flashPins[1], flashPins[2], flashPins[3]);
    if (!buttonPin.isEmpty())
        text += QStringLiteral("set_io -pullup yes btn_n %1\n").arg(buttonPin);
    return text.toUtf8();
}

const std::vector<Board> &boards()
{
    // Pins from the boards' reference constraint files (icestick.pcf, icebreaker.pcf,
    // UPduino v3.0 schematic, iCE40-HX8K breakout user guide). Of these only the iCEBreaker has a
    // user button (BTN_N, pin 10).
    static const std::vector<Board> list = {
        {QStringLiteral("icestick"),
         QStringLiteral("iCEstick"),
         QStringLiteral("hx1k"),
         QStringLiteral("tq144"),
         12e6,
         QStringLiteral("21"),
         QStringLiteral("9"),
         QStringLiteral("8"),
         {QStringLiteral("99"), QStringLiteral("98"), QStringLiteral("97"), QStringLiteral("96"),
          QStringLiteral("95")},
         1280,
         16,
         0,
         0},
        {QStringLiteral("icebreaker"),
         QStringLiteral("iCEBreaker"),
         QStringLiteral("up5k"),
         QStringLiteral("sg48"),
         12e6,
         QStringLiteral("35"),
         QStringLiteral("6"),
         QStringLiteral("9"),
         {QStringLiteral("26"), QStringLiteral("27"), QStringLiteral("25"), QStringLiteral("23"),
          QStringLiteral("21")},
         5280,
         30,
         4,
         8,
         {QStringLiteral("15"), QStringLiteral("16"), QStringLiteral("14"), QStringLiteral("17")},
         true,
         QStringLiteral("10")}, // BTN_N
        {QStringLiteral("upduino3"),
         QStringLiteral("UPduino 3"),
         QStringLiteral("up5k"),
         QStringLiteral("sg48"),
         12e6,
         QStringLiteral("20"),
         QStringLiteral("15"),
         QStringLiteral("14"),
         {QStringLiteral("39"), QStringLiteral("40"), QStringLiteral("41"), QStringLiteral("2"),
          QStringLiteral("46")},
         5280,
         30,
         4,
         8,
         {QStringLiteral("15"), QStringLiteral("16"), QStringLiteral("14"), QStringLiteral("17")}},
        {QStringLiteral("hx8k"),
         QStringLiteral("iCE40-HX8K breakout"),
         QStringLiteral("hx8k"),
         QStringLiteral("ct256"),
         12e6,
         QStringLiteral("J3"),
         QStringLiteral("B10"),
         QStringLiteral("B12"),
         {QStringLiteral("B5"), QStringLiteral("B4"), QStringLiteral("A2"), QStringLiteral("A1"),
          QStringLiteral("C5")},
         7680,
         32,
         0,
         0},
    };
    return list;
}

QStringList boardIds()
{
    QStringList ids;
    for (const Board &b : boards())
        ids << b.id;
    return ids;
}

const Board &board(const QString &id)
{
    for (const Board &b : boards())
        if (b.id.compare(id, Qt::CaseInsensitive) == 0)
            return b;
    throw Error(QStringLiteral("unknown board '%1' (known: %2)")
                    .arg(id, boardIds().join(QStringLiteral(", "))));
}

} // namespace snn::hw
