package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/vouch-review/vouch/review"
)

// Run opens the TUI on a queue and returns when the reviewer quits.
func Run(s *review.Session, q *review.Queue, opts Options) error {
	var popts []tea.ProgramOption
	if opts.NoColor {
		popts = append(popts, tea.WithColorProfile(colorprofile.Ascii))
	}
	// The detectors' rule tables are built on a spare core while the first
	// screen is drawn, not on the first analysis.
	go s.Warm()
	m := New(s, q, RepoTitle(s.Repo().Dir()))
	_, err := tea.NewProgram(m, popts...).Run()
	return err
}

// padStyled fills a styled string with spaces to w cells.
func padStyled(s string, w int) string {
	if n := w - lipgloss.Width(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// truncateStyled cuts a styled string to w cells, keeping its escape codes whole.
func truncateStyled(s string, w int) string { return ansi.Truncate(s, w, "") }

func stripANSI(s string) string { return ansi.Strip(s) }
