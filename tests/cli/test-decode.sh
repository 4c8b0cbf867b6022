# seawall decode: the exact line, JSON, reason and exit status for SEAs, for
# valid ESRs that are not SEAs, and for usage errors.  The three SEAs are the
# ESRs Linux 7.3 reported in the rig for a load, a store and a fetch.
. "$(dirname "$0")/lib.sh"

usage="usage: seawall decode ESR [--json] (see seawall decode --help)"
load="data abort from a lower EL, read: synchronous external abort, not on a table walk (DFSC 0x10); EA 1; SET UER (recoverable); ESR 0x92000210"
store="data abort from a lower EL, write: synchronous external abort, not on a table walk (DFSC 0x10); EA 1; SET UER (recoverable); ESR 0x92000250"
fetch="instruction abort from a lower EL: synchronous external abort, not on a table walk (IFSC 0x10); EA 1; SET UER (recoverable); ESR 0x82000210"
load_json='{"source":"esr","esr":"0x92000210","ec":"0x24","type":"data","from_lower_el":true,"il":true,"fsc":"0x10","fsc_class":"sea","level":null,"fnv":false,"ea":true,"cm":false,"s1ptw":false,"wnr":false,"set":"uer","gva":null,"gpa":null,"hva":null,"addr_lsb":null}'

cli_check "fetch: instruction abort, lower EL, SEA not on a walk" 0 "$fetch" "" -- decode 0x82000210
cli_check "store: data abort, write" 0 "$store" "" -- decode 0x92000250
cli_check "load" 0 "$load" "" -- decode 0x92000210
cli_check "decimal ESR" 0 "$store" "" -- decode 2449474128
cli_check "0X prefix and upper-case digits" 0 "$fetch" "" -- decode 0X82000210
cli_check "leading zeros are decimal, not octal" 0 "$store" "" -- decode 002449474128
cli_check "walk at level 1 from the current EL" 0 \
	"data abort from the current EL, read: synchronous external abort on a table walk, level 1 (DFSC 0x15); EA 0; ESR 0x96000015" "" \
	-- decode 0x96000015
cli_check "--json after the ESR" 0 "$load_json" "" -- decode 0x92000210 --json
cli_check "--json before the ESR" 0 "$load_json" "" -- decode --json 0x92000210

cli_check "SVC: not an abort" 1 "" "seawall decode: 0x56000000: EC 0x15 is an SVC, not an abort" \
	-- decode 0x56000000
cli_check "translation fault: not an external abort" 1 "" \
	"seawall decode: 0x92000007: DFSC 0x07 is a translation fault, not an external abort" \
	-- decode 0x92000007
cli_check "reserved DFSC" 1 "" "seawall decode: 0x9200001a: DFSC 0x1a is reserved, not an external abort" \
	-- decode 0x9200001A
cli_check "largest 64-bit value is a number, not an SEA" 1 "" \
	"seawall decode: 0xffffffffffffffff: EC 0x3f is unallocated, not an abort" \
	-- decode 18446744073709551615
cli_check "not an SEA with --json: still the reason" 1 "" \
	"seawall decode: 0x0: EC 0x00 is an exception with an unknown reason, not an abort" \
	-- decode --json 0

cli_check "missing ESR" 2 "" "seawall decode: missing ESR
$usage" -- decode
cli_check "--json alone" 2 "" "seawall decode: missing ESR
$usage" -- decode --json
cli_check "garbage" 2 "" "seawall decode: 'zz' is not a number: give the ESR in hex (0x92000210) or decimal
$usage" -- decode zz
cli_check "0x with no digits" 2 "" "seawall decode: '0x' is not a number: give the ESR in hex (0x92000210) or decimal
$usage" -- decode 0x
cli_check "trailing garbage" 2 "" "seawall decode: '12abc' is not a number: give the ESR in hex (0x92000210) or decimal
$usage" -- decode 12abc
cli_check "hex digits without 0x" 2 "" "seawall decode: '92000a10' is not a number: give the ESR in hex (0x92000210) or decimal
$usage" -- decode 92000a10
cli_check "surrounding space" 2 "" "seawall decode: ' 0x92000210' is not a number: give the ESR in hex (0x92000210) or decimal
$usage" -- decode " 0x92000210"
cli_check "negative number" 2 "" "seawall decode: unknown option '-5'
$usage" -- decode -5
cli_check "hex past 64 bits" 2 "" "seawall decode: '0x10000000000000000' does not fit in 64 bits
$usage" -- decode 0x10000000000000000
cli_check "decimal past 64 bits" 2 "" "seawall decode: '18446744073709551616' does not fit in 64 bits
$usage" -- decode 18446744073709551616
cli_check "two ESRs" 2 "" "seawall decode: more than one ESR ('0x2')
$usage" -- decode 0x1 0x2
cli_check "unknown option" 2 "" "seawall decode: unknown option '--verbose'
$usage" -- decode --verbose 0x92000210

help=$(cat <<'EOT'
usage: seawall decode ESR [--json]

Decode an exception syndrome (ESR_EL1, ESR_EL2 or a KVM_EXIT_ARM_SEA esr)
as a synchronous external abort.  ESR is hexadecimal with a 0x prefix, or
decimal.

  --json     print one JSON object instead of a line
  -h, --help print this help

Exit status: 0 an SEA; 1 a valid ESR that is not an SEA (the reason is on
standard error); 2 a usage error.
EOT
)
cli_check "--help" 0 "$help" "" -- decode --help
cli_check "-h, even with other arguments" 0 "$help" "" -- decode zz -h

cli_done
