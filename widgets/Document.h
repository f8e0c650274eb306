#pragma once

#include "graph/Graph.h"

#include <QObject>
#include <QUndoStack>

#include <map>
#include <optional>

namespace snn::widgets {

// The open graph, its file and its undo history. Every view attaches to a Document and rebuilds
// from its change signals; every edit is an undo command (widgets/commands/) that changes the
// graph only through the "Used by undo commands" functions below.
class Document : public QObject {
    Q_OBJECT
public:
    // What a command (or its undo) changed, so a view redoes only what it shows: a rename or a
    // move leaves estimates, synthesis figures and optimisation results alone.
    enum class Change {
        Structure = 1 << 0,  // layers added, removed, rewired or resized
        Weights = 1 << 1,    // weights or biases
        Parameters = 1 << 2, // neuron model parameters
        Names = 1 << 3,
        Positions = 1 << 4,
        Rates = 1 << 5, // measured firing rates
        All = (1 << 6) - 1,
        // What the network computes (and hardware estimates, synthesis, passes depend on).
        Function = Structure | Weights | Parameters,
    };
    Q_DECLARE_FLAGS(Changes, Change)

    explicit Document(QObject *parent = nullptr);

    const Graph &graph() const { return m_graph; }
    QString filePath() const { return m_filePath; }
    // The file name, or "Untitled" / "Built-in example" when there is no file.
    QString displayName() const;
    QUndoStack *undoStack() { return &m_undo; }
    bool isModified() const { return !m_undo.isClean(); }

    // Replace the whole document (clears the history). load/save throw Error with one line.
    void reset(const Graph &graph, const QString &filePath = {}, const QString &name = {});
    // Returns what a NIR import assumed, one line each (nir::importNir's assumptions); nothing
    // for an SNN Studio file.
    QStringList load(const QString &path);
    void save(const QString &path);

    // User edits: each pushes one undo command, or refuses the edit (graph unchanged), emits
    // editRefused(message) and returns false.
    std::optional<LayerId> addLayer(LayerId source, int neurons,
                                    std::optional<QPointF> position = {});
    bool removeLayers(const std::vector<LayerId> &ids);
    bool renameLayer(LayerId id, const QString &name);
    bool resizeLayer(LayerId id, int neurons);
    bool setNeuronParams(LayerId id, const NeuronParams &params);
    bool connectLayer(LayerId id, LayerId source);
    // A layer always has one source, so disconnecting is refused with a message saying so.
    bool disconnectLayer(LayerId id);
    // Moves layer nodes; undo puts back the positions the graph had (possibly none).
    bool moveLayers(const std::map<LayerId, QPointF> &to);
    bool autoLayout();
    // `holder`: the editor that holds the edit lock, applying its own job's result.
    bool applyGraph(const Graph &graph, const QString &text, const QObject *holder = nullptr);

    // While a long job works on a copy of the graph (training, the Pipeline), every edit above is
    // refused with `reason` (editRefused), so the job's result cannot silently overwrite edits
    // made meanwhile; views show it (editLockChanged) and disable undo. Only `holder` (when given)
    // still applies its results (applyGraph). An empty reason allows editing again.
    void setEditLock(const QString &reason, const QObject *holder = nullptr);
    QString editLock() const { return m_editLock; }
    bool isEditLocked() const { return !m_editLock.isEmpty(); }

    // Used by undo commands.
    void insertLayer(const Layer &layer);
    void eraseLayer(LayerId id);
    void replaceLayers(const std::vector<Layer> &layers);
    void setLayerName(LayerId id, const QString &name);
    void setLayerNeuron(LayerId id, const NeuronParams &params);
    void setPositions(const std::map<LayerId, std::optional<QPointF>> &positions);
    void replaceGraph(const Graph &graph);
    // Puts the layers in this (topological) order, so undo restores the order exactly.
    void reorderLayers(const std::vector<LayerId> &order);

Q_SIGNALS:
    void layerAdded(snn::LayerId id);
    void layerRemoved(snn::LayerId id);
    void layerChanged(snn::LayerId id);
    void connectionChanged(snn::LayerId id); // the layer's source changed
    void layerMoved(snn::LayerId id);
    void graphReset();
    // After any change to the graph (following the specific signal above).
    void changed();
    // Once per command, redo or undo (and once per reset), after it is complete: what changed.
    void edited(snn::widgets::Document::Changes what);
    void filePathChanged(const QString &path);
    void modifiedChanged(bool modified);
    void editRefused(const QString &message);
    void editLockChanged(const QString &reason); // empty: editing allowed again

private:
    bool push(const std::function<QUndoCommand *()> &make, const QObject *holder = nullptr);
    void flushChanges();

    Changes m_pending;
    Graph m_graph;
    QString m_filePath;
    QString m_name;
    QString m_editLock;
    const QObject *m_lockHolder = nullptr;
    QUndoStack m_undo;
};

} // namespace snn::widgets

Q_DECLARE_OPERATORS_FOR_FLAGS(snn::widgets::Document::Changes)
