#pragma once

#include <QWidget>

class QButtonGroup;
class QStackedWidget;
class QHBoxLayout;
class QToolButton;

namespace snn::widgets {

// The mode bar and its pages (Qt Creator's FancyTabWidget): a row of named buttons, one per
// page, above a stack that shows the page of the checked button. Each page takes the whole rest
// of the window (the studio's workspaces and its Get started page).
class WorkspaceTabs : public QWidget {
    Q_OBJECT
public:
    explicit WorkspaceTabs(QWidget *parent = nullptr);

    // Adds a page with its button (`title` in readable words; `toolTip` says what the page is
    // for). Returns its index. The first page added is shown.
    int addPage(QWidget *page, const QString &title, const QString &toolTip);
    int count() const;
    int currentIndex() const;
    QWidget *currentPage() const;
    QWidget *page(int index) const;
    int indexOf(const QWidget *page) const;
    QToolButton *button(int index) const;

public Q_SLOTS:
    void setCurrentIndex(int index);

Q_SIGNALS:
    void currentAboutToChange(int from, int to);
    void currentChanged(int index);

private:
    QHBoxLayout *m_bar;
    QButtonGroup *m_buttons;
    QStackedWidget *m_stack;
};

} // namespace snn::widgets
