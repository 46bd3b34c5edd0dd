/* strmap.h - a hash map from byte strings to a few integers, for bulk
 * work that must not ask the store once per row (imports: the names a
 * file refers to, read once). Open addressing, FNV-1a; keys are copied
 * into the map's own arena. Not thread-safe; allocation failure aborts. */
#ifndef JB_STRMAP_H
#define JB_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct strmap strmap;

/* What a key maps to; zero when the key is new. */
struct strmap_val {
	int64_t id;
	int64_t line;
	int64_t aux;
};

strmap *strmap_new(void);
void strmap_free(strmap *m);
/* The value of key[0..len), made (zeroed) when absent: *created says so. */
struct strmap_val *strmap_put(strmap *m, const char *key, size_t len, bool *created);
/* The value of key[0..len), or NULL. */
struct strmap_val *strmap_get(const strmap *m, const char *key, size_t len);
size_t strmap_count(const strmap *m);

#endif
