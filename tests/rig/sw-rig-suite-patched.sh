#!/bin/sh
# sw-rig-suite-patched: the rig's KVM suite on the kernel with seawall's
# series (docs/kernel.md), in one L1 boot:
#
#   rig/run --kernel patched --timeout 900 -- sw-rig-suite-patched
#
# The series' own programs and every conformance program that must hold on
# any kernel (tests/rig/meson.build lists them), then the kernel's own KVM
# selftest that the series extends (rig/setup --patched-kernel builds it,
# rig/run --kernel patched puts it in /bin; it loads its own ELF, hence the
# full path), all through sw-rig-suite and its per-program checks.
exec sw-rig-suite @PROGRAMS@ /bin/kvm-external_aborts
