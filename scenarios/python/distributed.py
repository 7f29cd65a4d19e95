#!/usr/bin/env python3
"""distributed.py - a master and workers over a network queue (BaseManager).

The Python program behind lockstep's `distributed` lesson (tutorial 000's
分布式进程): the master puts a task queue and a result queue behind a
BaseManager listening on TCP with authkey b'abc', puts 10 random numbers and
gets 10 results; workers connect with the key, take tasks, compute n * n and
put the results.  Here master and workers run in one program, as processes.
key_ok=0 gives the last worker a wrong key (AuthenticationError); kill=1
makes the first worker SIGKILL itself in its first task, which is lost unless
requeue=1 (the master puts a dead worker's task back: it sees the process
die, and the manager's `doing` dict says what it held).

Usage: python3 distributed.py [NAME=VALUE ...]    e.g. workers=3 kill=1
The last line printed is the outcome as one JSON object.

Lines ending in an @op:NAME comment do the shared operations the C lesson
probes (NAME is the C engine's name for the operation).
"""
import os
import sys

# This folder also holds queue.py (the queue lesson); run from here, it would
# stand in for the standard queue module that multiprocessing's Manager needs.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != _here]

import json  # noqa: E402
import multiprocessing  # noqa: E402
import queue  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402
from multiprocessing.managers import BaseManager, DictProxy  # noqa: E402
from typing import NamedTuple, Optional, Tuple

# ---- the command line: NAME=VALUE words, as `lockstep run manager` takes ----

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


PARAMS = (
    Param("workers", 2, 1, 16, "worker processes that connect and take tasks"),
    Param("tasks", 10, 0, 100, "random numbers the master puts as tasks"),
    Param("delay_ms", 1000, 0, 60000, "time a worker takes for one task (time.sleep(1))"),
    Param("key_ok", 1, 0, 1, "0 gives the last worker a wrong authkey"),
    Param("kill", 0, 0, 1, "1 kills the first worker in the middle of its first task"),
    Param("requeue", 0, 0, 1, "1 puts a dead worker's task back in the queue"),
    Param("port", 0, 0, 65535, "TCP port to listen at (0: a free one)"),
    Param("listen", 0, 0, 1, "loopback (127.0.0.1) or all (0.0.0.0)", ("loopback", "all")),
    Param("seed", 1, 0, 1000000, "seeds the random numbers"),
)

PROG = os.path.basename(sys.argv[0] or "distributed.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--help]")
    print("Distributed processes: a master and workers over a BaseManager's network queues.")
    print("Prints what the actors say, then the outcome as one JSON line.\n")
    print("parameters:")
    for p in PARAMS:
        shown = p.choices[p.default] if p.choices else p.default
        accepted = "|".join(p.choices) if p.choices else f"{p.low}..{p.high}"
        print(f"  {p.name:<16} default {shown!s:<6} accepted {accepted:<12} {p.help}")


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
    by_name = {p.name: p for p in PARAMS}
    names = ", ".join(by_name)
    values = {p.name: p.default for p in PARAMS}
    for word in argv:
        if word in ("-h", "--help"):
            print_usage()
            sys.exit(0)
        if word.startswith("-"):
            usage_error(f"unknown option '{word}' (see {PROG} --help)")
        name, eq, text = word.partition("=")
        if not eq:
            usage_error(f"'{word}' is not name=value (it takes: {names})")
        if name not in by_name:
            usage_error(f"no parameter '{name}' (it takes: {names})")
        values[name] = parse_value(by_name[name], text)
    return values


# ---- the lesson ---------------------------------------------------------------

KEY = b"abc"
WRONG_KEY = b"abd"

task_queue = queue.Queue()
result_queue = queue.Queue()
doing = {}


class QueueManager(BaseManager):
    pass


def return_task_queue():
    return task_queue


def return_result_queue():
    return result_queue


def return_doing():
    return doing


QueueManager.register("get_task_queue", callable=return_task_queue)
QueueManager.register("get_result_queue", callable=return_result_queue)
QueueManager.register("get_doing", callable=return_doing, proxytype=DictProxy)


def main():
    p = parse_params(sys.argv[1:])
    started = time.monotonic()
    host = "0.0.0.0" if p["listen"] == 1 else "127.0.0.1"
    manager = QueueManager(address=(host, p["port"]), authkey=KEY)
    try:
        manager.start()  # @op:net_serve
    except OSError as e:
        print(f"{PROG}: cannot listen at {host}:{p['port']}: {e.strerror}", file=sys.stderr)  # @op:say
        sys.exit(2)
    # The manager's server answers every request in its own process.
    address = ("127.0.0.1", manager.address[1])
    task = manager.get_task_queue()
    result = manager.get_result_queue()
    busy = manager.get_doing()
    rng = random.Random(p["seed"])
    workers = []
    for i in range(p["workers"]):
        wrong = p["key_ok"] == 0 and i == p["workers"] - 1
        w = multiprocessing.Process(target=worker, name=f"W{i + 1}",
                                    args=(i, address, WRONG_KEY if wrong else KEY, p))
        w.start()
        workers.append(w)
    put = []
    for i in range(p["tasks"]):
        n = rng.randint(0, 1000)  # @op:local
        print(f"Put task {n}...", flush=True)  # @op:say
        task.put(n)  # @op:net_send
        put.append(n)
    print("Try get results...", flush=True)  # @op:say
    got, requeued, lost = [], 0, []
    wait_s = max(2.0, 10 * p["delay_ms"] / 1000)
    while len(got) < p["tasks"]:
        try:
            r = result.get(timeout=wait_s)  # @op:net_recv
        except queue.Empty:
            break
        print(f"Result: {r}", flush=True)  # @op:say
        got.append(int(r.split("=")[1]))
        # requeue=1: a worker that died holding a task has it put back.
        for w in workers:
            if w.exitcode == -signal.SIGKILL and w.name in busy.keys():
                n = busy.pop(w.name)
                if p["requeue"]:
                    print(f"{w.name} died holding task {n}: put back", flush=True)  # @op:say
                    task.put(n)
                    requeued += 1
                else:
                    print(f"{w.name} died holding task {n}: it is lost", flush=True)  # @op:say
                    lost.append(n)
        if p["requeue"] and len(got) + requeued < p["tasks"]:
            for w in workers:
                w.join(timeout=0)
    # A result that never came: look once more for a dead worker's task.
    for w in workers:
        if w.exitcode == -signal.SIGKILL and w.name in busy.keys():
            lost.append(busy.pop(w.name))
            print(f"{w.name} died holding task {lost[-1]}: "
                  f"{'put back' if p['requeue'] else 'it is lost'}", flush=True)
    if p["requeue"] and lost and len(got) < p["tasks"]:
        for n in lost:
            task.put(n)
            requeued += 1
        lost = []
        while len(got) < p["tasks"]:
            try:
                r = result.get(timeout=wait_s)
            except queue.Empty:
                break
            print(f"Result: {r}", flush=True)
            got.append(int(r.split("=")[1]))
    manager.shutdown()  # @op:net_close
    print("master end", flush=True)  # @op:say
    for w in workers:
        w.join()
    refused = sum(1 for w in workers if w.exitcode == 3)
    missing = sorted(set(n * n for n in put) - set(got))
    ok = len(got) == p["tasks"]
    if ok:
        summary = "every task's result came back over the network"
    else:
        summary = (f"{len(got)} of {p['tasks']} results came back; the master gave up "
                   f"waiting after {wait_s:g} s: a task died with its worker")
    outcome = {
        "scenario": "distributed",
        "params": p,
        "actors": {"kind": "processes", "count": len(workers) + 2,
                   "failed": sum(1 for w in workers if w.exitcode not in (0, 3))},
        "status": "finished",
        "verdict": {
            "ok": ok,
            "expected": f"{p['tasks']} results, each n*n of a task the master put",
            "observed": f"{len(got)} of {len(put)} results",
            "summary": summary,
        },
        "figures": {"tasks": len(put), "results": len(got), "lost": len(lost),
                    "missing": len(missing),
                    "requeued": requeued, "refused": refused, "port": manager.address[1]},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome), flush=True)


def worker(index, address, key, p):
    """The tutorial's task_worker.py: connect, take tasks, put n*n."""
    name = f"W{index + 1}"
    print(f"{name}: Connect to server {address[0]}...", flush=True)  # @op:say
    m = QueueManager(address=address, authkey=key)
    try:
        m.connect()  # @op:net_connect
    except ConnectionRefusedError:
        print(f"{name}: connection refused: nobody listens", flush=True)  # @op:say
        sys.exit(4)
    except multiprocessing.AuthenticationError:
        print(f"{name}: AuthenticationError: digest sent was rejected", flush=True)  # @op:say
        sys.exit(3)
    task = m.get_task_queue()
    result = m.get_result_queue()
    busy = m.get_doing()
    first = True
    try:
        for i in range(p["tasks"]):
            try:
                n = task.get(timeout=1)  # @op:local
            except queue.Empty:
                print(f"{name}: task queue is empty", flush=True)
                continue
            busy[name] = n
            print(f"{name}: Run task {n}*{n}...", flush=True)  # @op:say
            if p["kill"] and index == 0 and first:
                # Its connections close with it: the server sees them drop.
                os.kill(os.getpid(), signal.SIGKILL)  # @op:net_close
            first = False
            time.sleep(p["delay_ms"] / 1000)  # @op:sleep
            result.put(f"{n}*{n}={n * n}")
            busy.pop(name, None)
    except (EOFError, ConnectionError, BrokenPipeError):
        print(f"{name}: the manager is gone (EOFError): stop", flush=True)  # @op:say
    else:
        print(f"{name}: work done", flush=True)  # @op:say
    # The process ends here, and its connection to the manager closes.
    sys.stdout.flush()
    os._exit(0)  # @op:net_close


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
