# Sourced by the run_*.sh scripts that time whole commands.
# best_wall CMD ARGS...: runs the command 3 times (output discarded; REP is
# 1, 2, 3 in turn, for a command that needs a folder of its own each time)
# and prints the best wall time in seconds; fails when a run fails.
best_wall() {
    b=""
    for i in 1 2 3; do
        REP=$i
        s=$(date +%s.%N)
        "$@" >/dev/null || return 1
        e=$(date +%s.%N)
        b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN { t = e - s; if (b == "" || t < b) b = t; printf "%.3f", b }')
    done
    echo "$b"
}
# pct A B: how many percent B is above A.
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * (b - a) / a }'; }
# wall_once CMD ARGS...: the wall time of one run in seconds.
wall_once() {
    s=$(date +%s.%N)
    "$@" >/dev/null || return 1
    e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }'
}
# best_pair N CMD "ARGS_A" "ARGS_B": runs CMD with A's then B's arguments
# (split at spaces), N times each, alternately, so a change in the
# machine's load hits both alike; prints the best wall time of each.
# $BEFORE_RUN, when set, is run untimed before each run (e.g. to remove the
# files of the runs before, so their write-back does not fall in later
# runs).
best_pair() {
    n=$1 cmd=$2 pa=$3 pb=$4 ba="" bb="" i=1
    while [ "$i" -le "$n" ]; do
        REP=a$i
        [ -z "$BEFORE_RUN" ] || $BEFORE_RUN
        # shellcheck disable=SC2086
        ta=$(wall_once $cmd $pa) || return 1
        REP=b$i
        [ -z "$BEFORE_RUN" ] || $BEFORE_RUN
        # shellcheck disable=SC2086
        tb=$(wall_once $cmd $pb) || return 1
        ba=$(awk -v b="$ba" -v t="$ta" 'BEGIN { if (b == "" || t < b) b = t; print b }')
        bb=$(awk -v b="$bb" -v t="$tb" 'BEGIN { if (b == "" || t < b) b = t; print b }')
        i=$((i + 1))
    done
    echo "$ba $bb"
}
