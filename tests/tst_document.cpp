#include "Document.h"
#include "GraphEquality.h"
#include "TestUtils.h"
#include "base/Error.h"
#include "commands/LayerEditCommand.h"
#include "commands/MoveLayersCommand.h"
#include "commands/RenameLayerCommand.h"
#include "commands/SetNeuronParamsCommand.h"
#include "graph/Example.h"
#include "graph/GraphEdit.h"

#include <QSignalSpy>
#include <QTemporaryDir>

#include <malloc.h>

#include <type_traits>

using namespace snn;
using namespace snn::widgets;
using snn::test::branchGraph;
using snn::test::makeLayer;

namespace {

LayerId idOf(const Document &doc, const char *name)
{
    return doc.graph().findByName(QString::fromLatin1(name))->id;
}

// Bytes the C library's allocator has handed out and not yet taken back.
qint64 heapInUse()
{
    const struct mallinfo2 m = mallinfo2();
    return qint64(m.uordblks + m.hblkhd);
}

// The small edits keep a value, not layers (weights): they are not LayerEditCommands.
static_assert(!std::is_base_of_v<LayerEditCommand, RenameLayerCommand>);
static_assert(!std::is_base_of_v<LayerEditCommand, SetNeuronParamsCommand>);

} // namespace

class TestDocument : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneStructuredChangePerCommand();
    void addLayerUndoRedo();
    void removeLayerRewiresAndUndoRestoresOrder();
    void layerEditsUndoToTheOriginal_data();
    void layerEditsUndoToTheOriginal();
    void refusedEditsChangeNothing_data();
    void refusedEditsChangeNothing();
    void movesMergeIntoOneStep();
    void autoLayoutIsOneStep();
    void applyGraphIsOneStep();
    void smallEditsKeepOnlyTheirValue();
    void modifiedFollowsTheCleanState();
    void saveAndLoadKeepPositions();
    void loadErrorKeepsTheDocument();
    void nirImportSaysItsAssumptions();
};

void TestDocument::addLayerUndoRedo()
{
    Document doc;
    doc.reset(branchGraph());
    const Graph original = doc.graph();
    QSignalSpy added(&doc, &Document::layerAdded);
    QSignalSpy removed(&doc, &Document::layerRemoved);
    const auto id = doc.addLayer(idOf(doc, "c"), 5, QPointF(10, 20));
    QVERIFY(id.has_value());
    QCOMPARE(added.count(), 1);
    QCOMPARE(added.at(0).at(0).value<LayerId>(), *id);
    const Layer &l = doc.graph().layer(*id);
    QCOMPARE(l.name, QStringLiteral("layer1"));
    QCOMPARE(l.neurons(), 5);
    QCOMPARE(l.inputs(), 2);
    QCOMPARE(l.position, std::optional(QPointF(10, 20)));
    QCOMPARE(doc.undoStack()->count(), 1);
    QCOMPARE(doc.undoStack()->undoText(), QStringLiteral("Add layer layer1"));
    const Graph afterAdd = doc.graph();
    doc.undoStack()->undo();
    QCOMPARE(removed.count(), 1);
    SNN_COMPARE_GRAPHS(doc.graph(), original);
    doc.undoStack()->redo();
    SNN_COMPARE_GRAPHS(doc.graph(), afterAdd);
    // A layer with no neurons, or fed by a missing layer, is refused.
    QSignalSpy refused(&doc, &Document::editRefused);
    QVERIFY(!doc.addLayer(kNetworkInput, 0));
    QVERIFY(!doc.addLayer(99, 4));
    QCOMPARE(refused.count(), 2);
    QCOMPARE(refused.at(0).at(0).toString(),
             QStringLiteral("a layer needs at least one neuron, not 0"));
    QCOMPARE(doc.undoStack()->count(), 1);
}

void TestDocument::removeLayerRewiresAndUndoRestoresOrder()
{
    Document doc;
    doc.reset(branchGraph());
    const Graph original = doc.graph();
    QSignalSpy changed(&doc, &Document::layerChanged);
    QSignalSpy rewired(&doc, &Document::connectionChanged);
    QVERIFY(doc.removeLayers({idOf(doc, "a")}));
    // b and d now read the input (4 values): one new column each.
    QCOMPARE(doc.graph().layerCount(), 3);
    QCOMPARE(doc.graph().layer(idOf(doc, "b")).source, kNetworkInput);
    QCOMPARE(doc.graph().layer(idOf(doc, "b")).inputs(), 4);
    QCOMPARE(doc.graph().layer(idOf(doc, "d")).inputs(), 4);
    QCOMPARE(rewired.count(), 2);
    QCOMPARE(changed.count(), 2);
    doc.undoStack()->undo();
    SNN_COMPARE_GRAPHS(doc.graph(), original);
    // Several at once, one step.
    QVERIFY(doc.removeLayers({idOf(doc, "b"), idOf(doc, "d")}));
    QCOMPARE(doc.undoStack()->count(), 1);
    QCOMPARE(doc.graph().layerCount(), 2);
    QCOMPARE(doc.graph().layer(idOf(doc, "c")).source, idOf(doc, "a"));
    QCOMPARE(doc.graph().layer(idOf(doc, "c")).inputs(), 3);
    doc.undoStack()->undo();
    SNN_COMPARE_GRAPHS(doc.graph(), original);
}

void TestDocument::layerEditsUndoToTheOriginal_data()
{
    QTest::addColumn<QString>("edit");
    QTest::addColumn<QString>("undoText");
    QTest::newRow("rename") << "rename"
                            << "Rename b to beta";
    QTest::newRow("grow") << "grow"
                          << "Resize a to 5 neurons";
    QTest::newRow("shrink") << "shrink"
                            << "Resize a to 1 neurons";
    QTest::newRow("params") << "params"
                            << "Change neurons of b";
    QTest::newRow("connect") << "connect"
                             << "Connect d to c";
}

void TestDocument::layerEditsUndoToTheOriginal()
{
    QFETCH(QString, edit);
    QFETCH(QString, undoText);
    Document doc;
    doc.reset(branchGraph());
    const Graph original = doc.graph();
    const LayerId a = idOf(doc, "a"), b = idOf(doc, "b"), c = idOf(doc, "c"), d = idOf(doc, "d");
    if (edit == QLatin1String("rename")) {
        QVERIFY(doc.renameLayer(b, QStringLiteral("beta")));
        QCOMPARE(doc.graph().layer(b).name, QStringLiteral("beta"));
    } else if (edit == QLatin1String("grow")) {
        QVERIFY(doc.resizeLayer(a, 5));
        QCOMPARE(doc.graph().layer(b).inputs(), 5);
        QCOMPARE(doc.graph().layer(d).inputs(), 5);
    } else if (edit == QLatin1String("shrink")) {
        QVERIFY(doc.resizeLayer(a, 1));
        QCOMPARE(doc.graph().layer(b).inputs(), 1);
        QCOMPARE(doc.graph().layer(a).rates, snn::test::vec({0.2f}));
    } else if (edit == QLatin1String("params")) {
        NeuronParams p = doc.graph().layer(b).neuron;
        p.type = NeuronType::IF;
        p.beta = 1.0f;
        p.threshold = 0.5f;
        QVERIFY(doc.setNeuronParams(b, p));
        QCOMPARE(doc.graph().layer(b).neuron, p);
    } else {
        QVERIFY(doc.connectLayer(c, d));
        QCOMPARE(doc.graph().layer(c).source, d);
        QVERIFY(doc.graph().indexOf(c) > doc.graph().indexOf(d));
    }
    doc.graph().validate();
    QCOMPARE(doc.undoStack()->count(), 1);
    QCOMPARE(doc.undoStack()->undoText(), undoText);
    const Graph edited = doc.graph();
    doc.undoStack()->undo();
    SNN_COMPARE_GRAPHS(doc.graph(), original);
    doc.undoStack()->redo();
    SNN_COMPARE_GRAPHS(doc.graph(), edited);
}

void TestDocument::refusedEditsChangeNothing_data()
{
    QTest::addColumn<QString>("edit");
    QTest::addColumn<QString>("message");
    QTest::newRow("zero neurons") << "zero"
                                  << "layer 'b': a layer needs at least one neuron, not 0";
    QTest::newRow("cycle") << "cycle"
                           << "connecting 'c' to 'a' would make a cycle";
    QTest::newRow("disconnect") << "disconnect"
                                << "layer 'c' needs a source";
    QTest::newRow("duplicate name") << "name"
                                    << "a layer named 'd' already exists";
    QTest::newRow("bad threshold") << "threshold"
                                   << "layer 'b': threshold must be a positive number";
}

void TestDocument::refusedEditsChangeNothing()
{
    QFETCH(QString, edit);
    QFETCH(QString, message);
    Document doc;
    doc.reset(branchGraph());
    const Graph original = doc.graph();
    QSignalSpy refused(&doc, &Document::editRefused);
    QSignalSpy changed(&doc, &Document::changed);
    bool ok = true;
    if (edit == QLatin1String("zero")) {
        ok = doc.resizeLayer(idOf(doc, "b"), 0);
    } else if (edit == QLatin1String("cycle")) {
        ok = doc.connectLayer(idOf(doc, "a"), idOf(doc, "c"));
    } else if (edit == QLatin1String("disconnect")) {
        ok = doc.disconnectLayer(idOf(doc, "c"));
    } else if (edit == QLatin1String("name")) {
        ok = doc.renameLayer(idOf(doc, "b"), QStringLiteral("d"));
    } else {
        NeuronParams p;
        p.threshold = 0.0f;
        ok = doc.setNeuronParams(idOf(doc, "b"), p);
    }
    QVERIFY(!ok);
    QCOMPARE(refused.count(), 1);
    QVERIFY2(refused.at(0).at(0).toString().startsWith(message),
             qPrintable(refused.at(0).at(0).toString()));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(doc.undoStack()->count(), 0);
    SNN_COMPARE_GRAPHS(doc.graph(), original);
}

void TestDocument::movesMergeIntoOneStep()
{
    Document doc;
    doc.reset(branchGraph());
    const LayerId a = idOf(doc, "a");
    QSignalSpy moved(&doc, &Document::layerMoved);
    QVERIFY(doc.moveLayers({{a, QPointF(5, 5)}}));
    QVERIFY(doc.moveLayers({{a, QPointF(50, 60)}}));
    QCOMPARE(moved.count(), 2);
    QCOMPARE(doc.undoStack()->count(), 1);
    QCOMPARE(doc.graph().layer(a).position, std::optional(QPointF(50, 60)));
    // A move of another layer is its own step.
    QVERIFY(doc.moveLayers({{idOf(doc, "b"), QPointF(1, 2)}}));
    QCOMPARE(doc.undoStack()->count(), 2);
    doc.undoStack()->undo();
    doc.undoStack()->undo();
    // Neither layer had a position before: undo takes them away again.
    QVERIFY(!doc.graph().layer(a).position.has_value());
    QVERIFY(!doc.graph().layer(idOf(doc, "b")).position.has_value());
}

void TestDocument::autoLayoutIsOneStep()
{
    Document doc;
    doc.reset(branchGraph());
    const Graph original = doc.graph();
    QVERIFY(doc.autoLayout());
    QCOMPARE(doc.undoStack()->count(), 1);
    for (const auto &[id, pos] : edit::autoLayout(original))
        QCOMPARE(doc.graph().layer(id).position, std::optional(pos));
    QVERIFY(doc.autoLayout()); // nothing to do: no new step
    QCOMPARE(doc.undoStack()->count(), 1);
    doc.undoStack()->undo();
    SNN_COMPARE_GRAPHS(doc.graph(), original);
}

void TestDocument::applyGraphIsOneStep()
{
    Document doc;
    doc.reset(exampleGraph());
    const Graph original = doc.graph();
    Graph smaller = original;
    edit::resizeLayer(smaller, smaller.layers().front().id, 100);
    QSignalSpy reset(&doc, &Document::graphReset);
    QVERIFY(doc.applyGraph(smaller, QStringLiteral("Apply optimisation")));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(doc.undoStack()->count(), 1);
    SNN_COMPARE_GRAPHS(doc.graph(), smaller);
    doc.undoStack()->undo();
    SNN_COMPARE_GRAPHS(doc.graph(), original);
}

void TestDocument::smallEditsKeepOnlyTheirValue()
{
    // A layer of 2000 x 1000 weights (8 MB): a rename or a parameter change keeps the name or
    // the parameters before and after, and undo and redo restore the graph exactly.
    Graph big(1000);
    big.addLayer(makeLayer(QStringLiteral("wide"), kNetworkInput, 2000, 1000));
    Document doc;
    doc.reset(big);
    const LayerId wide = idOf(doc, "wide");
    const qint64 weightBytes = 2000 * 1000 * qint64(sizeof(float));
    const qint64 start = heapInUse();
    QVERIFY(doc.renameLayer(wide, QStringLiteral("  renamed ")));
    NeuronParams params = doc.graph().layer(wide).neuron;
    params.threshold = 0.25f;
    QVERIFY(doc.setNeuronParams(wide, params));
    const qint64 small = heapInUse() - start;
    const auto *rename = dynamic_cast<const RenameLayerCommand *>(doc.undoStack()->command(0));
    const auto *change = dynamic_cast<const SetNeuronParamsCommand *>(doc.undoStack()->command(1));
    QVERIFY(rename && change);
    QCOMPARE(rename->layer(), wide);
    QCOMPARE(rename->before(), QStringLiteral("wide"));
    QCOMPARE(rename->after(), QStringLiteral("renamed"));
    QCOMPARE(rename->text(), QStringLiteral("Rename wide to renamed"));
    QCOMPARE(change->before(), big.layers().front().neuron);
    QCOMPARE(change->after(), params);
    const Graph edited = doc.graph();
    Graph expected = big;
    expected.layer(wide).name = QStringLiteral("renamed");
    expected.layer(wide).neuron = params;
    SNN_COMPARE_GRAPHS(edited, expected);
    doc.undoStack()->undo();
    doc.undoStack()->undo();
    SNN_COMPARE_GRAPHS(doc.graph(), big);
    doc.undoStack()->redo();
    doc.undoStack()->redo();
    SNN_COMPARE_GRAPHS(doc.graph(), edited);
    // The same edit again changes nothing: no step.
    QVERIFY(doc.renameLayer(wide, QStringLiteral("renamed")));
    QVERIFY(doc.setNeuronParams(wide, params));
    QCOMPARE(doc.undoStack()->count(), 2);
#if !defined(__SANITIZE_ADDRESS__) // AddressSanitizer's allocator does not report to mallinfo2
    QVERIFY2(small < weightBytes / 16, qPrintable(QString::number(small)));
    // The measure sees a command that keeps the layer: a resize keeps it before and after.
    const qint64 beforeResize = heapInUse();
    QVERIFY(doc.resizeLayer(wide, 1999));
    QVERIFY2(heapInUse() - beforeResize > weightBytes,
             qPrintable(QString::number(heapInUse() - beforeResize)));
#endif
}

void TestDocument::modifiedFollowsTheCleanState()
{
    Document doc;
    doc.reset(branchGraph());
    QSignalSpy modified(&doc, &Document::modifiedChanged);
    QVERIFY(!doc.isModified());
    doc.renameLayer(idOf(doc, "a"), QStringLiteral("x"));
    QVERIFY(doc.isModified());
    QCOMPARE(modified.count(), 1);
    QCOMPARE(modified.at(0).at(0).toBool(), true);
    doc.undoStack()->undo();
    QVERIFY(!doc.isModified());
    QCOMPARE(modified.count(), 2);
}

void TestDocument::saveAndLoadKeepPositions()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("g.h5"));
    Document doc;
    doc.reset(branchGraph(), {}, QStringLiteral("Built-in example"));
    QCOMPARE(doc.displayName(), QStringLiteral("Built-in example"));
    QVERIFY(doc.autoLayout());
    QVERIFY(doc.isModified());
    doc.save(path);
    QVERIFY(!doc.isModified());
    QCOMPARE(doc.filePath(), path);
    QCOMPARE(doc.displayName(), QStringLiteral("g.h5"));
    Document other;
    QCOMPARE(other.load(path), QStringList()); // an SNN Studio file assumes nothing
    SNN_COMPARE_GRAPHS(other.graph(), doc.graph());
    QCOMPARE(other.undoStack()->count(), 0);
}

void TestDocument::loadErrorKeepsTheDocument()
{
    Document doc;
    doc.reset(branchGraph());
    const Graph original = doc.graph();
    QVERIFY_THROWS_EXCEPTION(Error, doc.load(QStringLiteral("/nonexistent/file.h5")));
    SNN_COMPARE_GRAPHS(doc.graph(), original);
}

void TestDocument::nirImportSaysItsAssumptions()
{
    // The studio's File > Open of a Norse file: the same lines as snnc import prints (the main
    // window logs them), the dt among them.
    Document doc;
    const QStringList lines =
        doc.load(QStringLiteral(SNN_SOURCE_DIR "/tests/data/norse/lifbox.nir"));
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines[2], QStringLiteral("dt: 0.001 s (Norse's default: '1' has r = 1 as Norse "
                                      "writes it, and Norse writes no time step; --dt sets it)"));
    QCOMPARE(doc.graph().dt(), std::optional<double>(1e-3));
    QCOMPARE(doc.filePath(), QString()); // Save asks for an SNN Studio file
}

// Each command, its undo and its redo say once, after they are complete, what they changed.
void TestDocument::oneStructuredChangePerCommand()
{
    using C = Document::Change;
    Document doc;
    QSignalSpy edited(&doc, &Document::edited);
    doc.reset(branchGraph());
    QCOMPARE(edited.count(), 1);
    QCOMPARE(edited.takeFirst().at(0).value<Document::Changes>(), Document::Changes(C::All));
    const LayerId a = doc.graph().layers().front().id;
    auto check = [&](Document::Changes expected) {
        QCOMPARE(edited.count(), 1);
        QCOMPARE(edited.takeFirst().at(0).value<Document::Changes>(), expected);
        doc.undoStack()->undo();
        QCOMPARE(edited.count(), 1);
        QCOMPARE(edited.takeFirst().at(0).value<Document::Changes>(), expected);
        doc.undoStack()->redo();
        QCOMPARE(edited.count(), 1);
        QCOMPARE(edited.takeFirst().at(0).value<Document::Changes>(), expected);
    };
    QVERIFY(doc.renameLayer(a, QStringLiteral("first")));
    check(C::Names);
    QVERIFY(doc.moveLayers({{a, QPointF(1, 2)}}));
    check(C::Positions);
    NeuronParams params = doc.graph().layer(a).neuron;
    params.threshold = 2.0f;
    QVERIFY(doc.setNeuronParams(a, params));
    check(C::Parameters);
    // Removing a layer that feeds two others: several primitive changes, one notification.
    QVERIFY(doc.removeLayers({a}));
    check(C::Structure);
    QVERIFY(doc.addLayer(kNetworkInput, 3).has_value());
    QCOMPARE(edited.count(), 1);
    QVERIFY(edited.takeFirst().at(0).value<Document::Changes>() & C::Structure);
}

QTEST_GUILESS_MAIN(TestDocument)
#include "tst_document.moc"
