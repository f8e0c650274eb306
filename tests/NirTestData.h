#pragma once
// Test helpers shared by the NIR tests (tst_nir, tst_nirimport, tst_nirbadinput): their fixture,
// the shipped samples, NIR files written by hand as the reference writer lays them out, and exact
// comparisons.

#include "TestUtils.h"
#include "base/Error.h"
#include "graph/Graph.h"
#include "io/Hdf5.h"

#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>
#include <vector>

namespace snn::test {

// The fixture of the NIR tests: a fresh temporary folder for every test function.
class NirTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

protected:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const QString &name) const { return m_dir->filePath(name); }
};

inline QString sample(const QString &name)
{
    return QStringLiteral(SNN_NIR_SAMPLES "/") + name;
}

// One dataset of a hand-written NIR node: numbers (float32, float64 or int64) or a string.
struct Data {
    QString name;
    std::vector<double> values;
    std::vector<hsize_t> shape;
    bool isInt = false;
};

inline Data arr(const QString &name, std::vector<double> values)
{
    const hsize_t n = values.size();
    return {name, std::move(values), {n}};
}
inline Data scalar(const QString &name, double value)
{
    return {name, {value}, {}};
}
inline Data mat(const QString &name, hsize_t rows, hsize_t cols, std::vector<double> values)
{
    return {name, std::move(values), {rows, cols}};
}
inline Data shape(std::vector<double> dims)
{
    const hsize_t n = dims.size();
    return {QStringLiteral("shape"), std::move(dims), {n}, true};
}

// Writes NIR files the way the reference writer lays them out, in the variants the tests need.
class NirWriter {
public:
    explicit NirWriter(h5::WriteOptions options = {})
        : m_options(options)
    {}
    NirWriter &node(const QString &key, const QString &type, std::vector<Data> data = {})
    {
        m_nodes.push_back({key, type, std::move(data)});
        return *this;
    }
    NirWriter &edge(const QString &src, const QString &dst)
    {
        m_edges << src << dst;
        return *this;
    }
    // A chain: edges between consecutive keys.
    NirWriter &chain(const QStringList &keys)
    {
        for (qsizetype i = 0; i + 1 < keys.size(); ++i)
            edge(keys[i], keys[i + 1]);
        return *this;
    }
    void write(const QString &path) const
    {
        h5::saveFile(path, [&](hid_t file) {
            h5::writeStrings(file, QStringLiteral("version"), {QStringLiteral("0.2.0")}, {});
            h5::Handle root = h5::createGroup(file, QStringLiteral("node"));
            h5::writeStrings(root, QStringLiteral("type"), {QStringLiteral("NIRGraph")}, {});
            h5::Handle nodes = h5::createGroup(root, QStringLiteral("nodes"));
            for (const Node &n : m_nodes) {
                h5::Handle g = h5::createGroup(nodes, n.key);
                if (!n.type.isEmpty())
                    h5::writeStrings(g, QStringLiteral("type"), {n.type}, {});
                for (const Data &d : n.data) {
                    if (d.isInt)
                        h5::writeInts(g, d.name,
                                      std::vector<long long>(d.values.begin(), d.values.end()),
                                      d.shape, m_options);
                    else
                        h5::writeDoubles(g, d.name, d.values, d.shape, m_options);
                }
            }
            h5::writeStrings(root, QStringLiteral("edges"), m_edges,
                             {hsize_t(m_edges.size() / 2), 2}, m_options);
        });
    }

private:
    struct Node {
        QString key;
        QString type;
        std::vector<Data> data;
    };
    h5::WriteOptions m_options;
    std::vector<Node> m_nodes;
    QStringList m_edges;
};

// input(2) -> fc: Affine 2x2 -> lif: LIF(2) -> output, with the LIF datasets given.
inline NirWriter lifChain(std::vector<Data> lif, h5::WriteOptions options = {})
{
    NirWriter w(options);
    w.node(QStringLiteral("input"), QStringLiteral("Input"), {shape({2})})
        .node(QStringLiteral("fc"), QStringLiteral("Affine"),
              {mat(QStringLiteral("weight"), 2, 2, {1, 2, 3, 4}),
               arr(QStringLiteral("bias"), {0.5, -0.5})})
        .node(QStringLiteral("lif"), QStringLiteral("LIF"), std::move(lif))
        .node(QStringLiteral("output"), QStringLiteral("Output"), {shape({2})})
        .chain({QStringLiteral("input"), QStringLiteral("fc"), QStringLiteral("lif"),
                QStringLiteral("output")});
    return w;
}

inline std::vector<Data> lifData(double tau = 0.01, double r = 1.0, double leak = 0.0,
                                 double thr = 1.0)
{
    return {arr(QStringLiteral("tau"), {tau, tau}), arr(QStringLiteral("r"), {r, r}),
            arr(QStringLiteral("v_leak"), {leak, leak}),
            arr(QStringLiteral("v_threshold"), {thr, thr}), arr(QStringLiteral("v_reset"), {0, 0})};
}

inline void compareGraphs(const Graph &a, const Graph &b)
{
    QCOMPARE(b.inputSize(), a.inputSize());
    QCOMPARE(b.layerCount(), a.layerCount());
    for (int i = 0; i < a.layerCount(); ++i) {
        const Layer &x = a.layers()[std::size_t(i)];
        const Layer &y = b.layers()[std::size_t(i)];
        QCOMPARE(y.name, x.name);
        QCOMPARE(b.sourceName(y), a.sourceName(x));
        QVERIFY2(y.neuron == x.neuron, qPrintable(x.name));
        QCOMPARE(y.weights.rows(), x.weights.rows());
        QCOMPARE(y.weights.cols(), x.weights.cols());
        QVERIFY2(y.weights == x.weights, qPrintable(x.name)); // exact
        QCOMPARE(y.bias.size(), x.bias.size());
        QVERIFY(y.bias == x.bias);
        QCOMPARE(y.rates.size(), x.rates.size());
        QVERIFY(y.rates == x.rates);
        QCOMPARE(y.ratesSource, x.ratesSource);
        QCOMPARE(y.position, x.position);
        for (std::size_t f = 0; f < x.perNeuron.fields().size(); ++f)
            QVERIFY2(*y.perNeuron.fields()[f].second == *x.perNeuron.fields()[f].second,
                     qPrintable(x.name + QLatin1Char(' ') + x.perNeuron.fields()[f].first));
    }
    QCOMPARE(b.inputShape(), a.inputShape());
}

inline bool isGzipped(hid_t loc, const QString &name)
{
    h5::Handle ds(H5Dopen2(loc, name.toUtf8().constData(), H5P_DEFAULT), H5Dclose);
    h5::Handle plist(H5Dget_create_plist(ds), H5Pclose);
    for (int i = 0; i < H5Pget_nfilters(plist); ++i) {
        unsigned flags = 0;
        std::size_t count = 0;
        unsigned config = 0;
        if (H5Pget_filter2(plist, unsigned(i), &flags, &count, nullptr, 0, nullptr, &config) ==
            H5Z_FILTER_DEFLATE)
            return true;
    }
    return false;
}

} // namespace snn::test
