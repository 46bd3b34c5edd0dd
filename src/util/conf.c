/* conf.c - layered settings (conf.h). */
#include "util/conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

void conf_init(struct conf *c, const struct conf_key *keys, int n)
{
	memset(c, 0, sizeof(*c));
	c->keys = keys;
	c->n = n < CONF_MAX ? n : CONF_MAX;
}

void conf_release(struct conf *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->val[i]);
	memset(c->val, 0, sizeof(c->val));
}

int conf_find(const struct conf *c, const char *name, bool flag)
{
	for (int i = 0; i < c->n; i++) {
		const char *k = c->keys[i].name, *s = name;
		for (; *k && *s; k++, s++)
			if (*s != (flag && *k == '_' ? '-' : *k))
				break;
		if (!*k && !*s)
			return i;
	}
	return -1;
}

static const char *bool_word(const char *v)
{
	static const char *const yes[] = { "1", "true", "on", "yes" }, *const no[] = { "0", "false", "off", "no" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(v, yes[i]))
			return "1";
		if (!strcasecmp(v, no[i]))
			return "0";
	}
	return NULL;
}

static bool choice_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);

	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && !strncmp(p, v, n))
			return true;
		p += len + (bar ? 1 : 0);
	}
	return false;
}

int conf_set(struct conf *c, int i, const char *val, enum conf_from from, char *err, size_t errlen)
{
	const struct conf_key *k = &c->keys[i];
	const char *norm = val;
	char *copy;
	int64_t n;

	for (const unsigned char *p = (const unsigned char *)val; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "%s: control characters are not allowed", k->name);
			return -1;
		}
	if (!utf8_valid(val, strlen(val))) {
		snprintf(err, errlen, "%s: the value is not UTF-8 text", k->name);
		return -1;
	}
	switch (k->type) {
	case CONF_UINT:
		if (parse_int(val, k->min, k->max, &n) < 0) {
			snprintf(err, errlen, "%s: '%s' is not a whole number from %u to %u", k->name, val, k->min, k->max);
			return -1;
		}
		break;
	case CONF_BOOL:
		if (!(norm = bool_word(val))) {
			snprintf(err, errlen, "%s: '%s' is not 0 or 1 (or true/false, on/off, yes/no)", k->name, val);
			return -1;
		}
		break;
	case CONF_CHOICE:
		if (!choice_ok(k->choices, val)) {
			snprintf(err, errlen, "%s: '%s' is not one of %s", k->name, val, k->choices);
			return -1;
		}
		break;
	case CONF_TEXT:
		break;
	}
	if (!(copy = strdup(norm))) {
		snprintf(err, errlen, "%s: out of memory", k->name);
		return -1;
	}
	free(c->val[i]);
	c->val[i] = copy;
	c->from[i] = from;
	return 0;
}

/* s without leading and trailing blanks, in place. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* One line of the file into scratch (unset keys stay), or -1 with err. */
static int file_line(struct conf *scratch, char *line, const char *path, int no, char *err, size_t errlen)
{
	char *eq, *key, *val, why[512];
	int i;

	key = trim(line);
	if (!*key || *key == '#')
		return 0;
	if (!(eq = strchr(key, '='))) {
		snprintf(err, errlen, "%s:%d: expected 'key = value'", path, no);
		return -1;
	}
	*eq = '\0';
	key = trim(key);
	val = trim(eq + 1);
	if ((i = conf_find(scratch, key, false)) < 0) {
		snprintf(err, errlen, "%s:%d: unknown key '%s'", path, no, key);
		return -1;
	}
	if (scratch->line[i]) {
		snprintf(err, errlen, "%s:%d: '%s' is already set on line %d", path, no, key, scratch->line[i]);
		return -1;
	}
	if (conf_set(scratch, i, val, CONF_FILE, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s:%d: %s", path, no, why);
		return -1;
	}
	scratch->line[i] = no;
	return 0;
}

int conf_read_file(struct conf *c, const char *path, char *err, size_t errlen)
{
	struct conf scratch;
	char line[8192];
	int no = 0, rc = 0;
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(err, errlen, "cannot read the configuration file %s: %s", path, strerror(errno));
		return -1;
	}
	conf_init(&scratch, c->keys, c->n);
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		no++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%d: the line is too long", path, no);
			rc = -1;
		} else {
			rc = file_line(&scratch, line, path, no, err, errlen);
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "cannot read the configuration file %s: %s", path, strerror(errno));
		rc = -1;
	}
	fclose(f);
	if (rc == 0) {
		for (int i = 0; i < c->n; i++)
			if (scratch.val[i]) {
				free(c->val[i]);
				c->val[i] = scratch.val[i];
				c->from[i] = CONF_FILE;
				c->line[i] = scratch.line[i];
				scratch.val[i] = NULL;
			}
		snprintf(c->file, sizeof(c->file), "%s", path);
	}
	conf_release(&scratch);
	return rc;
}

int conf_read_env(struct conf *c, const char *prefix, char *err, size_t errlen)
{
	char name[128], why[512];

	for (int i = 0; i < c->n; i++) {
		size_t p = (size_t)snprintf(name, sizeof(name), "%s", prefix);
		for (const char *k = c->keys[i].name; *k && p + 1 < sizeof(name); k++)
			name[p++] = (char)toupper((unsigned char)*k);
		name[p] = '\0';
		const char *v = getenv(name);
		if (v && *v && conf_set(c, i, v, CONF_ENV, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s: %s", name, why);
			return -1;
		}
	}
	return 0;
}

const char *conf_str(const struct conf *c, int i)
{
	return c->val[i] ? c->val[i] : c->keys[i].def;
}

unsigned conf_uint(const struct conf *c, int i)
{
	int64_t n;

	return parse_int(conf_str(c, i), 0, UINT32_MAX, &n) < 0 ? 0 : (unsigned)n;
}

bool conf_bool(const struct conf *c, int i)
{
	const char *w = bool_word(conf_str(c, i));

	return w && *w == '1';
}

/* v with the password of a URL (scheme://user:password@host) or of a
 * key=value string (password=...) replaced by ********, into out. */
static void mask_passwords(const char *v, char *out, size_t n)
{
	const char *scheme = strstr(v, "://"), *at, *colon, *kw;
	size_t o = 0;

	if (scheme && (at = strchr(scheme + 3, '@')) && (colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3)))) {
		o = (size_t)snprintf(out, n, "%.*s:********", (int)(colon - v), v);
		v = at;
	}
	for (; (kw = strstr(v, "password=")) && o < n; v = kw + strcspn(kw, "& ")) {
		o += (size_t)snprintf(out + o, n - o, "%.*s********", (int)(kw + 9 - v), v);
		kw += 9;
	}
	if (o < n)
		snprintf(out + o, n - o, "%s", v);
}

const char *conf_shown(const struct conf *c, int i, char *out, size_t n)
{
	const char *v = conf_str(c, i);

	if (!(c->keys[i].flags & CONF_SECRET) || !*v)
		snprintf(out, n, "%s", v);
	else if (strchr(v, ':') || strchr(v, '='))
		mask_passwords(v, out, n);  /* a store URL: only its password is secret */
	else
		snprintf(out, n, "********");
	return out;
}
