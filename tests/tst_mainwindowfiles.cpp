// The main window's files: open and save, recent files, damaged files, unsaved changes, drop,
// NIR import and export, and the shipped models.
#include "CanvasView.h"
#include "Document.h"
#include "FpgaPanel.h"
#include "GraphEquality.h"
#include "MainWindow.h"
#include "MainWindowTestData.h"
#include "graph/Example.h"
#include "graph/GraphSummary.h"
#include "io/GraphFile.h"
#include "nir/NirFile.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QUrl>

using namespace snn;
using namespace snn::test;
using namespace snn::widgets;

class TestMainWindowFiles : public MainWindowTest {
    Q_OBJECT
private Q_SLOTS:
    void openSaveRoundTrip();
    void recentFilesDescribeThemselves();
    void corruptFileGivesAMessage_data();
    void corruptFileGivesAMessage();
    void unsavedChangesPrompt();
    void dropOpensAFile();
    void nirOpensAsImportAndExports();
    void startsOnTheShippedModel();
};

void TestMainWindowFiles::recentFilesDescribeThemselves()
{
    const QString kept = m_dir.filePath(QStringLiteral("recent-kept.h5"));
    const QString gone = m_dir.filePath(QStringLiteral("recent-gone.h5"));
    const QString broken = m_dir.filePath(QStringLiteral("recent-broken.h5"));
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    for (const QString &path : {gone, broken, kept})
        QVERIFY(window.saveTo(path));
    QVERIFY(QFile::remove(gone));
    QFile damaged(broken);
    QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QVERIFY(damaged.write("not HDF5") == 8);
    damaged.close();

    QMenu *recent = nullptr;
    for (QMenu *menu : window.findChildren<QMenu *>())
        if (menu->title() == QStringLiteral("Open &Recent"))
            recent = menu;
    QVERIFY(recent);
    QStringList tips; // the three just saved, the latest first; each described off the GUI thread
    for (QAction *action : recent->actions().first(3)) {
        const QString path = action->toolTip();
        Q_EMIT recent->hovered(action);
        QTRY_VERIFY(action->toolTip() != path);
        tips << action->toolTip();
    }
    const GraphSummary summary = summarize(exampleGraph());
    QCOMPARE(
        tips,
        QStringList(
            {QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(kept), summary.description()),
             QStringLiteral("%1: cannot be read (cannot open %2: not an HDF5 file)")
                 .arg(QDir::toNativeSeparators(broken), broken),
             QStringLiteral("%1: no longer there").arg(QDir::toNativeSeparators(gone))}));
    QVERIFY(summary.description().endsWith(
        QStringLiteral("%1 parameters")
            .arg(QLocale(QLocale::English).toString(qint64(exampleGraph().totalParams())))));
    // Hovered again, an entry shows what it already knows.
    Q_EMIT recent->hovered(recent->actions().first());
    QCOMPARE(window.statusBar()->currentMessage(), tips.front());
}

void TestMainWindowFiles::openSaveRoundTrip()
{
    const QString path = m_dir.filePath(QStringLiteral("round.h5"));
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    Document *doc = window.document();
    QVERIFY(doc->autoLayout());
    QVERIFY(doc->renameLayer(window.graph().layers().front().id, QStringLiteral("first")));
    QVERIFY(window.isWindowModified());
    QVERIFY(window.saveTo(path));
    QVERIFY(!window.isWindowModified());
    QCOMPARE(window.windowTitle(), QStringLiteral("round.h5[*] - SNN Studio"));
    QCOMPARE(window.recentFiles().value(0), QFileInfo(path).absoluteFilePath());

    MainWindow other;
    QVERIFY(other.openFile(path));
    SNN_COMPARE_GRAPHS(other.graph(), window.graph());
    QVERIFY(other.graph().layers().front().position.has_value()); // positions came back
    QCOMPARE(other.document()->filePath(), path);
    QVERIFY(!other.isWindowModified());
    // Build's project folder sits next to the model file.
    QCOMPARE(other.fpga()->projectDirectory(), m_dir.filePath(QStringLiteral("round-icebreaker")));
    // The canvas places nodes where the file says.
    const Layer &first = other.graph().layers().front();
    QCOMPARE(other.canvas()->node(first.id)->pos(), *first.position);
}

void TestMainWindowFiles::corruptFileGivesAMessage_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::newRow("not hdf5") << QByteArray("this is not an HDF5 file\n") << "corrupt.h5";
    QTest::newRow("empty") << QByteArray() << "corrupt.h5";
    QTest::newRow("truncated") << QByteArray("truncate") << "corrupt.h5";
}

void TestMainWindowFiles::corruptFileGivesAMessage()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    const QString path = m_dir.filePath(QStringLiteral("corrupt.h5"));
    if (content == "truncate") {
        const QString good = m_dir.filePath(QStringLiteral("good.h5"));
        saveGraph(exampleGraph(), good);
        QFile in(good);
        QVERIFY(in.open(QIODevice::ReadOnly));
        content = in.readAll().left(int(in.size() / 2));
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
    file.close();

    MainWindow window;
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    window.show();
    QVERIFY(!window.openFile(path));
    SNN_COMPARE_GRAPHS(window.graph(), exampleGraph()); // the document is kept
    QVERIFY2(window.statusBar()->currentMessage().contains(message),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(window.logText().contains(window.statusBar()->currentMessage()));
    // A non-modal dialog says the same, and the test goes on without answering it.
    QMessageBox *box = window.findChild<QMessageBox *>();
    QVERIFY(box);
    QCOMPARE(box->text(), window.statusBar()->currentMessage());
    QVERIFY(box->isVisible());
    box->close();
}

void TestMainWindowFiles::unsavedChangesPrompt()
{
    const QString path = m_dir.filePath(QStringLiteral("prompt.h5"));
    MainWindow window;
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    int asked = 0;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    window.setUnsavedChangesPrompt([&] {
        ++asked;
        return answer;
    });
    QVERIFY(window.maybeSave()); // nothing to lose: no question
    QCOMPARE(asked, 0);
    window.document()->renameLayer(window.graph().layers().front().id, QStringLiteral("x"));
    QVERIFY(!window.maybeSave());
    QCOMPARE(asked, 1);
    answer = QMessageBox::Discard;
    QVERIFY(window.maybeSave());
    // Save goes to the file (this one has a path now).
    QVERIFY(window.saveTo(path));
    window.document()->renameLayer(window.graph().layers().front().id, QStringLiteral("y"));
    answer = QMessageBox::Save;
    QVERIFY(window.maybeSave());
    QCOMPARE(loadGraph(path).layers().front().name, QStringLiteral("y"));
    QVERIFY(!window.isWindowModified());
    // New asks first and refuses to drop changes on Cancel.
    window.document()->renameLayer(window.graph().layers().front().id, QStringLiteral("z"));
    answer = QMessageBox::Cancel;
    window.newDocument();
    QCOMPARE(window.graph().layerCount(), 3);
    answer = QMessageBox::Discard;
    window.newDocument();
    QCOMPARE(window.graph().layerCount(), 0);
    QCOMPARE(window.graph().inputSize(), 784);
}

void TestMainWindowFiles::dropOpensAFile()
{
    const QString path = m_dir.filePath(QStringLiteral("drop.h5"));
    Graph g = exampleGraph();
    g.layer(g.layers().back().id).name = QStringLiteral("dropped");
    saveGraph(g, path);
    MainWindow window;
    window.setGraph(exampleGraph(), QStringLiteral("Built-in example"));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QCOMPARE(window.graph().layers().back().name, QStringLiteral("dropped"));
    QCOMPARE(window.document()->filePath(), path);
    // Other files are not accepted.
    QMimeData text;
    text.setUrls({QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("notes.txt")))});
    QDragEnterEvent other(QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    other.setAccepted(false);
    QApplication::sendEvent(&window, &other);
    QVERIFY(!other.isAccepted());
}

void TestMainWindowFiles::nirOpensAsImportAndExports()
{
    const QString sample = QStringLiteral(SNN_NIR_SAMPLES "/two_lif_neurons.nir");
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openFile(sample));
    QCOMPARE(window.graph().layerCount(), 2);
    // Imported: no path, so Save asks for an SNN Studio file and never overwrites the NIR file.
    QCOMPARE(window.document()->filePath(), QString());
    QCOMPARE(window.windowTitle(), QStringLiteral("two_lif_neurons.nir[*] - SNN Studio"));

    const QString exported = m_dir.filePath(QStringLiteral("out.nir"));
    QVERIFY(window.exportNirTo(exported));
    SNN_COMPARE_GRAPHS(nir::importNir(exported), window.graph());
    // Imported by NIR's semantics (reset to v_reset), in Norse's convention (r = 1): the reset
    // is NIR's, but linear1's membranes start at its v_leak 1.2, which only the metadata carries.
    QVERIFY(window.logText().contains(
        QStringLiteral("Warning: NIR cannot say that linear1's membrane starts away from 0: other "
                       "readers run them as NIR defines its neurons")));
    QVERIFY(!window.logText().contains(QStringLiteral("reset by subtracting")));
    window.document()->reset(exampleGraph(), QString(), QStringLiteral("example"));
    QVERIFY(window.exportNirTo(exported));
    QVERIFY(window.logText().contains(
        QStringLiteral("Warning: NIR cannot say that hidden1 (subtract), hidden2 (subtract), "
                       "output (subtract) reset by subtracting the threshold")));
    QVERIFY(!window.exportNirTo(m_dir.filePath(QStringLiteral("missing/folder/x.nir"))));
    QVERIFY(window.logText().contains(QStringLiteral("the folder does not exist")));
}

void TestMainWindowFiles::startsOnTheShippedModel()
{
    MainWindow window;
    window.setErrorDialogsEnabled(false);
    QVERIFY(window.openShippedModel());
    QCOMPARE(window.document()->filePath(), QString()); // Save asks where to write
    QCOMPARE(window.document()->displayName(), MainWindow::kShippedModelName);
    QCOMPARE(window.graph().layerCount(), 3);
    QCOMPARE(window.graph().totalParams(), 218058);
    QCOMPARE(window.graph().inputSize(), 784);
    for (const Layer &l : window.graph().layers())
        QVERIFY(l.hasRates());
    // The second example: the same shape, trained for the 4-bit core (on its grid: beta 0.875).
    QVERIFY(window.openShippedModel(MainWindow::kQatModelResource, MainWindow::kQatModelName));
    QCOMPARE(window.document()->displayName(), MainWindow::kQatModelName);
    QCOMPARE(window.graph().totalParams(), 218058);
    for (const Layer &l : window.graph().layers()) {
        QVERIFY(l.hasRates());
        QCOMPARE(l.neuron.beta, 0.875f);
        QVERIFY(l.ratesSource.startsWith(QStringLiteral("measured: fashion-mnist, validation")));
    }
}

SNN_WIDGET_TEST_MAIN(TestMainWindowFiles)
#include "tst_mainwindowfiles.moc"
