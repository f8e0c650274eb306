// The board-level testbench (tb_snn_uart.v) at every baud rate the host carries, at several core
// clocks, on a small design with its weights in EBR and one with them in SPRAM (loaded from the
// flash model, with the iCEBreaker's button): which rates each clock accepts (at least 8 clocks
// per bit, within 2%: protocol::clocksPerBit) and that every accepted one passes every case,
// the host's clock 2% fast and 2% slow included (docs/hardware.md, "The board-level testbench").
// Prints one line per clock, rate and memory; exits 1 when an accepted rate fails.
//
// Usage: uart_bauds [--min-baud N] [MHZ...]   (default: 12 24 45; every rate from N up)

#include "base/Error.h"
#include "base/RunControl.h"
#include "graph/Graph.h"
#include "hw/BoardLink.h"
#include "hw/Exporter.h"
#include "hw/Pll.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>

using namespace snn;

namespace {

// 3 inputs -> 4 LIF neurons -> 2 outputs with fixed weights that make both layers fire.
Graph smallGraph()
{
    Graph g(3);
    LayerId source = kNetworkInput;
    const float weights[2][12] = {
        {0.9f, 0.2f, -0.3f, 0.1f, 0.8f, 0.4f, -0.2f, 0.3f, 0.7f, 0.5f, 0.5f, 0.5f},
        {0.8f, -0.4f, 0.6f, 0.2f, -0.3f, 0.9f, 0.4f, 0.1f}};
    const int shape[2][2] = {{4, 3}, {2, 4}};
    for (int k = 0; k < 2; ++k) {
        Layer l;
        l.name = QStringLiteral("l%1").arg(k + 1);
        l.source = source;
        l.weights = Eigen::MatrixXf(shape[k][0], shape[k][1]);
        for (Eigen::Index i = 0; i < l.weights.size(); ++i)
            l.weights.data()[i] = weights[k][i];
        l.neuron.threshold = 0.6f;
        source = g.addLayer(l);
    }
    return g;
}

// One board-level run; the cases that passed and the first mismatch, or why it did not run.
QString run(const hw::QuantizedNetwork &net, const hw::DesignOptions &options, bool *passed)
{
    QTemporaryDir dir;
    hw::writeFiles(dir.path(), hw::generateDesign(net, options));
    hw::writeFiles(dir.path(),
                   hw::generateTestbench(net, hw::randomSamples(net.inputSize, 2, 7), options));
    try {
        const hw::RtlVerification r =
            hw::runRtlSimulation(dir.path(), RunControl(), hw::Testbench::Uart);
        *passed = r.passed();
        return QStringLiteral("%1 cases%2")
            .arg(r.cases.size())
            .arg(r.details.isEmpty() ? QString() : QStringLiteral(", ") + r.details.front());
    } catch (const Error &e) {
        *passed = false;
        return e.message();
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<double> clocks;
    int minBaud = 0;
    const QStringList args = app.arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] == QStringLiteral("--min-baud") && i + 1 < args.size())
            minBaud = args[++i].toInt();
        else
            clocks << args[i].toDouble();
    }
    if (clocks.isEmpty())
        clocks = {12.0, 24.0, 45.0};
    hw::QuantConfig c;
    c.steps = 8;
    const hw::QuantizedNetwork net = hw::quantize(smallGraph(), c);
    int failures = 0;
    for (const double mhz : clocks) {
        for (const int baud : hw::supportedBauds()) {
            if (baud < minBaud)
                continue;
            int clocksPerBit = 0;
            try {
                clocksPerBit = hw::protocol::clocksPerBit(mhz * 1e6, baud);
            } catch (const Error &e) {
                std::printf("%g MHz %7d baud: refused: %s\n", mhz, baud, qPrintable(e.message()));
                continue;
            }
            for (const bool spram : {false, true}) {
                hw::DesignOptions o;
                o.lanes = 2;
                o.clockHz = mhz * 1e6;
                o.baud = baud;
                o.spram = spram;
                o.button = spram;
                if (mhz != 12.0)
                    o.pll = hw::pllSettings(12.0, mhz);
                QElapsedTimer timer;
                timer.start();
                bool passed = false;
                const QString what = run(net, o, &passed);
                failures += passed ? 0 : 1;
                std::printf(
                    "%g MHz %7d baud (%4d clocks a bit, %.2f%% off) %-5s: %s: %s (%.1f s)\n", mhz,
                    baud, clocksPerBit, 100.0 * (mhz * 1e6 / clocksPerBit - baud) / baud,
                    spram ? "SPRAM" : "EBR", passed ? "pass" : "FAIL", qPrintable(what),
                    double(timer.elapsed()) / 1000.0);
                std::fflush(stdout);
            }
        }
    }
    return failures == 0 ? 0 : 1;
}
