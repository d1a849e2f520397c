package review

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vouch-review/vouch/checklist"
	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/repo"
)

// RepoChecklistDir holds the organisation's own checklists in the repository.
const RepoChecklistDir = ".vouch/checklists"

// loadChecklists reads the built-ins, the user's and the repository's
// checklists. A broken file is reported, not fatal: its checklist is left out.
func loadChecklists(r *repo.Repo, cfg Config) (*checklist.Set, []checklist.Problem, error) {
	var user []checklist.Source
	if p := userConfigPath(); p != "" {
		var err error
		user, err = dirSources(filepath.Join(filepath.Dir(p), "checklists"), "")
		if err != nil {
			return nil, nil, err
		}
	}
	repoFiles, err := repoChecklistSources(r)
	if err != nil {
		return nil, nil, err
	}
	set, problems := checklist.Load(user, repoFiles, cfg.Checklists.Disable)
	return set, problems, nil
}

// dirSources reads dir/*.md; display prefixes the path shown in messages.
func dirSources(dir, display string) ([]checklist.Source, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var out []checklist.Source
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e.Name(), err)
		}
		name := filepath.Join(dir, e.Name())
		if display != "" {
			name = display + "/" + e.Name()
		}
		out = append(out, checklist.Source{Path: name, Data: data})
	}
	return out, nil
}

// repoChecklistSources reads .vouch/checklists from the work tree, or from
// HEAD's tree in a bare repository.
func repoChecklistSources(r *repo.Repo) ([]checklist.Source, error) {
	if !r.Bare() {
		return dirSources(filepath.Join(r.Dir(), RepoChecklistDir), RepoChecklistDir)
	}
	out, err := r.Git("ls-tree", "-z", "--name-only", "HEAD", RepoChecklistDir+"/")
	if err != nil {
		return nil, nil // no HEAD, or no checklists committed
	}
	var srcs []checklist.Source
	for _, name := range strings.Split(string(out), "\x00") {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		data, err := r.Git("cat-file", "blob", "HEAD:"+name)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, checklist.Source{Path: name, Data: data})
	}
	return srcs, nil
}

// Checklists is every checklist in force and the problems of the files that
// could not be used.
func (s *Session) Checklists() (*checklist.Set, []checklist.Problem) {
	return s.checklists, s.checklistProblems
}

// RequireComplete reports whether an accept needs every item ticked.
func (s *Session) RequireComplete() bool { return s.cfg.Checklists.RequireComplete }

// Ticks are the ticked items of one commit: checklist id -> item indexes.
type Ticks map[string]map[int]bool

// Progress counts ticked and total items over the analysis's checklists.
func (a *Analysis) Progress(t Ticks) (ticked, total int) {
	for _, sel := range a.Checklists {
		total += len(sel.Checklist.Items)
		for i := range sel.Checklist.Items {
			if t[sel.Checklist.ID][i] {
				ticked++
			}
		}
	}
	return ticked, total
}

// ErrChecklistIncomplete refuses an accept while items are unticked and the
// repository's config requires them all.
var ErrChecklistIncomplete = errors.New("checklists.require_complete is set: tick every checklist item before accepting (a reject is always possible)")

// checklistTicks is what the record stores: per checklist, the text of each
// ticked item and how many items there were.
func checklistTicks(a *Analysis, t Ticks) []ledger.ChecklistTicks {
	out := make([]ledger.ChecklistTicks, 0, len(a.Checklists))
	for _, sel := range a.Checklists {
		c := sel.Checklist
		ct := ledger.ChecklistTicks{ID: c.ID, Ticked: []string{}, Total: len(c.Items)}
		var idx []int
		for i := range t[c.ID] {
			if t[c.ID][i] && i < len(c.Items) {
				idx = append(idx, i)
			}
		}
		sort.Ints(idx)
		for _, i := range idx {
			ct.Ticked = append(ct.Ticked, c.Items[i].Text)
		}
		out = append(out, ct)
	}
	return out
}
