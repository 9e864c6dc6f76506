# Shared helpers for the shell test suites (sourced, POSIX sh).
# Each check prints nothing on success and one line on failure; a check that
# cannot run here says why with one SKIP line and is counted apart.
: "${NEUROTOP:=./neurotop}"
PASSED=0
FAILED=0
SKIPPED=0
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT
# The user's own ~/.config/neurotop (configuration, themes) stays out of the tests.
XDG_CONFIG_HOME="$TMPD/xdg-config"
export XDG_CONFIG_HOME

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }
# skip REASON: for a check that needs something this machine lacks (an
# optional tool); never for something the repository itself must hold.
skip() { SKIPPED=$((SKIPPED + 1)); echo "SKIP: $*"; }

# expect_exit CODE DESCRIPTION -- command...
# Runs the command with stdout/stderr captured into $OUT / $ERR.
expect_exit() {
    code=$1; desc=$2; shift 3
    "$@" >"$TMPD/out" 2>"$TMPD/err" </dev/null
    got=$?
    OUT=$(cat "$TMPD/out"); ERR=$(cat "$TMPD/err")
    if [ "$got" -eq "$code" ]; then pass; else fail "$desc: exit $got, expected $code; stderr: $ERR"; fi
}

# expect_contains HAYSTACK NEEDLE DESCRIPTION
expect_contains() {
    case "$1" in
    *"$2"*) pass ;;
    *) fail "$3: expected to find '$2' in: $(printf '%s' "$1" | head -c 300)" ;;
    esac
}

# expect_one_line_error: stderr of the last expect_exit is one non-empty line, stdout empty.
expect_one_line_error() {
    lines=$(printf '%s\n' "$ERR" | grep -c .)
    if [ "$lines" -eq 1 ] && [ -z "$OUT" ]; then pass; else fail "$1: expected one line on stderr and nothing on stdout, got stderr='$ERR' stdout='$(printf '%s' "$OUT" | head -c 100)'"; fi
}

# json_get KEY: prints the value of a top-level numeric KEY of $OUT (uses awk, no python).
json_num() {
    printf '%s' "$OUT" | tr ',{}' '\n\n\n' | awk -F: -v k="\"$1\"" '$1==k {print $2; exit}'
}

# expect_close GOT EXPECTED DESCRIPTION: |got-exp| <= 1e-6*|exp| + 1e-9
expect_close() {
    if awk -v g="$1" -v e="$2" 'BEGIN { d = g - e; if (d < 0) d = -d; a = e < 0 ? -e : e; exit !(g != "" && d <= 1e-6 * a + 1e-9) }'; then pass; else fail "$3: got '$1', expected $2"; fi
}

finish() {
    echo "$SUITE: $PASSED passed, $FAILED failed, $SKIPPED skipped"
    [ "$FAILED" -eq 0 ]
}
