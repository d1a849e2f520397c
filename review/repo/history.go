package repo

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// NoteChange is one note a notes commit wrote, rewrote or removed, against
// its first parent (against nothing for a root commit).
type NoteChange struct {
	Object  string // the annotated object (40 hex)
	OldBlob string // "" when the note is new
	NewBlob string // "" when the note was removed
}

// NotesCommit is one commit of a notes ref's history.
type NotesCommit struct {
	SHA       string
	Parents   []string
	Committer string // e-mail of the committer
	Time      time.Time
	Subject   string
	Changes   []NoteChange
}

// NotesHistory lists every commit of a notes ref's history, newest first,
// with the notes each changed. Paths of flat and fanned-out trees are read
// alike; entries that are not notes are left out.
func (r *Repo) NotesHistory(tip string) ([]NotesCommit, error) {
	if tip == "" {
		return nil, nil
	}
	out, err := r.Git("log", "--format=%x01%H%x00%P%x00%ce%x00%cI%x00%s%x00", "--raw", "--no-abbrev", "-z",
		"--no-renames", "--diff-merges=first-parent", "--no-notes", "--no-color", "--end-of-options", tip, "--")
	if err != nil {
		return nil, fmt.Errorf("read notes history: %w", err)
	}
	var history []NotesCommit
	for _, rec := range strings.Split(string(out), "\x01") {
		if rec == "" {
			continue
		}
		f := strings.SplitN(rec, "\x00", 6)
		if len(f) < 5 {
			return nil, fmt.Errorf("read notes history: unexpected record %q", rec)
		}
		c := NotesCommit{SHA: f[0], Parents: strings.Fields(f[1]), Committer: f[2], Subject: f[4]}
		c.Time, _ = time.Parse(time.RFC3339, f[3])
		if len(f) == 6 {
			c.Changes = parseRawNotes(f[5])
		}
		history = append(history, c)
	}
	return history, nil
}

// parseRawNotes reads `--raw -z` output: ":old_mode new_mode old new S\0path\0".
func parseRawNotes(raw string) []NoteChange {
	var out []NoteChange
	fields := strings.Split(strings.TrimLeft(raw, "\x00\n"), "\x00")
	for i := 0; i+1 < len(fields); i += 2 {
		meta := strings.Fields(strings.TrimPrefix(strings.TrimLeft(fields[i], "\n"), ":"))
		if len(meta) != 5 {
			continue
		}
		object := strings.ReplaceAll(fields[i+1], "/", "")
		if len(object) != 40 || !isHex(object) {
			continue // not a note: a foreign entry of the notes tree
		}
		ch := NoteChange{Object: strings.ToLower(object)}
		if meta[2] != zeroID {
			ch.OldBlob = meta[2]
		}
		if meta[3] != zeroID {
			ch.NewBlob = meta[3]
		}
		out = append(out, ch)
	}
	return out
}

// CommitSignature splits a commit object into its signature (the gpgsig
// header, as `git verify-commit` reads it) and the bytes it signs. A commit
// without a signature has sig "".
func (r *Repo) CommitSignature(sha string) (payload []byte, sig string, err error) {
	raw, err := r.Git("cat-file", "commit", sha)
	if err != nil {
		return nil, "", fmt.Errorf("read commit %s: %w", sha, err)
	}
	header, body, _ := bytes.Cut(raw, []byte("\n\n"))
	var kept, sigLines []string
	inSig := false
	for _, line := range strings.Split(string(header), "\n") {
		switch {
		case strings.HasPrefix(line, "gpgsig ") && sig == "" && !inSig:
			inSig = true
			sigLines = append(sigLines, strings.TrimPrefix(line, "gpgsig "))
		case inSig && strings.HasPrefix(line, " "):
			sigLines = append(sigLines, line[1:])
		default:
			inSig = false
			kept = append(kept, line)
		}
	}
	if len(sigLines) == 0 {
		return raw, "", nil
	}
	sig = strings.Join(sigLines, "\n") + "\n"
	payload = []byte(strings.Join(kept, "\n") + "\n\n" + string(body))
	return payload, sig, nil
}
