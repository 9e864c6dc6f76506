/* The :degrees text fits the 40 cells the result overlay always leaves it
 * beside its maps, so the r column is never hidden. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/core/rng.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/measure/mod_degrees.h"

/* Cells of a UTF-8 line (code points). */
static int canvas_like_width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

Test(mod_degrees_view, every_line_fits_40_cells_and_shows_r)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 4, .sizes = {16, 5, 4, 3}, .in_rows = 4, .in_cols = 4};
    size_t n = model_param_count(&c);
    Snapshot *s = snapshot_new(&c, NULL, n, 0);
    Rng r;
    rng_seed(&r, 7, 0);
    for (size_t i = 0; i < n; i++)
        s->params[i] = (float)(2.0 * rng_uniform(&r) - 1.0);
    s->epoch = 12;
    AnalysisArgs a;
    analysis_args_init("degrees", &a);
    a.theta = 0.5;
    JobResult *out = calloc(1, sizeof *out);
    cr_assert_not_null(out);
    strbuf_init(&out->text);
    strbuf_init(&out->json);
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(job_degrees(NULL, s, &a, out, msg), ST_OK, "%s", msg);
    const char *t = strbuf_cstr(&out->text);
    cr_assert(strstr(t, "r(str,deg)") != NULL, "%s", t);
    cr_assert(strstr(t, "input ") != NULL && strstr(t, "output ") != NULL, "%s", t);
    int lines = 0;
    for (const char *p = t; *p;) {
        size_t len = strcspn(p, "\n");
        char line[256];
        snprintf(line, sizeof line, "%.*s", (int)len, p);
        cr_assert_leq(canvas_like_width(line), 40, "line too wide for the overlay: '%s'", line);
        lines++;
        p += len + (p[len] == '\n');
    }
    cr_assert_geq(lines, 12);
    cr_assert_eq(out->n_maps, 2, "degree and strength over the 4x4 input");
    job_result_free(out);
    snapshot_release(s);
}
