#pragma once

// One external tool run: a QObject that owns its QProcess, started with a program and an argument
// list (never a shell string). Its output is re-emitted line by line; a user's stop is remembered
// and reported as stopped(), not as a failure; a missing tool names the Debian package to install;
// a failing tool reports its last lines.

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QStringList>

namespace snn {
struct RunControl;
}

namespace snn::hw {

class ToolRunner : public QObject {
    Q_OBJECT
public:
    explicit ToolRunner(QObject *parent = nullptr);
    ~ToolRunner() override;

    // `package` is named in the message when the program is not installed.
    void start(const QString &program, const QStringList &arguments,
               const QString &workingDirectory = QString(), const QString &package = QString());
    // Terminates the tool (then kills it after a grace period); stopped() follows.
    void stop();
    bool isRunning() const;
    QString program() const { return m_program; }
    QByteArray log() const { return m_log; } // everything the tool printed, both channels
    // The last `count` non-empty lines of the log, joined with " | ".
    QString lastLines(int count = 6) const;

Q_SIGNALS:
    void started(const QString &program);
    void output(const QString &text);
    void finished(); // exit status 0
    void failed(const QString &message);
    void stopped();

private:
    void onReadyRead();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onError(QProcess::ProcessError error);

    QProcess *m_process = nullptr;
    QString m_program;
    QString m_package;
    QByteArray m_log;
    bool m_stopRequested = false;
    bool m_reported = false;
};

// Runs a tool to the end (through a ToolRunner in a local event loop) and returns its output.
// Throws Error when it is missing (naming `package`) or fails (with its last lines), Cancelled
// when `control` asks to stop.
QByteArray runToolBlocking(const QString &program, const QStringList &arguments,
                           const QString &workingDirectory, const QString &package,
                           const RunControl &control);

} // namespace snn::hw
