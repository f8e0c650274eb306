#pragma once

// One external tool run: a QObject that owns its QProcess, started with a program and an argument
// list (never a shell string). Its output is re-emitted line by line; a user's stop is remembered
// and reported as stopped(), not as a failure; a missing tool names the Debian package to install;
// a failing tool reports its last lines. Also the one way to wait for a tool (or a chain of them,
// IceFlow) to the end: runToEnd.

#include "base/Error.h"
#include "base/RunControl.h"

#include <QByteArray>
#include <QEventLoop>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace snn::hw {

// One command of a tool flow, run in the design's folder: what IceFlow and `snnc flash` run and
// what the exported build.sh and flash.sh say (shellCommand), from the same value.
struct ToolStep {
    QString name; // for the log and the steps list ("nextpnr")
    QString program;
    QStringList arguments;
    QString package; // the Debian package that installs `program`

    bool operator==(const ToolStep &) const = default;
};

// `word` as one sh word: unchanged when it holds only letters, digits and _ @ % + = : , . / -,
// else in single quotes (a ' inside written '\'').
QString shellQuoted(const QString &word);
// The step as one sh command line: the program and each argument shellQuoted, joined by spaces.
QString shellCommand(const ToolStep &step);

class ToolRunner : public QObject {
    Q_OBJECT
public:
    explicit ToolRunner(QObject *parent = nullptr);
    ~ToolRunner() override;

    // `package` is named in the message when the program is not installed.
    void start(const QString &program, const QStringList &arguments,
               const QString &workingDirectory = QString(), const QString &package = QString());
    void start(const ToolStep &step, const QString &workingDirectory);
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

// Runs `start` (which starts `job`: a ToolRunner, an IceFlow) and waits in a local event loop
// until the job emits finished, failed or stopped; stops the job when `cancelRequested` (polled
// every 100 ms, may be empty) says so. Throws Error with the failure's message, Cancelled when it
// stopped.
template <typename Job>
void runToEnd(Job &job, const std::function<void()> &start,
              const std::function<bool()> &cancelRequested)
{
    QEventLoop loop;
    QString failure;
    bool wasStopped = false;
    QObject::connect(&job, &Job::finished, &loop, &QEventLoop::quit);
    QObject::connect(&job, &Job::failed, &loop, [&](const QString &message) {
        failure = message;
        loop.quit();
    });
    QObject::connect(&job, &Job::stopped, &loop, [&] {
        wasStopped = true;
        loop.quit();
    });
    QTimer poll;
    if (cancelRequested) {
        QObject::connect(&poll, &QTimer::timeout, &job, [&] {
            if (cancelRequested())
                job.stop();
        });
        poll.start(100);
    }
    start();
    loop.exec();
    if (wasStopped)
        throw Cancelled();
    if (!failure.isEmpty())
        throw Error(failure);
}

// Runs a tool to the end (a ToolRunner through runToEnd) and returns its output. Throws Error
// when it is missing (naming `package`) or fails (with its last lines), Cancelled when `control`
// asks to stop.
QByteArray runToolBlocking(const QString &program, const QStringList &arguments,
                           const QString &workingDirectory, const QString &package,
                           const RunControl &control);
QByteArray runToolBlocking(const ToolStep &step, const QString &workingDirectory,
                           const RunControl &control);

// Runs the steps at the same time (each its own process, in one folder) and waits for all of
// them; returns their outputs in the order of `steps`. When one fails the others are stopped and
// its Error is thrown; Cancelled when `control` asks to stop (every running one is stopped).
std::vector<QByteArray> runToolsBlocking(const std::vector<ToolStep> &steps,
                                         const QString &workingDirectory,
                                         const RunControl &control);

} // namespace snn::hw
