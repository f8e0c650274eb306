// Graph files that are damaged, hostile or not ours: each refused with one line naming the problem.
#include "GraphFileEdits.h"
#include "HostileNames.h"
#include "base/Error.h"
#include "io/GraphFile.h"

#include <QTemporaryDir>

#include <functional>

using namespace snn;
using namespace snn::test;

namespace {

// A fixed-length string attribute holding exactly `bytes` (NUL padded, marked UTF-8), as h5py
// writes numpy byte strings: it can carry a NUL or bytes that are not UTF-8.
void writeBytesAttribute(hid_t loc, const char *name, const QByteArray &bytes)
{
    if (H5Aexists(loc, name) > 0)
        H5Adelete(loc, name);
    h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type, std::size_t(std::max<qsizetype>(bytes.size(), 1)));
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    H5Tset_cset(type, H5T_CSET_UTF8);
    h5::Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    h5::Handle attr(H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    QByteArray data = bytes;
    data.append('\0');
    H5Awrite(attr, type, data.constData());
}

// Replaces a layer's weights with a chunked float dataset declared [rows x cols] and never
// written: a few KB on disk whatever it declares.
void declareWeights(hid_t file, const char *layer, hsize_t rows, hsize_t cols)
{
    h5::Handle g = h5::openGroup(file, QString::fromLatin1(layer));
    H5Ldelete(g, "weights", H5P_DEFAULT);
    const hsize_t dims[2] = {rows, cols};
    const hsize_t chunk[2] = {1, std::min<hsize_t>(cols, 4096)};
    h5::Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
    h5::Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    H5Pset_chunk(plist, 2, chunk);
    h5::Handle ds(H5Dcreate2(g, "weights", H5T_IEEE_F32LE, space, H5P_DEFAULT, plist, H5P_DEFAULT),
                  H5Dclose);
}

// A scalar attribute with a null dataspace (h5py.Empty("f8")).
void writeNullAttribute(hid_t loc, const char *name)
{
    if (H5Aexists(loc, name) > 0)
        H5Adelete(loc, name);
    h5::Handle space(H5Screate(H5S_NULL), H5Sclose);
    h5::Handle attr(H5Acreate2(loc, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT),
                    H5Aclose);
}

} // namespace

class TestGraphFileBadInput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void badInput_data();
    void badInput();
    void damagedGlobalHeap_data();
    void damagedGlobalHeap();

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
};

void TestGraphFileBadInput::badInput_data()
{
    using Edit = std::function<void(hid_t)>;
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QString>("message");
    auto str = [](const char *where, const char *attr, const char *value) {
        return Edit([=](hid_t f) {
            h5::Handle g = h5::openGroup(f, QString::fromLatin1(where));
            h5::writeStringAttribute(g, QString::fromLatin1(attr), QString::fromLatin1(value));
        });
    };
    const QString nanMessage = QStringLiteral("layer 'hidden': weights contain NaN or Inf");

    QTest::newRow("format") << str("/", "format", "keras")
                            << QStringLiteral("unknown format 'keras' (expected 'snn-studio')");
    QTest::newRow("no format") << Edit([](hid_t f) {
        H5Adelete(f, "format");
    }) << QStringLiteral("not an SNN Studio graph file (no 'format' attribute)");
    QTest::newRow("version") << Edit([](hid_t f) {
        h5::writeIntAttribute(f, QStringLiteral("format_version"), 2);
    }) << QStringLiteral("unsupported format_version 2 (this build reads version 1)");
    QTest::newRow("no layers") << Edit([](hid_t f) { H5Ldelete(f, "layers", H5P_DEFAULT); })
                               << QStringLiteral("missing group 'layers'");
    QTest::newRow("stray group") << Edit([](hid_t f) {
        h5::createGroup(f, QStringLiteral("layers/x"));
    }) << QStringLiteral("unexpected entry 'layers/x' (layer groups are named 0, 1, 2, ...)");
    QTest::newRow("gap") << Edit([](hid_t f) {
        H5Lmove(f, "layers/1", f, "layers/2", H5P_DEFAULT, H5P_DEFAULT);
    }) << QStringLiteral("layer groups must be numbered 0 to 1 without gaps");
    QTest::newRow("no weights") << Edit([](hid_t f) {
        H5Ldelete(f, "layers/0/weights", H5P_DEFAULT);
    }) << QStringLiteral("layer 'hidden': missing dataset 'weights'");
    QTest::newRow("1-D weights") << Edit([](hid_t f) {
        h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
        H5Ldelete(g, "weights", H5P_DEFAULT);
        h5::writeVector(g, QStringLiteral("weights"), vec({1, 2, 3}));
    }) << QStringLiteral("layer 'hidden': 'weights' has 1 dimensions, not 2");
    QTest::newRow("transposed, declared")
        << Edit([](hid_t f) { replaceWeights(f, QStringLiteral("0"), RowMatrixXf::Ones(4, 3)); })
        << QStringLiteral(
               "layer 'hidden': weights are [4 x 3] but the layer declares 3 neurons x 4 "
               "inputs (the transpose would fit: weights are stored [n_neurons x n_inputs])");
    QTest::newRow("transposed, undeclared")
        << Edit([](hid_t f) {
               h5::Handle g = h5::openGroup(f, QStringLiteral("layers/1"));
               H5Adelete(g, "n_neurons");
               H5Adelete(g, "n_inputs");
               replaceWeights(f, QStringLiteral("1"), RowMatrixXf::Ones(3, 2));
           })
        << QStringLiteral(
               "layer 'out': weights are [3 x 2] but its source 'hidden' gives 3 values "
               "(the transpose [2 x 3] would fit: weights are stored [n_neurons x n_inputs])");
    QTest::newRow("wrong inputs") << Edit([](hid_t f) {
        h5::Handle g = h5::openGroup(f, QStringLiteral("layers/1"));
        H5Adelete(g, "n_inputs");
        replaceWeights(f, QStringLiteral("1"), RowMatrixXf::Ones(2, 5));
    }) << QStringLiteral("layer 'out': weights are [2 x 5] but its source 'hidden' gives 3 values");
    QTest::newRow("NaN") << Edit([](hid_t f) {
        RowMatrixXf w = RowMatrixXf::Ones(3, 4);
        w(2, 1) = std::numeric_limits<float>::quiet_NaN();
        replaceWeights(f, QStringLiteral("0"), w);
    }) << nanMessage;
    QTest::newRow("Inf") << Edit([](hid_t f) {
        RowMatrixXf w = RowMatrixXf::Ones(3, 4);
        w(0, 0) = -std::numeric_limits<float>::infinity();
        replaceWeights(f, QStringLiteral("0"), w);
    }) << nanMessage;
    QTest::newRow("rates")
        << Edit([](hid_t f) {
               h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
               H5Ldelete(g, "firing_rates", H5P_DEFAULT);
               h5::writeVector(g, QStringLiteral("firing_rates"), vec({0.5f, 1.5f, 0.0f}));
           })
        << QStringLiteral(
               "layer 'hidden': firing rates must lie in [0, 1] (spikes per step), found 0 to 1.5");
    QTest::newRow("bias size") << Edit([](hid_t f) {
        h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
        H5Ldelete(g, "bias", H5P_DEFAULT);
        h5::writeVector(g, QStringLiteral("bias"), vec({0.5f, 1.5f}));
    }) << QStringLiteral("layer 'hidden': bias has 2 entries for 3 neurons");
    QTest::newRow("neuron type")
        << str("layers/1", "neuron_type", "Izhikevich")
        << QStringLiteral(
               "layer 'out': unknown neuron_type 'Izhikevich' (expected LIF, IF or CubaLIF)");
    QTest::newRow("reset") << str("layers/1", "reset", "soft")
                           << QStringLiteral(
                                  "layer 'out': unknown reset 'soft' (expected subtract, zero, "
                                  "subtract-next, subtract-nodelay or zero-next)");
    QTest::newRow("reset value") << Edit([](hid_t f) {
        h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
        h5::writeNumberAttribute(g, QStringLiteral("reset_value"), 0.5);
    })
                                 << QStringLiteral("layer 'hidden': a reset value (0.5) needs the "
                                                   "zero or zero-next reset, not subtract");
    QTest::newRow("unknown input") << str("layers/1", "input", "nowhere")
                                   << QStringLiteral("layer 'out': unknown input 'nowhere'");
    QTest::newRow("cycle") << str("layers/0", "input", "out")
                           << QStringLiteral("the inputs of layers 'hidden', 'out' form a cycle");
    QTest::newRow("duplicate name")
        << str("layers/1", "name", "hidden") << QStringLiteral("two layers are named 'hidden'");
    QTest::newRow("beta") << Edit([](hid_t f) {
        h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
        h5::writeNumberAttribute(g, QStringLiteral("beta"), 1.5);
    }) << QStringLiteral("layer 'hidden': beta must lie in [0, 1], not 1.5");
    QTest::newRow("threshold") << Edit([](hid_t f) {
        h5::Handle g = h5::openGroup(f, QStringLiteral("layers/1"));
        h5::writeNumberAttribute(g, QStringLiteral("threshold"), -1.0);
    }) << QStringLiteral("layer 'out': threshold must be a positive number, not -1");
    const QString rule =
        QStringLiteral(" (a layer name is 1 to 64 printable characters, unique in the graph)");
    for (const test::RefusedName &r : test::refusedNames())
        QTest::addRow("name: %s", r.label) << Edit([name = r.name](hid_t f) {
            h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
            writeBytesAttribute(g, "name", name.toUtf8());
        }) << QStringLiteral("layer 0: ") + r.why + rule;
    QTest::newRow("name: not UTF-8") << Edit([](hid_t f) {
        h5::Handle g = h5::openGroup(f, QStringLiteral("layers/1"));
        writeBytesAttribute(g, "name", QByteArray("out\xff\xfe"));
    }) << QStringLiteral("layer 1: 'name' is not valid UTF-8");
    QTest::newRow("input: newline")
        << str("layers/1", "input", "hidden\n        L_THR = 0; // injected")
        << QStringLiteral("layer 'out': input: the name contains the control character U+000A") +
               rule;
    auto number = [](const char *where, const char *attr, double value) {
        return Edit([=](hid_t f) {
            h5::Handle g = h5::openGroup(f, QString::fromLatin1(where));
            h5::writeNumberAttribute(g, QString::fromLatin1(attr), value);
        });
    };
    QTest::newRow("1.2e9 weights")
        << Edit([](hid_t f) {
               h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
               H5Adelete(g, "n_neurons");
               H5Adelete(g, "n_inputs");
               declareWeights(f, "layers/0", 1, 1200000000);
           })
        << QStringLiteral("layer 'hidden': weights are [1 x 1200000000] but its source 'input' "
                          "gives 4 values");
    QTest::newRow("1.2e9 weights, declared")
        << Edit([](hid_t f) { declareWeights(f, "layers/0", 1, 1200000000); })
        << QStringLiteral("layer 'hidden': weights are [1 x 1200000000] but the layer declares 3 "
                          "neurons x 4 inputs");
    QTest::newRow("past the ceiling")
        << Edit([](hid_t f) {
               h5::writeIntAttribute(f, QStringLiteral("input_size"), (1 << 26) + 1);
               h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
               H5Adelete(g, "n_neurons");
               H5Adelete(g, "n_inputs");
               H5Ldelete(g, "bias", H5P_DEFAULT);
               H5Ldelete(g, "firing_rates", H5P_DEFAULT);
               declareWeights(f, "layers/0", 1, (1 << 26) + 1);
           })
        << QStringLiteral("layer 'hidden': 'weights' [1 x 67108865] takes the graph past 67108864 "
                          "values, the most SNN Studio loads");
    QTest::newRow("input_size 1e12")
        << number("/", "input_size", 1e12)
        << QStringLiteral(
               "attribute 'input_size' must be an integer in [1, 2147483647], not 1e+12");
    QTest::newRow("input_size 8.5")
        << number("/", "input_size", 8.5)
        << QStringLiteral("attribute 'input_size' must be an integer in [1, 2147483647], not 8.5");
    QTest::newRow("n_neurons 6.5") << number("layers/0", "n_neurons", 6.5)
                                   << QStringLiteral("layer 'hidden': attribute 'n_neurons' must "
                                                     "be an integer in [0, 2147483647], not 6.5");
    QTest::newRow("spiking NaN") << number("layers/0", "spiking", std::nan(""))
                                 << QStringLiteral("layer 'hidden': attribute 'spiking' must be "
                                                   "an integer in [0, 1], not nan");
    QTest::newRow("spiking Inf") << number("layers/0", "spiking", HUGE_VAL)
                                 << QStringLiteral("layer 'hidden': attribute 'spiking' must be "
                                                   "an integer in [0, 1], not inf");
    QTest::newRow("threshold 1e300")
        << number("layers/0", "threshold", 1e300)
        << QStringLiteral("layer 'hidden': attribute 'threshold' is 1e+300, outside the float "
                          "range");
    QTest::newRow("null beta") << Edit([](hid_t f) {
        h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
        writeNullAttribute(g, "beta");
    }) << QStringLiteral("layer 'hidden': 'beta' is empty (a null dataspace)");
    QTest::newRow("null input_size") << Edit([](hid_t f) { writeNullAttribute(f, "input_size"); })
                                     << QStringLiteral("'input_size' is empty (a null dataspace)");
    QTest::newRow("empty bias") << Edit([](hid_t f) {
        h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
        H5Ldelete(g, "bias", H5P_DEFAULT);
        h5::writeVector(g, QStringLiteral("bias"), Eigen::VectorXf());
    }) << QStringLiteral("layer 'hidden': bias has 0 entries for 3 neurons");
    QTest::newRow("empty rates") << Edit([](hid_t f) {
        h5::Handle g = h5::openGroup(f, QStringLiteral("layers/1"));
        h5::writeVector(g, QStringLiteral("firing_rates"), Eigen::VectorXf());
    }) << QStringLiteral("layer 'out': firing_rates has 0 entries for 2 neurons");
    QTest::newRow("string threshold")
        << str("layers/0", "threshold", "high")
        << QStringLiteral("layer 'hidden': 'threshold' is not numeric");
    QTest::newRow("unknown firing")
        << str("layers/0", "firing", "sometimes")
        << QStringLiteral("layer 'hidden': 'firing' takes above or at-or-above, not 'sometimes'");
    QTest::newRow("beta per neuron, too few") << Edit([](hid_t f) {
        h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
        h5::writeVector(g, QStringLiteral("beta_per_neuron"), vec({0.5f, 0.25f}));
    }) << QStringLiteral("layer 'hidden': beta_per_neuron has 2 entries for 3 neurons");
    QTest::newRow("threshold per neuron, one not positive") << Edit([](hid_t f) {
        h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
        h5::writeVector(g, QStringLiteral("threshold_per_neuron"), vec({0.5f, 0.0f, 1.0f}));
    }) << QStringLiteral("layer 'hidden': neuron 1: threshold must be a positive number, not 0");
    QTest::newRow("alpha on a LIF")
        << Edit([](hid_t f) {
               h5::Handle g = h5::openGroup(f, QStringLiteral("layers/0"));
               h5::writeFloatAttribute(g, QStringLiteral("alpha"), 0.5f);
           })
        << QStringLiteral("layer 'hidden': alpha (the synaptic current's decay) is for CubaLIF "
                          "neurons; a LIF layer has alpha 0, not 0.5");
    QTest::newRow("input shape of other size") << Edit([](hid_t f) {
        h5::writeInts(f, QStringLiteral("input_shape"), {2, 3}, {2});
    }) << QStringLiteral("the input shape [2 x 3] does not hold the 4 inputs");
}

void TestGraphFileBadInput::badInput()
{
    using Edit = std::function<void(hid_t)>;
    QFETCH(Edit, edit);
    QFETCH(QString, message);
    const QString file = path(QStringLiteral("bad.h5"));
    QFile::remove(file);
    saveGraph(smallGraph(), file);
    editFile(file, edit);
    try {
        loadGraph(file);
        QFAIL("a bad file was accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("bad.h5: ") + message);
    }
    // The summary (snnc info) refuses the same, in the same words, but for the weights' values,
    // which it does not read (summaryReadsNoWeights).
    if (message.contains(QStringLiteral("weights contain NaN or Inf")))
        return;
    try {
        loadGraphSummary(file);
        QFAIL("the summary accepted a bad file");
    } catch (const Error &e) {
        QCOMPARE(e.message(), QStringLiteral("bad.h5: ") + message);
    }
}

void TestGraphFileBadInput::damagedGlobalHeap_data()
{
    // The heap holds the graph's strings (the root 'format' attribute first); its first object
    // starts 16 bytes in. HDF5 1.10 loops forever on an object 0 of 0 bytes (fuzz_graph found
    // it) and copies past the collection for an object larger than the rest of it.
    QTest::addColumn<quint16>("index");
    QTest::addColumn<quint64>("size");
    QTest::newRow("empty object") << quint16(0) << quint64(0);
    QTest::newRow("object past the collection") << quint16(1) << (quint64(1) << 40);
}

void TestGraphFileBadInput::damagedGlobalHeap()
{
    QFETCH(quint16, index);
    QFETCH(quint64, size);
    const QString file = path(QStringLiteral("heap.h5"));
    QFile::remove(file);
    saveGraph(smallGraph(), file);
    QByteArray bytes = readAll(file);
    const qsizetype heap = bytes.indexOf("GCOL");
    QVERIFY(heap > 0);
    QCOMPARE(bytes.count("GCOL"), 1);
    quint64 collection = 0;
    std::memcpy(&collection, bytes.constData() + heap + 8, 8); // little-endian, as on x86
    const qsizetype object = heap + 16;
    std::memcpy(bytes.data() + object, &index, 2);
    std::memcpy(bytes.data() + object + 8, &size, 8);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size());
    f.close();
    // Object 0 (free space) counts its 16-byte header in its size, the others do not.
    const quint64 room = collection - 16 - (index > 0 ? 16 : 0);
    try {
        loadGraph(file);
        QFAIL("a damaged global heap was accepted");
    } catch (const Error &e) {
        QCOMPARE(e.message(),
                 QStringLiteral("cannot open %1: the HDF5 file is damaged (the global heap at byte "
                                "%2 declares an object of %3 bytes at byte %4, where %5 are left)")
                     .arg(file)
                     .arg(heap)
                     .arg(size)
                     .arg(object)
                     .arg(room));
    }
}

QTEST_GUILESS_MAIN(TestGraphFileBadInput)
#include "tst_graphfilebadinput.moc"
