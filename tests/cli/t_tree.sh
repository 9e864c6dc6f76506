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

# No kind name is compared outside the model layer and the data registry.
names=$(sed -n 's/^ *\.name = "\([a-z0-9_-]*\)",.*/\1/p' src/model/*.c | sort -u)
[ -n "$names" ] && pass || fail "no model kind names found in src/model"
for k in $names; do
    hits=$(grep -rn "\"$k\"" src --include='*.c' --include='*.h' | grep -v '^src/model/\|^src/data/' | grep 'strcmp\|strncmp\|== 0')
    if [ -z "$hits" ]; then pass; else fail "kind name \"$k\" compared outside src/model: $hits"; fi
done

# Nothing the repository ships points at the team's references outside it.
hits=$(grep -rln 'METHODS\.md\|FINDINGS\|ARCHITECTURE\.md\|\.\./shared' src include README.md docs tools tests/*/*.c tests/*/*.sh sample-runs/*/README.md sample-runs/*/*.lesson data/README.md 2>/dev/null | grep -v '^tests/cli/t_tree.sh$')
if [ -z "$hits" ]; then pass; else fail "files point outside the repository: $hits"; fi
# Every docs/ file a comment or message names exists.
for d in $(grep -rhoE 'docs/[a-z_-]+\.md' src include README.md tools | sort -u); do
    if [ -f "$d" ]; then pass; else fail "$d is named but does not exist"; fi
done

finish
