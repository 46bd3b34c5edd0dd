/* arena.h - region allocator for one request (as h2o's per-request pool).
 *
 * Everything allocated from an arena is freed at once by arena_free(), which
 * also runs the registered cleanups in reverse order. Allocation failure
 * aborts, so callers never check for NULL. Not thread-safe: one arena
 * belongs to one request on one thread. */
#ifndef JB_ARENA_H
#define JB_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n);          /* zeroed, 16-byte aligned */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* arr (n elements of size, room for *cap, on a) with room for one more:
 * the same array, or a copy twice as large (*cap updated). */
void *arena_grow(arena *a, void *arr, int n, int *cap, size_t size);
/* Append to a growable array on the arena: arr, n and cap are lvalues
 * (arr starts NULL, n and cap 0); yields a pointer to the new element,
 * which is zeroed (arena memory is, and no slot past n is ever written). */
#define ARENA_PUSH(a, arr, n, cap) \
	((arr) = arena_grow((a), (arr), (n), &(cap), sizeof(*(arr))), &(arr)[(n)++])
/* fn(p) runs when the arena is freed. */
void arena_defer(arena *a, void (*fn)(void *), void *p);
size_t arena_used(const arena *a);

#endif
