package surfacetest

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/vouch-review/vouch/review/surface"
)

// CorpusCase is one labelled commit of review/surface/testdata/corpus: a
// txtar file whose comment holds `expect:` (categories that must be found)
// and `reject:` (categories that must not be), and whose files are
// before/PATH and after/PATH.
type CorpusCase struct {
	Name   string
	Expect []string
	Reject []string
	Files  map[string][2]string // path -> {before, after}; Absent on a missing side

	// Origin cites the public repository and commit a held-out case was cut
	// from; Labels are its (file, category) pairs judged by reading the diff
	// ("label: none" when nothing in it changes the surface).
	Origin string
	Labels []Label
	// Rules are findings that must be reported exactly: "rule: PATH:LINE
	// RULE-ID" in the comment.
	Rules []RuleAt
}

// RuleAt is one finding a case pins by rule id, file and line.
type RuleAt struct {
	File string
	Line int
	Rule string
}

// Label is one (file, category) a held-out case must be reported with.
type Label struct{ File, Category string }

// LoadCorpus reads the cases matching glob (a path pattern relative to the
// test's package) and fails the test on a malformed file.
func LoadCorpus(t testing.TB, glob string) []CorpusCase {
	t.Helper()
	paths, err := filepath.Glob(glob)
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus files match %s: %v", glob, err)
	}
	cases := make([]CorpusCase, 0, len(paths))
	for _, p := range paths {
		ar, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		c := CorpusCase{Name: strings.TrimSuffix(filepath.Base(p), ".txtar"), Files: map[string][2]string{}}
		for _, line := range strings.Split(string(ar.Comment), "\n") {
			if v, ok := strings.CutPrefix(line, "expect:"); ok {
				c.Expect = append(c.Expect, strings.Fields(v)...)
			}
			if v, ok := strings.CutPrefix(line, "reject:"); ok {
				c.Reject = append(c.Reject, strings.Fields(v)...)
			}
			if v, ok := strings.CutPrefix(line, "rule:"); ok {
				f := strings.Fields(v)
				file, no, _ := strings.Cut(f[0], ":")
				n, err := strconv.Atoi(no)
				if len(f) != 2 || err != nil {
					t.Fatalf("%s: rule %q is not \"PATH:LINE RULE-ID\"", p, strings.TrimSpace(v))
				}
				c.Rules = append(c.Rules, RuleAt{File: file, Line: n, Rule: f[1]})
			}
			if v, ok := strings.CutPrefix(line, "origin:"); ok {
				c.Origin = strings.TrimSpace(v)
			}
			if v, ok := strings.CutPrefix(line, "label:"); ok {
				f := strings.Fields(v)
				switch {
				case len(f) == 1 && f[0] == "none":
				case len(f) == 2 && isCategory(f[1]):
					c.Labels = append(c.Labels, Label{File: f[0], Category: f[1]})
				default:
					t.Fatalf("%s: label %q is neither \"none\" nor \"PATH CATEGORY\"", p, strings.TrimSpace(v))
				}
			}
		}
		for _, cat := range append(append([]string{}, c.Expect...), c.Reject...) {
			if !isCategory(cat) {
				t.Fatalf("%s: %q is not a category of SPEC.md", p, cat)
			}
		}
		for _, f := range ar.Files {
			side, name, _ := strings.Cut(f.Name, "/")
			v, ok := c.Files[name]
			if !ok {
				v = [2]string{Absent, Absent}
			}
			switch side {
			case "before":
				v[0] = string(f.Data)
			case "after":
				v[1] = string(f.Data)
			default:
				t.Fatalf("%s: file %q is neither before/ nor after/", p, f.Name)
			}
			c.Files[name] = v
		}
		cases = append(cases, c)
	}
	return cases
}

func isCategory(c string) bool {
	for _, v := range surface.Categories {
		if v == c {
			return true
		}
	}
	return false
}

// RunCorpus runs one detector alone, through a Scanner (so context rules
// apply as in production), on the cases matching glob, and checks the
// labels of the categories it owns. Each owned category needs at least
// minPos positive and minNeg negative cases.
func RunCorpus(t *testing.T, d surface.Detector, glob string, owned []string, minPos, minNeg int) {
	t.Helper()
	s := surface.NewScanner(d)
	isOwned := map[string]bool{}
	for _, c := range owned {
		isOwned[c] = true
	}
	pos, neg := map[string]int{}, map[string]int{}
	for _, c := range LoadCorpus(t, glob) {
		t.Run(c.Name, func(t *testing.T) {
			found := map[string][]surface.Finding{}
			for _, f := range s.Scan(Changes(t, c.Files)) {
				found[f.Category] = append(found[f.Category], f)
			}
			for _, cat := range c.Expect {
				if isOwned[cat] {
					pos[cat]++
					if len(found[cat]) == 0 {
						t.Errorf("expected %s, not found; found %s", cat, describe(found))
					}
				}
			}
			for _, cat := range c.Reject {
				if isOwned[cat] {
					neg[cat]++
					if len(found[cat]) > 0 {
						t.Errorf("rejected %s found: %s", cat, describe(found))
					}
				}
			}
		})
	}
	for _, cat := range owned {
		if pos[cat] < minPos || neg[cat] < minNeg {
			t.Errorf("%s: %d positive and %d negative cases; want at least %d and %d", cat, pos[cat], neg[cat], minPos, minNeg)
		}
	}
}

func describe(found map[string][]surface.Finding) string {
	var parts []string
	for _, fs := range found {
		for _, f := range fs {
			parts = append(parts, f.Rule+" "+f.File+":"+strconv.Itoa(f.Line)+" "+f.Message)
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, "; ")
}
