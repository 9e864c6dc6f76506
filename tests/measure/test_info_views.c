/* Views of the information analyses: what the result overlay gets. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/measure/analyses.h"
#include "neurotop/measure/info_distances.h"
#include "neurotop/measure/info_ih.h"
#include "neurotop/measure/info_mi.h"

static JobResult *new_result(void)
{
    JobResult *out = calloc(1, sizeof *out);
    cr_assert_not_null(out);
    strbuf_init(&out->text);
    strbuf_init(&out->json);
    return out;
}

Test(info_views, distances_leave_the_untrained_epoch_off_the_plot)
{
    ModelConfig c = {.kind = "mlp", .n_layers = 3, .sizes = {4, 3, 2}};
    Snapshot *s = snapshot_new(&c, NULL, model_param_count(&c), 0);
    s->epoch = 20;
    DistancesResult r;
    memset(&r, 0, sizeof r);
    r.k = 3;
    r.n_epochs = 3;
    const double e[3] = {0, 10, 20}, w[3] = {2147, 6.5, 6.1}, b[3] = {2100, 12, 13};
    memcpy(r.epochs, e, sizeof e);
    memcpy(r.within, w, sizeof w);
    memcpy(r.between, b, sizeof b);
    JobResult *out = new_result();
    cr_assert_eq(distances_view(&r, s, out), ST_OK);
    cr_assert_eq(out->n_plots, 1);
    const JobPlot *p = &out->plots[0];
    cr_assert_eq(p->n, 2, "epochs 10 and 20 only");
    cr_assert_eq(p->x[0], 10.0);
    cr_assert_eq(p->y[0], 6.5, "within at epoch 10");
    cr_assert_eq(p->y[2], 12.0, "between at epoch 10");
    cr_assert_str_eq(p->names[0], "within");
    cr_assert_str_eq(p->names[1], "between");
    cr_assert(strstr(p->label, "from epoch 10") != NULL, "%s", p->label);
    cr_assert(strstr(strbuf_cstr(&out->text), "2147.000") != NULL, "the table keeps epoch 0: %s",
              strbuf_cstr(&out->text));
    job_result_free(out);

    /* Two epochs only: nothing to leave out. */
    r.n_epochs = 2;
    out = new_result();
    cr_assert_eq(distances_view(&r, s, out), ST_OK);
    cr_assert_eq(out->plots[0].n, 2);
    cr_assert_eq(out->plots[0].x[0], 0.0);
    job_result_free(out);
    snapshot_release(s);
}

/* A HebbFF snapshot: a model that learns a generated task, not images. */
static Snapshot *hebbff_snapshot(void)
{
    ModelConfig c = {.kind = "hebbff", .n_layers = 3, .sizes = {8, 6, 2}};
    size_t n = model_param_count(&c);
    cr_assert_gt(n, 0);
    Snapshot *s = snapshot_new(&c, NULL, n, 4);
    s->epoch = 7;
    return s;
}

Test(info_views, pixel_information_does_not_apply_to_a_generated_task)
{
    Snapshot *s = hebbff_snapshot();
    AnalysisArgs a;
    analysis_args_init("info", &a);
    JobResult *out = new_result();
    char msg[STATUS_MSG_LEN] = "";
    cr_assert_eq(mi_run(NULL, s, &a, out, msg), ST_EINVAL);
    cr_assert(strstr(msg, "is about images") != NULL && strstr(msg, "familiarity") != NULL, "%s", msg);
    job_result_free(out);
    snapshot_release(s);
}

Test(info_views, ih_says_seed_paper_000_does_not_apply_without_images)
{
    Snapshot *s = hebbff_snapshot();
    IhResult r;
    memset(&r, 0, sizeof r);
    JobResult *out = new_result();
    cr_assert_eq(ih_view(&r, s, out), ST_OK);
    const char *t = strbuf_cstr(&out->text);
    cr_assert(strstr(t, "familiarity task's labels") != NULL, "%s", t);
    cr_assert(strstr(t, "HL1 falls while HL2") == NULL, "no MNIST claim for a HebbFF run: %s", t);
    job_result_free(out);
    snapshot_release(s);
}
