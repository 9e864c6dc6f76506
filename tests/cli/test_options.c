#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "neurotop/cli/options.h"

/* argv strings must be writable char *; copy the literals. */
static Status parse(RunOptions *o, int argc, const char *const *args, char *msg)
{
    char *argv[32];
    for (int i = 0; i < argc; i++)
        argv[i] = strdup(args[i]);
    options_defaults(o, 20);
    Status st = options_parse(argc, argv, 0, o, 1, msg);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    o->data = o->log = o->runs = o->theme = NULL; /* they pointed into argv */
    return st;
}

Test(options, defaults_are_the_papers_demonstration_setting)
{
    RunOptions o;
    options_defaults(&o, 0);
    cr_assert_float_eq(o.lr, 0.3, 0);
    cr_assert_eq(o.batch, 1);
    cr_assert_eq(o.n_hidden, 2);
    cr_assert_eq(o.hidden[0], 100);
    cr_assert_str_eq(o.data, "mnist10k");
}

Test(options, parses_every_value)
{
    const char *argv[] = {"--hidden", "64,32,16", "--lr", "0.05", "--batch", "32", "--seed", "7",
                    "--init", "tiny", "--epoch-size", "500", "--epochs", "3", "--paused",
                    "--headless", "--data", "fashion"};
    RunOptions o;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(parse(&o, 18, argv, msg), ST_OK, "%s", msg);
    cr_assert_eq(o.n_hidden, 3);
    cr_assert_eq(o.hidden[2], 16);
    cr_assert_float_eq(o.lr, 0.05, 1e-15);
    cr_assert_eq(o.batch, 32);
    cr_assert_eq(o.seed, 7);
    cr_assert_eq(o.init, MODEL_INIT_TINY);
    cr_assert_eq(o.epoch_size, 500);
    cr_assert_eq(o.epochs, 3);
    cr_assert(o.paused && o.headless);
    ModelConfig c;
    options_model_config(&o, 784, 10, &c);
    cr_assert_eq(c.n_layers, 5);
    cr_assert_eq(c.sizes[0], 784);
    cr_assert_eq(c.sizes[4], 10);
}

Test(options, rejects_absurd_values_with_one_sentence)
{
    struct {
        const char *a, *b;
        const char *needle;
    } bad[] = {
        {"--lr", "-1", "--lr"},        {"--lr", "nan", "--lr"},
        {"--lr", "1e9", "--lr"},       {"--batch", "0", "--batch"},
        {"--hidden", "10,,3", "--hidden"}, {"--hidden", "0", "--hidden"},
        {"--init", "ones", "--init"},  {"--epochs", "-3", "--epochs"},
        {"--seed", "x", "--seed"},     {"--frob", "1", "unknown option"},
        {"--model", "transformer", "unknown model"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *argv[] = {bad[i].a, bad[i].b};
        RunOptions o;
        char msg[STATUS_MSG_LEN] = "";
        cr_assert_eq(parse(&o, 2, argv, msg), ST_EINVAL, "%s %s accepted", bad[i].a, bad[i].b);
        cr_assert(strstr(msg, bad[i].needle) != NULL, "message '%s'", msg);
        cr_assert(strchr(msg, '\n') == NULL);
    }
    const char *missing[] = {"--lr"};
    RunOptions o;
    char msg[STATUS_MSG_LEN];
    cr_assert_eq(parse(&o, 1, missing, msg), ST_EINVAL);
    cr_assert(strstr(msg, "needs a value") != NULL);
}
