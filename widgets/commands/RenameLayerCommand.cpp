#include "RenameLayerCommand.h"

#include "Document.h"
#include "graph/GraphEdit.h"

#include <QCoreApplication>

namespace snn::widgets {

RenameLayerCommand::RenameLayerCommand(Document *document, LayerId id, const QString &name)
    : LayerEditCommand(document, QString())
{
    Graph after = document->graph();
    setText(
        QCoreApplication::translate("commands", "Rename %1 to %2").arg(after.layer(id).name, name));
    edit::renameLayer(after, id, name);
    setEditedGraph(after);
}

} // namespace snn::widgets
