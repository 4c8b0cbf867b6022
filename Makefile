# seawall: top-level entry points.
#
#   make demo    set up the rig if needed and show a Linux guest surviving
#                consumed memory poison on real KVM
#   make check   set up the rig if needed, build everything, run every test
#
# Both install what they need (Debian packages through rig/setup).

BUILD ?= build
MESON ?= meson

.PHONY: all setup build build-host build-asan build-fuzz build-aarch64 check demo clean format

all: build

# --patched-kernel: also the arm64 kernel with kernel/*.patch (cached).
setup:
	rig/setup --patched-kernel

# current.env names the sysroot rig/setup unpacked (arm64 libfdt, kernel UAPI headers).
SYSROOT = $(shell . $${SEAWALL_CACHE:-$${XDG_CACHE_HOME:-$$HOME/.cache}/seawall}/current.env 2>/dev/null && echo $$SYSROOT)

MESON_OPTS = --werror -Dsysroot=$(SYSROOT)

# Reconfigure from scratch when rig/setup moved to another sysroot: the
# stamp is rewritten (at parse time) only when its content changes.
_ := $(shell mkdir -p $(BUILD) && { echo '$(SYSROOT)' | cmp -s - $(BUILD)/.sysroot || echo '$(SYSROOT)' >$(BUILD)/.sysroot; })

$(BUILD)/host/build.ninja: $(BUILD)/.sysroot
	rm -rf $(BUILD)/host
	$(MESON) setup $(BUILD)/host $(MESON_OPTS)

$(BUILD)/asan/build.ninja: $(BUILD)/.sysroot
	rm -rf $(BUILD)/asan
	$(MESON) setup $(BUILD)/asan $(MESON_OPTS) -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

$(BUILD)/fuzz/build.ninja: $(BUILD)/.sysroot
	rm -rf $(BUILD)/fuzz
	CC=clang $(MESON) setup $(BUILD)/fuzz $(MESON_OPTS) -Dfuzz=enabled -Dbuildtype=debugoptimized

$(BUILD)/aarch64/build.ninja: $(BUILD)/.sysroot
	rm -rf $(BUILD)/aarch64
	$(MESON) setup $(BUILD)/aarch64 $(MESON_OPTS) --cross-file cross/aarch64-linux-gnu.ini \
		-Ddefault_library=static -Dprefer_static=true

build-host: $(BUILD)/host/build.ninja
	ninja -C $(BUILD)/host
build-asan: $(BUILD)/asan/build.ninja
	ninja -C $(BUILD)/asan
build-fuzz: $(BUILD)/fuzz/build.ninja
	ninja -C $(BUILD)/fuzz
build-aarch64: $(BUILD)/aarch64/build.ninja
	ninja -C $(BUILD)/aarch64

build: build-host build-asan build-fuzz build-aarch64

check: setup
	$(MAKE) build
	tests/run

# The demo needs the rig, not the patched kernel.
demo:
	rig/setup
	$(MAKE) build-host build-aarch64
	demo/run

format:
	git ls-files '*.c' '*.h' | grep -v '^rig/qemu/' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
