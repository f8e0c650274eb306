#include "WorkspaceTabs.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace snn::widgets {

WorkspaceTabs::WorkspaceTabs(QWidget *parent)
    : QWidget(parent)
    , m_bar(new QHBoxLayout)
    , m_buttons(new QButtonGroup(this))
    , m_stack(new QStackedWidget(this))
{
    // Dark words on a light bar across the top (the width goes to the pages: a 1024 px screen
    // keeps a four-layer graph in view), the current page's button white with a blue edge:
    // readable at any scale, also for a screen reader or OCR.
    auto *bar = new QWidget(this);
    bar->setObjectName(QStringLiteral("modeBar"));
    bar->setAttribute(Qt::WA_StyledBackground);
    bar->setStyleSheet(QStringLiteral(
        "#modeBar { background: #dfe2e7; border-bottom: 1px solid #b8bcc4; }"
        "#modeBar QToolButton { border: none; border-bottom: 3px solid transparent;"
        " color: #1d1f23; padding: 5px 16px; font-weight: 600; }"
        "#modeBar QToolButton:hover { background: #eceef2; }"
        "#modeBar QToolButton:checked { background: white; border-bottom: 3px solid #2f6fd6; }"));
    m_bar->setContentsMargins(4, 0, 4, 0);
    m_bar->setSpacing(2);
    m_bar->addStretch(1);
    bar->setLayout(m_bar);
    m_buttons->setExclusive(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(m_stack, 1);
    connect(m_buttons, &QButtonGroup::idClicked, this, &WorkspaceTabs::setCurrentIndex);
}

int WorkspaceTabs::addPage(QWidget *page, const QString &title, const QString &toolTip)
{
    const int index = m_stack->addWidget(page);
    auto *button = new QToolButton(this);
    button->setText(title);
    button->setToolTip(toolTip);
    button->setCheckable(true);
    button->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    button->setObjectName(QStringLiteral("mode_") + page->objectName());
    m_buttons->addButton(button, index);
    m_bar->insertWidget(m_bar->count() - 1, button); // above the stretch
    if (index == 0)
        button->setChecked(true);
    return index;
}

int WorkspaceTabs::count() const
{
    return m_stack->count();
}

int WorkspaceTabs::currentIndex() const
{
    return m_stack->currentIndex();
}

QWidget *WorkspaceTabs::currentPage() const
{
    return m_stack->currentWidget();
}

QWidget *WorkspaceTabs::page(int index) const
{
    return m_stack->widget(index);
}

int WorkspaceTabs::indexOf(const QWidget *page) const
{
    return m_stack->indexOf(page);
}

QToolButton *WorkspaceTabs::button(int index) const
{
    return qobject_cast<QToolButton *>(m_buttons->button(index));
}

void WorkspaceTabs::setCurrentIndex(int index)
{
    const int from = m_stack->currentIndex();
    if (index < 0 || index >= m_stack->count())
        return;
    if (QToolButton *b = button(index); b && !b->isChecked())
        b->setChecked(true);
    if (index == from)
        return;
    Q_EMIT currentAboutToChange(from, index);
    m_stack->setCurrentIndex(index);
    Q_EMIT currentChanged(index);
}

} // namespace snn::widgets
