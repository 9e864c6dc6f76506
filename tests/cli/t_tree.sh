# The shape of the source tree: layers include only the layers below them.
SUITE=cli-tree
. tests/cli/lib.sh

# allowed LAYER: the folders whose headers LAYER may include (docs/architecture.md).
allowed() {
    case "$1" in
    core) echo "core" ;;
    data) echo "core data" ;;
    analysis) echo "core analysis" ;;
    model) echo "core data analysis model" ;;
    run) echo "core data analysis model run" ;;
    train) echo "core data analysis model run train" ;;
    measure) echo "core data analysis model run train measure" ;;
    experiment) echo "core data analysis model run train measure experiment" ;;
    tui) echo "core data analysis model run train measure tui" ;;
    cli) echo "core data analysis model run train measure experiment tui cli" ;;
    esac
}

for layer in core data analysis model run train measure experiment tui cli; do
    ok=$(allowed "$layer")
    files=$(find "src/$layer" "include/neurotop/$layer" -name '*.[ch]' 2>/dev/null)
    [ -n "$files" ] || { fail "layer $layer has no files"; continue; }
    bad=""
    for f in $files; do
        for used in $(sed -n 's/^#include "neurotop\/\([a-z]*\)\/.*/\1/p' "$f" | sort -u); do
            case " $ok " in
            *" $used "*) ;;
            *) bad="$bad $f->$used" ;;
            esac
        done
    done
    if [ -z "$bad" ]; then pass; else fail "layer $layer includes a layer above it:$bad"; fi
done

# include/ mirrors src/: every public header's folder exists in src/.
for d in include/neurotop/*/; do
    name=$(basename "$d")
    if [ -d "src/$name" ]; then pass; else fail "include/neurotop/$name has no src/$name"; fi
done

finish
