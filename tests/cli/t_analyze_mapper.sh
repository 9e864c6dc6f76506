# analyze mapper (docs/methods.md §28) on a hand-computed Y.
SUITE=cli-analyze-mapper
. tests/cli/lib.sh

F=tests/fixtures
Y=$F/mapper_y.csv
# mapper_y.csv: time, x, y. The points (x, y) are a stem (0,0) (0,1) (0,2)
# and two arms (-1,3) (-2,4) and (1,3) (2,4). Filter = L2 norm, range
# [0, sqrt 20]; 3 intervals with overlap 0.5 have length L = sqrt(20)/2 =
# 2.236 and start every 1.118: [0, 2.236] holds rows 0 1 2, [1.118, 3.354]
# rows 2 3 5, [2.236, 4.472] rows 3 4 5 6. With eps 1.5 the last splits into
# the two arms (their nearest points are 2 apart): vertices {0,1,2} {2,3,5}
# {3,4} {5,6}, edges 0-1 1-2 1-3 sharing one point each: a tree with three
# leaves and one branching vertex. Mean times 20, 43.333, 45, 65.

expect_exit 0 "mapper Y" -- "$NEUROTOP" analyze mapper --points $Y --time-column 0 --intervals 3 --overlap 0.5 --eps 1.5
expect_contains "$OUT" '"members":[0,1,2]' "vertex 0"
expect_contains "$OUT" '"members":[2,3,5]' "branching vertex"
expect_contains "$OUT" '"members":[3,4]' "left arm"
expect_contains "$OUT" '"members":[5,6]' "right arm"
expect_contains "$OUT" '"edges":[{"source":0,"target":1,"shared":1},{"source":1,"target":2,"shared":1},{"source":1,"target":3,"shared":1}]' "edges"
expect_contains "$OUT" '"tree":true' "a tree"
expect_contains "$OUT" '"leaves":3,"branch_vertices":1' "three leaves, one branch"
expect_close "$(json_num cycles)" 0 "no cycle"
expect_close "$(json_num components)" 1 "one component"
expect_close "$(json_num dimensions)" 2 "the time column is not a coordinate"
expect_contains "$OUT" '"mean_time":43.3333333333333' "mean time of the branching vertex"
expect_contains "$OUT" '"interval_length":[2.2360679774997' "interval length sqrt(20)/2"

# DBSCAN, min_samples 3: in the last interval no point has 3 points within
# 1.5, so rows 4 and 6 are noise; (0,1) and (0,2) are the core points below.
expect_exit 0 "mapper Y dbscan" -- "$NEUROTOP" analyze mapper --points $Y --time-column 0 --intervals 3 --overlap 0.5 --eps 1.5 --cluster dbscan --min-samples 3
expect_close "$(json_num n_vertices)" 2 "dbscan vertices"
expect_close "$(json_num unclustered)" 2 "dbscan noise"
expect_contains "$OUT" '"min_samples":3' "dbscan min_samples"

# DOT, written atomically, and the same graph
expect_exit 0 "mapper dot" -- "$NEUROTOP" analyze mapper --points $Y --time-column 0 --intervals 3 --overlap 0.5 --eps 1.5 --dot "$TMPD/y.dot"
if [ -f "$TMPD/y.dot" ] && grep -q '^  v1 -- v3 \[label="1", weight=1\];$' "$TMPD/y.dot" && [ "$(grep -c -- ' -- ' "$TMPD/y.dot")" -eq 3 ] &&
    ! ls "$TMPD"/y.dot.tmp.* >/dev/null 2>&1; then pass; else fail "mapper dot file: $(cat "$TMPD/y.dot" 2>&1)"; fi
if command -v dot >/dev/null 2>&1; then
    if dot -Tsvg "$TMPD/y.dot" >/dev/null 2>&1; then pass; else fail "Graphviz rejects the DOT file"; fi
else
    skip "Graphviz dot is not installed: the DOT file is not rendered"
fi

# the other filters: time (the time column), pca1 (the points' main axis)
expect_exit 0 "mapper time filter" -- "$NEUROTOP" analyze mapper --points $Y --time-column 0 --filter time --intervals 2 --overlap 0 --eps 1.5
expect_contains "$OUT" '"filter_range":[[10,70]]' "time filter range"
expect_exit 0 "mapper pca2" -- "$NEUROTOP" analyze mapper --points $Y --filter pca2 --intervals 2 --eps 2
expect_contains "$OUT" '"cube":[1,1]' "pca2 cubes are pairs"

# bad input: one line, exit 2
printf '1,2\n3\n' >"$TMPD/ragged.csv"
expect_exit 2 "mapper no file" -- "$NEUROTOP" analyze mapper --points "$TMPD/none.csv"
expect_one_line_error "mapper no file"
expect_exit 2 "mapper ragged" -- "$NEUROTOP" analyze mapper --points "$TMPD/ragged.csv"
expect_one_line_error "mapper ragged"
expect_exit 2 "mapper absurd intervals" -- "$NEUROTOP" analyze mapper --points $Y --intervals 1000000000
expect_one_line_error "mapper absurd intervals"
expect_exit 2 "mapper overlap 1.5" -- "$NEUROTOP" analyze mapper --points $Y --overlap 1.5
expect_one_line_error "mapper overlap 1.5"
expect_exit 2 "mapper overlap 1" -- "$NEUROTOP" analyze mapper --points $Y --overlap 1
expect_one_line_error "mapper overlap 1"
expect_exit 2 "mapper eps 0" -- "$NEUROTOP" analyze mapper --points $Y --eps 0
expect_one_line_error "mapper eps 0"
expect_exit 2 "mapper bad filter" -- "$NEUROTOP" analyze mapper --points $Y --filter pca4
expect_one_line_error "mapper bad filter"
expect_exit 2 "mapper time column" -- "$NEUROTOP" analyze mapper --points $Y --time-column 3
expect_one_line_error "mapper time column"
expect_exit 2 "mapper no points" -- "$NEUROTOP" analyze mapper --intervals 3
expect_one_line_error "mapper no points"

finish
