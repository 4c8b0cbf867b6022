# seawall journal show|check|compact: the exact output, exit status and
# effect on the file for every kind of journal.  The fixtures
# (journal-data/*.jrn) come from journal-data/mkjournals.py, an encoder of
# docs/journal.md independent of the library: clean.jrn holds four events on
# three pages and a restart; torn.jrn adds 40 bytes of a sixth record;
# middle.jrn has one bit flipped in its second record; header.jrn one in its
# header; version2.jrn is a valid version 2 header; compacted.jrn is
# clean.jrn with its first three events folded; empty.jrn is empty;
# fenced.jrn holds an event of each kind a fenced page gives.  The
# cases run in a scratch directory holding copies of them, so messages name
# the files as the cases do.
. "$(dirname "$0")/lib.sh"

data=$(cd "$(dirname "$0")" && pwd)/journal-data
mkdir "$cli_tmp/journals" && cp "$data"/*.jrn "$cli_tmp/journals"/ && cd "$cli_tmp/journals" || {
	echo "not ok 1 - cannot copy the fixtures"
	exit 1
}

# ---- show -----------------------------------------------------------------

# The records of clean.jrn (and of torn.jrn before its tail), as show prints them.
clean_records='      64  event seq=1 time=2026-11-22T10:00:00.000000001Z gpa=0x80010000 source=kvm_exit el=1 vcpu=0 esr=0x92000210 gva=0x80010048 actions=inject,fence
     128  event seq=2 time=2026-11-22T10:00:02.000000000Z gpa=0x80010000 source=kvm_exit el=1 vcpu=1 esr=0x92000250 gva=0x80010ff8 actions=inject,fence
     192  event seq=3 time=2026-11-22T10:01:00.000000000Z gpa=0x80022000 source=sigbus_ar el=0 vcpu=1 esr=0x0 gva=- actions=notify
     256  restart seq=4 time=2026-11-22T10:01:01.000000000Z reason=page_threshold
     320  event seq=5 time=2026-11-22T11:00:00.000000000Z gpa=0x9abc0000 source=kvm_exit el=0 vcpu=3 esr=0x82000210 gva=0x400000 actions=inject,replace
5 records: 4 events, 1 restart, 3 distinct pages'

cli_case "show: every record and the summary" 0 journal show clean.jrn <<EOF
journal clean.jrn: version 1, granule 4 KiB
$clean_records
EOF

cli_case "show: summary and page records count in the totals" 0 journal show compacted.jrn <<'EOF'
journal compacted.jrn: version 1, granule 4 KiB
      64  summary last_seq=3 cutoff=2026-11-22T10:01:00.999999999Z events=3 restarts=0 last_event=2026-11-22T10:01:00.000000000Z last_restart=-
     128  page gpa=0x80010000 events=2 first=2026-11-22T10:00:00.000000001Z last=2026-11-22T10:00:02.000000000Z actions=inject,fence
     192  page gpa=0x80022000 events=1 first=2026-11-22T10:01:00.000000000Z last=2026-11-22T10:01:00.000000000Z actions=notify
     256  restart seq=4 time=2026-11-22T10:01:01.000000000Z reason=page_threshold
     320  event seq=5 time=2026-11-22T11:00:00.000000000Z gpa=0x9abc0000 source=kvm_exit el=0 vcpu=3 esr=0x82000210 gva=0x400000 actions=inject,replace
5 records: 4 events, 1 restart, 3 distinct pages
EOF

cli_case "show: a re-access of a fenced page" 0 journal show fenced.jrn <<'EOF'
journal fenced.jrn: version 1, granule 4 KiB
      64  event seq=1 time=2026-11-22T10:00:00.000000000Z gpa=0x80500000 source=kvm_exit el=1 vcpu=0 esr=0x92000210 gva=0x80500048 actions=inject,fence
     128  event seq=2 time=2026-11-22T10:00:00.001000000Z gpa=0x80500000 source=fenced el=1 vcpu=0 esr=0x0 gva=- actions=inject
2 records: 2 events, 0 restarts, 1 distinct page
EOF

cli_case "show: a torn tail is reported, the records before it shown" 1 journal show torn.jrn <<EOF
journal torn.jrn: version 1, granule 4 KiB
$clean_records
--- stderr
seawall journal show: journal torn.jrn: damaged tail at offset 384: 40 bytes in 1 record slot (partial record (40 of 64 bytes)); this is what an interrupted append leaves: every complete record before it is intact. Nothing was changed: the next read-write open drops the tail
EOF

cli_case "show: damage in the middle is skipped and reported" 1 journal show middle.jrn <<'EOF'
journal middle.jrn: version 1, granule 4 KiB
      64  event seq=1 time=2026-11-22T10:00:00.000000001Z gpa=0x80010000 source=kvm_exit el=1 vcpu=0 esr=0x92000210 gva=0x80010048 actions=inject,fence
     192  event seq=3 time=2026-11-22T10:01:00.000000000Z gpa=0x80022000 source=sigbus_ar el=0 vcpu=1 esr=0x0 gva=- actions=notify
     256  restart seq=4 time=2026-11-22T10:01:01.000000000Z reason=page_threshold
     320  event seq=5 time=2026-11-22T11:00:00.000000000Z gpa=0x9abc0000 source=kvm_exit el=0 vcpu=3 esr=0x82000210 gva=0x400000 actions=inject,replace
4 records: 3 events, 1 restart, 3 distinct pages
--- stderr
seawall journal show: journal middle.jrn: 1 damaged record slot from offset 128 (checksum mismatch), 3 valid records after the first; every valid record was replayed. Nothing was changed: run 'seawall journal compact --salvage middle.jrn' to rewrite it without the damage
EOF

cli_case "show: a damaged header shows nothing" 1 journal show header.jrn <<'EOF'
--- stderr
seawall journal show: journal header.jrn has a damaged header (header checksum mismatch), so none of its records can be trusted. Nothing was changed: restore the file from a backup, or move it aside to start the VM without its poison history
EOF

cli_case "show: another format version" 1 journal show version2.jrn <<'EOF'
--- stderr
seawall journal show: journal version2.jrn has version 2; this seawall reads version 1. Nothing was changed: use a seawall that reads version 2
EOF

cli_case "show: an empty file is not a journal" 1 journal show empty.jrn <<'EOF'
--- stderr
seawall journal show: empty.jrn is not a seawall journal: the file is empty. Nothing was changed: check the path, or move the file aside to start a new journal there
EOF

cli_case "show: a missing file" 1 journal show nope.jrn <<'EOF'
--- stderr
seawall journal show: cannot open journal nope.jrn: No such file or directory (a read-only open never creates one: check the path)
EOF

# ---- check ----------------------------------------------------------------

cli_case "check: clean" 0 journal check clean.jrn <<'EOF'
clean.jrn: clean, granule 4 KiB, 384 bytes, 5 records: 4 events, 1 restart, 3 distinct pages
EOF

cli_case "check: source 5 (fenced) is valid in version 1" 0 journal check fenced.jrn <<'EOF'
fenced.jrn: clean, granule 4 KiB, 192 bytes, 2 records: 2 events, 0 restarts, 1 distinct page
EOF

cli_case "check: clean after compaction" 0 journal check compacted.jrn <<'EOF'
compacted.jrn: clean, granule 4 KiB, 384 bytes, 5 records: 4 events, 1 restart, 3 distinct pages
EOF

cli_case "check: torn tail, with its offset" 1 journal check torn.jrn <<'EOF'
journal torn.jrn: damaged tail at offset 384: 40 bytes in 1 record slot (partial record (40 of 64 bytes)); this is what an interrupted append leaves: every complete record before it is intact. Nothing was changed: the next read-write open drops the tail
EOF

cli_case "check: damage in the middle, with its offset" 1 journal check middle.jrn <<'EOF'
journal middle.jrn: the record at offset 128 is damaged (checksum mismatch) but 3 valid records follow it, so this is not an interrupted append: the file was damaged in place. Nothing was changed. Keep a copy, then run 'seawall journal compact --salvage middle.jrn' to keep every valid record (the original is kept as middle.jrn.damaged)
EOF

cli_case "check: damaged header" 1 journal check header.jrn <<'EOF'
journal header.jrn has a damaged header (header checksum mismatch), so none of its records can be trusted. Nothing was changed: restore the file from a backup, or move it aside to start the VM without its poison history
EOF

cli_case "check: another format version" 1 journal check version2.jrn <<'EOF'
journal version2.jrn has version 2; this seawall reads version 1. Nothing was changed: use a seawall that reads version 2
EOF

for f in clean torn middle header version2 compacted; do
	cli_assert "show and check never modify $f.jrn" cmp -s "$f.jrn" "$data/$f.jrn"
done
cli_assert "show and check never salvage" test ! -e middle.jrn.damaged

# ---- compact --------------------------------------------------------------

cp clean.jrn c.jrn
cli_case "compact: fold what is older than the window" 0 journal compact --keep 3540s c.jrn <<'EOF'
c.jrn: 5 records, 384 bytes -> 5 records, 384 bytes; records from 2026-11-22T10:01:00.000000000Z on kept as they were, older ones folded
EOF

cli_case "compact: the result replays to the same totals" 0 journal show c.jrn <<'EOF'
journal c.jrn: version 1, granule 4 KiB
      64  summary last_seq=2 cutoff=2026-11-22T10:01:00.000000000Z events=2 restarts=0 last_event=2026-11-22T10:00:02.000000000Z last_restart=-
     128  page gpa=0x80010000 events=2 first=2026-11-22T10:00:00.000000001Z last=2026-11-22T10:00:02.000000000Z actions=inject,fence
     192  event seq=3 time=2026-11-22T10:01:00.000000000Z gpa=0x80022000 source=sigbus_ar el=0 vcpu=1 esr=0x0 gva=- actions=notify
     256  restart seq=4 time=2026-11-22T10:01:01.000000000Z reason=page_threshold
     320  event seq=5 time=2026-11-22T11:00:00.000000000Z gpa=0x9abc0000 source=kvm_exit el=0 vcpu=3 esr=0x82000210 gva=0x400000 actions=inject,replace
5 records: 4 events, 1 restart, 3 distinct pages
EOF

cli_case "compact: --keep all folds nothing new" 0 journal compact --keep all c.jrn <<'EOF'
c.jrn: 5 records, 384 bytes -> 5 records, 384 bytes; every record since the last compaction kept as it was
EOF

cli_case "compact: --keep 0s folds all but the newest" 0 journal compact --keep 0s c.jrn <<'EOF'
c.jrn: 5 records, 384 bytes -> 4 records, 320 bytes; records from 2026-11-22T11:00:00.000000000Z on kept as they were, older ones folded
EOF

cli_case "compact: folding merges with the earlier summary and pages" 0 journal show c.jrn <<'EOF'
journal c.jrn: version 1, granule 4 KiB
      64  summary last_seq=4 cutoff=2026-11-22T11:00:00.000000000Z events=3 restarts=1 last_event=2026-11-22T10:01:00.000000000Z last_restart=2026-11-22T10:01:01.000000000Z
     128  page gpa=0x80010000 events=2 first=2026-11-22T10:00:00.000000001Z last=2026-11-22T10:00:02.000000000Z actions=inject,fence
     192  page gpa=0x80022000 events=1 first=2026-11-22T10:01:00.000000000Z last=2026-11-22T10:01:00.000000000Z actions=notify
     256  event seq=5 time=2026-11-22T11:00:00.000000000Z gpa=0x9abc0000 source=kvm_exit el=0 vcpu=3 esr=0x82000210 gva=0x400000 actions=inject,replace
4 records: 4 events, 1 restart, 3 distinct pages
EOF

cp torn.jrn t.jrn
cli_case "compact: a torn tail is dropped first, and said" 0 journal compact t.jrn <<'EOF'
t.jrn: 5 records, 384 bytes -> 5 records, 384 bytes; records from 2026-11-21T11:00:00.000000000Z on kept as they were, older ones folded
--- stderr
seawall journal compact: journal t.jrn: dropped a damaged tail at offset 384: 40 bytes in 1 record slot (partial record (40 of 64 bytes)); this is what an interrupted append leaves: every complete record before it was kept
EOF
cli_assert "compact: a torn tail dropped leaves the clean journal" cmp -s t.jrn "$data/clean.jrn"

cp middle.jrn m.jrn
cli_case "compact: refuses damage in the middle" 1 journal compact m.jrn <<'EOF'
--- stderr
seawall journal compact: journal m.jrn: the record at offset 128 is damaged (checksum mismatch) but 3 valid records follow it, so this is not an interrupted append: the file was damaged in place. Nothing was changed. Keep a copy, then run 'seawall journal compact --salvage m.jrn' to keep every valid record (the original is kept as m.jrn.damaged)
EOF
cli_assert "compact: refusing changes nothing" cmp -s m.jrn "$data/middle.jrn"

cli_case "compact --salvage: keeps every valid record" 0 journal compact --salvage m.jrn <<'EOF'
m.jrn: 4 records, 320 bytes -> 4 records, 320 bytes; records from 2026-11-21T11:00:00.000000000Z on kept as they were, older ones folded
--- stderr
seawall journal compact: journal m.jrn: salvaged: left out 1 damaged record slot from offset 128 (checksum mismatch) and kept every valid record; the damaged original is m.jrn.damaged
EOF
cli_assert "compact --salvage: the original is kept as FILE.damaged" cmp -s m.jrn.damaged "$data/middle.jrn"

cli_case "compact --salvage: the result is clean" 0 journal check m.jrn <<'EOF'
m.jrn: clean, granule 4 KiB, 320 bytes, 4 records: 3 events, 1 restart, 3 distinct pages
EOF

cp middle.jrn m.jrn
cli_case "compact --salvage: will not overwrite an earlier copy" 1 journal compact --salvage m.jrn <<'EOF'
--- stderr
seawall journal compact: journal m.jrn is damaged in the middle, but its copy m.jrn.damaged cannot be made: File exists. Nothing was changed: move m.jrn.damaged aside and retry
EOF
cli_assert "compact --salvage: refusing changes nothing" cmp -s m.jrn "$data/middle.jrn"

cp clean.jrn locked.jrn
CLI_WRAP="flock locked.jrn"
cli_case "compact: refused while another process holds the journal" 1 \
	journal compact locked.jrn <<'EOF'
--- stderr
seawall journal compact: journal locked.jrn is open for writing by another process: stop it, or open the journal read-only to inspect it
EOF
CLI_WRAP=

cli_case "compact: a header it cannot trust is left alone" 1 journal compact header.jrn <<'EOF'
--- stderr
seawall journal compact: journal header.jrn has a damaged header (header checksum mismatch), so none of its records can be trusted. Nothing was changed: restore the file from a backup, or move it aside to start the VM without its poison history
EOF

# ---- usage ----------------------------------------------------------------

cli_case "usage: no command" 2 journal <<'EOF'
--- stderr
seawall journal: missing command: show, check or compact (see seawall journal --help)
EOF

cli_case "usage: unknown command" 2 journal frob x.jrn <<'EOF'
--- stderr
seawall journal: unknown command 'frob': use show, check or compact (see seawall journal --help)
EOF

cli_case "usage: missing FILE" 2 journal check <<'EOF'
--- stderr
seawall journal: missing FILE (see seawall journal --help)
EOF

cli_case "usage: two files" 2 journal show a.jrn b.jrn <<'EOF'
--- stderr
seawall journal: one FILE only, not also 'b.jrn' (see seawall journal --help)
EOF

cli_case "usage: an option of another command" 2 journal show --salvage a.jrn <<'EOF'
--- stderr
seawall journal: unknown option '--salvage' (see seawall journal --help)
EOF

cli_case "usage: a duration without a unit" 2 journal compact --keep 24 c.jrn <<'EOF'
--- stderr
seawall journal: --keep '24' is not a duration: use e.g. 90s, 15m, 24h, 7d, or all (see seawall journal --help)
EOF

cli_case "usage: a duration too long to count in ns" 2 journal compact --keep 300000d c.jrn <<'EOF'
--- stderr
seawall journal: --keep '300000d' is not a duration: use e.g. 90s, 15m, 24h, 7d, or all (see seawall journal --help)
EOF

cli_case "usage: --keep without a value" 2 journal compact c.jrn --keep <<'EOF'
--- stderr
seawall journal: --keep needs a duration (e.g. 24h, or all) (see seawall journal --help)
EOF

cli_case "help: seawall journal --help" 0 journal --help <<'EOF'
usage: seawall journal show FILE
       seawall journal check FILE
       seawall journal compact [--keep DURATION] [--salvage] FILE

Inspect or compact a seawall poison journal (docs/journal.md).

  show     print every valid record, one per line after its byte offset,
           then a summary; damage is reported and ends with status 1
  check    verify every record without changing the file: status 0 if
           the journal is clean, 1 with the problem and its offset if not
  compact  fold the records older than DURATION before the newest one
           into one record per page

Run 'seawall journal COMMAND --help' for a command's details.
EOF

cli_case "help: show --help" 0 journal show --help <<'EOF'
usage: seawall journal show FILE

Print every valid record of the journal FILE, one per line after its byte
offset, then one summary line: records, events, restarts, distinct pages.
Damaged records are skipped and the damage is reported on stderr.
The file is opened read-only and never changed.

Exit status: 0 clean, 1 damaged or unreadable, 2 usage error.
EOF

cli_case "help: check --help" 0 journal check --help <<'EOF'
usage: seawall journal check FILE

Verify the header and every record of the journal FILE without changing
it, and say what a VMM opening it would find: a clean journal, a torn
tail (an interrupted append, which the next read-write open drops),
damage in the middle (which stops a VMM from opening it), or a damaged
header.

Exit status: 0 clean, 1 any problem (printed with its offset), 2 usage
error.
EOF

cli_case "help: compact --help" 0 journal compact --help <<'EOF'
usage: seawall journal compact [--keep DURATION] [--salvage] FILE

Rewrite the journal FILE with every record older than DURATION before
its newest record folded into one summary and one record per page; the
distinct pages and the counters stay the same. The new file is written
aside, synced and renamed over FILE. Refused while a VMM holds FILE.

  --keep DURATION  keep the records of this window as they are, for a
                   policy's rate window: 90s, 15m, 24h, 7d, or 'all'
                   (default 24h)
  --salvage        if FILE is damaged in the middle, keep it as
                   FILE.damaged and rewrite FILE with every valid record

Exit status: 0 compacted, 1 failure, 2 usage error.
EOF

cli_done
