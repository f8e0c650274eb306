#include "MainWindow.h"

#include "Error.h"
#include "GraphFile.h"

#include <QFileDialog>
#include <QHeaderView>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTreeWidget>

namespace snn::widgets {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_layers(new QTreeWidget(this))
{
    m_layers->setHeaderLabels({tr("Layer"), tr("Input"), tr("Neuron"), tr("Neurons"), tr("Inputs"),
                               tr("Parameters"), tr("Mean rate"), tr("Never fired")});
    m_layers->setRootIsDecorated(false);
    m_layers->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setCentralWidget(m_layers);
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open..."), QKeySequence::Open, this, &MainWindow::open);
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    resize(900, 400);
}

bool MainWindow::openFile(const QString &path)
{
    try {
        setGraph(loadGraph(path), path);
        return true;
    } catch (const Error &e) {
        statusBar()->showMessage(e.message());
        QMessageBox::warning(this, tr("Cannot open file"), e.message());
        return false;
    }
}

void MainWindow::setGraph(const Graph &graph, const QString &title)
{
    m_graph = graph;
    m_layers->clear();
    const QLocale locale(QLocale::English);
    for (const Layer &l : m_graph.layers()) {
        const bool rates = l.hasRates();
        auto *item = new QTreeWidgetItem(m_layers);
        item->setText(0, l.name);
        item->setText(1, m_graph.sourceName(l));
        item->setText(2, l.neuron.spiking ? toString(l.neuron.type) : tr("linear"));
        item->setText(3, QString::number(l.neurons()));
        item->setText(4, QString::number(l.inputs()));
        item->setText(5, locale.toString(qint64(l.paramCount())));
        item->setText(6,
                      rates ? QString::number(double(l.rates.mean()), 'f', 4) : tr("not measured"));
        item->setText(7, rates ? QString::number((l.rates.array() == 0.0f).count()) : tr("-"));
    }
    setWindowTitle(tr("%1 - SNN Studio").arg(title));
    statusBar()->showMessage(tr("%1 layers, %2 neurons, %3 parameters")
                                 .arg(m_graph.layerCount())
                                 .arg(locale.toString(qint64(m_graph.totalNeurons())),
                                      locale.toString(qint64(m_graph.totalParams()))));
}

void MainWindow::open()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open graph"), QString(),
                                                      tr("SNN graphs (*.h5 *.hdf5)"));
    if (!path.isEmpty())
        openFile(path);
}

} // namespace snn::widgets
