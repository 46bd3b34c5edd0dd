/* web.h - what the handlers share: the page frame, error pages and
 * formatting of dates, money and figures (layout.c); the request layer
 * (request.c, preconditions.c): who acts, a verb's outcome, the one answer
 * in two presentations (a page or JSON), the tenant and the parameters;
 * and every route handler. The JSON-only handlers in src/api build on this
 * header; nothing here includes src/api (tests/lint.sh). Untrusted text
 * reaches HTML only through buf_html() and the helpers here, which escape. */
#ifndef JB_WEB_H
#define JB_WEB_H

#include <jansson.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/audit.h"
#include "domain/bind.h"
#include "domain/perm.h"
#include "domain/problem.h"
#include "http/req.h"

struct route;

enum nav { NAV_NONE, NAV_BOARD, NAV_STATS, NAV_ACCOUNT, NAV_BATCHES, NAV_USERS, NAV_AUDIT, NAV_LOGIN, NAV_FEEDBACK,
	   NAV_PROPOSE, NAV_SCREENING, NAV_NOTIFICATIONS, NAV_WORK, NAV_PROMOTIONS, NAV_EVALUATIONS,
	   NAV_RECORD, NAV_NOTICES, NAV_PRACTICES, NAV_BULLETINS, NAV_EXPORTS, NAV_IMPORT, NAV_SETTINGS,
	   NAV_ROBOTS, NAV_REGION, NAV_TENANTS };

/* Open the page: doctype, head, header with navigation, <main>. */
void page_begin(struct req *r, const char *title, enum nav active);
/* Close <main>, footer, document; send with status 200. */
void page_end(struct req *r);
void page_finish(struct req *r, int status);

/* The error answer for every failure (server_config.render_error). */
void web_render_error(struct req *r, int status, const char *code, const char *message,
		      const char *field);
/* Log a store failure with the request id and answer 500, or 503 with a
 * Retry-After when the store is unreachable (5 s) or cannot write now:
 * disk full or read-only (60 s, a message saying so). */
void web_store_error(struct req *r);

/* 2022-08-15 in the tenant's time zone (Asia/Shanghai, UTC+8). */
void fmt_date(buf *b, int64_t epoch);
/* 2022年8月15日, the same day as fmt_date() writes. */
void fmt_date_zh(buf *b, int64_t epoch);
/* A metric value: money in fen as "¥5,000,000" / "1.64亿元"; counts grouped. */
void fmt_metric(buf *b, const char *kind, const char *uom, int64_t v);
/* Text as paragraphs, one per line (blank lines dropped), escaped. */
void html_paragraphs(buf *b, const char *text);
/* class="state state-claimed" badge with the Chinese label. */
void html_state_badge(buf *b, const char *state);
/* One <li> of a milestone list: title, due date, and done (its date),
 * overdue, or open (open_word: 进行中, 未完成). All escaped. */
void html_milestone(buf *b, const char *title, int64_t due, int64_t done, bool overdue, const char *open_word);
/* The Chinese names of the role bits, separated by "、"; none when there
 * are none. All escaped. */
void html_roles(buf *b, unsigned roles, const char *none);
/* A local link target: the tenant prefix (r->base) and path, escaped. */
void html_path(buf *b, struct req *r, const char *path);
/* <a href="local path">text</a>, both escaped. */
void a_href(struct req *r, const char *path, const char *text);
/* <input type="hidden" name="csrf" ...> for a form of a cookie session. */
void html_csrf(struct req *r);
/* The request's form fields again as hidden inputs, for a page that asks
 * one more thing before doing it (a confirmation, the password): all but
 * csrf (html_csrf writes the page's own), reauth_password (proved already,
 * never echoed) and skip (NULL: none). */
void html_form_carry(struct req *r, const char *skip);
/* 2022-08-15 08:30 in the tenant's time zone. */
void fmt_datetime(buf *b, int64_t epoch);

/* The route table's preconditions (server_config.preconditions): tenant,
 * Origin, authentication, NEED_LOGIN, forced password change, NEED_CSRF
 * (the token from the X-CSRF-Token header, the form field or the JSON
 * body's member "csrf"). */
int web_preconditions(struct req *r, const struct route *rt);
/* The request's actor for audit entries. */
struct actor req_actor(struct req *r);
/* perm_check(); on "no": audit the refusal, answer 403, return false. */
bool perm_or_respond(struct req *r, const char *action, const char *object_type, int64_t object_id,
		     const struct perm_target *t);
/* A context for a verb run by the request's principal (domain/action.h). */
void web_ctx(struct req *r, struct ctx *c);
/* Answer a verb that did not succeed (rc != JB_OK): 400 invalid, 403
 * denied (audited once), 404, 409, 503 busy with Retry-After, 500 store. */
void outcome_error(struct req *r, struct ctx *c, int rc);
/* Audit a refused action (reason: "permission", "csrf", "origin" ...). */
void deny(struct req *r, const char *action, const char *object_type, int64_t object_id, const char *reason);
/* Audit a refused log-in of login (folded); reason "throttled", "locked" or
 * "frequent". */
void deny_login(struct req *r, const char *login, const char *reason);

/* One outcome, two presentations. A handler works out what happened once
 * and answers through present(), present_refusal() or outcome_error(),
 * which choose JSON under /api/ and a page elsewhere: handlers do not test
 * r->is_api themselves. */

/* Send v (stolen) as the JSON body with this status. */
void reply_json(struct req *r, int status, json_t *v);
/* A score in hundredths as a JSON number with its two decimals (92.5 for
 * 9250; reply_json prints 15 significant digits), null when negative (none):
 * every score the API answers goes through here. */
json_t *json_points(int64_t hundredths);
/* A day as "2022-08-15" (fmt_date), a moment as its epoch seconds; null
 * for 0 (none). */
json_t *json_date(int64_t epoch);
json_t *json_at(int64_t epoch);
/* A page for outcome: answers r in full, with status. */
typedef void (*page_fn)(struct req *r, const void *outcome, int status);
/* The JSON body of outcome (a new reference), or NULL when a store read
 * for it failed (present() then answers as web_store_error()). */
typedef json_t *(*json_fn)(struct req *r, const void *outcome);
/* {"ok": true}, for a change that has nothing else to say. */
json_t *json_ok(struct req *r, const void *outcome);
struct presentation {
	json_fn json;           /* the API's answer */
	const char *redirect;   /* the page's: a 303 to this local path, or ... */
	page_fn page;           /* ... when redirect is NULL, this page */
};
/* Answer outcome: p->json's value with status under /api/; otherwise the
 * redirect (status is then 303) or p->page with status. */
void present(struct req *r, int status, const struct presentation *p, const void *outcome);
/* A refusal shown in the page's own form again: under /api/ the JSON
 * error (reply_error()); otherwise what was written so far is dropped and
 * page(r, outcome, status) answers, outcome carrying the message. */
void present_refusal(struct req *r, int status, const char *code, const char *message, const char *field,
		     page_fn page, const void *outcome);
/* A verb that did not succeed (rc != JB_OK), for a page with a form: its
 * refused submission (invalid: 400, conflict: 409) shown again by
 * form(r, outcome, status), which reads the errors from c; any other
 * result, and every one under /api/, as outcome_error(). */
void present_outcome_error(struct req *r, struct ctx *c, int rc, page_fn form, const void *outcome);

/* Route handlers (web/routes.c). api_* answer only JSON (api_me and
 * api_tokens are in auth.c, the others in src/api); the rest serve a page,
 * or a page and its API route alike. */
void page_board(struct req *r);
void page_problem(struct req *r);
void page_stats(struct req *r);
void api_problems(struct req *r);
void api_problem(struct req *r);
void api_stats(struct req *r);
void api_persons(struct req *r);
void api_people(struct req *r);
void api_healthz(struct req *r);
void api_readyz(struct req *r);
void api_metrics(struct req *r);

/* The bind tables of the account routes (auth.c, admin.c), for the API's
 * description (api/openapi.h). */
extern const struct bind_field login_fields[], password_fields[], token_fields[], totp_login_fields[], reauth_fields[],
	totp_code_fields[];
extern const struct bind_field new_user_fields[], link_fields[];
/* api/intake.c: proposing, screening, publishing, my proposals, notifications. */
void api_proposal_create(struct req *r);
void api_public_proposal_create(struct req *r);
void api_proposal(struct req *r);
void api_proposal_revise(struct req *r);
void api_screen_update(struct req *r);
void api_transition(struct req *r);
void api_transitions(struct req *r);
void api_screen_list(struct req *r);
void api_similar(struct req *r);
void api_my_proposals(struct req *r);
void api_notifications(struct req *r);
void api_notification_read(struct req *r);
void api_notifications_read(struct req *r);
void api_publications(struct req *r);
void api_carry(struct req *r);
/* api/claims.c */
void api_claim(struct req *r);
void api_problem_claims(struct req *r);
void api_claim_apply(struct req *r);
void api_claim_act(struct req *r);
void api_claim_progress(struct req *r);
void api_claim_solve(struct req *r);
/* web/files.c: evidence files (domain/evidence.h). page_file serves
 * /files/:sha256 and /api/v1/files/:sha256. web_evidence_files() gives the
 * request's uploads in form field "file" as the domain takes them (on
 * r->a; the temporary files go when the request ends); *n of them. */
struct evidence_file;
void page_file(struct req *r);
/* Content-Disposition: attachment for a download named name (UTF-8):
 * an ASCII fallback and filename*=UTF-8'' (RFC 6266, RFC 8187); on r->a. */
const char *web_disposition(struct req *r, const char *name);
struct evidence_file *web_evidence_files(struct req *r, int *n);
/* web/auth.c: logging in and out, the account, passwords, API tokens. */
void page_login(struct req *r);
void act_login(struct req *r);
void act_logout(struct req *r);
void page_account(struct req *r);
void page_password(struct req *r);
void act_password(struct req *r);
void act_token_create(struct req *r);
void act_token_revoke(struct req *r);
void api_me(struct req *r);
void api_tokens(struct req *r);
/* The second step of a log-in with TOTP (GET and POST /login/totp, POST
 * /api/v1/session/totp). */
void page_login_totp(struct req *r);
void act_login_totp(struct req *r);
/* Sudo mode (issue 13 §5, ASVS 3.7.1): before a sensitive change, after
 * its permission check. True when the session proved its password within
 * REAUTH_FRESH seconds (a log-in counts) or the request is not a cookie
 * session's; a page request carrying reauth_password has it checked
 * here. Otherwise answered: the page asking for the password (which sends
 * the request again), or under /api/ 403 reauth_required. */
bool reauth_or_ask(struct req *r);
/* POST /account/reauth (then to "next"), POST /api/v1/me/reauth. */
void act_reauth(struct req *r);
/* web/totp.c: two-factor log-in on the account page (issue 13 §5). */
void totp_section(struct req *r);
void page_totp(struct req *r);
void act_totp_enrol(struct req *r);
void act_totp_confirm(struct req *r);
void act_totp_disable(struct req *r);
void act_totp_codes(struct req *r);
/* web/sessions.c: my sessions (the account page's section, the API). */
void sessions_section(struct req *r);
void api_sessions(struct req *r);
void act_session_end(struct req *r);
/* web/admin.c: users and the audit log (pages and their API). */
void page_batches(struct req *r);
void page_batch(struct req *r);
/* web/rubric.c: a batch's rubric (GET page and JSON; POST form, PUT JSON). */
void page_rubric(struct req *r);
void act_rubric_save(struct req *r);
/* web/claim_risk.c, api/evaluation_setup.c: the mid-term risk mark. */
void page_claim_risk(struct req *r);
void act_claim_risk(struct req *r);
/* web/certificate.c: the printable acceptance certificate. */
void page_claim_certificate(struct req *r);
void act_batch_create(struct req *r);
void act_batch_update(struct req *r);
void page_users(struct req *r);
void page_user(struct req *r);
void act_user_create(struct req *r);
void act_user_disable(struct req *r);
void act_user_enable(struct req *r);
void act_user_roles(struct req *r);
void act_user_link(struct req *r);
void act_user_reset(struct req *r);
void page_audit(struct req *r);
/* web/intake.c: proposing (出卷, the residents' form), one proposal with
 * its screening actions, the screeners' queue and 发榜, 我的出卷 and the
 * notifications. */
void page_propose(struct req *r);
void act_propose(struct req *r);
void page_public_propose(struct req *r);
void act_public_propose(struct req *r);
void page_proposal(struct req *r);
void act_proposal_transition(struct req *r);
void act_proposal_screening(struct req *r);
void act_proposal_revise(struct req *r);
void page_screening(struct req *r);
void act_screening_bulk(struct req *r);
void page_my_proposals(struct req *r);
void page_notifications(struct req *r);
void act_notifications_read(struct req *r);
void act_notification_read(struct req *r);
/* web/claim.c, claim_form.c, claim_print.c: applying (揭榜), one claim
 * and its actions, progress and solve, the comparison of competing
 * applications, the printable pledge. */
void page_claim_form(struct req *r);
void act_claim_apply(struct req *r);
void page_problem_claims(struct req *r);
void page_claim(struct req *r);
void act_claim_act(struct req *r);
void page_claim_progress(struct req *r);
void act_claim_progress(struct req *r);
void page_claim_solve(struct req *r);
void act_claim_solve(struct req *r);
void page_claim_pledge(struct req *r);
/* web/complaint.c: the complaint and suggestion channel (pages and their API). */
void page_feedback(struct req *r);
void act_feedback_submit(struct req *r);
void page_feedback_lookup(struct req *r);
void page_my_feedback(struct req *r);
void page_feedback_queue(struct req *r);
void page_feedback_item(struct req *r);
void act_feedback_answer(struct req *r);

/* The statistics of the batch the query string names (batch=, empty: all
 * batches) as of as_of= (YYYY-MM-DD, empty: the batch's own moment), read
 * now, for the page, the API and the big screen, with the unit table for
 * stats.units readers; answers 400 (not an id, or a bad as_of when form
 * is NULL), 404 (no such batch) or 500 itself and returns -1. With form,
 * a bad as_of is recorded there (ctx_invalid) and the figures are the
 * batch's own. */
struct stats;
int stats_or_respond(struct req *r, struct stats *s, struct ctx *form);
/* The dashboard's area (web/stats.c, web/bigscreen.c): GET /bigscreen,
 * the big screen; GET/POST /admin/settings, the tenant's settings (the big
 * screen's switch). */
void page_bigscreen(struct req *r);
void page_settings(struct req *r);
void act_settings(struct req *r);
/* web/pii.c: a person's data (domain/pii.h). */
void page_personal_data(struct req *r);
void act_personal_data_search(struct req *r);
void act_personal_data_export(struct req *r);
void act_personal_data_erase(struct req *r);
/* Read the board filter from the query string; on bad input answer 400 and
 * return -1. Shared by the page and the API so both accept the same. */
int board_filter_or_respond(struct req *r, struct problem_filter *f);
/* The public problem named by the route's :id, for the page and the API;
 * answers 400, 404 or 500 itself and returns -1 when there is none. */
int problem_or_respond(struct req *r, struct problem_detail *p);
/* Parse a positive id route parameter; on bad input answer 400, -1. */
int id_param_or_respond(struct req *r, int idx, int64_t *id);
/* Whether the tenant has row id of table (one tenant_row_exists() knows,
 * domain/tenant.h); when not, answer 404 with message (500 on a store
 * error) and return false. For lists under an object: none of a missing
 * object is a 404, not an empty list. */
bool row_or_respond(struct req *r, const char *table, int64_t id, const char *message);
/* Resolve the request's tenant into r (done by the preconditions for every
 * route but NO_TENANT ones); on failure answer and return -1. */
int tenant_or_respond(struct req *r);

#endif
