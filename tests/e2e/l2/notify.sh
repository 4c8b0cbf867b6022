# Scenario "notify" (policy: user_fault = notify, the default) with
# seawall-agent: each victim gets SIGBUS BUS_MCEERR_AR at its address and
# the guest's HardwareCorrupted grows by a page, while a workload keeps
# allocating and freeing memory on vCPU 1.
#   victim   a load on vCPU 0
#   store    a store on vCPU 1
#   stalled  the agent is stopped when the notification comes, then
#            killed and started again: the VMM sends it again
. /e2e/agent.sh
start_agent 1 || exit 1
echo "SW-L2: hardware corrupted $(corrupted) kB"
swg churn 8 1000000 --cpu 1 >/dev/null &
churn=$!

swg poison victim --cpu 0 --access load
echo "SW-L2: hardware corrupted $(corrupted) kB"
swg poison store --cpu 1 --access store
echo "SW-L2: hardware corrupted $(corrupted) kB"

kill -STOP $agent
swg poison stalled --cpu 0 --access load &
victim=$!
sleep 1
kill -KILL $agent
wait $agent 2>/dev/null
start_agent 2 || exit 1
wait $victim
echo "SW-L2: hardware corrupted $(corrupted) kB"

kill -0 $churn && echo "SW-L2: the workload is still running"
kill $churn
