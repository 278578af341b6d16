#!/usr/bin/python3
"""Runs notebooks in the users' kernel, .NET Interactive's `.net-csharp`, through a real Jupyter client
(Debian's python3-nbclient), and checks what they leave behind.

Usage:
  environment/notebooks-in-dotnet-interactive.py [-p NAME=LITERAL ...] [-o DIR] [--compare DIR] NOTEBOOK...

Each notebook runs unchanged, in its own folder (so `#r "../out/..."` resolves as in the other hosts), with
the parameters given as a cell tagged `injected-parameters` right after the cell tagged `parameters`, as
`./fisherkit run -p` and papermill do (`var quick = true;`: LITERAL is a C# literal). The executed copy is
written to DIR (default out/notebooks-dotnet-interactive), under a temporary name first; the kernel's own
log beside it (NAME.ipynb.kernel.log).

Checks, each a line on stderr and exit code 1 when it fails:
  - every cell runs without an error (the notebooks' own checks are cells that throw);
  - every figure output carries its plotly JSON (application/vnd.plotly.v1+json);
  - with --compare DIR (the executed copies of `./fisherkit run`): cell by cell the same outputs, their plain
    text with every digit masked and runs of blanks as one, so that timings and float rounding in the last
    digits may differ but an output left in an intermediate state ("attacking ..." where the other host shows
    "all attacks done"), a missing or extra output, or another table shape is found. Figures compare by their
    traces; learning curves and the words "trained" / "loaded from the cache" are set aside, because the second
    host loads the weights and checkpoints the first one trained, and so is the engine's verdict on oneDNN (a
    fact about the CPU that can differ from process to process where oneDNN's fault is intermittent).
"""
import argparse
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = ".net-csharp"
PLOTLY = "application/vnd.plotly.v1+json"


def inject(nb, assignments):
    if not assignments:
        return
    source = "// Parameters injected by notebooks-in-dotnet-interactive.py (-p name=value).\n" + "".join(
        f"var {name} = {literal};\n" for name, literal in assignments)
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    where = next((i + 1 for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    cells.insert(where, cell)
    nb.cells = cells


def plain(output):
    """The plain text of an output; None where it has only rich forms (.NET Interactive shows tuples and lists
    of records as HTML trees only)."""
    if output.get("output_type") == "stream":
        return output.get("text", "")
    if output.get("output_type") == "error":
        return f"{output.get('ename')}: {output.get('evalue')}"
    text = output.get("data", {}).get("text/plain")
    return "".join(text) if isinstance(text, list) else text


# What .NET Interactive adds by itself and the other hosts do not: the script that finds its output cell, the
# list of packages a #r "nuget: ..." installed, the extensions it loaded from them, compiler warnings and notes.
HOST_NOISE_HTML = ("dotnet-interactive-this-cell", "<strong>Installed Packages</strong>")
HOST_NOISE_TEXT = re.compile(r"^Loading extensions from `")
HOST_NOISE_LINE = re.compile(r"^\s*(\(\d+,\d+\): )?(warning|info) CS\d+: .*$", re.MULTILINE)


# What depends on the state of the result cache rather than on the host: the second host finds trained weights
# and checkpoints that the first one wrote. A network trained here shows live learning curves (figures titled
# "...: epoch N, ...") where a network loaded from the cache shows its stored curves ("..., loaded from the
# cache: ..."), and says "trained ..." where the other says "loaded from ...". Those figures are left out on
# both sides, and these phrases read the same.
TRAINING_CURVE = re.compile(r"^Figure\(.*; \".*(: epoch \d+|loaded from the cache).*\"\)$", re.S)
CACHE_STATE = [
    (re.compile(r": loaded from (\S+)"), r": <trained or loaded> \1"),
    (re.compile(r": trained \([^)]*\); saved to (\S+)"), r": <trained or loaded> \1"),
    (re.compile(r"loaded from the cache|trained in \d+(\.\d+)? s"), "<trained or loaded>"),
]


# The engine's oneDNN check (FisherKit.TorchSharpAdditions.OneDnn) is a verdict about this CPU, not about the
# host, and on a CPU where oneDNN's fault is intermittent two processes can come to different verdicts.
ONEDNN_WARNING = re.compile(r"^FisherKit: oneDNN switched off: .*$", re.MULTILINE)
ONEDNN_VERDICT = re.compile(r"oneDNN (on|switched off)[^;\n]*")


def is_training_curve(output):
    text = plain(output)
    return PLOTLY in output.get("data", {}) and text is not None and TRAINING_CURVE.match(text) is not None


def is_host_noise(output):
    html = output.get("data", {}).get("text/html", "")
    html = "".join(html) if isinstance(html, list) else html
    text = plain(output)
    return (any(marker in html for marker in HOST_NOISE_HTML)
            or (text is not None and HOST_NOISE_TEXT.match(text) is not None))


def normalised(outputs):
    """The outputs of a cell as comparable items (kind, text): streams joined, host noise dropped, digits masked,
    trailing blanks dropped; text None where an output has no plain text."""
    items, stream = [], ""
    for o in outputs:
        if o.get("output_type") == "stream":
            stream += ONEDNN_WARNING.sub("", HOST_NOISE_LINE.sub("", o.get("text", "")))
            continue
        if is_host_noise(o) or is_training_curve(o):
            continue
        if stream.strip():
            items.append(("stream", stream))
        stream = ""
        if PLOTLY in o.get("data", {}):
            # A figure by its traces; its title may name how the network got its weights ("loaded from the cache").
            text = plain(o)
            items.append(("figure", None if text is None else text.split(";", 1)[0]))
        else:
            items.append(("display", plain(o)))
    if stream.strip():
        items.append(("stream", stream))
    mask, blanks = re.compile(r"\d+"), re.compile(r"[ \t]+")

    def clean(text):
        if text is None:
            return None
        text = ONEDNN_VERDICT.sub("<oneDNN verdict>", text)
        for pattern, replacement in CACHE_STATE:
            text = pattern.sub(replacement, text)
        # Digits masked, runs of blanks as one (a padded table column widens with a longer timing).
        return None if text is None else "\n".join(blanks.sub(" ", line).rstrip() for line in mask.sub("#", text).strip().splitlines())
    return [(kind, clean(text)) for kind, text in items]


def same(x, y):
    return x[0] == y[0] and (x[1] is None or y[1] is None or x[1] == y[1])


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"
            and "injected-parameters" not in c.get("metadata", {}).get("tags", [])]


def check(name, nb, reference):
    problems = []
    for index, cell in enumerate(code_cells(nb)):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                problems.append(f"{name}: code cell {index}: {o.get('ename')}: {o.get('evalue')}"[:2000])
            data = o.get("data", {})
            if "class=\"fisherkit-figure\"" in "".join(data.get("text/html", "")) and PLOTLY not in data:
                problems.append(f"{name}: code cell {index}: a figure without its plotly JSON")
    if reference is None:
        return problems
    ours, theirs = code_cells(nb), code_cells(reference)
    if len(ours) != len(theirs):
        return problems + [f"{name}: {len(ours)} code cells here, {len(theirs)} in the compared copy"]
    for index, (a, b) in enumerate(zip(ours, theirs)):
        na, nb_ = normalised(a.get("outputs", [])), normalised(b.get("outputs", []))
        if len(na) == len(nb_) and all(same(x, y) for x, y in zip(na, nb_)):
            continue
        if len(na) != len(nb_):
            problems.append(f"{name}: code cell {index}: {len(na)} outputs here ({[k for k, _ in na]}), "
                            f"{len(nb_)} in the compared copy ({[k for k, _ in nb_]})")
            continue
        for j, (x, y) in enumerate(zip(na, nb_)):
            if not same(x, y):
                problems.append(f"{name}: code cell {index}, output {j}: here {x[0]} {(x[1] or '')[:300]!r}\n"
                                f"    compared copy: {y[0]} {(y[1] or '')[:300]!r}")
    return problems


def run(path, assignments, out_dir, timeout):
    nb = nbformat.read(path, as_version=4)
    inject(nb, assignments)
    folder = os.path.dirname(os.path.abspath(path))
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout, startup_timeout=180,
                            resources={"metadata": {"path": folder}})
    error = None
    os.makedirs(out_dir, exist_ok=True)
    # The kernel's own log (its web server, its compiler) goes to a file beside the executed copy.
    with open(os.path.join(out_dir, os.path.basename(path) + ".kernel.log"), "w") as log:
        try:
            client.execute(stdout=log, stderr=log)
        except CellExecutionError as e:
            error = str(e)[-3000:]
    target = os.path.join(out_dir, os.path.basename(path))
    temporary = target + f".tmp{os.getpid()}"
    nbformat.write(nb, temporary)
    os.replace(temporary, target)
    return nb, error


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("-p", dest="parameters", action="append", default=[], metavar="NAME=LITERAL")
    parser.add_argument("-o", dest="out", default="out/notebooks-dotnet-interactive")
    parser.add_argument("--compare", metavar="DIR")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds a cell may take")
    args = parser.parse_args()
    assignments = []
    for p in args.parameters:
        name, eq, literal = p.partition("=")
        if not eq or not name.isidentifier():
            parser.error(f"parameter '{p}' must look like name=literal")
        assignments.append((name, literal))
    failures = []
    for path in args.notebooks:
        name = os.path.basename(path)
        reference = None
        if args.compare:
            other = os.path.join(args.compare, name)
            if not os.path.exists(other):
                failures.append(f"{name}: no executed copy to compare with at {other}")
            else:
                reference = nbformat.read(other, as_version=4)
        started = time.monotonic()
        nb, error = run(path, assignments, args.out, args.timeout)
        problems = check(name, nb, reference)
        if error and not any("code cell" in p and "Error" in p for p in problems):
            problems.insert(0, f"{name}: {error}")
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        print(f"{KERNEL}: {name}: {status} in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        for p in problems:
            print("  " + p, file=sys.stderr, flush=True)
        failures += problems
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
