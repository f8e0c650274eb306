#pragma once
// Test helpers for the graph file tests (tst_graphfile, tst_graphfilebadinput): a small graph with
// every kind of value, and edits of a saved file through the HDF5 C API.

#include "TestUtils.h"
#include "graph/Graph.h"
#include "io/Hdf5.h"

#include <QFile>
#include <QTest>

#include <functional>

namespace snn::test {

// input(4) -> hidden(3, LIF, bias, rates) -> out(2, IF, zero reset to -0.25)
inline Graph smallGraph()
{
    Graph g(4);
    Layer h =
        makeLayer(QStringLiteral("hidden"), kNetworkInput, 3, 4,
                  {0.1f, -0.2f, 0.3f, 0.4f, 1e-8f, 2.5f, -3.0f, 0.0f, 7.0f, 0.5f, 0.25f, -1.0f});
    h.bias = vec({0.5f, -0.5f, 0.125f});
    h.rates = vec({0.0f, 0.25f, 1.0f});
    h.ratesSource = QStringLiteral("measured: toy, validation, 3 samples, rate, T=8");
    h.neuron = {NeuronType::LIF, 1.25f, 0.8f, ResetMode::Subtract, true};
    h.position = QPointF(10.5, -3.0);
    const LayerId hid = g.addLayer(h);
    Layer o = makeLayer(QStringLiteral("out"), hid, 2, 3, {1, 2, 3, 4, 5, 6});
    o.neuron = {NeuronType::IF, 2.0f, 1.0f, ResetMode::Zero, true, -0.25f};
    g.addLayer(o);
    return g;
}

inline void editFile(const QString &path, const std::function<void(hid_t)> &edit)
{
    auto guard = h5::lock();
    const hid_t file = H5Fopen(QFile::encodeName(path).constData(), H5F_ACC_RDWR, H5P_DEFAULT);
    QVERIFY(file >= 0);
    edit(file);
    H5Fclose(file);
}

inline void replaceWeights(hid_t file, const QString &layer, const RowMatrixXf &w)
{
    h5::Handle g = h5::openGroup(file, QStringLiteral("layers/") + layer);
    H5Ldelete(g, "weights", H5P_DEFAULT);
    h5::writeMatrix(g, QStringLiteral("weights"), w);
}

// Rewrites a layer's weights as `fileType` with the creation list `create` (chunks, filters,
// layout), from doubles converted by HDF5.
inline void rewriteWeights(hid_t file, const QString &layer, const RowMatrixXd &w, hid_t fileType,
                           hid_t create)
{
    h5::Handle g = h5::openGroup(file, QStringLiteral("layers/") + layer);
    H5Ldelete(g, "weights", H5P_DEFAULT);
    const hsize_t dims[2] = {hsize_t(w.rows()), hsize_t(w.cols())};
    h5::Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
    h5::Handle ds(H5Dcreate2(g, "weights", fileType, space, H5P_DEFAULT, create, H5P_DEFAULT),
                  H5Dclose);
    QVERIFY(ds.valid());
    QVERIFY(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, w.data()) >= 0);
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace snn::test
