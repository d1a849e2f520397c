package review

import (
	"sync"

	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/repo"
)

// patchIndex maps a patch id to the decisions recorded for it, across every
// commit of the trail: a rebased or cherry-picked commit keeps its patch id,
// so an earlier review of the same change can be found for it.
type patchIndex struct {
	once    sync.Once
	mu      sync.Mutex
	byPatch map[string][]ledger.Entry
	err     error
}

func (s *Session) patchIndex() (map[string][]ledger.Entry, error) {
	s.patches.once.Do(func() {
		notes, err := s.store.Load()
		if err != nil {
			s.patches.err = err
			return
		}
		s.patches.byPatch = indexByPatch(notes)
	})
	return s.patches.byPatch, s.patches.err
}

func indexByPatch(notes map[string][]ledger.Entry) map[string][]ledger.Entry {
	idx := map[string][]ledger.Entry{}
	for commit, entries := range notes {
		for _, e := range entries {
			if e.Err == nil && e.Payload.PatchID != "" && e.Payload.Commit == commit {
				idx[e.Payload.PatchID] = append(idx[e.Payload.PatchID], e)
			}
		}
	}
	return idx
}

// carriedOver are the decisions recorded on other commits with this patch
// id (what a rebase or cherry-pick left behind), each checked.
func (s *Session) carriedOver(c repo.Commit, patchID string) []Carried {
	if patchID == "" {
		return nil
	}
	idx, err := s.patchIndex()
	if err != nil {
		return nil
	}
	s.patches.mu.Lock()
	var entries []ledger.Entry
	for _, e := range idx[patchID] {
		if e.Payload.Commit != c.SHA {
			entries = append(entries, e)
		}
	}
	s.patches.mu.Unlock()
	if len(entries) == 0 {
		return nil
	}
	out := make([]Carried, len(entries))
	a, err := s.viewAnchors()
	for i, e := range entries {
		out[i].Entry = e
		if err != nil {
			out[i].Check = RecordCheck{Detail: "cannot be checked: " + err.Error()}
			continue
		}
		out[i].Check = s.check(a, c, e, a.Verifier.Verify(e.Record, e.Payload), false)
	}
	return out
}

func (s *Session) rememberPatch(e ledger.Entry) {
	if _, err := s.patchIndex(); err != nil {
		return
	}
	s.patches.mu.Lock()
	s.patches.byPatch[e.Payload.PatchID] = append(s.patches.byPatch[e.Payload.PatchID], e)
	s.patches.mu.Unlock()
}
