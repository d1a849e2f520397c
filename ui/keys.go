package ui

import "charm.land/bubbles/v2/key"

// DiffKeyMap moves through the diff pane.
type DiffKeyMap struct {
	Down, Up, PageDown, PageUp, HalfDown, HalfUp, Top, Bottom                     key.Binding
	NextSurface, PrevSurface, NextHunk, PrevHunk, NextFile, PrevFile, SurfaceOnly key.Binding
	Wrap, Left, Right, SideBySide, Guesses                                        key.Binding
	// MergeView switches a merge between what the merge itself did and its
	// first-parent diff. Disabled (and out of help) until the domain serves
	// both diffs; enable it where the analysis carries them.
	MergeView key.Binding
}

// ShortHelp is the footer while the diff has focus.
func (k DiffKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.NextSurface, k.NextHunk, k.Wrap}
}

// FullHelp is the diff's part of the help view.
func (k DiffKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Down, k.Up, k.PageDown, k.PageUp, k.HalfDown, k.HalfUp, k.Top, k.Bottom},
		{k.NextSurface, k.PrevSurface, k.SurfaceOnly, k.NextHunk, k.PrevHunk, k.NextFile, k.PrevFile},
		{k.Wrap, k.Left, k.Right, k.SideBySide, k.Guesses, k.MergeView},
	}
}

// QueueKeyMap moves through the queue pane.
type QueueKeyMap struct {
	Down, Up, Top, Bottom, Open key.Binding
}

// ShortHelp is the footer while the queue has focus.
func (k QueueKeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Open, k.Down, k.Up} }

// FullHelp is the queue's part of the help view.
func (k QueueKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Down, k.Up, k.Top, k.Bottom, k.Open}}
}

// ChecklistKeyMap moves through the checklist pane and ticks items; c and z
// size the pane whatever has focus.
type ChecklistKeyMap struct {
	Down, Up, Tick, Collapse, Zoom key.Binding
}

// ShortHelp is the footer while the checklist has focus.
func (k ChecklistKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Tick, k.Down, k.Zoom, k.Collapse}
}

// FullHelp is the checklist's part of the help view.
func (k ChecklistKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Down, k.Up, k.Tick, k.Collapse, k.Zoom}}
}

// GlobalKeyMap works whatever pane has focus.
type GlobalKeyMap struct {
	NextCommit, PrevCommit, Focus, Accept, Reject, ReSign, Help, Quit key.Binding
}

// ShortHelp is the part of the footer every pane shares.
func (k GlobalKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Focus, k.NextCommit, k.Accept, k.Reject, k.Help, k.Quit}
}

// FullHelp is the help view's column for keys that work everywhere.
func (k GlobalKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.NextCommit, k.PrevCommit, k.Focus, k.Accept, k.Reject, k.ReSign, k.Help, k.Quit}}
}

// CommentKeyMap drives the comment box.
type CommentKeyMap struct {
	Record, Cancel key.Binding
}

// ShortHelp is the footer while the comment box is open.
func (k CommentKeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Record, k.Cancel} }

// FullHelp is the comment box's part of the help view.
func (k CommentKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Record, k.Cancel}} }

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
	collapse := b([]string{"c"}, "c", "collapse checklists")
	zoom := b([]string{"z"}, "z", "zoom checklists")
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
			Wrap:        b([]string{"w"}, "w", "wrap lines"),
			Left:        b([]string{"left", "h"}, "←", "scroll left"),
			Right:       b([]string{"right", "l"}, "→", "scroll right"),
			SideBySide:  b([]string{"v"}, "v", "side by side"),
			Guesses:     b([]string{"L"}, "L", "mark muted"),
			MergeView:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "merge: own changes / first parent"), key.WithDisabled()),
		},
		Queue: QueueKeyMap{
			Down:   b([]string{"j", "down"}, "j/↓", "next in queue"),
			Up:     b([]string{"k", "up"}, "k/↑", "prev in queue"),
			Top:    b([]string{"g", "home"}, "g", "first"),
			Bottom: b([]string{"G", "end"}, "G", "last"),
			Open:   b([]string{"enter"}, "enter", "read diff"),
		},
		Checklist: ChecklistKeyMap{
			Down:     b([]string{"j", "down"}, "j/↓", "next item"),
			Up:       b([]string{"k", "up"}, "k/↑", "prev item"),
			Tick:     b([]string{"x"}, "x", "tick item"),
			Collapse: collapse,
			Zoom:     zoom,
		},
		Global: GlobalKeyMap{
			NextCommit: b([]string{"J"}, "J", "next commit"),
			PrevCommit: b([]string{"K"}, "K", "prev commit"),
			Focus:      b([]string{"tab", "shift+tab"}, "tab", "switch pane"),
			Accept:     b([]string{"a"}, "a", "accept"),
			Reject:     b([]string{"r"}, "r", "reject"),
			ReSign:     b([]string{"R"}, "R", "re-sign carried accept"),
			Help:       b([]string{"?"}, "?", "help"),
			Quit:       b([]string{"q", "ctrl+c"}, "q", "quit"),
		},
		Comment: CommentKeyMap{
			Record: b([]string{"enter"}, "enter", "record (signed)"),
			Cancel: b([]string{"esc"}, "esc", "cancel"),
		},
	}
}

// helpGroup is one heading of the help view and its keys.
type helpGroup struct {
	title string
	keys  []key.Binding
}

// groups is the help view: a heading per pane (the diff's in three), then
// the keys that work everywhere.
func (k KeyMap) groups() []helpGroup {
	d := k.Diff.FullHelp()
	return []helpGroup{
		{"Everywhere", k.Global.FullHelp()[0]},
		{"Diff: scroll", d[0]},
		{"Diff: jump", d[1]},
		{"Diff: view", d[2]},
		{"Checklist", k.Checklist.FullHelp()[0]},
		{"Queue", k.Queue.FullHelp()[0]},
		{"Comment box", k.Comment.FullHelp()[0]},
	}
}
