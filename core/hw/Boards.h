#pragma once

// The iCE40 boards the flow targets: device, package, clock and UART pins, capacity; and the fit
// check that refuses a design before synthesis, with the numbers and what would make it fit.

#include "hw/Quantizer.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace snn::hw {

struct Board {
    QString id;      // command-line name: icestick, icebreaker, upduino3, hx8k
    QString name;    // human name
    QString device;  // nextpnr device flag without dashes: hx1k, up5k, hx8k
    QString package; // tq144, sg48, ct256
    double clockHz = 12e6;
    QString clockPin;
    QString rxPin;       // the FPGA's UART receive pin (host -> FPGA)
    QString txPin;       // the FPGA's UART transmit pin (FPGA -> host)
    QStringList ledPins; // exactly five
    int logicCells = 0;
    int ebrBlocks = 0; // 4 Kbit SB_RAM40_4K blocks
    int spramBlocks = 0;
    int dspBlocks = 0;

    std::int64_t ebrBits() const { return std::int64_t(ebrBlocks) * 4096; }
    // The SPRAM loader needs the four flash pins, distinct from the UART's.
    bool canLoadFromFlash() const
    {
        return flashPins.size() == 4 && !flashPins.contains(rxPin) && !flashPins.contains(txPin);
    }
    QStringList flashPins; // SPI flash: sck, csn, mosi (io0), miso (io1)
    bool pllPad = false;   // the clock pin is the PLL's pad: SB_PLL40_PAD, else SB_PLL40_CORE
    QString buttonPin;     // a user button, low while pressed (empty: none); resets the core

    // The pin constraints file for snn_uart_top (with the flash pins when the weights are loaded
    // from the SPI flash, and the button with the pin's pull-up when the board has one).
    QByteArray pcf(bool flash = false) const;
};

const std::vector<Board> &boards();
QStringList boardIds();
// Throws Error naming the unknown board and listing the known ones.
const Board &board(const QString &id);

} // namespace snn::hw
