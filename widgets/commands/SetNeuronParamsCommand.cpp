#include "SetNeuronParamsCommand.h"

#include "Document.h"
#include "base/Error.h"

#include <QCoreApplication>

namespace snn::widgets {

namespace {

const NeuronParams &checked(const Layer &layer, const NeuronParams &params)
{
    if (const QString problem = neuronParamsProblem(params); !problem.isEmpty())
        throw Error(QStringLiteral("layer '%1': %2").arg(layer.name, problem));
    return params;
}

} // namespace

SetNeuronParamsCommand::SetNeuronParamsCommand(Document *document, LayerId id,
                                               const NeuronParams &params)
    : LayerValueCommand(document, id, document->graph().layer(id).neuron,
                        checked(document->graph().layer(id), params))
{
    setText(QCoreApplication::translate("commands", "Change neurons of %1")
                .arg(document->graph().layer(id).name));
}

void SetNeuronParamsCommand::set(LayerId id, const NeuronParams &params)
{
    m_document->setLayerNeuron(id, params);
}

} // namespace snn::widgets
