#include "PropertiesPanel.h"

#include "Document.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace snn::widgets {

PropertiesPanel::PropertiesPanel(QWidget *parent)
    : QWidget(parent)
    , m_heading(new QLabel(this))
    , m_form(new QWidget(this))
    , m_name(new QLineEdit(m_form))
    , m_neurons(new QSpinBox(m_form))
    , m_source(new QComboBox(m_form))
    , m_type(new QComboBox(m_form))
    , m_threshold(new QDoubleSpinBox(m_form))
    , m_beta(new QDoubleSpinBox(m_form))
    , m_reset(new QComboBox(m_form))
    , m_alpha(new QDoubleSpinBox(m_form))
    , m_firing(new QComboBox(m_form))
    , m_initial(new QDoubleSpinBox(m_form))
    , m_perNeuron(new QLabel(m_form))
    , m_spiking(new QCheckBox(tr("spiking"), m_form))
    , m_inputs(new QLabel(m_form))
    , m_params(new QLabel(m_form))
    , m_rates(new QLabel(m_form))
{
    m_heading->setWordWrap(true);
    m_neurons->setRange(0, 10'000'000);
    m_neurons->setKeyboardTracking(false);
    m_type->addItems(kNeuronTypeNames.names()); // the item index is the enum's value
    m_reset->addItems(kResetModeNames.names()); // likewise
    m_firing->addItems(kFiringNames.names());   // likewise
    for (QDoubleSpinBox *box : {m_threshold, m_beta, m_alpha, m_initial}) {
        box->setDecimals(4);
        box->setSingleStep(0.05);
        box->setKeyboardTracking(false);
    }
    m_threshold->setRange(0.0, 1e6);
    m_beta->setRange(0.0, 1.0);
    m_alpha->setRange(0.0, 1.0);
    m_alpha->setToolTip(tr("CubaLIF: the synaptic current's decay per step"));
    m_initial->setRange(-1e6, 1e6);
    m_initial->setToolTip(tr("The membrane at the first step of every sample"));
    m_perNeuron->setWordWrap(true);
    m_rates->setWordWrap(true);
    // A short text, so the editors fit beside a four-card chain at 1024 px.
    m_spiking->setToolTip(tr("Unchecked: a linear layer (no threshold, no spikes: its output is "
                             "the weighted sum)"));

    auto *form = new QFormLayout(m_form);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Neurons"), m_neurons);
    form->addRow(tr("Source"), m_source);
    form->addRow(tr("Inputs"), m_inputs);
    form->addRow(tr("Parameters"), m_params);
    form->addRow(tr("Neuron type"), m_type);
    form->addRow(tr("Threshold"), m_threshold);
    form->addRow(tr("Beta (decay)"), m_beta);
    form->addRow(tr("Alpha (synapse)"), m_alpha);
    form->addRow(tr("Reset"), m_reset);
    form->addRow(tr("Fires at"), m_firing);
    form->addRow(tr("Initial membrane"), m_initial);
    form->addRow(tr("Per neuron"), m_perNeuron);
    form->addRow(QString(), m_spiking);
    form->addRow(tr("Firing rates"), m_rates);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_form);
    layout->addStretch();

    connect(m_name, &QLineEdit::editingFinished, this, [this] {
        if (!m_updating && m_document && m_layer > 0 &&
            m_name->text() != m_document->graph().layer(m_layer).name &&
            !m_document->renameLayer(m_layer, m_name->text()))
            refresh();
    });
    connect(m_neurons, &QSpinBox::valueChanged, this, [this](int value) {
        if (!m_updating && m_document && m_layer > 0 && !m_document->resizeLayer(m_layer, value))
            refresh();
    });
    connect(m_source, &QComboBox::activated, this, [this] {
        if (!m_updating && m_document && m_layer > 0 &&
            !m_document->connectLayer(m_layer, m_source->currentData().toInt()))
            refresh();
    });
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating)
            return;
        if (NeuronType(m_type->currentIndex()) == NeuronType::IF) { // an IF neuron does not leak
            const QSignalBlocker block(m_beta);
            m_beta->setValue(1.0);
        }
        if (NeuronType(m_type->currentIndex()) != NeuronType::CubaLIF) { // no synaptic current
            const QSignalBlocker block(m_alpha);
            m_alpha->setValue(0.0);
        }
        applyNeuronParams();
    });
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &PropertiesPanel::applyNeuronParams);
    connect(m_beta, &QDoubleSpinBox::valueChanged, this, &PropertiesPanel::applyNeuronParams);
    connect(m_reset, &QComboBox::currentIndexChanged, this, &PropertiesPanel::applyNeuronParams);
    connect(m_alpha, &QDoubleSpinBox::valueChanged, this, &PropertiesPanel::applyNeuronParams);
    connect(m_firing, &QComboBox::currentIndexChanged, this, &PropertiesPanel::applyNeuronParams);
    connect(m_initial, &QDoubleSpinBox::valueChanged, this, &PropertiesPanel::applyNeuronParams);
    connect(m_spiking, &QCheckBox::toggled, this, &PropertiesPanel::applyNeuronParams);
    refresh();
}

QSize PropertiesPanel::minimumSizeHint() const
{
    const QSize hint = QWidget::minimumSizeHint();
    const QMargins margins = layout()->contentsMargins();
    return {std::max(hint.width(),
                     m_form->minimumSizeHint().width() + margins.left() + margins.right()),
            hint.height()};
}

void PropertiesPanel::setDocument(Document *document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    m_layer = -1;
    if (m_document) {
        connect(m_document, &Document::changed, this, [this] {
            if (m_layer > 0 && !m_document->graph().find(m_layer))
                m_layer = -1;
            refresh();
        });
        connect(m_document, &Document::editLockChanged, this, [this](const QString &reason) {
            m_form->setEnabled(reason.isEmpty());
            m_form->setToolTip(reason);
        });
    }
    m_form->setEnabled(!m_document || !m_document->isEditLocked());
    refresh();
}

void PropertiesPanel::setLayer(LayerId id)
{
    m_layer = id;
    refresh();
}

void PropertiesPanel::applyNeuronParams()
{
    if (m_updating || !m_document || m_layer <= 0)
        return;
    NeuronParams p = m_document->graph().layer(m_layer).neuron;
    // A value that differs between the neurons is not edited here (its box is disabled).
    const Layer &l = m_document->graph().layer(m_layer);
    p.type = NeuronType(m_type->currentIndex());
    if (l.perNeuron.threshold.size() == 0)
        p.threshold = float(m_threshold->value());
    if (l.perNeuron.beta.size() == 0)
        p.beta = float(m_beta->value());
    if (l.perNeuron.alpha.size() == 0)
        p.alpha = float(m_alpha->value());
    if (l.perNeuron.initial.size() == 0)
        p.initial = float(m_initial->value());
    p.reset = ResetMode(m_reset->currentIndex());
    p.firing = Firing(m_firing->currentIndex());
    if (!resetsToValue(p.reset))
        p.resetValue = 0.0f;
    p.spiking = m_spiking->isChecked();
    if (!m_document->setNeuronParams(m_layer, p))
        refresh();
}

void PropertiesPanel::refresh()
{
    m_updating = true;
    const Layer *layer = m_document && m_layer > 0 ? m_document->graph().find(m_layer) : nullptr;
    m_form->setVisible(layer != nullptr);
    const QLocale locale(QLocale::English);
    if (!layer) {
        if (m_document && m_layer == kNetworkInput)
            m_heading->setText(tr("<b>input</b>: the network's %1")
                                   .arg(countText(m_document->graph().inputSize(), "value")));
        else
            m_heading->setText(tr("Select a layer on the canvas to see and edit it."));
        m_updating = false;
        return;
    }
    const Graph &graph = m_document->graph();
    m_heading->setText(tr("<b>%1</b>%2")
                           .arg(layer->name.toHtmlEscaped(),
                                graph.isOutput(layer->id) ? tr(" (output layer)") : QString()));
    m_name->setText(layer->name);
    m_neurons->setValue(layer->neurons());
    m_source->clear();
    m_source->addItem(tr("input"), kNetworkInput);
    for (const Layer &l : graph.layers())
        if (l.id != layer->id)
            m_source->addItem(l.name, l.id);
    m_source->setCurrentIndex(m_source->findData(layer->source));
    m_inputs->setText(locale.toString(layer->inputs()));
    m_params->setText(locale.toString(qint64(layer->paramCount())));
    m_type->setCurrentIndex(int(layer->neuron.type));
    m_threshold->setValue(double(layer->neuron.threshold));
    m_beta->setValue(double(layer->neuron.beta));
    m_alpha->setValue(double(layer->neuron.alpha));
    m_initial->setValue(double(layer->neuron.initial));
    m_reset->setCurrentIndex(int(layer->neuron.reset));
    m_firing->setCurrentIndex(int(layer->neuron.firing));
    const PerNeuron &per = layer->perNeuron;
    m_threshold->setEnabled(per.threshold.size() == 0);
    m_beta->setEnabled(per.beta.size() == 0);
    m_alpha->setEnabled(per.alpha.size() == 0 && layer->neuron.type == NeuronType::CubaLIF);
    m_initial->setEnabled(per.initial.size() == 0);
    m_perNeuron->setText(per.isEmpty() ? tr("none: one value per layer")
                                       : layer->neuronValuesText());
    m_spiking->setChecked(layer->neuron.spiking);
    if (layer->hasRates())
        m_rates->setText(tr("mean %1, max %2 spikes/step; %3 of %4 never fired")
                             .arg(double(layer->rates.mean()), 0, 'f', 4)
                             .arg(double(layer->rates.maxCoeff()), 0, 'f', 4)
                             .arg((layer->rates.array() == 0.0f).count())
                             .arg(layer->neurons()));
    else
        m_rates->setText(tr("not measured"));
    m_updating = false;
}

} // namespace snn::widgets
