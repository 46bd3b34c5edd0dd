/* form.c - percent-decoding parsers for untrusted query strings and forms. */
#include "http/form.h"

#include <string.h>
#include <strings.h>

#include "util/text.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Decode s[0..n); plus_space turns '+' into ' '. NULL when the result is
 * not valid UTF-8 text (bad escapes decode literally, as browsers send). */
static char *decode(arena *a, const char *s, size_t n, int plus_space)
{
	char *out = arena_alloc(a, n + 1);
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
			out[k++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && plus_space) {
			out[k++] = ' ';
		} else {
			out[k++] = s[i];
		}
	}
	out[k] = '\0';
	return utf8_valid(out, k) ? out : NULL;
}

int form_parse(arena *a, const char *s, size_t n, int max_pairs, struct kv **out, const char **why)
{
	int count = 0, cap = 0;
	struct kv *kv = NULL;
	size_t i = 0;

	*out = NULL;
	while (i < n) {
		size_t end = i, eq;
		while (end < n && s[end] != '&')
			end++;
		for (eq = i; eq < end && s[eq] != '='; eq++)
			;
		if (end > i) {
			if (count == max_pairs) {
				*why = "参数过多";
				return -1;
			}
			if (count == cap) {
				cap = cap ? cap * 2 : 8;
				struct kv *grown = arena_alloc(a, (size_t)cap * sizeof(*grown));
				if (count)
					memcpy(grown, kv, (size_t)count * sizeof(*kv));
				kv = grown;
			}
			kv[count].key = decode(a, s + i, eq - i, 1);
			kv[count].val = eq < end ? decode(a, s + eq + 1, end - eq - 1, 1) : "";
			if (!kv[count].key || !kv[count].val) {
				*why = "参数不是有效的 UTF-8 文本";
				return -1;
			}
			count++;
		}
		i = end + 1;
	}
	*out = kv;
	return count;
}

char *form_decode_path(arena *a, const char *s, size_t n)
{
	return decode(a, s, n, 0);
}

bool form_media_type_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	if (!ct)
		return false;
	ct += strspn(ct, " \t");
	if (strncasecmp(ct, type, n))
		return false;
	ct += n;
	ct += strspn(ct, " \t");
	return *ct == '\0' || *ct == ';';
}
