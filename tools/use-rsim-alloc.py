#!/usr/bin/env python3
"""use-rsim-alloc.py - route the allocations of sim/ and models/ through
sim/core/alloc.h: every call malloc( calloc( realloc( strdup( becomes
rsim_malloc( ... and the file includes alloc.h (first in its block of
project includes). Idempotent; run from the repository root after
merging code that allocates directly.
"""
import glob
import re

CALL = re.compile(r'(?<![\w.>])(malloc|calloc|realloc|strdup)\(')


def add_include(text, inc):
    if inc in text:
        return text
    lines = text.split('\n')
    last_sys = max(i for i, l in enumerate(lines) if l.startswith('#include <'))
    for i in range(last_sys + 1, len(lines)):
        if lines[i].startswith('#include "'):
            lines.insert(i, inc)
            return '\n'.join(lines)
        if lines[i].strip():
            break
    lines[last_sys + 1:last_sys + 1] = ['', inc]
    return '\n'.join(lines)


for f in sorted(glob.glob('sim/*/*.c') + glob.glob('models/*.c')):
    if f == 'sim/core/alloc.c':
        continue
    text = open(f).read()
    new = CALL.sub(r'rs_\1(', text)
    if 'rs_' in new and re.search(r'\brs_(malloc|calloc|realloc|strdup)\(', new):
        new = add_include(new, '#include "alloc.h"' if f.startswith('sim/')
                          else '#include "../sim/alloc.h"')
    if new != text:
        open(f, 'w').write(new)
        print(f)
