# shellcheck shell=bash
# Sourced helper: find a JDK 25 and export JAVA_HOME, PATH and MEMSTAT_ROOT.
#
#   source "<repo>/bin/lib/java25.sh"
#
# Search order (first java whose `-version` reports major 25 wins):
#   1. $JAVA_HOME
#   2. every JDK home under the search roots, Temurin builds first. The roots default to
#      /usr/lib/jvm (plus /Library/Java/JavaVirtualMachines on macOS, whose homes live in
#      <jdk>/Contents/Home); MEMSTAT_JVM_ROOTS (colon-separated) replaces them, which is how
#      bin/test-scripts.sh simulates a machine without JDK 25.
# If none is found: one line on stderr and exit status 3 (return 3 when sourced from an
# interactive shell, so a typo does not close the user's terminal).

# Major version reported by <home>/bin/java, or nothing. Handles both "25.0.3" and "1.8.0_x".
memstat_java_major() {
    local java=$1/bin/java line ver
    [[ -x $java ]] || return 1
    line=$("$java" -version 2>&1 </dev/null | head -n 1) || return 1
    [[ $line =~ \"([0-9]+)(\.([0-9]+))? ]] || return 1
    ver=${BASH_REMATCH[1]}
    [[ $ver == 1 && -n ${BASH_REMATCH[3]} ]] && ver=${BASH_REMATCH[3]}
    printf '%s\n' "$ver"
}

# Resolve this file through symlinks (no `readlink -f`: macOS's bash 3 userland lacks it on
# older releases) so the repo root is right whatever the caller's working directory is.
memstat_resolve_root() {
    local src=${BASH_SOURCE[0]} dir
    while [[ -L $src ]]; do
        dir=$(cd -P "$(dirname "$src")" && pwd) || return 1
        src=$(readlink "$src")
        [[ $src == /* ]] || src=$dir/$src
    done
    dir=$(cd -P "$(dirname "$src")" && pwd) || return 1
    # This file lives in <root>/bin/lib.
    (cd -P "$dir/../.." && pwd)
}

memstat_find_java25() {
    local roots=${MEMSTAT_JVM_ROOTS-} root home major jh_desc=unset
    local -a homes=() rootlist=()
    if [[ -z $roots ]]; then
        roots=/usr/lib/jvm
        [[ $(uname -s) == Darwin ]] && roots=$roots:/Library/Java/JavaVirtualMachines
    fi

    if [[ -n ${JAVA_HOME-} ]]; then
        major=$(memstat_java_major "$JAVA_HOME") || major=
        if [[ $major == 25 ]]; then
            return 0
        fi
        jh_desc="$JAVA_HOME (java major ${major:-unknown})"
    fi

    IFS=: read -r -a rootlist <<<"$roots"
    for root in ${rootlist[@]+"${rootlist[@]}"}; do
        [[ -d $root ]] || continue
        # Temurin first, then everything else, each in glob (sorted) order.
        for home in "$root"/*temurin* "$root"/*; do
            [[ -d $home/Contents/Home ]] && home=$home/Contents/Home
            [[ -x $home/bin/java ]] && homes+=("$home")
        done
    done

    for home in ${homes[@]+"${homes[@]}"}; do
        major=$(memstat_java_major "$home") || continue
        if [[ $major == 25 ]]; then
            [[ $jh_desc == unset ]] || echo "memstat: ignoring JAVA_HOME=$jh_desc, using $home" >&2
            export JAVA_HOME=$home
            return 0
        fi
    done
    echo "memstat: JDK 25 not found (looked at \$JAVA_HOME=$jh_desc and $roots); install Temurin 25 or set JAVA_HOME" >&2
    return 3
}

if ! MEMSTAT_ROOT=$(memstat_resolve_root); then
    echo "memstat: cannot resolve the repository root from ${BASH_SOURCE[0]}" >&2
    if [[ $- == *i* ]]; then return 3; else exit 3; fi
fi
export MEMSTAT_ROOT

if memstat_find_java25; then
    export JAVA_HOME
    export PATH=$JAVA_HOME/bin:$PATH
else
    if [[ $- == *i* ]]; then return 3; else exit 3; fi
fi
