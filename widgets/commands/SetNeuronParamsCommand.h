#pragma once

#include "LayerValueCommand.h"

namespace snn::widgets {

// Changes a layer's neuron type and parameters: keeps the old and the new parameters. The
// constructor throws Error ("layer 'b': threshold must be ...", neuronParamsProblem) for
// parameters a layer cannot have, so a refused change is never pushed.
class SetNeuronParamsCommand : public LayerValueCommand<NeuronParams> {
public:
    SetNeuronParamsCommand(Document *document, LayerId id, const NeuronParams &params);

protected:
    void set(LayerId id, const NeuronParams &params) override;
};

} // namespace snn::widgets
