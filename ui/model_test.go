package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/vouch-review/vouch/checklist"
	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/authorship"
	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/repo"
	"github.com/vouch-review/vouch/review/surface"
)

// memReviewer serves analyses parsed from fixed patches and records decisions
// in memory; the real Session is exercised by the end-to-end test.
type memReviewer struct {
	patches   map[string]string
	decisions []review.Decision
	analysed  map[string]int
	failSign  error
	findings  map[string][]surface.Finding
	lists     []checklist.Selected
	complete  bool
	notReady  error
	drafts    *review.Drafts
}

func (r *memReviewer) Ready() error { return r.notReady }

func (r *memReviewer) Drafts() *review.Drafts { return r.drafts }

func (r *memReviewer) RequireComplete() bool { return r.complete }

func (r *memReviewer) Ref() string { return "refs/notes/vouch" }

func (r *memReviewer) Analyse(it review.Item) (*review.Analysis, error) {
	r.analysed[it.Commit.SHA]++
	files, err := diff.Parse([]byte(r.patches[it.Commit.SHA]))
	if err != nil {
		return nil, err
	}
	fs := r.findings[it.Commit.SHA]
	if fs == nil {
		fs = []surface.Finding{}
	}
	return &review.Analysis{Item: it, Files: files, PatchID: "p-" + it.Commit.SHA, Findings: fs, Checklists: r.lists}, nil
}

// Decide takes every record made here as verified; what verifies is the
// Session's business, tested there and end to end.
func (r *memReviewer) Decide(a *review.Analysis, d review.Decision) (review.Item, ledger.Entry, error) {
	if r.failSign != nil {
		return review.Item{}, ledger.Entry{}, r.failSign
	}
	if d.Accept && r.complete {
		if ticked, total := a.Progress(d.Ticks); ticked < total {
			return review.Item{}, ledger.Entry{}, review.ErrChecklistIncomplete
		}
	}
	r.decisions = append(r.decisions, d)
	dec := "reject"
	if d.Accept {
		dec = "accept"
	}
	e := ledger.Entry{Payload: ledger.Payload{Commit: a.Item.Commit.SHA, Decision: dec,
		Time: time.Now().Format(time.RFC3339), Comment: d.Comment,
		Reviewer: ledger.Person{Name: "Rae Viewer", Email: "rae@example.com"}}}
	return a.Item.WithRecord(e, review.RecordCheck{Verified: true, Detail: "good signature"}), e, nil
}

func bigPatch(path string, hunks int) string {
	var b strings.Builder
	b.WriteString("diff --git a/" + path + " b/" + path + "\nindex 1111111..2222222 100644\n--- a/" + path + "\n+++ b/" + path + "\n")
	for h := 0; h < hunks; h++ {
		start := 1 + h*20
		b.WriteString("@@ -" + itoa(start) + ",3 +" + itoa(start) + ",4 @@ func f" + itoa(h) + "()\n")
		b.WriteString(" ctx\n-old\n+new\n+more\n ctx\n")
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

func fixture(t *testing.T) (*memReviewer, *review.Queue) {
	t.Helper()
	mk := func(sha, subject, msg string) review.Item {
		c := repo.Commit{SHA: sha, Tree: "t" + sha, Message: subject + "\n\n" + msg + "\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
			AuthorName: "Dev", AuthorEmail: "dev@example.com", AuthorTime: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
		return review.Item{Commit: c, Evidence: []authorship.Evidence{{Kind: "trailer", Text: "Co-authored-by: Claude <noreply@anthropic.com>", Assistant: "Claude Code"}}}
	}
	shas := []string{strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40)}
	items := []review.Item{
		mk(shas[0], "Add refund route", "Adds POST /orders/{id}/refund."),
		mk(shas[1], "Hostile \x1b]0;pwned\x07 title", "Body with \x1b[2J clear screen."),
		mk(shas[2], "Add webhook", "Shells out."),
	}
	r := &memReviewer{analysed: map[string]int{}, drafts: review.NewDrafts(t.TempDir()), findings: map[string][]surface.Finding{
		shas[0]: {
			{Category: "entry-point", Rule: "go/route", Severity: "medium", File: "main.go", Line: 42, Side: "new", Message: "new route POST /orders/{id}/refund", FirstOfKind: true},
			{Category: "exec", Rule: "go/exec-command", Severity: "high", File: "routes.go", Line: 22, Side: "new", Message: "exec.Command runs sh -c"},
		},
	}, patches: map[string]string{
		shas[0]: bigPatch("main.go", 6) + bigPatch("routes.go", 2),
		shas[1]: bigPatch("evil\x1b[31m.go", 1),
		shas[2]: bigPatch("hook.go", 1),
	}}
	return r, &review.Queue{Range: []string{"main..HEAD"}, Items: items}
}

// run executes a command and feeds the resulting messages back, as the
// Bubble Tea runtime would, skipping terminal queries.
func run(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 100; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := quick(c)
		switch msg := msg.(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		case analysisMsg, decidedMsg, checklistRenderedMsg, readyMsg, draftMsg, savedMsg, highlightMsg, firstParentMsg:
			var next tea.Cmd
			var tm tea.Model
			tm, next = m.Update(msg)
			m = tm.(Model)
			queue = append(queue, next)
		}
	}
	return m
}

// quick runs a command but gives up on timers (the cursor blink): the tests
// only care about commands that do work.
func quick(c tea.Cmd) tea.Msg {
	done := make(chan tea.Msg, 1)
	go func() { done <- c() }()
	select {
	case msg := <-done:
		return msg
	case <-time.After(100 * time.Millisecond):
		return nil
	}
}

func press(t *testing.T, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		case "tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab}
		case "space":
			msg = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		default:
			r := []rune(k)[0]
			msg = tea.KeyPressMsg{Code: r, Text: k}
		}
		tm, cmd := m.Update(msg)
		m = run(t, tm.(Model), cmd)
	}
	return m
}

func start(t *testing.T, w, h int) (*memReviewer, Model) {
	t.Helper()
	r, q := fixture(t)
	m := New(r, q, "orders")
	tm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m = run(t, tm.(Model), m.Init())
	return r, m
}

func screen(m Model) string { return ansi.Strip(m.View().Content) }

func TestFirstScreenAndPrefetch(t *testing.T) {
	r, m := start(t, 120, 40)
	s := screen(m)
	for _, want := range []string{"Queue 1/3", "Add refund route", "Co-authored-by: Claude <noreply@anthropic.com>", "main.go", "@@ -1,3 +1,4 @@", "+new"} {
		if !strings.Contains(s, want) {
			t.Errorf("first screen lacks %q:\n%s", want, s)
		}
	}
	if r.analysed[strings.Repeat("b", 40)] != 1 {
		t.Errorf("next commit was not prepared in the background: %v", r.analysed)
	}
	m = press(t, m, "J")
	if m.diff.a == nil || m.diff.a.Item.Commit.SHA != strings.Repeat("b", 40) {
		t.Fatalf("J did not show the next commit")
	}
	if r.analysed[strings.Repeat("b", 40)] != 1 {
		t.Errorf("J re-read a prepared commit: %v", r.analysed)
	}
	m = press(t, m, "K")
	if m.queue.cursor != 0 {
		t.Fatalf("K: cursor %d", m.queue.cursor)
	}
}

func TestScrollAndNavigation(t *testing.T) {
	tests := []struct {
		name  string
		keys  []string
		check func(t *testing.T, m Model)
	}{
		{"j scrolls", []string{"j", "j"}, func(t *testing.T, m Model) { wantOffset(t, m, 2) }},
		{"down and k", []string{"down", "down", "k"}, func(t *testing.T, m Model) { wantOffset(t, m, 1) }},
		{"G bottom then g top", []string{"G", "g"}, func(t *testing.T, m Model) { wantOffset(t, m, 0) }},
		{"G bottom", []string{"G"}, func(t *testing.T, m Model) { wantOffset(t, m, m.diff.maxOffset()) }},
		{"space pages", []string{"space"}, func(t *testing.T, m Model) { wantOffset(t, m, min(m.diff.height-1, m.diff.maxOffset())) }},
		{"space then b", []string{"space", "b"}, func(t *testing.T, m Model) { wantOffset(t, m, 0) }},
		{"} next hunk", []string{"}"}, func(t *testing.T, m Model) { wantOffset(t, m, m.diff.hunkRows[0]) }},
		{"} } { ", []string{"}", "}", "{"}, func(t *testing.T, m Model) { wantOffset(t, m, m.diff.hunkRows[0]) }},
		{"] next file", []string{"]", "]"}, func(t *testing.T, m Model) { wantOffset(t, m, min(m.diff.fileRows[1], m.diff.maxOffset())) }},
		{"] [ back", []string{"]", "]", "["}, func(t *testing.T, m Model) { wantOffset(t, m, m.diff.fileRows[0]) }},
		{"n without findings", []string{"J", "n"}, func(t *testing.T, m Model) {
			if !strings.Contains(m.status, "no surface-changing hunks") {
				t.Fatalf("status %q", m.status)
			}
		}},
		{"tab focuses queue, j moves commit", []string{"tab", "j"}, func(t *testing.T, m Model) {
			if m.queue.cursor != 1 || m.diff.a == nil || m.diff.a.Item.Commit.SHA != strings.Repeat("b", 40) {
				t.Fatalf("cursor %d", m.queue.cursor)
			}
		}},
		{"help lists keymap", []string{"?"}, func(t *testing.T, m Model) {
			s := screen(m)
			for _, k := range []string{"next surface hunk", "next hunk", "next file", "next commit", "accept", "reject", "switch pane", "tick item"} {
				if !strings.Contains(s, k) {
					t.Errorf("help lacks %q", k)
				}
			}
		}},
		{"help closes on a key", []string{"?", "j"}, func(t *testing.T, m Model) {
			if m.showHelp || m.diff.offset != 0 {
				t.Fatalf("help open %v offset %d", m.showHelp, m.diff.offset)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, m := start(t, 100, 24)
			tt.check(t, press(t, m, tt.keys...))
		})
	}
}

func wantOffset(t *testing.T, m Model, want int) {
	t.Helper()
	if m.diff.offset != want {
		t.Fatalf("offset %d, want %d (rows %d, height %d)", m.diff.offset, want, len(m.diff.rows), m.diff.height)
	}
}

func TestAcceptMovesToNextUndecided(t *testing.T) {
	r, m := start(t, 120, 40)
	m = press(t, m, "a")
	if !m.comment.open || !strings.Contains(screen(m), "Accept aaaaaaaa") {
		t.Fatalf("comment box not open:\n%s", screen(m))
	}
	m = press(t, m, "l", "g", "t", "m", "enter")
	if len(r.decisions) != 1 || !r.decisions[0].Accept || r.decisions[0].Comment != "lgtm" || r.decisions[0].Via != "tui" {
		t.Fatalf("decisions %+v", r.decisions)
	}
	if m.queue.cursor != 1 {
		t.Fatalf("queue did not move on: cursor %d", m.queue.cursor)
	}
	if m.queue.items[0].State() != review.Accepted {
		t.Fatalf("state %v", m.queue.items[0].State())
	}
	if !strings.Contains(screen(m), "accepted aaaaaaaa") {
		t.Fatalf("status missing:\n%s", screen(m))
	}
}

func TestRejectNeedsComment(t *testing.T) {
	r, m := start(t, 120, 40)
	m = press(t, m, "r", "enter")
	if len(r.decisions) != 0 || !m.comment.open || !strings.Contains(m.status, "needs a comment") {
		t.Fatalf("empty reject not refused: %v %v %q", r.decisions, m.comment.open, m.status)
	}
	m = press(t, m, "esc")
	if m.comment.open || len(r.decisions) != 0 {
		t.Fatal("esc did not cancel")
	}
	m = press(t, m, "r", "n", "o", "enter")
	if len(r.decisions) != 1 || r.decisions[0].Accept || m.queue.items[0].State() != review.Rejected {
		t.Fatalf("reject not recorded: %+v", r.decisions)
	}
}

func TestSignFailureKeepsQueue(t *testing.T) {
	r, m := start(t, 120, 40)
	r.failSign = errors.New("no signing key: set git config user.signingKey")
	m = press(t, m, "a", "enter")
	if m.queue.cursor != 0 || m.queue.items[0].State() != review.Undecided {
		t.Fatal("failed signing changed the queue")
	}
	if !strings.Contains(screen(m), "not recorded: no signing key") {
		t.Fatalf("error not shown:\n%s", screen(m))
	}
}

func TestHostileTextIsShownNotExecuted(t *testing.T) {
	_, m := start(t, 120, 40)
	m = press(t, m, "J")
	raw := m.View().Content
	for _, bad := range []string{"\x1b]0;", "\x1b[2J", "\x07", "\x1b[31m.go"} {
		if strings.Contains(raw, bad) {
			t.Errorf("raw %q reached the terminal", bad)
		}
	}
	s := screen(m)
	for _, want := range []string{"␛]0;pwned␇", "␛[2J", "evil␛[31m.go"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks visible %q:\n%s", want, s)
		}
	}
}

func TestResizeFits(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}, {80, 24}} {
		_, m := start(t, size[0], size[1])
		m = press(t, m, "a")
		lines := strings.Split(m.View().Content, "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > size[0] {
				t.Errorf("%dx%d: line %d is %d wide: %q", size[0], size[1], i, w, ansi.Strip(l))
			}
		}
	}
}

func TestMouseWheelScrolls(t *testing.T) {
	_, m := start(t, 120, 30)
	tm, _ := m.Update(tea.MouseWheelMsg{X: 80, Y: 10, Button: tea.MouseWheelDown})
	m = tm.(Model)
	if m.diff.offset != 3 {
		t.Fatalf("offset %d", m.diff.offset)
	}
	tm, cmd := m.Update(tea.MouseWheelMsg{X: 2, Y: 10, Button: tea.MouseWheelDown})
	m = run(t, tm.(Model), cmd)
	if m.queue.cursor != 1 {
		t.Fatalf("wheel over queue: cursor %d", m.queue.cursor)
	}
}

func TestSurfaceHunks(t *testing.T) {
	_, m := start(t, 120, 40)
	s := screen(m)
	for _, r := range m.diff.rows {
		s += "\n" + r.text
	}
	for _, want := range []string{"entry point · exec", "new route POST /orders/{id}/refund · first of its kind here", "exec.Command runs sh -c"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	if len(m.diff.surfaceRows) != 2 {
		t.Fatalf("surface hunks %v", m.diff.surfaceRows)
	}
	m = press(t, m, "n")
	wantOffset(t, m, m.diff.surfaceRows[0])
	if !strings.Contains(m.status, "surface-changing hunk 1/2") {
		t.Errorf("status %q", m.status)
	}
	m = press(t, m, "n")
	wantOffset(t, m, min(m.diff.surfaceRows[1], m.diff.maxOffset()))
	m = press(t, m, "N")
	wantOffset(t, m, m.diff.surfaceRows[0])

	m = press(t, m, "s")
	if !m.diff.surfaceOnly || len(m.diff.hunkRows) != 2 || len(m.diff.fileRows) != 2 {
		t.Fatalf("focus view: %d hunks %d files", len(m.diff.hunkRows), len(m.diff.fileRows))
	}
	if strings.Contains(screen(m), "func f3()") {
		t.Errorf("focus view shows a hunk without findings")
	}
	m = press(t, m, "s")
	if m.diff.surfaceOnly || len(m.diff.hunkRows) != 8 {
		t.Fatalf("whole diff not back: %d hunks", len(m.diff.hunkRows))
	}
}

func TestQueueBadgesFromBackground(t *testing.T) {
	r, m := start(t, 120, 40)
	for _, sha := range []string{strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40)} {
		if _, ok := m.queue.severity[sha]; !ok {
			t.Errorf("%s has no badge", sha[:8])
		}
		if r.analysed[sha] != 1 {
			t.Errorf("%s analysed %d times", sha[:8], r.analysed[sha])
		}
	}
	if m.queue.severity[strings.Repeat("a", 40)] != "high" {
		t.Errorf("badge severity %q", m.queue.severity[strings.Repeat("a", 40)])
	}
}

func withChecklists(t *testing.T, complete bool) (*memReviewer, Model) {
	t.Helper()
	r, q := fixture(t)
	r.complete = complete
	ai := &checklist.Checklist{ID: "ai-change", Title: "AI-authored change", Items: []checklist.Item{
		{Text: "The change fits the architecture", Explanation: "Look at the package it lands in."},
		{Text: "Tests fail without the change"},
	}}
	dep := &checklist.Checklist{ID: "dependency", Title: "New or changed dependency", Items: []checklist.Item{
		{Text: "Version pinned and lockfile updated (ASVS 5.0 V15.2.1)"},
		{Text: "Licence allowed"},
		{Text: "Maintained and widely used"},
	}}
	r.lists = []checklist.Selected{{Checklist: ai, ForAI: true}, {Checklist: dep, Because: r.findings[strings.Repeat("a", 40)][:1]}}
	m := New(r, q, "orders")
	tm, cmd := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = run(t, tm.(Model), tea.Batch(cmd, m.Init()))
	// Glamour's first renderer takes longer than run waits for a command.
	if c := m.checklist.renderCmd(m.md, m.dark); c != nil {
		tm, _ = m.Update(c())
		m = tm.(Model)
	}
	return r, m
}

func TestChecklistTickAndRecord(t *testing.T) {
	r, m := withChecklists(t, false)
	s := screen(m)
	for _, want := range []string{"Checklists 0/5", "AI-authored change · 0/2", "New or changed dependency · 0/3", "for every AI-authored commit"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	m = press(t, m, "x")
	if !strings.Contains(m.status, "tab to the checklist") {
		t.Errorf("x outside the checklist: %q", m.status)
	}
	m = press(t, m, "tab")
	if m.focus != focusChecklist {
		t.Fatalf("focus %v", m.focus)
	}
	m = press(t, m, "x", "j", "j", "x")
	if !strings.Contains(screen(m), "Checklists 2/5") || !strings.Contains(screen(m), "[x]") {
		t.Fatalf("ticks not shown:\n%s", screen(m))
	}
	m = press(t, m, "a", "enter")
	if len(r.decisions) != 1 {
		t.Fatalf("decisions %v", r.decisions)
	}
	got := r.decisions[0].Ticks
	if !got["ai-change"][0] || !got["dependency"][0] || len(got["dependency"]) != 1 || got["ai-change"][1] {
		t.Fatalf("ticks recorded %v", got)
	}
}

func TestChecklistRenderedWithGlamour(t *testing.T) {
	_, m := withChecklists(t, false)
	if m.checklist.blocks == nil || len(m.checklist.blocks["item:ai-change:0"]) == 0 {
		t.Fatalf("items not rendered: %v", m.checklist.blocks)
	}
	if !strings.Contains(screen(m), "Look at the package it lands in.") {
		t.Errorf("explanation not on screen:\n%s", screen(m))
	}
	// A new width renders again, for that width.
	tm, cmd := m.Update(tea.WindowSizeMsg{Width: 90, Height: 30})
	if cmd == nil {
		t.Fatal("a new width asks for no render")
	}
	tm, _ = tm.(Model).Update(m.checklist.renderCmdFor(tm.(Model)))
	m = tm.(Model)
	if m.checklist.blockKey != m.checklist.renderKey(m.dark) {
		t.Errorf("not re-rendered for the new width")
	}
}

// renderCmdFor runs the pane's render command synchronously.
func (c checklistPane) renderCmdFor(m Model) tea.Msg { return m.checklist.renderCmd(m.md, m.dark)() }

func TestRequireCompleteRefusesAccept(t *testing.T) {
	r, m := withChecklists(t, true)
	m = press(t, m, "a")
	if m.comment.open || !strings.Contains(m.status, "0 of 5 ticked") {
		t.Fatalf("accept not refused: commenting %v status %q", m.comment.open, m.status)
	}
	m = press(t, m, "r", "n", "o", "enter")
	if len(r.decisions) != 1 || r.decisions[0].Accept {
		t.Fatalf("a reject must always be possible: %v", r.decisions)
	}
	m = press(t, m, "K", "tab", "x", "j", "x", "j", "x", "j", "x", "j", "x", "a", "enter")
	if len(r.decisions) != 2 || !r.decisions[1].Accept {
		t.Fatalf("complete accept not recorded: %v (status %q)", r.decisions, m.status)
	}
}

func TestBackgroundBadgesStayNearTheCursor(t *testing.T) {
	r, q := fixture(t)
	base := q.Items[2]
	for i := 0; i < 400; i++ {
		it := base
		it.Commit.SHA = fmt.Sprintf("%040d", i)
		r.patches[it.Commit.SHA] = r.patches[base.Commit.SHA]
		q.Items = append(q.Items, it)
	}
	m := New(r, q, "orders")
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = run(t, tm.(Model), m.Init())
	// Follow the chain of background analyses to its end.
	m.cache.bgBusy = false
	cmd := m.backgroundCmd()
	for steps := 0; cmd != nil && steps < 1000; steps++ {
		tm, next := m.Update(cmd())
		m, cmd = tm.(Model), next
	}
	if n := len(m.queue.severity); n > badgeReach+1 || n < badgeReach {
		t.Fatalf("%d commits badged; want those within %d of the cursor", n, badgeReach)
	}
}

// TestAcceptRecordsCoverage: the record says how much of the diff was on
// screen, so verify --require-seen can tell a read from a glance.
func TestAcceptRecordsCoverage(t *testing.T) {
	r, m := start(t, 120, 24)
	m = press(t, m, "a", "enter")
	c := r.decisions[0].Coverage
	if c == nil || c.Hunks != 8 || c.SurfaceHunks != 2 || c.HunksSeen >= c.Hunks || c.SurfaceSeen == c.SurfaceHunks {
		t.Fatalf("accept at first sight: coverage %+v", c)
	}

	r, m = start(t, 120, 24)
	m = press(t, m, "n", "n")
	m = press(t, m, "a", "enter")
	if c := r.decisions[0].Coverage; c == nil || c.SurfaceSeen != 2 || c.SurfaceHunks != 2 {
		t.Fatalf("after n n: coverage %+v", c)
	}
}

// mergeReviewer is memReviewer for a session that can also diff a merge
// against its first parent.
type mergeReviewer struct{ *memReviewer }

func (r mergeReviewer) AnalyseFirstParent(it review.Item) (*review.Analysis, error) {
	files, err := diff.Parse([]byte(bigPatch("brought.go", 3)))
	if err != nil {
		return nil, err
	}
	return &review.Analysis{Item: it, Files: files, Findings: []surface.Finding{}}, nil
}

// TestMergeViewKey: on a merge, m switches between the merge's own changes
// and its first-parent diff, and back; on other commits it does nothing.
func TestMergeViewKey(t *testing.T) {
	r, q := fixture(t)
	q.Items[0].Commit.Parents = []string{strings.Repeat("1", 40), strings.Repeat("2", 40)}
	m := New(mergeReviewer{r}, q, "orders")
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = run(t, tm.(Model), m.Init())
	if strings.Contains(screen(m), "brought.go") {
		t.Fatalf("first-parent diff shown before m:\n%s", screen(m))
	}
	m = press(t, m, "m")
	if !strings.Contains(screen(m), "brought.go") || !strings.Contains(m.status, "first parent") {
		t.Fatalf("m did not show the first-parent diff (status %q):\n%s", m.status, screen(m))
	}
	m = press(t, m, "m")
	if strings.Contains(screen(m), "brought.go") || !strings.Contains(screen(m), "main.go") {
		t.Fatalf("second m did not go back:\n%s", screen(m))
	}
	m = press(t, m, "J", "m")
	if strings.Contains(screen(m), "brought.go") {
		t.Fatalf("m on a commit that is not a merge switched views")
	}
}

// TestMovedCodeShownAsMoved: a function moved to another file is dimmed on
// both sides and says where it went and where it came from.
func TestMovedCodeShownAsMoved(t *testing.T) {
	r, q := fixture(t)
	r.patches[q.Items[0].Commit.SHA] = "diff --git a/a.go b/a.go\nindex 1111111..2222222 100644\n--- a/a.go\n+++ b/a.go\n@@ -1,6 +1,2 @@\n package a\n-\n-func Helper(x int) int {\n-\treturn x * 2 + offset\n-}\n-}\n+// Helper moved to b.go.\n" +
		"diff --git a/b.go b/b.go\nindex 3333333..4444444 100644\n--- a/b.go\n+++ b/b.go\n@@ -1,2 +1,6 @@\n package a\n-var y = 1\n+var y = 2\n+\n+func Helper(x int) int {\n+\treturn x * 2 + offset\n+}\n"
	m := New(r, q, "orders")
	tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = run(t, tm.(Model), m.Init())
	s := screen(m)
	for _, want := range []string{"⇢ moved to b.go:4", "⇠ moved from a.go:3"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "var y = 2  ⇠") {
		t.Errorf("a rewritten line is shown as moved:\n%s", s)
	}
}
