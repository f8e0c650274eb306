#include "TestUtils.h"
#include "base/Error.h"
#include "hw/BoardLink.h"
#include "hw/Exporter.h"

#include <QTemporaryDir>

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <thread>
#include <unistd.h>

using namespace snn;
using namespace snn::hw;
using protocol::Command;
using protocol::ImageState;
using snn::test::makeLayer;

namespace {

QuantizedNetwork network()
{
    Graph g(5);
    Layer l = makeLayer(QStringLiteral("out"), kNetworkInput, 3, 5,
                        {1, 0.5f, 0, 0, -1, 0, 1, 1, 0, 0, 0.2f, 0, 0, 1, 1});
    l.neuron.threshold = 0.8f;
    g.addLayer(l);
    return quantize(g, QuantConfig());
}

// A pseudo-terminal whose master side plays the board: it speaks the protocol (Protocol.h) and
// answers RUN with the model, until `requests` requests were served or the line stays quiet.
struct FakeBoard {
    enum class Fault {
        None,
        SilentFirst,  // the first request gets no answer (lost on the line)
        DamagedFirst, // the first request arrives damaged: ERROR bad checksum
        NoiseFirst,   // stray bytes and a broken frame before the first reply
        Silent,       // never answers
    };
    int master = -1;
    QString slave;
    std::thread thread;
    QuantizedNetwork net;
    ImageState image = ImageState::BuiltIn;
    std::uint32_t hash = 0;
    std::uint8_t version = protocol::kVersion;
    Fault fault = Fault::None;
    int served = 0;

    explicit FakeBoard(const QuantizedNetwork &network)
        : net(network)
    {
        master = posix_openpt(O_RDWR | O_NOCTTY);
        grantpt(master);
        unlockpt(master);
        slave = QString::fromLocal8Bit(ptsname(master));
        hash = designHash(net, 4);
    }
    void start(int requests)
    {
        thread = std::thread([this, requests] { serve(requests); });
    }
    void send(const QByteArray &bytes)
    {
        if (write(master, bytes.constData(), std::size_t(bytes.size())) != bytes.size())
            return;
    }
    void reply(Command command, const QByteArray &payload)
    {
        send(protocol::frame(protocol::kReplyStart, command, payload));
    }
    void serve(int requests)
    {
        QByteArray buffer;
        while (served < requests) {
            const qsizetype at = buffer.indexOf(char(protocol::kRequestStart));
            buffer.remove(0, at < 0 ? buffer.size() : at);
            const int length =
                buffer.size() >= 4 ? quint8(buffer[2]) | (quint8(buffer[3]) << 8) : -1;
            if (length < 0 || buffer.size() < 5 + length) {
                pollfd p{master, POLLIN, 0};
                if (poll(&p, 1, 3000) <= 0)
                    return;
                char b[256];
                const ssize_t n = read(master, b, sizeof b);
                if (n <= 0)
                    return;
                buffer.append(b, n);
                continue;
            }
            const QByteArray request = buffer.left(5 + length);
            buffer.remove(0, 5 + length);
            const bool first = served++ == 0;
            if (fault == Fault::Silent || (first && fault == Fault::SilentFirst))
                continue;
            if (first && fault == Fault::NoiseFirst)
                send(QByteArray("\x00\x5a\x01\x03\x00\x07\x07\x07\x00", 9));
            const QByteArray body = request.mid(1, 3 + length);
            const auto command = Command(quint8(request[1]));
            const QByteArray payload = request.mid(4, length);
            if ((first && fault == Fault::DamagedFirst) ||
                protocol::crc8(body) != quint8(request[4 + length])) {
                reply(Command::Error, QByteArray("\x01", 1) + char(image));
            } else if (command == Command::Status) {
                QByteArray status;
                status += char(version);
                for (const std::uint32_t v :
                     {std::uint32_t(net.inputSize), std::uint32_t(net.outputSize())})
                    status += char(v & 0xff) + QByteArray(1, char(v >> 8));
                for (int i = 0; i < 4; ++i)
                    status += char((hash >> (8 * i)) & 0xff);
                status += char(image);
                reply(Command::Status, status);
            } else if (command != Command::Run) {
                reply(Command::Error, QByteArray("\x03", 1) + char(image));
            } else if (length != net.inputSize) {
                reply(Command::Error, QByteArray("\x02", 1) + char(image));
            } else if (image != ImageState::Ok && image != ImageState::BuiltIn) {
                reply(Command::Error, QByteArray("\x05", 1) + char(image));
            } else {
                const ModelResult r =
                    runModel(net, std::vector<std::uint8_t>(payload.begin(), payload.end()));
                QByteArray answer;
                for (int c : r.counts)
                    answer += char(c);
                answer += char(r.predicted);
                reply(Command::Run, answer);
            }
        }
    }
    ~FakeBoard()
    {
        if (thread.joinable())
            thread.join();
        close(master);
    }
};

BoardExpectation expectationOf(const QuantizedNetwork &net)
{
    BoardExpectation e;
    e.inputs = net.inputSize;
    e.outputs = net.outputSize();
    e.hash = designHash(net, 4);
    return e;
}

} // namespace

class TestBoardLink : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void checksumsMatchTheCatalogue();
    void framesAreExact();
    void answersComeBackAsCountsAndClass();
    void recoversFromALostOrDamagedFrame();
    void recoversFromANoisyLine();
    void damagedImageNamesTheCheck_data();
    void damagedImageNamesTheCheck();
    void olderProtocolIsReported();
    void otherDesignIsReported();
    void errorReplyIsNamed();
    void silentBoardTimesOut();
    void baudRatesAreChecked();
    void missingPortIsNamed();
    void readsSampleText();
    void rejectsBadSampleText();
};

void TestBoardLink::checksumsMatchTheCatalogue()
{
    // The check values of the CRC catalogue (reveng): CRC-8/SMBUS and CRC-32/MPEG-2 of
    // "123456789"; FNV-1a 32 of "a" (Fowler, Noll, Vo test vectors).
    QCOMPARE(protocol::crc8("123456789"), std::uint8_t(0xF4));
    QCOMPARE(protocol::crc32Mpeg2("123456789"), std::uint32_t(0x0376E6E7));
    QCOMPARE(protocol::fnv1a("a"), std::uint32_t(0xe40c292c));
}

void TestBoardLink::framesAreExact()
{
    // STATUS: start, command, length 0, CRC-8 over 02 00 00.
    QCOMPARE(protocol::frame(protocol::kRequestStart, Command::Status, QByteArray()),
             QByteArray("\xa5\x02\x00\x00", 4) +
                 char(protocol::crc8(QByteArray("\x02\x00\x00", 3))));
    const QByteArray run =
        protocol::frame(protocol::kRequestStart, Command::Run, QByteArray(300, 'x'));
    QCOMPARE(run.size(), 305);
    QCOMPARE(run.mid(1, 3), QByteArray("\x01\x2c\x01", 3)); // 300 = 0x012c, low byte first
    // Over everything after the start byte, the CRC included, the CRC-8 is 0 (what the core
    // checks).
    QCOMPARE(protocol::crc8(run.mid(1)), std::uint8_t(0));
}

void TestBoardLink::answersComeBackAsCountsAndClass()
{
    const QuantizedNetwork net = network();
    const auto samples = randomSamples(net.inputSize, 3, 11);
    FakeBoard board(net);
    board.start(4);
    BoardLink link;
    link.open(board.slave);
    const BoardStatus status = link.probe(expectationOf(net));
    QCOMPARE(status.version, 2);
    QCOMPARE(status.inputs, 5);
    QCOMPARE(status.outputs, 3);
    QVERIFY(status.image == ImageState::BuiltIn);
    for (const auto &s : samples) {
        const ModelResult r = link.runSample(s, net.outputSize());
        const ModelResult expected = runModel(net, s);
        QCOMPARE(r.counts, expected.counts);
        QCOMPARE(r.predicted, expected.predicted);
    }
}

void TestBoardLink::recoversFromALostOrDamagedFrame()
{
    const QuantizedNetwork net = network();
    const auto sample = randomSamples(net.inputSize, 1, 12).front();
    for (const auto fault : {FakeBoard::Fault::SilentFirst, FakeBoard::Fault::DamagedFirst}) {
        FakeBoard board(net);
        board.fault = fault;
        board.start(2);
        BoardLink link;
        link.open(board.slave);
        const ModelResult r = link.runSample(sample, net.outputSize(), 300);
        QCOMPARE(r.counts, runModel(net, sample).counts);
        QCOMPARE(board.served, 2); // the request was sent again
    }
}

void TestBoardLink::recoversFromANoisyLine()
{
    const QuantizedNetwork net = network();
    const auto sample = randomSamples(net.inputSize, 1, 13).front();
    FakeBoard board(net);
    board.fault = FakeBoard::Fault::NoiseFirst;
    board.start(1);
    BoardLink link;
    link.open(board.slave);
    // A zero, then a start byte whose frame's CRC is wrong: skipped, the real reply is read.
    const ModelResult r = link.runSample(sample, net.outputSize());
    QCOMPARE(r.counts, runModel(net, sample).counts);
    QCOMPARE(board.served, 1);
}

void TestBoardLink::damagedImageNamesTheCheck_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("problem");
    const QString write = QStringLiteral("'iceprog -o 1048576 weights.bin' in the design's folder "
                                         "(or snnc flash DIR)");
    // The loader's checks in order: magic (erased or another), length, design hash, CRC.
    QTest::newRow("erased") << int(ImageState::Missing)
                            << QStringLiteral("the board's weight image in flash is missing (its "
                                              "magic reads all ones: erased, or the flash did not "
                                              "answer): write the weights.bin built with this "
                                              "bitstream with ") +
                                   write;
    QTest::newRow("bad magic") << int(ImageState::BadMagic)
                               << QStringLiteral("the board's weight image in flash is not a "
                                                 "weight image (bad magic): write the weights.bin "
                                                 "built with this bitstream with ") +
                                      write;
    QTest::newRow("wrong length")
        << int(ImageState::WrongLength)
        << QStringLiteral("the board's weight image in flash is of the wrong length (its header's "
                          "length is not this design's): write the weights.bin built with this "
                          "bitstream with ") +
               write;
    QTest::newRow("stale") << int(ImageState::Stale)
                           << QStringLiteral("the board's weight image in flash is stale (its "
                                             "design hash is another bitstream's): write the "
                                             "weights.bin built with this bitstream with ") +
                                  write;
    QTest::newRow("bad crc") << int(ImageState::BadCrc)
                             << QStringLiteral("the board's weight image in flash is corrupt (its "
                                               "CRC-32 does not match its weights): it was "
                                               "damaged or cut short; write it again with ") +
                                    write;
}

void TestBoardLink::damagedImageNamesTheCheck()
{
    // STATUS names the failed check in one line with what to do (snnc run prints it), and so
    // does a RUN the board refuses.
    QFETCH(int, state);
    QFETCH(QString, problem);
    const QuantizedNetwork net = network();
    FakeBoard board(net);
    board.image = ImageState(state);
    board.start(2);
    BoardLink link;
    link.open(board.slave);
    try {
        link.probe(expectationOf(net));
        QFAIL("a damaged image passed");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("%1: %2").arg(board.slave, problem));
    }
    try {
        link.runSample(std::vector<std::uint8_t>(5, 100), 3);
        QFAIL("ran without weights");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("the board on %1 refuses to run: %2").arg(board.slave, problem));
    }
    QCOMPARE(board.served, 2);
}

void TestBoardLink::olderProtocolIsReported()
{
    const QuantizedNetwork net = network();
    FakeBoard board(net);
    board.version = 1; // a bitstream from before the image state BadMagic
    board.start(1);
    BoardLink link;
    link.open(board.slave);
    try {
        link.probe(expectationOf(net));
        QFAIL("an older protocol passed");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("%1: the board speaks protocol version 1, this snnc version 2: "
                                "build and flash this model (snnc synth MODEL --board B -o DIR, "
                                "then snnc flash DIR)")
                     .arg(board.slave));
    }
}

void TestBoardLink::otherDesignIsReported()
{
    const QuantizedNetwork net = network();
    FakeBoard board(net);
    board.hash = 0x12345678;
    board.start(1);
    BoardLink link;
    link.open(board.slave);
    const BoardExpectation expected = expectationOf(net);
    try {
        link.probe(expected);
        QFAIL("another design passed");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("%1: the board runs another design (5 inputs, 3 outputs, hash "
                                "12345678; this model: 5, 3, %2): build and flash this model "
                                "(snnc synth MODEL --board B -o DIR, then snnc flash DIR)")
                     .arg(board.slave)
                     .arg(expected.hash, 8, 16, QLatin1Char('0')));
    }
}

void TestBoardLink::errorReplyIsNamed()
{
    const QuantizedNetwork net = network();
    FakeBoard board(net);
    board.start(1);
    BoardLink link;
    link.open(board.slave);
    try {
        link.runSample(std::vector<std::uint8_t>(4, 100), 3); // one intensity short
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("the board on %1 answered RUN with an error: bad length")
                     .arg(board.slave));
    }
}

void TestBoardLink::silentBoardTimesOut()
{
    const QuantizedNetwork net = network();
    FakeBoard board(net);
    board.fault = FakeBoard::Fault::Silent;
    board.start(2);
    BoardLink link;
    link.open(board.slave);
    try {
        link.runSample(std::vector<std::uint8_t>(5, 100), 3, 300);
        QFAIL("no timeout");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("the board on %1 did not answer RUN within 300 ms, "
                                             "twice (is the bitstream flashed, at 115200 baud?)")
                                  .arg(board.slave));
    }
    QCOMPARE(board.served, 2);
}

void TestBoardLink::baudRatesAreChecked()
{
    BoardLink link;
    try {
        link.open(QStringLiteral("/dev/null"), 12345);
        QFAIL("opened");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("unsupported baud rate 12345 (supported: 9600, 19200, "
                                             "38400, 57600, 115200, 230400, 460800, 921600, "
                                             "1000000, 1500000, 2000000, 3000000)"));
    }
    // Clocks per bit from the real clock, within 2%, at least 8.
    QCOMPARE(protocol::clocksPerBit(12e6, 115200), 104);
    QCOMPARE(protocol::clocksPerBit(18e6, 115200), 156);
    QCOMPARE(protocol::clocksPerBit(12e6, 1500000), 8);
    QCOMPARE(protocol::clocksPerBit(24e6, 3000000), 8);
    QCOMPARE(protocol::clocksPerBit(12e6, 921600), 13); // 923077 baud, 0.16% off
    try {
        protocol::clocksPerBit(18e6, 921600);
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("921600 baud cannot be made from a 18 MHz clock "
                                             "within 2% (20 clocks per bit give 900000 baud, "
                                             "2.3% off)"));
    }
    try {
        protocol::clocksPerBit(12e6, 3000000);
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("3000000 baud is too fast for a 12 MHz clock: the "
                                             "UART needs at least 8 clocks per bit (24 MHz for "
                                             "this rate), 4 here"));
    }
    try {
        protocol::clocksPerBit(12e6, 2000000);
        QFAIL("accepted");
    } catch (const Error &e) {
        QVERIFY2(e.message().endsWith(QStringLiteral("(16 MHz for this rate), 6 here")),
                 qPrintable(e.message()));
    }
}

void TestBoardLink::missingPortIsNamed()
{
    BoardLink link;
    try {
        link.open(QStringLiteral("/dev/snn-no-such-tty"));
        QFAIL("opened");
    } catch (const Error &e) {
        QVERIFY(e.message().startsWith(QStringLiteral("cannot open /dev/snn-no-such-tty: ")));
    }
    QVERIFY(!link.isOpen());
}

void TestBoardLink::readsSampleText()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s.txt"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("# two samples\n0, 1, 0.5\n\n1 0 0.25\n");
    f.close();
    const auto samples = readSampleText(path, 3);
    QCOMPARE(samples.size(), std::size_t(2));
    QCOMPARE(samples[0], (std::vector<std::uint8_t>{0, 255, 128}));
    QCOMPARE(samples[1], (std::vector<std::uint8_t>{255, 0, 64}));
}

void TestBoardLink::rejectsBadSampleText()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s.txt"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("0 1 0.5\n0 1.5 0\n");
    f.close();
    try {
        readSampleText(path, 3);
        QFAIL("accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("%1 line 2: '1.5' is not a number in [0, 1]").arg(path));
    }
}

QTEST_GUILESS_MAIN(TestBoardLink)
#include "tst_boardlink.moc"
