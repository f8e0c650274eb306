#pragma once

// The board protocol of snn_uart_top (docs/hardware.md, "The protocol") and the header of the
// SPRAM weight image in flash. The constants are written into snn_config.vh, so the Verilog, the
// testbench and the host (BoardLink) share them.
//
// A frame, request or reply: start byte, command, payload length (16 bits, little-endian), the
// payload, CRC-8 over command, length and payload (polynomial 0x07, initial value 0, no
// reflection, no final xor: CRC-8/SMBUS, "123456789" -> 0xF4).

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace snn::hw::protocol {

inline constexpr std::uint8_t kVersion = 2; // 2: the image state BadMagic
inline constexpr std::uint8_t kRequestStart = 0xA5;
inline constexpr std::uint8_t kReplyStart = 0x5A;
// Silence in the middle of a request after which the board drops it and answers Timeout.
inline constexpr int kIdleTimeoutMs = 10;

enum class Command : std::uint8_t {
    Run = 0x01,    // payload: IN_SIZE intensities; reply: OUT_SIZE counts and the class
    Status = 0x02, // no payload; reply: statusBytes (below)
    Error = 0x7F,  // reply only: error code, image state
};

enum class ErrorCode : std::uint8_t {
    Checksum = 1, // the CRC-8 did not match
    Length = 2,   // the payload length is not the command's
    Command = 3,  // an unknown command
    Timeout = 4,  // silence in the middle of a request
    Image = 5,    // RUN refused: the weight image in flash is not usable (the state follows)
};

// The weight image's state (STATUS, ERROR Image). A damaged image names the first check of the
// loader that failed: magic (Missing or BadMagic), length, design hash (Stale), CRC.
enum class ImageState : std::uint8_t {
    Ok = 0,          // loaded from flash, header and CRC checked
    BuiltIn = 1,     // the weights are in the bitstream (EBR): no flash image
    Loading = 2,     // being read from flash
    Missing = 3,     // the magic reads all ones: erased flash, or a flash that did not answer
    WrongLength = 4, // a header with another image length
    Stale = 5,       // the weights' hash is not the one compiled into the bitstream
    BadCrc = 6,      // the image's CRC does not match its header
    BadMagic = 7,    // the magic is neither "SNNW" nor erased: not a weight image
};

// The STATUS reply's payload: version, IN_SIZE (16 bits), OUT_SIZE (16 bits), the design hash
// (32 bits), the image state; little-endian.
inline constexpr int kStatusBytes = 10;

// The flash image: a 16-byte header (magic "SNNW", the weight bytes that follow (32 bits), the
// design hash (32 bits), CRC-32/MPEG-2 of those weight bytes (32 bits); little-endian), then the
// weight words.
inline constexpr int kFlashHeaderBytes = 16;
// Where the image goes in the board's flash (iceprog -o), after the ~104 KB bitstream.
inline constexpr std::uint32_t kFlashOffset = 0x100000;
inline constexpr std::uint32_t kFlashMagic = 0x574E4E53; // "SNNW" read little-endian
// The flash's wake-up time: after the release from deep power-down (0xAB), tRES1 passes before
// it accepts a command. Winbond W25Q128JV (the iCEBreaker's flash), AC Electrical
// Characteristics: tRES1 "/CS High to Standby Mode without ID Read", 3 us max. The loader waits
// flashWakeClocks() for it; the testbench's flash model ignores commands until it has passed.
inline constexpr double kFlashWakeNs = 3000.0;
// The same data sheet's fR, the clock of the READ (03h) the loader uses: 50 MHz max. The loader
// runs SCK at half the core clock, so a core clock above 100 MHz is refused with the weights in
// flash.
inline constexpr double kFlashReadMaxHz = 50e6;
// The UART receiver's fewest clocks per bit (uart_rx in snn_uart_top.v samples mid-bit to within
// one clock: at 8 clocks per bit that leaves about 4% for the two ends' clock error).
inline constexpr int kMinClocksPerBit = 8;

// "stale (its design hash is another bitstream's)": the state and the check that failed.
QString toString(ImageState state);
QString toString(ErrorCode code);
// One line for an unusable image: its state and what to do ("... write this design's weights.bin
// again with 'iceprog -o 1048576 weights.bin' in its folder (or snnc flash DIR)"); `offset`: where
// the image goes in the flash.
QString imageProblem(ImageState state, std::uint32_t offset = kFlashOffset);
// Clock cycles the loader waits after the release from deep power-down at `clockHz`: at least
// kFlashWakeNs.
int flashWakeClocks(double clockHz);

std::uint8_t crc8(const QByteArray &bytes, std::uint8_t crc = 0);
// CRC-32/MPEG-2: polynomial 0x04C11DB7, initial value 0xFFFFFFFF, bits most significant first,
// no final xor ("123456789" -> 0x0376E6E7): the order the SPI flash delivers them.
std::uint32_t crc32Mpeg2(const QByteArray &bytes);
// FNV-1a, 32 bits (offset 0x811c9dc5, prime 16777619).
std::uint32_t fnv1a(const QByteArray &bytes, std::uint32_t hash = 0x811c9dc5u);

// A whole frame: start, command, length, payload, CRC-8.
QByteArray frame(std::uint8_t start, Command command, const QByteArray &payload);
// The flash image: header, then `weights`.
QByteArray flashImage(const QByteArray &weights, std::uint32_t hash);

// Clocks per UART bit for `baud` at `clockHz`; throws Error when the nearest divisor is below the
// receiver's minimum (kMinClocksPerBit) or gives a rate more than 2% off.
int clocksPerBit(double clockHz, int baud);

} // namespace snn::hw::protocol
