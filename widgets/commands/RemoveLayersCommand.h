#pragma once

#include "LayerEditCommand.h"

namespace snn::widgets {

// Removes layers; their consumers are fed by their sources instead (edit::removeLayer).
class RemoveLayersCommand : public LayerEditCommand {
public:
    RemoveLayersCommand(Document *document, const std::vector<LayerId> &ids);
};

} // namespace snn::widgets
