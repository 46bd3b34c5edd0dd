/* routes.h - the route table (routes.c): every page and API route with its
 * preconditions and body limits. main.c hands it to the server
 * (server_config.routes); tests read it. */
#ifndef JB_ROUTES_H
#define JB_ROUTES_H

#include <stddef.h>

#include "http/router.h"

extern const struct route routes[];
extern const size_t routes_count;

#endif
