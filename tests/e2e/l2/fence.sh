# Scenario "fence" (policy: user_fault = inject, containment = fence).
# Boot 1: a process consumes poison and dies of the injected SEA; the
# churn then makes the guest kernel reuse the freed page, which is fenced:
# its access comes back to the VMM, whose policy restarts the VM.
# Boot 2: the guest is back.
if [ "$1" = 1 ]; then
	swg poison victim --cpu 0 --access load
	swg churn 64 4 --cpu 0
	echo "SW-L2: the guest kernel did not reuse the page"
else
	echo "SW-L2: back after the restart"
fi
