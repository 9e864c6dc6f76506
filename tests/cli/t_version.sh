# neurotop --version: the version of the source and the libraries in use.
SUITE=cli-version
. tests/cli/lib.sh

want=$(sed -n 's/^#define NEUROTOP_VERSION "\(.*\)"$/\1/p' include/neurotop/cli/commands.h)
[ -n "$want" ] && pass || fail "no NEUROTOP_VERSION in include/neurotop/cli/commands.h"
expect_exit 0 "--version" -- "$NEUROTOP" --version
[ "$(printf '%s\n' "$OUT" | head -n 1)" = "neurotop $want" ] && pass || fail "first line is not 'neurotop $want': $OUT"
# ncurses names itself ("ncurses 6.4.20221231"), after the label.
printf '%s\n' "$OUT" | grep -Eq '^  ncurses: +ncurses [0-9]+\.[0-9]+' && pass || fail "no ncurses version: $OUT"
# OpenBLAS: its configuration, the core type it picked and its thread count.
printf '%s\n' "$OUT" | grep -Eq '^  BLAS: +OpenBLAS [0-9.]+ .*\(core [A-Za-z0-9_]+, [0-9]+ threads?\)$' && pass ||
    fail "no OpenBLAS line with core and threads: $OUT"
printf '%s\n' "$OUT" | grep -Eq '^  zlib: +[0-9]+\.[0-9]+' && pass || fail "no zlib version: $OUT"
expect_contains "$OUT" "/share/neurotop" "--version names the data folder compiled in"
# The same version is written into every run.json (session.c) and the manual.
grep -q "\"neurotop $want\"" docs/neurotop.1 && pass || fail "docs/neurotop.1 does not carry version $want"

finish
