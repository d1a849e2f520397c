package ledger

import (
	"fmt"
	"strings"

	"github.com/vouchdev/vouch/review/repo"
)

// DefaultRef is where decisions live unless configured otherwise.
const DefaultRef = "refs/notes/vouch"

// Store is the decision trail on a notes ref.
type Store struct {
	repo *repo.Repo
	ref  string
}

// NewStore opens the trail on ref ("" for DefaultRef; short names expand as
// `git notes --ref` expands them).
func NewStore(r *repo.Repo, ref string) *Store {
	if ref == "" {
		ref = DefaultRef
	}
	return &Store{repo: r, ref: repo.ExpandNotesRef(ref)}
}

// Ref is the full notes ref.
func (s *Store) Ref() string { return s.ref }

// Load parses every note of the ref: commit id -> entries.
func (s *Store) Load() (map[string][]Entry, error) {
	notes, err := s.repo.Notes(s.ref)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]Entry, len(notes))
	for commit, text := range notes {
		out[commit] = ParseNote(text)
	}
	return out, nil
}

// Entries parses the note of one commit.
func (s *Store) Entries(commit string) ([]Entry, error) {
	text, _, err := s.repo.Note(s.ref, commit)
	if err != nil {
		return nil, err
	}
	return ParseNote(text), nil
}

// Append adds rec as a new line of commit's note in one notes commit, keeping
// every existing line byte for byte; sign makes git sign that commit. A line
// already present is not written twice, as cat_sort_uniq would drop it.
func (s *Store) Append(commit string, rec Record, sign bool) error {
	line, err := rec.Line()
	if err != nil {
		return fmt.Errorf("encode record: %w", err)
	}
	// Never write what ParseNote would reject, nor a record about another
	// commit: verify would report it as replayed.
	_, p, err := parseRecord(line)
	if err != nil {
		return fmt.Errorf("refusing to record: %w: %v", ErrMalformed, err)
	}
	commit = strings.ToLower(commit)
	if p.Commit != commit {
		return fmt.Errorf("refusing to record: decision about %q attached to %q", p.Commit, commit)
	}
	short := commit
	if len(short) > 7 {
		short = short[:7]
	}
	message := fmt.Sprintf("vouch: %s %s", p.Decision, short)
	_, err = s.repo.EditNote(s.ref, commit, func(old string) (string, error) {
		for _, l := range strings.Split(old, "\n") {
			if l == line {
				return old, nil
			}
		}
		if old != "" && !strings.HasSuffix(old, "\n") {
			old += "\n"
		}
		return old + line + "\n", nil
	}, message, sign)
	if err != nil {
		return fmt.Errorf("record %s of %s: %w", p.Decision, short, err)
	}
	return nil
}
