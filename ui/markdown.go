package ui

import (
	"html"
	"os"
	"regexp"
	"strings"
	"sync"

	"github.com/vouch-review/vouch/review/visible"

	"charm.land/glamour/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
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
// leading and trailing blank lines. md is repository text: it goes in through
// safeMarkdown and comes out through keepSGR, so the result holds no escape
// sequence but SGR colours, no hyperlink and no invisible character.
func (m *markdown) Render(md string, width int, dark bool) ([]string, error) {
	lr, err := m.renderer(max(10, width), dark)
	if err != nil {
		return nil, err
	}
	lr.mu.Lock()
	out, err := lr.r.Render(safeMarkdown(md))
	lr.mu.Unlock()
	if err != nil {
		return nil, err
	}
	out = keepSGR(out)
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

// charRef matches an HTML character reference as CommonMark reads one.
var charRef = regexp.MustCompile(`&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// safeMarkdown makes repository Markdown visible before Glamour parses it.
// Raw control and invisible characters become symbols and markers
// (visible.Text), and so does a character reference that would decode to one
// (&#27; is an ESC to goldmark, &#x202E; a bidi override, &ZeroWidthSpace; a
// U+200B), so that no byte of Glamour's output that came from the repository
// can start an escape sequence or hide. Other references (&amp;) are kept.
func safeMarkdown(md string) string {
	md = visible.Text(md)
	if strings.IndexByte(md, '&') < 0 {
		return md
	}
	return charRef.ReplaceAllStringFunc(md, func(ref string) string {
		dec := html.UnescapeString(ref)
		if v := visible.String(dec); v != dec {
			return v
		}
		return ref
	})
}

// keepSGR is Glamour's output with every escape sequence dropped except SGR
// (colour and weight), which Glamour writes itself; this removes the OSC 8
// hyperlinks Glamour makes of links, autolinks and images, whose text and
// URL stay as plain text. Anything else that is not plain text is made
// visible, a second guard behind safeMarkdown.
func keepSGR(out string) string {
	var b strings.Builder
	b.Grow(len(out))
	for len(out) > 0 {
		i := strings.IndexByte(out, '\x1b')
		if i < 0 {
			i = len(out)
		}
		if i > 0 {
			b.WriteString(visible.Text(out[:i]))
			out = out[i:]
			continue
		}
		seq, _, n, _ := ansi.DecodeSequence(out, ansi.NormalState, nil)
		if n <= 0 {
			n = 1
		}
		if n == len(seq) && isSGR(seq) {
			b.WriteString(seq)
		}
		out = out[n:]
	}
	return b.String()
}

// isSGR reports whether seq is exactly one CSI … m sequence with numeric
// parameters.
func isSGR(seq string) bool {
	if len(seq) < 3 || !strings.HasPrefix(seq, "\x1b[") || seq[len(seq)-1] != 'm' {
		return false
	}
	for i := 2; i < len(seq)-1; i++ {
		if c := seq[i]; (c < '0' || c > '9') && c != ';' && c != ':' {
			return false
		}
	}
	return true
}

// inlineMarkdown draws one line of Markdown (a checklist item's text) with
// its inline marks: `code` in the evidence colour, **strong** in bold,
// [text](url) as its text. Everything else, unmatched marks included, is
// drawn as written in base. s is already terminal-safe (visible.String).
func inlineMarkdown(s string, base, code lipgloss.Style) string {
	var b strings.Builder
	plain := func(t string) {
		if t != "" {
			b.WriteString(base.Render(t))
		}
	}
	for s != "" {
		i := strings.IndexAny(s, "`*[")
		if i < 0 {
			plain(s)
			break
		}
		plain(s[:i])
		s = s[i:]
		switch {
		case s[0] == '`':
			if j := strings.IndexByte(s[1:], '`'); j > 0 {
				b.WriteString(code.Render(s[1 : 1+j]))
				s = s[2+j:]
				continue
			}
		case strings.HasPrefix(s, "**"):
			if j := strings.Index(s[2:], "**"); j > 0 {
				b.WriteString(base.Bold(true).Render(s[2 : 2+j]))
				s = s[4+j:]
				continue
			}
		case s[0] == '[':
			if j := strings.Index(s, "]("); j > 1 {
				if k := strings.IndexByte(s[j:], ')'); k > 0 {
					plain(s[1:j])
					s = s[j+k+1:]
					continue
				}
			}
		}
		plain(s[:1])
		s = s[1:]
	}
	return b.String()
}
