#include "MainWindow.h"
#include "Screenshots.h"
#include "graph/Example.h"

#include <QApplication>
#include <QCommandLineParser>

#include <csignal>

int main(int argc, char *argv[])
{
    std::signal(SIGXFSZ, SIG_IGN); // a file-size limit fails the save with a message instead
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("SNN Studio"));
    QApplication::setOrganizationName(QStringLiteral("snn-studio"));
    QApplication::setApplicationVersion(QStringLiteral(SNN_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Show, optimise and deploy spiking neural networks."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("A graph file to open."));
    const QCommandLineOption screenshots(
        QStringLiteral("screenshots"),
        QStringLiteral("Go through the states the docs picture, printing \"shot <name>\" and "
                       "waiting for a line on stdin at each, then quit (scripts/screenshots.sh "
                       "takes the pictures from outside)."));
    parser.addOption(screenshots);
    const QCommandLineOption data(
        QStringLiteral("data"),
        QStringLiteral("Attach a data set for training and for measuring accuracy: fashion-mnist, "
                       "a folder of IDX files or an HDF5 data set (see docs/datasets.md); "
                       "default: the one attached last."),
        QStringLiteral("spec"));
    parser.addOption(data);
    parser.process(app);

    snn::widgets::MainWindow window;
    const QStringList files = parser.positionalArguments();
    if ((files.isEmpty() || !window.openFile(files.front())) && !window.openShippedModel())
        window.setGraph(snn::exampleGraph(), snn::widgets::MainWindow::kSyntheticName);
    window.restoreLayout();
    if (parser.isSet(screenshots))
        return snn::studio::takeScreenshots(window, parser.value(data));
    // The data set given, else the one attached last.
    const QString spec =
        parser.isSet(data) ? parser.value(data) : snn::widgets::MainWindow::rememberedDataSpec();
    if (!spec.isEmpty())
        window.attachData(spec);
    window.show();
    return app.exec();
}
