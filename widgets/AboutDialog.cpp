#include "AboutDialog.h"

#include "base/LibraryVersions.h"
#include "hw/ToolRunner.h"

#include <Eigen/Core>

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <algorithm>

namespace snn::widgets {

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
    , m_label(new QLabel(this))
{
    setWindowTitle(tr("About SNN Studio"));
    m_label->setTextFormat(Qt::PlainText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_label);
    layout->addWidget(buttons);
    // yosys -V: "Yosys 0.23 (git sha1 ...)"; nextpnr-ice40 --version: "nextpnr-ice40 -- Next
    // Generation Place and Route (Version ...)". The first line is the answer.
    const std::pair<QString, QStringList> tools[] = {
        {QStringLiteral("yosys"), {QStringLiteral("-V")}},
        {QStringLiteral("nextpnr-ice40"), {QStringLiteral("--version")}}};
    m_tools.resize(std::size(tools));
    for (std::size_t i = 0; i < m_tools.size(); ++i) {
        Tool &tool = m_tools[i];
        tool.program = tools[i].first;
        tool.runner = new hw::ToolRunner(this);
        const auto answered = [this, i](const QString &version) {
            m_tools[i].version = version;
            updateText();
            if (!isProbing())
                Q_EMIT toolsProbed();
        };
        connect(tool.runner, &hw::ToolRunner::finished, this, [this, i, answered] {
            const QStringList lines = QString::fromLocal8Bit(m_tools[i].runner->log())
                                          .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            answered(lines.isEmpty() ? tr("found (no version printed)") : lines.front().trimmed());
        });
        // Not on PATH: "not found"; there but failing: its one-line message.
        connect(tool.runner, &hw::ToolRunner::failed, this,
                [this, i, answered](const QString &message) {
                    answered(QStandardPaths::findExecutable(m_tools[i].program).isEmpty()
                                 ? tr("not found")
                                 : message);
                });
    }
    updateText();
    for (std::size_t i = 0; i < m_tools.size(); ++i)
        m_tools[i].runner->start(m_tools[i].program, tools[i].second);
}

AboutDialog::~AboutDialog() = default;

QStringList AboutDialog::libraryVersions()
{
    return {QStringLiteral("Qt %1").arg(QString::fromLatin1(qVersion())),
            QStringLiteral("HDF5 %1").arg(hdf5Version()),
            QStringLiteral("Eigen %1.%2.%3")
                .arg(EIGEN_WORLD_VERSION)
                .arg(EIGEN_MAJOR_VERSION)
                .arg(EIGEN_MINOR_VERSION),
            openblasVersion()};
}

bool AboutDialog::isProbing() const
{
    return std::any_of(m_tools.begin(), m_tools.end(),
                       [](const Tool &t) { return t.version.isEmpty(); });
}

QString AboutDialog::text() const
{
    return m_label->text();
}

void AboutDialog::updateText()
{
    QStringList lines{tr("SNN Studio %1").arg(QCoreApplication::applicationVersion()), QString(),
                      tr("Libraries:")};
    for (const QString &library : libraryVersions())
        lines << QStringLiteral("  ") + library;
    lines << QString() << tr("FPGA tools on PATH:");
    for (const Tool &tool : m_tools)
        lines << QStringLiteral("  %1: %2")
                     .arg(tool.program, tool.version.isEmpty() ? tr("asking...") : tool.version);
    m_label->setText(lines.join(QLatin1Char('\n')));
}

} // namespace snn::widgets
