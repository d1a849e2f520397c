package review

import (
	"fmt"
	"math"

	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/visible"
)

// checkTrail is --signed-trail: every commit of the notes ref's history
// that adds or removes a decision record must be signed by a key trusted
// at the anchors' revision, and a record that was ever written and is no
// longer at the tip is reported with the commit that removed it. Rewriting
// the ref (a force-push of a history without a reject) therefore needs a
// trusted key, and dropping a record is never silent.
func (s *Session) checkTrail(a *Anchors, ref string) ([]string, error) {
	problems := []string{}
	tip, err := s.repo.ResolveRef(ref)
	if err != nil || tip == "" {
		return problems, err
	}
	history, err := s.repo.NotesHistory(tip)
	if err != nil {
		return nil, err
	}
	var blobIDs []string
	for _, c := range history {
		for _, ch := range c.Changes {
			for _, id := range []string{ch.OldBlob, ch.NewBlob} {
				if id != "" {
					blobIDs = append(blobIDs, id)
				}
			}
		}
	}
	blobs, err := s.repo.Blobs(blobIDs, math.MaxInt64)
	if err != nil {
		return nil, err
	}
	records := func(id string) map[string]ledger.Entry {
		out := map[string]ledger.Entry{}
		for _, e := range ledger.ParseNote(string(blobs[id])) {
			if e.Err == nil {
				out[ledger.RecordKey(e)] = e
			}
		}
		return out
	}
	current, err := s.repo.NotesAt(tip)
	if err != nil {
		return nil, err
	}
	atTip := map[string]bool{}
	for _, text := range current {
		for _, e := range ledger.ParseNote(text) {
			if e.Err == nil {
				atTip[ledger.RecordKey(e)] = true
			}
		}
	}
	reported := map[string]bool{}
	for _, c := range history {
		added, removed := 0, 0
		for _, ch := range c.Changes {
			before, after := records(ch.OldBlob), records(ch.NewBlob)
			for k := range after {
				if _, ok := before[k]; !ok {
					added++
				}
			}
			for k, e := range before {
				if _, ok := after[k]; ok {
					continue
				}
				removed++
				if !atTip[k] && !reported[k] {
					reported[k] = true
					p := e.Payload
					problems = append(problems, fmt.Sprintf("record removed from the trail by notes commit %s: %s of %s by %s <%s> at %s",
						short(c.SHA), p.Decision, short(p.Commit), visible.String(p.Reviewer.Name), visible.String(p.Reviewer.Email), visible.String(p.Time)))
				}
			}
		}
		if added == 0 && removed == 0 {
			continue
		}
		payload, sig, err := s.repo.CommitSignature(c.SHA)
		if err != nil {
			return nil, err
		}
		ver := a.Verifier.VerifyCommit(payload, sig, c.Committer, c.Time)
		if ver.Status != ledger.StatusValid {
			problems = append(problems, fmt.Sprintf("notes commit %s (%q, %d record(s) added, %d removed) is not signed by a trusted key: %s",
				short(c.SHA), visible.String(c.Subject), added, removed, visible.String(ver.Detail)))
		}
	}
	return problems, nil
}
