/* app.h - what the handlers share for the server's lifetime: settings from
 * the environment (README "Configuration"). cmd_serve makes one before the
 * server starts and releases it after the server stops; handlers reach it
 * through req_app() (server_config.app). Nothing in it changes while
 * requests run. */
#ifndef JB_APP_H
#define JB_APP_H

struct app {
	int logins_per_addr;  /* JIEBANG_LOGINS_PER_ADDR: successful log-ins per address per 10 minutes */
};

/* Fill app from the environment. 0, or -1 after logging which variable is
 * malformed. */
int app_init(struct app *app) __attribute__((warn_unused_result));
/* Release what app_init() made. */
void app_release(struct app *app);

#endif
