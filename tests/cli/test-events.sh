# seawall events summary: exact text and JSON for a run of events written
# by the library itself (decode -> policy -> sw_event_write, through
# sw-events-writer), malformed lines counted and reported by number without
# failing, unreadable files, and usage errors.
. "$(dirname "$0")/lib.sh"

writer=$(dirname "$SEAWALL")/../tests/cli/sw-events-writer
log=$cli_tmp/events.log
"$writer" "$log" || { echo "not ok 1 - sw-events-writer failed"; exit 1; }
usage="usage: seawall events summary FILE [--json] (see seawall events --help)"

summary="file: $log
events: 8
malformed lines: 0
span: 2026-11-28T08:34:56Z to 2026-11-28T09:34:56Z (3600.000 s)
rate: 8.000 events per hour; busiest minute: 4
distinct pages: 4
by source: kvm_exit 6, fenced 1, sigbus_ao 1
by class: sea 6, none 2
by action: inject 2, notify 2, restart 2, retry 2, fence 1, log 1
by outcome: injected 2, notified 2, restarted 2, offlined 1, retried 1"
cli_check "the library's own log" 0 "$summary" "" -- events summary "$log"

json="{\"file\":\"$log\",\"events\":8,\"malformed\":0,\"malformed_lines\":[],\
\"first_ns\":1795854896000000000,\"last_ns\":1795858496000000000,\"span_ns\":3600000000000,\
\"events_per_hour\":8.000,\"busiest_minute\":4,\"distinct_pages\":4,\
\"by_source\":{\"kvm_exit\":6,\"fenced\":1,\"sigbus_ao\":1},\"by_class\":{\"sea\":6,\"none\":2},\
\"by_action\":{\"inject\":2,\"notify\":2,\"restart\":2,\"retry\":2,\"fence\":1,\"log\":1},\
\"by_outcome\":{\"injected\":2,\"notified\":2,\"restarted\":2,\"offlined\":1,\"retried\":1}}"
cli_check "--json" 0 "$json" "" -- events summary --json "$log"

# Two good events around every kind of bad line.
bad=$cli_tmp/bad.log
good1=$(sed -n 1p "$log")
good2=$(sed -n 8p "$log")
{
	printf '%s\n' "$good1"
	printf 'not json\n'
	printf '\n'
	printf '{}\n'
	printf '[1,2]\n'
	printf '%s\n' "$good1" | sed 's/"version":1/"version":2/'
	printf '%s\n' "$good1" | cut -c1-100
	printf '%s\n' "$good1" | sed 's/"time_ns":[0-9]*/"time_ns":-1/'
	printf '%s\n' "$good1" | sed 's/"source":"kvm_exit"/"source":"KVM exit"/'
	printf '%s\n' "$good1" | sed 's/"page":"0x80010000"/"page":"0xzz"/'
	printf '%s\n' "$good1" | sed 's/"vm":"web-1"/"vm":"w\\qeb"/'
	printf '%s\n' "$good1" | sed 's/{"version":1,/{"version":1,"version":1,/'
	printf '%s x\n' "$good1"
	printf '{"version":1,"time_ns":1,"source":"esr","class":"sea","actions":[],"vm":"\377"}\n'
	printf '{"version":1,"time_ns":1,"source":"esr","class":"sea","actions":[]}\n'
	printf 'a\000b\n'
	printf '%s\n' "$good2"
} >"$bad"
cli_check "malformed lines are counted, listed and never fatal" 0 "file: $bad
events: 2
malformed lines: 15 (lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
span: 2026-11-28T08:34:56Z to 2026-11-28T09:34:56Z (3600.000 s)
rate: 2.000 events per hour; busiest minute: 1
distinct pages: 1
by source: kvm_exit 2
by class: sea 2
by action: notify 1, restart 1, retry 1
by outcome: notified 1, restarted 1" "seawall events: $bad:2: malformed event: not a JSON object
seawall events: $bad:3: malformed event: an empty line
seawall events: $bad:4: malformed event: \"version\" is missing
seawall events: $bad:5: malformed event: not a JSON object
seawall events: $bad:6: malformed event: \"version\" is not 1: this seawall reads version 1
seawall events: $bad:7: malformed event: invalid JSON: an unterminated string
seawall events: $bad:8: malformed event: \"time_ns\" is not a whole number
seawall events: $bad:9: malformed event: \"source\" is not a name
seawall events: $bad:10: malformed event: \"page\" is not a hex address or null
seawall events: $bad:11: malformed event: invalid JSON: a bad escape in a string
seawall events: $bad:12: malformed event: a member appears twice
seawall events: $bad:13: malformed event: text after the object
seawall events: $bad:14: malformed event: not UTF-8
seawall events: $bad:15: malformed event: \"outcome\" is missing
seawall events: $bad:16: malformed event: a NUL byte" -- events summary "$bad"

# The summary of a log with no events, after its "malformed lines" line.
no_events="span: none
rate: none (the events span no time); busiest minute: 0
distinct pages: 0
by source: none
by class: none
by action: none
by outcome: none"

# More than 20 bad lines: the first 20 are listed, the rest counted.
many=$cli_tmp/many.log
i=0
while [ $i -lt 25 ]; do echo garbage; i=$((i + 1)); done >"$many"
cli_check "only the first 20 malformed lines are listed" 0 "file: $many
events: 0
malformed lines: 25 (lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 and 5 more)
$no_events" "$(i=1; while [ $i -le 20 ]; do
	echo "seawall events: $many:$i: malformed event: not a JSON object"; i=$((i + 1)); done)
seawall events: $many: 5 more malformed lines not shown" -- events summary "$many"
cli_check "--json lists the first 20 too" 0 "{\"file\":\"$many\",\"events\":0,\"malformed\":25,\
\"malformed_lines\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20],\"first_ns\":null,\
\"last_ns\":null,\"span_ns\":null,\"events_per_hour\":null,\"busiest_minute\":0,\
\"distinct_pages\":0,\"by_source\":{},\"by_class\":{},\"by_action\":{},\"by_outcome\":{}}" \
	"$(i=1; while [ $i -le 20 ]; do
	echo "seawall events: $many:$i: malformed event: not a JSON object"; i=$((i + 1)); done)
seawall events: $many: 5 more malformed lines not shown" -- events summary "$many" --json

one=$cli_tmp/one.log
printf '%s\n' "$good2" >"$one"
cli_check "one event spans no time" 0 "file: $one
events: 1
malformed lines: 0
span: 2026-11-28T09:34:56Z to 2026-11-28T09:34:56Z (0.000 s)
rate: none (the events span no time); busiest minute: 1
distinct pages: 0
by source: kvm_exit 1
by class: sea 1
by action: restart 1
by outcome: restarted 1" "" -- events summary "$one"
cli_check "standard input, empty" 0 "file: -
events: 0
malformed lines: 0
$no_events" "" -- events summary -

cli_check "missing file" 1 "" \
	"seawall events: $cli_tmp/nope.log: cannot open: No such file or directory" \
	-- events summary "$cli_tmp/nope.log"
cli_check "a directory" 1 "" "seawall events: $cli_tmp: cannot read: Is a directory" \
	-- events summary "$cli_tmp"

cli_check "no subcommand" 2 "" "seawall events: missing subcommand
$usage" -- events
cli_check "unknown subcommand" 2 "" "seawall events: unknown subcommand 'list'
$usage" -- events list "$log"
cli_check "missing FILE" 2 "" "seawall events: missing FILE
$usage" -- events summary
cli_check "two files" 2 "" "seawall events: more than one FILE ('b')
$usage" -- events summary a b
cli_check "unknown option" 2 "" "seawall events: unknown option '--top'
$usage" -- events summary --top "$log"

help=$(cat <<'EOT'
usage: seawall events summary FILE [--json]

Summarise an event log written by sw_event_write() (one JSON object per
line, docs/events.md): events by source, fault class, action and
outcome, distinct guest pages, the time the log spans and the event rate.
FILE '-' is standard input.  Lines that are not version 1 events are
counted and reported on standard error with their line numbers.

  --json     print one JSON object instead of text
  -h, --help print this help

Exit status: 0 the log was read (malformed lines included); 1 it could not
be read; 2 a usage error.
EOT
)
cli_check "--help" 0 "$help" "" -- events --help
cli_check "-h after bad arguments" 0 "$help" "" -- events list x y -h

cli_done
