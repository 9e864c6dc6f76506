# --method louvain|leiden and --iterate (issue 17) from the command line:
# the JSON names the method, bad values exit 2 with one sentence, the Q is
# the quality of the returned partition, and, where python3-igraph is
# installed, Leiden's Q is cross-checked against igraph's community_leiden
# on the same graph (skipped visibly without it).
SUITE=cli-analyze-leiden
. tests/cli/lib.sh
KARATE=tests/fixtures/karate.csv
: "${PYTHON:=/usr/bin/python3}"

expect_exit 0 "louvain --method leiden" -- "$NEUROTOP" analyze louvain --matrix "$KARATE" --reps 20 --method leiden
expect_contains "$OUT" '"method":"leiden"' "the JSON names the method"
q_leiden=$(json_num Q)
printf '%s\n' "$OUT" | tr -d '\n' | sed 's/.*"partition":\[\([^]]*\)\].*/\1/' | tr ',' '\n' >"$TMPD/p.txt"
expect_exit 0 "quality of Leiden's partition" -- "$NEUROTOP" analyze quality --matrix "$KARATE" --partition "$TMPD/p.txt"
expect_close "$(json_num Q)" "$q_leiden" "Leiden's Q is the quality of its partition"
# the best known karate partition (Q 0.4197896)
expect_close "$q_leiden" 0.41978961209730448 "Leiden finds karate's optimum in 20 runs"

expect_exit 0 "louvain --iterate" -- "$NEUROTOP" analyze louvain --matrix "$KARATE" --reps 5 --iterate
expect_contains "$OUT" '"iterate":true' "the JSON names --iterate"
case "$OUT" in *'"method"'*) fail "Louvain's JSON should not name the default method" ;; *) pass ;; esac

expect_exit 0 "louvain --random-moves" -- "$NEUROTOP" analyze louvain --matrix "$KARATE" --reps 5 --method leiden --random-moves
expect_contains "$OUT" '"random_moves":true' "the JSON names --random-moves"

expect_exit 0 "consensus --method leiden" -- "$NEUROTOP" analyze consensus --matrix "$KARATE" --reps 20 --method leiden
expect_contains "$OUT" '"method":"leiden"' "consensus names the method"

expect_exit 2 "an unknown method" -- "$NEUROTOP" analyze louvain --matrix "$KARATE" --method infomap
expect_one_line_error "an unknown method"
expect_exit 2 "--method needs a value" -- "$NEUROTOP" analyze multislice --layers "$KARATE" --method
expect_one_line_error "--method without a value"

# multislice: two copies of karate as layers
expect_exit 0 "multislice --method leiden --iterate" -- "$NEUROTOP" analyze multislice --layers "$KARATE,$KARATE" --method leiden --iterate --reps 3
expect_contains "$OUT" '"method":"leiden"' "multislice names the method"

# Cross-check against igraph (the same graph, Q of igraph's partitions by
# igraph's modularity): neurotop's best of 20 Leiden runs is at least igraph's.
if "$PYTHON" -c "import igraph, numpy" 2>/dev/null; then
    ref=$(GRAPH="$KARATE" "$PYTHON" - <<'EOF'
import os, random
import numpy as np
import igraph as ig
a = np.loadtxt(os.environ["GRAPH"], delimiter=",")
w = (a + a.T) / 2
iu, ju = np.nonzero(np.triu(w, 1))
g = ig.Graph(n=len(w), edges=list(zip(iu.tolist(), ju.tolist())))
g.es["weight"] = w[iu, ju].tolist()
best = -1
for r in range(20):
    random.seed(r)
    c = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=2)
    best = max(best, g.modularity(c.membership, weights="weight"))
print("%.12f" % best)
EOF
)
    if [ -n "$ref" ] && awk -v a="$q_leiden" -v b="$ref" 'BEGIN { exit !(a >= b - 1e-9) }'; then
        pass
    else
        fail "neurotop Leiden's best Q $q_leiden is below igraph community_leiden's $ref"
    fi
else
    skip "python3-igraph is not installed for $PYTHON: no cross-check of Leiden's Q against igraph"
fi

finish
