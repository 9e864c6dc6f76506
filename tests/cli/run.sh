#!/bin/sh
# Runs every tests/cli/t_*.sh suite against $NEUROTOP; fails if any check fails.
status=0
for t in tests/cli/t_*.sh; do
    [ -f "$t" ] || continue
    NEUROTOP=${NEUROTOP:-./neurotop} sh "$t" || status=1
done
exit $status
