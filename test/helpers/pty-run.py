#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal and plays a script against it.

Usage: pty-run.py SCRIPT.json -- COMMAND ARGS...
SCRIPT.json is a list of steps: {"expect": "regex", "send": "keys", "timeout": seconds}.
Each step waits until the output after the previous match matches `expect` (ANSI codes
removed), then types `send`. Prints JSON {"exit": code, "output": text, "failed": step|null}.
"""
import json
import os
import pty
import re
import select
import signal
import sys
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]|\r")


def main():
    sep = sys.argv.index("--")
    steps = json.load(open(sys.argv[1]))
    cmd = sys.argv[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["COLUMNS"] = "100"
        os.environ["LINES"] = "40"
        os.execvp(cmd[0], cmd)
    raw = b""
    mark = 0
    failed = None

    def read_some(timeout):
        nonlocal raw
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        raw += chunk
        return True

    alive = True
    for i, step in enumerate(steps):
        deadline = time.time() + step.get("timeout", 15)
        pattern = re.compile(step["expect"]) if step.get("expect") else None
        while True:
            text = ANSI.sub("", raw.decode("utf-8", "replace"))
            m = pattern.search(text, mark) if pattern else True
            if m:
                if pattern:
                    # The next step matches only what comes after this match.
                    mark = m.end()
                break
            if time.time() > deadline or not alive:
                failed = {"step": i, "expect": step["expect"], "seen": text[mark:][-2000:]}
                break
            alive = read_some(0.1)
        if failed:
            break
        if "send" in step:
            time.sleep(step.get("delay", 0.05))
            os.write(fd, step["send"].encode("utf-8"))
    if failed:
        os.kill(pid, signal.SIGKILL)
    # Drain until the child exits.
    end = time.time() + 15
    while time.time() < end and read_some(0.1):
        pass
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"exit": code, "output": ANSI.sub("", raw.decode("utf-8", "replace")), "failed": failed}))


main()
