/* api.h - JSON answers for the /api/v1 endpoints (jansson). */
#ifndef JB_API_H
#define JB_API_H

#include <jansson.h>

#include "http/req.h"

/* Send v (stolen) as the JSON body with this status. */
void reply_json(struct req *r, int status, json_t *v);

#endif
