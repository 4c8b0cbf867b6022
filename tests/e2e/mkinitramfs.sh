#!/bin/sh
# mkinitramfs.sh OUT ENVFILE MKCPIO INIT [FILE...]
#
# Build the L2 guest's initramfs: busybox (the BUSYBOX named in ENVFILE,
# rig/setup's current.env), INIT as /init, every FILE in /e2e (scripts
# keep their names, programs too).  MKCPIO is rig/lib/mkcpio.py, which
# writes the newc archive without root (so /dev/console is a real node).
set -eu
out=$1 envfile=$2 mkcpio=$3 init=$4
shift 4

BUSYBOX=
. "$envfile"
[ -n "$BUSYBOX" ] && [ -r "$BUSYBOX" ] || {
	echo "mkinitramfs.sh: $envfile names no readable BUSYBOX: run rig/setup" >&2
	exit 1
}

spec=$out.spec
{
	for d in /bin /dev /e2e /proc /sys /tmp; do
		echo "dir $d 755"
	done
	echo "nod /dev/console 600 c 5 1"
	echo "nod /dev/null 666 c 1 3"
	echo "file /bin/busybox 755 $BUSYBOX"
	echo "slink /bin/sh 777 busybox"
	echo "file /init 755 $init"
	for f in "$@"; do
		echo "file /e2e/$(basename "$f") 755 $f"
	done
} >"$spec"
python3 "$mkcpio" "$spec" "$out"
rm -f "$spec"
