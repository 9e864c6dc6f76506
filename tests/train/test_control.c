#include <criterion/criterion.h>

#include "neurotop/train/control.h"

Test(control, step_while_paused_runs_n_epochs_then_pauses)
{
    Control c;
    control_init(&c, 1, 0.3);
    cr_assert(control_is_paused(&c));
    control_step(&c, 2);
    cr_assert_not(control_is_paused(&c));
    cr_assert_eq(control_wait_runnable(&c), 0);
    control_epoch_done(&c);
    cr_assert_not(control_is_paused(&c));
    control_epoch_done(&c);
    cr_assert(control_is_paused(&c), "paused again after 2 epochs");
    cr_assert_eq(control_toggle(&c), 1);
    cr_assert_not(control_is_paused(&c));
    control_set_lr(&c, 0.1);
    cr_assert_float_eq(control_get_lr(&c), 0.1, 0);
    control_request_save(&c, "x.nts");
    char p[32];
    cr_assert_eq(control_take_save(&c, p, sizeof p), 1);
    cr_assert_str_eq(p, "x.nts");
    cr_assert_eq(control_take_save(&c, p, sizeof p), 0);
    control_stop(&c);
    cr_assert_eq(control_wait_runnable(&c), 1);
    control_done(&c);
}
