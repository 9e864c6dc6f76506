# The user configuration file $XDG_CONFIG_HOME/neurotop/config: its values
# reach run.json, the command line wins, a bad line is one sentence naming
# the file and the line with exit 2, and a missing file changes nothing.
SUITE=cli-config
. tests/cli/lib.sh
export XDG_CONFIG_HOME="$TMPD/xdg"
CONF="$XDG_CONFIG_HOME/neurotop/config"
mkdir -p "$XDG_CONFIG_HOME/neurotop"
SHORT="--epochs 1 --epoch-size 50 --probe 40 --flexreps 0"
REPO=$PWD
case $NEUROTOP in /*) ;; *) NEUROTOP=$REPO/$NEUROTOP ;; esac

# run_json KEY: the value of KEY in the run.json of the run printed in $OUT.
run_json() {
    dir=$(printf '%s\n' "$OUT" | sed -n 's/^run directory: //p')
    tr ',{}' '\n\n\n' <"$dir/run.json" | awk -F: -v k="\"$1\"" '$1==k {print $2; exit}'
}

# Missing file: the defaults (qreps 3, runs under ./runs of the cwd).
cd "$TMPD" || exit 1
expect_exit 0 "train without a configuration file" -- "$NEUROTOP" train --headless $SHORT --runs "$TMPD/plain"
[ "$(run_json qreps)" = 3 ] && pass || fail "without a file qreps is 3, run.json says $(run_json qreps)"

# The file's values apply...
cat >"$CONF" <<CFG
# neurotop settings
runs = $TMPD/from-config   # where runs go
qreps = 5
save-every = 0
CFG
expect_exit 0 "train with a configuration file" -- "$NEUROTOP" train --headless $SHORT
case "$OUT" in *"run directory: $TMPD/from-config/"*) pass ;; *) fail "runs from the file not used: $OUT" ;; esac
[ "$(run_json qreps)" = 5 ] && pass || fail "qreps from the file: run.json says $(run_json qreps)"
dir=$(printf '%s\n' "$OUT" | sed -n 's/^run directory: //p')
[ -z "$(ls "$dir/snapshots" 2>/dev/null | grep epoch-)" ] && pass || fail "save-every = 0 still wrote snapshots"

# ...and the command line takes precedence.
expect_exit 0 "command line over the file" -- "$NEUROTOP" train --headless $SHORT --qreps 2 --runs "$TMPD/cli"
case "$OUT" in *"run directory: $TMPD/cli/"*) pass ;; *) fail "--runs did not override the file: $OUT" ;; esac
[ "$(run_json qreps)" = 2 ] && pass || fail "--qreps 2 over the file's 5: run.json says $(run_json qreps)"

# A bad line: one sentence naming file and line, exit 2, nothing created.
printf 'qreps = 5\nqrep = 4\n' >"$CONF"
expect_exit 2 "unknown key" -- "$NEUROTOP" train --headless $SHORT --runs "$TMPD/bad"
expect_one_line_error "unknown key"
expect_contains "$ERR" "$CONF:2: unknown key 'qrep'" "the message names file and line"
[ ! -e "$TMPD/bad" ] && pass || fail "a bad configuration still created $TMPD/bad"
printf '\nflexreps = lots\n' >"$CONF"
expect_exit 2 "bad value" -- "$NEUROTOP" train --headless $SHORT
expect_one_line_error "bad value"
expect_contains "$ERR" "$CONF:2:" "a bad value names file and line"
printf 'theme = no-such-theme\n' >"$CONF"
expect_exit 2 "replay: unknown theme in the file" -- "$NEUROTOP" replay "$REPO/sample-runs/mlp-mnist"
expect_one_line_error "replay: unknown theme in the file"
expect_contains "$ERR" "$CONF:1: theme 'no-such-theme' not found" "replay names the file's theme line"
# The command line's --theme wins over the file's.
expect_exit 2 "replay --theme over the file" -- "$NEUROTOP" replay "$REPO/sample-runs/mlp-mnist" --theme mono
expect_contains "$ERR" "needs a terminal" "replay --theme mono gets past the theme"
# Help never fails on a bad file.
printf 'nonsense\n' >"$CONF"
expect_exit 0 "train --help with a bad file" -- "$NEUROTOP" train --help
expect_exit 0 "tui --help with a bad file" -- "$NEUROTOP" tui --help
expect_exit 2 "tui with a bad file" -- "$NEUROTOP" tui
expect_contains "$ERR" "$CONF:1: expected 'key = value'" "tui names the bad line"
# A folder where the file should be.
rm -f "$CONF" && mkdir "$CONF"
expect_exit 2 "configuration is a folder" -- "$NEUROTOP" train --headless $SHORT
expect_one_line_error "configuration is a folder"
rmdir "$CONF"
cd "$REPO" || exit 1

finish
