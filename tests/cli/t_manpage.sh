# The manual page docs/neurotop.1: it renders without warnings, and every
# command, option, analysis kind and experiment the program's --help texts
# list appears in it, so the page and the program cannot drift apart.
SUITE=cli-manpage
. tests/cli/lib.sh
PAGE=docs/neurotop.1

# The page's text with roff escapes undone (\- is a hyphen, \fB... fonts).
plain() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' -e 's/\\c$//' "$PAGE"; }
plain >"$TMPD/page"
# options LISTED BY A HELP TEXT on stdin: the --names its option lines start with.
options() { sed -n 's/^  *\(--[a-z][a-z0-9-]*\).*/\1/p' | sort -u; }

if command -v groff >/dev/null 2>&1; then
    warn=$(groff -ww -man -z "$PAGE" 2>&1)
    if [ -z "$warn" ]; then pass; else fail "groff -ww warns about $PAGE: $warn"; fi
else
    fail "groff is missing (make test installs groff-base)"
fi
if command -v man >/dev/null 2>&1; then
    warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$PAGE" 2>&1 >"$TMPD/rendered")
    if [ -z "$warn" ]; then pass; else fail "man --warnings -l warns: $warn"; fi
    expect_contains "$(cat "$TMPD/rendered")" "neurotop - train a neural network" "man -l renders the NAME line"
else
    fail "man is missing (make test installs man-db)"
fi

# The version in the page's title line is the program's.
version=$("$NEUROTOP" --version | sed -n '1s/^neurotop //p')
[ -n "$version" ] && pass || fail "--version names no version"
if grep -q "^\.TH NEUROTOP 1 .*\"neurotop $version\"" "$PAGE"; then pass; else fail ".TH line does not carry version $version"; fi

# Every command of `neurotop --help` has an entry of its own.
commands=$("$NEUROTOP" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ "$(printf '%s\n' "$commands" | grep -c .)" -ge 7 ] && pass || fail "--help lists too few commands: $commands"
for c in $commands; do
    if grep -qx ".B $c" "$TMPD/page"; then pass; else fail "command $c has no entry in $PAGE"; fi
done

# Every long option of every command's --help appears in the page.
for c in $commands; do
    for o in $("$NEUROTOP" "$c" --help | options); do
        if grep -q -- "$o\\b" "$TMPD/page"; then pass; else fail "$c --help lists $o, $PAGE does not"; fi
    done
done

# entry NAME: the text of the page's `.B NAME` entry, up to the next entry.
entry() { awk -v n=".B $1" '$0 == n {on = 1; next} on && /^\.(TP|SH|SS)/ {exit} on' "$TMPD/page"; }

# Every analysis KIND has an entry naming each option of its own --help.
kinds=$("$NEUROTOP" analyze --help | sed -n '/^KINDs:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ "$(printf '%s\n' "$kinds" | grep -c .)" -ge 20 ] && pass || fail "analyze --help lists too few kinds"
for k in $kinds; do
    text=$(entry "$k")
    [ -n "$text" ] || { fail "analysis $k has no entry in $PAGE"; continue; }
    for o in $("$NEUROTOP" analyze "$k" --help | options); do
        if printf '%s\n' "$text" | grep -q -- "$o\\b"; then pass; else fail "analyze $k --help lists $o, its entry in $PAGE does not"; fi
    done
done

# Every experiment likewise.
experiments=$("$NEUROTOP" experiment --help | sed -n '/^Experiments:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ "$(printf '%s\n' "$experiments" | grep -c .)" -ge 2 ] && pass || fail "experiment --help lists too few experiments"
for e in $experiments; do
    text=$(entry "$e")
    [ -n "$text" ] || { fail "experiment $e has no entry in $PAGE"; continue; }
    for o in $("$NEUROTOP" experiment "$e" --help | options); do
        if printf '%s\n' "$text" | grep -q -- "$o\\b"; then pass; else fail "experiment $e --help lists $o, its entry in $PAGE does not"; fi
    done
done

# The configuration keys the program names are the page's.
keys=$("$NEUROTOP" tui --help | sed -n 's/^Defaults for \(.*\) can be set$/\1/p' | tr -d ',')
[ -n "$keys" ] && pass || fail "tui --help names no configuration keys"
cfg=$(awk '/^\.SH CONFIGURATION/ {on = 1; next} on && /^\.SH/ {exit} on' "$TMPD/page")
for k in $keys; do
    if printf '%s\n' "$cfg" | grep -Eqx "\.BR? $k( ,)?"; then pass; else fail "configuration key $k missing from the CONFIGURATION section"; fi
done

finish
