package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/vouch-review/vouch/review"
)

// analysisCache holds the analysed commits: the one on screen, its
// neighbours (so J and K are instant) and the background analyses that
// badge the queue. Cached analyses are never edited in place: a signing
// goroutine may still hold one, so a change is a new value.
type analysisCache struct {
	entries map[string]*review.Analysis
	errs    map[string]error
	pending map[string]bool
	bgBusy  bool             // one background analysis at a time, so the screen's own loads come first
	used    map[string]int64 // last use tick, for eviction
	tick    int64
	size    int
	// looks are the syntax colours and word emphasis of each cached
	// commit's files, for the background they were computed for.
	looks     map[string][]fileLook
	looksDark map[string]bool
	lighting  map[string]bool // highlighting on its way
}

// cacheSize bounds how many analysed commits are kept; the current one and
// its neighbours are all that J/K need.
const cacheSize = 8

func newAnalysisCache(size int) analysisCache {
	return analysisCache{entries: map[string]*review.Analysis{}, errs: map[string]error{},
		pending: map[string]bool{}, used: map[string]int64{}, size: size,
		looks: map[string][]fileLook{}, looksDark: map[string]bool{}, lighting: map[string]bool{}}
}

// analysisMsg carries a loaded commit back to the model.
type analysisMsg struct {
	sha        string
	a          *review.Analysis
	err        error
	background bool // read for the queue's badges, not for the screen
}

func (c *analysisCache) get(sha string) *review.Analysis { return c.entries[sha] }

// touch marks sha as just used.
func (c *analysisCache) touch(sha string) {
	c.tick++
	c.used[sha] = c.tick
}

// load reads it in a tea.Cmd unless it is cached or on its way.
func (c *analysisCache) load(rev Reviewer, it review.Item, background bool) tea.Cmd {
	sha := it.Commit.SHA
	if c.entries[sha] != nil || c.pending[sha] {
		return nil
	}
	if background {
		if c.bgBusy || c.errs[sha] != nil {
			return nil
		}
		c.bgBusy = true
	}
	c.pending[sha] = true
	analyse := rev.Analyse
	// A session with git processes of its own for background work keeps
	// badges from delaying the commit on screen.
	if bg, ok := rev.(interface {
		AnalyseBackground(review.Item) (*review.Analysis, error)
	}); background && ok {
		analyse = bg.AnalyseBackground
	}
	return func() tea.Msg {
		a, err := analyse(it)
		return analysisMsg{sha: sha, a: a, err: err, background: background}
	}
}

// arrived stores a result; it reports whether it was an analysis.
func (c *analysisCache) arrived(msg analysisMsg, current string) bool {
	delete(c.pending, msg.sha)
	if msg.background {
		c.bgBusy = false
	}
	if msg.err != nil {
		c.errs[msg.sha] = msg.err
		return false
	}
	c.entries[msg.sha] = msg.a
	if msg.background {
		c.used[msg.sha] = 0 // evicted before anything the reviewer looked at
	} else {
		c.touch(msg.sha)
	}
	c.evict(current)
	return true
}

// replace swaps in a new analysis value for a cached commit.
func (c *analysisCache) replace(sha string, a *review.Analysis) {
	if c.entries[sha] != nil {
		c.entries[sha] = a
	}
}

func (c *analysisCache) evict(current string) {
	for len(c.entries) > c.size {
		oldest, tick := "", int64(1<<62)
		for sha := range c.entries {
			if sha != current && c.used[sha] < tick {
				oldest, tick = sha, c.used[sha]
			}
		}
		if oldest == "" {
			return
		}
		delete(c.entries, oldest)
		delete(c.used, oldest)
		delete(c.looks, oldest)
		delete(c.looksDark, oldest)
	}
}

// highlight computes a's looks off the event loop unless they are cached
// for this background or on their way.
func (c *analysisCache) highlight(a *review.Analysis, dark bool) tea.Cmd {
	sha := a.Item.Commit.SHA
	if (c.looks[sha] != nil && c.looksDark[sha] == dark) || c.lighting[sha] {
		return nil
	}
	c.lighting[sha] = true
	return highlightCmd(a, dark)
}

// lit stores computed looks; it reports whether they are still wanted.
func (c *analysisCache) lit(msg highlightMsg) bool {
	delete(c.lighting, msg.sha)
	if c.entries[msg.sha] == nil {
		return false
	}
	c.looks[msg.sha], c.looksDark[msg.sha] = msg.files, msg.dark
	return true
}

// looksFor is sha's looks for the background, or nil.
func (c *analysisCache) looksFor(sha string, dark bool) []fileLook {
	if c.looksDark[sha] != dark {
		return nil
	}
	return c.looks[sha]
}
