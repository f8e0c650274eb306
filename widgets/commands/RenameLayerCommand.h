#pragma once

#include "LayerValueCommand.h"

#include <QString>

namespace snn::widgets {

// Renames a layer: keeps the old and the new name. The constructor throws Error for a name that
// breaks the name rule or is taken (edit::checkedName), so a refused rename is never pushed.
class RenameLayerCommand : public LayerValueCommand<QString> {
public:
    RenameLayerCommand(Document *document, LayerId id, const QString &name);

protected:
    void set(LayerId id, const QString &name) override;
};

} // namespace snn::widgets
