# analyze KINDs flexibility, allegiance, entropy, moments, pca (docs/methods.md §10-§16).
SUITE=cli-analyze-stats
. tests/cli/lib.sh

F=tests/fixtures

# json_list KEY: the numbers of the array value of top-level KEY in $OUT,
# one per line (nested arrays are flattened row by row).
json_list() {
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
# expect_list KEY DESCRIPTION v1 v2 ...: every element close to the expected one.
expect_list() {
    key=$1; desc=$2; shift 2
    got=$(json_list "$key")
    n=$(printf '%s\n' "$got" | grep -c .)
    if [ "$n" -ne $# ]; then fail "$desc: $n values in '$key', expected $#: $OUT"; return; fi
    i=1
    for want in "$@"; do
        expect_close "$(printf '%s\n' "$got" | sed -n "${i}p")" "$want" "$desc[$i]"
        i=$((i + 1))
    done
}

# §10 flexibility
expect_exit 0 "flexibility" -- "$NEUROTOP" analyze flexibility --partitions $F/stats_partitions.csv
expect_list node "flexibility node" 0.3333333333333333 0 0.6666666666666666
expect_close "$(json_num system)" 0.3333333333333333 "flexibility system"
expect_exit 2 "flexibility with T = 1" -- "$NEUROTOP" analyze flexibility --partitions $F/stats_partitions_t1.csv
expect_one_line_error "flexibility with T = 1"
expect_exit 2 "flexibility with a fractional label" -- "$NEUROTOP" analyze flexibility --partitions $F/stats_partitions_frac.csv
expect_one_line_error "flexibility with a fractional label"
expect_exit 2 "flexibility without --partitions" -- "$NEUROTOP" analyze flexibility
expect_one_line_error "flexibility without --partitions"

# §11 allegiance
expect_exit 0 "allegiance" -- "$NEUROTOP" analyze allegiance --partitions $F/stats_partitions.csv
expect_list matrix "allegiance" 1 0.5 0.75 0.5 1 0.25 0.75 0.25 1
expect_exit 0 "allegiance of one layer" -- "$NEUROTOP" analyze allegiance --partitions $F/stats_partitions_t1.csv
expect_list matrix "allegiance of one layer" 1 0 0 0 1 0 0 0 1
expect_exit 2 "allegiance ragged" -- "$NEUROTOP" analyze allegiance --partitions $F/stats_ragged.csv
expect_one_line_error "allegiance ragged"

# §14 entropy
expect_exit 0 "entropy" -- "$NEUROTOP" analyze entropy --matrix $F/stats_entropy.csv
expect_close "$(json_num entropy_nats)" 3.4642585506570294 "entropy"
expect_exit 2 "entropy of a singular covariance" -- "$NEUROTOP" analyze entropy --matrix $F/stats_entropy_dup.csv
expect_one_line_error "entropy of a singular covariance"
expect_contains "$ERR" "singular" "entropy names the singular covariance"
expect_exit 0 "entropy with ridge" -- "$NEUROTOP" analyze entropy --matrix $F/stats_entropy_dup.csv --ridge 0.1
expect_close "$(json_num entropy_nats)" 2.5683788160430026 "entropy with ridge"
expect_close "$(json_num ridge_eps)" 0.16666666666666666 "ridge epsilon"
expect_contains "$OUT" '"ridge_needed":true' "ridge reported as needed"
expect_exit 2 "entropy with a tiny ridge" -- "$NEUROTOP" analyze entropy --matrix $F/stats_entropy_dup.csv --ridge 1e-15
expect_one_line_error "entropy with a tiny ridge"
expect_exit 2 "entropy of one row" -- "$NEUROTOP" analyze entropy --matrix $F/stats_one_row.csv
expect_one_line_error "entropy of one row"
expect_exit 2 "entropy of constant columns" -- "$NEUROTOP" analyze entropy --matrix $F/stats_constant.csv
expect_one_line_error "entropy of constant columns"
expect_exit 2 "entropy negative ridge" -- "$NEUROTOP" analyze entropy --matrix $F/stats_entropy.csv --ridge -1
expect_one_line_error "entropy negative ridge"
expect_exit 2 "entropy NaN" -- "$NEUROTOP" analyze entropy --matrix $F/stats_nan.csv
expect_one_line_error "entropy NaN"
expect_exit 2 "entropy ragged" -- "$NEUROTOP" analyze entropy --matrix $F/stats_ragged.csv
expect_one_line_error "entropy ragged"
expect_exit 2 "entropy unknown option" -- "$NEUROTOP" analyze entropy --matrix $F/stats_entropy.csv --gamma 2
expect_one_line_error "entropy unknown option"

# §15 moments
expect_exit 0 "moments" -- "$NEUROTOP" analyze moments --matrix $F/stats_moments.csv
expect_close "$(json_num mean)" 4 "moments mean"
expect_close "$(json_num std)" 3.1622776601683795 "moments std"
expect_close "$(json_num skewness)" 1.1384199576606167 "moments skewness"
expect_close "$(json_num kurtosis)" -0.212 "moments kurtosis"
expect_close "$(json_num n)" 5 "moments n"
expect_close "$(json_num min)" 1 "moments min"
expect_close "$(json_num max)" 10 "moments max"
# The same kind on an array of a NumPy .npz archive (FILE.npz:NAME): W0 = 0..5.
expect_exit 0 "moments of an npz array" -- "$NEUROTOP" analyze moments --matrix tests/fuzz/corpus_npz/stored.npz:W0
expect_close "$(json_num mean)" 2.5 "npz moments mean"
expect_close "$(json_num n)" 6 "npz moments n"
expect_close "$(json_num max)" 5 "npz moments max"
expect_exit 0 "moments of a constant" -- "$NEUROTOP" analyze moments --matrix $F/stats_constant.csv
expect_contains "$OUT" '"skewness":null' "constant skewness is null"
expect_contains "$OUT" '"kurtosis":null' "constant kurtosis is null"
expect_close "$(json_num std)" 0 "constant std"
expect_exit 2 "moments NaN" -- "$NEUROTOP" analyze moments --matrix $F/stats_nan.csv
expect_one_line_error "moments NaN"
expect_exit 2 "moments ragged" -- "$NEUROTOP" analyze moments --matrix $F/stats_ragged.csv
expect_one_line_error "moments ragged"
expect_exit 2 "moments without --matrix" -- "$NEUROTOP" analyze moments
expect_one_line_error "moments without --matrix"

# §16 pca
expect_exit 0 "pca" -- "$NEUROTOP" analyze pca --matrix $F/stats_pca.csv
expect_list explained_ratio "pca ratio" 0.8 0.2
expect_close "$(json_num n80)" 1 "pca n80 (the tolerance matters)"
expect_exit 0 "pca standardized" -- "$NEUROTOP" analyze pca --matrix $F/stats_pca.csv --standardize
expect_list explained_ratio "pca standardized ratio" 0.5 0.5
expect_close "$(json_num n80)" 2 "pca standardized n80"
expect_exit 2 "pca of one row" -- "$NEUROTOP" analyze pca --matrix $F/stats_one_row.csv
expect_one_line_error "pca of one row"
expect_exit 2 "pca without variance" -- "$NEUROTOP" analyze pca --matrix $F/stats_constant.csv
expect_one_line_error "pca without variance"
expect_exit 2 "pca ragged" -- "$NEUROTOP" analyze pca --matrix $F/stats_ragged.csv
expect_one_line_error "pca ragged"
expect_exit 2 "pca NaN" -- "$NEUROTOP" analyze pca --matrix $F/stats_nan.csv
expect_one_line_error "pca NaN"
expect_exit 2 "pca missing file" -- "$NEUROTOP" analyze pca --matrix $F/stats_no_such_file.csv
expect_one_line_error "pca missing file"

finish
