package ui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"

	"github.com/vouch-review/vouch/review/diff"
)

// Styles is every style the TUI uses, built once for the terminal's
// background and passed down; panes never build their own.
type Styles struct {
	Title       lipgloss.Style
	TitleDim    lipgloss.Style
	PaneTitle   lipgloss.Style
	PaneTitleOn lipgloss.Style
	Separator   lipgloss.Style
	Status      lipgloss.Style
	StatusError lipgloss.Style
	StatusOK    lipgloss.Style
	Dim         lipgloss.Style

	QueueRow      lipgloss.Style
	QueueSelected lipgloss.Style
	QueueCursor   lipgloss.Style // the selected row while the queue has focus
	Accepted      lipgloss.Style
	Rejected      lipgloss.Style
	Undecided     lipgloss.Style
	Assistant     lipgloss.Style

	Subject   lipgloss.Style
	Label     lipgloss.Style
	Evidence  lipgloss.Style
	SHA       lipgloss.Style
	FileHead  lipgloss.Style
	FileMeta  lipgloss.Style
	HunkHead  lipgloss.Style
	Added     lipgloss.Style
	Deleted   lipgloss.Style
	Context   lipgloss.Style
	LineNo    lipgloss.Style
	NoNewline lipgloss.Style
	Surface   lipgloss.Style

	CommentLabel lipgloss.Style
	Help         help.Styles

	SevLow, SevMedium, SevHigh, SevCritical lipgloss.Style

	// AddedEmph and DeletedEmph mark the changed words of paired lines.
	AddedEmph, DeletedEmph lipgloss.Style
	// syntaxCache holds a base style with a syntax colour, built once
	// per colour; only the event loop touches it.
	syntaxCache map[syntaxKey]lipgloss.Style
}

type syntaxKey struct {
	kind  diff.LineKind
	emph  bool
	color string
}

// syntax is base with a syntax colour as its foreground.
func (s *Styles) syntax(kind diff.LineKind, emph bool, base lipgloss.Style, color string) lipgloss.Style {
	k := syntaxKey{kind, emph, color}
	if st, ok := s.syntaxCache[k]; ok {
		return st
	}
	st := base.Foreground(lipgloss.Color(color))
	if s.syntaxCache == nil {
		s.syntaxCache = map[syntaxKey]lipgloss.Style{}
	}
	s.syntaxCache[k] = st
	return st
}

// Severity is the style of a finding's severity.
func (s *Styles) Severity(sev string) lipgloss.Style {
	switch sev {
	case "critical":
		return s.SevCritical
	case "high":
		return s.SevHigh
	case "medium":
		return s.SevMedium
	}
	return s.SevLow
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	fg := ld(lipgloss.Color("#1f2328"), lipgloss.Color("#e6edf3"))
	dim := ld(lipgloss.Color("#6e7781"), lipgloss.Color("#8b949e"))
	accent := ld(lipgloss.Color("#8250df"), lipgloss.Color("#b392f0"))
	green := ld(lipgloss.Color("#1a7f37"), lipgloss.Color("#3fb950"))
	red := ld(lipgloss.Color("#cf222e"), lipgloss.Color("#f85149"))
	yellow := ld(lipgloss.Color("#9a6700"), lipgloss.Color("#d29922"))
	orange := ld(lipgloss.Color("#bc4c00"), lipgloss.Color("#f0883e"))
	blue := ld(lipgloss.Color("#0969da"), lipgloss.Color("#58a6ff"))
	selBg := ld(lipgloss.Color("#ddf4ff"), lipgloss.Color("#1f2a37"))
	curBg := ld(lipgloss.Color("#b6e3ff"), lipgloss.Color("#2f3f55"))
	addBg := ld(lipgloss.Color("#dafbe1"), lipgloss.Color("#12261e"))
	delBg := ld(lipgloss.Color("#ffebe9"), lipgloss.Color("#2d1517"))
	addEmph := ld(lipgloss.Color("#aceebb"), lipgloss.Color("#1f5f34"))
	delEmph := ld(lipgloss.Color("#ffc1c0"), lipgloss.Color("#7a2730"))

	s := Styles{
		Title:       lipgloss.NewStyle().Bold(true).Foreground(accent),
		TitleDim:    lipgloss.NewStyle().Foreground(dim),
		PaneTitle:   lipgloss.NewStyle().Foreground(dim).Bold(true),
		PaneTitleOn: lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#ffffff"), lipgloss.Color("#0d1117"))).Background(accent).Bold(true),
		Separator:   lipgloss.NewStyle().Foreground(dim),
		Status:      lipgloss.NewStyle().Foreground(fg),
		StatusError: lipgloss.NewStyle().Foreground(red).Bold(true),
		StatusOK:    lipgloss.NewStyle().Foreground(green),
		Dim:         lipgloss.NewStyle().Foreground(dim),

		QueueRow:      lipgloss.NewStyle().Foreground(fg),
		QueueSelected: lipgloss.NewStyle().Foreground(fg).Background(selBg),
		QueueCursor:   lipgloss.NewStyle().Foreground(fg).Background(curBg).Bold(true),
		Accepted:      lipgloss.NewStyle().Foreground(green).Bold(true),
		Rejected:      lipgloss.NewStyle().Foreground(red).Bold(true),
		Undecided:     lipgloss.NewStyle().Foreground(dim),
		Assistant:     lipgloss.NewStyle().Foreground(accent),

		Subject:   lipgloss.NewStyle().Foreground(fg).Bold(true),
		Label:     lipgloss.NewStyle().Foreground(dim),
		Evidence:  lipgloss.NewStyle().Foreground(yellow),
		SHA:       lipgloss.NewStyle().Foreground(yellow),
		FileHead:  lipgloss.NewStyle().Foreground(blue).Bold(true),
		FileMeta:  lipgloss.NewStyle().Foreground(dim),
		HunkHead:  lipgloss.NewStyle().Foreground(accent),
		Added:     lipgloss.NewStyle().Foreground(green).Background(addBg),
		Deleted:   lipgloss.NewStyle().Foreground(red).Background(delBg),
		Context:   lipgloss.NewStyle().Foreground(fg),
		LineNo:    lipgloss.NewStyle().Foreground(dim),
		NoNewline: lipgloss.NewStyle().Foreground(dim).Italic(true),
		Surface:   lipgloss.NewStyle().Foreground(yellow).Bold(true),

		CommentLabel: lipgloss.NewStyle().Foreground(accent).Bold(true),
		Help:         help.DefaultStyles(isDark),

		AddedEmph:   lipgloss.NewStyle().Foreground(green).Background(addEmph),
		DeletedEmph: lipgloss.NewStyle().Foreground(red).Background(delEmph),

		SevLow:      lipgloss.NewStyle().Foreground(blue),
		SevMedium:   lipgloss.NewStyle().Foreground(yellow).Bold(true),
		SevHigh:     lipgloss.NewStyle().Foreground(orange).Bold(true),
		SevCritical: lipgloss.NewStyle().Foreground(red).Bold(true).Reverse(true),
	}
	return s
}
