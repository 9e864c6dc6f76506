# The shell completions (tools/completion/): the bash function is sourced,
# given COMP_WORDS/COMP_CWORD as bash would, and its COMPREPLY checked
# against the program's own lists; the zsh function is syntax-checked.
SUITE=cli-completion
. tests/cli/lib.sh
BASH_COMP=tools/completion/neurotop.bash
ZSH_COMP=tools/completion/_neurotop
# $NEUROTOP may be relative: the completion calls COMP_WORDS[0].
case $NEUROTOP in /*) PROG=$NEUROTOP ;; *) PROG=$PWD/$NEUROTOP ;; esac

if ! command -v bash >/dev/null 2>&1; then
    skip "bash is not installed"
    finish
    exit $?
fi

# complete WORD...: COMPREPLY, one a line, sorted, for the cursor on the
# last WORD (give "" to complete an empty word).
complete() {
    bash -c '
        . "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _neurotop
        printf "%s\n" "${COMPREPLY[@]}"' complete "$BASH_COMP" "$PROG" "$@" | sort
}
# lines TEXT: the count of its non-empty lines.
lines() { printf '%s\n' "$1" | grep -c .; }
# same GOT WANT DESCRIPTION: the two sorted lists are equal.
same() {
    if [ "$1" = "$2" ]; then pass; else fail "$3: got [$(echo $1)], expected [$(echo $2)]"; fi
}

# The first word: the commands of `neurotop --help`, then options.
commands=$("$NEUROTOP" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' | sort)
got=$(complete "" | grep -v '^-')
same "$got" "$commands" "neurotop <Tab> offers the commands"
same "$(complete an)" "analyze" "neurotop an<Tab>"
same "$(complete tr)" "train" "neurotop tr<Tab>"
got=$(complete --ver)
same "$got" "--version" "neurotop --ver<Tab>"

# Options: every option line of train --help, nothing else but --help.
want=$( ("$NEUROTOP" train --help | sed -n 's/^  \(--[a-z][a-z0-9-]*\).*/\1/p'; echo --help) | sort -u)
same "$(complete train --)" "$want" "neurotop train --<Tab> offers train's options"
same "$(complete train --fc)" "--fc-windows" "train --fc<Tab>"
same "$(complete tui --pa)" "--paused" "tui --pa<Tab>"
same "$(complete replay --)" "$(printf '%s\n' --help --lesson --theme)" "replay --<Tab>"

# Values of options.
same "$(complete train --model "")" "$(printf '%s\n' dbn hebbff lenet mlp)" "--model <Tab> offers the model kinds"
same "$(complete tui --init "")" "$(printf '%s\n' tiny uniform zero)" "--init <Tab>"
got=$(complete tui --theme "")
for t in default mono high-contrast gruvbox-dark; do
    case "
$got
" in *"
$t
"*) pass ;; *) fail "--theme <Tab> lacks $t: $(echo $got)" ;; esac
done
same "$(complete tui --theme gru)" "gruvbox-dark" "--theme gru<Tab>"
same "$(complete analyze louvain --signed "")" "$(printf '%s\n' asym none sym)" "--signed <Tab>"
same "$(complete analyze flexibility --layer "")" "$(printf '%s\n' 1 2 all)" "--layer <Tab>"
same "$(complete train --epochs "")" "" "--epochs <Tab> offers nothing (a number)"

# analyze and experiment: their names first, then each one's options.
kinds=$("$NEUROTOP" analyze --help | sed -n '/^KINDs:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' | sort)
got=$(complete analyze "" | grep -v '^-')
same "$got" "$kinds" "analyze <Tab> offers the kinds"
[ "$(lines "$kinds")" -ge 20 ] && pass || fail "analyze --help lists $(lines "$kinds") kinds"
same "$(complete analyze lou)" "louvain" "analyze lou<Tab>"
same "$(complete analyze entropy --)" "$(printf '%s\n' --help --matrix --ridge)" "analyze entropy --<Tab>"
same "$(complete experiment "")" "$(printf '%s\n' --help dbn-degrees hebbff-modularity lenet-localization mapper-branching mlp-phases)" "experiment <Tab>"
got=$(complete experiment hebbff-modularity --)
for o in --instances --window --from --lr --task-n; do
    case "
$got
" in *"
$o
"*) pass ;; *) fail "experiment hebbff-modularity --<Tab> lacks $o" ;; esac
done
case "$got" in *--model*) fail "hebbff-modularity refuses --model but it is offered" ;; *) pass ;; esac

# A run directory: folder names (here sample-runs/) and the shipped runs.
got=$(complete replay sample-runs/ml)
same "$got" "sample-runs/mlp-mnist" "replay sample-runs/ml<Tab>"
got=$(complete check "")
case "$got" in *sample-runs/mlp-mnist*) pass ;; *) fail "check <Tab> does not offer the shipped sample runs: $(echo $got)" ;; esac
got=$(complete replay sample-runs/mlp-mnist --lesson sample-runs/mlp-mnist/ph)
same "$got" "sample-runs/mlp-mnist/phases.lesson" "--lesson FILE completes file names"

# zsh: compadd and _files stand in for the completion system, so the
# function's candidates and its file requests can be read.
zcomplete() {
    zsh -fc 'compadd() { [[ $1 == -a ]] && print -l -- ${(P)2}; return 0 }
        _files() { print -- "@files:$*"; return 0 }
        words=("$@"); CURRENT=$#
        source "$0"' "$ZSH_COMP" "$PROG" "$@" | sort
}
if command -v zsh >/dev/null 2>&1; then
    if zsh -n "$ZSH_COMP" 2>"$TMPD/zerr"; then pass; else fail "zsh -n $ZSH_COMP: $(cat "$TMPD/zerr")"; fi
    same "$(zcomplete analyze flexibility --layer "")" "$(printf '%s\n' 1 2 all)" "zsh: --layer <Tab>"
    got=$(zcomplete replay "")
    case "$got" in *"@files:-/"*--lesson*|*--lesson*"@files:-/"*) pass ;; *) fail "zsh: replay <Tab> should offer folders and --lesson: $(echo $got)" ;; esac
    same "$(zcomplete "")" "$( ("$NEUROTOP" --complete --) | sort)" "zsh: the first word"
else
    skip "zsh is not installed: $ZSH_COMP not syntax-checked"
fi
if bash -n "$BASH_COMP" 2>"$TMPD/berr"; then pass; else fail "bash -n $BASH_COMP: $(cat "$TMPD/berr")"; fi

finish
