#include "RemoveLayersCommand.h"

#include "Document.h"
#include "graph/GraphEdit.h"

#include <QCoreApplication>

namespace snn::widgets {

RemoveLayersCommand::RemoveLayersCommand(Document *document, const std::vector<LayerId> &ids)
    : LayerEditCommand(document, QString())
{
    Graph after = document->graph();
    QStringList names;
    for (LayerId id : ids) {
        names << after.layer(id).name;
        edit::removeLayer(after, id);
    }
    setText(
        QCoreApplication::translate("commands", "Delete %1").arg(names.join(QStringLiteral(", "))));
    setEditedGraph(after);
}

} // namespace snn::widgets
