# tests/cli/lib.sh: exact-output checks of the seawall CLI, printed as TAP.
# A test script sources this file, calls cli_check (or cli_case, cli_assert)
# once per case, then cli_done.  $SEAWALL is the binary (tests/cli/run sets
# it).
#
#   cli_check NAME STATUS STDOUT STDERR -- ARGS...
#
# runs "$SEAWALL ARGS..." with no input and passes when its exit status is
# STATUS and its standard output and standard error are byte for byte
# STDOUT and STDERR, each followed by one newline ("" means nothing at all).
# With CLI_WRAP="CMD ARGS" set, it runs "CMD ARGS $SEAWALL ARGS..." instead.
#
#   cli_case NAME STATUS ARGS... <<EOF
#   expected stdout
#   --- stderr
#   expected stderr
#   EOF
#
# is cli_check with the expected output in a here-document, for long texts.
#
#   cli_assert NAME CMD [ARGS...]
#
# passes when CMD exits 0 (e.g. cmp -s FILE FIXTURE: a file was not changed).

cli_n=0
cli_failed=0
cli_tmp=$(mktemp -d "${TMPDIR:-/tmp}/seawall-cli.XXXXXX") || exit 1
trap 'rm -rf "$cli_tmp"' EXIT

# Compare FILE with TEXT plus a newline, or with nothing when TEXT is empty.
cli_same() {
	if [ -z "$2" ]; then
		[ ! -s "$1" ]
	else
		printf '%s\n' "$2" | cmp -s - "$1"
	fi
}

cli_diag() {
	if [ -n "$2" ]; then printf '%s\n' "$2"; fi >"$cli_tmp/want"
	echo "# $1 differs (- want, + got):"
	diff -u "$cli_tmp/want" "$cli_tmp/$1" | sed -n '3,$s/^/#   /p'
}

cli_check() {
	cli_name=$1 cli_status=$2 cli_out=$3 cli_err=$4
	shift 4
	[ "${1-}" = "--" ] && shift
	cli_n=$((cli_n + 1))
	${CLI_WRAP:-} "$SEAWALL" "$@" </dev/null >"$cli_tmp/stdout" 2>"$cli_tmp/stderr"
	cli_got=$?
	if [ "$cli_got" -eq "$cli_status" ] && cli_same "$cli_tmp/stdout" "$cli_out" &&
		cli_same "$cli_tmp/stderr" "$cli_err"; then
		echo "ok $cli_n - $cli_name"
		return 0
	fi
	cli_failed=$((cli_failed + 1))
	echo "not ok $cli_n - $cli_name"
	echo "# command: seawall $*"
	[ "$cli_got" -eq "$cli_status" ] || echo "# exit status $cli_got, want $cli_status"
	cli_same "$cli_tmp/stdout" "$cli_out" || cli_diag stdout "$cli_out"
	cli_same "$cli_tmp/stderr" "$cli_err" || cli_diag stderr "$cli_err"
	return 1
}

cli_case() {
	cli_case_name=$1 cli_case_status=$2
	shift 2
	cat >"$cli_tmp/expected"
	cli_check "$cli_case_name" "$cli_case_status" \
		"$(sed '/^--- stderr$/,$d' "$cli_tmp/expected")" \
		"$(sed -n '/^--- stderr$/,$p' "$cli_tmp/expected" | sed 1d)" -- "$@"
}

cli_assert() {
	cli_name=$1
	shift
	cli_n=$((cli_n + 1))
	if "$@"; then
		echo "ok $cli_n - $cli_name"
		return 0
	fi
	cli_failed=$((cli_failed + 1))
	echo "not ok $cli_n - $cli_name"
	echo "# failed: $*"
	return 1
}

cli_done() {
	echo "1..$cli_n"
	[ "$cli_failed" -eq 0 ]
}
