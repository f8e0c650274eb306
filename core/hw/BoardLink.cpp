#include "hw/BoardLink.h"

#include "base/Error.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace snn::hw {

using protocol::Command;
using protocol::ErrorCode;
using protocol::ImageState;

namespace {

struct BaudSpeed {
    int baud;
    speed_t speed;
};

const std::vector<BaudSpeed> &baudSpeeds()
{
    static const std::vector<BaudSpeed> list = {
        {9600, B9600},       {19200, B19200},     {38400, B38400},     {57600, B57600},
        {115200, B115200},   {230400, B230400},   {460800, B460800},   {921600, B921600},
        {1000000, B1000000}, {1500000, B1500000}, {2000000, B2000000}, {3000000, B3000000}};
    return list;
}

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

QString commandName(Command command)
{
    return command == Command::Run ? QStringLiteral("RUN") : QStringLiteral("STATUS");
}

std::uint32_t littleEndian(const QByteArray &bytes, int at, int count)
{
    std::uint32_t value = 0;
    for (int i = count - 1; i >= 0; --i)
        value = (value << 8) | std::uint8_t(bytes[at + i]);
    return value;
}

// A payload byte, 0 past its end (an error reply cut short).
std::uint8_t byteAt(const QByteArray &bytes, int i)
{
    return i < bytes.size() ? std::uint8_t(bytes[i]) : 0;
}

} // namespace

const std::vector<int> &supportedBauds()
{
    static const std::vector<int> list = [] {
        std::vector<int> bauds;
        for (const BaudSpeed &b : baudSpeeds())
            bauds.push_back(b.baud);
        return bauds;
    }();
    return list;
}

void checkBaud(int baud)
{
    for (int b : supportedBauds())
        if (b == baud)
            return;
    QStringList names;
    for (int b : supportedBauds())
        names << QString::number(b);
    throw Error(QStringLiteral("unsupported baud rate %1 (supported: %2)")
                    .arg(baud)
                    .arg(names.join(QStringLiteral(", "))));
}

QString statusProblem(const BoardStatus &status, const BoardExpectation &expected)
{
    const QString rebuild = QStringLiteral("build and flash this model (snnc synth MODEL --board "
                                           "B -o DIR, then snnc flash DIR)");
    if (status.version != protocol::kVersion)
        return QStringLiteral("the board speaks protocol version %1, this snnc version %2: %3")
            .arg(status.version)
            .arg(protocol::kVersion)
            .arg(rebuild);
    if (status.inputs != expected.inputs || status.outputs != expected.outputs ||
        status.hash != expected.hash)
        return QStringLiteral("the board runs another design (%1 inputs, %2 outputs, hash "
                              "%3; this model: %4, %5, %6): %7")
            .arg(status.inputs)
            .arg(status.outputs)
            .arg(status.hash, 8, 16, QLatin1Char('0'))
            .arg(expected.inputs)
            .arg(expected.outputs)
            .arg(expected.hash, 8, 16, QLatin1Char('0'))
            .arg(rebuild);
    return protocol::imageProblem(status.image, expected.flashOffset);
}

BoardLink::~BoardLink()
{
    close();
}

void BoardLink::open(const QString &port, int baud)
{
    close();
    checkBaud(baud);
    m_port = port;
    m_baud = baud;
    m_fd = ::open(port.toLocal8Bit().constData(), O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (m_fd < 0)
        throw Error(QStringLiteral("cannot open %1: %2").arg(port, systemError()));
    termios tio{};
    if (tcgetattr(m_fd, &tio) != 0) {
        const QString why = systemError();
        close();
        throw Error(QStringLiteral("%1 is not a serial port: %2").arg(port, why));
    }
    cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cflag &= ~tcflag_t(CSTOPB | CRTSCTS | PARENB);
    speed_t speed = B115200;
    for (const BaudSpeed &b : baudSpeeds())
        if (b.baud == baud)
            speed = b.speed;
    cfsetispeed(&tio, speed);
    cfsetospeed(&tio, speed);
    if (tcsetattr(m_fd, TCSANOW, &tio) != 0) {
        const QString why = systemError();
        close();
        throw Error(QStringLiteral("cannot configure %1: %2").arg(port, why));
    }
    tcflush(m_fd, TCIOFLUSH);
}

void BoardLink::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_pending.clear();
}

void BoardLink::writeAll(const QByteArray &bytes)
{
    qsizetype sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::write(m_fd, bytes.constData() + sent, std::size_t(bytes.size() - sent));
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            throw Error(QStringLiteral("cannot write to %1: %2").arg(m_port, systemError()));
        if (n > 0)
            sent += n;
        else {
            pollfd p{m_fd, POLLOUT, 0};
            ::poll(&p, 1, 100);
        }
    }
}

bool BoardLink::readReply(Reply &reply, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        // A frame in what arrived: skip to a start byte; a damaged frame costs its start byte.
        const qsizetype at = m_pending.indexOf(char(protocol::kReplyStart));
        m_pending.remove(0, at < 0 ? m_pending.size() : at);
        if (m_pending.size() >= 4) {
            const int length = int(littleEndian(m_pending, 2, 2));
            if (m_pending.size() >= 5 + length) {
                const QByteArray body = m_pending.mid(1, 3 + length);
                const bool intact = protocol::crc8(body) == std::uint8_t(m_pending[4 + length]);
                if (intact) {
                    m_pending.remove(0, 5 + length);
                    reply.command = Command(std::uint8_t(body[0]));
                    reply.payload = body.mid(3);
                    return true;
                }
                m_pending.remove(0, 1);
                continue;
            }
        }
        const qint64 left = timeoutMs - clock.elapsed();
        if (left <= 0)
            return false;
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, int(std::min<qint64>(left, 50))) > 0) {
            char buffer[512];
            const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                throw Error(QStringLiteral("cannot read from %1: %2").arg(m_port, systemError()));
            if (n > 0)
                m_pending.append(buffer, n);
        }
    }
}

BoardLink::Reply BoardLink::transact(Command command, const QByteArray &payload, int timeoutMs)
{
    if (m_fd < 0)
        throw Error(QStringLiteral("the serial port is not open"));
    const QByteArray request = protocol::frame(protocol::kRequestStart, command, payload);
    Reply reply;
    bool answered = false; // the last attempt got an (error) reply
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (attempt > 0) // resynchronise: the board's receiver drops what it had after its timeout
            ::poll(nullptr, 0, 2 * protocol::kIdleTimeoutMs);
        tcflush(m_fd, TCIFLUSH);
        m_pending.clear();
        writeAll(request);
        answered = readReply(reply, timeoutMs);
        if (!answered)
            continue;
        if (reply.command != Command::Error)
            return reply;
        const auto code = ErrorCode(byteAt(reply.payload, 0));
        if (code == ErrorCode::Checksum || code == ErrorCode::Timeout)
            continue; // damaged on the line: once more
        if (code == ErrorCode::Image)
            throw Error(
                QStringLiteral("the board on %1 refuses to run: %2")
                    .arg(m_port, protocol::imageProblem(ImageState(byteAt(reply.payload, 1)))));
        throw Error(QStringLiteral("the board on %1 answered %2 with an error: %3")
                        .arg(m_port, commandName(command), protocol::toString(code)));
    }
    if (answered)
        throw Error(QStringLiteral("the board on %1 answered %2 with an error twice: %3")
                        .arg(m_port, commandName(command),
                             protocol::toString(ErrorCode(byteAt(reply.payload, 0)))));
    throw Error(QStringLiteral("the board on %1 did not answer %2 within %3 ms, twice (is the "
                               "bitstream flashed, at %4 baud?)")
                    .arg(m_port, commandName(command))
                    .arg(timeoutMs)
                    .arg(m_baud));
}

BoardStatus BoardLink::status(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        const Reply reply = transact(Command::Status, QByteArray(), timeoutMs);
        if (reply.command != Command::Status || reply.payload.size() != protocol::kStatusBytes)
            throw Error(QStringLiteral("the board on %1 answered STATUS with %2 bytes, not a "
                                       "status (another design?)")
                            .arg(m_port)
                            .arg(reply.payload.size()));
        BoardStatus s;
        s.version = std::uint8_t(reply.payload[0]);
        s.inputs = int(littleEndian(reply.payload, 1, 2));
        s.outputs = int(littleEndian(reply.payload, 3, 2));
        s.hash = littleEndian(reply.payload, 5, 4);
        s.image = ImageState(std::uint8_t(reply.payload[9]));
        if (s.image != ImageState::Loading || clock.elapsed() > timeoutMs)
            return s;
        ::poll(nullptr, 0, 20); // the weights take a fraction of a second to load
    }
}

BoardStatus BoardLink::probe(const BoardExpectation &expected, int timeoutMs)
{
    const BoardStatus s = status(timeoutMs);
    const QString problem = statusProblem(s, expected);
    if (!problem.isEmpty())
        throw Error(QStringLiteral("%1: %2").arg(m_port, problem));
    return s;
}

ModelResult BoardLink::runSample(const std::vector<std::uint8_t> &input, int outputs, int timeoutMs)
{
    const QByteArray payload(reinterpret_cast<const char *>(input.data()), qsizetype(input.size()));
    const Reply reply = transact(Command::Run, payload, timeoutMs);
    if (reply.command != Command::Run || reply.payload.size() != outputs + 1)
        throw Error(QStringLiteral("the board on %1 answered RUN with %2 bytes, %3 expected "
                                   "(another design?)")
                        .arg(m_port)
                        .arg(reply.payload.size())
                        .arg(outputs + 1));
    ModelResult r;
    for (int i = 0; i < outputs; ++i)
        r.counts.push_back(std::uint8_t(reply.payload[i]));
    r.predicted = std::uint8_t(reply.payload[outputs]);
    return r;
}

std::vector<std::vector<std::uint8_t>> readSampleText(const QString &path, int inputSize)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        throw Error(QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
    std::vector<std::vector<std::uint8_t>> samples;
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList parts = line.split(separators, Qt::SkipEmptyParts);
        if (parts.size() != inputSize)
            throw Error(QStringLiteral("%1 line %2: %3 values, the network takes %4")
                            .arg(path)
                            .arg(lineNumber)
                            .arg(parts.size())
                            .arg(inputSize));
        Eigen::VectorXf values(inputSize);
        for (int i = 0; i < inputSize; ++i) {
            bool ok = false;
            values(i) = parts[i].toFloat(&ok);
            if (!ok || values(i) < 0.0f || values(i) > 1.0f)
                throw Error(QStringLiteral("%1 line %2: '%3' is not a number in [0, 1]")
                                .arg(path)
                                .arg(lineNumber)
                                .arg(parts[i]));
        }
        samples.push_back(intensities(values));
    }
    return samples;
}

} // namespace snn::hw
