#pragma once

#include "Graph.h"

#include <QMainWindow>

class QTreeWidget;

namespace snn::widgets {

// The studio's main window: shows the open graph's layers.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    // Opens a graph file; on failure shows the one-line error and keeps the current graph.
    bool openFile(const QString &path);
    void setGraph(const Graph &graph, const QString &title);
    const Graph &graph() const { return m_graph; }

private:
    void open();

    Graph m_graph;
    QTreeWidget *m_layers = nullptr;
};

} // namespace snn::widgets
