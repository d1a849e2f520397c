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
