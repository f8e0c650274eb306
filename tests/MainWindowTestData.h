#pragma once
// Test helpers shared by the main window's tests (tst_mainwindow, tst_mainwindowfiles,
// tst_mainwindowlayout, tst_mainwindowjobs, tst_mainwindowpipeline): their fixture, a tiny data
// set and graph to train, and the Pipeline's data set and tools.

#include "MainWindow.h"
#include "PipelinePanel.h"
#include "TestUtils.h"
#include "base/Rng.h"
#include "flow/Pipeline.h"
#include "io/GraphFile.h"
#include "sim/Dataset.h"
#include "train/TrainRun.h"

#include <QApplication>
#include <QComboBox>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace snn::test {

// The fixture of the window tests: QSettings in QStandardPaths' test mode, in a file named for
// the test executable (QCoreApplication's default name: the tests run in parallel, and each writes
// its layout, data set and FPGA settings), the FPGA tab on its defaults for every test function,
// and a temporary folder.
class MainWindowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("snn-studio-tests"));
        QVERIFY(m_dir.isValid());
    }
    void init()
    {
        QSettings().remove(QStringLiteral("fpga")); // the FPGA tab starts on its defaults
    }

protected:
    QTemporaryDir m_dir;
};

// Attaches a data set and waits for it to arrive.
inline bool attach(widgets::MainWindow &window, const QString &spec)
{
    QSignalSpy attached(&window, &widgets::MainWindow::dataAttached);
    window.attachData(spec);
    return attached.wait(10000);
}

// 16 samples of 4 features, class k lighting input 2k, written as an HDF5 data set at `path`;
// and a 4-2 graph to train on it.
inline void writeTinyDataset(const QString &path)
{
    sim::Dataset data;
    data.x = RowMatrixXf::Zero(16, 4);
    data.y.resize(16);
    for (int i = 0; i < 16; ++i) {
        data.y[std::size_t(i)] = i % 2;
        data.x(i, (i % 2) * 2) = 1.0f;
    }
    sim::saveHdf5Dataset(data, path);
}

inline Graph tinyGraph()
{
    Graph g(4);
    Layer out = test::makeLayer(QStringLiteral("out"), kNetworkInput, 2, 4);
    out.weights.setConstant(0.3f);
    g.addLayer(out);
    return g;
}

inline sim::TrainSettings tinySettings(int epochs)
{
    sim::TrainSettings settings;
    settings.options.epochs = epochs;
    settings.options.steps = 5;
    settings.options.batchSize = 8;
    settings.options.learningRate = 0.05f;
    settings.validationSize = 4; // of the 16 samples
    return settings;
}

// The Pipeline dock's choice whether the chain trains first.
inline void setTraining(widgets::MainWindow &window, flow::Training training)
{
    auto *box = window.pipelinePanel()->findChild<QComboBox *>(QStringLiteral("pipelineTraining"));
    box->setCurrentIndex(box->findData(int(training)));
}

// 30 random samples of 6 features in 3 classes, for a 6-input network (saved as HDF5 under `dir`).
inline QString pipelineData(const QTemporaryDir &dir)
{
    sim::Dataset data;
    Rng rng(9);
    data.x = RowMatrixXf(30, 6);
    for (int r = 0; r < 30; ++r) {
        for (int c = 0; c < 6; ++c)
            data.x(r, c) = float(rng.uniform());
        data.y.push_back(r % 3);
    }
    const QString path = dir.filePath(QStringLiteral("pipeline-data.h5"));
    sim::saveHdf5Dataset(data, path);
    return path;
}

// The first of the tools a Build runs that is not on PATH (empty: all are).
inline QString missingTool()
{
    for (const char *tool : {"yosys", "nextpnr-ice40", "icepack", "iverilog"})
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
            return QLatin1String(tool);
    return {};
}

// Saves `graph` as `model`, opens it in `window` (without error dialogs) and attaches
// pipelineData().
inline bool openWithData(widgets::MainWindow &window, const Graph &graph, const QString &model,
                         const QTemporaryDir &dir)
{
    saveGraph(graph, model);
    window.setErrorDialogsEnabled(false);
    return window.openFile(model) && attach(window, pipelineData(dir));
}

} // namespace snn::test
