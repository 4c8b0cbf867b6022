#!/bin/sh
# sw-rig-suite: the rig's KVM conformance suite, in one L1 boot.
#
#   rig/run --timeout 900 -- sw-rig-suite [PROGRAM...]
#
# Runs the conformance programs tests/rig/meson.build lists (or the named
# ones) under a timeout and, after each, checks what a program alone
# cannot: that the L1 kernel logged no WARNING, BUG, Oops or panic since
# it started (a marker in /dev/kmsg delimits each program's share of the
# log) and that the poison injector's COUNT is 0 again (no poisoned page
# leaked; a leak is cleaned up so L1 survives the rest).  Everything is TAP: each program prints its own plan
# and results, the runner adds three results per program and a last one,
# then its own plan.  Busybox sh: this runs in the rig's initramfs.
#
# SW_RIG_TIMEOUT: seconds per program (default 300).

timeout_s=${SW_RIG_TIMEOUT:-300}
n=0
failed=0

result() {
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

programs=${*:-@PROGRAMS@}
for prog in $programs; do
	command -v "$prog" >/dev/null || { echo "Bail out! $prog is not in this rig"; exit 1; }
done

for prog in $programs; do
	name=${prog##*/}
	echo "# $name"
	echo "sw-rig-suite: begin $name" >/dev/kmsg
	timeout -s TERM -k 10 "$timeout_s" "$prog"
	status=$?
	echo "sw-rig-suite: end $name" >/dev/kmsg

	if [ "$status" -eq 0 ]; then
		result ok "$name: exit status 0"
	else
		result "not ok" "$name: exit status $status"
	fi

	trouble=$(dmesg | sed -n "/sw-rig-suite: begin $name\$/,\$p" |
		grep -E 'WARNING:|BUG:|Oops|Kernel panic|Internal error|Unable to handle')
	if [ -z "$trouble" ]; then
		result ok "$name: L1 kernel log clean"
	else
		result "not ok" "$name: L1 kernel log clean"
		echo "$trouble" | sed 's/^/# /'
	fi

	count=$(sw-rig-injector count)
	if [ "$count" = 0 ]; then
		result ok "$name: poison injector COUNT 0 afterwards"
	else
		result "not ok" "$name: poison injector COUNT 0 afterwards"
		echo "# COUNT is '$count': unpoisoning everything so L1 survives"
		sw-rig-injector unpoison-all
	fi
done

# L1's own memory_failure() never ran: no poison reached the host kernel.
corrupted=$(sed -n 's/^HardwareCorrupted: *\([0-9]*\) kB$/\1/p' /proc/meminfo)
if [ "$corrupted" = 0 ]; then
	result ok "L1 survived every program: HardwareCorrupted 0 kB"
else
	result "not ok" "L1 survived every program: HardwareCorrupted 0 kB"
	echo "# HardwareCorrupted: '$corrupted' kB"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
