#!/usr/bin/env python3
"""fidelity.py - each lesson's Python program beside lockstep, same parameters.

For every scenario below: N runs of scenarios/python/NAME.py with python3 and
N runs of `lockstep run NAME --json`, interleaved (P L P L ...) so that the
machine's load falls on both alike, and one table row each: the lesson's
figure as min / median / max over the runs, and the runs whose verdict was a
failure (lost deposits, oversold tickets ...).  The load average is printed
before and after: other work on the machine moves the timing figures.

usage: fidelity.py LOCKSTEP PYDIR [N] [--markdown]
"""
import json
import os
import statistics
import subprocess
import sys

# name, parameters (both sides take the same), the figure the lesson is about.
CASES = [
    ("deposit", ["depositors=20", "delay_ms=5"], "balance"),
    ("deposit", ["depositors=20", "delay_ms=5", "locked=1"], "balance"),
    ("tickets", ["buyers=5", "read_delay_ms=20", "write_delay_ms=20"], "sold"),
    ("tickets", ["buyers=5", "read_delay_ms=20", "write_delay_ms=20", "lock=mutex"], "sold"),
    ("semaphore", ["threads=12", "hold_ms=30"], "max_holders"),
    ("traffic", ["cars=3", "cycles=2", "tick_ms=30", "green_ticks=2", "red_ticks=2"],
     "drives_on_red"),
    ("door", ["staff=3", "tick_ms=20", "gap_ms=20"], "passed_closed"),
    ("gil", ["workers=2", "work_ms=400"], "parallelism"),
    ("gil", ["workers=2", "work_ms=400", "--actors=processes"], "parallelism"),
    ("gil", ["workers=2", "work_ms=400", "gil=off"], "parallelism"),
    ("gil", ["workers=1", "work_ms=400", "--actors=processes"], "parallelism"),
    ("rlock", ["threads=3"], "num"),
    ("pipe", [], "to_parent"),
    ("manager", [], "count"),
    ("batch", [], "wall_ms"),
    ("batch", ["mode=sequential"], "wall_ms"),
    ("batch", ["collect=1"], "interleaved"),
]


def run(cmd):
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=120)
    except (subprocess.TimeoutExpired, OSError):
        return None, None
    for line in reversed(p.stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                j = json.loads(line)
            except ValueError:
                continue
            v = j.get("verdict", {}).get("ok")
            return j.get("figures", {}), v
    return None, None


def spread(xs):
    xs = [x for x in xs if isinstance(x, (int, float))]
    if not xs:
        return "-"
    fmt = (lambda v: f"{v:.2f}") if any(isinstance(x, float) for x in xs) else str
    return f"{fmt(min(xs))} / {fmt(statistics.median(xs))} / {fmt(max(xs))}"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    md = "--markdown" in sys.argv
    if len(args) < 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    lockstep, pydir = args[0], args[1]
    n = int(args[2]) if len(args) > 2 else 5
    known = subprocess.run([lockstep, "list"], capture_output=True, text=True).stdout
    names = [l.split()[0] for l in known.splitlines() if l.strip()]
    cases = list(CASES)
    for name in names:        # a lesson registered later still gets its row
        if not any(c[0] == name for c in cases):
            cases.append((name, [], None))
    load0 = os.getloadavg()
    head = ("scenario", "parameters", "figure", "python min/med/max", "lockstep min/med/max",
            "failed py", "failed ls")
    rows = []
    for name, params, figure in cases:
        if name not in names:
            continue
        py, ls, pyf, lsf = [], [], 0, 0
        for _ in range(n):
            f, ok = run(["python3", os.path.join(pydir, name + ".py")] + params)
            if f is not None:
                figure = figure or next(iter(f), None)
                py.append(f.get(figure))
                pyf += ok is False
            f, ok = run([lockstep, "run", name, "--json"] + params)
            if f is not None:
                figure = figure or next(iter(f), None)
                ls.append(f.get(figure))
                lsf += ok is False
        rows.append((name, " ".join(params) or "(defaults)", figure or "-", spread(py),
                     spread(ls), f"{pyf}/{len(py)}", f"{lsf}/{len(ls)}"))
        if not md:
            print("  ".join(rows[-1]), flush=True)
    load1 = os.getloadavg()
    print(f"\n{n} runs each side, interleaved; {os.cpu_count()} cores; load average "
          f"{load0[0]:.2f} before, {load1[0]:.2f} after\n")
    if md:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in rows:
            print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
