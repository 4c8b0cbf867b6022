# Sourced by the notify scenarios: start seawall-agent and wait for it.
#
#   start_agent N   start the agent and wait until the kernel log says
#                   "connected" N times in all (N = 1, then 2 after a
#                   restart of the agent); sets $agent to its pid
#   corrupted       the guest's HardwareCorrupted, in kB

# The agent logs to the kernel log; keep those lines off the console.
dmesg -n 1

start_agent() {
	seawall-agent --port /dev/ttyS1 &
	agent=$!
	tries=0
	while [ "$(dmesg | grep -c 'seawall-agent: connected')" -lt "$1" ]; do
		tries=$((tries + 1))
		if [ $tries -gt 300 ]; then
			echo "SW-L2: the agent did not connect"
			dmesg | grep -e seawall -e ttyS
			grep -e serial -e ttyS /proc/interrupts; cat /proc/tty/driver/serial
			return 1
		fi
		sleep 0.1
	done
	echo "SW-L2: agent connected ($1)"
}

corrupted() {
	sed -n 's/^HardwareCorrupted: *\([0-9]*\) kB$/\1/p' /proc/meminfo
}
