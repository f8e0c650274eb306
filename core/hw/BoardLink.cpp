#include "BoardLink.h"

#include "Error.h"

#include <QFile>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace snn::hw {

namespace {

speed_t speedFor(int baud)
{
    switch (baud) {
    case 9600:
        return B9600;
    case 57600:
        return B57600;
    case 115200:
        return B115200;
    case 230400:
        return B230400;
    default:
        throw Error(QStringLiteral("unsupported baud rate %1").arg(baud));
    }
}

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

BoardLink::~BoardLink()
{
    close();
}

void BoardLink::open(const QString &port, int baud)
{
    close();
    m_port = port;
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
    const speed_t speed = speedFor(baud);
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
}

ModelResult BoardLink::runSample(const std::vector<std::uint8_t> &input, int outputs, int timeoutMs)
{
    if (m_fd < 0)
        throw Error(QStringLiteral("the serial port is not open"));
    std::size_t sent = 0;
    while (sent < input.size()) {
        const ssize_t n = ::write(m_fd, input.data() + sent, input.size() - sent);
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            throw Error(QStringLiteral("cannot write to %1: %2").arg(m_port, systemError()));
        if (n > 0)
            sent += std::size_t(n);
        else {
            pollfd p{m_fd, POLLOUT, 0};
            ::poll(&p, 1, 100);
        }
    }
    std::vector<std::uint8_t> answer;
    const std::size_t expected = std::size_t(outputs) + 1;
    int waited = 0;
    while (answer.size() < expected) {
        pollfd p{m_fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, 50);
        if (ready > 0) {
            std::uint8_t buffer[256];
            const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                throw Error(QStringLiteral("cannot read from %1: %2").arg(m_port, systemError()));
            for (ssize_t i = 0; i < n && answer.size() < expected; ++i)
                answer.push_back(buffer[i]);
        } else {
            waited += 50;
            if (waited >= timeoutMs)
                throw Error(QStringLiteral("the board on %1 answered %2 of %3 bytes in %4 ms (is "
                                           "the bitstream for this network loaded?)")
                                .arg(m_port)
                                .arg(answer.size())
                                .arg(expected)
                                .arg(timeoutMs));
        }
    }
    ModelResult r;
    r.counts.assign(answer.begin(), answer.end() - 1);
    r.predicted = answer.back();
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
