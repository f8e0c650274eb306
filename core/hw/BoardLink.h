#pragma once

// The host side of snn_uart_top's framed protocol (Protocol.h, docs/hardware.md): STATUS to
// probe a board, RUN to send one sample's intensities and read the spike counts and class back,
// with the board's error replies and timeouts turned into one-line errors. A reply lost or
// damaged on the line is retried once after the board's idle timeout (the receiver is then
// waiting for a start byte again). POSIX termios (Linux), 8N1; the port is a tty such as
// /dev/ttyUSB1 (the iCEBreaker's second FTDI channel).

#include "hw/Protocol.h"
#include "hw/Quantizer.h"

#include <QString>

#include <vector>

namespace snn::hw {

// The baud rates the host and the boards' FTDI bridges (FT2232H, FT232H) both carry.
const std::vector<int> &supportedBauds();
// Throws Error naming the rate and the supported ones.
void checkBaud(int baud);

struct BoardStatus {
    int version = 0;
    int inputs = 0;
    int outputs = 0;
    std::uint32_t hash = 0;
    protocol::ImageState image = protocol::ImageState::Missing;
};

// What the host expects of the board: the design built from the model it runs.
struct BoardExpectation {
    int inputs = 0;
    int outputs = 0;
    std::uint32_t hash = 0;
    std::uint32_t flashOffset = protocol::kFlashOffset; // where `iceprog -o` writes weights.bin
};

// Empty when the board runs the expected design with a usable weight image; otherwise one line
// naming the difference and what to run to fix it.
QString statusProblem(const BoardStatus &status, const BoardExpectation &expected);

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

    // STATUS; waits while the board is still loading its weights. Throws Error on no answer.
    BoardStatus status(int timeoutMs = 1000);
    // STATUS, then statusProblem as an Error.
    BoardStatus probe(const BoardExpectation &expected, int timeoutMs = 1000);
    // RUN of one sample; throws Error on an error reply (naming it), a wrong reply or no answer
    // within `timeoutMs`.
    ModelResult runSample(const std::vector<std::uint8_t> &input, int outputs,
                          int timeoutMs = 5000);

private:
    struct Reply {
        protocol::Command command = protocol::Command::Error;
        QByteArray payload;
    };
    Reply transact(protocol::Command command, const QByteArray &payload, int timeoutMs);
    bool readReply(Reply &reply, int timeoutMs); // false on timeout
    void writeAll(const QByteArray &bytes);

    int m_fd = -1;
    int m_baud = 115200;
    QString m_port;
    QByteArray m_pending; // received bytes not yet part of a reply
};

// Reads samples for `snnc run`: one sample per line, values in [0, 1] separated by commas or
// spaces; empty lines and lines starting with '#' are skipped. Throws Error naming the line.
std::vector<std::vector<std::uint8_t>> readSampleText(const QString &path, int inputSize);

} // namespace snn::hw
