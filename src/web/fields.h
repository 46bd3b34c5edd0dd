/* fields.h - form fields with their error slots, and binding a request.
 *
 * A form shown again after a refused submission keeps what the user typed
 * (the request's own values) and shows each message beside its field
 * (c->errs, matched by field name), with a summary on top that screen
 * readers announce. Every value is escaped. */
#ifndef JB_FIELDS_H
#define JB_FIELDS_H

#include <stdbool.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/labels.h"
#include "http/req.h"

/* Bind the request's body (a form, or the JSON object r->json) by fields
 * into out: JB_OK, or the field errors in c (domain/bind.h). *sent_json is
 * the JSON body when there is one (owned by r), for calls that need to
 * know which members were sent; may be NULL. */
int bind_request(struct req *r, struct ctx *c, const struct bind_field *fields, void *out,
		 const json_t **sent_json) __attribute__((warn_unused_result));
/* Every value of a repeated text field, up to max (owned by r): the form
 * field's repetitions, or the JSON body's member as a string or an array
 * of strings. Returns how many there are (may exceed max), or -1 when the
 * JSON member holds anything but strings. */
int field_values(struct req *r, const char *name, const char **out, int max);

/* A refused submission (c holds why, or NULL): the value to show in field
 * name is what the request sent, else fallback. */
const char *field_value(struct req *r, const struct ctx *c, const char *name, const char *fallback);

/* <div class="form-errors" role="alert"> with the number of fields to fix,
 * and the messages not about a field; nothing when c is NULL or clean. */
void form_errors(struct req *r, const struct ctx *c);
/* <form method="post" action="base+action"> with the CSRF field. */
void form_open(struct req *r, const char *action);
/* The same for a form with file inputs (a MULTIPART route). */
void form_open_upload(struct req *r, const char *action);

/* <label>label <input ...></label> and its error. type: "text", "date",
 * "number"; extra: literal attributes (" required maxlength=\"64\""). */
void field_input(struct req *r, const struct ctx *c, const char *type, const char *name, const char *label,
		 const char *value, const char *extra);
/* The same with a <textarea> (rows="4" unless extra names rows). */
void field_textarea(struct req *r, const struct ctx *c, const char *name, const char *label, const char *value,
		    const char *extra);
/* The error c holds for field name, or NULL. */
const struct field_error *field_error_of(const struct ctx *c, const char *name);
/* A select of choices' codes (with an empty first option when blank). */
void field_select(struct req *r, const struct ctx *c, const char *name, const char *label,
		  const struct label *choices, const char *value, const char *blank);
/* A checkbox sending "1". */
void field_check(struct req *r, const struct ctx *c, const char *name, const char *label, bool checked);

#endif
