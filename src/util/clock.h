/* clock.h - the time the campaign's rules see.
 *
 * clock_now() is time(NULL), moved by a whole number of seconds read from
 * the file that the environment variable JIEBANG_CLOCK_FILE names, when it
 * is set: tests move the server's calendar forward (a milestone falls due,
 * a reply is late) without sleeping. The file is read on every call; an
 * unset variable, a missing or unreadable file is no offset. Sessions,
 * throttling, the server's log and the audit log's log-ins and refusals
 * keep the real time; a verb's audit entry carries its context's moment
 * (action.h), which is this clock. */
#ifndef JB_CLOCK_H
#define JB_CLOCK_H

#include <stdint.h>

int64_t clock_now(void);

#endif
