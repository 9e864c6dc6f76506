#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/cli/config.h"
#include "support/support.h"

Test(config, parses_keys_comments_and_blank_lines)
{
    UserConfig c;
    char msg[STATUS_MSG_LEN] = "";
    const char *text = "# my settings\n"
                       "\n"
                       "  theme = gruvbox-dark   # colours\n"
                       "qreps=5\n"
                       "runs = /tmp/a#b\n"
                       "\tfc-windows\t=\t10\r\n";
    cr_assert_eq(config_parse(text, "cfg", &c, msg), ST_OK, "%s", msg);
    cr_assert_eq(c.n, 4);
    int line = 0;
    cr_assert_str_eq(config_get(&c, "theme", &line), "gruvbox-dark");
    cr_assert_eq(line, 3);
    cr_assert_str_eq(config_get(&c, "qreps", &line), "5");
    cr_assert_eq(line, 4);
    /* '#' inside a value (no blank before it) is part of the value. */
    cr_assert_str_eq(config_get(&c, "runs", NULL), "/tmp/a#b");
    cr_assert_str_eq(config_get(&c, "fc-windows", &line), "10");
    cr_assert_eq(line, 6);
    cr_assert_null(config_get(&c, "flexreps", NULL));
}

Test(config, a_later_line_replaces_an_earlier_one)
{
    UserConfig c;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(config_parse("qreps = 1\nqreps = 7\n", "cfg", &c, msg), ST_OK, "%s", msg);
    cr_assert_eq(c.n, 1);
    int line = 0;
    cr_assert_str_eq(config_get(&c, "qreps", &line), "7");
    cr_assert_eq(line, 2);
}

Test(config, a_tilde_is_the_home_folder)
{
    setenv("HOME", "/home/someone", 1);
    UserConfig c;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(config_parse("runs = ~/neurotop-runs\n", "cfg", &c, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(config_get(&c, "runs", NULL), "/home/someone/neurotop-runs");
}

/* Each bad line: ST_EINVAL, one sentence naming the file and the line. */
Test(config, bad_lines_name_file_and_line)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"qreps = 3\nbogus = 1\n", "f.conf:2: unknown key 'bogus'"},
        {"theme gruvbox\n", "f.conf:1: expected 'key = value'"},
        {"\n\nqreps =\n", "f.conf:3: qreps has no value"},
        {"qreps = many\n", "f.conf:1: --qreps must be a whole number"},
        {"fc-windows = 1\n", "f.conf:1: --fc-windows"},
        {"save-every = -1\n", "f.conf:1: --save-every"},
        {"lr = 0.1\n", "f.conf:1: unknown key 'lr'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        UserConfig c;
        char msg[STATUS_MSG_LEN] = "";
        cr_assert_eq(config_parse(cases[i].text, "f.conf", &c, msg), ST_EINVAL, "case %zu", i);
        cr_assert(strstr(msg, cases[i].want), "case %zu: %s", i, msg);
        cr_assert_null(strchr(msg, '\n'), "case %zu: %s", i, msg);
        cr_assert_eq(c.n, 0, "a bad file sets nothing");
    }
}

Test(config, applies_before_the_command_line)
{
    UserConfig c;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(config_parse("qreps = 5\nflexreps = 0\nruns = /tmp/r\nsave-every = 4\n", "cfg", &c, msg),
                 ST_OK, "%s", msg);
    RunOptions o;
    options_defaults(&o, 20);
    cr_assert_eq(config_apply(&c, &o, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.qreps, 5);
    cr_assert_eq(o.flexreps, 0);
    cr_assert_eq(o.save_every, 4);
    cr_assert_str_eq(o.runs, "/tmp/r");
    /* The command line parsed afterwards wins. */
    char a0[] = "--qreps", a1[] = "2";
    char *argv[] = {a0, a1};
    cr_assert_eq(options_parse(2, argv, 0, &o, 0, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.qreps, 2);
    cr_assert_eq(o.flexreps, 0);
}

Test(config, a_missing_file_is_an_empty_configuration)
{
    char dir[64];
    support_tmpdir_make("config", dir, sizeof dir);
    setenv("XDG_CONFIG_HOME", dir, 1);
    UserConfig c;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(config_load(&c, msg), ST_OK, "%s", msg);
    cr_assert_eq(c.n, 0);
    char path[256];
    config_default_path(path, sizeof path);
    char want[256];
    snprintf(want, sizeof want, "%s/neurotop/config", dir);
    cr_assert_str_eq(path, want);
    /* A folder in its place is an error that names it. */
    snprintf(path, sizeof path, "%s/neurotop", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/neurotop/config", dir);
    mkdir(path, 0755);
    cr_assert_eq(config_load(&c, msg), ST_EINVAL);
    cr_assert(strstr(msg, path), "%s", msg);
    /* A relative XDG_CONFIG_HOME is ignored, as the XDG specification says. */
    setenv("XDG_CONFIG_HOME", "relative", 1);
    setenv("HOME", dir, 1);
    config_default_path(path, sizeof path);
    snprintf(want, sizeof want, "%s/.config/neurotop/config", dir);
    cr_assert_str_eq(path, want);
}
