/* app.h - what the handlers share for the server's lifetime: settings from
 * the environment (README "Configuration") and the gate of refused
 * anonymous requests (domain/audit_gate.h). cmd_serve makes one before the
 * server starts and releases it after the server stops; handlers reach it
 * through req_app() (server_config.app). Only the gate changes while
 * requests run (it locks itself). */
#ifndef JB_APP_H
#define JB_APP_H

struct audit_gate;

struct app {
	int logins_per_addr;      /* JIEBANG_LOGINS_PER_ADDR: successful log-ins per address per 10 minutes */
	struct audit_gate *gate;  /* anonymous refusals (JIEBANG_REFUSALS_PER_ADDR a minute written in full) */
};

/* Fill app from the environment. 0, or -1 after logging which variable is
 * malformed. */
int app_init(struct app *app) __attribute__((warn_unused_result));
/* Release what app_init() made, after the server has stopped: the gate's
 * pending summaries are written to the store at db_url first. */
void app_release(struct app *app, const char *db_url);

#endif
