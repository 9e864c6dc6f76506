#include <criterion/criterion.h>
#include <string.h>

#include "neurotop/tui/canvas.h"
#include "support/support.h"

Test(canvas, rect_helpers)
{
    Rect r = rect_make(2, 3, 10, 6);
    Rect top = rect_take_top(&r, 2);
    cr_assert(top.x == 2 && top.y == 3 && top.w == 10 && top.h == 2);
    cr_assert(r.y == 5 && r.h == 4);
    Rect right = rect_take_right(&r, 3);
    cr_assert(right.x == 9 && right.w == 3 && r.w == 7);
    Rect big = rect_take_bottom(&r, 99);
    cr_assert(big.h == 4 && r.h == 0 && rect_is_empty(r));

    Rect i = rect_intersect(rect_make(0, 0, 5, 5), rect_make(3, 4, 5, 5));
    cr_assert(i.x == 3 && i.y == 4 && i.w == 2 && i.h == 1);
    cr_assert(rect_is_empty(rect_intersect(rect_make(0, 0, 2, 2), rect_make(5, 5, 1, 1))));
    Rect in = rect_inset(rect_make(0, 0, 3, 3), 2);
    cr_assert(in.w == 0 && in.h == 0);

    /* 10 columns in 3 parts: 4 3 3, remainders first. */
    Rect a = rect_split_cols(rect_make(0, 0, 10, 1), 0, 3);
    Rect b = rect_split_cols(rect_make(0, 0, 10, 1), 1, 3);
    Rect c = rect_split_cols(rect_make(0, 0, 10, 1), 2, 3);
    cr_assert(a.x == 0 && a.w == 4 && b.x == 4 && b.w == 3 && c.x == 7 && c.w == 3);
    Rect r2 = rect_split_rows(rect_make(0, 1, 5, 7), 1, 2);
    cr_assert(r2.y == 5 && r2.h == 3);
}

Test(canvas, new_rejects_bad_sizes)
{
    Canvas *c = (Canvas *)1;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(canvas_new(-1, 5, 1, &c, msg), ST_EINVAL);
    cr_assert_null(c);
    cr_assert_eq(canvas_new(5, CANVAS_MAX_SIDE + 1, 1, &c, msg), ST_EINVAL);
    cr_assert(strstr(msg, "out of range"));
    cr_assert_eq(canvas_new(0, 0, 1, &c, msg), ST_OK);
    support_expect_dump(c, "");
    canvas_free(c);
    canvas_free(NULL);
}

Test(canvas, text_clipping_and_utf8)
{
    Canvas *c = support_canvas(8, 2, 1);
    int end = canvas_text(c, canvas_rect(c), 5, 0, "αβγδε", ROLE_VALUE);
    cr_assert_eq(end, 10, "returns x + width even when clipped");
    canvas_text(c, rect_make(1, 1, 3, 1), 0, 1, "abcdef", ROLE_LABEL);
    support_expect_dump(c, "     αβγ\n bcd\n");
    cr_assert_eq(canvas_cell(c, 5, 0)->ch, 0x03B1u);
    cr_assert_eq(canvas_cell(c, 5, 0)->role, ROLE_VALUE);
    cr_assert_eq(canvas_cell(c, 0, 1)->ch, ' ', "outside the clip rect");
    cr_assert_null(canvas_cell(c, 8, 0));
    /* Invalid UTF-8 and control characters never reach the terminal. */
    canvas_clear(c);
    canvas_text(c, canvas_rect(c), 0, 0, "a\xff\tb", ROLE_DEFAULT);
    support_expect_dump(c, "a??b\n\n");
    cr_assert_eq(canvas_text_width("αβγ x"), 5);
    canvas_free(c);
}

Test(canvas, ascii_fallbacks)
{
    Canvas *c = support_canvas(12, 1, 0);
    canvas_text(c, canvas_rect(c), 0, 0, "α→β·█░⠁é─│┼", ROLE_DEFAULT);
    support_expect_dump(c, "a>b.#:*?-|+\n");
    cr_assert_eq(canvas_ascii_fallback(0x03B3), 'g');
    cr_assert_eq(canvas_ascii_fallback('x'), 'x');
    canvas_free(c);
}

Test(canvas, box_with_title_unicode_and_ascii)
{
    Canvas *u = support_canvas(12, 4, 1);
    Rect inner = canvas_box(u, canvas_rect(u), "Accuracy", ROLE_BORDER, ROLE_TITLE);
    cr_assert(inner.x == 1 && inner.y == 1 && inner.w == 10 && inner.h == 2);
    support_expect_dump(u, "┌ Accuracy ┐\n"
                           "│          │\n"
                           "│          │\n"
                           "└──────────┘\n");
    cr_assert_eq(canvas_cell(u, 2, 0)->role, ROLE_TITLE);
    cr_assert_eq(canvas_cell(u, 0, 0)->role, ROLE_BORDER);
    canvas_free(u);

    Canvas *a = support_canvas(10, 3, 0);
    canvas_box(a, canvas_rect(a), "Weights hist", ROLE_BORDER, ROLE_TITLE);
    /* Too wide: cut with an ellipsis ('.' in ASCII), never mid-border. */
    support_expect_dump(a, "+ Weigh. +\n"
                           "|        |\n"
                           "+--------+\n");
    canvas_free(a);
}

Test(canvas, titles_are_shortened_by_dropping_parts)
{
    char out[128];
    const char *t = "Receptive fields · HL1 1–12 of 100 · half size";
    canvas_shorten_title(t, 60, out, sizeof out);
    cr_assert_str_eq(out, t, "fits: unchanged");
    canvas_shorten_title(t, 40, out, sizeof out);
    cr_assert_str_eq(out, "Receptive fields · HL1 1–12 of 100", "the last part goes first");
    canvas_shorten_title(t, 20, out, sizeof out);
    cr_assert_str_eq(out, "Receptive fields", "then the next");
    canvas_shorten_title(t, 10, out, sizeof out);
    cr_assert_str_eq(out, "Receptive…", "a first part too wide is cut with an ellipsis");
    Canvas *u = support_canvas(30, 3, 1);
    canvas_box(u, canvas_rect(u), "Modularity Q · best of 5 · middle", ROLE_BORDER, ROLE_TITLE);
    support_expect_dump(u, "┌ Modularity Q · best of 5 ──┐\n"
                           "│                            │\n"
                           "└────────────────────────────┘\n");
    canvas_free(u);
}

Test(canvas, printf_align_fill_roles)
{
    Canvas *c = support_canvas(10, 3, 1);
    canvas_printf(c, canvas_rect(c), 0, 0, ROLE_VALUE, "%d%%", 42);
    canvas_text_align(c, rect_make(0, 1, 10, 1), 1, "right", ROLE_LABEL);
    canvas_text_align(c, rect_make(0, 2, 10, 1), 0, "mid", ROLE_LABEL);
    support_expect_dump(c, "42%\n     right\n   mid\n");
    canvas_fill(c, rect_make(8, 0, 5, 1), '#', ROLE_BAD);
    cr_assert_eq(canvas_cell(c, 9, 0)->ch, '#');
    canvas_set_role(c, rect_make(0, 1, 10, 1), ROLE_SELECTION);
    cr_assert_eq(canvas_cell(c, 5, 1)->ch, 'r');
    cr_assert_eq(canvas_cell(c, 5, 1)->role, ROLE_SELECTION);
    cr_assert_eq(canvas_cell(c, 0, 1)->role, ROLE_SELECTION);
    canvas_free(c);
}

Test(canvas, resize_blanks)
{
    Canvas *c = support_canvas(3, 1, 1);
    canvas_text(c, canvas_rect(c), 0, 0, "abc", ROLE_DEFAULT);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(canvas_resize(c, 4, 2, msg), ST_OK);
    support_expect_dump(c, "\n\n");
    cr_assert_eq(canvas_resize(c, 99999, 2, msg), ST_EINVAL);
    cr_assert_eq(c->w, 4, "unchanged on failure");
    canvas_free(c);
}

Test(canvas, format_number_is_safe)
{
    char b[32];
    canvas_format_number(b, sizeof b, "%.3g", 0.98765, NULL);
    cr_assert_str_eq(b, "0.988");
    canvas_format_number(b, sizeof b, "%+.2f%%", 12.345, NULL);
    cr_assert_str_eq(b, "+12.35%");
    canvas_format_number(b, sizeof b, "acc %6.1f", 3.14159, NULL);
    cr_assert_str_eq(b, "acc    3.1");
    canvas_format_number(b, sizeof b, "%-5.0f|", 7, NULL);
    cr_assert_str_eq(b, "7    |");
    canvas_format_number(b, sizeof b, "%.2f", -0.0, NULL);
    cr_assert_str_eq(b, "0.00");
    /* Formats that printf would misread fall back instead of crashing. */
    canvas_format_number(b, sizeof b, "%s%n", 1.5, "%.1f");
    cr_assert_str_eq(b, "1.5");
    canvas_format_number(b, sizeof b, "%f %f", 2.0, "%.0f");
    cr_assert_str_eq(b, "2");
    canvas_format_number(b, sizeof b, "no conversion", 2.0, "bad %d");
    cr_assert_str_eq(b, "2");
    canvas_format_number(b, 4, "%.6f", 3.0, NULL);
    cr_assert_str_eq(b, "3.0", "cut to the buffer");
}

Test(canvas, wrap_at_spaces)
{
    const char *m = "epoch 5 cannot be replayed: a section is corrupted";
    cr_assert_eq(canvas_wrap_len(m, 100), strlen(m), "fits whole");
    cr_assert_eq(canvas_wrap_len(m, 12), 7, "\"epoch 5\" then the break");
    cr_assert_eq(canvas_wrap_len("abcdefgh ij", 4), 4, "a word too long is cut");
    cr_assert_eq(canvas_wrap_len("α β γ", 3), strlen("α β"), "cells, not bytes");
    Canvas *c = support_canvas(12, 4, 1);
    int rows = canvas_text_wrapped(c, canvas_rect(c), 0, 0, 12, 4, m, ROLE_DEFAULT);
    cr_assert_eq(rows, 5, "5 rows at 12 cells");
    support_expect_dump(c, "epoch 5\ncannot be\nreplayed: a\nsection is\n");
    canvas_free(c);
}
