#include "TestUtils.h"
#include "base/Error.h"
#include "hw/ToolRunner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace snn::hw;

class TestToolRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void succeedsAndStreamsOutput();
    void failingToolReportsItsLastLines();
    void hangingToolStopsWithoutFailure();
    void missingToolNamesThePackage();
    void blockingRunThrowsOrStops();
    void parallelRunsKeepTheirOrder();
    void shellQuotingSurvivesSh();

private:
    QString script(const QString &name, const QByteArray &body);
    QTemporaryDir m_dir;
};

void TestToolRunner::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

QString TestToolRunner::script(const QString &name, const QByteArray &body)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return QString();
    f.write("#!/bin/sh\n" + body);
    f.close();
    f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
    return path;
}

void TestToolRunner::succeedsAndStreamsOutput()
{
    const QString tool =
        script(QStringLiteral("ok.sh"), "echo \"args: $1 $2\"\necho to-stderr >&2\nexit 0\n");
    ToolRunner runner;
    QSignalSpy started(&runner, &ToolRunner::started);
    QSignalSpy finished(&runner, &ToolRunner::finished);
    QSignalSpy failed(&runner, &ToolRunner::failed);
    runner.start(tool, {QStringLiteral("a b"), QStringLiteral("c;d")}, m_dir.path());
    QVERIFY(finished.wait(10000));
    QCOMPARE(started.size(), 1);
    QCOMPARE(failed.size(), 0);
    // Arguments arrive whole: no shell splits "a b" or runs "d".
    QVERIFY2(runner.log().contains("args: a b c;d"), runner.log().constData());
    QVERIFY(runner.log().contains("to-stderr"));
    QVERIFY(!runner.isRunning());
}

void TestToolRunner::failingToolReportsItsLastLines()
{
    QByteArray body;
    for (int i = 1; i <= 20; ++i)
        body += "echo line" + QByteArray::number(i) + "\n";
    body += "echo 'ERROR: no such cell' >&2\nexit 3\n";
    const QString tool = script(QStringLiteral("fail.sh"), body);
    ToolRunner runner;
    QSignalSpy finished(&runner, &ToolRunner::finished);
    QSignalSpy failed(&runner, &ToolRunner::failed);
    runner.start(tool, {}, m_dir.path(), QStringLiteral("fake-package"));
    QVERIFY(failed.wait(10000));
    QCOMPARE(finished.size(), 0);
    const QString message = failed.front().front().toString();
    QVERIFY2(message.startsWith(QStringLiteral("fail.sh failed (exit 3): ")), qPrintable(message));
    QVERIFY2(message.endsWith(QStringLiteral("line20 | ERROR: no such cell")), qPrintable(message));
    QVERIFY(!message.contains(QStringLiteral("line10 ")));
}

void TestToolRunner::hangingToolStopsWithoutFailure()
{
    const QString tool = script(QStringLiteral("hang.sh"), "echo waiting\nexec sleep 60\n");
    ToolRunner runner;
    QSignalSpy output(&runner, &ToolRunner::output);
    QSignalSpy failed(&runner, &ToolRunner::failed);
    QSignalSpy stopped(&runner, &ToolRunner::stopped);
    QSignalSpy finished(&runner, &ToolRunner::finished);
    runner.start(tool, {}, m_dir.path());
    QVERIFY(output.wait(10000)); // it is running and said "waiting"
    QVERIFY(runner.isRunning());
    QElapsedTimer clock;
    clock.start();
    runner.stop();
    QVERIFY(stopped.wait(10000));
    QVERIFY(clock.elapsed() < 5000);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(finished.size(), 0);
    QVERIFY(!runner.isRunning());
}

void TestToolRunner::missingToolNamesThePackage()
{
    ToolRunner runner;
    QSignalSpy failed(&runner, &ToolRunner::failed);
    QSignalSpy started(&runner, &ToolRunner::started);
    runner.start(QStringLiteral("snn-no-such-tool-xyz"), {}, QString(), QStringLiteral("yosys"));
    QVERIFY(failed.wait(5000));
    QCOMPARE(started.size(), 0);
    QCOMPARE(failed.front().front().toString(),
             QStringLiteral("snn-no-such-tool-xyz is not installed (apt-get install yosys)"));
}

void TestToolRunner::blockingRunThrowsOrStops()
{
    const QString ok = script(QStringLiteral("echo.sh"), "echo \"$1\"\n");
    QCOMPARE(runToolBlocking({QStringLiteral("echo"), ok, {QStringLiteral("a b")}, QString()},
                             m_dir.path(), {}),
             QByteArray("a b\n"));
    const QString fail = script(QStringLiteral("fail2.sh"), "echo broken\nexit 2\n");
    try {
        runToolBlocking(fail, {}, m_dir.path(), QString(), {});
        QFAIL("a failing tool passed");
    } catch (const snn::Error &e) {
        QCOMPARE(e.message(), QStringLiteral("fail2.sh failed (exit 2): broken"));
    }
    // Asked to stop: the hanging tool is stopped within the poll and the grace period.
    const QString hang = script(QStringLiteral("hang2.sh"), "exec sleep 60\n");
    snn::RunControl control;
    control.cancelRequested = [] { return true; };
    QElapsedTimer clock;
    clock.start();
    QVERIFY_THROWS_EXCEPTION(snn::Cancelled,
                             runToolBlocking(hang, {}, m_dir.path(), QString(), control));
    QVERIFY(clock.elapsed() < 5000);
}

void TestToolRunner::parallelRunsKeepTheirOrder()
{
    // Both at once (each sleeps 1 s: together well under 2 s), outputs in the steps' order.
    const QString slow = script(QStringLiteral("slow.sh"), "sleep 1\necho \"$1\"\n");
    const ToolStep first{QStringLiteral("a"), slow, {QStringLiteral("first")}, QString()};
    const ToolStep second{QStringLiteral("b"), slow, {QStringLiteral("second")}, QString()};
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(runToolsBlocking({first, second}, m_dir.path(), {}),
             (std::vector<QByteArray>{"first\n", "second\n"}));
    QVERIFY2(clock.elapsed() < 1900, qPrintable(QString::number(clock.elapsed())));
    // One fails: its error, and the other (hanging) is stopped.
    const QString hang = script(QStringLiteral("hang3.sh"), "exec sleep 60\n");
    const QString fail = script(QStringLiteral("fail3.sh"), "sleep 0.2\necho broken\nexit 4\n");
    clock.restart();
    try {
        runToolsBlocking({{QStringLiteral("h"), hang, {}, QString()},
                          {QStringLiteral("f"), fail, {}, QString()}},
                         m_dir.path(), {});
        QFAIL("a failing tool passed");
    } catch (const snn::Error &e) {
        QCOMPARE(e.message(), QStringLiteral("fail3.sh failed (exit 4): broken"));
    }
    QVERIFY(clock.elapsed() < 5000);
    // Asked to stop: every one is stopped.
    snn::RunControl control;
    control.cancelRequested = [] { return true; };
    clock.restart();
    QVERIFY_THROWS_EXCEPTION(snn::Cancelled,
                             runToolsBlocking({{QStringLiteral("h"), hang, {}, QString()},
                                               {QStringLiteral("h"), hang, {}, QString()}},
                                              m_dir.path(), control));
    QVERIFY(clock.elapsed() < 5000);
}

void TestToolRunner::shellQuotingSurvivesSh()
{
    // Each word, quoted for sh, reaches the program as it was: sh prints it back.
    const QStringList words{QStringLiteral("top.bin"),
                            QStringLiteral("--freq"),
                            QStringLiteral("29.25"),
                            QStringLiteral("synth_ice40 -top t; tee -q -o stat.txt stat"),
                            QStringLiteral("it's"),
                            QStringLiteral("$HOME `id` \"q\" \\ *"),
                            QStringLiteral("line\nbreak"),
                            QStringLiteral("")};
    QCOMPARE(shellQuoted(words[0]), words[0]);
    QCOMPARE(shellQuoted(words[4]), QStringLiteral("'it'\\''s'"));
    QCOMPARE(shellQuoted(words[6]), QStringLiteral("'line\nbreak'"));
    const ToolStep step{QStringLiteral("print"), QStringLiteral("printf"),
                        QStringList{QStringLiteral("[%s]")} + words, QString()};
    QProcess sh;
    sh.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), shellCommand(step)});
    QVERIFY(sh.waitForFinished(10000));
    QString expected;
    for (const QString &word : words)
        expected += QLatin1Char('[') + word + QLatin1Char(']');
    QCOMPARE(QString::fromUtf8(sh.readAllStandardOutput()), expected);
}

QTEST_GUILESS_MAIN(TestToolRunner)
#include "tst_toolrunner.moc"
