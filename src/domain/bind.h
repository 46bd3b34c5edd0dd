/* bind.h - one binder for request bodies: a form, a JSON object or (later)
 * an import row becomes a typed struct, or every field error at once.
 *
 * A verb's input is declared as a table of fields (name, label, type,
 * limits, where in the struct); bind_input() reads each from the source, checks
 * it and stores it, and records a field error (zh-CN, naming the field by
 * its label) in the context for every field that is wrong. Nested lists
 * (milestones, task-force members) are a BF_LIST of sub-fields: in JSON an
 * array of objects, in a form fields named "list.N.field" (N from 0).
 * Values are copied onto c->a; the struct owns nothing.
 *
 *     struct milestone_in { const char *title; int64_t due; };
 *     static const struct bind_field milestone_fields[] = {
 *         BIND_TEXT(struct milestone_in, title, "节点名称", BIND_REQUIRED, 1, 100),
 *         BIND_DATE(struct milestone_in, due, "完成时限", BIND_REQUIRED),
 *         BIND_END };
 */
#ifndef JB_BIND_H
#define JB_BIND_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/labels.h"

enum bind_type {
	BF_TEXT,     /* const char *: length in characters within [min, max]; NULL when absent */
	BF_INT,      /* int64_t within [min, max]; 0 when absent */
	BF_ID,       /* int64_t >= 1; 0 when absent or "" */
	BF_BOOL,     /* bool: true/false, 1/0, on, yes/no; false when absent */
	BF_DATE,     /* int64_t: YYYY-MM-DD (2000-9999) as midnight in Asia/Shanghai (epoch s); 0 when absent */
	BF_CHOICE,   /* const char *: one of choices' codes; NULL when absent */
	BF_DECIMAL,  /* int64_t: a decimal number times 10^scale ("12.5" scale 2: 1250) */
	BF_IDS,      /* struct bind_ids: repeated ids (a JSON array or a repeated field) */
	BF_LIST,     /* struct bind_list: objects of sub fields, at most max of them */
};

enum {
	BIND_REQUIRED = 1u << 0,   /* absent or empty is an error */
	BIND_MULTILINE = 1u << 1,  /* BF_TEXT: line breaks and tabs allowed */
};

struct bind_ids {
	int64_t *v;
	int n;
};

struct bind_list {
	void *items;               /* n structs of the sub fields' size */
	int n;
};

struct bind_field {
	const char *name;          /* form field and JSON member */
	const char *label;         /* zh-CN, in messages */
	enum bind_type type;
	unsigned flags;
	size_t offset;             /* of the value in the struct */
	int64_t min, max;          /* BF_TEXT length, BF_INT value, BF_IDS/BF_LIST count */
	int scale;                 /* BF_DECIMAL */
	const struct label *choices;     /* BF_CHOICE */
	const struct bind_field *sub;    /* BF_LIST: the element's fields */
	size_t size;                     /* BF_LIST: sizeof the element */
};

#define BIND_TEXT(T, m, label, flags, min, max) \
	{ #m, label, BF_TEXT, flags, offsetof(T, m), min, max, 0, NULL, NULL, 0 }
#define BIND_INT(T, m, label, flags, min, max) \
	{ #m, label, BF_INT, flags, offsetof(T, m), min, max, 0, NULL, NULL, 0 }
#define BIND_ID(T, m, label, flags) { #m, label, BF_ID, flags, offsetof(T, m), 1, INT64_MAX, 0, NULL, NULL, 0 }
#define BIND_BOOL(T, m, label) { #m, label, BF_BOOL, 0, offsetof(T, m), 0, 0, 0, NULL, NULL, 0 }
#define BIND_DATE(T, m, label, flags) { #m, label, BF_DATE, flags, offsetof(T, m), 0, 0, 0, NULL, NULL, 0 }
#define BIND_CHOICE(T, m, label, flags, choices) \
	{ #m, label, BF_CHOICE, flags, offsetof(T, m), 0, 0, 0, choices, NULL, 0 }
#define BIND_DECIMAL(T, m, label, flags, scale, min, max) \
	{ #m, label, BF_DECIMAL, flags, offsetof(T, m), min, max, scale, NULL, NULL, 0 }
#define BIND_IDS(T, m, label, flags, max) { #m, label, BF_IDS, flags, offsetof(T, m), 0, max, 0, NULL, NULL, 0 }
#define BIND_LIST(T, m, label, flags, max, sub, E) \
	{ #m, label, BF_LIST, flags, offsetof(T, m), 0, max, 0, NULL, sub, sizeof(E) }
#define BIND_END { NULL, NULL, BF_TEXT, 0, 0, 0, 0, 0, NULL, NULL, 0 }

/* Where the values come from: form pairs (a urlencoded body, or an import
 * row) or a JSON object (json non-NULL wins). */
struct bind_pair {
	const char *key, *val;
};
struct bind_src {
	const struct bind_pair *pairs;
	int npairs;
	const json_t *json;
};

/* Bind src into out by fields (the members the table names are zeroed
 * first; zero the rest of the struct yourself). JB_OK, or JB_EINVALID with
 * one error per wrong field in c (field: the name as sent, "list.2.title"
 * inside lists). Members or fields not in the table are ignored. */
int bind_input(struct ctx *c, const struct bind_src *src, const struct bind_field *fields, void *out)
	__attribute__((warn_unused_result));

/* YYYY-MM-DD -> midnight in Asia/Shanghai as epoch seconds; -1 when it is
 * not a real date of the years 2000-9999. */
int64_t bind_parse_date(const char *s);

#endif
