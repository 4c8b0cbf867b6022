#!/bin/sh
# bench/sea-path.sh [BUILDDIR]: the instructions libseawall executes for one
# handled SEA, part by part, counted by callgrind in one run of
# BUILDDIR/bench/sea-path (default build/host), side by side with a
# reference measured in the same run.  Instruction counts repeat from run
# to run, where wall time does not; docs/performance.md reads the table.
set -eu

build=${1:-build/host}
bin=$build/bench/sea-path
if ! command -v valgrind >/dev/null 2>&1; then
	echo "sea-path.sh: valgrind is not installed (rig/setup installs it)" >&2
	exit 1
fi
if [ ! -x "$bin" ]; then
	echo "sea-path.sh: $bin is not built: run 'ninja -C $build' (it needs valgrind/callgrind.h)" >&2
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sea-path.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if ! valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$bin" "$tmp" \
	>"$tmp/stdout" 2>"$tmp/valgrind.log"; then
	cat "$tmp/valgrind.log" >&2
	echo "sea-path.sh: $bin failed under callgrind (its messages are above)" >&2
	exit 1
fi

# One dump per client request: "NAME INSTRUCTIONS".
for f in "$tmp"/cg.out.*; do
	awk '/^desc: Trigger: Client Request: / { name = $5 }
	     /^summary: / { n = $2 }
	     END { if (name != "") print name, n }' "$f"
done >"$tmp/counts"

awk -v events="$(sed -n 's/^events //p' "$tmp/stdout")" \
    -v bytes="$(sed -n 's/^json_bytes //p' "$tmp/stdout")" \
    -v build="$build" '
	{ count[$1] = $2 }
	function per(name) {
		if (!(name in count)) { print "sea-path.sh: no count for " name > "/dev/stderr"; exit 1 }
		return count[name] / events
	}
	function row(label, what, n, share) {
		printf "%-10s %-50s %7.0f %7s %7.3f\n", label, what, n,
		       share ? sprintf("%.1f%%", 100 * n / total) : "", n / ref
	}
	END {
		split("decode registry policy entry json metrics journal", parts, " ")
		what["decode"] = "sw_sea_from_exit"
		what["registry"] = "sw_registry_insert"
		what["policy"] = "sw_policy_decide"
		what["entry"] = "sw_abort_from_sea + sw_exception_entry (ONE_REG)"
		what["json"] = "sw_event_set_decision + sw_event_to_json"
		what["metrics"] = "sw_metrics_record"
		what["journal"] = "sw_journal_sink (build, encode, pwrite; no sync)"
		total = 0
		for (i = 1; i <= 7; i++)
			total += per(parts[i])
		ref = per("reference")
		printf "libseawall: instructions per handled SEA (callgrind Ir, %d events, %s)\n", events, build
		printf "each: a KVM_EXIT_ARM_SEA load from guest EL0 on a new page, decided inject + fence,\n"
		printf "the ONE_REG exception entry computed, a %d-byte event line; system calls not counted\n\n", bytes
		printf "%-10s %-50s %7s %7s %7s\n", "part", "what runs", "instr", "share", "x ref"
		for (i = 1; i <= 7; i++)
			row(parts[i], what[parts[i]], per(parts[i]), 1)
		row("total", "the sum of the parts", total, 1)
		row("together", "the parts one event at a time, as a VMM runs them", per("all_parts"), 0)
		row("reference", "the same JSON line by hand: gmtime_r, one snprintf", ref, 0)
	}' "$tmp/counts"
