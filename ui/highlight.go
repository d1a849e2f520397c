package ui

import (
	"slices"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	tea "charm.land/bubbletea/v2"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/visible"
)

// span is a run of a line's visible text in one syntax colour.
type span struct {
	start, end int32 // byte offsets into the line's visible text
	color      string
}

// lineLook is how one diff line is drawn beyond its kind: its syntax spans
// and, for a line paired with its counterpart (- then +), the byte range
// that changed.
type lineLook struct {
	spans     []span
	emphStart int32 // -1: nothing emphasised
	emphEnd   int32
}

// fileLook is every line's look of one file, by hunk then line.
type fileLook [][]lineLook

// highlightMsg carries the looks of one commit's files, computed off the
// event loop.
type highlightMsg struct {
	sha   string
	dark  bool
	files []fileLook
}

// maxHighlightLine is the longest line tokenised; a minified 50 MB line is
// drawn plain rather than lexed.
const maxHighlightLine = 2000

// highlightCmd lexes every file of a by its name (chroma), and pairs
// removed and added lines for word-level emphasis.
func highlightCmd(a *review.Analysis, dark bool) tea.Cmd {
	sha, files := a.Item.Commit.SHA, a.Files
	return func() tea.Msg {
		style := styles.Get("github")
		if dark {
			style = styles.Get("github-dark")
		}
		out := make([]fileLook, len(files))
		for fi, f := range files {
			out[fi] = lookFile(f, style)
		}
		return highlightMsg{sha: sha, dark: dark, files: out}
	}
}

func lookFile(f diff.File, style *chroma.Style) fileLook {
	var lexer chroma.Lexer
	if !f.Binary {
		lexer = lexers.Match(f.Path())
	}
	if lexer != nil {
		lexer = chroma.Coalesce(lexer)
	}
	look := make(fileLook, len(f.Hunks))
	for hi, h := range f.Hunks {
		ls := make([]lineLook, len(h.Lines))
		texts := make([]string, len(h.Lines))
		for li, l := range h.Lines {
			ls[li].emphStart = -1
			if l.Kind == diff.LineNoNewline {
				continue
			}
			texts[li] = visible.Line(clipBytes(l.Text, maxHighlightLine))
			if lexer != nil && len(l.Text) <= maxHighlightLine {
				ls[li].spans = lexLine(lexer, style, texts[li])
			}
		}
		pairChanges(h.Lines, texts, ls)
		look[hi] = ls
	}
	return look
}

// lexLine tokenises one line on its own: a hunk is a window into a file, so
// a line-at-a-time lexer is wrong only inside multi-line strings and
// comments, and never costs more than the line.
func lexLine(lexer chroma.Lexer, style *chroma.Style, text string) []span {
	it, err := lexer.Tokenise(nil, text)
	if err != nil {
		return nil
	}
	var out []span
	pos := int32(0)
	for tok := it(); tok != chroma.EOF; tok = it() {
		n := int32(len(tok.Value))
		if e := style.Get(tok.Type); e.Colour.IsSet() && n > 0 {
			out = append(out, span{start: pos, end: min(pos+n, int32(len(text))), color: e.Colour.String()})
		}
		pos += n
		if pos >= int32(len(text)) {
			break
		}
	}
	return out
}

// pairChanges marks, for each run of removed lines followed by as many
// added ones, the part of each line that differs from its counterpart
// (common prefix and suffix left plain), as delta does.
func pairChanges(lines []diff.Line, texts []string, ls []lineLook) {
	for i := 0; i < len(lines); {
		if lines[i].Kind != diff.LineDeleted {
			i++
			continue
		}
		d0 := i
		for i < len(lines) && lines[i].Kind == diff.LineDeleted {
			i++
		}
		a0 := i
		for i < len(lines) && lines[i].Kind == diff.LineAdded {
			i++
		}
		if i-a0 != a0-d0 {
			continue
		}
		for k := 0; k < a0-d0; k++ {
			o, n := texts[d0+k], texts[a0+k]
			p := commonPrefix(o, n)
			sfx := commonSuffix(o[p:], n[p:])
			// A line rewritten whole gains nothing from emphasis.
			if p == 0 && sfx == 0 {
				continue
			}
			if len(o)-sfx > p {
				ls[d0+k].emphStart, ls[d0+k].emphEnd = int32(p), int32(len(o)-sfx)
			}
			if len(n)-sfx > p {
				ls[a0+k].emphStart, ls[a0+k].emphEnd = int32(p), int32(len(n)-sfx)
			}
		}
	}
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	// Back to a rune boundary, so emphasis never splits a character.
	for i > 0 && i < len(a) && !isRuneStart(a[i]) {
		i--
	}
	return i
}

func commonSuffix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	for i > 0 && i < len(a) && !isRuneStart(a[len(a)-i]) {
		i--
	}
	return i
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// paint draws a line's visible text with its syntax colours over the base
// style of its kind (the add/remove background), the changed part
// emphasised.
func paint(st *Styles, kind diff.LineKind, text string, look *lineLook) string {
	base, emph := st.Context, st.Context
	switch kind {
	case diff.LineAdded:
		base, emph = st.Added, st.AddedEmph
	case diff.LineDeleted:
		base, emph = st.Deleted, st.DeletedEmph
	}
	if look == nil || (len(look.spans) == 0 && look.emphStart < 0) {
		return base.Render(text)
	}
	cuts := []int32{0, int32(len(text))}
	for _, s := range look.spans {
		cuts = append(cuts, s.start, s.end)
	}
	if look.emphStart >= 0 {
		cuts = append(cuts, look.emphStart, look.emphEnd)
	}
	slices.Sort(cuts)
	var b strings.Builder
	si := 0
	for i := 0; i+1 < len(cuts); i++ {
		from, to := max(cuts[i], 0), min(cuts[i+1], int32(len(text)))
		if from >= to {
			continue
		}
		isEmph := look.emphStart >= 0 && from >= look.emphStart && to <= look.emphEnd
		stl := base
		if isEmph {
			stl = emph
		}
		for si < len(look.spans) && look.spans[si].end <= from {
			si++
		}
		if si < len(look.spans) && look.spans[si].start <= from && look.spans[si].end >= to {
			stl = st.syntax(kind, isEmph, stl, look.spans[si].color)
		}
		b.WriteString(stl.Render(text[from:to]))
	}
	return b.String()
}
