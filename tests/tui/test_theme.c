#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "neurotop/core/strbuf.h"
#include "neurotop/tui/theme.h"
#include "support/support.h"

static Status parse(const char *text, Theme *t, char *msg)
{
    theme_init_default(t);
    return theme_parse(text, "t.theme", t, msg);
}

static void expect_error(const char *text, const char *want_msg)
{
    Theme t;
    theme_init_default(&t);
    Theme before = t;
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(theme_parse(text, "themes/x.theme", &t, msg), ST_EFORMAT, "%s", text);
    cr_assert_str_eq(msg, want_msg);
    cr_assert(memcmp(&t, &before, sizeof t) == 0, "theme unchanged on error");
}

Test(theme, role_names_round_trip)
{
    cr_assert_eq(ROLE_COUNT, 55);
    for (int r = 0; r < ROLE_COUNT; r++)
        cr_assert_eq(theme_role_from_name(theme_role_name((Role)r)), r);
    cr_assert_str_eq(theme_role_name(ROLE_BORDER_FOCUS), "border_focus");
    cr_assert_eq(theme_role_from_name("heat7"), ROLE_HEAT7);
    cr_assert_eq(theme_role_from_name("nope"), -1);
    cr_assert_str_eq(theme_role_name(ROLE_COUNT), "?");
}

Test(theme, colour_names)
{
    int c = 99;
    cr_assert_eq(theme_color_from_name("default", &c), 0);
    cr_assert_eq(c, TC_DEFAULT);
    cr_assert_eq(theme_color_from_name("magenta", &c), 0);
    cr_assert_eq(c, 5);
    cr_assert_eq(theme_color_from_name("bright-red", &c), 0);
    cr_assert_eq(c, 9);
    cr_assert_eq(theme_color_from_name("brightwhite", &c), 0);
    cr_assert_eq(c, 15);
    cr_assert_eq(theme_color_from_name("208", &c), 0);
    cr_assert_eq(c, 208);
    cr_assert_eq(theme_color_from_name("0", &c), 0);
    cr_assert_eq(c, 0);
    cr_assert_eq(theme_color_from_name("256", &c), -1);
    cr_assert_eq(theme_color_from_name("12a", &c), -1);
    cr_assert_eq(theme_color_from_name("-1", &c), -1);
    cr_assert_eq(theme_color_from_name("pruple", &c), -1);
    cr_assert_eq(theme_color_from_name("bright-", &c), -1);
}

Test(theme, parse_good_file)
{
    Theme t;
    char msg[STATUS_MSG_LEN];
    const char *text = "# a comment\n"
                       "\n"
                       "color title   bright-yellow 236 bold underline  # trailing comment\n"
                       "  color plot2 21 default\r\n"
                       "color status black white reverse dim\n"
                       "color error red default normal";
    cr_assert_eq(parse(text, &t, msg), ST_OK, "%s", msg);
    cr_assert_eq(t.style[ROLE_TITLE].fg, 11);
    cr_assert_eq(t.style[ROLE_TITLE].bg, 236);
    cr_assert_eq(t.style[ROLE_TITLE].attrs, TA_BOLD | TA_UNDERLINE);
    cr_assert_eq(t.style[ROLE_PLOT2].fg, 21);
    cr_assert_eq(t.style[ROLE_PLOT2].bg, TC_DEFAULT);
    cr_assert_eq(t.style[ROLE_PLOT2].attrs, TA_NONE);
    cr_assert_eq(t.style[ROLE_STATUS].attrs, TA_REVERSE | TA_DIM);
    cr_assert_eq(t.style[ROLE_ERROR].fg, TC_RED);
    cr_assert_eq(t.style[ROLE_ERROR].attrs, TA_NONE, "the listed attributes replace the defaults");
    /* Roles the file does not name keep the compiled-in default. */
    cr_assert_eq(t.style[ROLE_PLOT1].fg, TC_GREEN);
    cr_assert_eq(t.style[ROLE_PLOT1].attrs, TA_BOLD);
    cr_assert_eq(t.mono, 0);
    cr_assert_str_eq(t.name, "t");
    cr_assert_str_eq(t.path, "t.theme");
}

Test(theme, errors_name_file_and_line)
{
    expect_error("color title red default\ncolor frame red default\n",
                 "themes/x.theme:2: unknown role 'frame'");
    expect_error("\n\n# c\ncolor title pruple default\n", "themes/x.theme:4: unknown colour 'pruple'");
    expect_error("color title red 300\n", "themes/x.theme:1: unknown colour '300'");
    expect_error("color title red default bold blink\n",
                 "themes/x.theme:1: unknown attribute 'blink'");
    expect_error("color title red\n", "themes/x.theme:1: expected 'color ROLE FG BG [ATTRS]'");
    expect_error("title = red default\n",
                 "themes/x.theme:1: unknown keyword 'title' (expected 'color ROLE FG BG [ATTRS]')");
}

Test(theme, mono_detection_and_make_mono)
{
    Theme t;
    char msg[STATUS_MSG_LEN];
    theme_init_default(&t);
    cr_assert_eq(t.mono, 0);
    theme_make_mono(&t);
    cr_assert_eq(t.mono, 1);
    cr_assert_str_eq(t.name, "default", "name kept");
    for (int r = 0; r < ROLE_COUNT; r++) {
        cr_assert_eq(t.style[r].fg, TC_DEFAULT);
        cr_assert_eq(t.style[r].bg, TC_DEFAULT);
    }
    /* Running and paused stay distinguishable without colour. */
    cr_assert_eq(t.style[ROLE_STATUS_RUNNING].attrs, TA_REVERSE | TA_BOLD);
    cr_assert_eq(t.style[ROLE_STATUS].attrs, TA_REVERSE);
    cr_assert_eq(t.style[ROLE_CURSOR].attrs, TA_REVERSE);

    /* A file giving every role default colours is monochrome. */
    Theme m;
    theme_init_mono(&m);
    StrBuf b;
    strbuf_init(&b);
    for (int r = 0; r < ROLE_COUNT; r++)
        strbuf_printf(&b, "color %s default default\n", theme_role_name((Role)r));
    cr_assert_eq(parse(strbuf_cstr(&b), &m, msg), ST_OK, "%s", msg);
    cr_assert_eq(m.mono, 1);
    strbuf_done(&b);
}

Test(theme, no_color_env)
{
    Theme t;
    theme_init_default(&t);
    unsetenv("NO_COLOR");
    cr_assert_eq(theme_no_color_env(), 0);
    cr_assert_eq(theme_apply_env(&t, 1), 0);
    cr_assert_eq(t.style[ROLE_PLOT1].fg, TC_GREEN);
    setenv("NO_COLOR", "", 1);
    cr_assert_eq(theme_no_color_env(), 0, "empty NO_COLOR does not count");
    cr_assert_eq(theme_apply_env(&t, 1), 0);
    setenv("NO_COLOR", "1", 1);
    cr_assert_eq(theme_no_color_env(), 1);
    cr_assert_eq(theme_apply_env(&t, 1), 1);
    cr_assert_eq(t.style[ROLE_PLOT1].fg, TC_DEFAULT);
    unsetenv("NO_COLOR");
    Theme u;
    theme_init_default(&u);
    cr_assert_eq(theme_apply_env(&u, 0), 1, "a terminal without colours gets the mono picture");
}

static void same_styles(const Theme *a, const Theme *b)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        cr_assert_eq(a->style[r].fg, b->style[r].fg, "role %s", theme_role_name((Role)r));
        cr_assert_eq(a->style[r].bg, b->style[r].bg, "role %s", theme_role_name((Role)r));
        cr_assert_eq(a->style[r].attrs, b->style[r].attrs, "role %s", theme_role_name((Role)r));
    }
}

/* The tests run from the repository root, where themes/ lives. */
Test(theme, shipped_files_match_compiled_and_parse)
{
    char msg[STATUS_MSG_LEN];
    Theme file, built;
    cr_assert_eq(theme_load_file("themes/default.theme", &file, msg), ST_OK, "%s", msg);
    theme_init_default(&built);
    same_styles(&file, &built);
    cr_assert_str_eq(file.name, "default");
    cr_assert_eq(theme_load_file("themes/mono.theme", &file, msg), ST_OK, "%s", msg);
    theme_init_mono(&built);
    same_styles(&file, &built);
    cr_assert_eq(file.mono, 1);
    cr_assert_eq(theme_load_file("themes/high-contrast.theme", &file, msg), ST_OK, "%s", msg);
    cr_assert_eq(file.style[ROLE_DEFAULT].bg, TC_BLACK);
    cr_assert_eq(theme_load_file("themes/gruvbox-dark.theme", &file, msg), ST_OK, "%s", msg);
    cr_assert_eq(file.style[ROLE_DEFAULT].fg, 223);
    cr_assert_eq(file.style[ROLE_DEFAULT].bg, 235);
    cr_assert_eq(file.mono, 0);
    cr_assert_eq(theme_load_file("themes/nonexistent.theme", &file, msg), ST_EIO);
}

static void write_file(const char *path, const char *text)
{
    support_write_file(path, text, strlen(text));
}

Test(theme, load_named_search_order_and_fallbacks)
{
    char msg[STATUS_MSG_LEN];
    Theme t;
    cr_assert_eq(theme_load_named("gruvbox-dark", &t, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(t.path, "./themes/gruvbox-dark.theme");
    cr_assert_str_eq(t.name, "gruvbox-dark");

    char tmp[64];
    support_tmpdir_make("theme", tmp, sizeof tmp);
    char path[256];
    snprintf(path, sizeof path, "%s/neurotop", tmp);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/neurotop/themes", tmp);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/neurotop/themes/mine.theme", tmp);
    write_file(path, "color title red default\n");
    setenv("XDG_CONFIG_HOME", tmp, 1);
    cr_assert_eq(theme_load_named("mine", &t, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(t.path, path);
    cr_assert_eq(t.style[ROLE_TITLE].fg, TC_RED);

    char dirs[THEME_MAX_DIRS][THEME_PATH_LEN];
    size_t nd = theme_search_dirs(dirs, THEME_MAX_DIRS);
    cr_assert_geq(nd, 3);
    cr_assert_str_eq(dirs[0], "./themes");
    char want[256];
    snprintf(want, sizeof want, "%s/neurotop/themes", tmp);
    cr_assert_str_eq(dirs[1], want);
    cr_assert_str_eq(dirs[nd - 1], "/usr/local/share/neurotop/themes");

    /* A malformed file found first is an error, not a silent fallback. */
    snprintf(path, sizeof path, "%s/neurotop/themes/broken.theme", tmp);
    write_file(path, "color title red default\ncolor title blue nocolour\n");
    cr_assert_eq(theme_load_named("broken", &t, msg), ST_EFORMAT);
    cr_assert(strstr(msg, "broken.theme:2: unknown colour 'nocolour'"), "%s", msg);

    cr_assert_eq(theme_load_named("nosuchtheme", &t, msg), ST_ENOTFOUND);
    cr_assert(strstr(msg, "theme 'nosuchtheme' not found"), "%s", msg);
    cr_assert_eq(theme_load_named(".hidden", &t, msg), ST_EINVAL);

    /* Away from the repository (no ./themes, and NEUROTOP_DATADIR naming
     * a folder without themes/ instead of the shipped folders beside the
     * binary), default and mono are compiled in. */
    setenv("NEUROTOP_DATADIR", tmp, 1);
    cr_assert_eq(chdir(tmp), 0);
    cr_assert_eq(theme_load_named("default", &t, msg), ST_OK, "%s", msg);
    cr_assert_str_eq(t.path, "");
    cr_assert_eq(theme_load_named("mono", &t, msg), ST_OK, "%s", msg);
    cr_assert_eq(t.mono, 1);

    char names[16][THEME_NAME_LEN];
    size_t nn = theme_list_names(names, 16);
    cr_assert_eq(nn, 4);
    cr_assert_str_eq(names[0], "broken");
    cr_assert_str_eq(names[1], "default");
    cr_assert_str_eq(names[2], "mine");
    cr_assert_str_eq(names[3], "mono");

    support_tmpdir_remove(tmp);
}

Test(theme, list_names_in_repository)
{
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", "/nonexistent", 1);
    char names[32][THEME_NAME_LEN];
    size_t n = theme_list_names(names, 32);
    cr_assert_geq(n, 4);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            cr_assert_lt(strcmp(names[i - 1], names[i]), 0, "sorted, no duplicates");
        found += strcmp(names[i], "gruvbox-dark") == 0 || strcmp(names[i], "high-contrast") == 0;
    }
    cr_assert_eq(found, 2);
}

Test(theme, colour_fallback)
{
    cr_assert_eq(theme_color_fallback(200, 256, 0), 200);
    cr_assert_eq(theme_color_fallback(TC_DEFAULT, 8, 0), TC_DEFAULT);
    cr_assert_eq(theme_color_fallback(9, 8, 0), TC_RED);
    cr_assert_eq(theme_color_fallback(9, 16, 0), 9);
    /* 196 is (255,0,0): red on 8 colours, bright red on 16. */
    cr_assert_eq(theme_color_fallback(196, 8, 0), TC_RED);
    cr_assert_eq(theme_color_fallback(196, 16, 0), 9);
    /* 235 is a dark grey: black as text, no tint at all as a background. */
    cr_assert_eq(theme_color_fallback(235, 8, 0), TC_BLACK);
    cr_assert_eq(theme_color_fallback(235, 8, 1), TC_DEFAULT);
    /* 21 is (0,0,255): blue. */
    cr_assert_eq(theme_color_fallback(21, 8, 0), TC_BLUE);
    cr_assert_eq(theme_color_fallback(5, 0, 0), TC_DEFAULT, "no colours at all");
}
