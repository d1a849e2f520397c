package cli

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress is a one-line counter with an ETA on stderr for long work: it
// appears only on a terminal, only once the work has run for progressDelay,
// redraws at most every progressEvery, and is wiped by done. stdout is
// never touched, so --json and --sarif output stay as they are.
type progress struct {
	w     io.Writer // nil: silent
	what  string
	start time.Time
	mu    sync.Mutex
	last  time.Time
	shown bool
	now   func() time.Time
}

const (
	progressDelay = 500 * time.Millisecond
	progressEvery = 100 * time.Millisecond
)

// newProgress counts on errOut when it is a terminal and quiet is false.
func (s streams) newProgress(what string, quiet bool) *progress {
	p := &progress{what: what, start: time.Now(), now: time.Now}
	if !quiet && isTerminal(s.errOut) {
		p.w = s.errOut
	}
	return p
}

// tell shows that done of total are finished.
func (p *progress) tell(done, total int) {
	if p == nil || p.w == nil || total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	elapsed := now.Sub(p.start)
	if elapsed < progressDelay || now.Sub(p.last) < progressEvery {
		return
	}
	p.last = now
	line := fmt.Sprintf("%s %d/%d", p.what, done, total)
	if done > 0 && done < total {
		left := time.Duration(float64(elapsed) / float64(done) * float64(total-done))
		line += fmt.Sprintf(" · %s left", left.Round(time.Second))
	}
	fmt.Fprint(p.w, "\r\x1b[K"+line)
	p.shown = true
}

// done wipes the line, leaving the terminal as it was.
func (p *progress) done() {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// listing shows how far a scan has got while git still lists its range:
// the commits listed and those analysed, with no total yet.
func (p *progress) listing(listed, analysed int) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if now.Sub(p.start) < progressDelay || now.Sub(p.last) < progressEvery {
		return
	}
	p.last = now
	fmt.Fprintf(p.w, "\r\x1b[K%s: %d commits listed · %d analysed", p.what, listed, analysed)
	p.shown = true
}
