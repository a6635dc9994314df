#!/usr/bin/env bash
# Checks for bin/lib/java25.sh, bin/lib/packages.sh, bin/test, bin/bench and .ci/run. Not run by CI (it needs the
# real JDK 17 and 25 under /usr/lib/jvm, see docs/SCRIPTS.md); run it by hand after editing
# a script:  bin/test-scripts.sh      Exit code: number of failed checks (0 = all passed).
set -uo pipefail

root=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jdk25=${MEMSTAT_TEST_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
jdk17=${MEMSTAT_TEST_JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

check() { # name, then a command that must succeed
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "ok   $name"
    else failed=$((failed + 1)); echo "FAIL $name"; fi
}

# Source the helper in a clean bash started in $tmp; print "rc JAVA_HOME MEMSTAT_ROOT" on stdout
# and keep stderr in $tmp/err.
probe() { # helper path, then env assignments
    local helper=$1; shift
    (cd "$tmp" && env -u JAVA_HOME -u MEMSTAT_JVM_ROOTS "$@" bash --norc --noprofile -c \
        'source "$1"; echo "0 $JAVA_HOME $MEMSTAT_ROOT"' _ "$helper" 2>"$tmp/err") \
        || echo "$? - -"
}
expect() { # expected output, helper, env...
    local want=$1; shift
    local got; got=$(probe "$@")
    [[ $got == "$want" ]] || { echo "     want '$want' got '$got'; stderr: $(cat "$tmp/err")"; return 1; }
}
err_has() { grep -q -- "$1" "$tmp/err" && [[ $(wc -l <"$tmp/err") -eq 1 ]]; }

# Fake JDK homes: bin/java prints the first line a real JDK of that version prints.
fake_jdk() { # home, version string
    mkdir -p "$1/bin"
    printf '#!/bin/sh\necho '\''openjdk version "%s" 2025-01-01'\'' >&2\n' "$2" >"$1/bin/java"
    chmod +x "$1/bin/java"
}
fake_jdk "$tmp/old/java-8" "1.8.0_412"
fake_jdk "$tmp/old/java-17" "17.0.15"
fake_jdk "$tmp/mixed/a-openjdk-25" "25.0.1"
fake_jdk "$tmp/mixed/zulu-24" "24.0.2"
fake_jdk "$tmp/mixed/temurin-25-jdk" "25.0.3"
fake_jdk "$tmp/mac/temurin-25.jdk/Contents/Home" "25"
fake_jdk "$tmp/ea/jdk-25-ea" "25-ea"
helper=$root/bin/lib/java25.sh

check "JAVA_HOME unset: finds JDK 25 under /usr/lib/jvm" expect "0 $jdk25 $root" "$helper"
check "JAVA_HOME=JDK 25 is kept" expect "0 $jdk25 $root" "$helper" JAVA_HOME="$jdk25"
check "JAVA_HOME=JDK 17 is ignored, JDK 25 found" expect "0 $jdk25 $root" "$helper" JAVA_HOME="$jdk17"
check "... and says why on one stderr line" err_has "ignoring JAVA_HOME=$jdk17"
check "JAVA_HOME=nonexistent dir is ignored" expect "0 $jdk25 $root" "$helper" JAVA_HOME=/nonexistent
check "no JDK 25 (roots missing): exit 3" expect "3 - -" "$helper" MEMSTAT_JVM_ROOTS="$tmp/none"
check "... with one clear stderr line" err_has "memstat: JDK 25 not found"
check "only JDK 8 and 17: exit 3" expect "3 - -" "$helper" MEMSTAT_JVM_ROOTS="$tmp/old" JAVA_HOME="$jdk17"
check "... one line naming JAVA_HOME and the roots" err_has "JAVA_HOME=$jdk17 (java major 17) and $tmp/old"
check "Temurin preferred over other JDK 25" expect "0 $tmp/mixed/temurin-25-jdk $root" "$helper" MEMSTAT_JVM_ROOTS="$tmp/old:$tmp/mixed"
check "macOS layout <jdk>/Contents/Home" expect "0 $tmp/mac/temurin-25.jdk/Contents/Home $root" "$helper" MEMSTAT_JVM_ROOTS="$tmp/mac"
check "early-access version string 25-ea" expect "0 $tmp/ea/jdk-25-ea $root" "$helper" MEMSTAT_JVM_ROOTS="$tmp/ea"

mkdir -p "$tmp/links"
ln -s "$helper" "$tmp/links/java25.sh"
ln -s "$tmp/links/java25.sh" "$tmp/links/chain.sh"
check "helper reached through a symlink chain: root still right" expect "0 $jdk25 $root" "$tmp/links/chain.sh"

interactive_keeps_shell() {
    local out
    out=$(cd "$tmp" && env -u JAVA_HOME MEMSTAT_JVM_ROOTS="$tmp/none" bash --norc --noprofile -i -c \
        'source "$1"; echo "alive $?"' _ "$helper" 2>/dev/null </dev/null)
    [[ $out == *"alive 3"* ]]
}
check "sourced interactively: returns 3, shell survives" interactive_keeps_shell

# bin/lib/packages.sh: golang-go installed only when go is missing, apt-get update only when the
# install fails without it. Each case runs the helper under `env -i` with PATH=$tmp/pbin alone: the few
# tools it uses, a fake `id` (uid $FAKE_UID, default 0) and a fake apt-get that logs its calls and, on
# install, "installs" $tmp/pbin/go (fails until an update ran if $FAKE_NEED_UPDATE, always if $FAKE_BROKEN).
pbin=$tmp/pbin
mkdir -p "$pbin"
for t in bash mktemp rm tail chmod touch; do ln -sf "$(command -v "$t")" "$pbin/$t"; done
printf '#!/bin/bash\necho "${FAKE_UID:-0}"\n' >"$pbin/id"
cat >"$pbin/apt-get" <<'FAKE'
#!/bin/bash
echo "$DEBIAN_FRONTEND $*" >>"$FAKE_LOG"
case $1 in
    update) touch "$FAKE_LOG.updated" ;;
    install)
        if [[ -n ${FAKE_BROKEN-} || ( -n ${FAKE_NEED_UPDATE-} && ! -e $FAKE_LOG.updated ) ]]; then
            echo "E: Unable to locate package golang-go"; exit 100
        fi
        printf '#!/bin/bash\necho go version go1.19.8 linux/amd64\n' >"$PATH/go"; chmod +x "$PATH/go" ;;
esac
FAKE
chmod +x "$pbin/id" "$pbin/apt-get"
packages() { # [--with-go] env assignments...: run the helper; stdout/stderr in $tmp/out, $tmp/err
    rm -f "$pbin/go" "$tmp/apt.log.updated"; : >"$tmp/apt.log"
    if [[ ${1-} == --with-go ]]; then shift; printf '#!/bin/bash\n' >"$pbin/go"; chmod +x "$pbin/go"; fi
    (cd "$tmp" && env -i PATH="$pbin" FAKE_LOG="$tmp/apt.log" "$@" "$pbin/bash" --norc --noprofile -c \
        'source "$1"; memstat_ensure_packages; echo "rc $?"' _ "$root/bin/lib/packages.sh" \
        </dev/null >"$tmp/out" 2>"$tmp/err")
}
apt_calls() { # the expected apt-get calls, one a line ("" for none); the helper must return 0
    local got; got=$(cat "$tmp/apt.log")
    [[ $got == "$1" && $(cat "$tmp/out") == "rc 0" ]] \
        || { echo "     calls '$got' out '$(cat "$tmp/out")' stderr: $(cat "$tmp/err")"; return 1; }
}
has_go() { [[ -x $pbin/go ]] || { echo "     go not installed; stderr: $(cat "$tmp/err")"; return 1; }; }
install="noninteractive install -y -q --no-install-recommends golang-go"
update="noninteractive update -q"

packages
check "packages: root, go missing: apt-get install, no update" apt_calls "$install"
check "... go installed" has_go
packages FAKE_NEED_UPDATE=1
check "packages: install fails on empty lists: update, install again" apt_calls "$install"$'\n'"$update"$'\n'"$install"
check "... go installed" has_go
packages --with-go
check "packages: go present: apt-get not called" apt_calls ""
check "... nothing said" test ! -s "$tmp/err"
packages FAKE_UID=1000
check "packages: not root: apt-get not called, status 0" apt_calls ""
check "... one stderr line naming golang-go" err_has "install golang-go"
packages FAKE_BROKEN=1
check "packages: install impossible: install, update, install, status 0" apt_calls "$install"$'\n'"$update"$'\n'"$install"
check "... says so, with apt-get's last line" grep -q "Unable to locate package golang-go" "$tmp/err"
packages MEMSTAT_PACKAGES_CHECKED=1
check "packages: already checked (bin/test under .ci/run): nothing done" apt_calls ""

# The entry points must fail fast (before Maven) with exit 3 when JDK 25 is missing.
entry_fails_3() { # script
    (cd "$tmp" && env -u JAVA_HOME MEMSTAT_JVM_ROOTS="$tmp/old" CI=true "$1" </dev/null >"$tmp/out" 2>"$tmp/err")
    local rc=$?
    [[ $rc -eq 3 ]] && grep -q "JDK 25 not found" "$tmp/err" || { echo "     rc=$rc $(cat "$tmp/err")"; return 1; }
}
check ".ci/run without JDK 25: exit 3" entry_fails_3 "$root/.ci/run"
check "bin/test without JDK 25: exit 3" entry_fails_3 "$root/bin/test"
check "bin/bench without JDK 25: exit 3" entry_fails_3 "$root/bin/bench"
ln -s "$root/bin/test" "$tmp/links/memstat-test"
check "bin/test through a symlink: exit 3 too (finds its helper)" entry_fails_3 "$tmp/links/memstat-test"

# bin/bench and FairFlags.java must carry the same fair flags.
same_flags() {
    local f missing=0 java=$root/benchmarks/src/main/java/org/memstat/bench/FairFlags.java
    [[ -f $java ]] || { echo "     $java missing"; return 1; }
    for f in $(sed -n '/^fair_flags=(/,/^)/p' "$root/bin/bench" | sed '1d;$d'); do
        grep -q -- "\"$f\"" "$java" || { echo "     $f not in FairFlags.java"; missing=1; }
    done
    [[ $missing -eq 0 ]]
}
check "bin/bench flags == FairFlags.java" same_flags

jar=$root/benchmarks/target/benchmarks.jar
if [[ -f $jar ]]; then
    lists_from_elsewhere() { (cd "$tmp" && env -u JAVA_HOME "$root/bin/bench" -l 2>&1) | grep -q 'PeerAllocBenchmark'; }
    check "bin/bench -l from another directory lists the benchmarks" lists_from_elsewhere
else
    echo "skip bin/bench -l ($jar not built)"
fi

echo "$passed passed, $failed failed"
exit "$failed"
