/* The accuracy pane for supervised runs and for runs of an unsupervised
 * kind (test_acc null, test_recon instead). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "neurotop/core/strbuf.h"
#include "neurotop/tui/pane.h"

extern const PaneOps pane_accuracy_ops;

/* The pane drawn on a 60×12 ASCII canvas from three epochs of metrics. */
static void draw(const char *key, const double *v, StrBuf *out)
{
    SeriesTable t;
    series_init(&t);
    ModelConfig c = {.kind = "mlp", .n_layers = 2, .sizes = {2, 2}};
    for (size_t e = 0; e < 3; e++) {
        Snapshot *s = snapshot_new(&c, NULL, 4, 0);
        s->epoch = e;
        snapshot_set_metric(s, "test_acc", strcmp(key, "test_acc") == 0 ? v[e] : NAN);
        snapshot_set_metric(s, "train_loss", e ? 0.5 / (double)e : NAN);
        if (strcmp(key, "test_recon") == 0)
            snapshot_set_metric(s, "test_recon", v[e]);
        cr_assert_eq(series_append(&t, s), ST_OK);
        snapshot_release(s);
    }
    Canvas *cv = NULL;
    char msg[STATUS_MSG_LEN], title[PANE_TITLE_LEN] = "";
    cr_assert_eq(canvas_new(60, 12, 0, &cv, msg), ST_OK, "%s", msg);
    PaneView view = {.snap = NULL, .series = &t, .cursor_x = NAN};
    pane_accuracy_ops.draw(NULL, &view, cv, canvas_rect(cv), title, sizeof title);
    canvas_dump(cv, out);
    canvas_free(cv);
    series_done(&t);
}

Test(pane_accuracy, shows_accuracy_of_a_supervised_run)
{
    const double acc[3] = {0.1, 0.5, 0.9};
    StrBuf b;
    strbuf_init(&b);
    draw("test_acc", acc, &b);
    cr_assert(strstr(strbuf_cstr(&b), "acc 90.00%") != NULL, "%s", strbuf_cstr(&b));
    cr_assert(strstr(strbuf_cstr(&b), "loss 0.2500") != NULL, "%s", strbuf_cstr(&b));
    strbuf_done(&b);
}

Test(pane_accuracy, shows_reconstruction_error_without_accuracy)
{
    const double recon[3] = {0.8, 0.2, 0.05};
    StrBuf b;
    strbuf_init(&b);
    draw("test_recon", recon, &b);
    const char *text = strbuf_cstr(&b);
    cr_assert(strstr(text, "recon 0.0500") != NULL, "%s", text);
    cr_assert(strstr(text, "acc") == NULL, "no accuracy is claimed: %s", text);
    cr_assert(strstr(text, "nan") == NULL, "%s", text);
    cr_assert(strstr(text, "waiting") == NULL, "%s", text);
    strbuf_done(&b);
}

Test(pane_accuracy, shows_the_rates_and_constants_of_a_familiarity_run)
{
    SeriesTable t;
    series_init(&t);
    ModelConfig c = {.kind = "hebbff", .n_layers = 3, .sizes = {4, 3, 2}};
    for (size_t e = 0; e < 3; e++) {
        Snapshot *s = snapshot_new(&c, NULL, 4, 0);
        s->epoch = e;
        snapshot_set_metric(s, "test_acc", 0.5 + 0.2 * (double)e);
        snapshot_set_metric(s, "train_loss", 0.7 - 0.1 * (double)e);
        snapshot_set_metric(s, "tpr", 0.3 + 0.3 * (double)e);
        snapshot_set_metric(s, "fpr", 0.2 - 0.05 * (double)e);
        snapshot_set_metric(s, "lambda", 0.9);
        snapshot_set_metric(s, "eta", -0.25);
        cr_assert_eq(series_append(&t, s), ST_OK);
        snapshot_release(s);
    }
    Canvas *cv = NULL;
    char msg[STATUS_MSG_LEN], title[PANE_TITLE_LEN] = "";
    cr_assert_eq(canvas_new(78, 20, 1, &cv, msg), ST_OK, "%s", msg);
    PaneView view = {.snap = NULL, .series = &t, .cursor_x = NAN};
    pane_accuracy_ops.draw(NULL, &view, cv, canvas_rect(cv), title, sizeof title);
    StrBuf b;
    strbuf_init(&b);
    canvas_dump(cv, &b);
    const char *text = strbuf_cstr(&b);
    cr_assert(strstr(text, "TPR 0.900  FPR 0.100  λ +0.900  η -0.250") != NULL, "%s", text);
    cr_assert(strstr(text, "━ acc  ━ TPR  ━ FPR") != NULL, "TPR and FPR are curves beside accuracy: %s", text);
    strbuf_done(&b);
    canvas_free(cv);
    series_done(&t);
}
