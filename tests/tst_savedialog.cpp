#include "SaveDialog.h"
#include "TestUtils.h"
#include "base/Error.h"

#include <QApplication>
#include <QFileDialog>
#include <QTemporaryDir>
#include <QTimer>

using namespace snn;
using namespace snn::widgets;

class TestSaveDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void describesTheWrite();
    void dialogWritesOrCancels();
};

void TestSaveDialog::describesTheWrite()
{
    QStringList written;
    QCOMPARE(writeAndDescribe(QStringLiteral("/tmp/a.csv"),
                              [&](const QString &path) { written << path; }),
             QStringLiteral("Wrote /tmp/a.csv"));
    QCOMPARE(written, QStringList{QStringLiteral("/tmp/a.csv")});
    QCOMPARE(writeAndDescribe(QStringLiteral("/tmp/b.gif"),
                              [](const QString &path) {
                                  throw Error(QStringLiteral("cannot export '%1'").arg(path));
                              }),
             QStringLiteral("cannot export '/tmp/b.gif'"));
}

void TestSaveDialog::dialogWritesOrCancels()
{
    QTemporaryDir dir;
    const QString chosen = dir.filePath(QStringLiteral("out.csv"));
    QStringList written, reports;
    const auto write = [&](const QString &path) { written << path; };
    const auto report = [&](const QString &text) { reports << text; };
    // Answers the dialog that opens next: with the file, or cancels it.
    const auto answer = [&](bool accept) {
        QTimer::singleShot(0, [&, accept] {
            auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            if (accept) {
                dialog->selectFile(chosen);
                QMetaObject::invokeMethod(dialog, "accept");
            } else {
                dialog->reject();
            }
        });
    };
    answer(false);
    saveThroughDialog(nullptr, QStringLiteral("Export"), QStringLiteral("out.csv"),
                      QStringLiteral("CSV files (*.csv)"), write, report);
    QVERIFY(written.isEmpty());
    QVERIFY(reports.isEmpty());
    answer(true);
    saveThroughDialog(nullptr, QStringLiteral("Export"), QStringLiteral("out.csv"),
                      QStringLiteral("CSV files (*.csv)"), write, report);
    QCOMPARE(written, QStringList{chosen});
    QCOMPARE(reports, QStringList{QStringLiteral("Wrote %1").arg(chosen)});
}

SNN_WIDGET_TEST_MAIN(TestSaveDialog)
#include "tst_savedialog.moc"
