# Devices for the rig's qemu-system-aarch64: the virt board only.
# Passed to configure as --with-devices-aarch64 together with
# --without-default-devices, which cuts the build by a third.
CONFIG_ARM_VIRT=y
# QEMU 7.2's TCG target always links the M-profile code and semihosting;
# its Kconfig defaults them on only in a default-devices build.
CONFIG_ARM_V7M=y
# The TCG GICv3 is "default y" in Kconfig, which an allnoconfig build drops.
CONFIG_ARM_GICV3_TCG=y
