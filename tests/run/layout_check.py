#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks bhcfg's picture of a system (--layout-svg, --layout-text):

    layout_check.py LAYOUT.svg LAYOUT.txt NAME...

The SVG must parse as XML with an <svg> root, and both it and the text
table must name every partition NAME (and every channel given as
channel:NAME). Prints nothing and exits 0 when all holds; otherwise one
line per problem and exit status 1."""
import sys
import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"


def main(argv):
    if len(argv) < 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    svg, txt, names = argv[1], argv[2], argv[3:]
    problems = []
    try:
        root = ET.parse(svg).getroot()
    except (ET.ParseError, OSError) as e:
        print(f"{svg}: does not parse: {e}")
        return 1
    if root.tag != SVG_NS + "svg":
        problems.append(f"{svg}: root element is {root.tag}, not svg")
    words = " ".join("".join(t.itertext()) for t in root.iter(SVG_NS + "text"))
    try:
        with open(txt) as f:
            table = f.read()
    except OSError as e:
        problems.append(f"{txt}: {e}")
        table = ""
    for name in names:
        kind, _, bare = name.rpartition(":")
        want = f"channel {bare}" if kind == "channel" else f"partition {bare}"
        if want not in words:
            problems.append(f"{svg}: no text names {want}")
        want = f"{bare}:" if kind == "channel" else f"Partition {bare}"
        if want not in table:
            problems.append(f"{txt}: does not name {want}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
