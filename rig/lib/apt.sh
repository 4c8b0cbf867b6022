# A private apt for the rig (sourced by rig/setup).
#
# The rig needs packages from Debian suites this machine does not list:
# qemu's source for bookworm, and arm64 binaries from bookworm and
# trixie-backports.  We never touch the machine's own apt state; we build a
# private sources file and state directory under $SW_CACHE/apt from the
# archive URI the machine's apt configuration already uses, so no mirror
# host is ever written into this repository.

SW_APT=$SW_CACHE/apt

# The URI of the Debian archive this machine uses: the first entry whose
# suites include the machine's own codename (not -security, -updates or
# -backports).  SEAWALL_DEBIAN_URI overrides it.
sw_debian_uri() {
	if [ -n "${SEAWALL_DEBIAN_URI:-}" ]; then
		printf '%s\n' "$SEAWALL_DEBIAN_URI"
		return
	fi
	local codename f uri
	codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-bookworm}")
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		# deb822 stanzas: print the URIs of stanzas whose Suites hold the codename.
		uri=$(awk -v cn="$codename" '
			function flush() {
				if (!found && uris != "" && match(" " suites " ", " " cn " ")) { split(uris, u, " "); print u[1]; found = 1 }
				uris = ""; suites = ""
			}
			/^[[:space:]]*$/ { flush(); next }
			/^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
			/^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
			END { flush() }' "$f")
		if [ -n "$uri" ]; then
			printf '%s\n' "$uri"
			return
		fi
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		uri=$(awk -v cn="$codename" '
			$1 == "deb" { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i + 1) == cn) { print $i; exit } }' "$f")
		if [ -n "$uri" ]; then
			printf '%s\n' "$uri"
			return
		fi
	done
	sw_die "cannot find the Debian archive in this machine's apt configuration; set SEAWALL_DEBIAN_URI"
}

SW_APT_OPTS=()

sw_apt_init() {
	local uri keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	uri=$(sw_debian_uri)
	mkdir -p "$SW_APT/lists/partial" "$SW_APT/archives/partial" "$SW_APT/etc"
	: >"$SW_APT/status.new"
	[ -e "$SW_APT/status" ] || mv "$SW_APT/status.new" "$SW_APT/status"
	rm -f "$SW_APT/status.new"
	cat >"$SW_APT/etc/sources.list.new" <<EOF
deb-src [signed-by=$keyring] $uri bookworm main
deb [arch=arm64 signed-by=$keyring] $uri bookworm main
deb [arch=arm64 signed-by=$keyring] $uri trixie-backports main
EOF
	mv "$SW_APT/etc/sources.list.new" "$SW_APT/etc/sources.list"
	SW_APT_OPTS=(
		-o "Dir::Etc::SourceList=$SW_APT/etc/sources.list"
		-o "Dir::Etc::SourceParts=/dev/null"
		-o "Dir::Etc::Preferences=/dev/null"
		-o "Dir::Etc::PreferencesParts=/dev/null"
		-o "Dir::State::Lists=$SW_APT/lists"
		-o "Dir::State::status=$SW_APT/status"
		-o "Dir::Cache=$SW_APT"
		-o "Dir::Cache::Archives=$SW_APT/archives"
		-o "APT::Architectures::=arm64"
		-o "APT::Sandbox::User=root"
		-o "Debug::NoLocking=1"
	)
}

# Refresh the private package lists at most once per run of rig/setup.
SW_APT_UPDATED=
sw_apt_update() {
	[ -n "$SW_APT_UPDATED" ] && return
	sw_log "refreshing the private package lists (bookworm sources, bookworm and trixie-backports arm64)"
	apt-get -q "${SW_APT_OPTS[@]}" update >"$SW_APT/update.log" 2>&1 ||
		sw_die "apt-get update for the private lists failed; see $SW_APT/update.log"
	SW_APT_UPDATED=1
}

sw_apt_cache() { apt-cache "${SW_APT_OPTS[@]}" "$@"; }

# sw_apt_download DIR PKG[=VERSION]...: fetch .deb files into DIR.
sw_apt_download() {
	local dir=$1
	shift
	mkdir -p "$dir"
	(cd "$dir" && apt-get -q "${SW_APT_OPTS[@]}" download "$@") >"$SW_APT/download.log" 2>&1 ||
		sw_die "apt-get download $* failed; see $SW_APT/download.log"
}

# sw_apt_source DIR PKG=VERSION: fetch a source package (not unpacked) into DIR.
sw_apt_source() {
	local dir=$1
	shift
	mkdir -p "$dir"
	(cd "$dir" && apt-get -q "${SW_APT_OPTS[@]}" source --download-only "$@") >"$SW_APT/source.log" 2>&1 ||
		sw_die "apt-get source $* failed; see $SW_APT/source.log"
}
