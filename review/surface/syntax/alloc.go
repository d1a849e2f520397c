package syntax

/*
#include <stdlib.h>
#include <stdint.h>
#include <stdbool.h>

void ts_set_allocator(void *(*)(size_t), void *(*)(size_t, size_t), void *(*)(void *, size_t), void (*)(void *));

static void vouch_libc_allocator(void) { ts_set_allocator(malloc, calloc, realloc, free); }
*/
import "C"

// The Go binding routes every allocation the parser makes through a Go
// callback that calls C's malloc again: two cgo crossings per node, which
// made a 20,000-line parse 5× slower. The parser allocates with libc here;
// the binding frees with libc too, so the heaps agree.
func init() { C.vouch_libc_allocator() }
