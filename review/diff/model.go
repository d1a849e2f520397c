// Package diff is the patch model the reviewer reads: files, hunks and lines
// with their old and new line numbers, parsed from git's unified diff output.
package diff

// LineKind says which side of the diff a line belongs to.
type LineKind uint8

const (
	LineContext   LineKind = iota // present on both sides
	LineAdded                     // new side only
	LineDeleted                   // old side only
	LineNoNewline                 // "\ No newline at end of file" marker
)

// Line is one line of a hunk. OldNo and NewNo are 1-based; 0 means the line
// does not exist on that side.
type Line struct {
	Kind  LineKind
	Text  string // without the leading '+', '-' or ' ' and without the newline
	OldNo int
	NewNo int
}

// Hunk is one "@@ -a,b +c,d @@ section" block.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
	Section            string // the text after the second @@ (function context), may be empty
	Lines              []Line
}

// Status is what happened to a file in the commit.
type Status string

const (
	StatusModified Status = "modified"
	StatusAdded    Status = "added"
	StatusDeleted  Status = "deleted"
	StatusRenamed  Status = "renamed"
	StatusCopied   Status = "copied"
)

// File is one file's part of a patch.
type File struct {
	OldPath    string // "" for an added file
	NewPath    string // "" for a deleted file
	Status     Status
	OldMode    string // e.g. "100644"; "" when unknown or unchanged
	NewMode    string
	Similarity int  // rename/copy similarity index in percent, 0 when absent
	Binary     bool // "Binary files … differ" or a GIT binary patch
	Hunks      []Hunk

	// Added by the parser; the fields above keep their meaning.
	Mode          string // the mode when it did not change (from the "index" line), e.g. "120000" for a symlink
	OldHash       string // abbreviated blob ids from the "index" line, "" when absent
	NewHash       string
	Dissimilarity int // "dissimilarity index" of a broken pair (-B) in percent, 0 when absent
}

// Path is the path the reviewer knows the file by: the new path, or the old
// one for a deletion.
func (f File) Path() string {
	if f.NewPath != "" {
		return f.NewPath
	}
	return f.OldPath
}

// ModeChanged reports whether the file mode changed (e.g. made executable).
func (f File) ModeChanged() bool {
	return f.OldMode != "" && f.NewMode != "" && f.OldMode != f.NewMode
}

// Stats counts added and deleted lines.
func (f File) Stats() (added, deleted int) {
	for _, h := range f.Hunks {
		for _, l := range h.Lines {
			switch l.Kind {
			case LineAdded:
				added++
			case LineDeleted:
				deleted++
			}
		}
	}
	return added, deleted
}
