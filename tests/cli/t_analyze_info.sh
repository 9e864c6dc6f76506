# analyze KINDs mi, permtest, emd, assign (docs/methods.md §17-§22).
SUITE=cli-analyze-info
. tests/cli/lib.sh

F=tests/fixtures

# arr KEY I: element I (1-based) of the flat array value of top-level KEY in $OUT.
arr() {
    printf '%s' "$OUT" | awk -v k="\"$1\":[" -v i="$2" '{
        s = index($0, k); if (s == 0) exit
        rest = substr($0, s + length(k)); e = index(rest, "]")
        n = split(substr(rest, 1, e - 1), v, ","); if (i <= n) print v[i]
    }'
}
# arr_len KEY: number of elements of that array.
arr_len() {
    printf '%s' "$OUT" | awk -v k="\"$1\":[" '{
        s = index($0, k); if (s == 0) { print -1; exit }
        rest = substr($0, s + length(k)); e = index(rest, "]")
        print (e == 1 ? 0 : split(substr(rest, 1, e - 1), v, ","))
    }'
}
# expect_between GOT LO HI DESCRIPTION
expect_between() {
    if awk -v g="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(g != "" && g >= lo && g <= hi) }'; then pass; else fail "$4: got '$1', expected within [$2, $3]"; fi
}

# §17 mi: the eight-item example (raw and gzip).
for img in info_images.idx info_images.idx.gz; do
    expect_exit 0 "mi $img" -- "$NEUROTOP" analyze mi --images $F/$img --labels $F/info_labels.idx
    expect_close "$(arr ip 1)" 0.5487949406953986 "mi ip[0] ($img)"
    expect_close "$(arr ip 2)" 0 "mi ip[1] ($img)"
    expect_close "$(arr id 1)" 0.27807190511263774 "mi id[0] ($img)"
    expect_close "$(arr id 2)" 0 "mi id[1] ($img)"
    expect_close "$(arr_len ip)" 2 "mi ip length ($img)"
done
expect_close "$(arr theta 1)" 10 "mi theta[0]"
# The summary :info shows: 8 images, pixel 1 never on, the maximum at pixel 0.
expect_close "$(json_num n)" 8 "mi n"
expect_close "$(json_num n_live)" 1 "mi n_live"
expect_close "$(json_num ip_max)" 0.5487949406953986 "mi ip_max"
expect_close "$(json_num ip_argmax)" 0 "mi ip_argmax"
expect_close "$(json_num ip_mean_live)" 0.5487949406953986 "mi ip_mean_live (one live pixel)"
expect_contains "$OUT" '"r_ip_id":null' "mi r(IP, ID) of two pixels is undefined"
expect_exit 2 "mi count mismatch" -- "$NEUROTOP" analyze mi --images $F/info_images.idx --labels $F/info_labels7.idx
expect_one_line_error "mi count mismatch"
expect_exit 2 "mi bad magic" -- "$NEUROTOP" analyze mi --images $F/info_badmagic.idx --labels $F/info_labels.idx
expect_one_line_error "mi bad magic"
expect_exit 2 "mi truncated images" -- "$NEUROTOP" analyze mi --images $F/info_truncated.idx --labels $F/info_labels.idx
expect_one_line_error "mi truncated images"
expect_exit 2 "mi n = 0" -- "$NEUROTOP" analyze mi --images $F/info_empty.idx --labels $F/info_labels.idx
expect_one_line_error "mi n = 0"
expect_exit 2 "mi images with nd = 1" -- "$NEUROTOP" analyze mi --images $F/info_labels.idx --labels $F/info_labels.idx
expect_one_line_error "mi images with nd = 1"
expect_exit 2 "mi labels with nd = 3" -- "$NEUROTOP" analyze mi --images $F/info_images.idx --labels $F/info_images.idx
expect_one_line_error "mi labels with nd = 3"
expect_exit 2 "mi missing labels option" -- "$NEUROTOP" analyze mi --images $F/info_images.idx
expect_exit 2 "mi missing file" -- "$NEUROTOP" analyze mi --images $F/info_nosuch.idx --labels $F/info_labels.idx
expect_one_line_error "mi missing file"

# §22 permtest: r = 29/35, 0.045 <= p <= 0.072, p = (1 + m)/(N + 1).
expect_exit 0 "permtest example" -- "$NEUROTOP" analyze permtest --a $F/info_perm_a.csv --b $F/info_perm_b.csv
expect_close "$(json_num r)" 0.8285714285714286 "permtest r"
expect_close "$(json_num perms)" 10000 "permtest perms"
expect_close "$(json_num n)" 6 "permtest n (2 x 3 entries)"
expect_close "$(json_num seed)" 0 "permtest seed (0 on files)"
expect_between "$(json_num p)" 0.045 0.072 "permtest p"
P1=$(json_num p)
expect_close "$P1" "$(awk -v m="$(json_num exceed)" 'BEGIN { printf "%.17g", (1 + m) / 10001 }')" "permtest p = (1+m)/(N+1)"
expect_exit 0 "permtest same seed" -- "$NEUROTOP" analyze permtest --a $F/info_perm_a.csv --b $F/info_perm_b.csv --seed 0 --perms 10000
expect_close "$(json_num p)" "$P1" "permtest deterministic"
expect_exit 0 "permtest linear pair" -- "$NEUROTOP" analyze permtest --a $F/info_lin_a.csv --b $F/info_lin_b.csv --perms 1000 --seed 3
expect_close "$(json_num r)" -1 "permtest linear r"
expect_between "$(json_num p)" 0 0.001998001998002 "permtest linear p <= 2/(N+1)"
expect_close "$(json_num perms)" 1000 "permtest perms echoed"
expect_close "$(json_num seed)" 3 "permtest seed echoed"
expect_exit 2 "permtest shapes differ (2x3 vs 3x2)" -- "$NEUROTOP" analyze permtest --a $F/info_perm_a.csv --b $F/info_perm_b_3x2.csv
expect_one_line_error "permtest shapes differ"
expect_exit 2 "permtest zero variance" -- "$NEUROTOP" analyze permtest --a $F/info_perm_a.csv --b $F/info_const.csv
expect_one_line_error "permtest zero variance"
expect_exit 2 "permtest n < 3" -- "$NEUROTOP" analyze permtest --a $F/info_two_a.csv --b $F/info_two_b.csv
expect_one_line_error "permtest n < 3"
expect_exit 2 "permtest --perms 0" -- "$NEUROTOP" analyze permtest --a $F/info_perm_a.csv --b $F/info_perm_b.csv --perms 0
expect_exit 2 "permtest --seed -1" -- "$NEUROTOP" analyze permtest --a $F/info_perm_a.csv --b $F/info_perm_b.csv --seed -1

# §20 emd
expect_exit 0 "emd unit mass to 7" -- "$NEUROTOP" analyze emd --a $F/info_emd_a.csv --b $F/info_emd_b.csv
expect_close "$(json_num emd)" 5 "emd = 5"
expect_exit 0 "emd translation" -- "$NEUROTOP" analyze emd --a $F/info_emd_shift_a.csv --b $F/info_emd_shift_b.csv
expect_close "$(json_num emd)" 3.6055512754639887 "emd = sqrt(13)"
expect_exit 0 "emd symmetric" -- "$NEUROTOP" analyze emd --a $F/info_emd_shift_b.csv --b $F/info_emd_shift_a.csv
expect_close "$(json_num emd)" 3.6055512754639887 "emd symmetric"
expect_exit 0 "emd identical" -- "$NEUROTOP" analyze emd --a $F/info_emd_shift_a.csv --b $F/info_emd_shift_a.csv
expect_close "$(json_num emd)" 0 "emd identical = 0"
expect_exit 2 "emd negative entry" -- "$NEUROTOP" analyze emd --a $F/info_emd_a.csv --b $F/info_emd_neg.csv
expect_one_line_error "emd negative entry"
expect_exit 2 "emd zero total" -- "$NEUROTOP" analyze emd --a $F/info_emd_zero.csv --b $F/info_emd_b.csv
expect_one_line_error "emd zero total"
expect_exit 2 "emd shapes differ" -- "$NEUROTOP" analyze emd --a $F/info_emd_a.csv --b $F/info_emd_b_3x5.csv
expect_one_line_error "emd shapes differ"

# §21 assign
expect_exit 0 "assign example" -- "$NEUROTOP" analyze assign --cost $F/info_cost.csv
expect_close "$(json_num cost)" 5 "assign cost"
expect_contains "$OUT" '"assignment":[1,0,2]' "assign assignment"
expect_exit 2 "assign non-square" -- "$NEUROTOP" analyze assign --cost $F/info_cost_rect.csv
expect_one_line_error "assign non-square"
expect_exit 2 "assign unknown option" -- "$NEUROTOP" analyze assign --cost $F/info_cost.csv --seed 1
expect_one_line_error "assign unknown option"

finish
