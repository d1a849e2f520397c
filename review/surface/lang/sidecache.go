package lang

import (
	"hash/maphash"
	"sync"

	"github.com/vouch-review/vouch/review/surface/syntax"
)

// sides keeps the last files parsed, by language and content: the version
// a commit leaves is the one the next commit to touch the file starts
// from, so a scan along a history parses each version of a file once, not
// twice. A side is read-only once made, so workers share it.
var sides = sideCache{max: 32, maxBytes: 3 << 20}

type sideKey struct {
	lang syntax.Lang
	syn  *lexer
	hash uint64
	size int
}

type sideEntry struct {
	src  string // compared on a hit: the hash only finds the entry
	side *side
}

type sideCache struct {
	mu       sync.Mutex
	seed     maphash.Seed
	once     sync.Once
	entries  map[sideKey]sideEntry
	order    []sideKey // oldest first
	bytes    int
	max      int // entries kept
	maxBytes int // source bytes kept
}

// cachedSide is newSide, from the cache when the same content of a file in
// the same language was masked lately.
func cachedSide(src []byte, syn *lexer, p string) *side {
	if src == nil {
		return nil
	}
	c := &sides
	c.once.Do(func() { c.seed = maphash.MakeSeed(); c.entries = map[sideKey]sideEntry{} })
	if len(src) > c.maxBytes/4 {
		return newSide(src, syn, p)
	}
	k := sideKey{lang: syntax.LangOf(p), syn: syn, hash: maphash.Bytes(c.seed, src), size: len(src)}
	c.mu.Lock()
	if e, ok := c.entries[k]; ok && e.src == string(src) {
		c.mu.Unlock()
		return e.side
	}
	c.mu.Unlock()
	s := newSide(src, syn, p)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[k]; !ok {
		c.entries[k] = sideEntry{src: string(src), side: s}
		c.order = append(c.order, k)
		c.bytes += len(src)
		for len(c.order) > c.max || c.bytes > c.maxBytes {
			old := c.order[0]
			c.order = c.order[1:]
			c.bytes -= len(c.entries[old].src)
			delete(c.entries, old)
		}
	}
	return s
}
