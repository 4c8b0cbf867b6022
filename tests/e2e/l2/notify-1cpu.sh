# Scenario "notify-1cpu" (policy: containment = replace), one vCPU:
#   noagent  consumed before any agent runs: the policy falls back to
#            inject (BUS_OBJERR) and replaces the page
#   victim   with the agent, which can only run on the vCPU that keeps
#            faulting, between its re-entries
. /e2e/agent.sh
swg poison noagent --cpu 0 --access load
start_agent 1 || exit 1
echo "SW-L2: hardware corrupted $(corrupted) kB"
swg poison victim --cpu 0 --access load
echo "SW-L2: hardware corrupted $(corrupted) kB"
