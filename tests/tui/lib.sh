# tmux helpers for the TUI tests (sourced after tests/cli/lib.sh).
SOCK="neurotop-test-$$"
tm() { tmux -L "$SOCK" "$@"; }
cleanup_tmux() { tm kill-server >/dev/null 2>&1; rm -rf "$TMPD"; }
screen() { tm capture-pane -p -t t 2>/dev/null; }
trap cleanup_tmux EXIT

# start_tui W H ARGS...: runs neurotop in a detached tmux session of W x H.
start_tui() {
    w=$1; h=$2; shift 2
    cat > "$TMPD/start.sh" <<SH
cd "$PWD"
"$NEUROTOP" "\$@"
echo "EXITED:\$?" > "$TMPD/exit"
sleep 30
SH
    rm -f "$TMPD/exit"
    tm new-session -d -s t -x "$w" -y "$h" sh "$TMPD/start.sh" "$@"
}


# wait_for TEXT [SECONDS]: polls the screen until TEXT appears.
wait_for() {
    limit=${2:-20}
    i=0
    while [ $i -lt $((limit * 10)) ]; do
        case "$(screen)" in *"$1"*) return 0 ;; esac
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# wait_gone TEXT [SECONDS]: polls the screen until TEXT is no longer on it
# (a capture may catch ncurses half-way through redrawing a frame).
wait_gone() {
    limit=${2:-5}
    i=0
    while [ $i -lt $((limit * 10)) ]; do
        case "$(screen)" in *"$1"*) ;; *) return 0 ;; esac
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

expect_screen() {
    if wait_for "$1" "${3:-20}"; then pass; else fail "$2: '$1' never appeared; screen:"; screen | head -30; fi
}

keys() { tm send-keys -t t "$@"; }

# tab_to TEXT WHAT: presses Tab (at most 8 times) until TEXT is on the
# screen, a pane that is off the grid on a small terminal.
tab_to() {
    tabs=0 # not i: wait_for counts with i
    while [ $tabs -lt 8 ]; do
        keys Tab
        if wait_for "$1" 1; then pass; return 0; fi
        tabs=$((tabs + 1))
    done
    fail "$2: Tab never reached '$1'; screen:"
    screen | head -30
}

wait_exit() {
    i=0
    while [ $i -lt 100 ] && [ ! -f "$TMPD/exit" ]; do sleep 0.1; i=$((i + 1)); done
    cat "$TMPD/exit" 2>/dev/null
}

# stop_tui: ends this test's tmux server and waits for it to be gone.
stop_tui() {
    tm kill-server >/dev/null 2>&1
    i=0
    while [ $i -lt 50 ] && tm has-session -t t 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    sleep 0.3
}
