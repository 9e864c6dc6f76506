/* The pane registry: the order here is the order on screen. */
#include "neurotop/tui/pane.h"

extern const PaneOps pane_accuracy_ops;
extern const PaneOps pane_modularity_ops;
extern const PaneOps pane_weights_ops;
extern const PaneOps pane_fields_ops;

const PaneOps *const pane_registry[] = {
    &pane_accuracy_ops,
    &pane_modularity_ops,
    &pane_weights_ops,
    &pane_fields_ops,
};

const size_t pane_registry_count = sizeof pane_registry / sizeof pane_registry[0];
