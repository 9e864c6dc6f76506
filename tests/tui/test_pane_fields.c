/* The receptive-field pane: sorting, how many fields fit at what
 * resolution, shades on 256-colour canvases and glyphs elsewhere. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "neurotop/core/strbuf.h"
#include "neurotop/tui/pane.h"

extern const PaneOps pane_fields_ops;

#define UNITS 16

/* An MLP 784-16-10 whose HL1 field u is a blob of height u + 1 (so the norm
 * grows with u), except unit 5, the strongest (a blob of 40); probe
 * activations make unit 9 answer class 3 only and the others every class. */
static Snapshot *make_snapshot(void)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 3, .sizes = {784, UNITS, 10}, .in_rows = 28, .in_cols = 28};
    size_t n_params = model_param_count(&c);
    cr_assert_gt(n_params, 0);
    Snapshot *s = snapshot_new(&c, NULL, n_params, 20);
    cr_assert_not_null(s);
    WeightBlock b[4];
    cr_assert_geq(model_blocks(&c, s->params, b, 4), 1);
    float *w1 = s->params + b[0].offset;
    for (size_t i = 0; i < 784; i++) {
        double r2 = pow((double)(i / 28) - 13.5, 2) + pow((double)(i % 28) - 13.5, 2);
        for (size_t u = 0; u < UNITS; u++) {
            double height = u == 5 ? 40.0 : (double)u + 1.0;
            /* Alternate signs across units so both ends of the ramp appear. */
            w1[i * UNITS + u] = (float)((u % 2 ? -1 : 1) * height * exp(-r2 / 30.0));
        }
    }
    for (size_t i = 0; i < 20; i++) {
        s->probe_labels[i] = (uint8_t)(i % 5);
        for (size_t u = 0; u < UNITS; u++)
            s->acts[0][i * UNITS + u] = u == 9 ? (s->probe_labels[i] == 3 ? 0.9f : 0.0f) : 0.5f;
    }
    return s;
}

typedef struct {
    void *state;
    Snapshot *snap;
    PaneView view;
} Fixture;

static void fixture_open(Fixture *f)
{
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(pane_fields_ops.create(&f->state, msg), ST_OK);
    f->snap = make_snapshot();
    f->view = (PaneView){.snap = f->snap, .series = NULL, .cursor_x = NAN};
}

static void fixture_close(Fixture *f)
{
    pane_fields_ops.destroy(f->state);
    snapshot_release(f->snap);
}

/* The pane drawn into a w × h canvas; returns the canvas (caller frees). */
static Canvas *draw(Fixture *f, int w, int h, int unicode, int colors, char *title)
{
    Canvas *c = NULL;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(canvas_new(w, h, unicode, &c, msg), ST_OK);
    canvas_set_colors(c, colors);
    snprintf(title, PANE_TITLE_LEN, "%s", pane_fields_ops.title);
    pane_fields_ops.draw(f->state, &f->view, c, canvas_rect(c), title, PANE_TITLE_LEN);
    return c;
}

static void command(Fixture *f, const char *word, const char *value, Status want)
{
    char a0[] = "fields", a1[32], a2[32], reply[256] = "", msg[STATUS_MSG_LEN] = "";
    snprintf(a1, sizeof a1, "%s", word);
    snprintf(a2, sizeof a2, "%s", value);
    char *argv[] = {a0, a1, a2};
    cr_assert_eq(pane_fields_ops.command(f->state, &f->view, 3, argv, reply, sizeof reply, msg), want, "%s", msg);
}

/* Text of row y of c. */
static void row_text(const Canvas *c, int y, char *out, size_t cap)
{
    size_t k = 0;
    for (int x = 0; x < c->w && k + 1 < cap; x++)
        out[k++] = (char)(canvas_cell(c, x, y)->ch < 128 ? canvas_cell(c, x, y)->ch : '?');
    out[k] = '\0';
}

Test(pane_fields, an_80x24_screen_shows_fewer_fields_at_full_resolution)
{
    Fixture f;
    fixture_open(&f);
    char title[PANE_TITLE_LEN], row[256];
    /* The zoomed pane's inside at 80×24: 78×21. Full size (28×14 cells a
     * field) fits 2; half size would fit 10, short of a dozen. */
    Canvas *c = draw(&f, 78, 21, 0, 0, title);
    cr_assert(strstr(title, "HL1 1–2 of 16") != NULL, "%s", title);
    cr_assert(strstr(title, "half") == NULL, "%s", title);
    row_text(c, 14, row, sizeof row);
    cr_assert(strncmp(row, "#0", 2) == 0 && strncmp(row + 29, "#1", 2) == 0, "labels under 28-wide fields: %s", row);
    canvas_free(c);
    fixture_close(&f);
}

Test(pane_fields, a_200x60_grid_pane_shows_a_dozen_at_half_size)
{
    Fixture f;
    fixture_open(&f);
    char title[PANE_TITLE_LEN], row[256];
    /* The pane's inside in the 200×60 grid: 65×27. Full size fits 2, half
     * size (14×7 cells, one shade per 2×2 pixels) fits 4 × 3 = 12. */
    Canvas *c = draw(&f, 65, 27, 1, 256, title);
    cr_assert(strstr(title, "HL1 1–12 of 16") != NULL, "%s", title);
    cr_assert(strstr(title, "half size") != NULL, "%s", title);
    row_text(c, 7, row, sizeof row);
    cr_assert(strncmp(row, "#0", 2) == 0 && strncmp(row + 15, "#1", 2) == 0 && strncmp(row + 45, "#3", 2) == 0,
              "%s", row);
    /* Shades: many distinct colours, each cell a '▀'. */
    cr_assert_eq(canvas_cell(c, 3, 3)->ch, 0x2580u);
    size_t shades = canvas_count_colors(c, rect_make(0, 0, 65, 26));
    cr_assert_geq(shades, 20, "only %zu distinct (fg, bg) shades", shades);
    canvas_free(c);
    fixture_close(&f);
}

Test(pane_fields, sort_by_norm_and_by_selectivity_puts_learned_units_first)
{
    Fixture f;
    fixture_open(&f);
    char title[PANE_TITLE_LEN], row[256];
    command(&f, "sort", "norm", ST_OK);
    Canvas *c = draw(&f, 78, 21, 0, 0, title);
    cr_assert(strstr(title, "by norm") != NULL, "%s", title);
    row_text(c, 14, row, sizeof row);
    /* Unit 5 (height 40) first, then 15, the tallest of the rest. */
    cr_assert(strncmp(row, "#5 |w|", 6) == 0 && strncmp(row + 29, "#15 |w|", 7) == 0, "%s", row);
    canvas_free(c);

    command(&f, "sort", "selectivity", ST_OK);
    c = draw(&f, 78, 21, 0, 0, title);
    row_text(c, 14, row, sizeof row);
    /* Unit 9 answers one class: SI = 1; every other unit 0 (ties by index). */
    cr_assert(strncmp(row, "#9 SI 1.00", 10) == 0 && strncmp(row + 29, "#0 SI 0.00", 10) == 0, "%s", row);
    canvas_free(c);

    command(&f, "sort", "size", ST_EINVAL);
    command(&f, "size", "2", ST_OK);
    c = draw(&f, 78, 21, 0, 0, title);
    cr_assert(strstr(title, "half size") != NULL, "a chosen size wins over auto: %s", title);
    canvas_free(c);
    command(&f, "size", "9", ST_EINVAL);
    fixture_close(&f);
}

Test(pane_fields, glyphs_and_a_glyph_legend_without_256_colours)
{
    Fixture f;
    fixture_open(&f);
    char title[PANE_TITLE_LEN], row[256];
    Canvas *c = draw(&f, 78, 21, 1, 16, title);
    cr_assert_eq(canvas_count_colors(c, canvas_rect(c)), 0, "no cell colours on a 16-colour terminal");
    row_text(c, 20, row, sizeof row);
    cr_assert(strstr(row, "%=- .+#") != NULL, "the legend names the glyphs: %s", row);
    cr_assert(strstr(row, "one scale for HL1") != NULL, "%s", row);
    canvas_free(c);
    fixture_close(&f);
}
