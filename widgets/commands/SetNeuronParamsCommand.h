#pragma once

#include "LayerEditCommand.h"

namespace snn::widgets {

// Changes a layer's neuron type and parameters.
class SetNeuronParamsCommand : public LayerEditCommand {
public:
    SetNeuronParamsCommand(Document *document, LayerId id, const NeuronParams &params);
};

} // namespace snn::widgets
