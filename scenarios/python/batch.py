#!/usr/bin/env python3
"""batch.py - the batch host runner: one command on many hosts, a thread per
host; sequential against threaded, printed as it comes against collected.

The Python program behind lockstep's `batch` lesson (tutorial 004's
homework, batch_run -h h1,h2,h3 -cmd "df -h" with a threading.Thread per
host; tutorial 000's subprocess, a child given its input with
communicate()).  A host is a real program with its own latency instead of
an ssh connection: host hN is /bin/sh printing its name, sleeping N x
latency_ms and running df -h.  Each runner starts its host, reads its
output and reaps it.

  mode=threaded    every runner is started, then main joins them all: the
                   hosts wait together, the batch lasts about its slowest
  mode=sequential  main starts a runner and joins it before the next: the
                   batch lasts about the sum of the hosts' times
  collect=0        each runner prints a line the moment it reads it: with
                   threads the hosts' lines interleave
  collect=1        each runner keeps its host's output in a file of its own;
                   main prints them host by host after joining the runners

With communicate=1 main first gives `tr , '\\n'` the host list on its stdin
and reads back one host per line, as 000 feeds nslookup its commands.

Usage: python3 batch.py [NAME=VALUE ...] [--actors=threads|processes]
       e.g. python3 batch.py mode=sequential latency_ms=100
The last line printed is the outcome as one JSON object.

Lines ending in an @op:NAME comment do the operations the C lesson probes
(NAME is the C engine's name for the operation).
"""
import json
import multiprocessing
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
from subprocess import DEVNULL, PIPE, STDOUT, Popen
from typing import NamedTuple, Optional, Tuple


# ---- the command line: NAME=VALUE words, as `lockstep run batch` takes ------

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


SEQUENTIAL, THREADED = 0, 1

PARAMS = (
    Param("hosts", 3, 1, 16, "hosts the command runs on (h1, h2, ...), one runner each"),
    Param("latency_ms", 200, 0, 5000, "host hN answers N x this long after it starts"),
    Param("mode", THREADED, SEQUENTIAL, THREADED,
          "threaded: the runners go together; sequential: one after the other",
          ("sequential", "threaded")),
    Param("collect", 0, 0, 1,
          "1 keeps each host's output and prints it per host at the end; 0 prints lines "
          "as they come"),
    Param("communicate", 1, 0, 1,
          "1: main first gives tr the host list on its stdin and reads its answer"),
)
ACTORS = ("threads", "processes")

PROG = os.path.basename(sys.argv[0] or "batch.py")
WHOLE = re.compile(r"[+-]?[0-9]+")

# What a host runs: $0 is its name, $1 its latency in seconds.
HOST_SCRIPT = 'echo "$0"; sleep "$1"; exec df -h /'


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--actors=threads|processes] [--help]")
    print("The batch host runner: one command on many hosts, a thread per host.")
    print("Prints what the actors say, then the outcome as one JSON line.\n")
    print("parameters:")
    for p in PARAMS:
        shown = p.choices[p.default] if p.choices else p.default
        accepted = "|".join(p.choices) if p.choices else f"{p.low}..{p.high}"
        print(f"  {p.name:<16} default {shown!s:<6} accepted {accepted:<12} {p.help}")
    print("\noptions:")
    print("  --actors=threads|processes   what the runners are (default: threads, as 004)")


def parse_value(p, text):
    if p.choices:
        if text in p.choices:
            return p.choices.index(text)
        # A choice may also be given by its index, as lockstep allows.
        if WHOLE.fullmatch(text) and 0 <= int(text) < len(p.choices):
            return int(text)
        usage_error(f"{p.name}={text} is not one of the choices "
                    f"(accepted: {'|'.join(p.choices)})")
    if not WHOLE.fullmatch(text):
        usage_error(f"{p.name}={text} is not a whole number (accepted: {p.low}..{p.high})")
    value = int(text)
    if not p.low <= value <= p.high:
        usage_error(f"{p.name}={text} is out of range (accepted: {p.low}..{p.high})")
    return value


def parse_params(argv):
    """The parameters, and what the runners are (--actors, as lockstep run)."""
    by_name = {p.name: p for p in PARAMS}
    names = ", ".join(by_name)
    values = {p.name: p.default for p in PARAMS}
    actors = "threads"
    for word in argv:
        if word in ("-h", "--help"):
            print_usage()
            sys.exit(0)
        if word.startswith("--actors="):
            actors = word[len("--actors="):]
            if actors not in ACTORS:
                usage_error(f"{word}: accepted: {', '.join(ACTORS)}")
            continue
        if word.startswith("-"):
            usage_error(f"unknown option '{word}' (see {PROG} --help)")
        name, eq, text = word.partition("=")
        if not eq:
            usage_error(f"'{word}' is not name=value (it takes: {names})")
        if name not in by_name:
            usage_error(f"no parameter '{name}' (it takes: {names})")
        values[name] = parse_value(by_name[name], text)
    return values, actors


# ---- the lesson -------------------------------------------------------------------

def say(log, lock, host, text):
    """Print one whole line; the log keeps whose it was, in printed order
    (host 0: main's own).  Whole lines only: the lesson is the order of the
    lines, not torn ones."""
    with lock:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        log.put(("line", host, text))


def run_host(k, p, log, lock, outdir):
    """Runner hK: start host hK, read its output, reap it."""
    host = f"h{k}"
    ms = p["latency_ms"] * k
    argv = ["/bin/sh", "-c", HOST_SCRIPT, host, f"{ms // 1000}.{ms % 1000:03d}"]
    t0 = time.monotonic()
    proc = Popen(argv, stdin=DEVNULL, stdout=PIPE, stderr=STDOUT)  # @op:spawn
    log.put(("spawn", k, t0))
    if not p["collect"]:
        # Print as it comes: each line the moment it is read.
        while True:
            raw = proc.stdout.readline()  # @op:proc_read
            if not raw:
                break
            say(log, lock, k, raw.decode(errors="replace").rstrip("\n"))  # @op:say
        proc.stdout.close()
        code = proc.wait()  # @op:proc_wait
    else:
        # Collect: all of it, then into this host's own file.
        out, _ = proc.communicate()  # @op:proc_wait
        code = proc.returncode
        with open(os.path.join(outdir, f"{host}.out"), "w", encoding="utf-8") as f:
            f.write(out.decode(errors="replace"))  # @op:file_write
    log.put(("reap", k, time.monotonic(), code))


def main():
    p, actors = parse_params(sys.argv[1:])
    started = time.monotonic()
    n = p["hosts"]
    hosts = [f"h{k}" for k in range(1, n + 1)]
    if actors == "processes":
        ctx = multiprocessing.get_context()
        log, lock, kind = ctx.SimpleQueue(), ctx.Lock(), ctx.Process
    else:
        log, lock, kind = queue.SimpleQueue(), threading.Lock(), threading.Thread
    outdir = tempfile.mkdtemp(prefix="batch-")
    try:
        told = None
        if p["communicate"]:
            # 000's subprocess: a child given its input, its output read back.
            tr = Popen(["tr", ",", "\n"], stdin=PIPE, stdout=PIPE, stderr=PIPE)  # @op:spawn
            output, _ = tr.communicate((",".join(hosts) + "\n").encode())  # @op:proc_wait
            told = (output, tr.returncode)
            say(log, lock, 0, f"tr gave back {output!r}, exit code {tr.returncode}")  # @op:say

        runners = [kind(target=run_host, args=(k, p, log, lock, outdir), name=f"h{k}")
                   for k in range(1, n + 1)]
        if p["mode"] == SEQUENTIAL:
            for t in runners:
                t.start()
                t.join()  # @op:join
        else:
            for t in runners:
                t.start()
        for t in runners:
            t.join()  # @op:join
        if p["collect"]:
            for k, host in enumerate(hosts, 1):
                with open(os.path.join(outdir, f"{host}.out"), encoding="utf-8") as f:
                    text = f.read()  # @op:file_read
                for line in text.splitlines():
                    say(log, lock, k, line)  # @op:say
    finally:
        shutil.rmtree(outdir, ignore_errors=True)

    events = []
    while not log.empty():
        events.append(log.get())
    outcome = judge(p, actors, events, told)
    outcome["elapsed_ms"] = round((time.monotonic() - started) * 1000, 3)
    print(json.dumps(outcome), flush=True)


def judge(p, actors, events, told):
    """The figures lockstep's verdict gives, from what the log kept."""
    n = p["hosts"]
    lines = [0] * (n + 1)
    closed = [False] * (n + 1)
    last, switches, split = 0, 0, None
    output = []
    for e in events:
        if e[0] != "line":
            continue
        host = e[1]
        output.append({"actor": f"h{host}" if host else "main", "text": e[2]})
        if not host:
            continue
        if last and last != host:
            switches += 1
            closed[last] = True
            if closed[host] and split is None:
                split = (host, last)
        last = host
        lines[host] += 1
    spawns = {e[1]: e[2] for e in events if e[0] == "spawn"}
    reaps = {e[1]: (e[2], e[3]) for e in events if e[0] == "reap"}
    times = {k: (reaps[k][0] - spawns[k]) * 1000 for k in reaps if k in spawns}
    marks = sorted([(t, 1) for t in spawns.values()] + [(r[0], -1) for r in reaps.values()])
    running = max_running = 0
    for _, d in marks:
        running += d
        max_running = max(max_running, running)
    wall = ((max(r[0] for r in reaps.values()) - min(spawns.values())) * 1000
            if reaps and spawns else 0.0)
    total = sum(times.values())
    longest = max(times.values(), default=0.0)
    failed = sum(1 for r in reaps.values() if r[1] != 0)
    want = ("\n".join(f"h{k}" for k in range(1, n + 1)) + "\n").encode()
    communicate_ok = bool(told and told[0] == want and told[1] == 0)
    listed = told[0].count(b"\n") if told else 0
    interleaved = split is not None
    ok = len(reaps) == n and not interleaved and (not p["communicate"] or communicate_ok)
    seq = p["mode"] == SEQUENTIAL
    if seq:
        how = (f"Sequential: the batch took {wall:.0f} ms, "
               f"{'about' if wall >= 0.8 * total else 'less than'} the sum of the hosts' "
               f"times ({total:.0f} ms): each host was reaped before the next started.")
    else:
        how = (f"Threaded: the batch took {wall:.0f} ms, "
               f"{'about' if wall <= 1.25 * longest + 20 else 'more than'} the slowest host "
               f"({longest:.0f} ms), not the sum ({total:.0f} ms): up to {max_running} hosts "
               "ran at once.")
    if interleaved:
        out = (f"The runners printed as they read and their lines interleaved: h{split[0]}'s "
               f"lines were split by h{split[1]}'s, so a line alone does not say its host.")
    elif p["collect"]:
        out = "Each host's output was collected and printed together, host by host."
    elif seq:
        out = "One host at a time, so each host's lines came out together."
    else:
        out = ("The lines came out host by host this time: no runner printed between "
               "another's lines.")
    params = dict(p)
    params["mode"] = PARAMS[2].choices[p["mode"]]
    return {
        "scenario": "batch",
        "params": params,
        "actors": {"kind": actors, "count": n + 1},
        "status": "finished",
        "verdict": {
            "ok": ok,
            "expected": ("every host's output together; the batch lasts about "
                         + ("the sum of the hosts' times" if seq else "its slowest host's time")),
            "observed": (f"{len(reaps)} of {n} hosts answered, "
                         + ("output interleaved" if interleaved else "output grouped per host")
                         + f"; batch {wall:.0f} ms, hosts {total:.0f} ms in all, slowest "
                         f"{longest:.0f} ms"),
            "summary": how + " " + out,
        },
        "figures": {
            "hosts": n,
            "answered": len(reaps),
            "lines": sum(lines),
            "interleaved": 1 if interleaved else 0,
            "switches": switches,
            "max_running": max_running,
            "wall_ms": round(wall, 3),
            "sum_ms": round(total, 3),
            "longest_ms": round(longest, 3),
            "failed": failed,
            "listed": listed,
            "communicate_ok": 1 if communicate_ok else 0,
        },
        "output": output,
    }


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # Ctrl-C: end quietly, with the status a shell expects.
        sys.exit(130)
