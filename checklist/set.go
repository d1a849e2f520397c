package checklist

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/vouch-review/vouch/review/surface"
)

//go:embed builtin/*.md
var builtinFS embed.FS

// Builtins parses the embedded checklists. A broken built-in is a bug in
// vouch, so any problem is an error (a test keeps there being none).
func Builtins() ([]*Checklist, error) {
	cs, problems := builtins()
	if len(problems) > 0 {
		errs := make([]error, len(problems))
		for i, p := range problems {
			errs[i] = errors.New(p.String())
		}
		return cs, fmt.Errorf("built-in checklists: %w", errors.Join(errs...))
	}
	return cs, nil
}

// builtins returns the usable built-ins and the problems of the rest, so that
// Load can still show everything that works. Built-ins are parsed on every
// call: it is cheap, and no caller can change another's checklists.
func builtins() ([]*Checklist, []Problem) {
	names, err := fs.Glob(builtinFS, "builtin/*.md")
	if err != nil {
		return nil, []Problem{{File: "builtin", Msg: err.Error()}}
	}
	files := make([]Source, 0, len(names))
	for _, name := range names {
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			return nil, []Problem{{File: name, Msg: err.Error()}}
		}
		files = append(files, Source{Path: name, Data: data})
	}
	cs, problems := parseLayer(files)
	for _, c := range cs {
		c.Source = BuiltIn
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
	return cs, problems
}

// Source is an organisation's checklist file: its path for messages and its
// bytes.
type Source struct {
	Path string
	Data []byte
}

// parseLayer parses the files of one layer (built-in, user or repository).
// Two files with one id in a layer have no defined winner, so the later one
// is reported and skipped.
func parseLayer(files []Source) ([]*Checklist, []Problem) {
	var (
		out      []*Checklist
		problems []Problem
		seen     = map[string]string{}
	)
	for _, f := range files {
		c, idLine, ps := parse(f.Path, f.Data)
		problems = append(problems, ps...)
		if c == nil {
			continue
		}
		if first, ok := seen[c.ID]; ok {
			problems = append(problems, Problem{File: f.Path, Line: idLine,
				Msg: fmt.Sprintf("duplicate id %q: %s has it too", c.ID, first)})
			continue
		}
		seen[c.ID] = f.Path
		c.Source = f.Path
		out = append(out, c)
	}
	return out, problems
}

// Lint checks organisation files as `vouch checklist lint` does: every Parse
// problem, plus ids used by more than one of the files.
func Lint(files []Source) []Problem {
	_, problems := parseLayer(files)
	return problems
}

// DisableFile names the config setting in problems about disabled ids.
const DisableFile = "checklists.disable"

// Set is the checklists in force: built-ins, then the user's, then the
// repository's, each overriding the one before by id.
type Set struct {
	byID map[string]*entry
	ids  []string // sorted
}

// entry is a checklist with its globs compiled once, since Select runs for
// every commit in the queue.
type entry struct {
	c     *Checklist
	rules []*regexp.Regexp
	paths []*regexp.Regexp
}

func newEntry(c *Checklist) *entry {
	e := &entry{c: c}
	// Parse has already rejected bad globs.
	for _, g := range c.Applies.Rules {
		if re, err := surface.Glob(g); err == nil {
			e.rules = append(e.rules, re)
		}
	}
	for _, g := range c.Applies.Paths {
		if re, err := surface.Glob(g); err == nil {
			e.paths = append(e.paths, re)
		}
	}
	return e
}

// Load merges the built-ins, the user's files ($XDG_CONFIG_HOME/vouch/checklists)
// and the repository's (.vouch/checklists), later layers overriding earlier
// ones by id; disable removes built-ins by id. A broken file is reported and
// left out; everything else still loads.
func Load(user, repo []Source, disable []string) (*Set, []Problem) {
	s := &Set{byID: map[string]*entry{}}
	bs, problems := builtins()
	for _, c := range bs {
		if !slices.Contains(disable, c.ID) {
			s.byID[c.ID] = newEntry(c)
		}
	}
	for _, id := range disable {
		if !slices.ContainsFunc(bs, func(c *Checklist) bool { return c.ID == id }) {
			problems = append(problems, Problem{File: DisableFile, Msg: fmt.Sprintf("%q is not a built-in checklist", id)})
		}
	}
	for _, layer := range [][]Source{user, repo} {
		cs, ps := parseLayer(layer)
		problems = append(problems, ps...)
		for _, c := range cs {
			s.byID[c.ID] = newEntry(c)
		}
	}
	for id := range s.byID {
		s.ids = append(s.ids, id)
	}
	sort.Strings(s.ids)
	return s, problems
}

// All returns every checklist in force, sorted by id. A nil Set, like an
// empty one, has none.
func (s *Set) All() []*Checklist {
	if s == nil {
		return nil
	}
	out := make([]*Checklist, len(s.ids))
	for i, id := range s.ids {
		out[i] = s.byID[id].c
	}
	return out
}

// Get returns the checklist with the id, or nil.
func (s *Set) Get(id string) *Checklist {
	if s == nil {
		return nil
	}
	if e, ok := s.byID[id]; ok {
		return e.c
	}
	return nil
}

// Selected is a checklist called in by a commit, with what called it in: the
// findings, the changed paths its globs matched, and whether the commit is
// AI-authored and the checklist is for every such commit.
type Selected struct {
	Checklist *Checklist
	Because   []surface.Finding
	Paths     []string
	ForAI     bool
}

// Select returns the checklists the commit calls for, in the order a
// reviewer reads them: the organisation's own first (user or repository
// files), then the built-ins the findings call for by the highest severity
// of those findings, then path-only ones, then the general AI checklist;
// ties by id. A finding below a checklist's severity threshold does not call
// it in; it brings at most the items whose text names its rule or category.
func (s *Set) Select(findings []surface.Finding, paths []string, ai bool) []Selected {
	if s == nil {
		return nil // no checklists loaded, as before a repository is open
	}
	var out []Selected
	for _, id := range s.ids {
		e := s.byID[id]
		sel := Selected{Checklist: e.c, ForAI: ai && e.c.Applies.AI}
		var below []surface.Finding
		for _, f := range findings {
			if !e.applies(f) {
				continue
			}
			if e.meets(f) {
				sel.Because = append(sel.Because, f)
			} else {
				below = append(below, f)
			}
		}
		for _, p := range paths {
			if matchAny(e.paths, p) {
				sel.Paths = append(sel.Paths, p)
			}
		}
		if sel.ForAI || len(sel.Because) > 0 || len(sel.Paths) > 0 {
			out = append(out, sel)
			continue
		}
		if named := itemsNaming(e.c, below); named != nil {
			sel.Checklist, sel.Because = named, below
			out = append(out, sel)
		}
	}
	// s.ids is sorted, so a stable sort leaves ties in id order.
	sort.SliceStable(out, func(i, j int) bool {
		if oi, oj := out[i].Checklist.Source != BuiltIn, out[j].Checklist.Source != BuiltIn; oi != oj {
			return oi
		}
		if gi, gj := group(out[i]), group(out[j]); gi != gj {
			return gi < gj
		}
		return highest(out[i].Because) > highest(out[j].Because)
	})
	return out
}

// group orders selected checklists: called in by findings, by paths, then
// only because the commit is AI-authored.
func group(s Selected) int {
	switch {
	case len(s.Because) > 0:
		return 0
	case len(s.Paths) > 0:
		return 1
	}
	return 2
}

// itemsNaming is c cut down to the items whose text names one of the
// findings' rule ids or categories, or nil when none does. The copy keeps
// c's id, so ticks and records refer to the cut-down list's own items.
func itemsNaming(c *Checklist, findings []surface.Finding) *Checklist {
	if len(findings) == 0 {
		return nil
	}
	var items []Item
	for _, it := range c.Items {
		text := strings.ToLower(it.Text)
		for _, f := range findings {
			if (f.Rule != "" && strings.Contains(text, strings.ToLower(f.Rule))) || (f.Category != "" && strings.Contains(text, strings.ToLower(f.Category))) {
				items = append(items, it)
				break
			}
		}
	}
	if len(items) == 0 {
		return nil
	}
	cp := *c
	cp.Items = items
	return &cp
}

// applies reports whether the checklist is about the finding's category or rule.
func (e *entry) applies(f surface.Finding) bool {
	return slices.Contains(e.c.Applies.Categories, f.Category) || matchAny(e.rules, f.Rule)
}

// meets reports whether the finding is at or above the checklist's threshold.
func (e *entry) meets(f surface.Finding) bool {
	t := e.c.Severity
	return t == "" || surface.SeverityRank(f.Severity) >= surface.SeverityRank(t)
}

func matchAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// highest is the top severity rank among findings, -1 for none.
func highest(fs []surface.Finding) int {
	top := -1
	for _, f := range fs {
		top = max(top, surface.SeverityRank(f.Severity))
	}
	return top
}
