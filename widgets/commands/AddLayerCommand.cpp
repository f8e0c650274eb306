#include "AddLayerCommand.h"

#include "Document.h"
#include "graph/GraphEdit.h"

#include <QCoreApplication>

namespace snn::widgets {

AddLayerCommand::AddLayerCommand(Document *document, const Layer &layer)
    : LayerEditCommand(document, QString())
{
    setText(QCoreApplication::translate("commands", "Add layer %1").arg(layer.name));
    Graph after = document->graph();
    after.addLayer(layer);
    setEditedGraph(after);
}

} // namespace snn::widgets
