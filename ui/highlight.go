package ui

import (
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"

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
// and, for a line paired with its counterpart (- then +), the byte ranges
// of the words that changed.
type lineLook struct {
	spans []span
	emph  []span // color unused
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
		lexer = lexerFor(f.Path())
	}
	look := make(fileLook, len(f.Hunks))
	for hi, h := range f.Hunks {
		ls := make([]lineLook, len(h.Lines))
		texts := make([]string, len(h.Lines))
		var oldSide, newSide []int
		for li, l := range h.Lines {
			if l.Kind == diff.LineNoNewline {
				continue
			}
			texts[li] = visible.Line(clipBytes(l.Text, maxHighlightLine))
			if l.Kind != diff.LineAdded {
				oldSide = append(oldSide, li)
			}
			if l.Kind != diff.LineDeleted {
				newSide = append(newSide, li)
			}
		}
		if lexer != nil {
			// Each side of the hunk is lexed as one run of text, as the
			// file reads there: a string or comment that spans lines is
			// coloured as one. Context lines take the new side's colours.
			lexSide(lexer, style, h.Lines, texts, oldSide, ls)
			lexSide(lexer, style, h.Lines, texts, newSide, ls)
		}
		pairChanges(h.Lines, texts, ls)
		look[hi] = ls
	}
	return look
}

// lexerCache maps a file name's extension (or its whole name when it has
// none: Makefile, Dockerfile) to its lexer: chroma's Match tries every
// lexer's globs, which costs more than lexing a short file.
var lexerCache sync.Map

func lexerFor(path string) chroma.Lexer {
	base := filepath.Base(path)
	key := strings.ToLower(filepath.Ext(base))
	if key == "" || strings.Count(base, ".") > 1 {
		key = base
	}
	if l, ok := lexerCache.Load(key); ok {
		lx, _ := l.(chroma.Lexer)
		return lx
	}
	var lx chroma.Lexer
	if m := lexers.Match(base); m != nil {
		lx = chroma.Coalesce(m)
	}
	lexerCache.Store(key, lx)
	return lx
}

// lexSide tokenises the lines at idx (one side of a hunk) as one text and
// gives each line its spans. A line longer than maxHighlightLine is lexed
// as an empty line and drawn plain, so a minified line costs nothing.
func lexSide(lexer chroma.Lexer, style *chroma.Style, lines []diff.Line, texts []string, idx []int, ls []lineLook) {
	if len(idx) == 0 {
		return
	}
	var b strings.Builder
	for k, li := range idx {
		if k > 0 {
			b.WriteByte('\n')
		}
		if len(lines[li].Text) <= maxHighlightLine {
			b.WriteString(texts[li])
		}
	}
	it, err := lexer.Tokenise(nil, b.String())
	if err != nil {
		return
	}
	k, pos := 0, int32(0) // the line of idx being filled, and the offset in it
	for tok := it(); tok != chroma.EOF && k < len(idx); tok = it() {
		colour := ""
		if e := style.Get(tok.Type); e.Colour.IsSet() {
			colour = e.Colour.String()
		}
		for v := tok.Value; v != "" && k < len(idx); {
			part, rest, nl := strings.Cut(v, "\n")
			li := idx[k]
			if n := int32(len(part)); n > 0 && colour != "" && len(lines[li].Text) <= maxHighlightLine {
				end := min(pos+n, int32(len(texts[li])))
				if pos < end {
					ls[li].spans = append(ls[li].spans, span{start: pos, end: end, color: colour})
				}
			}
			pos += int32(len(part))
			if !nl {
				break
			}
			k, pos, v = k+1, 0, rest
		}
	}
}

// pairChanges marks, for each run of removed lines followed by as many
// added ones, the words of each line that its counterpart does not have
// (a longest common subsequence of words), as delta does.
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
			ls[d0+k].emph, ls[a0+k].emph = wordChanges(texts[d0+k], texts[a0+k])
		}
	}
}

// maxWordTokens bounds the word diff of one pair of lines (its cost is the
// product of their lengths).
const maxWordTokens = 300

// wordChanges is the byte ranges of the words of o not in n and of n not in
// o; none when the lines share too little for emphasis to help.
func wordChanges(o, n string) (oldEmph, newEmph []span) {
	a, b := words(o), words(n)
	if len(a) == 0 || len(b) == 0 || len(a) > maxWordTokens || len(b) > maxWordTokens {
		return nil, nil
	}
	// lcs[i][j] is the common subsequence length of a[i:] and b[j:].
	lcs := make([][]int16, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int16, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			switch {
			case o[a[i].start:a[i].end] == n[b[j].start:b[j].end]:
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	// A line rewritten whole (little in common) gains nothing from emphasis.
	if int(lcs[0][0])*2 < min(len(a), len(b)) {
		return nil, nil
	}
	mark := func(out []span, t span) []span {
		if k := len(out); k > 0 && out[k-1].end == t.start {
			out[k-1].end = t.end
			return out
		}
		return append(out, span{start: t.start, end: t.end})
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && o[a[i].start:a[i].end] == n[b[j].start:b[j].end]:
			i, j = i+1, j+1
		case j >= len(b) || (i < len(a) && lcs[i+1][j] >= lcs[i][j+1]):
			oldEmph = mark(oldEmph, a[i])
			i++
		default:
			newEmph = mark(newEmph, b[j])
			j++
		}
	}
	return oldEmph, newEmph
}

// words splits a line into runs of letters and digits, runs of spaces, and
// single other characters.
func words(s string) []span {
	var out []span
	class := func(r rune) int {
		switch {
		case r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			return 1
		case r == ' ' || r == '\t':
			return 2
		}
		return 0
	}
	start, prev := 0, -1
	for i, r := range s {
		c := class(r)
		if i > start && (c != prev || c == 0) {
			out = append(out, span{start: int32(start), end: int32(i)})
			start = i
		}
		prev = c
	}
	if start < len(s) {
		out = append(out, span{start: int32(start), end: int32(len(s))})
	}
	return out
}

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
	if look == nil || (len(look.spans) == 0 && len(look.emph) == 0) {
		return base.Render(text)
	}
	cuts := []int32{0, int32(len(text))}
	for _, s := range look.spans {
		cuts = append(cuts, s.start, s.end)
	}
	for _, s := range look.emph {
		cuts = append(cuts, s.start, s.end)
	}
	slices.Sort(cuts)
	var b strings.Builder
	si, ei := 0, 0
	for i := 0; i+1 < len(cuts); i++ {
		from, to := max(cuts[i], 0), min(cuts[i+1], int32(len(text)))
		if from >= to {
			continue
		}
		for ei < len(look.emph) && look.emph[ei].end <= from {
			ei++
		}
		isEmph := ei < len(look.emph) && look.emph[ei].start <= from && look.emph[ei].end >= to
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
