#include "Error.h"
#include "Example.h"
#include "TestUtils.h"
#include "hw/Exporter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace snn;
using namespace snn::hw;
using snn::test::makeLayer;

namespace {

QByteArray read(const QString &dir, const char *name)
{
    QFile f(QDir(dir).filePath(QLatin1String(name)));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

Graph small()
{
    Graph g(4);
    Layer l = makeLayer(QStringLiteral("out"), kNetworkInput, 3, 4,
                        {1, 0, 0, 0.5f, 0, 1, 0, 0, 0, 0, 1, -1});
    l.neuron.threshold = 0.5f;
    g.addLayer(l);
    return g;
}

} // namespace

class TestExporter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ebrFolderRunsWithoutTheStudio();
    void spramFolderCarriesTheFlashImage();
    void refusesWhatDoesNotFit();
    void randomSamplesAreStable();
};

void TestExporter::ebrFolderRunsWithoutTheStudio()
{
    QTemporaryDir dir;
    ExportOptions o;
    o.board = QStringLiteral("icestick");
    o.lanes = 2;
    o.testSamples = 3;
    const ExportResult r = exportDesign(small(), o, dir.path());
    QVERIFY(!r.fit.spram);
    QVERIFY(r.files.contains(QStringLiteral("weights.mem")));
    QVERIFY(!r.files.contains(QStringLiteral("weights.bin")));
    const QByteArray build = read(dir.path(), "build.sh");
    QVERIFY(build.contains("nextpnr-ice40 --hx1k --package tq144 --json top.json --pcf top.pcf"));
    QVERIFY(build.contains("--freq 12 --timing-allow-fail"));
    QVERIFY(QFile(QDir(dir.path()).filePath(QStringLiteral("build.sh"))).permissions() &
            QFileDevice::ExeOwner);
    QVERIFY(read(dir.path(), "top.pcf").contains("set_io clk 21\n"));
    QVERIFY(!read(dir.path(), "top.pcf").contains("flash"));
    QCOMPARE(read(dir.path(), "flash.sh").count("iceprog"), 1);
    QCOMPARE(read(dir.path(), "samples.mem").count('\n'), 3 * 4);
    // 3 samples x (3 counts + the class).
    QCOMPARE(read(dir.path(), "expected.mem").count('\n'), 3 * 4);
    QVERIFY(read(dir.path(), "README.md").contains("| out | 4 | 3 |"));
    QVERIFY(read(dir.path(), "snn_defines.vh").contains("EBR"));
    // The estimate, with the logic-cell model's terms that add up to it.
    const QJsonObject estimate =
        QJsonDocument::fromJson(read(dir.path(), "estimate.json")).object();
    QCOMPARE(estimate[QStringLiteral("logic_cells")].toInt(), r.fit.estimate.logicCells);
    QCOMPARE(estimate[QStringLiteral("ebr_blocks")].toInt(), r.fit.estimate.ebrBlocks);
    QCOMPARE(estimate[QStringLiteral("weights_in_spram")].toBool(), false);
    const QJsonArray terms = estimate[QStringLiteral("logic_cell_terms")].toArray();
    QCOMPARE(terms.size(), int(r.fit.estimate.logicCellTerms.size()));
    double sum = 0.0;
    for (const QJsonValue &t : terms)
        sum += t[QStringLiteral("units")].toDouble() * t[QStringLiteral("cells")].toDouble();
    QCOMPARE(int(std::lround(sum)), r.fit.estimate.logicCells);
    QCOMPARE(terms[0][QStringLiteral("term")].toString(), QStringLiteral("fixed"));
}

void TestExporter::spramFolderCarriesTheFlashImage()
{
    QTemporaryDir dir;
    ExportOptions o;
    o.board = QStringLiteral("icebreaker");
    o.lanes = 4;
    o.quant.weightBits = 4;
    o.weightMemory = WeightMemory::Spram;
    const ExportResult r = exportDesign(small(), o, dir.path());
    QVERIFY(r.fit.spram);
    QVERIFY(read(dir.path(), "snn_defines.vh").contains("`define SNN_SPRAM"));
    // 4 sources x 1 group, two bytes per word.
    QCOMPARE(read(dir.path(), "weights.bin").size(), 4 * 2);
    // Source 0: neurons 0..2 weights 7, 0, 0 (4 bits each, lane 0 lowest): 0x0007.
    QCOMPARE(quint8(read(dir.path(), "weights.bin")[0]), quint8(0x07));
    QVERIFY(read(dir.path(), "flash.sh").contains("iceprog -o 1048576 weights.bin"));
    QVERIFY(read(dir.path(), "top.pcf").contains("set_io flash_miso 17\n"));
    QVERIFY(read(dir.path(), "simulate.sh").contains("spi_flash_model.v"));
}

void TestExporter::refusesWhatDoesNotFit()
{
    QTemporaryDir dir;
    ExportOptions o;
    o.board = QStringLiteral("icestick");
    try {
        exportDesign(exampleGraph(), o, dir.filePath(QStringLiteral("x")));
        QFAIL("exported");
    } catch (const Error &e) {
        QVERIFY2(e.message().startsWith(QStringLiteral("does not fit the iCEstick: needs ")),
                 qPrintable(e.message()));
    }
    QVERIFY(!QDir(dir.filePath(QStringLiteral("x"))).exists()); // nothing written
}

void TestExporter::randomSamplesAreStable()
{
    const auto a = randomSamples(5, 2, 7);
    QCOMPARE(a, randomSamples(5, 2, 7));
    QVERIFY(a != randomSamples(5, 2, 8));
    QCOMPARE(a.size(), std::size_t(2));
    QCOMPARE(a[0].size(), std::size_t(5));
}

QTEST_GUILESS_MAIN(TestExporter)
#include "tst_exporter.moc"
