# L2 side of `make demo`, run A (swtest=demo-inject; the policy says
# user_fault = inject): what the kernel documentation suggests for
# KVM_EXIT_ARM_SEA, and why it is not enough for a guest without
# firmware-first RAS.
# Boot 1: a workload allocates and frees memory in a loop; a victim
# process consumes poison and dies of the injected SEA (BUS_OBJERR); the
# guest does not learn which page is bad, so its kernel reuses the freed
# page for the workload and consumes the poison itself (EL1): the policy
# restarts the VM.  Boot 2: the guest is back on fresh memory.
# Console markers ("SW-L2: ") are read by demo/narrate.py.
set -eu

. /e2e/demo-common.sh
after_restart "$1"

start_workload
sleep 2

echo "SW-L2: victim HardwareCorrupted before $(hwcorrupted) kB"
swg poison victim --cpu 0 --access load
echo "SW-L2: victim HardwareCorrupted after $(hwcorrupted) kB"

# The restart comes from the workload's allocations; give it time.
sleep 120
echo "SW-L2: the guest kernel did not reuse the page"
