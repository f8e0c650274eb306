#include "HardwareTable.h"

#include <QDir>
#include <QHeaderView>

namespace snn::widgets {

HardwareTable::HardwareTable(QWidget *parent)
    : QTableWidget(3, FigureCount, parent)
{
    setVerticalHeaderLabels({tr("Estimate"), tr("Original"), tr("Optimised")});
    verticalHeaderItem(Estimate)->setToolTip(tr("Estimated for the original graph"));
    verticalHeaderItem(Original)->setToolTip(tr("Synthesised: the original graph"));
    verticalHeaderItem(Optimised)->setToolTip(tr("Synthesised: the optimised graph"));
    setHorizontalHeaderLabels(
        {tr("Logic cells"), tr("EBR"), tr("SPRAM"), tr("fmax"), tr("Bitstream"), tr("Fit")});
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    for (int f = 0; f < FigureCount; ++f)
        for (int s = Estimate; s <= Optimised; ++s)
            setItem(s, f, new QTableWidgetItem(QStringLiteral("-")));
    // Tall enough for all its rows.
    resizeRowsToContents();
    setMinimumHeight(horizontalHeader()->sizeHint().height() + verticalHeader()->length() +
                     2 * frameWidth());
}

QTableWidgetItem *HardwareTable::cell(Figure figure, Source source) const
{
    return item(source, figure);
}

QString HardwareTable::text(Figure figure, Source source) const
{
    return cell(figure, source)->text();
}

void HardwareTable::reset(Source source)
{
    for (int f = 0; f < FigureCount; ++f)
        cell(Figure(f), source)->setText(QStringLiteral("-"));
}

void HardwareTable::showReport(Source source, const hw::FlowReport &r)
{
    cell(Lc, source)
        ->setText(QStringLiteral("%1 / %2").arg(r.logicCells).arg(r.logicCellsAvailable));
    cell(Ebr, source)->setText(QStringLiteral("%1 / %2").arg(r.ebr).arg(r.ebrAvailable));
    cell(Spram, source)->setText(QStringLiteral("%1 / %2").arg(r.spram).arg(r.spramAvailable));
    cell(Fmax, source)
        ->setText(QStringLiteral("%1 MHz%2")
                      .arg(r.fmaxMHz, 0, 'f', 1)
                      .arg(r.timingMet() ? QString() : tr(" (below target)")));
    cell(Bitstream, source)
        ->setText(QStringLiteral("%1 KB").arg(double(r.bitstreamBytes) / 1024.0, 0, 'f', 1));
    cell(Bitstream, source)->setToolTip(QDir::toNativeSeparators(r.bitstream));
    cell(Fit, source)->setText(tr("fits"));
}

void HardwareTable::showFit(Source source, const QString &text, const QString &toolTip)
{
    cell(Fit, source)->setText(text);
    cell(Fit, source)->setToolTip(toolTip);
}

void HardwareTable::showEstimate(const hw::FitCheck &fit)
{
    cell(Lc, Estimate)->setText(QString::number(fit.estimate.logicCells));
    cell(Ebr, Estimate)->setText(QString::number(fit.estimate.ebrBlocks));
    cell(Spram, Estimate)->setText(QString::number(fit.estimate.spramBlocks));
    showFit(Estimate, fit.fits ? tr("fits") : tr("does not fit"), fit.message);
}

} // namespace snn::widgets
