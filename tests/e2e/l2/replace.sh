# Scenario "replace" (policy: user_fault = inject, containment = replace).
# Every fault here is a process's, and the guest survives them all:
#   victim       a load; the page then gets fresh memory, and the churn
#                that reuses it is harmless
#   left/right   two vCPUs consume two poisoned pages at the same time
#   during-hold  an SEA on vCPU 0 while vCPU 1 sits in an MMIO exit
#   offlined     the host takes the page first (hard_offline_page in L1):
#                SIGBUS AO to the VMM, then AR when the guest touches it
swg poison victim --cpu 0 --access load
swg churn 64 4 --cpu 0
echo "SW-L2: survived the reuse"

rm -f /tmp/go
swg poison left --cpu 0 --wait-file /tmp/go &
swg poison right --cpu 1 --wait-file /tmp/go &
sleep 1
touch /tmp/go
wait

swg hold 5000 --cpu 1 &
swg poison during-hold --cpu 0 --while-held
wait

swg poison offlined --cpu 0 --cmd offline
swg churn 64 2 --cpu 0
echo "SW-L2: replace scenario done"
