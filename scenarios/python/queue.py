#!/usr/bin/env python3
"""queue.py - producers and consumers over one queue, and how the consumers
learn that the work is over.

The Python program behind lockstep's `queue` lesson (tutorial 002's
producer/consumer programs with multiprocessing.Queue and JoinableQueue;
tutorial 004's queue.Queue, LifoQueue and PriorityQueue with threads).
Producers make their food (包子, 骨头, 泔水, ...) with random pauses and put
each item in the queue; consumers take items and eat them.  Main joins the
producers.  How the consumers learn the work is over is the variant:

  end=none      nothing tells them: once the queue is empty they wait in
                get() for ever (002's first program never ends);
  end=sentinel  main puts one None per consumer after joining the producers;
                a consumer stops at its None (sentinels=1 with two consumers
                leaves one waiting for ever);
  end=join      a JoinableQueue: consumers call task_done() after each item,
                each producer waits in q.join() until every item is done, and
                the consumers are daemons, cut off when main ends.

Items are ints as in the C lesson: producer k (1-based) makes k*100 + i, so
201 is P2's 骨头1.  A PriorityQueue cannot compare None with an int, so there
every entry is a tuple and the stop sign is (inf, n, None): it comes after
every item, as in lockstep.

Where the tutorial's program would hang, this one reports instead: once
every item put has been taken, a consumer that has not ended within its
longest pause plus a second is waiting in get() for ever.  It is counted in
the figures as stuck, the status is "deadlock" (as lockstep says), and the
stuck consumer is stopped so that the program ends.

Usage: python3 queue.py [NAME=VALUE ...] [--actors=processes|threads]
       e.g. python3 queue.py end=none pause_ms_min=10 pause_ms_max=50
The last line printed is the outcome as one JSON object.

Lines ending in an @op:NAME comment do the shared operations the C lesson
probes (NAME is the C engine's name for the operation).
"""

import os
import sys

# This file is called queue.py, after its lesson, and Python puts a script's
# folder first on sys.path: there it stands in for the standard library's
# queue module.  Run as a program, it takes its folder off sys.path before
# importing anything (multiprocessing imports queue).  Imported as `queue` by
# a script beside it (gil.py), it hands over the standard library's module:
# a module may replace itself in sys.modules while it is being imported.
_HERE = os.path.dirname(os.path.abspath(__file__))
_NOT_HERE = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]
if __name__ == "queue":
    import importlib
    _saved = sys.path[:]
    del sys.modules[__name__]
    sys.path[:] = _NOT_HERE
    try:
        sys.modules[__name__] = importlib.import_module("queue")
    finally:
        sys.path[:] = _saved
else:
    sys.path[:] = _NOT_HERE

import json  # noqa: E402
import math  # noqa: E402
import multiprocessing  # noqa: E402
import queue  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from multiprocessing.managers import BaseManager  # noqa: E402
from typing import NamedTuple, Optional, Tuple  # noqa: E402


# ---- the command line: NAME=VALUE words, as `lockstep run queue` takes ------

class Param(NamedTuple):
    name: str
    default: int
    low: int
    high: int
    help: str
    choices: Optional[Tuple[str, ...]] = None


END_NONE, END_SENTINEL, END_JOIN = 0, 1, 2
FIFO, LIFO, PRIORITY = 0, 1, 2

PARAMS = (
    Param("producers", 3, 1, 9, "processes putting items (包子, 骨头, 泔水, ...)"),
    Param("consumers", 2, 1, 9, "processes taking and eating items"),
    Param("items", 2, 0, 20, "items each producer makes"),
    Param("maxsize", 0, 0, 256, "Queue(maxsize): 0 unbounded, else put waits while full"),
    Param("pause_ms_min", 1000, 0, 60000, "shortest pause before making or after taking an item"),
    Param("pause_ms_max", 3000, 0, 60000, "longest such pause (random.randint(1, 3) s)"),
    Param("seed", 1, 0, 1000000, "seeds every actor's pauses"),
    Param("end", END_SENTINEL, END_NONE, END_JOIN,
          "how consumers learn the work is over: none, None sentinels, JoinableQueue",
          ("none", "sentinel", "join")),
    Param("sentinels", -1, -1, 20, "Nones main puts (end=sentinel); -1: one per consumer"),
    Param("order", FIFO, FIFO, PRIORITY, "queue.Queue, LifoQueue or PriorityQueue",
          ("fifo", "lifo", "priority")),
)
ACTORS = ("processes", "threads")

PROG = os.path.basename(sys.argv[0] or "queue.py")
WHOLE = re.compile(r"[+-]?[0-9]+")


def usage_error(message):
    """Bad input gets one line on stderr and exit status 2, nothing else."""
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(2)


def print_usage():
    print(f"usage: {PROG} [NAME=VALUE ...] [--actors=processes|threads] [--help]")
    print("Producers and consumers over one queue, and how the consumers learn it is over.")
    print("Prints what the actors say, then the outcome as one JSON line.\n")
    print("parameters:")
    for p in PARAMS:
        shown = p.choices[p.default] if p.choices else p.default
        accepted = "|".join(p.choices) if p.choices else f"{p.low}..{p.high}"
        print(f"  {p.name:<16} default {shown!s:<6} accepted {accepted:<12} {p.help}")
    print("\noptions:")
    print("  --actors=processes|threads   what the actors are (default: processes, as 002)")


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
    """The parameters, and what the actors are (--actors, as lockstep run)."""
    by_name = {p.name: p for p in PARAMS}
    names = ", ".join(by_name)
    values = {p.name: p.default for p in PARAMS}
    actors = "processes"
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
    if values["pause_ms_min"] > values["pause_ms_max"]:
        usage_error(f"pause_ms_min={values['pause_ms_min']} is above "
                    f"pause_ms_max={values['pause_ms_max']}")
    return values, actors


# ---- the queue ------------------------------------------------------------------

FOOD = ("包子", "骨头", "泔水", "馒头", "饺子", "油条", "烧饼", "花卷", "粽子")

# One past the longest a consumer may still be busy once everything put has
# been taken; a consumer alive after that waits in get() for ever.
PATIENCE = 1.0


class QueueManager(BaseManager):
    """multiprocessing has no LifoQueue or PriorityQueue: serve queue's own
    to the processes from a manager, as 004's thread versions are."""


QueueManager.register("LifoQueue", queue.LifoQueue)
QueueManager.register("PriorityQueue", queue.PriorityQueue)


def item_name(item):
    return f"{FOOD[item // 100 - 1]}{item % 100}"


class Shared:
    """The program's bookkeeping, in shared memory so processes can count too.
    Not part of the lesson: the C lesson's fold counts these off the trace."""

    def __init__(self, ctx):
        self.produced = ctx.Value("l", 0)
        self.consumed = ctx.Value("l", 0)
        self.nones_put = ctx.Value("l", 0)
        self.nones_taken = ctx.Value("l", 0)
        self.task_dones = ctx.Value("l", 0)
        self.max_size = ctx.Value("l", 0)

    @staticmethod
    def bump(value):
        with value.get_lock():
            value.value += 1

    def saw_size(self, q):
        try:
            size = q.qsize()   # approximate for a multiprocessing.Queue
        except NotImplementedError:   # macOS has no sem_getvalue
            return
        with self.max_size.get_lock():
            self.max_size.value = max(self.max_size.value, size)


class Lesson:
    """Everything the actors share: the queue, how its entries are wrapped,
    the parameters and the counts."""

    def __init__(self, p, q, shared):
        self.p = p
        self.q = q
        self.shared = shared
        self.priority = p["order"] == PRIORITY
        self.none_seq = 0

    # A PriorityQueue orders its entries: (item, 0, item), and None as
    # (inf, n, None) so that it comes after every item and never meets
    # another None's None in a comparison.
    def wrap(self, item):
        return (item, 0, item) if self.priority else item

    def wrap_none(self):
        self.none_seq += 1
        return (math.inf, self.none_seq, None) if self.priority else None

    def unwrap(self, entry):
        return entry[2] if self.priority else entry


def say(who, text):
    """One whole line per call: many actors share stdout."""
    sys.stdout.write(f"{who}: {text}\n")
    sys.stdout.flush()


def pause(rng, p):
    return rng.randint(p["pause_ms_min"], p["pause_ms_max"]) / 1000


def producer(lesson, k, name, actor_id):
    p, q, shared = lesson.p, lesson.q, lesson.shared
    rng = random.Random(p["seed"] * 1000003 + actor_id)
    for i in range(p["items"]):
        time.sleep(pause(rng, p))  # @op:sleep
        item = (k + 1) * 100 + i
        q.put(lesson.wrap(item))  # @op:queue_put
        Shared.bump(shared.produced)
        shared.saw_size(q)
        say(name, f"produced {item_name(item)} (生产了 {item_name(item)})")  # @op:say
    if p["end"] == END_JOIN:
        q.join()  # @op:queue_join


def consumer(lesson, name, actor_id):
    p, q, shared = lesson.p, lesson.q, lesson.shared
    rng = random.Random(p["seed"] * 1000003 + actor_id)
    while True:
        res = lesson.unwrap(q.get())  # @op:queue_get
        if res is None:
            Shared.bump(shared.nones_taken)
            say(name, "got None: the end signal, stop (收到结束信号)")  # @op:say
            break
        Shared.bump(shared.consumed)
        time.sleep(pause(rng, p))  # @op:sleep
        say(name, f"eats {item_name(res)} (吃 {item_name(res)})")  # @op:say
        if p["end"] == END_JOIN:
            q.task_done()  # @op:task_done
            Shared.bump(shared.task_dones)


def put_none(lesson, consumers):
    """main's q.put(None), which waits while a bounded queue is full; if no
    consumer is left to make room it would wait for ever: say so instead.
    Returns False then."""
    entry = lesson.wrap_none()
    while True:
        try:
            lesson.q.put(entry, timeout=PATIENCE)  # @op:queue_put
            Shared.bump(lesson.shared.nones_put)
            return True
        except queue.Full:
            if not any(c.is_alive() for c in consumers):
                return False


def wait_drained(lesson, consumers):
    """Until every entry put has been taken, or no consumer is left."""
    s = lesson.shared
    while any(c.is_alive() for c in consumers):
        taken = s.consumed.value + s.nones_taken.value
        if taken >= s.produced.value + s.nones_put.value:
            return
        time.sleep(0.01)


def end_on_signal(signum, _frame):
    """SIGTERM or SIGHUP: leave through the `finally` that stops the actors."""
    sys.exit(128 + signum)


def names_of(actors):
    n = [a.name for a in actors]
    return n[0] if len(n) == 1 else ", ".join(n[:-1]) + " and " + n[-1]


def main():
    p, actors = parse_params(sys.argv[1:])
    started = time.monotonic()
    processes = actors == "processes"
    np, nc, end = p["producers"], p["consumers"], p["end"]
    sent = nc if p["sentinels"] < 0 else p["sentinels"]
    total = np * p["items"]
    signal.signal(signal.SIGTERM, end_on_signal)
    signal.signal(signal.SIGHUP, end_on_signal)
    # A reader that goes away (| head) ends every actor quietly, as it would `yes`.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    # fork, as on Linux by default: the children share the queue and counters.
    ctx = multiprocessing.get_context("fork") if processes else multiprocessing
    manager, sockdir = None, None
    if not processes:
        kinds = (queue.Queue, queue.LifoQueue, queue.PriorityQueue)
        q = kinds[p["order"]](p["maxsize"])
    elif p["order"] == FIFO:
        q = (ctx.JoinableQueue if end == END_JOIN else ctx.Queue)(p["maxsize"])
    else:
        # Its socket in a folder of our own: a manager killed after its
        # shutdown times out would leave multiprocessing's pymp-* behind.
        sockdir = tempfile.mkdtemp(prefix="queue-py-")
        manager = QueueManager(address=os.path.join(sockdir, "manager"), ctx=ctx)
        manager.start()
        q = (manager.LifoQueue if p["order"] == LIFO else manager.PriorityQueue)(p["maxsize"])
    lesson = Lesson(p, q, Shared(ctx))

    def actor(target, name, args, daemon):
        if processes:
            return ctx.Process(target=target, name=name, args=args, daemon=daemon)
        return threading.Thread(target=target, name=name, args=args, daemon=daemon)

    producers = [actor(producer, f"P{k + 1}", (lesson, k, f"P{k + 1}", k), False)
                 for k in range(np)]
    # 002 makes the consumers daemons with the JoinableQueue.  Threads are
    # daemons always, so that one waiting for ever cannot keep the program
    # alive after it is reported; processes that wait for ever are stopped.
    consumers = [actor(consumer, f"C{k + 1}", (lesson, f"C{k + 1}", np + k),
                       end == END_JOIN or not processes) for k in range(nc)]
    main_stuck = False
    stuck, cut = [], []
    try:
        for a in producers + consumers:
            a.start()
        for a in producers:
            a.join()  # @op:join
        if end == END_SENTINEL:
            for _ in range(sent):
                if not put_none(lesson, consumers):
                    main_stuck = True
                    break
        say("main", "主 (main is done)")  # @op:say

        if end == END_JOIN:
            # Main ends here: its daemon consumers end with it.
            cut = [c for c in consumers if c.is_alive()]
        else:
            wait_drained(lesson, consumers)
            limit = time.monotonic() + p["pause_ms_max"] / 1000 + PATIENCE
            for c in consumers:
                c.join(max(0.0, limit - time.monotonic()))
            stuck = [c for c in consumers if c.is_alive()]
    finally:
        for a in producers + consumers:
            if processes and a.is_alive():
                # SIGTERM first (its handler leaves quietly); a process that
                # does not end in time, say caught mid-exit, gets SIGKILL:
                # nothing it holds is used again, and the program must end.
                a.terminate()
                a.join(5)
                if a.is_alive():
                    a.kill()
                    a.join()
        if manager is not None:
            manager.shutdown()
        if sockdir is not None:
            shutil.rmtree(sockdir, ignore_errors=True)

    s = lesson.shared
    produced, consumed = s.produced.value, s.consumed.value
    left = produced - consumed
    left_none = s.nones_put.value - s.nones_taken.value
    unfinished = produced + s.nones_put.value - s.task_dones.value
    deadlocked = bool(stuck) or main_stuck
    order = PARAMS[-1].choices[p["order"]]

    if end == END_NONE:
        expected = f"{total} items made and eaten, then the consumers stop"
    elif end == END_SENTINEL:
        expected = (f"{total} items made and eaten; each consumer stops at its None "
                    f"({sent} sent for {nc})")
    else:
        expected = (f"{total} items made, eaten and marked done; main ends, the daemon "
                    "consumers with it")
    observed = f"{produced} made, {consumed} taken, {left} left in the queue"
    if stuck:
        observed += f"; {names_of(stuck)} stuck in get()"
    if main_stuck:
        ok = False
        summary = (f"main waits for ever to put a None: the queue is full (maxsize "
                   f"{p['maxsize']}) and every consumer has stopped")
    elif stuck and end == END_NONE:
        ok = False
        summary = (f"the consumers wait for ever on an empty queue: {names_of(stuck)} "
                   f"{'is' if len(stuck) == 1 else 'are'} stuck. Nothing tells them the "
                   "producers are done, so 002's program never ends")
    elif stuck:
        ok = False
        one = len(stuck) == 1
        summary = (f"{names_of(stuck)} never {'gets' if one else 'get'} a None: {sent} sent "
                   f"for {nc} consumers, so {names_of(stuck)} {'waits' if one else 'wait'} "
                   "for ever on the empty queue")
    elif left > 0:
        ok = False
        summary = (f"the Nones came out before {left} item{'' if left == 1 else 's'} ("
                   + ("a LifoQueue gives the newest first" if p["order"] == LIFO
                      else "it gives them in its own order")
                   + f"): the consumers stopped and {left} "
                   + ("is" if left == 1 else "are") + " left uneaten in the queue")
    elif end == END_JOIN:
        ok = consumed == total and unfinished == 0
        summary = ("main ends once every item is done; the daemon consumers are cut off "
                   f"while waiting ({names_of(cut)})" if cut else
                   f"main ends once every item is done; {consumed} of {total} eaten")
    else:
        ok = consumed == total
        summary = (f"every item eaten: {produced} made, {consumed} taken; each consumer "
                   "stopped at its None"
                   + (", and the extra None stays in the queue" if left_none else ""))

    outcome = {
        "scenario": "queue",
        "params": dict(p, end=PARAMS[7].choices[end], order=order),
        "actors": {"kind": actors, "count": np + nc + 1},
        "status": "deadlock" if deadlocked else "finished",
        "verdict": {"ok": ok, "expected": expected, "observed": observed, "summary": summary},
        "figures": {
            "produced": produced,
            "consumed": consumed,
            "stuck": len(stuck),
            "left": left,
            "unfinished": unfinished,
            "cut": len(cut),
            "max_size": s.max_size.value,
        },
        "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
    }
    print(json.dumps(outcome, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # Ctrl-C: end quietly, with the status a shell expects.
        sys.exit(130)
