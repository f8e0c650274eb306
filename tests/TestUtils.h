#pragma once

// Shared test helpers: a main that runs GUI tests offscreen, and builders for small graphs.

#include "base/Error.h"
#include "base/Matrix.h"
#include "base/Rng.h"
#include "graph/Graph.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTest>

#include <functional>
#include <initializer_list>
#include <vector>

namespace snn::test {

// The message of the Error `f` throws; empty when it throws none.
inline QString errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return e.message();
    }
    return {};
}

// A layer from row-major weights: rows are neurons.
inline Layer makeLayer(const QString &name, LayerId source, int neurons, int inputs,
                       std::initializer_list<float> weights = {})
{
    Layer l;
    l.name = name;
    l.source = source;
    l.weights = Eigen::MatrixXf::Zero(neurons, inputs);
    if (weights.size() > 0) {
        Q_ASSERT(int(weights.size()) == neurons * inputs);
        auto it = weights.begin();
        for (int r = 0; r < neurons; ++r)
            for (int c = 0; c < inputs; ++c)
                l.weights(r, c) = *it++;
    }
    return l;
}

inline Eigen::VectorXf vec(std::initializer_list<float> values)
{
    Eigen::VectorXf v(Eigen::Index(values.size()));
    Eigen::Index i = 0;
    for (float x : values)
        v(i++) = x;
    return v;
}

// input(4) -> a(3) -> b(2) -> c(2); a -> d(2): a feeds two layers.
inline Graph branchGraph()
{
    Graph g(4);
    Layer a = makeLayer(QStringLiteral("a"), kNetworkInput, 3, 4);
    a.weights.setConstant(0.5f);
    a.rates = vec({0.2f, 0.0f, 0.1f});
    const LayerId ida = g.addLayer(a);
    const LayerId idb = g.addLayer(makeLayer(QStringLiteral("b"), ida, 2, 3, {1, 2, 3, 4, 5, 6}));
    g.addLayer(makeLayer(QStringLiteral("c"), idb, 2, 2, {1, 2, 3, 4}));
    g.addLayer(makeLayer(QStringLiteral("d"), ida, 2, 3, {6, 5, 4, 3, 2, 1}));
    g.validate();
    return g;
}

// input(4) -> quiet(3, firing at most 0.005 per step) -> C(2): a nearly silent spiking layer.
inline Graph quietSpikingGraph()
{
    Graph g(4);
    Layer l = makeLayer(QStringLiteral("quiet"), kNetworkInput, 3, 4);
    l.weights.setConstant(0.1f);
    l.rates = vec({0.005f, 0.0f, 0.002f});
    const LayerId lid = g.addLayer(l);
    Layer c = makeLayer(QStringLiteral("C"), lid, 2, 3);
    c.weights.setConstant(1.0f);
    g.addLayer(c);
    return g;
}

// A chain input -> l1 -> l2 ... with sizes[0] inputs and Gaussian weights scale * N(0,1) + offset
// from Rng(seed); `extra` may set more of each layer (drawing from the same generator).
inline Graph randomChain(std::uint64_t seed, const std::vector<int> &sizes, double scale,
                         double offset, const std::function<void(Layer &, Rng &)> &extra = {})
{
    Rng rng(seed);
    Graph g(sizes.front());
    LayerId source = kNetworkInput;
    for (std::size_t k = 1; k < sizes.size(); ++k) {
        Layer l;
        l.name = QStringLiteral("l%1").arg(k);
        l.source = source;
        l.weights = Eigen::MatrixXf(sizes[k], sizes[k - 1]);
        for (Eigen::Index i = 0; i < l.weights.size(); ++i)
            l.weights.data()[i] = float(scale * rng.normal() + offset);
        if (extra)
            extra(l, rng);
        source = g.addLayer(l);
    }
    return g;
}

// `count` samples of `width` intensities, uniform in [0, 1) from Rng(seed), one per row.
inline RowMatrixXf uniformSamples(int count, int width, std::uint64_t seed)
{
    Rng rng(seed);
    RowMatrixXf x(count, width);
    for (Eigen::Index i = 0; i < x.size(); ++i)
        x.data()[i] = float(rng.uniform());
    return x;
}

// What a run of the build's snnc printed; code -1 when it did not finish within two minutes.
struct SnncRun {
    int code = -1;
    QString out, err;
};

inline SnncRun runSnnc(const QStringList &arguments)
{
    QProcess p;
    p.start(QCoreApplication::applicationDirPath() + QStringLiteral("/snnc"), arguments);
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

// Stand-in tools (Hotspot's test-clients): in `dir`, one executable per name that appends
// "== NAME" and then each argument on a line of its own to `log`, then runs the sh lines `then`
// (in the tool's working directory, with its name in $tool). False when one cannot be written.
inline bool writeRecordingTools(const QString &dir, const QStringList &names, const QString &log,
                                const QByteArray &then = {})
{
    for (const QString &name : names) {
        QFile f(QDir(dir).filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write("#!/bin/sh\ntool=$(basename \"$0\")\n{ echo \"== $tool\"; for a in \"$@\"; do "
                "printf '%s\\n' \"$a\"; done; } >> '" +
                log.toUtf8() + "'\n" + then);
        f.close();
        f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
    }
    return true;
}

// Writes an executable shell script at `path`: a stand-in for a tool, found first on PATH.
inline void writeScript(const QString &path, const QByteArray &script)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(script), script.size());
    file.close();
    QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
}

} // namespace snn::test

// Like QTEST_MAIN, but runs on the offscreen platform unless QT_QPA_PLATFORM says otherwise,
// at 96 dpi, so widget tests behave the same on every machine.
#define SNN_WIDGET_TEST_MAIN(TestClass)                                                            \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))                                        \
            qputenv("QT_QPA_PLATFORM", "offscreen");                                               \
        QApplication::setAttribute(Qt::AA_Use96Dpi, true);                                         \
        QApplication app(argc, argv);                                                              \
        TestClass tc;                                                                              \
        return QTest::qExec(&tc, argc, argv);                                                      \
    }
