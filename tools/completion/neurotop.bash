# bash completion for neurotop. The candidates come from the program itself
# (`neurotop --complete -- WORDS...`: its commands, the options its --help
# texts list, analysis kinds, model kinds, theme names), so they follow the
# installed version.

_neurotop() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prog=${COMP_WORDS[0]}
    local IFS=$'\n'
    local line files='' dirs=''
    local -a words=()
    COMPREPLY=()
    # shellcheck disable=SC2207
    for line in $("$prog" --complete -- "${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null); do
        case $line in
        @files) files=1 ;;
        @dirs) dirs=1 ;;
        *) words+=("$line") ;;
        esac
    done
    if ((${#words[@]})); then
        COMPREPLY=($(compgen -W "${words[*]}" -- "$cur"))
    fi
    if [[ -n $dirs || -n $files ]]; then
        type compopt >/dev/null 2>&1 && compopt -o filenames 2>/dev/null
        if [[ -n $files ]]; then
            COMPREPLY+=($(compgen -f -- "$cur"))
        else
            COMPREPLY+=($(compgen -d -- "$cur"))
        fi
    fi
    return 0
}
complete -F _neurotop neurotop
