package review

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
)

// DraftDir is where tick drafts live, under the repository's git directory:
// private to this clone, never pushed, never in the notes.
const DraftDir = "vouch/drafts"

// Drafts keeps a reviewer's ticks per commit across restarts until a
// decision is recorded, so quitting half-way through a checklist loses
// nothing. A draft stores each ticked item's text with its index, so an item
// whose checklist changed since is dropped rather than ticked by position.
type Drafts struct{ dir string }

// NewDrafts is a draft store in dir.
func NewDrafts(dir string) *Drafts { return &Drafts{dir: dir} }

// Drafts is the session's draft store.
func (s *Session) Drafts() *Drafts { return &Drafts{dir: filepath.Join(s.repo.GitDir(), DraftDir)} }

// draft is one commit's file: checklist id -> ticked items.
type draft struct {
	Ticks map[string][]draftItem `json:"ticks"`
}

type draftItem struct {
	Index int    `json:"index"`
	Text  string `json:"text"`
}

var shaRE = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

func (d *Drafts) path(sha string) (string, error) {
	if !shaRE.MatchString(sha) {
		return "", fmt.Errorf("draft for %q: not a full commit id", sha)
	}
	return filepath.Join(d.dir, sha+".json"), nil
}

// Load is the ticks saved for a's commit that still name an item of a's
// checklists; none (and no error) when there is no draft.
func (d *Drafts) Load(a *Analysis) (Ticks, error) {
	p, err := d.path(a.Item.Commit.SHA)
	if err != nil {
		return Ticks{}, err
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return Ticks{}, nil
	}
	if err != nil {
		return Ticks{}, fmt.Errorf("read tick draft: %w", err)
	}
	dr, err := parseDraft(data)
	if err != nil {
		return Ticks{}, fmt.Errorf("tick draft %s is unreadable (delete it to start afresh): %w", p, err)
	}
	return dr.ticksFor(a), nil
}

// parseDraft reads a draft file; it is written by vouch but lives on disk,
// so it is parsed as untrusted input.
func parseDraft(data []byte) (draft, error) {
	var dr draft
	if err := json.Unmarshal(data, &dr); err != nil {
		return draft{}, err
	}
	return dr, nil
}

// ticksFor keeps the draft's items that a's checklists still have at the
// same index with the same text.
func (dr draft) ticksFor(a *Analysis) Ticks {
	out := Ticks{}
	for _, sel := range a.Checklists {
		c := sel.Checklist
		for _, it := range dr.Ticks[c.ID] {
			if it.Index >= 0 && it.Index < len(c.Items) && c.Items[it.Index].Text == it.Text {
				if out[c.ID] == nil {
					out[c.ID] = map[int]bool{}
				}
				out[c.ID][it.Index] = true
			}
		}
	}
	return out
}

// Save writes the ticks of a's commit (replacing its draft); with nothing
// ticked it removes the draft.
func (d *Drafts) Save(a *Analysis, t Ticks) error {
	p, err := d.path(a.Item.Commit.SHA)
	if err != nil {
		return err
	}
	dr := draft{Ticks: map[string][]draftItem{}}
	for _, sel := range a.Checklists {
		c := sel.Checklist
		var idx []int
		for i, on := range t[c.ID] {
			if on && i >= 0 && i < len(c.Items) {
				idx = append(idx, i)
			}
		}
		sort.Ints(idx)
		for _, i := range idx {
			dr.Ticks[c.ID] = append(dr.Ticks[c.ID], draftItem{Index: i, Text: c.Items[i].Text})
		}
	}
	if len(dr.Ticks) == 0 {
		return d.Clear(a.Item.Commit.SHA)
	}
	data, err := json.Marshal(dr)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(d.dir, 0o700); err != nil {
		return fmt.Errorf("save tick draft: %w", err)
	}
	// A rename is atomic: a crash leaves the old draft or the new one.
	tmp, err := os.CreateTemp(d.dir, ".draft-*")
	if err != nil {
		return fmt.Errorf("save tick draft: %w", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("save tick draft: %w", err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("save tick draft: %w", err)
	}
	return nil
}

// Clear removes a commit's draft, once its decision is recorded.
func (d *Drafts) Clear(sha string) error {
	p, err := d.path(sha)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove tick draft: %w", err)
	}
	return nil
}
