/* The weight-histogram pane keeps each block's x axis across epochs and
 * shows its count scale. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/core/strbuf.h"
#include "neurotop/tui/pane.h"

extern const PaneOps pane_weights_ops;

/* An MLP 4-3-2 whose weights are all ±w (alternating), at `epoch`. */
static Snapshot *snapshot_with(double w, size_t epoch)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 3, .sizes = {4, 3, 2}};
    size_t n = model_param_count(&c);
    Snapshot *s = snapshot_new(&c, NULL, n, 0);
    cr_assert_not_null(s);
    for (size_t i = 0; i < n; i++)
        s->params[i] = (float)(i % 2 ? -w : w);
    s->epoch = epoch;
    s->examples_seen = epoch * 100;
    return s;
}

static void draw(void *state, Snapshot *snap, char *title, StrBuf *out)
{
    Canvas *c = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(canvas_new(60, 16, 0, &c, msg), ST_OK);
    PaneView v = {.snap = snap, .series = NULL, .cursor_x = NAN};
    snprintf(title, PANE_TITLE_LEN, "%s", pane_weights_ops.title);
    pane_weights_ops.draw(state, &v, c, canvas_rect(c), title, PANE_TITLE_LEN);
    strbuf_clear(out);
    canvas_dump(c, out);
    canvas_free(c);
}

Test(pane_weights, the_x_axis_stays_at_the_widest_range_seen)
{
    void *state = NULL;
    char msg[STATUS_MSG_LEN], title[PANE_TITLE_LEN];
    cr_assert_eq(pane_weights_ops.create(&state, msg), ST_OK);
    Snapshot *narrow = snapshot_with(0.4, 0), *wide = snapshot_with(2.2, 10);
    StrBuf b;
    strbuf_init(&b);
    draw(state, narrow, title, &b);
    /* |w| = 0.4 -> limit 0.5 (steps of 0.25). */
    cr_assert(strstr(strbuf_cstr(&b), "-0.5 ") != NULL, "%s", strbuf_cstr(&b));
    draw(state, wide, title, &b);
    cr_assert(strstr(strbuf_cstr(&b), "-2.25 ") != NULL, "%s", strbuf_cstr(&b));
    /* Back to the narrow epoch: the axis keeps ±2.25. */
    draw(state, narrow, title, &b);
    const char *t = strbuf_cstr(&b);
    cr_assert(strstr(t, "-2.25 ") != NULL && strstr(t, "-0.5 ") == NULL, "%s", t);
    cr_assert(strstr(title, "widest |w| so far") != NULL, "%s", title);
    /* The count scale: block α has 12 weights, 6 in each of two bins. */
    cr_assert(strstr(t, " 6 ") != NULL, "the tallest bar's count: %s", t);
    cr_assert(strstr(t, "^0") != NULL, "the mark says it is 0: %s", t);

    /* :weights range epoch fits each epoch again. */
    char a0[] = "weights", a1[] = "range", a2[] = "epoch", reply[128];
    char *argv[] = {a0, a1, a2};
    cr_assert_eq(pane_weights_ops.command(state, NULL, 3, argv, reply, sizeof reply, msg), ST_OK, "%s", msg);
    draw(state, narrow, title, &b);
    cr_assert(strstr(strbuf_cstr(&b), "-0.5 ") != NULL, "%s", strbuf_cstr(&b));
    cr_assert(strstr(title, "each epoch") != NULL, "%s", title);
    strbuf_done(&b);
    snapshot_release(narrow);
    snapshot_release(wide);
    pane_weights_ops.destroy(state);
}
