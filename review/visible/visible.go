// Package visible makes repository text safe for a terminal: the TUI and
// every command print through it, so no commit can move the cursor, set a
// title, reach the clipboard or hide text from the reviewer.
package visible

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// String makes repository text safe to print: control characters (C0, DEL,
// C1) and invalid UTF-8 are shown as visible symbols, and every character
// that draws nothing (Hidden: bidi controls, zero-width and other
// default-ignorable or format characters, tags, variation selectors,
// fillers) as a marker such as <U+200B>, so no commit can move the cursor,
// set a title, reach the clipboard or hide text from the reviewer.
func String(s string) string {
	if isPlain(s) || isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20:
			b.WriteRune(0x2400 + r) // ␀ … ␟, e.g. ESC → ␛
		case r == 0x7f:
			b.WriteRune('␡')
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\u%04x`, r)
		case Hidden(r):
			b.WriteString(Marker(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Marker is how String shows a hidden character: <U+200B>.
func Marker(r rune) string { return fmt.Sprintf("<U+%04X>", r) }

// isPlain is the fast path: printable ASCII needs no work.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// isClean is the second fast path: text with non-ASCII letters (accents,
// CJK, emoji) but nothing String would change is returned as it is.
func isClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r < 0xa0 || Hidden(r) {
			return false
		}
		i += size
	}
	return true
}

const tabWidth = 4

// Line is String for one line of file content: tabs are expanded to
// the next multiple of tabWidth first so columns line up.
func Line(s string) string {
	if strings.IndexByte(s, '\t') < 0 {
		return String(s)
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := tabWidth - col%tabWidth
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return String(b.String())
}

// Lines splits multi-line repository text (a commit message) into
// safe lines.
func Lines(s string) []string {
	s = strings.TrimRight(s, "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Line(l)
	}
	return lines
}

// Text is repository text with its newlines kept and every other control
// character made visible, for plain multi-line output (Markdown included).
func Text(s string) string {
	parts := strings.Split(s, "\n")
	for i, p := range parts {
		parts[i] = String(strings.ReplaceAll(p, "\t", "    "))
	}
	return strings.Join(parts, "\n")
}
