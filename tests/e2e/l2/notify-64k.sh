# Scenario "notify-64k" (default policy: user_fault = notify) on a host
# with 64 KiB pages (rig/run --kernel patched) under this 4 KiB guest.
# The victim's page sits one guest page into a host page whose sixteen guest
# pages are all the victim's (swg --host-page), so that the agent, told
# about the whole host page, takes nobody else's memory: the guest's
# HardwareCorrupted grows by all sixteen, 64 kB, and the victim gets SIGBUS
# BUS_MCEERR_AR at its address with the guest's si_addr_lsb, 12.
. /e2e/agent.sh
start_agent 1 || exit 1
echo "SW-L2: hardware corrupted $(corrupted) kB"
swg poison victim --cpu 0 --access load --host-page 65536
echo "SW-L2: hardware corrupted $(corrupted) kB"
# What the agent did with the one notification, from its kernel-log line.
echo "SW-L2: agent: $(dmesg | sed -n 's/^.*seawall-agent: \(notification .*\)$/\1/p')"
