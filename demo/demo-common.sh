# Sourced by both L2 sides of `make demo` (demo-inject.sh, demo-agent.sh),
# so that runs A and B differ only in what they are about:
#
#   hwcorrupted      the guest's HardwareCorrupted, in kB
#   after_restart N  on boot N > 1 (the policy restarted the VM): say the
#                    guest is back and how much memory it lost, and exit
#   start_workload   allocate, touch and free 16 MiB in a loop on vCPU 0,
#                    counting rounds in /tmp/workload.rounds; sets
#                    $workload to its pid and says "workload started"

hwcorrupted() {
	awk '/^HardwareCorrupted:/ { print $2 }' /proc/meminfo
}

after_restart() {
	if [ "$1" != 1 ]; then
		echo "SW-L2: back after the restart; HardwareCorrupted $(hwcorrupted) kB"
		exit 0
	fi
}

# Pinned to vCPU 0 like the victims: a victim's freed pages go to vCPU 0's
# per-CPU free lists, where the workload's next allocations come from.
start_workload() {
	(
		n=0
		while :; do
			swg churn 16 1 --cpu 0 >/dev/null
			n=$((n + 1))
			echo "$n" >/tmp/workload.rounds
		done
	) &
	workload=$!
	echo "SW-L2: workload started"
}
