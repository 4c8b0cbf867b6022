# Shared settings for the rig scripts (sourced, not executed).
#
# Everything big lives outside the clone, under $SW_CACHE, keyed by the
# version of what was fetched and a hash of our patches, so that a second
# `rig/setup` does nothing and a fresh clone reuses an existing cache.

SW_RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SW_TOP=$(cd "$SW_RIG_DIR/.." && pwd)
SW_CACHE=${SEAWALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/seawall}

# The file rig/setup writes last; rig/run and the build read it.
SW_CURRENT=$SW_CACHE/current.env

sw_log() { printf 'rig: %s\n' "$*" >&2; }
sw_die() {
	printf 'rig: error: %s\n' "$*" >&2
	exit 1
}

# Run as root, through sudo when we are not root.
sw_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo -n "$@" || sw_die "'$*' needs root: run it once with sudo, or run rig/setup as root"
	else
		sw_die "'$*' needs root and sudo is not installed"
	fi
}

# sha256 of the given files' names and contents, 12 hex digits.
sw_hash_files() {
	local f
	for f in "$@"; do
		printf '%s\n' "$(basename "$f")"
		cat "$f"
	done | sha256sum | cut -c1-12
}

sw_load_current() {
	[ -r "$SW_CURRENT" ] || sw_die "the rig is not set up ($SW_CURRENT is missing): run rig/setup"
	# shellcheck disable=SC1090
	. "$SW_CURRENT"
}
