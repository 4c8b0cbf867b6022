"""The table that ends `make demo` (used by demo/narrate.py): per run, each
event with the action taken, the guest's fate, the VMM's handling time
and the time since the previous event, then the wall time of each step
(L1's uptime stamps, so the rig's serial console adds nothing).
"""

SIGBUS_CODES = {3: "BUS_OBJERR", 4: "BUS_MCEERR_AR", 5: "BUS_MCEERR_AO"}


def fmt_s(seconds):
    return "?" if seconds is None else f"{seconds:.2f} s"


def fmt_ns(ns):
    if ns is None:
        return "?"
    if ns < 1_000_000:
        return f"{ns / 1000:.0f} us"
    if ns < 1_000_000_000:
        return f"{ns / 1e6:.1f} ms"
    return f"{ns / 1e9:.2f} s"


def fate(run, ev):
    label = run.label_of(ev.get("page")) or "?"
    out = ev.get("outcome")
    sig = run.sigbus.get(label)
    sig_text = f"SIGBUS {SIGBUS_CODES.get(sig[0], sig[0])}" if sig else "no SIGBUS seen"
    if out == "injected":
        return f"{label} killed ({sig_text}); the guest is not told which page"
    if out == "notified":
        return f"agent told; {label}'s vCPU retries"
    if out == "retried":
        return f"{label}'s vCPU retries"
    if out == "offlined":
        hwc = run.hwc.get(label, {})
        grew = hwc.get("after", 0) - hwc.get("before", 0) if len(hwc) == 2 else "?"
        alive = ", workload alive" if run.alive.get(label) else ""
        return f"page offlined (+{grew} kB); {label}: {sig_text}{alive}"
    if out == "restarted":
        why = ", ".join(ev.get("escalation") or []) or ev.get("reason") or "?"
        back = run.since("restart", "boot2")
        return f"VM restarted ({why}); boot 2 up {fmt_s(back)} later"
    return str(out)

def print_table(run, title):
    total = run.since("start", "exit")
    print(f"\n{title}: {fmt_s(total)}, seawall-vmm exit "
          f"{run.exit}")
    head = ["#", "vCPU", "source", "EL", "page", "actions", "reason", "outcome",
            "handling", "after prev", "the guest"]
    rows = []
    prev = None
    for i, ev in enumerate(run.events, 1):
        if "unreadable" in ev:
            rows.append([str(i), "?", "unreadable event line"] + [""] * 8)
            continue
        after = fmt_ns(ev["time_ns"] - prev) if prev else "-"
        prev = ev.get("time_ns")
        actions = ",".join(ev.get("actions") or [])
        if ev.get("escalation"):
            actions += " (" + ",".join(ev["escalation"]) + ")"
        vcpu = "-" if ev.get("vcpu") is None else str(ev["vcpu"])
        rows.append([str(i), vcpu, str(ev.get("source")),
                     str(ev.get("guest_el")), str(ev.get("page")), actions,
                     str(ev.get("reason")), str(ev.get("outcome")),
                     fmt_ns(ev.get("handling_ns")), after, fate(run, ev)])
    widths = [max(len(r[c]) for r in [head] + rows) for c in range(len(head))]
    for r in [head] + rows:
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
    if not rows:
        print("  (no events)")
    steps = [("seawall-vmm started -> boot 1 up", "start", "boot1")]
    if run.name == "B":
        steps.append(("boot 1 up -> agent connected", "boot1", "agent"))
    for label, page in run.pages.items():
        if "offlined." + page in run.marks:
            steps.append((f"{label}: SEA -> the guest offlined the page",
                          f"sea.{page}.notify,retry", "offlined." + page))
        if label + ".sigbus" in run.marks:
            steps.append((f"{label}: poisoned -> SIGBUS", label + ".poisoned",
                          label + ".sigbus"))
        elif "restart" in run.marks:
            steps.append((f"{label}: poisoned -> VM restart", label + ".poisoned",
                          "restart"))
    if run.name == "A":
        steps.append(("victim's SIGBUS -> kernel reuse, VM restart", "victim.sigbus",
                      "restart"))
    steps += [("VM restart -> boot 2 up", "restart", "boot2"),
              ("boot 2 up -> powered off", "boot2", "off")]
    print("  steps (wall time in L1):")
    for what, a, b in steps:
        print(f"    {what:<44} {fmt_s(run.since(a, b))}")
