#!/usr/bin/python3
"""How long each notebook took, read from executed copies, for the README's notebook table.

Usage:
  environment/notebook-times.py [--quick DIR] [--full DIR] [--write README.md]

DIR holds executed copies written by `./fisherkit run` (its metadata has the run's duration and parameters):
--quick defaults to out/notebooks-quick (the test command's run), --full to out/notebooks (the main job's).
Prints a table; with --write, replaces the last two columns ("quick", "full") of the rows of the README's
notebook table whose first column names a notebook, and the line after the table that says where and when
the times were measured. A notebook without an executed copy keeps its cell; one that failed gives "failed".
"""
import argparse
import datetime
import json
import os
import platform
import re
import sys

ROW = re.compile(r"^\| `(?P<name>[0-9]{2}-[a-z0-9-]+)` \|(?P<what>.*)\|(?P<quick>[^|]*)\|(?P<full>[^|]*)\|\s*$")
MEASURED = re.compile(r"^Times measured by `environment/notebook-times.py`.*$", re.MULTILINE)


def duration(folder, name, quick):
    path = os.path.join(folder, name + ".ipynb")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        meta = json.load(f).get("metadata", {}).get("fisherkit", {})
    parameters = meta.get("parameters", {})
    if (parameters.get("quick") == "true") != quick:
        return None
    if meta.get("status") != "succeeded":
        return "failed", meta.get("end_time")
    return meta.get("duration_s"), meta.get("end_time")


def text(seconds):
    if seconds == "failed":
        return "failed"
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"


def cpu():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), platform.processor())
    except OSError:
        model = platform.processor() or platform.machine()
    return f"{model}, {os.cpu_count()} cores"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", default="out/notebooks-quick")
    parser.add_argument("--full", default="out/notebooks")
    parser.add_argument("--write", metavar="README")
    args = parser.parse_args()
    names = sorted({os.path.splitext(f)[0] for f in os.listdir("notebooks") if f.endswith(".ipynb")})
    times, dates = {}, []
    for name in names:
        q = duration(args.quick, name, quick=True)
        f = duration(args.full, name, quick=False)
        times[name] = (q[0] if q else None, f[0] if f else None)
        dates += [r[1] for r in (q, f) if r is not None and r[1]]
        print(f"{name:32s} quick {text(q[0]) if q else '–':>8s}   full {text(f[0]) if f else '–':>8s}")
    if not args.write:
        return 0
    with open(args.write, encoding="utf-8") as fh:
        readme = fh.read()
    lines, found = [], set()
    for line in readme.split("\n"):
        m = ROW.match(line)
        if m and m["name"] in times:
            found.add(m["name"])
            quick, full = times[m["name"]]
            q = f" {text(quick)} " if quick is not None else m["quick"]
            f = f" {text(full)} " if full is not None else m["full"]
            line = f"| `{m['name']}` |{m['what']}|{q}|{f}|"
        lines.append(line)
    missing = set(names) - found
    if missing:
        print(f"{args.write}: no table row for {', '.join(sorted(missing))}", file=sys.stderr)
        return 1
    when = max(dates)[:10] if dates else datetime.date.today().isoformat()
    note = f"Times measured by `environment/notebook-times.py` from executed copies of {when} on {cpu()}."
    result = "\n".join(lines)
    if MEASURED.search(result) is None:
        print(f"{args.write}: no line starting with 'Times measured by `environment/notebook-times.py`'", file=sys.stderr)
        return 1
    result = MEASURED.sub(note, result)
    temporary = args.write + f".tmp{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as fh:
        fh.write(result)
    os.replace(temporary, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
