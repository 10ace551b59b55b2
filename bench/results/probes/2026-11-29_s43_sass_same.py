#!/usr/bin/env python3
"""Compares two `cuobjdump -sass` listings function by function: prints how many kernels have identical
SASS (instructions and their order, with the per-function offsets), which differ, and which exist in one only.
Usage: sass_same.py A.sass B.sass"""
import hashlib
import re
import sys


def functions(path):
    out, name, body = {}, None, []
    for line in open(path, errors="replace"):
        m = re.search(r"Function : (\S+)", line)
        if m:
            if name:
                out[name] = hashlib.md5("".join(body).encode()).hexdigest()
            name, body = m.group(1), []
        elif name and re.match(r"\s+/\*[0-9a-f]{4,}\*/", line):
            body.append(re.sub(r"\s+", " ", line.strip()) + "\n")
    if name:
        out[name] = hashlib.md5("".join(body).encode()).hexdigest()
    return out


a, b = functions(sys.argv[1]), functions(sys.argv[2])
same = [f for f in a if f in b and a[f] == b[f]]
diff = [f for f in a if f in b and a[f] != b[f]]
print(f"{len(a)} / {len(b)} functions; identical SASS: {len(same)}; different: {len(diff)}; "
      f"only in the first: {len(set(a) - set(b))}; only in the second: {len(set(b) - set(a))}")
for f in diff[:20]:
    print("  differs:", f)
