#ifndef NEUROTOP_CLI_SIGNALS_H
#define NEUROTOP_CLI_SIGNALS_H

/* SIGINT, SIGTERM and SIGHUP only set a flag (async-signal-safe); the main
 * loop sees it and ends the run cleanly. SIGPIPE is ignored. */

void signals_install(void);
/* Non-zero once a terminating signal arrived. */
int signals_pending(void);

#endif
