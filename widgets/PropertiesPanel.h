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

// Shows and edits the selected layer: name, neuron count, source, neuron type and parameters
// (alpha for CubaLIF only; a value that differs between the neurons, as imported, is shown as
// its range and not edited). Each change is one undo command on the document; a refused change
// puts the old value back.
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
    QDoubleSpinBox *alphaEdit() const { return m_alpha; }
    QComboBox *firingEdit() const { return m_firing; }
    QDoubleSpinBox *initialEdit() const { return m_initial; }
    QLabel *perNeuronLabel() const { return m_perNeuron; }
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
    QDoubleSpinBox *m_alpha;
    QComboBox *m_firing;
    QDoubleSpinBox *m_initial;
    QLabel *m_perNeuron;
    QCheckBox *m_spiking;
    QLabel *m_inputs;
    QLabel *m_params;
    QLabel *m_rates;
};

} // namespace snn::widgets
