#include "hw/Protocol.h"

#include "base/Error.h"

#include <cmath>

namespace snn::hw::protocol {

QString toString(ImageState state)
{
    switch (state) {
    case ImageState::Ok:
        return QStringLiteral("ok");
    case ImageState::BuiltIn:
        return QStringLiteral("built in");
    case ImageState::Loading:
        return QStringLiteral("loading");
    case ImageState::Missing:
        return QStringLiteral("missing (its magic reads all ones: erased, or the flash did not "
                              "answer)");
    case ImageState::WrongLength:
        return QStringLiteral("of the wrong length (its header's length is not this design's)");
    case ImageState::Stale:
        return QStringLiteral("stale (its design hash is another bitstream's)");
    case ImageState::BadCrc:
        return QStringLiteral("corrupt (its CRC-32 does not match its weights)");
    case ImageState::BadMagic:
        return QStringLiteral("not a weight image (bad magic)");
    }
    return QStringLiteral("unknown (%1)").arg(int(state));
}

QString toString(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Checksum:
        return QStringLiteral("bad checksum");
    case ErrorCode::Length:
        return QStringLiteral("bad length");
    case ErrorCode::Command:
        return QStringLiteral("unknown command");
    case ErrorCode::Timeout:
        return QStringLiteral("request cut short (idle timeout)");
    case ErrorCode::Image:
        return QStringLiteral("weight image not usable");
    }
    return QStringLiteral("unknown error %1").arg(int(code));
}

QString imageProblem(ImageState state, std::uint32_t offset)
{
    const QString write = QStringLiteral("'iceprog -o %1 weights.bin' in the design's folder (or "
                                         "snnc flash DIR)")
                              .arg(offset);
    switch (state) {
    case ImageState::Ok:
    case ImageState::BuiltIn:
        return QString();
    case ImageState::Loading: // (a load takes well under a second)
        return QStringLiteral("the board is still loading its weight image from flash: reset it "
                              "(its button, or power) and try again");
    case ImageState::BadCrc:
        return QStringLiteral("the board's weight image in flash is %1: it was damaged or cut "
                              "short; write it again with %2")
            .arg(toString(state), write);
    case ImageState::Missing:
    case ImageState::WrongLength:
    case ImageState::Stale:
    case ImageState::BadMagic:
        break;
    }
    return QStringLiteral("the board's weight image in flash is %1: write the weights.bin built "
                          "with this bitstream with %2")
        .arg(toString(state), write);
}

int flashWakeClocks(double clockHz)
{
    return int(std::ceil(kFlashWakeNs * 1e-9 * clockHz));
}

std::uint8_t crc8(const QByteArray &bytes, std::uint8_t crc)
{
    for (const char c : bytes) {
        crc ^= std::uint8_t(c);
        for (int b = 0; b < 8; ++b)
            crc = std::uint8_t((crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1);
    }
    return crc;
}

std::uint32_t crc32Mpeg2(const QByteArray &bytes)
{
    std::uint32_t crc = 0xffffffffu;
    for (const char c : bytes)
        for (int b = 7; b >= 0; --b) {
            const bool bit = (std::uint8_t(c) >> b) & 1u;
            crc = ((crc >> 31) != std::uint32_t(bit)) ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
        }
    return crc;
}

std::uint32_t fnv1a(const QByteArray &bytes, std::uint32_t hash)
{
    for (const char c : bytes)
        hash = (hash ^ std::uint8_t(c)) * 16777619u;
    return hash;
}

namespace {

void appendLittleEndian(QByteArray &out, std::uint32_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out += char((value >> (8 * i)) & 0xff);
}

} // namespace

QByteArray frame(std::uint8_t start, Command command, const QByteArray &payload)
{
    QByteArray body;
    body += char(command);
    appendLittleEndian(body, std::uint32_t(payload.size()), 2);
    body += payload;
    return char(start) + body + char(crc8(body));
}

QByteArray flashImage(const QByteArray &weights, std::uint32_t hash)
{
    QByteArray image;
    appendLittleEndian(image, kFlashMagic, 4);
    appendLittleEndian(image, std::uint32_t(weights.size()), 4);
    appendLittleEndian(image, hash, 4);
    appendLittleEndian(image, crc32Mpeg2(weights), 4);
    return image + weights;
}

int clocksPerBit(double clockHz, int baud)
{
    if (baud <= 0)
        throw Error(QStringLiteral("the baud rate must be positive, got %1").arg(baud));
    const int clocks = int(std::lround(clockHz / baud));
    const double error = clocks > 0 ? std::abs(clockHz / clocks - baud) / baud : 1.0;
    if (clocks < kMinClocksPerBit)
        throw Error(QStringLiteral("%1 baud is too fast for a %2 MHz clock: the UART needs at "
                                   "least %3 clocks per bit (%4 MHz for this rate), %5 here")
                        .arg(baud)
                        .arg(clockHz / 1e6)
                        .arg(kMinClocksPerBit)
                        .arg(kMinClocksPerBit * baud / 1e6)
                        .arg(clocks));
    if (error > 0.02)
        throw Error(QStringLiteral("%1 baud cannot be made from a %2 MHz clock within 2% (%3 "
                                   "clocks per bit give %4 baud, %5% off)")
                        .arg(baud)
                        .arg(clockHz / 1e6)
                        .arg(clocks)
                        .arg(clockHz / clocks, 0, 'f', 0)
                        .arg(error * 100, 0, 'f', 1));
    return clocks;
}

} // namespace snn::hw::protocol
