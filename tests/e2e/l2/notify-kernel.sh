# Scenario "notify-kernel" (default policy): the host finds a page bad
# before anyone consumed it (SIGBUS AO), and it holds one of the guest
# kernel's page tables.  The VMM tells the agent, the guest kernel cannot
# offline its own page table (FAILED kernel), and the policy's fallback
# takes over: the page is contained, the process that uses the table gets
# the injected SEA, and once the guest kernel touches the page the VM
# restarts.
. /e2e/agent.sh
if [ "$1" = 1 ]; then
	start_agent 1 || exit 1
	rm -f /tmp/go
	swg ptable table --cpu 0 --cmd offline --wait-file /tmp/go &
	tries=0
	until dmesg | grep -q 'seawall-agent: page .* not offlined: kernel'; do
		tries=$((tries + 1))
		[ $tries -gt 100 ] && break
		sleep 0.1
	done
	echo "SW-L2: agent answers kernel: $(dmesg | grep -c 'not offlined: kernel')"
	touch /tmp/go
	wait
	echo "SW-L2: the guest kernel did not touch its page table"
else
	echo "SW-L2: back after the restart"
fi
