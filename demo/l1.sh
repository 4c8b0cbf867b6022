# L1 side of `make demo` (rig/run --add demo/l1.sh -- sh /bin/l1.sh [RUN...]):
# runs seawall-vmm with a Linux guest once per run (A: injection only,
# B: with seawall-agent; both by default) and prints everything as tagged
# lines for demo/narrate.py:
#
#   @demo RUN KIND UPTIME TEXT
#
# RUN is A, B or - (the whole script); KIND is con (the guest's console),
# vmm (seawall-vmm's messages), event (a line of its --events file),
# metric (a line of its --metrics file) or l1 (this script); UPTIME is
# L1's /proc/uptime when the line came, so that narrate.py measures steps
# on this side of the rig's serial console and its buffering.
set -eu

# L1's own kernel messages (memory failure on the host pages) would cut
# through our lines on the console; rig/init reads dmesg for trouble anyway.
dmesg -n 1

uptime_s() {
	cut -d ' ' -f 1 /proc/uptime
}

say() { # RUN TEXT...
	r=$1
	shift
	echo "@demo $r l1 $(uptime_s) $*"
}

# Prefix each line of stdin; one write per line keeps the two taggers'
# lines whole on the shared console.
tag() { # RUN KIND
	awk -v tag="@demo $1 $2" '{
		sub(/\r$/, "")
		getline up < "/proc/uptime"
		close("/proc/uptime")
		split(up, t, " ")
		print tag, t[1], $0
		fflush()
	}'
}

# The rig's poison injector holds this many pages now (docs/rig.md:
# COUNT at 0x20); seawall-vmm must have restored all of them at exit.
injector_count() {
	v=$(devmem 0x090c0020 32 2>/dev/null) && printf '%d\n' "$v" || echo "?"
}

run() { # RUN SWTEST POLICY
	r=$1 d=/tmp/demo-$1
	rm -rf "$d"
	mkdir -p "$d"
	printf '%s\n' "$3" >"$d/policy.conf"
	sed "s/^/@demo $r policy 0 /" "$d/policy.conf"
	mkfifo "$d/out" "$d/err"
	tag "$r" con <"$d/out" &
	tag "$r" vmm <"$d/err" &
	say "$r" "start swtest=$2"
	status=0
	timeout 420 seawall-vmm --kernel /boot/Image --initrd /boot/seawall-l2.cpio \
		--cmdline "console=ttyS0 quiet panic=-1 swtest=$2" --cpus 2 --mem 256M \
		--test-poison --policy "$d/policy.conf" --events "$d/events.jsonl" \
		--metrics "$d/metrics.prom" <"/dev/null" >"$d/out" 2>"$d/err" || status=$?
	wait
	say "$r" "exit $status"
	say "$r" "injector $(injector_count)"
	# The artefacts, line by line.
	[ ! -r "$d/events.jsonl" ] || sed "s/^/@demo $r event 0 /" "$d/events.jsonl"
	[ ! -r "$d/metrics.prom" ] || sed "s/^/@demo $r metric 0 /" "$d/metrics.prom"
	[ "$status" = 0 ] || failed=1
}

[ $# -gt 0 ] || set -- A B
say - "plan $*"
failed=0
for r in "$@"; do
	case $r in
	A) run A demo-inject "$(printf 'version = 1\nuser_fault = inject\n')" ;;
	B) run B demo-agent "$(printf 'version = 1\nmax_pages = 2\n')" ;;
	*) say - "unknown run $r" && failed=1 ;;
	esac
done
say - "end"
exit "$failed"
