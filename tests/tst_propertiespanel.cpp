#include "Document.h"
#include "GraphEquality.h"
#include "PropertiesPanel.h"
#include "TestUtils.h"
#include "graph/Example.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>

using namespace snn;
using namespace snn::widgets;

class TestPropertiesPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void showsTheSelectedLayer();
    void editsAreUndoSteps();
    void refusedEditsRevertTheEditor();
    void switchingToIfSetsBetaToOne();
    void cubaLifAndTheNewValues();
    void valuesPerNeuronAreShownNotEdited();

private:
    LayerId idOf(const char *name) const
    {
        return m_doc->graph().findByName(QString::fromLatin1(name))->id;
    }
    Document *m_doc = nullptr;
    PropertiesPanel *m_panel = nullptr;
};

void TestPropertiesPanel::init()
{
    m_doc = new Document;
    m_doc->reset(exampleGraph());
    m_panel = new PropertiesPanel;
    m_panel->setDocument(m_doc);
    m_panel->show();
}

void TestPropertiesPanel::cleanup()
{
    delete m_panel;
    delete m_doc;
}

void TestPropertiesPanel::showsTheSelectedLayer()
{
    m_panel->setLayer(idOf("hidden2"));
    QCOMPARE(m_panel->nameEdit()->text(), QStringLiteral("hidden2"));
    QCOMPARE(m_panel->neuronsEdit()->value(), 64);
    QCOMPARE(m_panel->sourceEdit()->currentText(), QStringLiteral("hidden1"));
    QCOMPARE(m_panel->sourceEdit()->count(), 3); // input, hidden1, output (not itself)
    QCOMPARE(m_panel->typeEdit()->currentText(), QStringLiteral("LIF"));
    QCOMPARE(m_panel->thresholdEdit()->value(), 1.0);
    QCOMPARE(m_panel->betaEdit()->value(), 0.9);
    QVERIFY(m_panel->spikingEdit()->isChecked());
    m_panel->setLayer(-1);
    QVERIFY(!m_panel->nameEdit()->isVisible());
}

void TestPropertiesPanel::editsAreUndoSteps()
{
    const Graph original = m_doc->graph();
    const LayerId h2 = idOf("hidden2");
    m_panel->setLayer(h2);

    m_panel->nameEdit()->setFocus();
    m_panel->nameEdit()->selectAll();
    QTest::keyClicks(m_panel->nameEdit(), QStringLiteral("middle"));
    QTest::keyClick(m_panel->nameEdit(), Qt::Key_Return);
    QCOMPARE(m_doc->graph().layer(h2).name, QStringLiteral("middle"));

    m_panel->neuronsEdit()->setValue(80);
    QCOMPARE(m_doc->graph().layer(h2).neurons(), 80);
    QCOMPARE(m_doc->graph().layer(idOf("output")).inputs(), 80);

    m_panel->thresholdEdit()->setValue(0.75);
    QCOMPARE(m_doc->graph().layer(h2).neuron.threshold, 0.75f);
    m_panel->resetEdit()->setCurrentIndex(1);
    QVERIFY(m_doc->graph().layer(h2).neuron.reset == ResetMode::Zero);
    m_panel->spikingEdit()->setChecked(false);
    QVERIFY(!m_doc->graph().layer(h2).neuron.spiking);

    // Source: the input (784 values) instead of hidden1.
    m_panel->sourceEdit()->setCurrentIndex(m_panel->sourceEdit()->findData(kNetworkInput));
    Q_EMIT m_panel->sourceEdit()->activated(m_panel->sourceEdit()->currentIndex());
    QCOMPARE(m_doc->graph().layer(h2).source, kNetworkInput);
    QCOMPARE(m_doc->graph().layer(h2).inputs(), 784);
    m_doc->graph().validate();

    QCOMPARE(m_doc->undoStack()->count(), 6);
    // The panel follows undo.
    m_doc->undoStack()->undo();
    QCOMPARE(m_panel->sourceEdit()->currentText(), QStringLiteral("hidden1"));
    while (m_doc->undoStack()->canUndo())
        m_doc->undoStack()->undo();
    SNN_COMPARE_GRAPHS(m_doc->graph(), original);
    QCOMPARE(m_panel->nameEdit()->text(), QStringLiteral("hidden2"));
    QCOMPARE(m_panel->neuronsEdit()->value(), 64);
}

void TestPropertiesPanel::refusedEditsRevertTheEditor()
{
    const Graph original = m_doc->graph();
    m_panel->setLayer(idOf("hidden2"));
    QSignalSpy refused(m_doc, &Document::editRefused);
    m_panel->neuronsEdit()->setValue(0);
    QCOMPARE(refused.count(), 1);
    QCOMPARE(m_panel->neuronsEdit()->value(), 64);
    m_panel->nameEdit()->setText(QStringLiteral("output"));
    Q_EMIT m_panel->nameEdit()->editingFinished();
    QCOMPARE(refused.count(), 2);
    QCOMPARE(refused.at(1).at(0).toString(),
             QStringLiteral("a layer named 'output' already exists"));
    QCOMPARE(m_panel->nameEdit()->text(), QStringLiteral("hidden2"));
    // hidden1 fed by output: a cycle.
    m_panel->setLayer(idOf("hidden1"));
    m_panel->sourceEdit()->setCurrentIndex(
        m_panel->sourceEdit()->findText(QStringLiteral("output")));
    Q_EMIT m_panel->sourceEdit()->activated(m_panel->sourceEdit()->currentIndex());
    QCOMPARE(refused.count(), 3);
    QCOMPARE(m_panel->sourceEdit()->currentText(), QStringLiteral("input"));
    QCOMPARE(m_doc->undoStack()->count(), 0);
    SNN_COMPARE_GRAPHS(m_doc->graph(), original);
}

void TestPropertiesPanel::switchingToIfSetsBetaToOne()
{
    const LayerId h1 = idOf("hidden1");
    m_panel->setLayer(h1);
    m_panel->typeEdit()->setCurrentIndex(1);
    QVERIFY(m_doc->graph().layer(h1).neuron.type == NeuronType::IF);
    QCOMPARE(m_doc->graph().layer(h1).neuron.beta, 1.0f);
    QCOMPARE(m_panel->betaEdit()->value(), 1.0);
    QCOMPARE(m_doc->undoStack()->count(), 1);
}

void TestPropertiesPanel::cubaLifAndTheNewValues()
{
    const LayerId h1 = idOf("hidden1");
    m_panel->setLayer(h1);
    QVERIFY(!m_panel->alphaEdit()->isEnabled()); // LIF: no synaptic current
    m_panel->typeEdit()->setCurrentIndex(int(NeuronType::CubaLIF));
    QVERIFY(m_doc->graph().layer(h1).neuron.type == NeuronType::CubaLIF);
    QVERIFY(m_panel->alphaEdit()->isEnabled());
    m_panel->alphaEdit()->setValue(0.75);
    QCOMPARE(m_doc->graph().layer(h1).neuron.alpha, 0.75f);
    m_panel->firingEdit()->setCurrentIndex(int(Firing::AtOrAbove));
    QVERIFY(m_doc->graph().layer(h1).neuron.firing == Firing::AtOrAbove);
    m_panel->initialEdit()->setValue(0.25);
    QCOMPARE(m_doc->graph().layer(h1).neuron.initial, 0.25f);
    m_panel->resetEdit()->setCurrentIndex(int(ResetMode::ZeroNext));
    QVERIFY(m_doc->graph().layer(h1).neuron.reset == ResetMode::ZeroNext);
    // Back to LIF: alpha goes to 0 with it, in the same step.
    m_panel->typeEdit()->setCurrentIndex(int(NeuronType::LIF));
    QCOMPARE(m_doc->graph().layer(h1).neuron.alpha, 0.0f);
    QVERIFY(!m_panel->alphaEdit()->isEnabled());
    QCOMPARE(m_doc->undoStack()->count(), 6);
}

void TestPropertiesPanel::valuesPerNeuronAreShownNotEdited()
{
    Graph g = exampleGraph();
    Layer &h2 = g.layer(g.findByName(QStringLiteral("hidden2"))->id);
    h2.setPerNeuron("beta", Eigen::VectorXf::LinSpaced(64, 0.5f, 0.95f));
    m_doc->reset(g);
    m_panel->setLayer(idOf("hidden2"));
    QVERIFY(!m_panel->betaEdit()->isEnabled());
    QVERIFY(m_panel->thresholdEdit()->isEnabled());
    QCOMPARE(m_panel->perNeuronLabel()->text(),
             QStringLiteral("threshold 1, beta 0.5 to 0.95 per neuron"));
    // Another edit keeps every neuron's beta.
    m_panel->thresholdEdit()->setValue(0.5);
    const Layer &after = m_doc->graph().layer(idOf("hidden2"));
    QCOMPARE(after.neuron.threshold, 0.5f);
    QCOMPARE(after.perNeuron.beta, Eigen::VectorXf::LinSpaced(64, 0.5f, 0.95f));
    m_panel->setLayer(idOf("hidden1"));
    QCOMPARE(m_panel->perNeuronLabel()->text(), QStringLiteral("none: one value per layer"));
}

SNN_WIDGET_TEST_MAIN(TestPropertiesPanel)
#include "tst_propertiespanel.moc"
