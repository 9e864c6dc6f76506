/* Sweep files (cli/sweep.h): syntax, expansion order, labels, and the
 * check of every value against the train options, each error naming its
 * line. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/cli/sweep.h"
#include "support/support.h"

static SweepSpec *parse_ok(const char *text)
{
    SweepSpec *s = NULL;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(sweep_spec_parse(text, strlen(text), "t.sweep", &s, msg), ST_OK, "%s", msg);
    cr_assert_not_null(s);
    return s;
}

/* Parses or checks with an error whose message holds want. */
static void expect_error(const char *text, Status want_st, const char *want)
{
    SweepSpec *s = NULL;
    char msg[STATUS_MSG_LEN] = "";
    Status st = sweep_spec_parse(text, strlen(text), "t.sweep", &s, msg);
    if (st == ST_OK) {
        st = sweep_spec_check(s, "t.sweep", msg);
        sweep_spec_free(s);
    } else {
        cr_assert_null(s);
    }
    cr_assert_eq(st, want_st, "'%s': status %d (%s)", text, st, msg);
    cr_assert(strstr(msg, want), "'%s': message '%s' lacks '%s'", text, msg, want);
    cr_assert_null(strchr(msg, '\n'), "one line");
}

Test(sweep, values_lists_ranges_and_comments)
{
    SweepSpec *s = parse_ok("# a sweep\n"
                            "name = lr-grid   # its name\n"
                            "runs = /tmp/a#b\n"
                            "\n"
                            "model = hebbff\r\n"
                            "lr = [0.1, 0.3 ,1]\n"
                            "hidden = [\"100,50\", 20]\n"
                            "seed = 3..6\n");
    cr_assert_str_eq(s->name, "lr-grid");
    cr_assert_str_eq(s->runs, "/tmp/a#b", "a '#' without a blank before it is text");
    cr_assert_eq(s->n_axes, 4);
    cr_assert_str_eq(s->axes[0].key, "model");
    cr_assert_eq(s->axes[0].n_values, 1);
    cr_assert_str_eq(s->axes[0].values[0], "hebbff");
    cr_assert_eq(s->axes[1].line, 6);
    cr_assert_eq(s->axes[1].n_values, 3);
    cr_assert_str_eq(s->axes[1].values[1], "0.3");
    cr_assert_str_eq(s->axes[1].values[2], "1");
    cr_assert_str_eq(s->axes[2].values[0], "100,50", "a quoted item keeps its comma");
    cr_assert_eq(s->axes[3].n_values, 4);
    cr_assert_str_eq(s->axes[3].values[0], "3");
    cr_assert_str_eq(s->axes[3].values[3], "6");
    cr_assert_eq(s->n_tasks, 1 * 3 * 2 * 4);
    sweep_spec_free(s);
    sweep_spec_free(NULL);
}

/* Like nested loops over the keys in file order: the last varies fastest. */
Test(sweep, expansion_order_is_stable)
{
    SweepSpec *s = parse_ok("epochs = 2\nlr = [0.1, 0.3]\nseed = 0..2\n");
    cr_assert_eq(s->n_tasks, 6);
    const char *want[6][2] = {{"0.1", "0"}, {"0.1", "1"}, {"0.1", "2"}, {"0.3", "0"}, {"0.3", "1"}, {"0.3", "2"}};
    for (size_t t = 0; t < 6; t++) {
        const char *argv[8];
        cr_assert_eq(sweep_task_args(s, t, argv, 8), 6);
        cr_assert_str_eq(argv[0], "--epochs");
        cr_assert_str_eq(argv[1], "2");
        cr_assert_str_eq(argv[2], "--lr");
        cr_assert_str_eq(argv[3], want[t][0], "task %zu", t);
        cr_assert_str_eq(argv[4], "--seed");
        cr_assert_str_eq(argv[5], want[t][1], "task %zu", t);
        size_t idx[3];
        sweep_task_values(s, t, idx);
        cr_assert_eq(idx[0], 0);
        cr_assert_eq(idx[1], t / 3);
        cr_assert_eq(idx[2], t % 3);
    }
    char label[64];
    sweep_task_label(s, 4, label, sizeof label);
    cr_assert_str_eq(label, "lr=0.3 seed=1", "only what varies");
    cr_assert_eq(sweep_spec_check(s, "t.sweep", label), ST_OK);
    sweep_spec_free(s);
}

Test(sweep, syntax_errors_name_the_line)
{
    expect_error("lr = 0.1\nnonsense\n", ST_EFORMAT, "t.sweep:2: expected 'key = value'");
    expect_error("lr = [0.1, 0.3\n", ST_EFORMAT, "t.sweep:1: a list starts with '[' and ends with ']'");
    expect_error("lr = [0.1, , 0.3]\n", ST_EFORMAT, "t.sweep:1: an empty item");
    expect_error("lr = []\n", ST_EFORMAT, "t.sweep:1: an empty item");
    expect_error("\n\nhidden = [\"10, 20]\n", ST_EFORMAT, "t.sweep:3: a quoted item has no closing");
    expect_error("seed = 5..2\n", ST_EINVAL, "t.sweep:1: the end of the range");
    expect_error("seed = 0..99999999\n", ST_EINVAL, "holds more than");
    expect_error("Lr = 1\n", ST_EFORMAT, "t.sweep:1: 'Lr' is not a key");
    expect_error("--lr = 1\n", ST_EFORMAT, "is not a key");
    expect_error("lr =\n", ST_EFORMAT, "t.sweep:1: lr has no value");
    expect_error("lr = 1\nlr = 2\n", ST_EINVAL, "t.sweep:2: lr is set twice (first on line 1)");
    expect_error("headless = 1\n", ST_EINVAL, "t.sweep:1: headless cannot be set in a sweep");
    expect_error("resume = x\n", ST_EINVAL, "resume cannot be set");
    expect_error("name = a b\nlr = 1\n", ST_EINVAL, "t.sweep:1: a name holds only");
    expect_error("name = [a, b]\n", ST_EINVAL, "t.sweep:1: name takes one value");
    expect_error("# nothing\n\n", ST_EINVAL, "sets no option");
    expect_error("a = 0..999\nb = 0..999\nc = 0..9\n", ST_EINVAL, "more than 1000000 tasks (line 3)");
}

Test(sweep, values_are_checked_as_train_options)
{
    expect_error("epochs = 2\nlr = [0.1, -1]\n", ST_EINVAL, "t.sweep:2: --lr must be a number above 0");
    expect_error("model = [mlp, nonesuch]\n", ST_EINVAL, "t.sweep:1: unknown model 'nonesuch'");
    expect_error("epochs = 2\nfrobnicate = 3\n", ST_EINVAL, "t.sweep:2:");
    /* A value fine alone but not with the task's other options. */
    expect_error("model = [mlp, hebbff]\ntask-n = 16\n", ST_EINVAL, "t.sweep: task 0 (model=mlp)");
}

Test(sweep, argv_dup_is_one_block)
{
    const char *words[] = {"train", "--lr", "0.1"};
    char **v = sweep_argv_dup(words, 3);
    cr_assert_not_null(v);
    cr_assert_str_eq(v[2], "0.1");
    cr_assert_null(v[3]);
    v[1][0] = 'x'; /* mutable, and a copy */
    cr_assert_str_eq(words[1], "--lr");
    free(v);
}
