#include "SetNeuronParamsCommand.h"

#include "Document.h"
#include "graph/GraphEdit.h"

#include <QCoreApplication>

namespace snn::widgets {

SetNeuronParamsCommand::SetNeuronParamsCommand(Document *document, LayerId id,
                                               const NeuronParams &params)
    : LayerEditCommand(document, QString())
{
    Graph after = document->graph();
    setText(
        QCoreApplication::translate("commands", "Change neurons of %1").arg(after.layer(id).name));
    after.layer(id).neuron = params;
    setEditedGraph(after);
}

} // namespace snn::widgets
