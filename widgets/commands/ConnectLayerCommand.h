#pragma once

#include "LayerEditCommand.h"

namespace snn::widgets {

// Feeds a layer from another source (edit::setLayerSource: input columns resized).
class ConnectLayerCommand : public LayerEditCommand {
public:
    ConnectLayerCommand(Document *document, LayerId id, LayerId source);
};

} // namespace snn::widgets
