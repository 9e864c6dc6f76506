#!/bin/sh
# Runs every tests/tui/t_*.sh suite (tmux-driven) against $NEUROTOP.
if ! command -v tmux >/dev/null 2>&1; then
    echo "tmux is not installed: the TUI tests need it (apt-get install tmux)" >&2
    exit 1
fi
status=0
for t in tests/tui/t_*.sh; do
    [ -f "$t" ] || continue
    NEUROTOP=${NEUROTOP:-./neurotop} sh "$t" || status=1
done
exit $status
