/* Golden screens of every pane for every model kind.
 *
 * For each model kind with a fixture (tests/support: a small model trained a
 * few epochs with a fixed seed), each pane of the registry and two terminal
 * sizes, 80×24 and 160×48, the pane is drawn as the app draws it zoomed
 * (`z`: the whole screen but the status line and the `:` line, in its
 * focused frame), once with UTF-8 glyphs and once in ASCII. The two screens
 * are compared with tests/golden/panes/KIND-PANE-WxH.txt (UTF-8 first); a
 * difference names the first differing line.
 *
 * To accept new screens (a pane or the fixture changed on purpose):
 *     NEUROTOP_UPDATE_GOLDEN=1 build/test/neurotop-tests --filter 'panes/every_pane*'
 * rewrites the golden files instead of comparing; read the diff before
 * committing them. A new pane or model kind gets its files the same way. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/tui/layout.h"
#include "neurotop/tui/pane.h"
#include "support/support.h"

static const struct {
    int w, h;
} SIZES[] = {{80, 24}, {160, 48}};

/* The rect the app gives pane i when it is focused and zoomed. */
static Rect zoomed_rect(size_t i, int w, int h)
{
    LayoutPane lp[LAYOUT_MAX_PANES];
    cr_assert_leq(pane_registry_count, LAYOUT_MAX_PANES);
    for (size_t k = 0; k < pane_registry_count; k++)
        lp[k] = (LayoutPane){pane_registry[k]->min_w, pane_registry[k]->min_h, pane_registry[k]->weight};
    Layout lay;
    layout_compute(w, h, lp, pane_registry_count, i, 1, &lay);
    cr_assert_eq(lay.mode, LAYOUT_ZOOM, "pane %s fits a %dx%d terminal zoomed", pane_registry[i]->name, w, h);
    return lay.pane[i];
}

/* Pane i drawn on a fresh w × h canvas (a fresh pane state too) and
 * appended to out as text under a heading line. */
static void draw_pane(size_t i, const PaneView *view, int w, int h, int unicode, StrBuf *out)
{
    const PaneOps *ops = pane_registry[i];
    char msg[STATUS_MSG_LEN];
    void *state = NULL;
    if (ops->create)
        cr_assert_eq(ops->create(&state, msg), ST_OK, "%s", msg);
    Canvas *c = support_canvas(w, h, unicode);
    Rect r = zoomed_rect(i, w, h);
    char title[PANE_TITLE_LEN];
    snprintf(title, sizeof title, "%s", ops->title);
    /* The contents first, so the pane may rename its frame (as the app does). */
    ops->draw(state, view, c, rect_inset(r, 1), title, sizeof title);
    canvas_box(c, r, title, ROLE_BORDER_FOCUS, ROLE_TITLE);
    strbuf_printf(out, "---- %s, %dx%d, %s ----\n", ops->name, w, h, unicode ? "UTF-8" : "ASCII");
    canvas_dump(c, out);
    canvas_free(c);
    if (ops->destroy)
        ops->destroy(state);
}

Test(panes, every_pane_of_every_model_kind_matches_its_golden_screen, .timeout = 120)
{
    size_t checked = 0, differing = 0;
    for (size_t k = 0; k < support_kind_count; k++) {
        const char *kind = support_kind_name(k);
        SeriesTable series;
        Snapshot *snap = support_snapshot_of_kind(kind, &series);
        PaneView view = {.snap = snap,
                         .series = &series,
                         .progress = {.state = TRAIN_STATE_DONE, .epoch = snap->epoch + 1,
                                      .epochs_total = snap->epoch},
                         .cursor_x = NAN};
        for (size_t i = 0; i < pane_registry_count; i++)
            for (size_t z = 0; z < sizeof SIZES / sizeof SIZES[0]; z++) {
                int w = SIZES[z].w, h = SIZES[z].h;
                StrBuf text;
                strbuf_init(&text);
                draw_pane(i, &view, w, h, 1, &text);
                draw_pane(i, &view, w, h, 0, &text);
                cr_assert(!strbuf_failed(&text));
                char path[256], why[1024];
                snprintf(path, sizeof path, "tests/golden/panes/%s-%s-%dx%d.txt", kind, pane_registry[i]->name,
                         w, h);
                int same = support_golden_check(path, strbuf_cstr(&text), why, sizeof why);
                /* Not fatal: every differing screen is listed. */
                cr_expect(same, "%s", why);
                differing += !same;
                checked++;
                strbuf_done(&text);
            }
        snapshot_release(snap);
        series_done(&series);
    }
    cr_assert_eq(differing, 0, "%zu of %zu golden screens differ", differing, checked);
    cr_assert_eq(checked, support_kind_count * pane_registry_count * 2);
}

/* The model layer names the kinds it knows in its error for an unknown one;
 * each of them must have a fixture, so a new kind cannot skip these screens. */
Test(panes, every_model_kind_has_a_fixture)
{
    ModelConfig cfg = {.kind = "no-such-kind", .n_layers = 2, .sizes = {1, 1}};
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(model_config_validate(&cfg, msg), ST_EINVAL);
    const char *list = strstr(msg, "(known: ");
    cr_assert_not_null(list, "the message no longer lists the known kinds: %s", msg);
    list += strlen("(known: ");
    size_t named = 0;
    while (*list && *list != ')') {
        size_t n = strcspn(list, ",)");
        char kind[32];
        snprintf(kind, sizeof kind, "%.*s", (int)n, list);
        size_t k = 0;
        while (k < support_kind_count && strcmp(support_kind_name(k), kind) != 0)
            k++;
        cr_expect(k < support_kind_count, "model kind '%s' has no fixture in tests/support/support_models.c",
                  kind);
        named++;
        list += n;
        while (*list == ',' || *list == ' ')
            list++;
    }
    cr_assert_eq(named, support_kind_count, "%s", msg);
}

/* The two trajectory panes on a run that recorded trajectories: the mlp
 * fixture's weights at 21 steps, scaled by 0.5 + t/20 and with unit u of
 * each layer pulled along by u·t/400, written by the trajectory writer into
 * a fresh run folder (golden files KIND-PANE-run-WxH.txt). */
#include "neurotop/run/trajectory.h"

static void record_fixture_trajectories(const Snapshot *snap, const char *dir)
{
    char msg[STATUS_MSG_LEN];
    TrajectoryWriter *w = NULL;
    cr_assert_eq(trajectory_writer_new(dir, &snap->config, 0, &w, msg), ST_OK, "%s", msg);
    float *p = malloc(snap->n_params * sizeof *p);
    for (int t = 0; t <= 20; t++) {
        for (size_t i = 0; i < snap->n_params; i++)
            p[i] = snap->params[i] * (0.5f + (float)t / 20.0f) + (float)(i % 7) * (float)t / 400.0f;
        uint64_t ex = snap->examples_seen * (uint64_t)t / 20;
        cr_assert_eq(trajectory_writer_record(w, p, (uint64_t)t * 10, ex, (uint32_t)(t * snap->epoch / 20), msg), ST_OK);
    }
    free(p);
    trajectory_writer_free(w);
}

Test(panes, trajectory_panes_of_a_recording_run_match_their_golden_screens, .timeout = 60)
{
    SeriesTable series;
    Snapshot *snap = support_snapshot_of_kind("mlp", &series);
    char dir[256], plain[256];
    support_tmpdir_make("panetraj", dir, sizeof dir);
    support_tmpdir_make("paneplain", plain, sizeof plain);
    record_fixture_trajectories(snap, dir);
    PaneView view = {.snap = snap,
                     .series = &series,
                     .progress = {.state = TRAIN_STATE_DONE, .epoch = snap->epoch + 1, .epochs_total = snap->epoch},
                     .cursor_x = NAN,
                     .run_dir = dir};
    size_t checked = 0;
    for (size_t i = 0; i < pane_registry_count; i++) {
        const PaneOps *ops = pane_registry[i];
        /* the panes that depend on the run folder, not on the kind */
        if (!ops->wanted || ops->wanted(dir, "mlp") == ops->wanted(plain, "mlp"))
            continue;
        cr_assert(ops->wanted(dir, "mlp"), "%s wants a recording run", ops->name);
        cr_assert(!ops->wanted(plain, "mlp"), "%s is left out of a run without trajectories", ops->name);
        for (size_t z = 0; z < sizeof SIZES / sizeof SIZES[0]; z++) {
            StrBuf text;
            strbuf_init(&text);
            draw_pane(i, &view, SIZES[z].w, SIZES[z].h, 1, &text);
            draw_pane(i, &view, SIZES[z].w, SIZES[z].h, 0, &text);
            char path[256];
            snprintf(path, sizeof path, "tests/golden/panes/mlp-%s-run-%dx%d.txt", pane_registry[i]->name,
                     SIZES[z].w, SIZES[z].h);
            support_golden_assert(path, strbuf_cstr(&text));
            strbuf_done(&text);
            checked++;
        }
    }
    cr_assert_eq(checked, 4, "two panes at two sizes");
    support_tmpdir_remove(dir);
    support_tmpdir_remove(plain);
    snapshot_release(snap);
    series_done(&series);
}

/* The strength pane is the DBN's (seed paper 002): created for a dbn run
 * only, whatever its folder holds. */
Test(panes, strength_pane_is_wanted_for_a_dbn_only)
{
    size_t i = 0;
    while (i < pane_registry_count && strcmp(pane_registry[i]->name, "strength") != 0)
        i++;
    cr_assert(i < pane_registry_count);
    const PaneOps *ops = pane_registry[i];
    cr_assert_not_null(ops->wanted);
    cr_assert(ops->wanted(NULL, "dbn"));
    for (size_t k = 0; k < support_kind_count; k++)
        if (strcmp(support_kind_name(k), "dbn") != 0)
            cr_assert(!ops->wanted(NULL, support_kind_name(k)), "%s", support_kind_name(k));
    cr_assert(!ops->wanted(NULL, NULL));
}
