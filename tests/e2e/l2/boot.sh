# Scenario "boot": the guest runs commands, reads console input (through
# the 16550's receive interrupt), reboots once, and powers off after the
# second boot.
boot=$1
if [ "$boot" = 1 ]; then
	echo "SW-L2: uname $(uname -r)"
	echo "SW-L2: online $(cat /sys/devices/system/cpu/online)"
	echo "SW-L2: ready for input"
	read -r line
	echo "SW-L2: got <$line>"
	echo "SW-L2: rebooting"
	# The 8250 sends from its buffer on interrupts: let it drain first.
	sleep 1
	reboot -f
	sleep 10
	echo "SW-L2: reboot did not happen"
else
	echo "SW-L2: second boot"
fi
