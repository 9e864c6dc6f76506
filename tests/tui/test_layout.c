#include <criterion/criterion.h>
#include <string.h>

#include "neurotop/tui/layout.h"

/* A dashboard like the foundation's: accuracy, weights, receptive fields
 * (taller, narrower), and one more plot pane. Minimums include borders. */
static const LayoutPane DASH[4] = {
    {36, 8, 1}, {36, 8, 1}, {30, 10, 1}, {36, 8, 1},
};

static void expect_rect(Rect r, int x, int y, int w, int h)
{
    cr_assert(r.x == x && r.y == y && r.w == w && r.h == h,
              "got (%d,%d %dx%d), want (%d,%d %dx%d)", r.x, r.y, r.w, r.h, x, y, w, h);
}

/* Invariants of any grid: panes inside the body, disjoint, covering it. */
static void check_tiling(const Layout *l, const LayoutPane *p)
{
    long area = 0;
    for (size_t i = 0; i < l->n; i++) {
        Rect a = l->pane[i];
        cr_assert(a.w >= p[i].min_w && a.h >= p[i].min_h, "pane %zu below its minimum", i);
        Rect in = rect_intersect(a, l->body);
        cr_assert(in.w == a.w && in.h == a.h, "pane %zu outside the body", i);
        area += (long)a.w * a.h;
        for (size_t j = i + 1; j < l->n; j++)
            cr_assert(rect_is_empty(rect_intersect(a, l->pane[j])), "panes %zu and %zu overlap", i, j);
    }
    cr_assert_eq(area, (long)l->body.w * l->body.h, "the grid covers the body");
}

Test(layout, dashboard_80x24_is_2x2)
{
    Layout l;
    layout_compute(80, 24, DASH, 4, 0, 0, &l);
    cr_assert_eq(l.mode, LAYOUT_GRID);
    cr_assert(l.grid_cols == 2 && l.grid_rows == 2);
    expect_rect(l.status, 0, 0, 80, 1);
    expect_rect(l.cmdline, 0, 23, 80, 1);
    expect_rect(l.body, 0, 1, 80, 22);
    expect_rect(l.pane[0], 0, 1, 40, 11);
    expect_rect(l.pane[1], 40, 1, 40, 11);
    expect_rect(l.pane[2], 0, 12, 40, 11);
    expect_rect(l.pane[3], 40, 12, 40, 11);
    check_tiling(&l, DASH);
}

Test(layout, dashboard_120x40_and_200x60)
{
    Layout l;
    layout_compute(120, 40, DASH, 4, 1, 0, &l);
    cr_assert_eq(l.mode, LAYOUT_GRID);
    cr_assert(l.grid_cols == 2 && l.grid_rows == 2);
    expect_rect(l.pane[0], 0, 1, 60, 19);
    expect_rect(l.pane[3], 60, 20, 60, 19);
    check_tiling(&l, DASH);

    layout_compute(200, 60, DASH, 4, 0, 0, &l);
    cr_assert_eq(l.mode, LAYOUT_GRID);
    cr_assert(l.grid_cols == 2 && l.grid_rows == 2);
    expect_rect(l.pane[1], 100, 1, 100, 29);
    expect_rect(l.pane[2], 0, 30, 100, 29);
    check_tiling(&l, DASH);
}

Test(layout, small_terminal_shows_focused_pane)
{
    Layout l;
    /* 60 columns cannot hold two 36-wide panes, 18 rows cannot stack them. */
    layout_compute(60, 20, DASH, 4, 2, 0, &l);
    cr_assert_eq(l.mode, LAYOUT_SINGLE);
    cr_assert(l.grid_cols == 1 && l.grid_rows == 1);
    expect_rect(l.pane[2], 0, 1, 60, 18);
    for (int i = 0; i < 4; i++)
        if (i != 2)
            cr_assert(rect_is_empty(l.pane[i]));
    expect_rect(l.cmdline, 0, 19, 60, 1);
}

Test(layout, tiny_terminal_is_too_small)
{
    Layout l;
    layout_compute(20, 5, DASH, 4, 0, 0, &l);
    cr_assert_eq(l.mode, LAYOUT_TOO_SMALL);
    for (int i = 0; i < 4; i++)
        cr_assert(rect_is_empty(l.pane[i]));
    expect_rect(l.status, 0, 0, 20, 1);
    char msg[80];
    layout_too_small_message(&l, 20, 5, msg, sizeof msg);
    cr_assert_str_eq(msg, "terminal too small: 20x5, needs at least 36x10");
    /* Zooming does not help a terminal that is too small. */
    layout_compute(20, 5, DASH, 4, 0, 1, &l);
    cr_assert_eq(l.mode, LAYOUT_TOO_SMALL);
    layout_compute(-3, -1, DASH, 4, 0, 0, &l);
    cr_assert_eq(l.mode, LAYOUT_TOO_SMALL);
    cr_assert(rect_is_empty(l.status) && rect_is_empty(l.cmdline) && rect_is_empty(l.body));
}

Test(layout, zoom_gives_the_whole_body)
{
    Layout l;
    layout_compute(120, 40, DASH, 4, 3, 1, &l);
    cr_assert_eq(l.mode, LAYOUT_ZOOM);
    expect_rect(l.pane[3], 0, 1, 120, 38);
    cr_assert(rect_is_empty(l.pane[0]));
    /* A focus index past the end is clamped. */
    layout_compute(120, 40, DASH, 4, 99, 1, &l);
    expect_rect(l.pane[3], 0, 1, 120, 38);
}

Test(layout, seven_panes_use_three_columns_and_stretch_the_last_row)
{
    LayoutPane p[7];
    for (int i = 0; i < 7; i++)
        p[i] = (LayoutPane){36, 8, 1};
    Layout l;
    layout_compute(200, 60, p, 7, 0, 0, &l);
    cr_assert_eq(l.mode, LAYOUT_GRID);
    cr_assert(l.grid_cols == 3 && l.grid_rows == 3);
    /* 58 rows in 3: 20 19 19; 200 columns in 3: 67 67 66. */
    expect_rect(l.pane[0], 0, 1, 67, 20);
    expect_rect(l.pane[2], 134, 1, 66, 20);
    expect_rect(l.pane[3], 0, 21, 67, 19);
    expect_rect(l.pane[6], 0, 40, 200, 19);
    check_tiling(&l, p);
}

Test(layout, weights_share_heights_and_minimums_win)
{
    LayoutPane p[2] = {{20, 4, 2}, {20, 4, 1}};
    Layout l;
    layout_compute(40, 32, p, 2, 0, 0, &l);
    cr_assert_eq(l.grid_cols, 1, "stacked: each pane gets its full width");
    expect_rect(l.pane[0], 0, 1, 40, 20);
    expect_rect(l.pane[1], 0, 21, 40, 10);

    /* The heavy row would leave the light one below its minimum: the light
     * row is pinned at its minimum and the heavy one takes the rest. */
    LayoutPane q[2] = {{20, 2, 9}, {20, 8, 1}};
    layout_compute(30, 14, q, 2, 0, 0, &l);
    cr_assert_eq(l.mode, LAYOUT_GRID);
    expect_rect(l.pane[0], 0, 1, 30, 4);
    expect_rect(l.pane[1], 0, 5, 30, 8);
}

Test(layout, no_panes)
{
    Layout l;
    layout_compute(80, 24, NULL, 0, 0, 0, &l);
    cr_assert_eq(l.mode, LAYOUT_GRID);
    cr_assert_eq(l.n, 0);
    expect_rect(l.body, 0, 1, 80, 22);
}
