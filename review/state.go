package review

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/repo"
)

// viewTrust holds the anchors the queue, the TUI, scan and log check
// records against: those `vouch verify` would use for the default range.
type viewTrust struct {
	once    sync.Once
	anchors *Anchors
	err     error
}

func (s *Session) viewAnchors() (*Anchors, error) {
	s.view.once.Do(func() {
		s.view.anchors, s.view.err = s.shownAnchors(nil, VerifyOptions{})
	})
	return s.view.anchors, s.view.err
}

// shownAnchors are the anchors records are shown against (the queue, the
// TUI, log): verify's, except that on the default branch's own history,
// where verify asks for --trust-ref, that branch as it is now is trusted.
func (s *Session) shownAnchors(rangeArgs []string, opts VerifyOptions) (*Anchors, error) {
	a, err := s.Anchors(rangeArgs, opts)
	if errors.Is(err, ErrTrustInRange) && opts.TrustRef == "" {
		opts.TrustRef = s.repo.TrustBranch()
		a, err = s.Anchors(rangeArgs, opts)
	}
	return a, err
}

// Carried is a decision recorded for the same patch on another commit, with
// whether it verifies.
type Carried struct {
	Entry ledger.Entry
	Check RecordCheck
}

// checkRecords verifies a commit's records as the reviewer's screen shows
// them: a valid signature by a trusted key, made for this commit and tree,
// not by an AI identity, and not dated before the commit.
func (s *Session) checkRecords(c repo.Commit, entries []ledger.Entry) []RecordCheck {
	out := make([]RecordCheck, len(entries))
	if len(entries) == 0 {
		return out
	}
	a, err := s.viewAnchors()
	if err != nil {
		for i := range out {
			out[i].Detail = "cannot be checked: " + err.Error()
		}
		return out
	}
	for i, v := range a.Verifier.VerifyEntries(entries) {
		out[i] = s.check(a, c, entries[i], v, true)
	}
	return out
}

// Check verifies one record of commit c, as checkRecords does.
func (s *Session) Check(c repo.Commit, e ledger.Entry) RecordCheck {
	return s.checkRecords(c, []ledger.Entry{e})[0]
}

func (s *Session) check(a *Anchors, c repo.Commit, e ledger.Entry, v ledger.Verification, own bool) RecordCheck {
	p := e.Payload
	switch {
	case e.Err != nil:
		return RecordCheck{Detail: e.Err.Error()}
	case v.Status != ledger.StatusValid:
		return RecordCheck{Detail: fmt.Sprintf("%s: %s", v.Status, v.Detail)}
	case own && (p.Commit != c.SHA || p.Tree != c.Tree):
		return RecordCheck{Detail: "replayed: signed for commit " + short(p.Commit)}
	case a.Detector.IsAIIdentity(p.Reviewer.Name, p.Reviewer.Email):
		return RecordCheck{Detail: "signed by an AI identity"}
	}
	if own {
		t, _ := time.Parse(time.RFC3339, p.Time)
		if t.Before(c.CommitTime.Add(-ledger.ClockSkew)) {
			return RecordCheck{Detail: "dated before the commit existed"}
		}
	}
	return RecordCheck{Verified: true, Detail: v.Detail}
}
