package ui

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/exp/golden"
)

// The golden screens pin layout and colours (the raw styled output, dark
// background) at fixed sizes. Regenerate with: go test ./ui -run TestGolden -update
func TestGoldenScreens(t *testing.T) {
	tests := []struct {
		name string
		w, h int
		keys []string
	}{
		{"80x24", 80, 24, nil},
		{"120x40", 120, 40, nil},
		{"hostile_80x24", 80, 24, []string{"J"}},
		{"comment_80x24", 80, 24, []string{"r"}},
		{"help_100x30", 100, 30, []string{"?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, m := start(t, tt.w, tt.h)
			m = press(t, m, tt.keys...)
			golden.RequireEqual(t, m.View().Content)
		})
	}
}

// TestGoldenChecklistPane pins the checklist pane, rendered with Glamour's
// dark style, at two sizes, with one item ticked.
func TestGoldenChecklistPane(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			_, m := withChecklists(t, false)
			tm, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m = tm.(Model)
			if c := m.checklist.renderCmd(m.md, m.dark); c != nil {
				m.checklist.Rendered(c().(checklistRenderedMsg), m.dark)
			}
			m = press(t, m, "tab", "x")
			golden.RequireEqual(t, m.View().Content)
		})
	}
}

// TestGoldenReviewScreen pins the diff's looks (syntax colours, word
// emphasis, wrap, side by side), the checklist pane collapsed and zoomed,
// and help, at the sizes a reviewer uses.
func TestGoldenReviewScreen(t *testing.T) {
	sized := func(m Model, w, h int) Model {
		tm, cmd := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
		return run(t, tm.(Model), cmd)
	}
	lists := func(t *testing.T, w, h int) Model {
		_, m := withChecklists(t, false)
		m = sized(m, w, h)
		if c := m.checklist.renderCmd(m.md, m.dark); c != nil {
			m.checklist.Rendered(c().(checklistRenderedMsg), m.dark)
		}
		return m
	}
	wordDiff := func(t *testing.T, w, h int) Model {
		r, q := fixture(t)
		r.patches[q.Items[0].Commit.SHA] = "diff --git a/pay.go b/pay.go\nindex 1111111..2222222 100644\n--- a/pay.go\n+++ b/pay.go\n@@ -1,4 +1,4 @@\n package pay\n \n-func fee(total int) int { return total * 3 / 100 }\n+func fee(total int64) int64 { return total * 29 / 1000 }\n // comment\n"
		r.findings[q.Items[0].Commit.SHA] = nil
		m := New(r, q, "orders")
		return sized(run(t, m, m.Init()), w, h)
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, w, h int) Model
		w, h  int
		keys  []string
	}{
		{"highlight_120x40", func(t *testing.T, w, h int) Model { _, m := start(t, w, h); return m }, 120, 40, []string{"n"}},
		{"worddiff_120x40", wordDiff, 120, 40, []string{"G"}},
		{"wrap_80x24", func(t *testing.T, w, h int) Model { _, m := longLineFixture(t); return sized(m, w, h) }, 80, 24, []string{"w", "G"}},
		{"side_200x60", func(t *testing.T, w, h int) Model { _, m := start(t, w, h); return m }, 200, 60, []string{"v"}},
		{"collapsed_80x24", lists, 80, 24, []string{"c"}},
		{"zoomed_80x24", lists, 80, 24, []string{"z", "j"}},
		{"zoomed_200x60", lists, 200, 60, []string{"z"}},
		{"help_80x24", lists, 80, 24, []string{"?"}},
		{"help_200x60", lists, 200, 60, []string{"?"}},
		{"queue_focus_80x24", lists, 80, 24, []string{"tab", "tab"}},
		{"checklist_focus_200x60", lists, 200, 60, []string{"tab", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.setup(t, tt.w, tt.h)
			m = press(t, m, tt.keys...)
			golden.RequireEqual(t, m.View().Content)
		})
	}
}
