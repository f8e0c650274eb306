#pragma once

// qcustomplot.h uses the `signals` and `foreach` keywords, which QT_NO_KEYWORDS switches off:
// include it through this header in widgets/.
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef slots
#undef signals
