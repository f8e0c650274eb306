#include "AboutDialog.h"
#include "TestUtils.h"

#include <Eigen/Core>

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <hdf5.h>

extern "C" char *openblas_get_config(void); // OpenBLAS' cblas.h

using namespace snn::widgets;

class TestAboutDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void librariesAndToolsFound();
};

void TestAboutDialog::librariesAndToolsFound()
{
    // A yosys that answers and no nextpnr: PATH holds only a fake yosys.
    QTemporaryDir bin;
    snn::test::writeScript(
        bin.filePath(QStringLiteral("yosys")),
        "#!/bin/sh\n[ \"$1\" = -V ] && echo 'Yosys 0.99 (fake, for tst_aboutdialog)'\n");
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", QFile::encodeName(bin.path()));
    AboutDialog about;
    QSignalSpy probed(&about, &AboutDialog::toolsProbed);
    QVERIFY(about.isProbing());
    QVERIFY(about.text().contains(QStringLiteral("  yosys: asking...")));
    QVERIFY(probed.wait(10000));
    qputenv("PATH", path);
    QVERIFY(!about.isProbing());
    QVERIFY2(
        about.text().contains(QStringLiteral("  yosys: Yosys 0.99 (fake, for tst_aboutdialog)\n")),
        qPrintable(about.text()));
    QVERIFY(about.text().endsWith(QStringLiteral("  nextpnr-ice40: not found")));

    // The libraries' versions, from the libraries themselves.
    unsigned major = 0, minor = 0, release = 0;
    H5get_libversion(&major, &minor, &release);
    const QStringList libraries = AboutDialog::libraryVersions();
    QCOMPARE(libraries.size(), 4);
    QCOMPARE(libraries[0], QStringLiteral("Qt %1").arg(QLatin1String(qVersion())));
    QCOMPARE(libraries[1], QStringLiteral("HDF5 %1.%2.%3").arg(major).arg(minor).arg(release));
    QCOMPARE(libraries[2], QStringLiteral("Eigen %1.%2.%3")
                               .arg(EIGEN_WORLD_VERSION)
                               .arg(EIGEN_MAJOR_VERSION)
                               .arg(EIGEN_MINOR_VERSION));
    QCOMPARE(libraries[3], QString::fromLatin1(openblas_get_config()).trimmed());
    QVERIFY(libraries[3].startsWith(QStringLiteral("OpenBLAS ")));
    for (const QString &library : libraries)
        QVERIFY(about.text().contains(QStringLiteral("  ") + library + QLatin1Char('\n')));
}

SNN_WIDGET_TEST_MAIN(TestAboutDialog)
#include "tst_aboutdialog.moc"
