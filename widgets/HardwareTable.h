#pragma once

// The FPGA tab's figures: logic cells, EBR, SPRAM, fmax, bitstream and fit across, one row each
// for the estimate of the original graph and the synthesis of the original and the optimised
// graph, so that the three rows stay in view in a low dock.

#include "hw/IceFlow.h"
#include "hw/ResourceEstimator.h"

#include <QTableWidget>

namespace snn::widgets {

class HardwareTable : public QTableWidget {
    Q_OBJECT
public:
    // The figures (columns) and the sources (rows).
    enum Figure { Lc, Ebr, Spram, Fmax, Bitstream, Fit, FigureCount };
    enum Source { Estimate, Original, Optimised };

    explicit HardwareTable(QWidget *parent = nullptr);

    QString text(Figure figure, Source source) const;
    // Every figure of `source` back to "-".
    void reset(Source source);
    // A synthesis report in its row.
    void showReport(Source source, const hw::FlowReport &report);
    // The fit cell of `source` ("fits", "does not fit", "not supported") with why on hover.
    void showFit(Source source, const QString &text, const QString &toolTip);
    // The original graph's estimate: its figures and whether it fits.
    void showEstimate(const hw::FitCheck &fit);

private:
    QTableWidgetItem *cell(Figure figure, Source source) const;
};

} // namespace snn::widgets
