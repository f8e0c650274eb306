#pragma once

#include "LayerEditCommand.h"

namespace snn::widgets {

// Adds a layer (built with edit::newLayer).
class AddLayerCommand : public LayerEditCommand {
public:
    AddLayerCommand(Document *document, const Layer &layer);
};

} // namespace snn::widgets
