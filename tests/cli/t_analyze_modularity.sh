# analyze KINDs quality, louvain, roles, degrees, multislice (docs/methods.md §2-§9).
SUITE=cli-analyze-modularity
. tests/cli/lib.sh

F=tests/fixtures
K=$F/karate.csv

# json_array KEY: the numbers of the array value of top-level KEY in $OUT,
# one per line (nested arrays flattened in order).
json_array() {
    printf '%s' "$OUT" | awk -v k="\"$1\":" '{
        i = index($0, k); if (i == 0) exit
        s = substr($0, i + length(k)); depth = 0; out = ""
        for (j = 1; j <= length(s); j++) {
            c = substr(s, j, 1)
            if (c == "[") depth++
            else if (c == "]") { depth--; if (depth == 0) break }
            out = out c
        }
        gsub(/[][]/, "", out); n = split(out, v, ",")
        for (j = 1; j <= n; j++) print v[j]
    }'
}
# nth KEY I: element I (1-based) of the array KEY.
nth() { json_array "$1" | sed -n "$2p"; }
# expect_ge GOT BOUND DESCRIPTION
expect_ge() {
    if awk -v g="$1" -v b="$2" 'BEGIN { exit !(g != "" && g + 0 >= b + 0) }'; then pass; else fail "$3: got '$1', expected >= $2"; fi
}
# expect_within GOT EXP TOL DESCRIPTION: |got - exp| <= tol
expect_within() {
    if awk -v g="$1" -v e="$2" -v t="$3" 'BEGIN { d = g - e; if (d < 0) d = -d; exit !(g != "" && d <= t) }'; then pass; else fail "$4: got '$1', expected $2 within $3"; fi
}
# bad DESCRIPTION -- command: exit 2, one line on stderr, nothing on stdout.
bad() {
    desc=$1; shift 2
    expect_exit 2 "$desc" -- "$@"
    expect_one_line_error "$desc"
}

# ---- §4 quality -------------------------------------------------------------
expect_exit 0 "quality karate" -- "$NEUROTOP" analyze quality --matrix $K --partition $F/karate_opt.txt
expect_close "$(json_num Q)" 0.41978961209730437 "quality karate"
expect_exit 0 "quality karate gamma 1.5" -- "$NEUROTOP" analyze quality --matrix $K --partition $F/karate_opt.txt --gamma 1.5
expect_close "$(json_num Q)" 0.26429980276134113 "quality karate gamma 1.5"
expect_exit 0 "quality karate igraph partition" -- "$NEUROTOP" analyze quality --matrix $K --partition $F/karate_igraph.txt
expect_close "$(json_num Q)" 0.41880341880341876 "quality karate igraph partition"
expect_exit 0 "quality arbitrary labels" -- "$NEUROTOP" analyze quality --matrix $K --partition $F/karate_opt_relabelled.txt
expect_close "$(json_num Q)" 0.41978961209730437 "quality arbitrary labels"
for mode in sym asym; do
    expect_exit 0 "quality karate $mode" -- "$NEUROTOP" analyze quality --matrix $K --partition $F/karate_opt.txt --signed $mode
    expect_close "$(json_num Q)" 0.41978961209730437 "quality karate $mode = none"
done
expect_exit 0 "quality W4 sym" -- "$NEUROTOP" analyze quality --matrix $F/mod_w4.csv --partition $F/mod_w4_part.txt --signed sym
expect_close "$(json_num Q)" 0.3410326086956522 "quality W4 sym"
expect_exit 0 "quality W4 asym" -- "$NEUROTOP" analyze quality --matrix $F/mod_w4.csv --partition $F/mod_w4_part.txt --signed asym
expect_close "$(json_num Q)" 0.41945297731569 "quality W4 asym"

bad "quality W4 with --signed none" -- "$NEUROTOP" analyze quality --matrix $F/mod_w4.csv --partition $F/mod_w4_part.txt
bad "quality partition longer than the matrix" -- "$NEUROTOP" analyze quality --matrix $F/mod_zero.csv --partition $F/karate_opt.txt
for mode in none sym asym; do
    bad "quality all-zero $mode" -- "$NEUROTOP" analyze quality --matrix $F/mod_zero.csv --partition $F/mod_3_part.txt --signed $mode
done
bad "quality partition too short" -- "$NEUROTOP" analyze quality --matrix $K --partition $F/karate_short.txt
bad "quality partition not an integer" -- "$NEUROTOP" analyze quality --matrix $F/mod_w4.csv --partition $F/mod_w4_badlabel.txt --signed sym
bad "quality empty partition" -- "$NEUROTOP" analyze quality --matrix $F/mod_path.csv --partition $F/mod_empty.csv
bad "quality missing partition file" -- "$NEUROTOP" analyze quality --matrix $K --partition $F/no_such_file.txt
bad "quality missing --partition" -- "$NEUROTOP" analyze quality --matrix $K
bad "quality unknown option" -- "$NEUROTOP" analyze quality --matrix $K --partition $F/karate_opt.txt --omega 1
bad "quality missing value" -- "$NEUROTOP" analyze quality --matrix $K --partition
bad "quality bad --signed" -- "$NEUROTOP" analyze quality --matrix $K --partition $F/karate_opt.txt --signed both
bad "quality negative gamma" -- "$NEUROTOP" analyze quality --matrix $K --partition $F/karate_opt.txt --gamma -1
bad "quality gamma inf" -- "$NEUROTOP" analyze quality --matrix $K --partition $F/karate_opt.txt --gamma inf
bad "quality gamma nan" -- "$NEUROTOP" analyze quality --matrix $K --partition $F/karate_opt.txt --gamma nan
for m in empty ragged nan inf token rect; do
    bad "quality $m matrix" -- "$NEUROTOP" analyze quality --matrix $F/mod_$m.csv --partition $F/mod_3_part.txt
done

# ---- §5 louvain -------------------------------------------------------------
expect_exit 0 "louvain karate reps 20" -- "$NEUROTOP" analyze louvain --matrix $K --reps 20
expect_ge "$(json_num Q)" 0.41 "louvain karate Q"
FIRST=$OUT
json_array partition >"$TMPD/p.txt"
expect_close "$(nth partition 1)" 1 "louvain canonical labels start at 1"
k=$(json_array partition | sort -n | tail -1)
expect_close "$(json_num n_communities)" "$k" "louvain n_communities = largest label"
Q=$(json_num Q)
expect_exit 0 "quality of louvain partition" -- "$NEUROTOP" analyze quality --matrix $K --partition "$TMPD/p.txt"
expect_within "$(json_num Q)" "$Q" 1e-9 "louvain Q = quality(partition)"
expect_exit 0 "louvain same seed" -- "$NEUROTOP" analyze louvain --matrix $K --reps 20
if [ "$OUT" = "$FIRST" ]; then pass; else fail "louvain is not byte-identical for the same seed"; fi
expect_contains "$OUT" '"gamma":1,"signed":"none","reps":20,' "louvain names its parameters"
expect_close "$(json_num q_max)" "$Q" "louvain q_max is the best run's Q"
expect_exit 0 "louvain W4 asym" -- "$NEUROTOP" analyze louvain --matrix $F/mod_w4.csv --signed asym --seed 3
json_array partition >"$TMPD/w.txt"
Q=$(json_num Q)
expect_exit 0 "quality of W4 louvain partition" -- "$NEUROTOP" analyze quality --matrix $F/mod_w4.csv --partition "$TMPD/w.txt" --signed asym
expect_within "$(json_num Q)" "$Q" 1e-9 "louvain W4 asym Q = quality(partition)"
expect_ge "$Q" 0.419452977 "louvain W4 asym at least the 1 1 2 2 partition (less rounding)"
expect_exit 0 "louvain karate consensus" -- "$NEUROTOP" analyze louvain --matrix $K --reps 50 --consensus
expect_ge "$(json_num Q)" 0.38 "louvain consensus Q"
expect_ge "$(json_num consensus_rounds)" 1 "louvain consensus rounds"
CONS=$OUT
expect_exit 0 "consensus karate" -- "$NEUROTOP" analyze consensus --matrix $K --reps 50
if [ "$OUT" = "$CONS" ]; then pass; else fail "analyze consensus is analyze louvain --consensus"; fi
json_array partition >"$TMPD/c.txt"
Q=$(json_num Q)
expect_exit 0 "quality of consensus partition" -- "$NEUROTOP" analyze quality --matrix $K --partition "$TMPD/c.txt"
expect_within "$(json_num Q)" "$Q" 1e-9 "consensus Q = quality(partition)"

bad "louvain W4 none" -- "$NEUROTOP" analyze louvain --matrix $F/mod_w4.csv
bad "louvain all zero" -- "$NEUROTOP" analyze louvain --matrix $F/mod_zero.csv --signed sym
bad "louvain non-square" -- "$NEUROTOP" analyze louvain --matrix $F/mod_rect.csv
bad "louvain NaN" -- "$NEUROTOP" analyze louvain --matrix $F/mod_nan.csv
bad "louvain reps 0" -- "$NEUROTOP" analyze louvain --matrix $K --reps 0
bad "louvain reps fraction" -- "$NEUROTOP" analyze louvain --matrix $K --reps 2.5
bad "louvain negative seed" -- "$NEUROTOP" analyze louvain --matrix $K --seed -1
bad "louvain seed not a number" -- "$NEUROTOP" analyze louvain --matrix $K --seed abc
bad "louvain unknown option" -- "$NEUROTOP" analyze louvain --matrix $K --partition $F/karate_opt.txt
bad "louvain missing --matrix" -- "$NEUROTOP" analyze louvain --reps 3
bad "louvain missing value" -- "$NEUROTOP" analyze louvain --matrix $K --reps

# ---- §7 roles ---------------------------------------------------------------
expect_exit 0 "roles karate" -- "$NEUROTOP" analyze roles --matrix $K --partition $F/karate_opt.txt
expect_close "$(nth pc 1)" 0.5390625 "roles pc[0]"
expect_close "$(nth mz 1)" 2.1357076616511996 "roles mz[0]"
expect_close "$(nth pc 34)" 0.5121107266435986 "roles pc[33]"
expect_close "$(nth mz 34)" 2.511655074836764 "roles mz[33]"
expect_exit 0 "roles W4" -- "$NEUROTOP" analyze roles --matrix $F/mod_w4.csv --partition $F/mod_w4_part.txt
for i in 1 2 3 4; do
    set -- 0.27777777777777778 0.35502958579881655 0.39669421487603307 0.32
    eval want=\${$i}
    expect_close "$(nth pc $i)" "$want" "roles W4 pc[$i]"
    expect_close "$(nth mz $i)" 0 "roles W4 mz[$i]"
done
bad "roles short partition" -- "$NEUROTOP" analyze roles --matrix $K --partition $F/karate_short.txt
bad "roles missing partition" -- "$NEUROTOP" analyze roles --matrix $K
bad "roles non-square" -- "$NEUROTOP" analyze roles --matrix $F/mod_rect.csv --partition $F/mod_w4_part.txt
bad "roles unknown option" -- "$NEUROTOP" analyze roles --matrix $K --partition $F/karate_opt.txt --gamma 1

# ---- §8 degrees -------------------------------------------------------------
expect_exit 0 "degrees W4" -- "$NEUROTOP" analyze degrees --matrix $F/mod_w4.csv --threshold 0.25
for i in 1 2 3 4; do
    set -- 2 3 3 2
    eval want=\${$i}
    expect_close "$(nth degree $i)" "$want" "degree[$i]"
    set -- 1 2 2 1
    eval want=\${$i}
    expect_close "$(nth degree_pos $i)" "$want" "degree_pos[$i]"
    expect_close "$(nth degree_neg $i)" 1 "degree_neg[$i]"
    set -- 0.7 0.9 0.6 0.6
    eval want=\${$i}
    expect_close "$(nth strength $i)" "$want" "strength[$i]"
    set -- 3 2.3333333333333335 2.3333333333333335 3
    eval want=\${$i}
    expect_close "$(nth knn $i)" "$want" "knn[$i]"
done
expect_close "$(json_num threshold)" 0.25 "degrees names its threshold"
expect_exit 0 "degrees karate" -- "$NEUROTOP" analyze degrees --matrix $K
expect_close "$(nth degree 1)" 16 "karate degree[0]"
expect_close "$(nth degree 34)" 17 "karate degree[33]"
bad "degrees negative threshold" -- "$NEUROTOP" analyze degrees --matrix $K --threshold -0.1
bad "degrees threshold inf" -- "$NEUROTOP" analyze degrees --matrix $K --threshold inf
bad "degrees threshold text" -- "$NEUROTOP" analyze degrees --matrix $K --threshold x
bad "degrees non-square" -- "$NEUROTOP" analyze degrees --matrix $F/mod_rect.csv
bad "degrees ragged" -- "$NEUROTOP" analyze degrees --matrix $F/mod_ragged.csv
bad "degrees unknown option" -- "$NEUROTOP" analyze degrees --matrix $K --signed sym

# ---- §9 multislice ----------------------------------------------------------
L="$F/mod_path.csv,$F/mod_triangle.csv"
S="$F/mod_signed.csv,$F/mod_triangle.csv"
expect_exit 0 "multislice example" -- "$NEUROTOP" analyze multislice --layers $L --omega 0.5 --partitions $F/mod_ms_part.csv
expect_close "$(json_num Q)" 0.11538461538461542 "multislice example Q"
expect_exit 0 "multislice example sym" -- "$NEUROTOP" analyze multislice --layers $L --omega 0.5 --partitions $F/mod_ms_part.csv --signed sym
expect_close "$(json_num Q)" 0.11538461538461542 "multislice sym = none on non-negative layers"
expect_exit 0 "multislice signed example" -- "$NEUROTOP" analyze multislice --layers $S --omega 0.5 --partitions $F/mod_ms_part.csv --signed sym
expect_close "$(json_num Q)" 0.23076923076923078 "multislice signed example Q"
expect_exit 0 "multislice T = 1" -- "$NEUROTOP" analyze multislice --layers $K --gamma 1.5 --partitions $F/karate_opt.txt
expect_close "$(json_num Q)" 0.26429980276134113 "multislice T = 1 is plain modularity"
expect_exit 0 "multislice louvain" -- "$NEUROTOP" analyze multislice --layers $L --omega 0.5 --reps 5
Q=$(json_num Q)
expect_ge "$Q" 0.1153846153 "multislice louvain at least the example partition"
MFIRST=$OUT
# the partitions come out layer by layer; write them back as N×T rows
json_array partitions | awk '{ v[NR] = $1 } END { n = NR / 2; for (i = 1; i <= n; i++) print v[i] "," v[i + n] }' >"$TMPD/mp.csv"
expect_exit 0 "quality of multislice partitions" -- "$NEUROTOP" analyze multislice --layers $L --omega 0.5 --partitions "$TMPD/mp.csv"
expect_within "$(json_num Q)" "$Q" 1e-9 "multislice Q = quality(partitions)"
expect_exit 0 "multislice same seed" -- "$NEUROTOP" analyze multislice --layers $L --omega 0.5 --reps 5
if [ "$OUT" = "$MFIRST" ]; then pass; else fail "multislice is not byte-identical for the same seed"; fi
expect_exit 0 "multislice signed louvain" -- "$NEUROTOP" analyze multislice --layers $S --omega 0.5 --signed sym
expect_ge "$(json_num Q)" 0.2307692307 "multislice signed louvain at least the example partition"

bad "multislice signed without --signed sym" -- "$NEUROTOP" analyze multislice --layers $S --omega 0.5 --partitions $F/mod_ms_part.csv
bad "multislice asym" -- "$NEUROTOP" analyze multislice --layers $L --signed asym
bad "multislice bad --signed" -- "$NEUROTOP" analyze multislice --layers $L --signed neg
bad "multislice all-zero layer" -- "$NEUROTOP" analyze multislice --layers "$F/mod_path.csv,$F/mod_zero.csv"
bad "multislice all-zero layer sym" -- "$NEUROTOP" analyze multislice --layers "$F/mod_path.csv,$F/mod_zero.csv" --signed sym
bad "multislice layer sizes differ" -- "$NEUROTOP" analyze multislice --layers "$F/mod_path.csv,$F/mod_4x4.csv"
bad "multislice non-square layer" -- "$NEUROTOP" analyze multislice --layers "$F/mod_path.csv,$F/mod_rect.csv"
bad "multislice NaN layer" -- "$NEUROTOP" analyze multislice --layers "$F/mod_path.csv,$F/mod_nan.csv"
bad "multislice missing layer file" -- "$NEUROTOP" analyze multislice --layers "$F/mod_path.csv,$F/nope.csv"
bad "multislice empty layer name" -- "$NEUROTOP" analyze multislice --layers "$F/mod_path.csv,"
bad "multislice partitions wrong shape" -- "$NEUROTOP" analyze multislice --layers $L --partitions $F/mod_ms_part_3x3.csv
bad "multislice partitions not integers" -- "$NEUROTOP" analyze multislice --layers $L --partitions $F/mod_ms_part_frac.csv
bad "multislice negative omega" -- "$NEUROTOP" analyze multislice --layers $L --omega -1
bad "multislice omega inf" -- "$NEUROTOP" analyze multislice --layers $L --omega inf
bad "multislice missing --layers" -- "$NEUROTOP" analyze multislice --omega 1
bad "multislice unknown option" -- "$NEUROTOP" analyze multislice --layers $L --matrix $K
bad "multislice --partition (singular)" -- "$NEUROTOP" analyze multislice --layers $L --partition $F/karate_opt.txt

finish
