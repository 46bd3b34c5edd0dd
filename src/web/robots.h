/* robots.h - the 推送机器人 pages and API (web/robots.c, issue 12 §4). */
#ifndef JB_WEB_ROBOTS_H
#define JB_WEB_ROBOTS_H

#include "http/req.h"

void page_robots(struct req *r);         /* GET /admin/robots */
void page_robot(struct req *r);          /* GET /admin/robots/:id */
void act_robot_create(struct req *r);    /* POST /admin/robots */
void act_robot_update(struct req *r);    /* POST /admin/robots/:id */
void act_robot_delete(struct req *r);    /* POST /admin/robots/:id/delete */
void act_robot_test(struct req *r);      /* POST /admin/robots/:id/test */
void act_outbox_resend(struct req *r);   /* POST /admin/outbox/:id/resend */
void api_robots(struct req *r);          /* GET /api/v1/robots */

#endif
