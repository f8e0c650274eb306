#include "ResizeLayerCommand.h"

#include "Document.h"
#include "graph/GraphEdit.h"

#include <QCoreApplication>

namespace snn::widgets {

ResizeLayerCommand::ResizeLayerCommand(Document *document, LayerId id, int neurons)
    : LayerEditCommand(document, QString())
{
    Graph after = document->graph();
    setText(QCoreApplication::translate("commands", "Resize %1 to %2 neurons")
                .arg(after.layer(id).name)
                .arg(neurons));
    edit::resizeLayer(after, id, neurons);
    setEditedGraph(after);
}

} // namespace snn::widgets
