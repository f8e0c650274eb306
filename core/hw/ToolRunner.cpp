#include "hw/ToolRunner.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace snn::hw {

QString shellQuoted(const QString &word)
{
    static const QRegularExpression plain(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9_@%+=:,./-]+")));
    if (plain.match(word).hasMatch())
        return word;
    return QLatin1Char('\'') + QString(word).replace(QLatin1Char('\''), QStringLiteral("'\\''")) +
           QLatin1Char('\'');
}

QString shellCommand(const ToolStep &step)
{
    QStringList words{shellQuoted(step.program)};
    for (const QString &argument : step.arguments)
        words << shellQuoted(argument);
    return words.join(QLatin1Char(' '));
}

ToolRunner::ToolRunner(QObject *parent)
    : QObject(parent)
    , m_process(new QProcess(this))
{
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &ToolRunner::onReadyRead);
    connect(m_process, &QProcess::finished, this, &ToolRunner::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &ToolRunner::onError);
}

ToolRunner::~ToolRunner()
{
    if (m_process->state() != QProcess::NotRunning) {
        m_reported = true; // nobody is listening any more
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

void ToolRunner::start(const QString &program, const QStringList &arguments,
                       const QString &workingDirectory, const QString &package)
{
    if (isRunning())
        return;
    m_program = QFileInfo(program).fileName();
    m_package = package.isEmpty() ? m_program : package;
    m_log.clear();
    m_stopRequested = false;
    m_reported = false;
    const bool found = program.contains(QLatin1Char('/'))
                           ? QFileInfo(program).isExecutable()
                           : !QStandardPaths::findExecutable(program).isEmpty();
    if (!found) {
        m_reported = true;
        // Queued, so that a caller connecting after start() still hears it.
        const QString message =
            QStringLiteral("%1 is not installed (apt-get install %2)").arg(m_program, m_package);
        QTimer::singleShot(0, this, [this, message] { Q_EMIT failed(message); });
        return;
    }
    m_process->setWorkingDirectory(workingDirectory);
    m_process->start(program, arguments);
    Q_EMIT started(m_program);
}

void ToolRunner::stop()
{
    if (m_process->state() == QProcess::NotRunning)
        return;
    m_stopRequested = true;
    m_process->terminate();
    QTimer::singleShot(3000, m_process, [p = m_process] {
        if (p->state() != QProcess::NotRunning)
            p->kill();
    });
}

void ToolRunner::start(const ToolStep &step, const QString &workingDirectory)
{
    start(step.program, step.arguments, workingDirectory, step.package);
}

bool ToolRunner::isRunning() const
{
    return m_process->state() != QProcess::NotRunning;
}

QString ToolRunner::lastLines(int count) const
{
    QStringList lines;
    for (const QString &line : QString::fromLocal8Bit(m_log).split(QLatin1Char('\n')))
        if (!line.trimmed().isEmpty())
            lines << line.trimmed();
    if (lines.size() > count)
        lines = lines.mid(lines.size() - count);
    return lines.join(QStringLiteral(" | "));
}

void ToolRunner::onReadyRead()
{
    const QByteArray data = m_process->readAllStandardOutput();
    m_log += data;
    Q_EMIT output(QString::fromLocal8Bit(data));
}

void ToolRunner::onFinished(int exitCode, QProcess::ExitStatus status)
{
    onReadyRead();
    if (m_reported)
        return;
    m_reported = true;
    if (m_stopRequested) {
        Q_EMIT stopped();
    } else if (status != QProcess::NormalExit) {
        Q_EMIT failed(QStringLiteral("%1 crashed: %2").arg(m_program, lastLines()));
    } else if (exitCode != 0) {
        Q_EMIT failed(QStringLiteral("%1 failed (exit %2): %3")
                          .arg(m_program)
                          .arg(exitCode)
                          .arg(lastLines()));
    } else {
        Q_EMIT finished();
    }
}

void ToolRunner::onError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart || m_reported)
        return;
    m_reported = true;
    Q_EMIT failed(QStringLiteral("cannot start %1 (%2); install it with apt-get install %3")
                      .arg(m_program, m_process->errorString(), m_package));
}

QByteArray runToolBlocking(const QString &program, const QStringList &arguments,
                           const QString &workingDirectory, const QString &package,
                           const RunControl &control)
{
    ToolRunner runner;
    runToEnd(
        runner, [&] { runner.start(program, arguments, workingDirectory, package); },
        control.cancelRequested);
    return runner.log();
}

QByteArray runToolBlocking(const ToolStep &step, const QString &workingDirectory,
                           const RunControl &control)
{
    return runToolBlocking(step.program, step.arguments, workingDirectory, step.package, control);
}

std::vector<QByteArray> runToolsBlocking(const std::vector<ToolStep> &steps,
                                         const QString &workingDirectory, const RunControl &control)
{
    std::vector<std::unique_ptr<ToolRunner>> runners;
    QEventLoop loop;
    std::size_t ended = 0;
    QString failure;
    bool wasStopped = false;
    auto stopAll = [&runners] {
        for (const auto &runner : runners)
            runner->stop();
    };
    auto end = [&] {
        if (++ended == runners.size())
            loop.quit();
    };
    for (std::size_t i = 0; i < steps.size(); ++i) {
        runners.push_back(std::make_unique<ToolRunner>());
        ToolRunner *runner = runners.back().get();
        QObject::connect(runner, &ToolRunner::finished, &loop, end);
        QObject::connect(runner, &ToolRunner::stopped, &loop, [&] {
            wasStopped = wasStopped || failure.isEmpty();
            end();
        });
        QObject::connect(runner, &ToolRunner::failed, &loop, [&](const QString &message) {
            if (failure.isEmpty() && !wasStopped) {
                failure = message;
                stopAll();
            }
            end();
        });
    }
    QTimer poll;
    if (control.cancelRequested) {
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (control.cancelRequested()) {
                wasStopped = wasStopped || failure.isEmpty();
                stopAll();
            }
        });
        poll.start(100);
    }
    for (std::size_t i = 0; i < steps.size(); ++i)
        runners[i]->start(steps[i], workingDirectory);
    if (!steps.empty())
        loop.exec();
    if (!failure.isEmpty())
        throw Error(failure);
    if (wasStopped)
        throw Cancelled();
    std::vector<QByteArray> outputs;
    for (const auto &runner : runners)
        outputs.push_back(runner->log());
    return outputs;
}

} // namespace snn::hw
