package ui

import (
	"os"
	"strings"
	"sync"

	"github.com/vouch-review/vouch/review/visible"

	"charm.land/glamour/v2"
	"charm.land/lipgloss/v2"
)

// markdown renders Markdown with Glamour. A TermRenderer is not safe to use
// from two goroutines at once, so there is one per (width, background), each
// behind its own lock, and rendering happens in tea.Cmds, off the event loop.
type markdown struct {
	mu        sync.Mutex
	renderers map[mdKey]*lockedRenderer
}

type mdKey struct {
	width int
	dark  bool
}

type lockedRenderer struct {
	mu sync.Mutex
	r  *glamour.TermRenderer
}

func newMarkdown() *markdown { return &markdown{renderers: map[mdKey]*lockedRenderer{}} }

func (m *markdown) renderer(width int, dark bool) (*lockedRenderer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mdKey{width, dark}
	if lr := m.renderers[k]; lr != nil {
		return lr, nil
	}
	style := "light"
	if dark {
		style = "dark"
	}
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(width))
	if err != nil {
		return nil, err
	}
	lr := &lockedRenderer{r: r}
	m.renderers[k] = lr
	return lr, nil
}

// Render returns the lines of md rendered at width, without Glamour's
// leading and trailing blank lines. Repository text inside md is made
// visible first: Glamour passes control characters through.
func (m *markdown) Render(md string, width int, dark bool) ([]string, error) {
	lr, err := m.renderer(max(10, width), dark)
	if err != nil {
		return nil, err
	}
	lr.mu.Lock()
	out, err := lr.r.Render(visible.Text(md))
	lr.mu.Unlock()
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for len(lines) > 0 && strings.TrimSpace(stripANSI(lines[0])) == "" {
		lines = lines[1:]
	}
	return lines, nil
}

// RenderMarkdown renders Markdown for the terminal, outside the TUI.
func RenderMarkdown(md string, width int) (string, error) {
	lines, err := newMarkdown().Render(md, width, lipgloss.HasDarkBackground(os.Stdin, os.Stdout))
	if err != nil {
		return "", err
	}
	return strings.Join(lines, "\n") + "\n", nil
}
