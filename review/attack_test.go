package review_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/attacktest"
)

// TestAttacks runs the table of attacks on the trail and the gate in
// process: each is refused, and the genuine reviews still pass.
func TestAttacks(t *testing.T) {
	for _, c := range attacktest.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			w := attacktest.Build(t, "")
			for _, kv := range w.Env() {
				k, v, _ := strings.Cut(kv, "=")
				t.Setenv(k, v)
			}
			c.Setup(w)
			t.Chdir(w.Dir)
			s, err := review.Open(review.Options{Dir: w.Dir})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := s.Verify([]string{attacktest.Range}, c.Opts)
			code, text := 0, ""
			switch {
			case err != nil:
				code, text = 2, err.Error()
			default:
				b, _ := json.Marshal(rep)
				text = string(b)
				if rep.Violations > 0 {
					code = 1
				}
			}
			if code != c.WantExit {
				t.Fatalf("exit %d, want %d\n%s", code, c.WantExit, text)
			}
			for _, want := range c.Want {
				if !strings.Contains(text, want) {
					t.Errorf("report lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

// TestScreenShowsVerifiedState: the queue (and so the TUI, its badges and
// scan) takes a commit's state from records that verify; a forged accept
// neither decides the commit nor is offered for re-signing.
func TestScreenShowsVerifiedState(t *testing.T) {
	w := attacktest.Build(t, "")
	for _, kv := range w.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	// Mallory is not trusted: her accept of the original commit is forged.
	old := w.AI
	w.Plant(old, w.Record("mallory", w.Canonical(w.Payload(old, "accept", "Alice", attacktest.Alice, attacktest.AICommitTime.Add(time.Minute)))))
	w.AI = w.Cherry()
	s, err := review.Open(review.Options{Dir: w.Dir, All: true})
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.Queue([]string{"old-feature", "--not", "main"})
	if err != nil || len(q.Items) != 1 {
		t.Fatalf("queue %+v %v", q, err)
	}
	if it := q.Items[0]; it.State() != review.Undecided || len(it.Checks) != 1 || it.Checks[0].Verified {
		t.Fatalf("forged accept decided the commit: state %v checks %+v", it.State(), it.Checks)
	}
	q, err = s.Queue([]string{attacktest.Range})
	if err != nil || len(q.Items) != 1 {
		t.Fatalf("queue %+v %v", q, err)
	}
	a, err := s.Analyse(q.Items[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(a.CarriedOver) != 1 || a.CarriedOver[0].Check.Verified {
		t.Fatalf("forged carried-over accept offered as verified: %+v", a.CarriedOver)
	}

	// Alice's genuine accept of the same patch verifies and is offered.
	w.Accept(old, "alice", attacktest.AICommitTime.Add(2*time.Minute))
	s, err = review.Open(review.Options{Dir: w.Dir})
	if err != nil {
		t.Fatal(err)
	}
	q, _ = s.Queue([]string{attacktest.Range})
	a, err = s.Analyse(q.Items[0])
	if err != nil {
		t.Fatal(err)
	}
	verified := 0
	for _, c := range a.CarriedOver {
		if c.Check.Verified {
			verified++
		}
	}
	if verified != 1 {
		t.Fatalf("genuine carried-over accept: %+v", a.CarriedOver)
	}
}
