package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/vouch-review/vouch/review/surface"
)

// goPatch is a patch of one Go file adding n lines, with paired -/+ lines
// every tenth line so word emphasis has work to do.
func goPatch(path string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "diff --git a/%s b/%s\nindex 1111111..2222222 100644\n--- a/%s\n+++ b/%s\n", path, path, path, path)
	old, added := 0, 0
	var body strings.Builder
	for i := 0; i < n; i++ {
		if i%10 == 0 {
			fmt.Fprintf(&body, "-\tv%d := compute(%d, \"old\") // the previous value\n", i, i)
			old++
		}
		fmt.Fprintf(&body, "+\tv%d := compute(%d, \"new\") // a value of a very long line that goes past the edge of the screen for sure\n", i, i)
		added++
	}
	fmt.Fprintf(&b, "@@ -1,%d +1,%d @@ func f()\n", old, added)
	b.WriteString(body.String())
	return b.String()
}

func benchModel(b *testing.B, patch string, w, h int) Model {
	r, q := fixture(&testing.T{})
	sha := q.Items[0].Commit.SHA
	r.patches[sha] = patch
	r.findings[sha] = []surface.Finding{{Category: "exec", Rule: "go/exec", Severity: "high", File: "big.go", Line: 5000, Side: "new", Message: "runs a shell"}}
	m := New(r, q, "bench")
	tm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m = tm.(Model)
	msg := m.loadCmd(0)()
	tm, _ = m.Update(msg)
	m = tm.(Model)
	// The highlighting, as the runtime would deliver it.
	tm, _ = m.Update(highlightCmd(m.diff.a, m.dark)())
	m = tm.(Model)
	if m.diff.looks == nil {
		b.Fatal("no highlighting")
	}
	return m
}

// BenchmarkKeypressFrame20k is one key press (Update) and the frame that
// follows (View) on a commit with a 20,000-line diff, highlighted, at 200x60.
func BenchmarkKeypressFrame20k(b *testing.B) {
	m := benchModel(b, goPatch("big.go", 20000), 200, 60)
	keys := []tea.KeyPressMsg{{Code: 'j', Text: "j"}, {Code: tea.KeySpace, Text: " "}, {Code: 'n', Text: "n"}, {Code: 'k', Text: "k"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tm, _ := m.Update(keys[i%len(keys)])
		m = tm.(Model)
		_ = m.View()
	}
}

// BenchmarkWrapToggle20k is w on the same commit: every row is laid out again.
func BenchmarkWrapToggle20k(b *testing.B) {
	m := benchModel(b, goPatch("big.go", 20000), 200, 60)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tm, _ := m.Update(tea.KeyPressMsg{Code: 'w', Text: "w"})
		m = tm.(Model)
		_ = m.View()
	}
}

// BenchmarkFirstFrame1000Files is the arrival of a commit touching 1,000
// files: laying its diff out and drawing the first frame (highlighting
// follows in its own tea.Cmd).
func BenchmarkFirstFrame1000Files(b *testing.B) {
	var p strings.Builder
	for i := 0; i < 1000; i++ {
		p.WriteString(goPatch(fmt.Sprintf("pkg%d/file.go", i), 5))
	}
	r, q := fixture(&testing.T{})
	sha := q.Items[0].Commit.SHA
	r.patches[sha] = p.String()
	a, err := r.Analyse(q.Items[0])
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := New(r, q, "bench")
		tm, _ := m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
		m = tm.(Model)
		tm, _ = m.Update(analysisMsg{sha: sha, a: a})
		m = tm.(Model)
		_ = m.View()
	}
}

// BenchmarkHighlight1000Files is the off-loop work for the same commit.
func BenchmarkHighlight1000Files(b *testing.B) {
	var p strings.Builder
	for i := 0; i < 1000; i++ {
		p.WriteString(goPatch(fmt.Sprintf("pkg%d/file.go", i), 5))
	}
	r, q := fixture(&testing.T{})
	r.patches[q.Items[0].Commit.SHA] = p.String()
	a, _ := r.Analyse(q.Items[0])
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = highlightCmd(a, true)()
	}
}
