#pragma once

#include "LayerEditCommand.h"

namespace snn::widgets {

// Renames a layer.
class RenameLayerCommand : public LayerEditCommand {
public:
    RenameLayerCommand(Document *document, LayerId id, const QString &name);
};

} // namespace snn::widgets
