#!/usr/bin/env python3
"""demo/narrate.py OUTDIR: tell the story of `make demo` as it happens.

Reads what `rig/run ... -- sh /bin/l1.sh` prints (standard input, live),
prints a short narration, keeps the full stream in OUTDIR/rig-output.log
and each run's artefacts in OUTDIR/run-a/ and OUTDIR/run-b/ (console.log,
vmm.log, events.jsonl, metrics.prom, policy.conf).  At the end of the
stream it checks that the story happened exactly as told (demo/story.py;
README, "What `make demo` shows") and prints a table per run (demo/table.py):
each event, the action taken, the guest's fate, how long each step took.

Exit status 0 only if every check held; every failed check is named,
with the file to look at.

The lines it reads come from demo/l1.sh:  @demo RUN KIND UPTIME TEXT
"""
import json
import os
import re
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in demo/ for its two helpers
from story import VMM, Story  # noqa: E402  (demo/: the checks)
from table import SIGBUS_CODES, print_table  # noqa: E402  (demo/: the final table)

TAG = re.compile(r"^@demo (\S+) (\S+) (\S+) ?(.*)$")
RUN_DIRS = {"A": "run-a", "B": "run-b"}
TITLES = {
    "A": "run A, injection only (user_fault = inject)",
    "B": "run B, with seawall-agent (user_fault = notify, max_pages = 2)",
}
FILES = {"con": "console.log", "vmm": "vmm.log", "event": "events.jsonl",
         "metric": "metrics.prom", "policy": "policy.conf"}


class Run:
    """What one seawall-vmm run (A or B) showed."""

    def __init__(self, name, outdir):
        self.name = name
        self.dir = os.path.join(outdir, RUN_DIRS.get(name, "run-" + name.lower()))
        os.makedirs(self.dir, exist_ok=True)
        self.files = {k: open(os.path.join(self.dir, f), "w") for k, f in FILES.items()}
        self.console, self.vmm, self.events, self.metrics = [], [], [], []
        self.marks = {}      # marker -> L1 uptime of its first occurrence
        self.pages = {}      # victim label -> guest page
        self.status = {}     # victim label -> request status
        self.sigbus = {}     # victim label -> (code, exact address, lsb)
        self.hwc = {}        # victim label -> {"before": kB, "after": kB}
        self.alive = {}      # victim label -> workload still running after it
        self.policy = []     # the lines of its policy file
        self.exit = None
        self.injector = None

    def mark(self, name, t):
        self.marks.setdefault(name, t)

    def since(self, a, b):
        if a in self.marks and b in self.marks:
            return self.marks[b] - self.marks[a]
        return None

    def label_of(self, page):
        for label, p in self.pages.items():
            if p == page:
                return label
        return None

    def close(self):
        for f in self.files.values():
            f.close()


class Narrator:
    def __init__(self, outdir):
        self.outdir = outdir
        os.makedirs(outdir, exist_ok=True)
        self.raw = open(os.path.join(outdir, "rig-output.log"), "w")
        self.t0 = time.monotonic()
        self.runs = {}
        self.plan = []
        self.ended = False
        self.rig_trouble = []
        self.story = Story(outdir)

    def say(self, run, text):
        who = run.name if run else "-"
        print(f"{time.monotonic() - self.t0:7.1f}s  {who}  {text}", flush=True)

    # --- reading ------------------------------------------------------------

    def line(self, line):
        self.raw.write(line + "\n")
        self.raw.flush()
        m = TAG.match(line)
        if not m:
            # rig/run's own messages (its stderr is merged into the stream).
            if line.startswith("rig: "):
                self.say(None, line)
                if not line.startswith("rig: console log: "):
                    self.rig_trouble.append(line)
            return
        name, kind, t, text = m.groups()
        try:
            t = float(t)
        except ValueError:
            t = 0.0
        if name == "-":
            self.script(kind, t, text)
            return
        run = self.runs.get(name)
        if run is None:
            run = self.runs[name] = Run(name, self.outdir)
        if kind in run.files:
            run.files[kind].write(text + "\n")
            run.files[kind].flush()
        handler = getattr(self, "on_" + kind, None)
        if handler:
            handler(run, t, text)

    def script(self, kind, t, text):
        if text.startswith("plan "):
            self.plan = text.split()[1:]
            self.say(None, "the rig's arm64 host (L1) is up; runs: " + ", ".join(self.plan))
        elif text == "end":
            self.ended = True
        else:
            self.say(None, text)

    def on_l1(self, run, t, text):
        if text.startswith("start "):
            run.mark("start", t)
            policy = "; ".join(run.policy)
            self.say(run, f"{TITLES.get(run.name, run.name)}: seawall-vmm boots a Linux "
                          f"guest, 2 vCPUs, 256 MiB (policy: {policy})")
        elif text.startswith("exit "):
            run.mark("exit", t)
            status = text.split()[1]
            run.exit = int(status) if status.isdigit() else status
            self.say(run, f"seawall-vmm exited with status {run.exit}")
        elif text.startswith("injector "):
            run.injector = text.split()[1]

    def on_policy(self, run, t, text):
        run.policy.append(text)

    def on_event(self, run, t, text):
        try:
            run.events.append(json.loads(text))
        except ValueError:
            run.events.append({"unreadable": text})

    def on_metric(self, run, t, text):
        run.metrics.append(text)

    def on_con(self, run, t, text):
        run.console.append((t, text))
        start = run.marks.get("start", t)
        m = re.match(r"SW-L2: boot (\d+) cpus (\d+) test", text)
        if m:
            run.mark("boot" + m[1], t)
            self.say(run, f"guest boot {m[1]} is up ({m[2]} vCPUs), "
                          f"{t - start:.1f} s after seawall-vmm started")
            return
        m = re.match(r"SW-L2: agent seawall-agent: connected \((.*)\)", text)
        if m:
            run.mark("agent", t)
            self.say(run, f"seawall-agent is connected to seawall-vmm over /dev/ttyS1 ({m[1]})")
            return
        if text == "SW-L2: workload started":
            run.mark("workload", t)
            self.say(run, "a workload allocates, touches and frees 16 MiB in a loop on vCPU 0")
            return
        m = re.match(r"SW-L2: (\S+) page (0x[0-9a-f]+)$", text)
        if m:
            run.pages[m[1]] = m[2]
            run.mark(m[1] + ".page", t)
            self.say(run, f"{m[1]}: a process asks for its page {m[2]} to be poisoned")
            return
        m = re.match(r"SW-L2: (\S+) request status (\d+)$", text)
        if m:
            run.status[m[1]] = int(m[2])
            run.mark(m[1] + ".poisoned", t)
            if m[2] != "0":
                self.say(run, f"{m[1]}: the poison request failed (errno {m[2]})")
            else:
                self.say(run, f"{m[1]}: its page is poisoned; it loads from it")
            return
        m = re.match(r"SW-L2: (\S+) sigbus code (\d+) (.*), lsb (\d+)$", text)
        if m:
            code, lsb = int(m[2]), int(m[4])
            exact = m[3] == "at the faulting address"
            run.sigbus[m[1]] = (code, exact, lsb)
            run.mark(m[1] + ".sigbus", t)
            self.say(run, f"{m[1]}: SIGBUS {SIGBUS_CODES.get(code, '?')} (code {code}) "
                          f"{m[3]}, lsb {lsb}")
            return
        m = re.match(r"SW-L2: (\S+) HardwareCorrupted (before|after) (\d+) kB$", text)
        if m:
            run.hwc.setdefault(m[1], {})[m[2]] = int(m[3])
            if m[2] == "after":
                before = run.hwc[m[1]].get("before")
                self.say(run, f"{m[1]}: the guest's HardwareCorrupted {before} -> {m[3]} kB")
            return
        m = re.match(r"SW-L2: workload still running \((\d+) rounds\)$", text)
        if m:
            label = self.last_victim(run)
            run.alive[label] = True
            self.say(run, f"the workload is still running ({m[1]} rounds of 16 MiB so far)")
            return
        if text == "SW-L2: workload is gone":
            run.alive[self.last_victim(run)] = False
            self.say(run, "the workload is gone")
            return
        m = re.match(r"SW-L2: back after the restart; HardwareCorrupted (\d+) kB$", text)
        if m:
            run.mark("back", t)
            self.say(run, f"the guest is back, on fresh memory (HardwareCorrupted {m[1]} kB)")
            return
        if text.startswith("SW-L2: done ") or text.startswith("SW-L2: dmesg"):
            return
        if text.startswith("SW-L2: ") or re.search(r"Internal error|Kernel panic|Oops", text):
            self.say(run, "guest: " + text.removeprefix("SW-L2: "))

    def last_victim(self, run):
        return list(run.pages)[-1] if run.pages else None

    def on_vmm(self, run, t, text):
        run.vmm.append((t, text))
        msg = text.removeprefix(VMM)
        m = re.match(r"agent: told the guest that page (\S+) is bad$", msg)
        if m:
            self.say(run, f"seawall-vmm tells the guest's agent: page {m[1]} is bad")
            return
        m = re.match(r"agent: the guest offlined page (\S+)$", msg)
        if m:
            run.mark("offlined." + m[1], t)
            label = run.label_of(m[1]) or "?"
            self.say(run, f"seawall-vmm: the agent answers: the guest offlined {label}'s page "
                          f"{m[1]}")
            return
        m = re.match(r"host: SEA \S+ \S+, page (\S+), guest EL\S+: offlined -> (\S+): (.*)$", msg)
        if m:
            self.say(run, f"seawall-vmm: the host page goes to the host's memory-failure "
                          f"handling too ({m[2]}: {m[3]})")
            return
        m = re.match(r"vCPU (\d+): SEA (\S+) \S+, page (\S+), guest EL(\S+): (\S+) -> (\S+): (.*)$",
                     msg)
        if m:
            who = {"0": "a process", "1": "the guest kernel"}.get(m[4], "EL" + m[4])
            run.mark("sea." + m[3] + "." + m[6], t)
            self.say(run, f"seawall-vmm: SEA ({m[2]}) on page {m[3]}, consumed by {who} "
                          f"on vCPU {m[1]}: {m[5]} -> {m[6]}: {m[7]}")
            if m[4] == "0" and "restart" in m[6].split(","):
                self.say(run, "  (a process's fault, yet a restart: the VM now has more "
                              "distinct bad pages than max_pages)")
            if m[4] == "1" and run.label_of(m[3]):
                self.say(run, f"  (nobody told the guest the page was bad: its kernel reused "
                              f"{run.label_of(m[3])}'s freed page and consumed the poison)")
            return
        m = re.match(r"the recovery policy restarted the VM \(boot (\d+)\)$", msg)
        if m:
            run.mark("restart", t)
            self.say(run, f"seawall-vmm: the recovery policy restarted the VM (boot {m[1]})")
            return
        if msg == "the guest powered off":
            run.mark("off", t)
            self.say(run, "the guest powered off")
            return
        m = re.match(r"test-poison: poisoned guest page (\S+) \(host physical (\S+)\)", msg)
        if m:
            self.say(run, f"the rig's injector poisons host physical {m[2]} (guest page {m[1]})")
            return
        if re.match(r"\d+ vCPUs, ", msg) or re.search(r"agent|notif|offlin|stopped|crash|"
                                                       r"re-entered|cannot|failed", msg):
            self.say(run, "seawall-vmm: " + msg)

    # --- the end ------------------------------------------------------------

    def finish(self):
        self.raw.close()
        for run in self.runs.values():
            run.close()
        story = self.story
        story.check(None, self.ended, "l1.sh ran to its end (a timeout or a crash of the rig "
                    "stops it early)")
        story.check(None, not self.rig_trouble, "rig/run reported no trouble",
                    "; ".join(self.rig_trouble) or None)
        for name in self.plan:
            if name in self.runs:
                story.check_run(self.runs[name])
            else:
                story.check(None, False, f"run {name} produced no output")
        for name in self.plan:
            if name in self.runs:
                print_table(self.runs[name], TITLES[name])
        print()
        if self.plan and self.plan != ["A", "B"]:
            print(f"note: only run(s) {' '.join(self.plan)} of A B")
        if story.failures:
            print(f"demo: {len(story.failures)} of {story.checks} checks FAILED:")
            for f in story.failures:
                print("  - " + f)
            print(f"logs: {self.outdir}/ (rig-output.log, run-*/)")
            return 1
        print(f"demo: all {story.checks} checks held; logs in {self.outdir}/")
        return 0


def main():
    if len(sys.argv) != 2:
        print("usage: demo/narrate.py OUTDIR  (reads rig/run's output on stdin)",
              file=sys.stderr)
        return 2
    n = Narrator(sys.argv[1])
    while True:
        line = sys.stdin.readline()
        if not line:
            break
        n.line(line.rstrip("\r\n"))
    return n.finish()


if __name__ == "__main__":
    sys.exit(main())
