#pragma once

#include "LayerEditCommand.h"

namespace snn::widgets {

// Changes a layer's neuron count (edit::resizeLayer: new weights, consumers follow).
class ResizeLayerCommand : public LayerEditCommand {
public:
    ResizeLayerCommand(Document *document, LayerId id, int neurons);
};

} // namespace snn::widgets
