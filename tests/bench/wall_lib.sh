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
