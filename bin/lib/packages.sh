# shellcheck shell=bash
# Sourced helper: the system packages the tests need, installed on a fresh Debian machine.
#
#   source "<repo>/bin/lib/packages.sh"; memstat_ensure_packages
#
# One package today: Debian's golang-go, for `go tool pprof` (memstat-pprof's tests run the real pprof).
#   - `go` on the PATH: nothing to do.
#   - Missing, and root with apt-get: `apt-get install` it quietly (DEBIAN_FRONTEND=noninteractive, no
#     recommends); `apt-get update` only if the install fails without it (a fresh machine's lists are empty).
#   - Missing otherwise, or the install fails: one stderr line saying so (plus apt-get's last lines on a
#     failure), and status 0 all the same: builds that do not run the pprof tests go on, and those tests fail
#     with their own message naming the package.
# Used by .ci/run and bin/test (bin/test-scripts.sh checks it with a fake apt-get); the first call exports
# MEMSTAT_PACKAGES_CHECKED=1 so bin/test, exec'd by .ci/run, does not try (or say it) a second time.

memstat_ensure_packages() {
    [[ -n ${MEMSTAT_PACKAGES_CHECKED-} ]] && return 0
    export MEMSTAT_PACKAGES_CHECKED=1
    command -v go >/dev/null 2>&1 && return 0
    if [[ $(id -u) != 0 ]]; then
        echo "memstat: go not found; memstat-pprof's tests need it: install golang-go (as root: bin/test does it)" >&2
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "memstat: go not found and no apt-get to install golang-go; memstat-pprof's tests need go" >&2
        return 0
    fi
    local log
    log=$(mktemp) || return 0
    echo "memstat: installing golang-go (go tool pprof, for memstat-pprof's tests)" >&2
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends golang-go >"$log" 2>&1 \
        && ! { DEBIAN_FRONTEND=noninteractive apt-get update -q \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends golang-go; } >"$log" 2>&1
    then
        echo "memstat: could not install golang-go, memstat-pprof's tests will fail; apt-get said:" >&2
        tail -n 5 "$log" >&2
    fi
    rm -f "$log"
    return 0
}
