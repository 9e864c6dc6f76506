#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/core/fileio.h"
#include "neurotop/run/lesson.h"
#include "support/support.h"

static Lesson *parse_ok(const char *text)
{
    Lesson *l = NULL;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(lesson_parse(text, strlen(text), "l.txt", &l, msg), ST_OK, "%s", msg);
    return l;
}

static void parse_bad(const char *text, Status want, const char *where, const char *what)
{
    Lesson *l = (Lesson *)1;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(lesson_parse(text, strlen(text), "l.txt", &l, msg), want, "'%s' -> %s", text, msg);
    cr_assert_null(l);
    cr_assert(strstr(msg, where) != NULL, "at %s: %s", where, msg);
    cr_assert(strstr(msg, what) != NULL, "says %s: %s", what, msg);
}

Test(lesson, steps_with_directives_and_text)
{
    Lesson *l = parse_ok("# The three phases of seed paper 000.\n"
                         "\n"
                         "epoch: 0\n"
                         "zoom: accuracy\n"
                         "Before training the network guesses:\n"
                         "  accuracy is near 10%.\n"
                         "\n\n"
                         "epoch 12\n"
                         "run :louvain 20\n"
                         "zoom modularity\n"
                         "# a comment inside a step\n"
                         "Q starts to rise.\n"
                         "\n"
                         "command: roles\n"
                         "Epoch 12 again: now the roles.\n"
                         "\n"
                         "epoch: last\n");
    cr_assert_eq(l->n_steps, 4);
    const LessonStep *s = l->steps;
    cr_assert_eq(s[0].line, 3);
    cr_assert_eq(s[0].epoch, 0);
    cr_assert_eq(s[0].epoch_given, 1);
    cr_assert_str_eq(s[0].zoom, "accuracy");
    cr_assert_str_eq(s[0].command, "");
    cr_assert_str_eq(s[0].text, "Before training the network guesses: accuracy is near 10%.");
    cr_assert_eq(s[1].line, 9);
    cr_assert_eq(s[1].epoch, 12);
    cr_assert_str_eq(s[1].command, ":louvain 20");
    cr_assert_str_eq(s[1].zoom, "modularity");
    cr_assert_str_eq(s[1].text, "Q starts to rise.");
    cr_assert_eq(s[2].line, 15);
    cr_assert_eq(s[2].epoch, 12, "inherited from the step before");
    cr_assert_eq(s[2].epoch_given, 0);
    cr_assert_str_eq(s[2].command, ":roles", "the ':' is added");
    cr_assert_str_eq(s[2].text, "Epoch 12 again: now the roles.", "capitalised words are text");
    cr_assert_eq(s[3].epoch, LESSON_LAST_EPOCH);
    cr_assert_str_eq(s[3].text, "", "a step may have no text");
    lesson_free(l);
}

Test(lesson, forgiving_about_spacing_and_line_ends)
{
    Lesson *l = parse_ok("\r\n  epoch:7  \r\n\tzoom :fields\r\n   Look at   the fields. \r\n \t \r\nepoch:8\r\n"
                         "the rest is text even when lower case: like this\r\n");
    cr_assert_eq(l->n_steps, 2);
    cr_assert_eq(l->steps[0].line, 2);
    cr_assert_eq(l->steps[0].epoch, 7);
    cr_assert_str_eq(l->steps[0].zoom, "fields");
    cr_assert_str_eq(l->steps[0].text, "Look at   the fields.");
    cr_assert_eq(l->steps[1].epoch, 8);
    cr_assert_str_eq(l->steps[1].text, "the rest is text even when lower case: like this");
    lesson_free(l);
    /* A paragraph of comments only is no step; the file may lack a final line end. */
    l = parse_ok("# intro\n# more\n\nepoch: 3\nText.");
    cr_assert_eq(l->n_steps, 1);
    cr_assert_eq(l->steps[0].line, 4);
    cr_assert_str_eq(l->steps[0].text, "Text.");
    lesson_free(l);
    /* UTF-8 text is kept as is. */
    l = parse_ok("epoch: 1\nQ \xE2\x86\x91 \xE2\x80\x94 modules appear.\n");
    cr_assert_str_eq(l->steps[0].text, "Q \xE2\x86\x91 \xE2\x80\x94 modules appear.");
    lesson_free(l);
    lesson_free(NULL);
}

Test(lesson, errors_name_the_file_and_line)
{
    parse_bad("epoch: 1\nText.\n\npane: fields\nMore.\n", ST_EFORMAT, "l.txt:4:", "unknown directive 'pane'");
    parse_bad("epoch: twelve\n", ST_EFORMAT, "l.txt:1:", "bad epoch 'twelve'");
    parse_bad("epoch: -3\n", ST_EFORMAT, "l.txt:1:", "bad epoch '-3'");
    parse_bad("epoch: 12 shows\n", ST_EFORMAT, "l.txt:1:", "bad epoch '12 shows'");
    parse_bad("epoch: 99999999999999999999999\n", ST_EFORMAT, "l.txt:1:", "bad epoch");
    parse_bad("epoch:\n", ST_EFORMAT, "l.txt:1:", "'epoch' needs a value");
    parse_bad("\n\nzoom: fields\nNo epoch yet.\n", ST_EFORMAT, "l.txt:3:", "first step names no epoch");
    parse_bad("epoch: 1\nzoom: a\nzoom: b\n", ST_EFORMAT, "l.txt:3:", "second 'zoom' in the step that starts on line 1");
    parse_bad("epoch: 1\ncommand: :a\nrun: :b\n", ST_EFORMAT, "l.txt:3:", "second 'command'");
    parse_bad("epoch: 1\nepoch: 2\n", ST_EFORMAT, "l.txt:2:", "second 'epoch'");
    parse_bad("epoch: 1\nzoom: two words\n", ST_EFORMAT, "l.txt:2:", "bad pane name");
    parse_bad("epoch: 1\ncommand: :\n", ST_EFORMAT, "l.txt:2:", "needs a value");
    parse_bad("epoch: 1\nText.\n\xC3(\n", ST_EFORMAT, "l.txt:3:", "not valid UTF-8");
    parse_bad("", ST_EINVAL, "l.txt", "no steps");
    parse_bad("# only comments\n\n", ST_EINVAL, "l.txt", "no steps");
    char longcmd[400] = "epoch: 1\ncommand: ";
    memset(longcmd + strlen(longcmd), 'x', 300);
    parse_bad(longcmd, ST_EFORMAT, "l.txt:2:", "longer than 254");
    Lesson *l = (Lesson *)1;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(lesson_parse("epoch: 1\n\0x\n", 11, "l.txt", &l, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "l.txt:2: the file holds a NUL byte"), "%s", msg);
    cr_assert_eq(lesson_parse("x", LESSON_MAX_BYTES + 1, "l.txt", &l, msg), ST_EINVAL);
}

static const size_t EPOCHS[] = {0, 1, 2, 3, 5, 7, 8, 9};

static int snap_every_third(void *ctx, size_t epoch)
{
    (void)ctx;
    return epoch % 3 == 0;
}

/* Knows :louvain (weights) and :help; :louvain x is a bad argument. */
static int check_cmd(void *ctx, const char *command, int *needs, char *why, size_t cap)
{
    (void)ctx;
    *needs = strncmp(command, "louvain", 7) == 0;
    if (strcmp(command, "louvain x") == 0) {
        snprintf(why, cap, "R must be a whole number");
        return 1;
    }
    if (*needs || strcmp(command, "help") == 0)
        return 0;
    snprintf(why, cap, "unknown command ':%s'", command);
    return 1;
}

static void check_bad(const char *text, const LessonContext *c, const char *want)
{
    Lesson *l = parse_ok(text);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(lesson_check(l, "l.txt", c, msg), ST_EINVAL, "%s", text);
    cr_assert(strstr(msg, want) != NULL, "want '%s', got '%s'", want, msg);
    lesson_free(l);
}

Test(lesson, check_against_panes_and_the_run_length)
{
    Lesson *l = parse_ok("epoch: 3\nzoom: fields\n\nepoch: 9\nzoom: none\n\nepoch: last\nzoom: weights\n");
    const char *panes[] = {"accuracy", "fields", "weights"};
    char msg[STATUS_MSG_LEN];
    LessonContext c = {.panes = panes, .n_panes = 3, .epochs = EPOCHS, .n_epochs = 8};
    cr_assert_eq(lesson_check(l, "l.txt", &c, msg), ST_OK, "%s", msg);
    LessonContext none = {0};
    cr_assert_eq(lesson_check(l, "l.txt", &none, msg), ST_OK);
    c.n_epochs = 7; /* the run ends at 8 */
    cr_assert_eq(lesson_check(l, "l.txt", &c, msg), ST_EINVAL);
    cr_assert(strstr(msg, "l.txt:4: epoch 9 is past the run's last epoch 8"), "%s", msg);
    c.n_epochs = 8;
    c.n_panes = 2;
    cr_assert_eq(lesson_check(l, "l.txt", &c, msg), ST_EINVAL);
    cr_assert(strstr(msg, "l.txt:8: there is no pane called 'weights' (panes: accuracy, fields)"),
              "the zoom line, not the paragraph's first: %s", msg);
    lesson_free(l);
}

Test(lesson, check_epochs_commands_and_snapshots_on_their_lines)
{
    LessonContext c = {.epochs = EPOCHS, .n_epochs = 8, .has_snapshot = snap_every_third, .check_command = check_cmd};
    check_bad("epoch: 0\nText.\n\n# note\nepoch: 4\nMore.\n", &c,
              "l.txt:5: the run has no epoch 4 (recorded: 0, 1, 2, 3, 5, 7, 8, 9)");
    check_bad("epoch: 0\nText.\n\nepoch: 3\nzoom: none\ncommand: :nosuch 3\nText.\n", &c,
              "l.txt:6: unknown command ':nosuch 3'");
    check_bad("epoch: 3\nrun: louvain x\n", &c, "l.txt:2: R must be a whole number");
    /* :louvain analyses weights: epoch 5 has none. */
    check_bad("epoch: 0\n\nepoch: 5\ncommand: :louvain 4\nText.\n", &c,
              "l.txt:3: the run kept no weights (snapshot file) for epoch 5, which ':louvain 4' on line 4 analyses");
    /* A step that keeps the epoch before is blamed on its command line. */
    check_bad("epoch: 5\nText.\n\ncommand: :louvain\nText.\n", &c, "l.txt:4: the run kept no weights");
    /* Without a command, an epoch without weights is fine (the plots still show it). */
    Lesson *l = parse_ok("epoch: 5\nzoom: none\n\nepoch: 6\ncommand: help\n\nepoch: last\ncommand: louvain\n");
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(lesson_check(l, "l.txt", &c, msg), ST_EINVAL, "epoch 6 is not recorded");
    lesson_free(l);
    l = parse_ok("epoch: 5\nzoom: none\n\nepoch: 7\ncommand: help\n\nepoch: last\ncommand: louvain\n");
    cr_assert_eq(lesson_check(l, "l.txt", &c, msg), ST_OK, "%s", msg);
    lesson_free(l);
}

Test(lesson, load_from_a_file_and_the_shipped_example, .init = support_tmp_init, .fini = support_tmp_fini)
{
    char path[256], msg[STATUS_MSG_LEN];
    snprintf(path, sizeof path, "%s", support_tmp_path("lesson.txt"));
    const char *text = "epoch: 2\nzoom: fields\nHello.\n";
    cr_assert_eq(file_write_atomic(path, text, strlen(text), msg), ST_OK);
    Lesson *l = NULL;
    cr_assert_eq(lesson_load(path, &l, msg), ST_OK, "%s", msg);
    cr_assert_eq(l->steps[0].epoch, 2);
    lesson_free(l);
    unlink(path);
    cr_assert_eq(lesson_load(path, &l, msg), ST_EIO);
    cr_assert_null(l);
    /* The example in docs/lessons.md parses (the tests run from the repository root). */
    char *doc = support_read_file("docs/lessons.md", NULL);
    const char *start = strstr(doc, "```text\n");
    cr_assert_not_null(start, "docs/lessons.md has a text example");
    start += 8;
    const char *end = strstr(start, "```");
    cr_assert_not_null(end);
    cr_assert_eq(lesson_parse(start, (size_t)(end - start), "docs/lessons.md", &l, msg), ST_OK, "%s", msg);
    cr_assert(l->n_steps >= 3);
    lesson_free(l);
    free(doc);
}
