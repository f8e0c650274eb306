#include "ConnectLayerCommand.h"

#include "Document.h"
#include "graph/GraphEdit.h"

#include <QCoreApplication>

namespace snn::widgets {

ConnectLayerCommand::ConnectLayerCommand(Document *document, LayerId id, LayerId source)
    : LayerEditCommand(document, QString())
{
    Graph after = document->graph();
    setText(QCoreApplication::translate("commands", "Connect %1 to %2")
                .arg(source == kNetworkInput ? QStringLiteral("input") : after.layer(source).name,
                     after.layer(id).name));
    edit::setLayerSource(after, id, source);
    setEditedGraph(after);
}

} // namespace snn::widgets
