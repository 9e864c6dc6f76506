# Top-level command-line behaviour.
SUITE=cli-main
. tests/cli/lib.sh

expect_exit 0 "--help" -- "$NEUROTOP" --help
expect_contains "$OUT" "analyze" "--help lists analyze"
expect_exit 2 "unknown command" -- "$NEUROTOP" frobnicate
expect_one_line_error "unknown command"
expect_exit 2 "analyze unknown kind" -- "$NEUROTOP" analyze nosuchkind
expect_one_line_error "analyze unknown kind"
expect_exit 0 "analyze --help" -- "$NEUROTOP" analyze --help

finish
