/* conf.h - settings from four layers: defaults, a file, the environment
 * and command-line flags, each later layer overriding the earlier
 * (flag > env > file > default).
 *
 * The keys are a table the caller owns (domain/config.c holds jiebang's). A
 * key "head_timeout" is spelt so in the file ("head_timeout = 10", '#'
 * starts a comment), JIEBANG_HEAD_TIMEOUT in the environment and
 * --head-timeout on the command line. Every value is checked against its
 * key's type as it is set, so a loaded conf holds only valid values. */
#ifndef JB_CONF_H
#define JB_CONF_H

#include <stdbool.h>
#include <stddef.h>

enum conf_type {
	CONF_TEXT,    /* any text without control characters */
	CONF_UINT,    /* a whole number within [min, max] */
	CONF_BOOL,    /* 0/1, true/false, on/off, yes/no */
	CONF_CHOICE,  /* one of choices, "off|text|json" */
};

enum {
	CONF_SECRET = 1u << 0,  /* masked when printed (a postgres:// URL: its password) */
	CONF_RELOAD = 1u << 1,  /* applied again on SIGHUP; others need a restart */
};

enum conf_from { CONF_DEFAULT, CONF_FILE, CONF_ENV, CONF_FLAG };

struct conf_key {
	const char *name;
	enum conf_type type;
	const char *def;       /* the default as the file spells it ("" none) */
	unsigned min, max;     /* CONF_UINT */
	const char *choices;   /* CONF_CHOICE */
	unsigned flags;
	const char *help;      /* one line, English; what the default means when computed */
};

#define CONF_MAX 64

struct conf {
	const struct conf_key *keys;
	int n;
	char *val[CONF_MAX];         /* owned; NULL: the key's default */
	enum conf_from from[CONF_MAX];
	int line[CONF_MAX];          /* CONF_FILE: the line it was set on */
	char file[4096];             /* the file read, "" none */
};

/* A conf of the n keys (n <= CONF_MAX), all at their defaults. */
void conf_init(struct conf *c, const struct conf_key *keys, int n);
void conf_release(struct conf *c);

/* The key's index for a file name ("head_timeout") or, with flag, for a
 * flag name without its dashes ("head-timeout"); -1 when there is none. */
int conf_find(const struct conf *c, const char *name, bool flag);

/* Set key i from a layer; 0, or -1 with why in err ("head_timeout: 'x' is
 * not a whole number from 1 to 3600"), leaving it unchanged. */
int conf_set(struct conf *c, int i, const char *val, enum conf_from from, char *err, size_t errlen);

/* Read path: "key = value" lines, blank lines and '#' comments. An unknown
 * key or a bad value is an error naming the file and line; nothing of a
 * file with an error is kept. 0 or -1 with err. */
int conf_read_file(struct conf *c, const char *path, char *err, size_t errlen);

/* Set every key whose environment variable (prefix + upper-case name) is
 * set and not empty. 0 or -1 with err. */
int conf_read_env(struct conf *c, const char *prefix, char *err, size_t errlen);

/* Key i's value (its default when no layer set it). */
const char *conf_str(const struct conf *c, int i);
unsigned conf_uint(const struct conf *c, int i);
bool conf_bool(const struct conf *c, int i);

/* Key i's value as it may be printed: secrets masked. Into out. */
const char *conf_shown(const struct conf *c, int i, char *out, size_t n);

#endif
