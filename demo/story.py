"""The story `make demo` tells, as checks (used by demo/narrate.py).

Each check is one fact the demo claims: a signal code, a HardwareCorrupted
delta, an event's actions, reason and outcome, the restart, boot 2.  A
Run (narrate.py) holds what one seawall-vmm run showed; a failed check
names the file to look at.
"""
import json
import os

VMM = "seawall-vmm: "


class Story:
    def __init__(self, outdir):
        self.outdir = outdir
        self.failures = []
        self.checks = 0

    def check_run(self, run):
        {"A": self.check_a, "B": self.check_b}[run.name](run)

    def check(self, run, ok, what, got=None, where="vmm.log"):
        self.checks += 1
        if ok:
            return True
        place = os.path.join(run.dir, where) if run else os.path.join(self.outdir,
                                                                      "rig-output.log")
        msg = f"{run.name if run else '-'}: {what}"
        if got is not None:
            msg += f" (got {got})"
        self.failures.append(f"{msg}; see {place}")
        return False

    def con_has(self, run, text):
        return any(line == text for _, line in run.console)

    def vmm_has(self, run, text):
        return any(line == text for _, line in run.vmm)

    def check_common_start(self, run):
        self.check(run, "start" in run.marks, "seawall-vmm was started")
        self.check(run, "boot1" in run.marks, "the guest booted (boot 1)", where="console.log")

    def check_victim(self, run, label, code, lsb):
        self.check(run, run.status.get(label) == 0, f"{label}'s page was poisoned (request "
                   "status 0)", run.status.get(label), "console.log")
        got = run.sigbus.get(label)
        self.check(run, got == (code, True, lsb),
                   f"{label} got SIGBUS code {code} at the faulting address, lsb {lsb}",
                   f"code {got[0]} {'at' if got[1] else 'NOT at'} the faulting address, "
                   f"lsb {got[2]}" if got else "no SIGBUS", "console.log")

    def check_common_end(self, run):
        want = f"{VMM}the recovery policy restarted the VM (boot 2)"
        self.check(run, self.vmm_has(run, want), f'"{want}"')
        back = run.marks.get("back")
        self.check(run, "boot2" in run.marks and back is not None
                   and back >= run.marks["boot2"],
                   "boot 2 came up and said it is back after the restart", where="console.log")
        self.check(run, "off" in run.marks, "the guest powered off")
        self.check(run, run.exit == 0, "seawall-vmm exited with status 0", run.exit)
        self.check(run, run.injector == "0", "the rig's injector holds no poisoned page at "
                   "the end", run.injector, "../rig-output.log")
        want = 'seawall_restarts_total{vm="seawall-vmm"} 1'
        self.check(run, want in run.metrics, f"metrics: {want}", None, "metrics.prom")

    def check_event(self, run, ev, what, **want):
        def show(d):
            return " ".join(f"{k}={json.dumps(v)}" for k, v in d.items())

        got = {k: ev.get(k) for k in want} if ev else None
        return self.check(run, got == want, f"{what}: an event with {show(want)}",
                          show(got) if got else "no such event", "events.jsonl")

    def check_a(self, run):
        self.check_common_start(run)
        self.check_victim(run, "victim", 3, 0)
        page = run.pages.get("victim")
        self.check(run, len(run.events) == 2, "2 events", len(run.events), "events.jsonl")
        evs = run.events + [None, None]
        self.check_event(run, evs[0], "the victim's load", source="kvm_exit", guest_el=0,
                         page=page, actions=["inject", "fence"], reason="user_fault",
                         outcome="injected")
        self.check_event(run, evs[1], "the guest kernel's reuse of the page", guest_el=1,
                         page=page, actions=["restart"], reason="kernel_fault",
                         outcome="restarted")
        self.check(run, not self.con_has(run, "SW-L2: the guest kernel did not reuse the page"),
                   "the guest kernel reused the poisoned page", where="console.log")
        self.check_common_end(run)

    def check_b(self, run):
        self.check_common_start(run)
        self.check(run, "agent" in run.marks, "seawall-agent connected", where="console.log")
        start = run.hwc.get("victim1", {}).get("before")
        for i, label in enumerate(("victim1", "victim2"), 1):
            self.check_victim(run, label, 4, 12)
            hwc = run.hwc.get(label, {})
            delta = (hwc["after"] - hwc["before"]) if len(hwc) == 2 else None
            self.check(run, delta == 4, f"{label}: HardwareCorrupted grew by 4 kB", delta,
                       "console.log")
            total = (hwc["after"] - start) if "after" in hwc and start is not None else None
            self.check(run, total == 4 * i, f"{label}: HardwareCorrupted {4 * i} kB above "
                       "the start", total, "console.log")
            self.check(run, run.alive.get(label) is True, f"the workload still ran after "
                       f"{label}", None, "console.log")
            self.check_notified(run, label)
        self.check(run, run.status.get("victim3") == 0, "victim3's page was poisoned",
                   run.status.get("victim3"), "console.log")
        page3 = run.pages.get("victim3")
        last = run.events[-1] if run.events else None
        self.check_event(run, last, "victim3, a third distinct page", page=page3,
                         actions=["inject", "fence", "restart"], reason="user_fault",
                         escalation=["max_pages"], outcome="restarted", distinct_pages=3)
        self.check(run, all(ev.get("page") in (run.pages.get("victim1"),
                                               run.pages.get("victim2"), page3)
                            for ev in run.events), "every event is about a victim's page",
                   None, "events.jsonl")
        self.check(run, not self.con_has(run, "SW-L2: no restart after the third page"),
                   "the third page restarted the VM", where="console.log")
        self.check_common_end(run)

    def check_notified(self, run, label):
        """The page's events: notified, any number of retried, offlined; nothing injected."""
        page = run.pages.get(label)
        evs = [ev for ev in run.events if ev.get("page") == page]
        outcomes = [ev.get("outcome") for ev in evs]
        ok = (len(outcomes) >= 2 and outcomes[0] == "notified" and outcomes[-1] == "offlined"
              and all(o == "retried" for o in outcomes[1:-1]))
        self.check(run, ok, f"{label}: events notified, (retried...), offlined", outcomes,
                   "events.jsonl")
        if evs:
            self.check_event(run, evs[0], f"{label}: the notification", reason="user_fault",
                             actions=["notify", "retry"], outcome="notified")
            self.check_event(run, evs[-1], f"{label}: the guest's answer", reason="offlined",
                             actions=["log", "fence"], outcome="offlined")
        self.check(run, not any("inject" in (ev.get("actions") or []) for ev in evs),
                   f"{label}: nothing injected", None, "events.jsonl")
