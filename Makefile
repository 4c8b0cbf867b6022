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

setup:
	rig/setup

# current.env names the arm64 sysroot (libfdt) that rig/setup fetched.
SYSROOT = $(shell . $${SEAWALL_CACHE:-$${XDG_CACHE_HOME:-$$HOME/.cache}/seawall}/current.env 2>/dev/null && echo $$ARM64_SYSROOT)

$(BUILD)/host/build.ninja:
	$(MESON) setup $(BUILD)/host --werror

$(BUILD)/asan/build.ninja:
	$(MESON) setup $(BUILD)/asan --werror -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

$(BUILD)/fuzz/build.ninja:
	CC=clang $(MESON) setup $(BUILD)/fuzz --werror -Dfuzz=enabled -Dbuildtype=debugoptimized

$(BUILD)/aarch64/build.ninja:
	$(MESON) setup $(BUILD)/aarch64 --werror --cross-file cross/aarch64-linux-gnu.ini \
		-Ddefault_library=static -Dprefer_static=true -Darm64_sysroot=$(SYSROOT)

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

demo: setup
	$(MAKE) build-host build-aarch64
	demo/run

format:
	git ls-files '*.c' '*.h' | grep -v '^rig/qemu/' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
