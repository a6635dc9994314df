#!/usr/bin/env bash
# End-to-end check of bin/memstat: clone the committed repository into a temporary directory (no jar, no target/),
# then run the clone's launcher from other directories on a dir: snapshot. Not run by CI (it builds three modules,
# about a minute); run it by hand after changing bin/memstat:  bin/test-memstat.sh
# Exit code: number of failed checks (0 = all passed). The launcher's logic is also unit-tested by LauncherTest.
set -uo pipefail

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { # name, then a command that must succeed
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "ok   $name"
    else failed=$((failed + 1)); echo "FAIL $name"; fi
}

git clone -q "$root" "$tmp/clone" || { echo "FAIL git clone"; exit 1; }
mkdir -p "$tmp/snap" "$tmp/links"
cp "$root"/memstat-lib/src/test/resources/golden/v1/le-2cpu/* "$tmp/snap/"
ln -s "$tmp/clone/bin/memstat" "$tmp/links/memstat"

first_run_builds() {
    (cd / && "$tmp/clone/bin/memstat" --source "dir:$tmp/snap" vmstat -z >"$tmp/out" 2>"$tmp/err")
    grep -q "memstat: building" "$tmp/err" && [[ -f $tmp/clone/memstat-cli/target/memstat.jar ]] &&
        head -n 1 "$tmp/out" | grep -q '^ITEM                   SIZE   LIMIT     USED     FREE      REQ FAIL SLEEP XDOM$'
}
second_run_does_not_build() {
    (cd "$tmp" && clone/bin/memstat --source dir:snap vmstat -z >"$tmp/out2" 2>"$tmp/err2") &&
        [[ ! -s $tmp/err2 ]] && cmp -s "$tmp/out" "$tmp/out2"
}
symlink_from_home() {
    (cd "$HOME" && "$tmp/links/memstat" --source "dir:$tmp/snap" vmstat -z --libxo json >"$tmp/json") &&
        grep -q '"memory-zone-statistics"' "$tmp/json"
}
missing_snapshot_is_exit_5() {
    (cd / && "$tmp/clone/bin/memstat" --source "dir:$tmp/nope" vmstat -z >/dev/null 2>"$tmp/err3")
    local rc=$?
    [[ $rc -eq 5 ]] && [[ $(wc -l <"$tmp/err3") -eq 1 ]] && grep -q "^memstat: dir:$tmp/nope: " "$tmp/err3"
}
demo_runs() {
    (cd / && "$tmp/clone/bin/memstat" --source demo vmstat -z | grep -q '^mbuf_cluster:')
}

check "fresh clone: first run from / builds the jar and prints vmstat -z" first_run_builds
check "second run from another directory, relative dir: path, no rebuild, same output" second_run_does_not_build
check "through a symlink, from \$HOME, --libxo json" symlink_from_home
check "missing snapshot: exit 5 and one line naming the source" missing_snapshot_is_exit_5
check "demo source" demo_runs
echo "$passed passed, $failed failed"
exit "$failed"
