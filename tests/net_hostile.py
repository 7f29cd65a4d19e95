#!/usr/bin/env python3
"""net_hostile.py - hostile peers for tests/net.test, on loopback only.

Clients against `lockstep serve distributed` (each bounded in count and in
time), and a small fake manager that a `lockstep worker` connects to:

  slowloris PORT N SECS   N idle connections from 127.0.0.2 held SECS s, one
                          opened again (every 0.2 s at most) for each closed;
                          prints "held N" once they are open, then how many of
                          the first N are still open
  dribble PORT SECS       one connection sending a byte every 0.5 s; prints the
                          seconds until the server closed it (or SECS)
  guess PORT SECS [SRC]   wrong keys, one connection after another, for SECS s,
                          from SRC (default 127.0.0.1); prints how many
                          answers were judged (FAILURE read)
  fill PORT KEY N HOLD    N workers that prove KEY and stay; then one more:
                          prints what the server said to it (tag value), and
                          holds them all HOLD s more
  fake MODE               a fake manager at 127.0.0.1:0 (prints its port) for
                          one worker; MODE says how it misbehaves

The frame is lockstep's struct ls_pipe_frame in the machine's byte order:
int64 value, uint64 seq, uint32 size, uint32 tag.
"""
import hashlib
import hmac
import os
import socket
import struct
import sys
import time

FRAME = struct.Struct("=qQII")
(VALUE, GET, SET, REPLY, STOP, CHALLENGE, ANSWER, WELCOME, FAILURE, PUT, TASK,
 RESULT) = range(12)


def frame(tag, value, size=0):
    return FRAME.pack(value, 0, size, tag)


def recv_frame(s):
    data = b""
    while len(data) < FRAME.size:
        chunk = s.recv(FRAME.size - len(data))
        if not chunk:
            return None
        data += chunk
    value, _seq, _size, tag = FRAME.unpack(data)
    return tag, value


def digest(key, nonce):
    mac = hmac.new(key.encode(), struct.pack("<Q", nonce & (2**64 - 1)),
                   hashlib.sha256).digest()
    return int.from_bytes(mac[:8], "little") >> 1


def connect(port, src="127.0.0.1"):
    return socket.create_connection(("127.0.0.1", port), timeout=10,
                                    source_address=(src, 0))


def still_open(s):
    """False once the server has closed s (end of file or reset)."""
    s.setblocking(False)
    try:
        while True:
            b = s.recv(4096)
            if not b:
                return False
    except BlockingIOError:
        return True
    except OSError:
        return False


def slowloris(port, n, secs, src="127.0.0.2"):
    """N idle connections from SRC; any the server closes is opened again
    (at most one every 0.2 s), so a server with fixed slots stays full.
    Prints how many of the first N the server still kept open at the end."""
    first = []
    for _ in range(n):
        try:
            first.append(connect(port, src))
        except OSError:
            pass
    print("held %d" % len(first), flush=True)
    extra = []
    end = time.monotonic() + secs
    while time.monotonic() < end:
        time.sleep(0.2)
        live = sum(1 for s in first + extra if still_open(s))
        if live < n:
            try:
                extra.append(connect(port, src))
            except OSError:
                pass
    print(sum(1 for s in first if still_open(s)))


def dribble(port, secs):
    s = connect(port)
    start = time.monotonic()
    junk = frame(ANSWER, 12345)
    i = 0
    while time.monotonic() - start < secs:
        if not still_open(s):
            break
        try:
            s.send(junk[i % len(junk):i % len(junk) + 1])
        except OSError:
            break
        i += 1
        time.sleep(0.5)
    print("%.1f" % (time.monotonic() - start))


def guess(port, secs, src="127.0.0.1"):
    judged = 0
    end = time.monotonic() + secs
    while time.monotonic() < end:
        try:
            s = connect(port, src)
            s.settimeout(max(0.05, end - time.monotonic()))
            f = recv_frame(s)
            if f and f[0] == CHALLENGE:
                s.sendall(frame(ANSWER, 4242))
                f = recv_frame(s)
                if f and f[0] == FAILURE:
                    judged += 1
            s.close()
        except OSError:
            pass
    print(judged)


def fill(port, key, n, hold):
    held = []
    for _ in range(n):
        s = connect(port)
        tag, nonce = recv_frame(s)
        s.sendall(frame(ANSWER, digest(key, nonce)))
        tag, _ = recv_frame(s)
        if tag != WELCOME:
            print("not welcome:", tag)
            return
        held.append(s)
    s = connect(port)
    f = recv_frame(s)
    if f and f[0] == CHALLENGE:
        s.sendall(frame(ANSWER, digest(key, f[1])))
        f = recv_frame(s)
    print("%d %d" % f if f else "closed", flush=True)
    time.sleep(hold)


def fake(mode):
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    print(ls.getsockname()[1], flush=True)
    ls.settimeout(60)
    c, _ = ls.accept()
    c.settimeout(60)
    ls.close()
    if mode == "dribble":
        # The challenge one byte every 0.6 s: 14.4 s in all.
        for b in frame(CHALLENGE, 77):
            c.send(bytes([b]))
            time.sleep(0.6)
        time.sleep(2)
        return
    if mode == "full":
        c.sendall(frame(FAILURE, 64))
        time.sleep(2)
        return
    c.sendall(frame(CHALLENGE, 77))
    recv_frame(c)
    if mode == "badverdict":
        c.sendall(frame(TASK, 1))
        time.sleep(2)
        return
    c.sendall(frame(WELCOME, 0))
    recv_frame(c)                        # its GET
    if mode == "bigtask":
        c.sendall(frame(TASK, 3037000500))
    elif mode == "negtask":
        c.sendall(frame(TASK, -5))
    elif mode == "badtag":
        c.sendall(frame(99, 1))
    elif mode == "payload":
        c.sendall(frame(TASK, 3, size=7))
    elif mode == "unrequested":
        c.sendall(frame(TASK, 2) + frame(TASK, 3))
    elif mode == "torn":
        c.sendall(frame(TASK, 2)[:10])
        c.shutdown(socket.SHUT_WR)
    time.sleep(3)


def main():
    what = sys.argv[1]
    if what == "slowloris":
        slowloris(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    elif what == "dribble":
        dribble(int(sys.argv[2]), float(sys.argv[3]))
    elif what == "guess":
        guess(int(sys.argv[2]), float(sys.argv[3]), *sys.argv[4:5])
    elif what == "fill":
        fill(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
    elif what == "fake":
        fake(sys.argv[2])
    else:
        sys.exit("unknown: " + what)


if __name__ == "__main__":
    main()
