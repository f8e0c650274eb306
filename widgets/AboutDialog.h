#pragma once

#include <QDialog>

#include <vector>

class QLabel;

namespace snn::hw {
class ToolRunner;
}

namespace snn::widgets {

// Help > About: the studio's version, the libraries it runs (Qt, HDF5, Eigen, OpenBLAS) and the
// FPGA tools on PATH (yosys, nextpnr-ice40). The tools are asked for their versions through
// hw::ToolRunner (a QProcess: the GUI thread never waits); a missing one says "not found".
class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);
    ~AboutDialog() override;

    // What the dialog says, as plain text (one line per library or tool).
    QString text() const;
    bool isProbing() const; // a tool has not answered yet
    // "Qt 6.4.2", "HDF5 1.10.8", "Eigen 3.4.0", "OpenBLAS 0.3.21 ...".
    static QStringList libraryVersions();

Q_SIGNALS:
    void toolsProbed(); // every tool answered (or was not found)

private:
    struct Tool {
        QString program;
        QString version; // empty while asking
        hw::ToolRunner *runner = nullptr;
    };
    void updateText();

    QLabel *m_label;
    std::vector<Tool> m_tools;
};

} // namespace snn::widgets
