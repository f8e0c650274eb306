#pragma once

// One spiking layer of the trainer's float forward pass and its backward pass through time
// (train/Trainer.h): the dynamics of sim/Dynamics.h on [neurons x (T * batch)] matrices, column
// t * B + b being step t of sample b.

#include "graph/Layer.h"
#include "train/Trainer.h"

namespace snn::sim {

// The forward pass of spiking `layer` on its input currents (`current`, [n x T*B], or [n x B]
// for a constant input): its membranes before reset into `pre` and its spikes (or, with
// options.smoothSpikes, the smooth spike function S(x) = 0.5 + x / (1 + k|x|)) into `out`, both
// [n x T*B]; for the zero-next reset `update` receives beta v + I, the update a reset replaces
// (else it is emptied); `v` and `syn` (a CubaLIF's synaptic currents) are buffers.
void spikingForward(const Layer &layer, const Eigen::MatrixXf &current, bool constant, int T, int B,
                    const TrainOptions &options, Eigen::MatrixXf &pre, Eigen::MatrixXf &out,
                    Eigen::MatrixXf &update, Eigen::MatrixXf &v, Eigen::MatrixXf &syn);

// Back through time in a spiking layer of n neurons: from dO (the gradient of its output spikes)
// and dPre (of its membrane before reset; empty when none), the gradient of its input current at
// every step into dI [n x T*B], with the fast-sigmoid surrogate of options.surrogateSlope. `pre`,
// `out` and `update` are the layer's forward values; dNext is a buffer. A CubaLIF's synaptic
// current passes the gradient back in time through its decay alpha.
void spikingBackward(const Layer &layer, const Eigen::MatrixXf &pre, const Eigen::MatrixXf &out,
                     const Eigen::MatrixXf &update, const Eigen::MatrixXf &dO,
                     const Eigen::MatrixXf &dPre, const TrainOptions &options, int T, int B,
                     Eigen::MatrixXf &dNext, Eigen::MatrixXf &dI);

} // namespace snn::sim
