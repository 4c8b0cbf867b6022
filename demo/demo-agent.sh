# L2 side of `make demo`, run B (swtest=demo-agent; the policy is the
# default, user_fault = notify, with max_pages = 2): the same guest with
# seawall-agent, which seawall-vmm tells which page is bad.
# Boot 1: the agent connects; a workload allocates and frees memory in a
# loop; victims 1 and 2 consume poison and get the bare-metal signal
# (BUS_MCEERR_AR, lsb 12) after the guest kernel has offlined their pages
# (HardwareCorrupted +4 kB each); the workload lives on.  Victim 3 is a
# third distinct bad page, above max_pages: the policy restarts the VM.
# Boot 2: the guest is back on fresh memory.
# Console markers ("SW-L2: ") are read by demo/narrate.py.
set -eu

. /e2e/demo-common.sh
after_restart "$1"

# The agent logs to the kernel log; keep its lines off the console.
dmesg -n 1
seawall-agent --port /dev/ttyS1 &
tries=0
until dmesg | grep -q 'seawall-agent: connected'; do
	tries=$((tries + 1))
	if [ "$tries" -gt 30 ]; then
		echo "SW-L2: the agent did not connect within 30 s"
		dmesg | grep seawall-agent | sed 's/^/SW-L2: dmesg: /'
		exit 1
	fi
	sleep 1
done
echo "SW-L2: agent $(dmesg | grep -o 'seawall-agent: connected.*' | head -n 1)"

# The same workload as run A.
start_workload
sleep 2

for v in victim1 victim2 victim3; do
	echo "SW-L2: $v HardwareCorrupted before $(hwcorrupted) kB"
	swg poison "$v" --cpu 0 --access load
	echo "SW-L2: $v HardwareCorrupted after $(hwcorrupted) kB"
	if kill -0 "$workload" 2>/dev/null; then
		echo "SW-L2: workload still running ($(cat /tmp/workload.rounds 2>/dev/null || echo 0) rounds)"
	else
		echo "SW-L2: workload is gone"
	fi
done
echo "SW-L2: no restart after the third page"
