package ui

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vouch-review/vouch/review/visible"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/surface"
)

type rowKind uint8

const (
	rowText rowKind = iota
	rowFile
	rowHunk
	rowLine
	rowFinding
	rowPair // side by side: an old line (line) beside a new one (right); -1 for none
)

type textStyle uint8

const (
	tsPlain textStyle = iota
	tsSubject
	tsLabel
	tsEvidence
	tsDim
	tsAccepted
	tsRejected
	tsError
)

// row is one line of the diff pane's content. Diff lines point into the
// analysis instead of copying text, so a huge commit costs one small struct
// per line and only visible rows are rendered.
type row struct {
	kind  rowKind
	style textStyle
	text  string // rowText, rowFinding: already made visible
	file  int32
	hunk  int32
	line  int32
	sev   string // rowFinding, and surface hunks: the highest severity
	hot   string // rowLine: severity of a finding that points at this very line
	part  int32  // rowLine when wrapping: which screen row of the line; rowFinding: continuation
	right int32  // rowPair: the new side's line, -1 for none
}

// diffPane shows the current commit: header, message, evidence, decisions
// and its diff.
type diffPane struct {
	keys   DiffKeyMap
	a      *review.Analysis
	rows   []row
	offset int
	width  int
	height int // content rows, below the pane's fixed header

	fileRows    []int // row index of each file header
	hunkRows    []int // row index of each hunk header
	surfaceRows []int // row index of each surface-changing hunk header
	surfaceHunk map[[2]int32]string
	surfaceOnly bool   // the focus view: only surface-changing hunks
	guesses     bool   // low-confidence findings are marked too (L)
	markSev     string // the highest severity among the marks
	// moves pairs deleted and added lines that are the same code moved,
	// computed once per analysis.
	moves    map[diff.LineRef]diff.LineRef
	movesFor *review.Analysis
	summary  string

	wrap    bool       // long lines wrap instead of being scrolled
	hscroll int        // cells scrolled right when not wrapping
	looks   []fileLook // syntax and word emphasis of d.a's files, when computed
	widest  int        // the widest diff line in cells, measured on the first →; -1 not yet
	side    bool       // side by side asked for; shown when the pane is wide enough
}

// sideMinWidth is the narrowest pane that shows side by side: a 160-column
// terminal less the queue.
const sideMinWidth = 118

func (d *diffPane) sideBySide() bool { return d.side && d.width >= sideMinWidth }

const diffHeaderRows = 3 // title, author line, rule

func newDiffPane(keys DiffKeyMap) diffPane { return diffPane{keys: keys} }

// SetSize sets the pane's outer size.
func (d *diffPane) SetSize(w, h int) {
	d.width = w
	d.height = max(1, h-diffHeaderRows)
	if d.a != nil {
		d.build()
	}
	d.clamp()
}

// SetAnalysis shows another commit (or the same one with new decisions).
func (d *diffPane) SetAnalysis(a *review.Analysis, keepOffset bool) {
	d.a = a
	if !keepOffset {
		d.offset = 0
	}
	d.build()
	d.clamp()
}

// measure is the width of the widest diff line (up to maxWrapBytes of it).
func (d *diffPane) measure() int {
	w := 0
	for _, f := range d.a.Files {
		for _, h := range f.Hunks {
			for _, l := range h.Lines {
				if len(l.Text) > w { // a line is never narrower in cells than in bytes/4
					w = max(w, ansi.StringWidth(visible.Line(clipBytes(l.Text, maxWrapBytes))))
				}
			}
		}
	}
	return w
}

func (d *diffPane) build() {
	a := d.a
	if d.movesFor != a {
		d.moves, d.movesFor = diff.Moves(a.Files), a
	}
	d.widest = -1
	d.rows = d.rows[:0]
	d.fileRows, d.hunkRows, d.surfaceRows = d.fileRows[:0], d.hunkRows[:0], d.surfaceRows[:0]
	text := func(st textStyle, s string) { d.rows = append(d.rows, row{kind: rowText, style: st, text: s}) }
	wrap := max(20, d.width-2)

	for _, l := range visible.Lines(a.Item.Commit.Message) {
		for _, w := range strings.Split(ansi.Wrap(l, wrap, ""), "\n") {
			text(tsPlain, w)
		}
	}
	text(tsPlain, "")
	if len(a.Item.Evidence) > 0 {
		text(tsLabel, "AI evidence")
		for _, e := range a.Item.Evidence {
			text(tsEvidence, fmt.Sprintf("  %-9s %s  → %s", e.Kind, visible.String(e.Text), visible.String(e.Assistant)))
		}
	} else {
		text(tsLabel, "No AI marker matched (queued by --all)")
	}
	if len(a.Item.Records) > 0 {
		text(tsPlain, "")
		text(tsLabel, "Decisions in notes")
		for i, e := range a.Item.Records {
			if e.Err != nil {
				text(tsError, fmt.Sprintf("  note line %d unreadable: %s", e.Line, visible.String(e.Err.Error())))
				continue
			}
			p := e.Payload
			st := tsAccepted
			verb := "accepted"
			if p.Decision != "accept" {
				st, verb = tsRejected, "rejected"
			}
			// A record that does not verify decides nothing and says so.
			if i >= len(a.Item.Checks) || !a.Item.Checks[i].Verified {
				st, verb = tsError, "unverified "+p.Decision
			}
			line := fmt.Sprintf("  %s by %s <%s> %s", verb, visible.String(p.Reviewer.Name), visible.String(p.Reviewer.Email), visible.String(p.Time))
			if p.Comment != "" {
				line += ": " + visible.String(p.Comment)
			}
			text(st, line)
			if i < len(a.Item.Checks) && !a.Item.Checks[i].Verified {
				text(tsDim, "    "+visible.String(a.Item.Checks[i].Detail))
			}
		}
	}
	if a.Item.State() == review.Undecided && len(a.CarriedOver) > 0 {
		text(tsPlain, "")
		text(tsLabel, "Same patch reviewed before (a rebase or cherry-pick)")
		for _, c := range a.CarriedOver {
			p := c.Entry.Payload
			verb := p.Decision + "ed"
			if !c.Check.Verified {
				verb = "unverified " + p.Decision
			}
			text(tsEvidence, fmt.Sprintf("  %s as %s by %s <%s> %s", verb, shortSHA(p.Commit), visible.String(p.Reviewer.Name), visible.String(p.Reviewer.Email), visible.String(p.Time)))
			switch {
			case !c.Check.Verified:
				text(tsDim, "    "+visible.String(c.Check.Detail)+" (not offered for re-signing)")
			case p.Decision == "accept":
				text(tsDim, "    signature verified ("+visible.String(c.Check.Detail)+"); R re-signs that accept for this commit")
			}
		}
	}
	text(tsPlain, "")

	marks := d.marks()
	d.surfaceHunk = surfaceHunks(a.Files, marks)
	d.summary = surface.Summary(marks)
	d.markSev = surface.MaxSeverity(marks)
	if n := len(a.Findings) - len(marks); n > 0 {
		guesses := fmt.Sprintf("%d muted (L)", n)
		if d.summary == "" {
			d.summary = guesses
		} else {
			d.summary += " · " + guesses
		}
	}
	if d.surfaceOnly {
		text(tsLabel, "Focus view: only surface-changing hunks (s shows everything)")
		if len(d.surfaceHunk) == 0 {
			text(tsDim, "  no surface-changing hunks in this commit")
		}
		for _, fd := range unplacedFindings(a.Files, marks) {
			d.addFinding(fd)
		}
	}
	added, deleted := 0, 0
	for _, f := range a.Files {
		ad, de := f.Stats()
		added += ad
		deleted += de
	}
	text(tsDim, fmt.Sprintf("%d file%s changed, +%d −%d", len(a.Files), plural(len(a.Files)), added, deleted))
	for fi, f := range a.Files {
		if d.surfaceOnly && !d.fileHasSurface(fi) {
			continue
		}
		d.fileRows = append(d.fileRows, len(d.rows))
		d.rows = append(d.rows, row{kind: rowFile, file: int32(fi)})
		if f.Binary {
			text(tsDim, "  binary file: contents not shown")
		} else if len(f.Hunks) == 0 && !f.ModeChanged() && f.Status != diff.StatusRenamed && f.Status != diff.StatusCopied {
			text(tsDim, "  empty file")
		}
		for hi, h := range f.Hunks {
			key := [2]int32{int32(fi), int32(hi)}
			sev, surf := d.surfaceHunk[key]
			if d.surfaceOnly && !surf {
				continue
			}
			d.hunkRows = append(d.hunkRows, len(d.rows))
			if surf {
				d.surfaceRows = append(d.surfaceRows, len(d.rows))
			}
			d.rows = append(d.rows, row{kind: rowHunk, file: int32(fi), hunk: int32(hi), sev: sev})
			var here []surface.Finding
			if surf {
				here = findingsIn(f, h, marks)
				for _, fd := range here {
					d.addFinding(fd)
				}
			}
			if d.sideBySide() {
				d.addPairs(int32(fi), int32(hi), h, sev, here)
				continue
			}
			bw := d.bodyWidth()
			for li, l := range h.Lines {
				r := row{kind: rowLine, file: int32(fi), hunk: int32(hi), line: int32(li), sev: sev, hot: hotSeverity(l, here)}
				d.rows = append(d.rows, r)
				if d.wrap && len(l.Text) >= bw {
					// Only lines that may be long are measured.
					w := ansi.StringWidth(visible.Line(clipBytes(l.Text, maxWrapBytes))) + 1
					for p := 1; p*bw < w; p++ {
						r.part = int32(p)
						d.rows = append(d.rows, r)
					}
				}
			}
		}
	}
	if len(a.Files) == 0 {
		if len(a.Item.Commit.Parents) > 1 {
			text(tsDim, "  the merge itself changed nothing (a clean merge); m shows its diff against the first parent")
		} else {
			text(tsDim, "  no changes against the first parent")
		}
	}
}

// addPairs lays a hunk out side by side: context on both sides, each run
// of removed lines beside the added lines that follow it.
func (d *diffPane) addPairs(fi, hi int32, h diff.Hunk, sev string, here []surface.Finding) {
	add := func(l, r int32) {
		hot := ""
		if l >= 0 {
			hot = hotSeverity(h.Lines[l], here)
		}
		if r >= 0 {
			if hr := hotSeverity(h.Lines[r], here); surface.SeverityRank(hr) > surface.SeverityRank(hot) {
				hot = hr
			}
		}
		d.rows = append(d.rows, row{kind: rowPair, file: fi, hunk: hi, line: l, right: r, sev: sev, hot: hot})
	}
	lines := h.Lines
	for i := 0; i < len(lines); {
		switch lines[i].Kind {
		case diff.LineDeleted, diff.LineAdded:
			d0 := i
			for i < len(lines) && lines[i].Kind == diff.LineDeleted {
				i++
			}
			a0 := i
			for i < len(lines) && lines[i].Kind == diff.LineAdded {
				i++
			}
			nd, na := a0-d0, i-a0
			for k := 0; k < max(nd, na); k++ {
				l, r := int32(-1), int32(-1)
				if k < nd {
					l = int32(d0 + k)
				}
				if k < na {
					r = int32(a0 + k)
				}
				add(l, r)
			}
		case diff.LineNoNewline:
			i++
		default:
			add(int32(i), int32(i))
			i++
		}
	}
}

// maxWrapBytes bounds how much of one line is wrapped: a minified 50 MB
// line shows its first screens, not a million rows.
const maxWrapBytes = 64 << 10

// findingTag is the width of "  ⚑ high     " before a finding's message.
const findingTag = 13

// addFinding puts a finding's message under its hunk header, wrapped: a
// finding is never cut.
func (d *diffPane) addFinding(fd surface.Finding) {
	w := max(10, d.width-findingTag)
	for i, l := range strings.Split(ansi.Wrap(findingText(fd), w, " "), "\n") {
		d.rows = append(d.rows, row{kind: rowFinding, sev: fd.Severity, text: l, part: int32(i)})
	}
}

func (d *diffPane) bodyWidth() int { return max(1, d.width-gutterWidth) }

// hotSeverity is the highest severity of the findings that point at line l.
func hotSeverity(l diff.Line, findings []surface.Finding) string {
	best := ""
	for _, fd := range findings {
		n := l.NewNo
		if fd.Side == surface.SideOld {
			n = l.OldNo
		}
		end := max(fd.EndLine, fd.Line)
		if n != 0 && n >= fd.Line && n <= end && surface.SeverityRank(fd.Severity) > surface.SeverityRank(best) {
			best = fd.Severity
		}
	}
	return best
}

// onScreen calls fn for each diff line the pane shows now.
func (d *diffPane) onScreen(fn func(file, hunk, line int32)) {
	end := min(len(d.rows), d.offset+d.height)
	for i := d.offset; i < end; i++ {
		switch r := d.rows[i]; r.kind {
		case rowLine:
			fn(r.file, r.hunk, r.line)
		case rowPair:
			if r.line >= 0 {
				fn(r.file, r.hunk, r.line)
			}
			if r.right >= 0 && r.right != r.line {
				fn(r.file, r.hunk, r.right)
			}
		}
	}
}

func (d *diffPane) fileHasSurface(fi int) bool {
	for k := range d.surfaceHunk {
		if k[0] == int32(fi) {
			return true
		}
	}
	return false
}

// findingText is a finding's one-line explanation beside its hunk.
func findingText(fd surface.Finding) string {
	s := fd.Category + ": " + fd.Message
	if fd.FirstOfKind {
		s += " · first of its kind here"
	}
	return visible.String(s)
}

// marks are the findings the diff marks: all of them with L, else all but
// the guesses (see marked).
func (d *diffPane) marks() []surface.Finding {
	if d.guesses {
		return d.a.Findings
	}
	return marked(d.a.Findings)
}

// marked drops the muted findings (surface.Muted): guesses (low
// confidence: a name, a pattern nothing resolved) and low-severity notes
// (routine dependency changes, plain new flags), unless critical. They
// are counted in the diff's header and L
// shows them; what the screen marks, the queue's badge and the coverage a
// decision records are about the rest, so a reviewer is not trained to
// skip marks.
func marked(findings []surface.Finding) []surface.Finding {
	out := make([]surface.Finding, 0, len(findings))
	for _, f := range findings {
		if !surface.Muted(f) {
			out = append(out, f)
		}
	}
	return out
}

// unplacedFindings point at no hunk of the diff (a file-level finding such as
// a new build.rs); the focus view lists them on their own.
func unplacedFindings(files []diff.File, findings []surface.Finding) []surface.Finding {
	var out []surface.Finding
	for _, fd := range findings {
		placed := false
		for _, f := range files {
			for _, h := range f.Hunks {
				if len(findingsIn(f, h, []surface.Finding{fd})) > 0 {
					placed = true
				}
			}
		}
		if !placed {
			out = append(out, fd)
		}
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

var severityOrder = map[string]int{"low": 1, "medium": 2, "high": 3, "critical": 4}

// surfaceHunks maps each hunk that a finding points into to the highest
// severity found there.
func surfaceHunks(files []diff.File, findings []surface.Finding) map[[2]int32]string {
	out := map[[2]int32]string{}
	for fi, f := range files {
		for hi, h := range f.Hunks {
			for _, fd := range findingsIn(f, h, findings) {
				k := [2]int32{int32(fi), int32(hi)}
				if severityOrder[fd.Severity] >= severityOrder[out[k]] {
					out[k] = fd.Severity
				}
			}
		}
	}
	return out
}

func findingsIn(f diff.File, h diff.Hunk, findings []surface.Finding) []surface.Finding {
	var out []surface.Finding
	for _, fd := range findings {
		start, n := h.NewStart, h.NewLines
		path := f.NewPath
		if fd.Side == "old" {
			start, n, path = h.OldStart, h.OldLines, f.OldPath
		}
		if fd.File != path {
			continue
		}
		end := fd.EndLine
		if end < fd.Line {
			end = fd.Line
		}
		if fd.Line <= start+max(n, 1)-1 && end >= start {
			out = append(out, fd)
		}
	}
	return out
}

func (d *diffPane) maxOffset() int { return max(0, len(d.rows)-d.height) }

func (d *diffPane) clamp() {
	d.offset = min(max(d.offset, 0), d.maxOffset())
}

func (d *diffPane) scroll(n int) {
	d.offset += n
	d.clamp()
}

// jump moves to the next (dir > 0) or previous target row; it reports
// whether there was one.
func (d *diffPane) jump(targets []int, dir int) bool {
	if dir > 0 {
		for _, r := range targets {
			if r > d.offset {
				if r > d.maxOffset() && d.offset == d.maxOffset() {
					return false
				}
				d.offset = r
				d.clamp()
				return true
			}
		}
		return false
	}
	for i := len(targets) - 1; i >= 0; i-- {
		if targets[i] < d.offset {
			d.offset = targets[i]
			d.clamp()
			return true
		}
	}
	return false
}

// Update handles the diff keys; the returned string is a status message.
func (d diffPane) Update(msg tea.Msg) (diffPane, string) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || d.a == nil {
		return d, ""
	}
	half := max(1, d.height/2)
	switch {
	case key.Matches(k, d.keys.Down):
		d.scroll(1)
	case key.Matches(k, d.keys.Up):
		d.scroll(-1)
	case key.Matches(k, d.keys.PageDown):
		d.scroll(max(1, d.height-1))
	case key.Matches(k, d.keys.PageUp):
		d.scroll(-max(1, d.height-1))
	case key.Matches(k, d.keys.HalfDown):
		d.scroll(half)
	case key.Matches(k, d.keys.HalfUp):
		d.scroll(-half)
	case key.Matches(k, d.keys.SurfaceOnly):
		d.surfaceOnly = !d.surfaceOnly
		d.offset = 0
		d.build()
		d.clamp()
		if d.surfaceOnly {
			return d, fmt.Sprintf("focus view: %d surface-changing hunk%s (s shows everything)", len(d.surfaceRows), plural(len(d.surfaceRows)))
		}
		return d, "showing the whole diff"
	case key.Matches(k, d.keys.Guesses):
		d.guesses = !d.guesses
		top := d.rowKey(d.offset)
		d.build()
		d.offset = d.findRow(top)
		d.clamp()
		if n := len(d.a.Findings) - len(marked(d.a.Findings)); d.guesses {
			return d, fmt.Sprintf("%d muted finding%s marked too: guesses and low-severity notes (L mutes them)", n, plural(n))
		}
		return d, "guesses and low-severity notes muted (L marks them)"
	case key.Matches(k, d.keys.Wrap):
		d.wrap = !d.wrap
		d.hscroll = 0
		top := d.rowKey(d.offset)
		d.build()
		d.offset = d.findRow(top)
		d.clamp()
		if d.wrap {
			return d, "long lines wrap (w scrolls them instead)"
		}
		return d, "long lines scroll with ←/→ (w wraps them)"
	case key.Matches(k, d.keys.SideBySide):
		if d.width < sideMinWidth && !d.side {
			return d, fmt.Sprintf("side by side needs a wider screen (%d columns for the diff, %d here)", sideMinWidth, d.width)
		}
		d.side = !d.side
		top := d.rowKey(d.offset)
		d.build()
		d.offset = d.findRow(top)
		d.clamp()
		if d.sideBySide() {
			return d, "side by side (v: unified)"
		}
		return d, "unified diff"
	case key.Matches(k, d.keys.Left):
		if d.wrap {
			return d, "lines are wrapped: w turns wrapping off to scroll"
		}
		d.hscroll = max(0, d.hscroll-max(4, d.bodyWidth()/4))
	case key.Matches(k, d.keys.Right):
		if d.wrap {
			return d, "lines are wrapped: w turns wrapping off to scroll"
		}
		if d.widest < 0 {
			d.widest = d.measure()
		}
		d.hscroll = min(d.hscroll+max(4, d.bodyWidth()/4), max(0, d.widest+1-d.bodyWidth()))
	case key.Matches(k, d.keys.Top):
		d.offset = 0
	case key.Matches(k, d.keys.Bottom):
		d.offset = d.maxOffset()
	case key.Matches(k, d.keys.NextSurface), key.Matches(k, d.keys.PrevSurface):
		if len(d.surfaceRows) == 0 {
			return d, "no surface-changing hunks in this commit"
		}
		dir := 1
		if key.Matches(k, d.keys.PrevSurface) {
			dir = -1
		}
		if !d.jump(d.surfaceRows, dir) {
			return d, edgeMessage("surface-changing hunk", dir)
		}
		return d, fmt.Sprintf("surface-changing hunk %d/%d", d.indexAt(d.surfaceRows)+1, len(d.surfaceRows))
	case key.Matches(k, d.keys.NextHunk):
		if !d.jump(d.hunkRows, 1) {
			return d, edgeMessage("hunk", 1)
		}
	case key.Matches(k, d.keys.PrevHunk):
		if !d.jump(d.hunkRows, -1) {
			return d, edgeMessage("hunk", -1)
		}
	case key.Matches(k, d.keys.NextFile):
		if !d.jump(d.fileRows, 1) {
			return d, edgeMessage("file", 1)
		}
	case key.Matches(k, d.keys.PrevFile):
		if !d.jump(d.fileRows, -1) {
			return d, edgeMessage("file", -1)
		}
	}
	return d, ""
}

// rowKey names the row at i by what it shows, so the offset survives a
// rebuild that changes how many rows each line takes.
func (d *diffPane) rowKey(i int) row {
	if i < 0 || i >= len(d.rows) {
		return row{}
	}
	r := d.rows[i]
	r.part = 0
	return r
}

func (d *diffPane) findRow(k row) int {
	for i, r := range d.rows {
		if r.kind == k.kind && r.file == k.file && r.hunk == k.hunk && r.line == k.line && r.text == k.text && r.part == 0 {
			return i
		}
	}
	return 0
}

func edgeMessage(what string, dir int) string {
	if dir > 0 {
		return "no next " + what
	}
	return "no previous " + what
}

// indexAt is the index of the last target at or above the offset.
func (d *diffPane) indexAt(targets []int) int {
	idx := 0
	for i, r := range targets {
		if r <= d.offset {
			idx = i
		}
	}
	return idx
}

// View renders the pane at its size; only the visible rows are rendered.
func (d diffPane) View(st *Styles, focused bool, title string, loading string) []string {
	lines := make([]string, 0, d.height+diffHeaderRows)
	titleStyle := st.PaneTitle
	if focused {
		titleStyle = st.PaneTitleOn
	}
	if d.a == nil {
		lines = append(lines, titleStyle.Render(fit(title, d.width)))
		lines = append(lines, st.Dim.Render(fit(loading, d.width)))
		for len(lines) < d.height+diffHeaderRows {
			lines = append(lines, "")
		}
		return lines
	}
	c := d.a.Item.Commit
	lines = append(lines, st.SHA.Render(c.Short())+" "+titleStyle.Render(fit(visible.String(c.Subject()), d.width-len(c.Short())-1)))
	who := fmt.Sprintf("%s <%s> · %s", visible.String(c.AuthorName), visible.String(c.AuthorEmail), c.AuthorTime.Format("2006-01-02 15:04 -0700"))
	if as := d.a.Item.Assistants(); len(as) > 0 {
		who += " · " + visible.String(strings.Join(as, ", "))
	}
	lines = append(lines, st.Label.Render(fit(who, d.width)))
	pos := "all"
	if len(d.rows) > d.height {
		pos = fmt.Sprintf("%d%%", (d.offset+d.height)*100/len(d.rows))
		if d.offset == 0 {
			pos = "top"
		} else if d.offset >= d.maxOffset() {
			pos = "end"
		}
	}
	if loading != "" {
		pos = loading + " · " + pos
	}
	summary := ""
	if d.summary != "" {
		summary = fit(d.summary, max(0, d.width-len([]rune(pos))-8)) + " "
	}
	rule := strings.Repeat("─", max(0, d.width-2-ansi.StringWidth(summary)-len([]rune(pos))-2))
	sevStyle := st.Severity(d.markSev)
	lines = append(lines, st.Separator.Render("─ ")+sevStyle.Render(summary)+st.Separator.Render(rule+" "+pos+" "))

	end := min(len(d.rows), d.offset+d.height)
	for i := d.offset; i < end; i++ {
		lines = append(lines, d.renderRow(st, d.rows[i]))
	}
	for len(lines) < d.height+diffHeaderRows {
		lines = append(lines, "")
	}
	return lines
}

const gutterWidth = 13 // mark, old number (5), space, new number (5), space

func (d diffPane) renderRow(st *Styles, r row) string {
	w := d.width
	switch r.kind {
	case rowText:
		s := fit(r.text, w)
		switch r.style {
		case tsSubject:
			return st.Subject.Render(s)
		case tsLabel:
			return st.Label.Bold(true).Render(s)
		case tsEvidence:
			return st.Evidence.Render(s)
		case tsDim:
			return st.Dim.Render(s)
		case tsAccepted:
			return st.Accepted.Render(s)
		case tsRejected, tsError:
			return st.Rejected.Render(s)
		}
		return st.Context.Render(s)
	case rowFile:
		f := d.a.Files[r.file]
		return st.FileHead.Render(fit("▌ "+visible.String(f.Path()), w)) + d.fileMeta(st, f, w-lipgloss.Width(fit("▌ "+visible.String(f.Path()), w)))
	case rowHunk:
		h := d.a.Files[r.file].Hunks[r.hunk]
		head := fmt.Sprintf("@@ -%d,%d +%d,%d @@", h.OldStart, h.OldLines, h.NewStart, h.NewLines)
		if h.Section != "" {
			head += " " + visible.Line(h.Section)
		}
		if r.sev != "" {
			return st.Severity(r.sev).Render("▶ ") + st.HunkHead.Render(fit(head, w-2))
		}
		return st.HunkHead.Render(fit("  "+head, w))
	case rowFinding:
		tag := fmt.Sprintf("  ⚑ %-8s ", r.sev)
		if r.part > 0 {
			tag = strings.Repeat(" ", findingTag)
		}
		return st.Severity(r.sev).Render(tag) + st.Surface.Render(fit(r.text, w-findingTag))
	case rowPair:
		mark := " "
		switch {
		case r.hot != "":
			mark = st.Severity(r.hot).Render("▶")
		case r.sev != "":
			mark = st.Severity(r.sev).Render("▏")
		}
		half := (w - 1) / 2
		return mark + d.renderHalf(st, r, r.line, true, half) + st.Separator.Render("│") + d.renderHalf(st, r, r.right, false, w-1-half-1)
	case rowLine:
		l := d.a.Files[r.file].Hunks[r.hunk].Lines[r.line]
		mark := " "
		switch {
		case r.hot != "":
			mark = st.Severity(r.hot).Render("▶")
		case r.sev != "":
			mark = st.Severity(r.sev).Render("▏")
		}
		gutter := mark + st.LineNo.Render(num(l.OldNo)+" "+num(l.NewNo)+" ")
		if r.part > 0 {
			gutter = mark + st.LineNo.Render(strings.Repeat(" ", 10)+"↪ ")
		}
		bw := d.bodyWidth()
		if l.Kind == diff.LineNoNewline {
			return gutter + st.NoNewline.Render(fit(`\ no newline at end of file`, bw))
		}
		sign, base := " ", st.Context
		switch l.Kind {
		case diff.LineAdded:
			sign, base = "+", st.Added
		case diff.LineDeleted:
			sign, base = "-", st.Deleted
		}
		// Moved code is dimmed and says where it went (or came from).
		var look *lineLook
		moved := ""
		if to, ok := d.moves[diff.LineRef{File: int(r.file), Hunk: int(r.hunk), Line: int(r.line)}]; ok && r.part == 0 {
			base = st.Dim
			tl := d.a.Files[to.File].Hunks[to.Hunk].Lines[to.Line]
			if l.Kind == diff.LineDeleted {
				moved = fmt.Sprintf("  ⇢ moved to %s:%d", visible.String(d.a.Files[to.File].Path()), tl.NewNo)
			} else {
				moved = fmt.Sprintf("  ⇠ moved from %s:%d", visible.String(d.a.Files[to.File].Path()), tl.OldNo)
			}
			if r.hot == "" && r.sev == "" {
				gutter = st.Dim.Render("⇄") + st.LineNo.Render(num(l.OldNo)+" "+num(l.NewNo)+" ")
			}
		}
		// The visible window of the line: which cells of "sign+text" show.
		from := d.hscroll
		if d.wrap {
			from = int(r.part) * bw
		}
		limit := (from + bw) * 4
		if d.wrap {
			limit = maxWrapBytes
		}
		text := visible.Line(clipBytes(l.Text, limit+8))
		if moved == "" && int(r.file) < len(d.looks) && int(r.hunk) < len(d.looks[r.file]) && int(r.line) < len(d.looks[r.file][r.hunk]) {
			look = &d.looks[r.file][r.hunk][r.line]
		}
		body := base.Render(sign) + paint(st, l.Kind, text, look)
		if moved != "" {
			body = base.Render(sign+text) + st.Dim.Italic(true).Render(moved)
		}
		if from > 0 || ansi.StringWidth(body) > bw {
			body = ansi.Cut(body, from, from+bw)
		}
		if n := bw - ansi.StringWidth(body); n > 0 && l.Kind != diff.LineContext {
			body += base.Render(strings.Repeat(" ", n))
		}
		return gutter + body
	}
	return ""
}

// renderHalf is one side of a side-by-side row: its line number and text,
// or blank when the side has no line.
func (d diffPane) renderHalf(st *Styles, r row, li int32, old bool, w int) string {
	bw := max(1, w-6)
	if li < 0 {
		return strings.Repeat(" ", w)
	}
	l := d.a.Files[r.file].Hunks[r.hunk].Lines[li]
	n := l.NewNo
	if old {
		n = l.OldNo
	}
	base := st.Context
	switch l.Kind {
	case diff.LineAdded:
		base = st.Added
	case diff.LineDeleted:
		base = st.Deleted
	}
	text := visible.Line(clipBytes(l.Text, (d.hscroll+bw)*4+8))
	var look *lineLook
	if int(r.file) < len(d.looks) && int(r.hunk) < len(d.looks[r.file]) && int(li) < len(d.looks[r.file][r.hunk]) {
		look = &d.looks[r.file][r.hunk][li]
	}
	body := paint(st, l.Kind, text, look)
	if d.hscroll > 0 || ansi.StringWidth(text) > bw {
		body = ansi.Cut(body, d.hscroll, d.hscroll+bw)
	}
	if k := bw - ansi.StringWidth(body); k > 0 {
		body += base.Render(strings.Repeat(" ", k))
	}
	return st.LineNo.Render(num(n)+" ") + body
}

func (d diffPane) fileMeta(st *Styles, f diff.File, w int) string {
	var parts []string
	switch f.Status {
	case diff.StatusRenamed, diff.StatusCopied:
		verb := "renamed from "
		if f.Status == diff.StatusCopied {
			verb = "copied from "
		}
		p := verb + visible.String(f.OldPath)
		if f.Similarity > 0 {
			p += fmt.Sprintf(" (%d%%)", f.Similarity)
		}
		parts = append(parts, p)
	case diff.StatusAdded:
		parts = append(parts, "new file")
	case diff.StatusDeleted:
		parts = append(parts, "deleted")
	}
	if f.ModeChanged() {
		parts = append(parts, "mode "+f.OldMode+" → "+f.NewMode)
	} else if f.Status == diff.StatusAdded && f.NewMode != "" && f.NewMode != "100644" {
		parts = append(parts, "mode "+f.NewMode)
	}
	if f.Binary {
		parts = append(parts, "binary")
	} else {
		a, dl := f.Stats()
		parts = append(parts, fmt.Sprintf("+%d −%d", a, dl))
	}
	if w <= 3 {
		return ""
	}
	return st.FileMeta.Render(fit("  "+strings.Join(parts, " · "), w))
}

func num(n int) string {
	if n == 0 {
		return "     "
	}
	s := strconv.Itoa(n)
	if len(s) >= 5 {
		return s[len(s)-5:]
	}
	return strings.Repeat(" ", 5-len(s)) + s
}

// clipBytes cuts s to at most n bytes at a rune boundary, so a minified
// 50 MB line costs no more to draw than a short one.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// fit truncates plain text to w cells with an ellipsis.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// pad fills plain text with spaces to w cells (for full-width backgrounds).
func pad(s string, w int) string {
	if n := w - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

func shortSHA(s string) string {
	if len(s) > 8 {
		return s[:8]
	}
	return s
}
