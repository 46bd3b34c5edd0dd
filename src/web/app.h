/* app.h - what the handlers share for the server's lifetime: settings from
 * the configuration (domain/config.h) and the gate of refused
 * anonymous requests (domain/audit_gate.h). cmd_serve makes one before the
 * server starts and releases it after the server stops; handlers reach it
 * through req_app() (server_config.app). Only the gate and the regions
 * change while requests run (each locks itself). */
#ifndef JB_APP_H
#define JB_APP_H

struct audit_gate;
struct region_cache;

struct app {
	int logins_per_addr;      /* logins_per_addr: successful log-ins per address per 10 minutes */
	struct audit_gate *gate;  /* anonymous refusals (refusals_per_addr a minute written in full) */
	struct region_cache *regions; /* 辖区汇总 last given (domain/region.h; locks itself) */
};

/* Fill app with the settings given. */
void app_init(struct app *app, int logins_per_addr, int refusals_per_addr);
/* Release what app_init() made, after the server has stopped: the gate's
 * pending summaries are written to the store at db_url first. */
void app_release(struct app *app, const char *db_url);

#endif
