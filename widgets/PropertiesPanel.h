#pragma once

#include "graph/Layer.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace snn::widgets {

class Document;

// Shows and edits the selected layer: name, neuron count, source, neuron type and parameters.
// Each change is one undo command on the document; a refused change puts the old value back.
// While the document is locked (training), the editors are disabled with the reason as tooltip.
class PropertiesPanel : public QWidget {
    Q_OBJECT
public:
    explicit PropertiesPanel(QWidget *parent = nullptr);

    void setDocument(Document *document);
    LayerId layer() const { return m_layer; }
    // The editors' minimum, whether a layer is selected or not (the room a dock gives it).
    QSize minimumSizeHint() const override;

    // The editors, for tests and for the main window's focus handling.
    QLineEdit *nameEdit() const { return m_name; }
    QSpinBox *neuronsEdit() const { return m_neurons; }
    QComboBox *sourceEdit() const { return m_source; }
    QComboBox *typeEdit() const { return m_type; }
    QDoubleSpinBox *thresholdEdit() const { return m_threshold; }
    QDoubleSpinBox *betaEdit() const { return m_beta; }
    QComboBox *resetEdit() const { return m_reset; }
    QCheckBox *spikingEdit() const { return m_spiking; }

public Q_SLOTS:
    void setLayer(snn::LayerId id); // -1: nothing selected

private:
    void refresh();
    void applyNeuronParams();

    Document *m_document = nullptr;
    LayerId m_layer = -1;
    bool m_updating = false;
    QLabel *m_heading;
    QWidget *m_form;
    QLineEdit *m_name;
    QSpinBox *m_neurons;
    QComboBox *m_source;
    QComboBox *m_type;
    QDoubleSpinBox *m_threshold;
    QDoubleSpinBox *m_beta;
    QComboBox *m_reset;
    QCheckBox *m_spiking;
    QLabel *m_inputs;
    QLabel *m_params;
    QLabel *m_rates;
};

} // namespace snn::widgets
