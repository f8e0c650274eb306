#pragma once

// The core flow::Pipeline on the studio's document: the chain (the Pipeline button, the Pipeline
// dock's Run) starts from the document's graph with the Training tab's settings (the
// Optimisation, FPGA and Pipeline panels put theirs into the pipeline as they change); while the
// chain runs it holds the document's edit lock, so nothing it works on changes under it; the
// graphs its Train and Rates stages make become undo steps ("Train 3 epochs", "Measure firing
// rates"). It refuses to start without a graph or data set, while editing is locked, or while
// a training or an FPGA job of the panels runs.

#include <QObject>

namespace snn::flow {
class Pipeline;
}

namespace snn::widgets {

class Document;
class FpgaPanel;
class TrainingMonitor;

class StudioPipeline : public QObject {
    Q_OBJECT
public:
    StudioPipeline(flow::Pipeline *pipeline, Document *document, TrainingMonitor *training,
                   FpgaPanel *fpga, QObject *parent = nullptr);

private:
    // The chain's inputs from the studio, or why it must not start.
    QString prepare();

    flow::Pipeline *m_pipeline;
    Document *m_document;
    TrainingMonitor *m_training;
    FpgaPanel *m_fpga;
    bool m_locked = false; // this holds the document's edit lock
};

} // namespace snn::widgets
