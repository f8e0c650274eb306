#pragma once

// The host side of snn_uart_top's serial protocol (115200 8N1): send the input intensities of one
// sample, read back one spike-count byte per output neuron and the class byte. POSIX termios
// (Linux); the port is a tty such as /dev/ttyUSB1 (the iCEBreaker's second FTDI channel).

#include "Quantizer.h"

#include <QString>

namespace snn::hw {

class BoardLink {
public:
    BoardLink() = default;
    ~BoardLink();
    BoardLink(const BoardLink &) = delete;
    BoardLink &operator=(const BoardLink &) = delete;

    // Opens and configures the port (raw, 8N1, no flow control). Throws Error naming the port.
    void open(const QString &port, int baud = 115200);
    void close();
    bool isOpen() const { return m_fd >= 0; }

    // Sends one sample and reads the answer; throws Error when the board does not answer within
    // `timeoutMs`.
    ModelResult runSample(const std::vector<std::uint8_t> &input, int outputs,
                          int timeoutMs = 5000);

private:
    int m_fd = -1;
    QString m_port;
};

// Reads samples for `snnc run`: one sample per line, values in [0, 1] separated by commas or
// spaces; empty lines and lines starting with '#' are skipped. Throws Error naming the line.
std::vector<std::vector<std::uint8_t>> readSampleText(const QString &path, int inputSize);

} // namespace snn::hw
