/* egress.h - which outgoing addresses robots and webhooks may reach.
 *
 * http and https only; loopback, private, link-local, CGNAT, multicast
 * and reserved addresses are refused unless the deployment allows them
 * (the webhook_allow_private setting; the tests use it). Checked when a URL
 * is saved (egress_url_check) and again on every connection the worker
 * makes (egress_addr_allowed, from libcurl's open-socket callback), so a
 * name that later resolves to an internal address is refused too. */
#ifndef JB_EGRESS_H
#define JB_EGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Whether loopback and private addresses are allowed (the setting
 * webhook_allow_private, domain/config.h; default no). Safe from any thread. */
void egress_set_allow_private(bool allow);
bool egress_allow_private(void);
/* Whether a connection to sa may be made. */
bool egress_addr_allowed(const struct sockaddr *sa);
/* Check url: NULL when it may be used, else a zh-CN reason. The host is
 * resolved (getaddrinfo) and every address must be allowed. */
const char *egress_url_check(const char *url);

#endif
