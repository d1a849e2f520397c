package syntax

/*
#include <stdlib.h>
#include <stdint.h>
#include <stdbool.h>

// The few types and functions of tree-sitter's api.h (v0.25) used here;
// the library itself is compiled by the go-tree-sitter package.
typedef struct TSTree TSTree;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;
void ts_set_allocator(void *(*)(size_t), void *(*)(size_t, size_t), void *(*)(void *, size_t), void (*)(void *));
TSNode ts_tree_root_node(const TSTree *self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
uint16_t ts_node_symbol(TSNode self);

static void vouch_libc_allocator(void) { ts_set_allocator(malloc, calloc, realloc, free); }

// vouch_walk visits the tree in order and writes each node whose symbol
// want marks (want[symbol] != 0) to out, with its mark in marks, up to cap;
// it returns how many there are. Nodes deeper than maxdepth are not visited.
static uint32_t vouch_walk(const TSTree *tree, const uint8_t *want, uint32_t nwant, uint32_t maxdepth,
                           TSNode *out, uint8_t *marks, uint32_t cap) {
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	uint32_t n = 0, depth = 0;
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&c);
		uint16_t sym = ts_node_symbol(node);
		if (sym < nwant && want[sym]) {
			if (n < cap) {
				out[n] = node;
				marks[n] = want[sym];
			}
			n++;
		}
		if (depth < maxdepth && ts_tree_cursor_goto_first_child(&c)) {
			depth++;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (depth == 0 || !ts_tree_cursor_goto_parent(&c)) {
				ts_tree_cursor_delete(&c);
				return n;
			}
			depth--;
		}
	}
}
*/
import "C"

import (
	"unsafe"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// The Go binding routes every allocation the parser makes through a Go
// callback that calls C's malloc again, two cgo crossings each; the parser
// allocates with libc here. The binding frees with libc too, so the heaps
// agree.
func init() { C.vouch_libc_allocator() }

// walk visits the nodes the grammar marks, in source order, with one cgo
// call for the whole tree: a node-by-node walk from Go costs three cgo
// crossings a node, more than the parse. Nodes deeper than MaxDepth are
// not read.
func (x *extractor) walk(tree *sitter.Tree) {
	want := x.g.want
	if len(want) == 0 {
		return
	}
	ctree := (*struct{ p *C.TSTree })(unsafe.Pointer(tree)).p
	capacity := len(x.src)/8 + 64
	for {
		out := make([]C.TSNode, capacity)
		marks := make([]uint8, capacity)
		n := int(C.vouch_walk(ctree, (*C.uint8_t)(unsafe.Pointer(&want[0])), C.uint32_t(len(want)), C.uint32_t(MaxDepth),
			&out[0], (*C.uint8_t)(unsafe.Pointer(&marks[0])), C.uint32_t(capacity)))
		if n > capacity {
			capacity = n
			continue
		}
		for i := 0; i < n; i++ {
			node := (*sitter.Node)(unsafe.Pointer(&out[i]))
			x.visit(node, kind(marks[i]))
		}
		return
	}
}
