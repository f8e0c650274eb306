#!/usr/bin/env python3
"""Checks the source layout the developers' guide asks for, and prints what it saw.

- core/: at most 3 source files at its root; the include graph between core's folders (one line
  per folder: the folders it includes) has no cycle, so includes only point down.
- core/, widgets/, app/, python/: no C++ file over 800 lines and no function over 120 lines.

Exit status 0 when every rule holds, 1 otherwise (each breach printed on its own line).
Usage: scripts/check_layout.py [source root]   (default: the repository this script is in)
"""
import os
import re
import sys

MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 120
MAX_CORE_ROOT_FILES = 3
CHECKED_TREES = ('core', 'widgets', 'app', 'python')
SOURCE_SUFFIXES = ('.h', '.cpp')

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(root, tree):
    for dirpath, _, files in os.walk(os.path.join(root, tree)):
        for name in sorted(files):
            if name.endswith(SOURCE_SUFFIXES):
                yield os.path.join(dirpath, name)


def folder_of(root, path):
    """core/<folder>/...: the folder directly under core/ (None for core's root)."""
    parts = os.path.relpath(path, os.path.join(root, 'core')).split(os.sep)
    return parts[0] if len(parts) > 1 else None


def include_graph(root):
    """{folder: {folders it includes}} over core's own headers."""
    core = os.path.join(root, 'core')
    graph = {}
    for path in sources(root, 'core'):
        source = folder_of(root, path)
        if source is None:
            continue
        targets = graph.setdefault(source, set())
        with open(path, encoding='utf-8') as f:
            for included in INCLUDE.findall(f.read()):
                if not os.path.exists(os.path.join(core, included)):
                    continue  # not one of core's headers
                target = included.split('/')[0] if '/' in included else None
                if target is not None and target != source:
                    targets.add(target)
    return graph


def find_cycle(graph):
    """One cycle as a list of folders, or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = 'open'
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 'open':
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 'done'
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def strip_code(text):
    """The text with comments, string and character literals blanked (lines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append('\n' * text.count('\n', i, j))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(')' + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + '\n' * text.count('\n', i, j))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


FUNCTION_HEAD = re.compile(r'\)\s*(const\s*)?(noexcept\s*)?(override\s*)?(final\s*)?(->[^{;]*)?$')
NOT_A_FUNCTION = re.compile(r'^\s*(if|for|while|switch|catch|else|do|return)\b|=\s*\[|\[[^\]]*\]\s*\(')


def long_functions(path):
    """(name line, length) of every function body over MAX_FUNCTION_LINES lines in the file.

    A body is a brace block whose opening follows a parameter list at namespace or class level
    (lambdas and control blocks count towards the function around them)."""
    text = strip_code(open(path, encoding='utf-8').read())
    lines = text.split('\n')
    found = []
    depth = 0
    # stack of (depth at open, start line, is function)
    stack = []
    function_depth = None
    pending = ''
    for number, line in enumerate(lines, 1):
        for pos, ch in enumerate(line):
            if ch == '{':
                head = (pending + line[:pos]).strip()
                is_function = (function_depth is None and FUNCTION_HEAD.search(head) is not None
                               and not NOT_A_FUNCTION.search(head.split('\n')[-1]))
                # a constructor's initialiser list: ") : m_a(a), m_b{b} {"
                if function_depth is None and not is_function and re.search(r'\)\s*$', head) and \
                        re.search(r'\)\s*(:|,)', head):
                    is_function = not NOT_A_FUNCTION.search(head)
                stack.append((depth, number, is_function))
                if is_function:
                    function_depth = depth
                depth += 1
                pending = ''
            elif ch == '}':
                depth -= 1
                if stack:
                    open_depth, start, is_function = stack.pop()
                    if is_function and function_depth == open_depth:
                        length = number - start + 1
                        if length > MAX_FUNCTION_LINES:
                            found.append((start, length))
                        function_depth = None
                pending = ''
            elif ch == ';' and function_depth is None:
                pending = ''
        if function_depth is None:
            pending += line + '\n'
            pending = '\n'.join(pending.split('\n')[-6:])
    return found


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), '..'))
    breaches = []

    root_files = [n for n in sorted(os.listdir(os.path.join(root, 'core')))
                  if n.endswith(SOURCE_SUFFIXES)]
    print(f'core/ root: {len(root_files)} source files' + (f' ({", ".join(root_files)})'
                                                            if root_files else ''))
    if len(root_files) > MAX_CORE_ROOT_FILES:
        breaches.append(f'core/ has {len(root_files)} source files at its root '
                        f'(at most {MAX_CORE_ROOT_FILES})')

    graph = include_graph(root)
    print('core folder includes:')
    for folder in sorted(graph):
        print(f'  {folder} -> {", ".join(sorted(graph[folder])) or "(nothing)"}')
    cycle = find_cycle(graph)
    if cycle:
        breaches.append('core folder include cycle: ' + ' -> '.join(cycle))

    for tree in CHECKED_TREES:
        for path in sources(root, tree):
            rel = os.path.relpath(path, root)
            with open(path, encoding='utf-8') as f:
                count = sum(1 for _ in f)
            if count > MAX_FILE_LINES:
                breaches.append(f'{rel}: {count} lines (at most {MAX_FILE_LINES})')
            for start, length in long_functions(path):
                breaches.append(f'{rel}:{start}: a function of {length} lines '
                                f'(at most {MAX_FUNCTION_LINES})')

    for breach in breaches:
        print('FAIL: ' + breach)
    print('layout: ' + ('ok' if not breaches else f'{len(breaches)} breaches'))
    return 1 if breaches else 0


if __name__ == '__main__':
    sys.exit(main())
