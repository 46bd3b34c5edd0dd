/* demo_users.h - the demo's logins, one per role, all with the password
 * PW_DEMO ("jiebang-demo"): admin (县委组织部), unit (unit_admin of
 * 县委宣传部), cadre (the owner of the cable case's claim, so "own" claims
 * exist), evaluator, leader (县委副书记). Only `jiebang demo` creates them;
 * no other deployment has a known password (ASVS 2.5.4). */
#ifndef JB_DEMO_USERS_H
#define JB_DEMO_USERS_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

/* Adds the five logins to the demo tenant (the first one). Returns 0, or
 * -1 with a one-line reason in err. */
int demo_users_create(db *d, char *err, size_t errlen) __attribute__((warn_unused_result));

/* The person login i (an index of demo_logins) is linked to: the first
 * person of its unit (the cadre: the owner of the cable case's claim); 0
 * when there is none (yet). The demo acts as these people before their
 * accounts exist (demo.h). */
int64_t demo_login_person(db *d, int64_t tenant, int i);

/* The logins and their role codes, for messages and docs. */
extern const char *const demo_logins[5][2];

/* Four more evaluator logins (evaluator2..5, the same password), people
 * of units with no part in the 2022 solved claims, so that the demo's
 * panel (demo_panel_create) has five members and trims. */
#define DEMO_EVALUATORS 4
extern const char *const demo_evaluators[DEMO_EVALUATORS][2];   /* login, unit */

#endif
