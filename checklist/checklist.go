// Package checklist reads review checklists: Markdown files with YAML front
// matter whose task-list items are what a reviewer ticks. It holds the
// embedded built-ins, merges them with an organisation's own files and picks
// the checklists that a commit's findings and changed paths call for.
package checklist

import "fmt"

// Item is one task-list item of a checklist.
type Item struct {
	Text        string // the item's first line, inline Markdown kept as source
	Explanation string // the rest of the item's content, dedented Markdown
	Line        int    // 1-based line of the item in its file
}

// Applies says when a checklist is called in.
type Applies struct {
	Categories []string // SPEC.md surface categories
	Rules      []string // finding rule ids, exact or surface.Glob globs ("go/*"; no slash matches the last segment)
	Paths      []string // globs over the commit's changed files (surface.Glob)
	AI         bool     // every AI-authored commit
}

// Checklist is one parsed checklist file.
type Checklist struct {
	ID, Title string
	Applies   Applies
	Severity  string // "" or the lowest finding severity that calls the checklist in
	Intro     string // Markdown before the first item
	Body      string // the whole Markdown body, front matter removed
	Items     []Item
	Source    string // "built-in" or the file path it came from
}

// BuiltIn is the Source of an embedded checklist.
const BuiltIn = "built-in"

// Problem is one thing wrong with a checklist file, in the form editors and
// CI annotate: file, line, message.
type Problem struct {
	File string
	Line int // 1-based; 0 when the problem is the whole file's
	Msg  string
}

// String prints "file:line: msg", or "file: msg" for a whole-file problem,
// since a line 0 would send an editor nowhere.
func (p Problem) String() string {
	if p.Line <= 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
}
