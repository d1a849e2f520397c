package ui

import (
	"errors"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/charmbracelet/x/ansi"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/surface"
)

// restart is a new Model over the same reviewer, as after quitting and
// running vouch again.
func restart(t *testing.T, r *memReviewer, w, h int) Model {
	t.Helper()
	_, q := fixture(t)
	m := New(r, q, "orders")
	tm, cmd := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return run(t, tm.(Model), tea.Batch(cmd, m.Init()))
}

func TestTicksSurviveARestart(t *testing.T) {
	r, m := withChecklists(t, false)
	m = press(t, m, "tab", "x", "j", "j", "x")
	if got, _ := m.checklist.Progress(); got != 2 {
		t.Fatalf("%d ticked", got)
	}
	m = restart(t, r, 120, 40)
	if ticked, total := m.checklist.Progress(); ticked != 2 || total != 5 {
		t.Fatalf("after a restart: %d of %d ticked", ticked, total)
	}
	if !strings.Contains(screen(m), "Checklists 2/5") {
		t.Errorf("screen does not show the draft:\n%s", screen(m))
	}
	// The record takes the restored ticks; the draft goes once recorded
	// (by the Session; here the reviewer's store is cleared by hand, as
	// Session.Decide does).
	m = press(t, m, "a", "enter")
	if got := r.decisions[0].Ticks; !got["ai-change"][0] || !got["dependency"][0] {
		t.Fatalf("recorded ticks %v", got)
	}
	if len(m.ticks[strings.Repeat("a", 40)]) != 0 {
		t.Errorf("ticks kept for a decided commit")
	}
}

func TestAcceptWithUntickedItemsAsks(t *testing.T) {
	_, m := withChecklists(t, false)
	m = press(t, m, "tab", "x", "a")
	if !m.comment.open || !strings.Contains(screen(m), "accept with 1 of 5 ticked?") {
		t.Fatalf("no question in the comment box:\n%s", screen(m))
	}
	m = press(t, m, "esc", "r")
	if strings.Contains(screen(m), "ticked?") {
		t.Errorf("a reject asks about ticks:\n%s", screen(m))
	}
	_, m = start(t, 120, 40) // no checklists: nothing to ask
	m = press(t, m, "a")
	if strings.Contains(screen(m), "ticked?") {
		t.Errorf("asked with no checklist")
	}
}

func TestReadinessAtStart(t *testing.T) {
	r, q := fixture(t)
	r.notReady = errors.New("no signing key: set git config user.signingKey (ssh-keygen -t ed25519, then git config gpg.format ssh)")
	m := New(r, q, "orders")
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = run(t, tm.(Model), m.Init())
	s := screen(m)
	if !strings.Contains(m.status, "cannot be signed yet") {
		t.Fatalf("status %q", m.status)
	}
	// The whole message is on screen, wrapped, not cut.
	flat := strings.Join(strings.Fields(s), " ")
	if !strings.Contains(flat, "then git config gpg.format ssh)") {
		t.Errorf("error cut:\n%s", s)
	}
	m = press(t, m, "a")
	if m.comment.open || !strings.Contains(m.status, "cannot sign") {
		t.Errorf("a comment box opened for a decision that cannot be signed: %q", m.status)
	}
	lines := strings.Split(m.View().Content, "\n")
	if len(lines) != 24 {
		t.Errorf("%d lines", len(lines))
	}
}

func TestChecklistCollapseAndZoom(t *testing.T) {
	_, m := withChecklists(t, false)
	body := m.height - 3
	if m.diff.height+diffHeaderRows < body*2/3 {
		t.Fatalf("diff gets %d of %d rows", m.diff.height+diffHeaderRows, body)
	}
	normal := m.diff.height
	m = press(t, m, "c")
	if m.checklist.height != 1 || m.diff.height <= normal || !strings.Contains(screen(m), "c shows them") {
		t.Fatalf("collapsed: checklist %d rows, diff %d", m.checklist.height, m.diff.height)
	}
	m = press(t, m, "c", "z")
	if m.checklist.height < body/2 || m.focus != focusChecklist {
		t.Fatalf("zoomed: checklist %d rows of %d, focus %v", m.checklist.height, body, m.focus)
	}
	m = press(t, m, "z")
	if m.diff.height != normal {
		t.Fatalf("z again: diff %d, want %d", m.diff.height, normal)
	}
}

func TestChecklistItemsOneLineExplanationForSelected(t *testing.T) {
	_, m := withChecklists(t, false)
	s := screen(m)
	if !strings.Contains(s, "The change fits the architecture") || !strings.Contains(s, "Look at the package it lands in.") {
		t.Fatalf("selected item's explanation missing:\n%s", s)
	}
	m = press(t, m, "tab", "j")
	if strings.Contains(screen(m), "Look at the package it lands in.") {
		t.Errorf("explanation of an item not selected is shown")
	}
}

func longLineFixture(t *testing.T) (*memReviewer, Model) {
	t.Helper()
	r, q := fixture(t)
	long := "x := []string{" + strings.Repeat(`"abcdefghij", `, 30) + `"END"}`
	r.patches[q.Items[0].Commit.SHA] = "diff --git a/long.go b/long.go\nindex 1111111..2222222 100644\n--- a/long.go\n+++ b/long.go\n@@ -1,2 +1,2 @@\n package main\n-var y = 1\n+" + long + "\n"
	r.findings[q.Items[0].Commit.SHA] = []surface.Finding{{Category: "exec", Rule: "go/exec", Severity: "high", File: "long.go", Line: 2, Side: "new",
		Message: "runs a shell: sh -c with a command built at run time, with request data in it, so anyone who can reach the route chooses the command that runs"}}
	m := New(r, q, "orders")
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return r, run(t, tm.(Model), m.Init())
}

func TestWrapAndHorizontalScroll(t *testing.T) {
	_, m := longLineFixture(t)
	if strings.Contains(screen(m), `"END"}`) {
		t.Fatal("the end of a long line is on screen before scrolling")
	}
	rows := len(m.diff.rows)
	m = press(t, m, "w", "G")
	if len(m.diff.rows) <= rows || !strings.Contains(screen(m), `"END"`) || !strings.Contains(screen(m), "↪") {
		t.Fatalf("w did not wrap (%d rows, was %d):\n%s", len(m.diff.rows), rows, screen(m))
	}
	m = press(t, m, "w", "G")
	for i := 0; i < 60; i++ {
		m = pressKey(t, m, tea.KeyPressMsg{Code: tea.KeyRight})
	}
	if !strings.Contains(screen(m), `"END"}`) {
		t.Fatalf("→ did not scroll to the end of the line:\n%s", screen(m))
	}
	for i := 0; i < 60; i++ {
		m = pressKey(t, m, tea.KeyPressMsg{Code: tea.KeyLeft})
	}
	if m.diff.hscroll != 0 {
		t.Fatalf("← did not come back: %d", m.diff.hscroll)
	}
}

func TestFindingsAreNeverCut(t *testing.T) {
	_, m := longLineFixture(t)
	if flat := strings.Join(strings.Fields(rightPane(screen(m))), " "); !strings.Contains(flat, "chooses the command that runs") {
		t.Fatalf("finding cut:\n%s", screen(m))
	}
}

// rightPane is the screen right of the queue pane.
func rightPane(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if _, r, ok := strings.Cut(l, "│"); ok {
			out = append(out, r)
		}
	}
	return strings.Join(out, "\n")
}

func pressKey(t *testing.T, m Model, k tea.KeyPressMsg) Model {
	t.Helper()
	tm, cmd := m.Update(k)
	return run(t, tm.(Model), cmd)
}

func TestWordEmphasisPairsLines(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []string // the emphasised parts of the new line
	}{
		{"one word", "return a + b", "return a - b", []string{"-"}},
		{"two places", "func fee(total int) int { return total * 3 / 100 }", "func fee(total int64) int64 { return total * 29 / 1000 }", []string{"int64", "int64", "29", "1000"}},
		{"appended", "f(x)", "f(x, y)", []string{", y"}},
		{"whole line rewritten", "abc def", "xyz uvw", nil},
		{"multibyte kept whole", "é = 1", "è = 1", []string{"è"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := []diff.Line{{Kind: diff.LineDeleted, Text: tt.old}, {Kind: diff.LineAdded, Text: tt.new}}
			ls := make([]lineLook, 2)
			pairChanges(lines, []string{tt.old, tt.new}, ls)
			var got []string
			for _, e := range ls[1].emph {
				got = append(got, tt.new[e.start:e.end])
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("emphasised %q, want %q", got, tt.want)
			}
		})
	}
	// Unequal runs are not paired.
	lines := []diff.Line{{Kind: diff.LineDeleted, Text: "a"}, {Kind: diff.LineAdded, Text: "a1"}, {Kind: diff.LineAdded, Text: "a2"}}
	ls := make([]lineLook, 3)
	pairChanges(lines, []string{"a", "a1", "a2"}, ls)
	if len(ls[1].emph) != 0 {
		t.Errorf("one removed line paired with two added")
	}
}

func FuzzWordChanges(f *testing.F) {
	f.Add("return a + b", "return a - b")
	f.Add("é\x00 = 1", "è = ")
	f.Fuzz(func(t *testing.T, o, n string) {
		oe, ne := wordChanges(o, n)
		for _, c := range []struct {
			s string
			e []span
		}{{o, oe}, {n, ne}} {
			last := int32(-1)
			for _, e := range c.e {
				if e.start < last || e.start >= e.end || int(e.end) > len(c.s) {
					t.Fatalf("bad range %v in %q", e, c.s)
				}
				last = e.end
			}
		}
	})
}

func TestHighlightOffTheEventLoop(t *testing.T) {
	_, m := start(t, 120, 40)
	if m.diff.looks == nil {
		t.Fatal("no highlighting arrived")
	}
	if len(m.cache.looks) == 0 {
		t.Fatal("highlighting not cached")
	}
	raw := m.View().Content
	// "func" in a hunk header is not lexed, but "new" lines of main.go are:
	// the syntax style differs from the plain added style somewhere.
	if !strings.Contains(raw, "48;2;18;38;30m") {
		t.Errorf("added lines lost their background")
	}
	f := diff.File{NewPath: "x.go", OldPath: "x.go", Hunks: []diff.Hunk{{Lines: []diff.Line{{Kind: diff.LineAdded, Text: `return "s"`}}}}}
	look := lookFile(f, styles.Get("github-dark"))
	if len(look[0][0].spans) == 0 {
		t.Fatalf("no spans for Go: %+v", look)
	}
}

// TestHighlightSpansLines: a Go raw string that spans three added lines is
// coloured as a string on every one of them (each side of a hunk is lexed
// as one text), and the line after it is not.
func TestHighlightSpansLines(t *testing.T) {
	lines := []diff.Line{
		{Kind: diff.LineContext, Text: "var q = `"},
		{Kind: diff.LineDeleted, Text: "x := f(y)"},
		{Kind: diff.LineAdded, Text: "select *"},
		{Kind: diff.LineAdded, Text: "from users`"},
		{Kind: diff.LineContext, Text: "func g() {}"},
	}
	f := diff.File{NewPath: "x.go", OldPath: "x.go", Hunks: []diff.Hunk{{Lines: lines}}}
	st := styles.Get("github-dark")
	look := lookFile(f, st)[0]
	strCol := st.Get(chroma.LiteralString).Colour.String()
	colourAt := func(li int, off int32) string {
		for _, sp := range look[li].spans {
			if sp.start <= off && off < sp.end {
				return sp.color
			}
		}
		return ""
	}
	if c := colourAt(2, 0); c != strCol {
		t.Errorf("added line inside a raw string coloured %q, want the string colour %q", c, strCol)
	}
	if c := colourAt(3, 0); c != strCol {
		t.Errorf("closing line of a raw string coloured %q, want %q", c, strCol)
	}
	if c := colourAt(4, 0); c == strCol {
		t.Errorf("the line after the string is still coloured as a string")
	}
}

func TestFooterAndHelpPerPane(t *testing.T) {
	_, m := withChecklists(t, false)
	foot := func(m Model) string {
		lines := strings.Split(screen(m), "\n")
		return lines[len(lines)-1]
	}
	if f := foot(m); !strings.Contains(f, "scroll down") {
		t.Errorf("diff footer %q", f)
	}
	m = press(t, m, "tab")
	if f := foot(m); !strings.Contains(f, "tick item") || strings.Contains(f, "scroll down") {
		t.Errorf("checklist footer %q", f)
	}
	m = press(t, m, "tab")
	if f := foot(m); !strings.Contains(f, "read diff") || strings.Contains(f, "tick item") {
		t.Errorf("queue footer %q", f)
	}
	m = press(t, m, "tab", "a")
	if f := foot(m); !strings.Contains(f, "record") || strings.Contains(f, "scroll down") {
		t.Errorf("comment footer %q", f)
	}
	m = press(t, m, "esc", "?")
	s := screen(m)
	for _, h := range []string{"Everywhere", "Diff: scroll", "Diff: jump", "Checklist", "Queue", "Comment box"} {
		if !strings.Contains(s, h) {
			t.Errorf("help lacks the heading %q", h)
		}
	}
}

func TestQueueCountsAndClick(t *testing.T) {
	r, m := start(t, 100, 24)
	m = press(t, m, "a", "enter", "r", "n", "o", "enter")
	if len(r.decisions) != 2 {
		t.Fatalf("decisions %d", len(r.decisions))
	}
	if s := screen(m); !strings.Contains(s, "✓1 ✗1 ·1") {
		t.Errorf("queue counts:\n%s", s)
	}
	// One row per commit at this size; row 1 of the body is the first commit.
	tm, cmd := m.Update(tea.MouseClickMsg{X: 3, Y: 2, Button: tea.MouseLeft})
	m = run(t, tm.(Model), cmd)
	if m.queue.cursor != 0 || m.focus != focusQueue {
		t.Fatalf("click: cursor %d focus %v", m.queue.cursor, m.focus)
	}
	tm, cmd = m.Update(tea.MouseClickMsg{X: 3, Y: 4, Button: tea.MouseLeft})
	m = run(t, tm.(Model), cmd)
	if m.queue.cursor != 2 {
		t.Fatalf("click on the third row: cursor %d", m.queue.cursor)
	}
}

func TestQueueNeverWritesIntoTheDomain(t *testing.T) {
	r, q := fixture(t)
	before := len(q.Items[0].Records)
	m := New(r, q, "orders")
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = run(t, tm.(Model), m.Init())
	m = press(t, m, "a", "enter")
	if m.queue.items[0].State() != review.Accepted {
		t.Fatal("not accepted")
	}
	if len(q.Items[0].Records) != before || q.Items[0].State() != review.Undecided {
		t.Errorf("the domain's queue was written into")
	}
}

// gatedReviewer holds Decide until released, reading everything it was
// given meanwhile, as a signer waiting for a hardware key's touch would.
type gatedReviewer struct {
	*memReviewer
	gate chan struct{}
	wg   sync.WaitGroup
}

func (g *gatedReviewer) Decide(a *review.Analysis, d review.Decision) (review.Item, ledger.Entry, error) {
	defer g.wg.Done()
	<-g.gate
	n := 0
	for _, items := range d.Ticks {
		n += len(items)
	}
	_ = len(a.Item.Records) + n + len(a.Files)
	return g.memReviewer.Decide(a, d)
}

// TestDecideSharesNothingWithTheEventLoop: ticking and moving on while a
// decision is being signed writes nothing the signer reads (go test -race).
func TestDecideSharesNothingWithTheEventLoop(t *testing.T) {
	mr, m := withChecklists(t, false)
	g := &gatedReviewer{memReviewer: mr, gate: make(chan struct{})}
	m.rev = g
	m = press(t, m, "tab", "x")
	tm, _ := m.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
	m = tm.(Model)
	tm, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	m = tm.(Model)
	g.wg.Add(1)
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	// While the signer waits: tick more, move on, come back.
	m = press(t, m, "j", "x", "j", "x", "J", "K")
	close(g.gate)
	g.wg.Wait()
	var msg tea.Msg
	for msg = range done {
		break
	}
	if bm, ok := msg.(tea.BatchMsg); ok {
		for _, c := range bm {
			if c != nil {
				if dm, ok := c().(decidedMsg); ok {
					msg = dm
				}
			}
		}
	}
	dm, ok := msg.(decidedMsg)
	if !ok {
		t.Fatalf("got %T", msg)
	}
	if got := mr.decisions[0].Ticks; len(got["ai-change"])+len(got["dependency"]) != 1 {
		t.Fatalf("the signer saw ticks made after enter: %v", got)
	}
	tm, _ = m.Update(dm)
	m = tm.(Model)
	if m.queue.items[0].State() != review.Accepted {
		t.Fatal("decision not taken into the queue")
	}
}

func TestResizeFitsEverySize(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}, {160, 40}} {
		_, m := withChecklists(t, false)
		tm, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m = tm.(Model)
		for _, keys := range [][]string{nil, {"c"}, {"z"}, {"w"}, {"?"}} {
			m2 := press(t, m, keys...)
			lines := strings.Split(m2.View().Content, "\n")
			if len(lines) != size[1] {
				t.Errorf("%dx%d %v: %d lines", size[0], size[1], keys, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("%dx%d %v: line %d is %d wide", size[0], size[1], keys, i, w)
				}
			}
		}
	}
}

func TestSideBySide(t *testing.T) {
	_, m := start(t, 200, 60)
	m = press(t, m, "v")
	if !m.diff.sideBySide() {
		t.Fatalf("v at 200 columns: %q", m.status)
	}
	var pair *row
	for i := range m.diff.rows {
		if r := m.diff.rows[i]; r.kind == rowPair && r.line >= 0 && r.right >= 0 && r.line != r.right {
			pair = &m.diff.rows[i]
			break
		}
	}
	if pair == nil {
		t.Fatal("no removed line beside an added one")
	}
	s := screen(m)
	if !strings.Contains(s, "old") || !strings.Contains(s, "new") {
		t.Fatalf("side by side lacks the lines:\n%s", s)
	}
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "old") && strings.Contains(l, "new") {
			goto found
		}
	}
	t.Errorf("old and new are not on one row:\n%s", s)
found:
	m = press(t, m, "v")
	if m.diff.sideBySide() {
		t.Fatal("v again: still side by side")
	}
	_, m = start(t, 100, 30)
	m = press(t, m, "v")
	if m.diff.sideBySide() || !strings.Contains(m.status, "wider screen") {
		t.Fatalf("side by side at 100 columns: %q", m.status)
	}
}

// TestCoverageSideBySideAndWrapped: lines seen side by side or wrapped
// count as seen, like unified ones.
func TestCoverageSideBySideAndWrapped(t *testing.T) {
	r, m := start(t, 200, 80)
	m = press(t, m, "v", "G", "a", "enter")
	if c := r.decisions[0].Coverage; c == nil || c.SurfaceSeen != c.SurfaceHunks || c.HunksSeen != c.Hunks {
		t.Fatalf("side by side, whole diff on screen: coverage %+v", c)
	}
	r, m = longLineFixture(t)
	m = press(t, m, "w", "G", "a", "enter")
	if c := r.decisions[0].Coverage; c == nil || c.SurfaceSeen != 1 {
		t.Fatalf("wrapped: coverage %+v", c)
	}
}

func TestHelpScrollsWhenTallerThanTheScreen(t *testing.T) {
	_, m := start(t, 80, 24)
	m = press(t, m, "?")
	if strings.Contains(screen(m), "read diff") || !strings.Contains(screen(m), "j/k scroll") {
		t.Fatalf("expected a help taller than 80x24:\n%s", screen(m))
	}
	for i := 0; i < 20; i++ {
		m = press(t, m, "j")
	}
	if !m.showHelp || !strings.Contains(screen(m), "read diff") || !strings.Contains(screen(m), "record (signed)") {
		t.Fatalf("j did not scroll help to its end:\n%s", screen(m))
	}
	m = press(t, m, "x")
	if m.showHelp {
		t.Fatal("a key other than j/k did not close help")
	}
}

// TestGuessesMuted: a low-confidence finding is not a mark (no summary
// entry, no hunk to jump to with n) until L marks it; the header counts it.
func TestGuessesMuted(t *testing.T) {
	r, q := fixture(t)
	sha := q.Items[2].Commit.SHA
	r.findings[sha] = []surface.Finding{{Category: "exec", Rule: "js/shell-name", Severity: "medium", Confidence: "low", File: "hook.go", Line: 2, Side: "new", Message: "a name that sounds like a shell"}}
	m := New(r, q, "orders")
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = run(t, tm.(Model), m.Init())
	m = press(t, m, "J", "J")
	s := screen(m)
	if !strings.Contains(s, "1 muted (L)") {
		t.Fatalf("header does not count the muted guess:\n%s", s)
	}
	if strings.Contains(s, "a name that sounds like a shell") || len(m.diff.surfaceRows) != 0 {
		t.Errorf("a guess is marked while muted (%d surface rows)", len(m.diff.surfaceRows))
	}
	if sev := m.queue.severity[sha]; sev != "" {
		t.Errorf("the queue badge shows a guess's severity %q", sev)
	}
	m = press(t, m, "L")
	s = screen(m)
	if !strings.Contains(s, "a name that sounds like a shell") || len(m.diff.surfaceRows) != 1 {
		t.Errorf("L does not mark the guess (%d surface rows):\n%s", len(m.diff.surfaceRows), s)
	}
	if !strings.Contains(s, "marked too") {
		t.Errorf("no status for L")
	}
}
