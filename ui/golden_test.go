package ui

import (
	"testing"

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
