/* guard.h - connection-level defences against slow and greedy clients.
 *
 * libmicrohttpd's own timeout is an idle timeout that restarts on every
 * byte, so a client trickling a header line every few seconds keeps its
 * connection forever. The guard keeps one record per connection (from
 * MHD_OPTION_NOTIFY_CONNECTION) and a sweeper thread that closes the
 * connections whose deadline has passed:
 *
 *   - the request head must be complete within head_ms of the accept, or
 *     of the end of the previous response on a kept-alive connection;
 *   - the whole request, body included, within request_ms of that moment;
 *   - no deadline while the server works on the request or sends the
 *     answer (libmicrohttpd's idle timeout still applies to sending).
 *
 * It also refuses (closes at once) a new connection from an address that
 * already holds per_addr connections, and, once three quarters of
 * max_conns are in use, from any address that holds per_addr/8 (at least
 * one): the last quarter stays free for addresses that hold few, so a
 * handful of addresses cannot take every slot.
 *
 * Closing: the sweeper calls shutdown() on the connection's socket (as
 * MHD_stop_daemon() does); libmicrohttpd then reads end-of-file and closes
 * the connection itself. The record is removed, under the guard's lock,
 * in the NOTIFY_CLOSED callback that libmicrohttpd 0.9.75 makes before it
 * closes the descriptor, so the sweeper never touches a reused one. What
 * was closed or refused is logged once per sweep, one line per reason. */
#ifndef JB_GUARD_H
#define JB_GUARD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>

struct guard;

struct guard_limits {
	unsigned max_conns;   /* connections in all */
	unsigned per_addr;    /* per client address; 0: none (behind a proxy) */
	unsigned head_ms;     /* request head deadline */
	unsigned request_ms;  /* whole request deadline */
};

/* Where a connection is in its request (set by its own thread). */
enum guard_phase {
	GUARD_HEAD,  /* waiting for a request head: head deadline, from now */
	GUARD_BODY,  /* head read, body coming: request deadline */
	GUARD_BUSY,  /* request read: the server's turn, no deadline */
};

/* A guard with these limits and its sweeper thread running; NULL (with the
 * reason logged) when the thread cannot start. guard_free() stops it. */
struct guard *guard_new(const struct guard_limits *l);
/* Stop the sweeper and free every record. Call after MHD_stop_daemon(). */
void guard_free(struct guard *g);

/* The MHD_OPTION_NOTIFY_CONNECTION callback; cls is the guard. */
void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		  enum MHD_ConnectionNotificationCode code);
/* Move connection c to phase p; called from c's callbacks only. */
void guard_phase(struct guard *g, struct MHD_Connection *c, enum guard_phase p);

#endif
