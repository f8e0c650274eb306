#include "Error.h"
#include "TestUtils.h"
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

// A pseudo-terminal whose master side plays the board: it answers each sample with the model.
struct FakeBoard {
    int master = -1;
    QString slave;
    std::thread thread;

    explicit FakeBoard(bool answer, const QuantizedNetwork &net, int samples)
    {
        master = posix_openpt(O_RDWR | O_NOCTTY);
        grantpt(master);
        unlockpt(master);
        slave = QString::fromLocal8Bit(ptsname(master));
        if (!answer)
            return;
        thread = std::thread([this, net, samples] {
            for (int s = 0; s < samples; ++s) {
                std::vector<std::uint8_t> input;
                while (int(input.size()) < net.inputSize) {
                    pollfd p{master, POLLIN, 0};
                    if (poll(&p, 1, 5000) <= 0)
                        return;
                    std::uint8_t b[64];
                    const ssize_t n = read(master, b, sizeof b);
                    for (ssize_t i = 0; i < n; ++i)
                        input.push_back(b[i]);
                }
                const ModelResult r = runModel(net, input);
                std::vector<std::uint8_t> out(r.counts.begin(), r.counts.end());
                out.push_back(std::uint8_t(r.predicted));
                if (write(master, out.data(), out.size()) != ssize_t(out.size()))
                    return;
            }
        });
    }
    ~FakeBoard()
    {
        if (thread.joinable())
            thread.join();
        close(master);
    }
};

} // namespace

class TestBoardLink : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void answersComeBackAsCountsAndClass();
    void silentBoardTimesOut();
    void missingPortIsNamed();
    void readsSampleText();
    void rejectsBadSampleText();
};

void TestBoardLink::answersComeBackAsCountsAndClass()
{
    const QuantizedNetwork net = network();
    const auto samples = randomSamples(net.inputSize, 3, 11);
    FakeBoard board(true, net, 3);
    BoardLink link;
    link.open(board.slave);
    for (const auto &s : samples) {
        const ModelResult r = link.runSample(s, net.outputSize());
        const ModelResult expected = runModel(net, s);
        QCOMPARE(r.counts, expected.counts);
        QCOMPARE(r.predicted, expected.predicted);
    }
}

void TestBoardLink::silentBoardTimesOut()
{
    const QuantizedNetwork net = network();
    FakeBoard board(false, net, 0);
    BoardLink link;
    link.open(board.slave);
    try {
        link.runSample(std::vector<std::uint8_t>(5, 100), 3, 300);
        QFAIL("no timeout");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("the board on %1 answered 0 of 4 bytes in 300 ms (is "
                                             "the bitstream for this network loaded?)")
                                  .arg(board.slave));
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
