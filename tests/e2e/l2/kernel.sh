# Scenario "kernel" (default policy: kernel_fault = restart).
# Boot 1: the guest kernel itself reads a poisoned page (copy_from_user
# for write(2)); boot 2: a poisoned page holds one of the guest's own
# page tables; each time the policy restarts the VM.  Boot 3 ends it.
case $1 in
1) swg poison kernel-victim --cpu 0 --access kernel ;;
2) swg ptable ptable --cpu 0 ;;
*) echo "SW-L2: third boot" ;;
esac
