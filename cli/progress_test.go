package cli

import (
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	var w strings.Builder
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &progress{w: &w, what: "scanning", start: now, now: func() time.Time { return now }}
	p.tell(1, 10)
	if w.Len() != 0 {
		t.Fatalf("short work shows nothing: %q", w.String())
	}
	now = now.Add(time.Second)
	p.tell(2, 10)
	if got := w.String(); got != "\r\x1b[Kscanning 2/10 · 4s left" {
		t.Errorf("line %q", got)
	}
	w.Reset()
	now = now.Add(10 * time.Millisecond)
	p.tell(3, 10)
	if w.Len() != 0 {
		t.Errorf("redrawn too soon: %q", w.String())
	}
	p.done()
	if w.String() != "\r\x1b[K" {
		t.Errorf("done must wipe the line: %q", w.String())
	}
	w.Reset()
	p.done()
	if w.Len() != 0 {
		t.Error("a second done writes nothing")
	}
	// Not on a terminal, or quiet: nothing, ever.
	var silent *progress = streams{errOut: &w}.newProgress("scanning", false)
	silent.start = silent.start.Add(-time.Hour)
	silent.tell(1, 2)
	silent.done()
	if w.Len() != 0 {
		t.Errorf("no terminal, no progress: %q", w.String())
	}
}

// Off a terminal scan, verify and log print nothing on stderr, and --jobs
// does not change the answer.
func TestLongWorkQuietOffTerminal(t *testing.T) {
	dir := newRepo(t)
	one, stderr, code := vouch(t, "-C", dir, "scan", "--json", "--jobs", "1", "main..feature")
	if code != 0 || stderr != "" {
		t.Fatalf("scan: code %d, stderr %q", code, stderr)
	}
	many, _, _ := vouch(t, "-C", dir, "scan", "--json", "--jobs", "8", "main..feature")
	if one != many {
		t.Errorf("--jobs 1 and --jobs 8 differ:\n%s\n%s", one, many)
	}
	for _, args := range [][]string{{"verify", "main..feature"}, {"log", "--no-pager", "main..feature"}} {
		if _, stderr, _ := vouch(t, append([]string{"-C", dir}, args...)...); strings.Contains(stderr, "\r") {
			t.Errorf("%s: progress on a non-terminal: %q", args[0], stderr)
		}
	}
	if _, stderr, code := vouch(t, "-C", dir, "scan", "--jobs", "-1"); code != 2 || !strings.Contains(stderr, "--jobs") {
		t.Errorf("--jobs -1: code %d, %q", code, stderr)
	}
}
