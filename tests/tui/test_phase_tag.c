/* The phase helper of the panes and the Modularity title: the phase named
 * is that of the epoch on screen, and nothing where it is in none. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "neurotop/tui/pane.h"

extern const PaneOps pane_modularity_ops;

/* Epochs 0-11: Q (mean of 5 runs, ±0.002) flat at 0.10 for 0-3 while
 * accuracy climbs, then rising 0.02 per epoch; accuracy flat after 4. With
 * range 0.004 the runs' SD is 0.004/2.326, far below the rise. */
static void series(SeriesTable *t, size_t n)
{
    series_init(t);
    ModelConfig c = {.kind = "mlp", .n_layers = 2, .sizes = {2, 2}};
    for (size_t e = 0; e < n; e++) {
        double q = e < 4 ? 0.10 : 0.10 + 0.02 * (double)(e - 3);
        Snapshot *s = snapshot_new(&c, NULL, 4, 0);
        s->epoch = e;
        snapshot_set_metric(s, "test_acc", e < 4 ? 0.1 + 0.2 * (double)e : 0.8);
        snapshot_set_metric(s, "q_whole", q + 0.002);
        snapshot_set_metric(s, "q_whole_mean", q);
        snapshot_set_metric(s, "q_whole_min", q - 0.002);
        snapshot_set_metric(s, "q_whole_max", q + 0.002);
        snapshot_set_metric(s, "q_reps", 5);
        cr_assert_eq(series_append(t, s), ST_OK);
        snapshot_release(s);
    }
}

Test(phase_tag, names_the_phase_of_the_given_epoch)
{
    SeriesTable t;
    series(&t, 12);
    cr_assert_str_eq(pane_phase_at(&t, 0), "early");
    cr_assert_str_eq(pane_phase_at(&t, 3), "early");
    cr_assert_str_eq(pane_phase_at(&t, 4), "middle");
    cr_assert_str_eq(pane_phase_at(&t, 11), "middle");
    cr_assert_str_eq(pane_phase_at(&t, NAN), "middle", "NaN: the last epoch");
    /* The same answers again come from the cache. */
    cr_assert_str_eq(pane_phase_at(&t, 2), "early");
    series_done(&t);
    /* Three epochs are too few to know any phase. */
    series(&t, 3);
    cr_assert_str_eq(pane_phase_at(&t, 0), "");
    cr_assert_str_eq(pane_phase_at(NULL, 0), "");
    series_done(&t);
}

static void title_at(const SeriesTable *t, double cursor, char *title, size_t cap)
{
    Canvas *cv = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(canvas_new(60, 12, 0, &cv, msg), ST_OK, "%s", msg);
    PaneView view = {.snap = NULL, .series = t, .cursor_x = cursor};
    title[0] = '\0';
    pane_modularity_ops.draw(NULL, &view, cv, canvas_rect(cv), title, cap);
    canvas_free(cv);
}

Test(phase_tag, modularity_title_follows_the_shown_epoch)
{
    SeriesTable t;
    series(&t, 12);
    char title[PANE_TITLE_LEN];
    title_at(&t, 1, title, sizeof title);
    cr_assert_str_eq(title, "Modularity Q · best of 5 · early");
    title_at(&t, 8, title, sizeof title);
    cr_assert_str_eq(title, "Modularity Q · best of 5 · middle");
    title_at(&t, NAN, title, sizeof title);
    cr_assert_str_eq(title, "Modularity Q · best of 5 · middle");
    series_done(&t);
}
