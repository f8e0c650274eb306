"""scripts/check_layout.py on small trees made here: it must fail on what it is for (a folder
include cycle, too many files at core's root, a long file, a long function) and pass a clean tree."""
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(__file__), '..', '..', 'scripts', 'check_layout.py')


def write(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'w', encoding='utf-8') as f:
        f.write(text)


def run(root):
    p = subprocess.run([sys.executable, SCRIPT, root], capture_output=True, text=True)
    return p.returncode, p.stdout


def function(name, body_lines):
    return f'int {name}(int a)\n{{\n' + '    a += 1;\n' * body_lines + '    return a;\n}\n'


class CheckLayout(unittest.TestCase):
    def clean_tree(self, root):
        write(root, 'core/base/Error.h', '#pragma once\n')
        write(root, 'core/graph/Graph.h', '#pragma once\n#include "base/Error.h"\n')
        write(root, 'core/graph/Graph.cpp', '#include "graph/Graph.h"\n' + function('f', 100))
        write(root, 'widgets/View.cpp', '#include "graph/Graph.h"\n')

    def test_clean_tree_passes(self):
        with tempfile.TemporaryDirectory() as root:
            self.clean_tree(root)
            code, out = run(root)
            self.assertEqual(code, 0, out)
            self.assertIn('graph -> base', out)
            self.assertIn('layout: ok', out)

    def test_folder_cycle_fails(self):
        with tempfile.TemporaryDirectory() as root:
            self.clean_tree(root)
            write(root, 'core/base/Uses.h', '#pragma once\n#include "graph/Graph.h"\n')
            code, out = run(root)
            self.assertEqual(code, 1, out)
            self.assertIn('FAIL: core folder include cycle: base -> graph -> base', out)

    def test_root_files_fail(self):
        with tempfile.TemporaryDirectory() as root:
            self.clean_tree(root)
            for name in ('A.h', 'A.cpp', 'B.h', 'B.cpp'):
                write(root, 'core/' + name, '\n')
            code, out = run(root)
            self.assertEqual(code, 1, out)
            self.assertIn('core/ has 4 source files at its root (at most 3)', out)

    def test_long_file_and_function_fail(self):
        with tempfile.TemporaryDirectory() as root:
            self.clean_tree(root)
            write(root, 'app/Long.cpp', function('g', 130) + '\n' * 700)
            code, out = run(root)
            self.assertEqual(code, 1, out)
            self.assertIn('FAIL: app/Long.cpp: 834 lines (at most 800)', out)
            self.assertIn('FAIL: app/Long.cpp:2: a function of 133 lines (at most 120)', out)

    def test_lambdas_and_comments_count_towards_their_function(self):
        with tempfile.TemporaryDirectory() as root:
            self.clean_tree(root)
            body = '    auto l = [](int x) {\n' + '        x += 1; // } {\n' * 125 + '        return x;\n    };\n'
            write(root, 'python/Lambda.cpp', 'void h()\n{\n' + body + '    const char *s = "}";\n}\n')
            code, out = run(root)
            self.assertEqual(code, 1, out)
            self.assertIn('python/Lambda.cpp:2: a function of 131 lines', out)


if __name__ == '__main__':
    unittest.main()
