#pragma once

// One pass each, as optimize() takes them: shared by the pass tests.

#include "opt/Optimizer.h"

#include <QStringList>

namespace snn::test {

inline const QStringList kDead{passes::kDeadNeuronElimination};
inline const QStringList kRedundancy{passes::kRedundancyElimination};
inline const QStringList kFusion{passes::kLayerFusion};

} // namespace snn::test
