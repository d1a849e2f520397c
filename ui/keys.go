package ui

import "charm.land/bubbles/v2/key"

// DiffKeyMap moves through the diff pane.
type DiffKeyMap struct {
	Down, Up, PageDown, PageUp, HalfDown, HalfUp, Top, Bottom                     key.Binding
	NextSurface, PrevSurface, NextHunk, PrevHunk, NextFile, PrevFile, SurfaceOnly key.Binding
}

// QueueKeyMap moves through the queue pane.
type QueueKeyMap struct {
	Down, Up, Top, Bottom, Open key.Binding
}

// ChecklistKeyMap moves through the checklist pane and ticks items.
type ChecklistKeyMap struct {
	Down, Up, Tick key.Binding
}

// GlobalKeyMap works whatever pane has focus.
type GlobalKeyMap struct {
	NextCommit, PrevCommit, Focus, Accept, Reject, ReSign, Help, Quit key.Binding
}

// CommentKeyMap drives the comment box.
type CommentKeyMap struct {
	Record, Cancel key.Binding
}

// KeyMap is every binding; it also feeds the help view, so help never
// drifts from behaviour.
type KeyMap struct {
	Diff      DiffKeyMap
	Queue     QueueKeyMap
	Checklist ChecklistKeyMap
	Global    GlobalKeyMap
	Comment   CommentKeyMap
}

// DefaultKeyMap is SPEC.md's keys.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Diff: DiffKeyMap{
			Down:        b([]string{"j", "down"}, "j/↓", "scroll down"),
			Up:          b([]string{"k", "up"}, "k/↑", "scroll up"),
			PageDown:    b([]string{"space", "pgdown"}, "space", "page down"),
			PageUp:      b([]string{"b", "pgup"}, "b", "page up"),
			HalfDown:    b([]string{"ctrl+d"}, "ctrl+d", "half page down"),
			HalfUp:      b([]string{"ctrl+u"}, "ctrl+u", "half page up"),
			Top:         b([]string{"g", "home"}, "g", "top"),
			Bottom:      b([]string{"G", "end"}, "G", "bottom"),
			NextSurface: b([]string{"n"}, "n", "next surface hunk"),
			PrevSurface: b([]string{"N"}, "N", "prev surface hunk"),
			NextHunk:    b([]string{"}"}, "}", "next hunk"),
			PrevHunk:    b([]string{"{"}, "{", "prev hunk"),
			NextFile:    b([]string{"]"}, "]", "next file"),
			PrevFile:    b([]string{"["}, "[", "prev file"),
			SurfaceOnly: b([]string{"s"}, "s", "only surface hunks"),
		},
		Queue: QueueKeyMap{
			Down:   b([]string{"j", "down"}, "j/↓", "next in queue"),
			Up:     b([]string{"k", "up"}, "k/↑", "prev in queue"),
			Top:    b([]string{"g", "home"}, "g", "first"),
			Bottom: b([]string{"G", "end"}, "G", "last"),
			Open:   b([]string{"enter"}, "enter", "read diff"),
		},
		Checklist: ChecklistKeyMap{
			Down: b([]string{"j", "down"}, "j/↓", "next item"),
			Up:   b([]string{"k", "up"}, "k/↑", "prev item"),
			Tick: b([]string{"x"}, "x", "tick item"),
		},
		Global: GlobalKeyMap{
			NextCommit: b([]string{"J"}, "J", "next commit"),
			PrevCommit: b([]string{"K"}, "K", "prev commit"),
			Focus:      b([]string{"tab", "shift+tab"}, "tab", "switch pane"),
			Accept:     b([]string{"a"}, "a", "accept"),
			Reject:     b([]string{"r"}, "r", "reject"),
			ReSign:     b([]string{"R"}, "R", "re-sign a carried-over accept"),
			Help:       b([]string{"?"}, "?", "help"),
			Quit:       b([]string{"q", "ctrl+c"}, "q", "quit"),
		},
		Comment: CommentKeyMap{
			Record: b([]string{"enter"}, "enter", "record"),
			Cancel: b([]string{"esc"}, "esc", "cancel"),
		},
	}
}

// ShortHelp is the one-line hint at the bottom of the screen.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Diff.Down, k.Diff.NextHunk, k.Diff.NextSurface, k.Global.NextCommit,
		k.Global.Focus, k.Global.Accept, k.Global.Reject, k.Global.Help, k.Global.Quit}
}

// FullHelp is the help view, one column per group.
func (k KeyMap) FullHelp() [][]key.Binding {
	d := k.Diff
	g := k.Global
	return [][]key.Binding{
		{d.Down, d.Up, d.PageDown, d.PageUp, d.HalfDown, d.HalfUp, d.Top, d.Bottom},
		{d.NextSurface, d.PrevSurface, d.SurfaceOnly, d.NextHunk, d.PrevHunk, d.NextFile, d.PrevFile},
		{g.NextCommit, g.PrevCommit, g.Focus, k.Queue.Open, k.Checklist.Tick, g.Accept, g.Reject, g.ReSign, k.Comment.Record, k.Comment.Cancel, g.Help, g.Quit},
	}
}
