/* The strength pane on a DBN 2-2-1 with hand-set weights. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "neurotop/core/strbuf.h"
#include "neurotop/tui/pane.h"
#include "support/support.h"

extern const PaneOps pane_strength_ops;

/* W1 (visible × h1) = [[0.5, -0.05], [-0.3, -0.2]], W2 (h1 × h2) = [[-0.4], [0.02]].
 * Strengths: v = 0.45, -0.5; h1 = 0.2 - 0.4 = -0.2, -0.25 + 0.02 = -0.23;
 * h2 = -0.38. Degrees at |w| > 0.1: v = 1, 2; h1 = 3, 1; h2 = 1. */
static Snapshot *make_snapshot(void)
{
    ModelConfig c = {.kind = "dbn", .n_layers = 3, .sizes = {2, 2, 1}, .in_rows = 1, .in_cols = 2};
    Snapshot *s = snapshot_new(&c, NULL, model_param_count(&c), 0);
    cr_assert_not_null(s);
    WeightBlock b[4];
    cr_assert_eq(model_blocks(&c, s->params, b, 4), 2);
    float *w1 = s->params + b[0].offset, *w2 = s->params + b[1].offset;
    const float a[4] = {0.5f, -0.05f, -0.3f, -0.2f};
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < 2; j++)
            w1[i * b[0].ld + j] = a[i * 2 + j];
    w2[0] = -0.4f;
    w2[b[1].ld] = 0.02f;
    return s;
}

static void draw(void *state, Snapshot *s, StrBuf *out)
{
    PaneView view = {.snap = s, .cursor_x = NAN};
    Canvas *c = support_canvas(60, 20, 1);
    char title[PANE_TITLE_LEN] = "Strength";
    pane_strength_ops.draw(state, &view, c, rect_make(0, 0, 60, 20), title, sizeof title);
    strbuf_printf(out, "%s\n", title);
    canvas_dump(c, out);
    canvas_free(c);
}

Test(pane_strength, strengths_share_negative_and_degrees_by_hand)
{
    char msg[STATUS_MSG_LEN];
    void *state = NULL;
    cr_assert_eq(pane_strength_ops.create(&state, msg), ST_OK);
    Snapshot *s = make_snapshot();
    StrBuf t;
    strbuf_init(&t);
    draw(state, s, &t);
    const char *txt = strbuf_cstr(&t);
    cr_assert(strstr(txt, "degree: |w| > 0.1"), "%s", txt);
    cr_assert(strstr(txt, "mean -0.025 <0 50% degree 1.5"), "%s", txt);  /* visible */
    cr_assert(strstr(txt, "mean -0.215 <0 100% degree 2.0"), "%s", txt); /* h1 */
    cr_assert(strstr(txt, "mean -0.38 <0 100% degree 1.0"), "%s", txt);  /* h2 */
    /* a higher threshold drops the 0.2 and 0.3 edges */
    char w0[] = "strength", w1[] = "theta", w2[] = "0.35", w3[] = "-1", reply[128];
    char *argv[] = {w0, w1, w2, NULL};
    PaneView view = {.snap = s, .cursor_x = NAN};
    cr_assert_eq(pane_strength_ops.command(state, &view, 3, argv, reply, sizeof reply, msg), ST_OK);
    strbuf_clear(&t);
    draw(state, s, &t);
    txt = strbuf_cstr(&t);
    cr_assert(strstr(txt, "mean -0.025 <0 50% degree 0.5"), "%s", txt);
    cr_assert(strstr(txt, "mean -0.215 <0 100% degree 1.0"), "%s", txt);
    char *bad[] = {w0, w1, w3, NULL};
    cr_assert_eq(pane_strength_ops.command(state, &view, 3, bad, reply, sizeof reply, msg), ST_EINVAL);
    strbuf_done(&t);
    snapshot_release(s);
    pane_strength_ops.destroy(state);
}
