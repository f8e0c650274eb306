#include "RenameLayerCommand.h"

#include "Document.h"
#include "graph/GraphEdit.h"

#include <QCoreApplication>

namespace snn::widgets {

RenameLayerCommand::RenameLayerCommand(Document *document, LayerId id, const QString &name)
    : LayerValueCommand(document, id, document->graph().layer(id).name,
                        edit::checkedName(document->graph(), id, name))
{
    setText(QCoreApplication::translate("commands", "Rename %1 to %2").arg(before(), after()));
}

void RenameLayerCommand::set(LayerId id, const QString &name)
{
    m_document->setLayerName(id, name);
}

} // namespace snn::widgets
