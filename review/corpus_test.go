package review

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/vouchdev/vouch/review/surface"
)

// corpusCase is one labelled commit of surface/testdata/corpus.
type corpusCase struct {
	name   string
	expect []string // categories that must be found
	reject []string // categories that must not be found
	before map[string][]byte
	after  map[string][]byte
}

func loadCorpus(t *testing.T) []corpusCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("surface", "testdata", "corpus", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []corpusCase
	for _, p := range paths {
		ar, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		c := corpusCase{name: strings.TrimSuffix(filepath.Base(p), ".txtar"), before: map[string][]byte{}, after: map[string][]byte{}}
		for _, line := range strings.Split(string(ar.Comment), "\n") {
			if v, ok := strings.CutPrefix(line, "expect:"); ok {
				c.expect = append(c.expect, strings.Fields(v)...)
			}
			if v, ok := strings.CutPrefix(line, "reject:"); ok {
				c.reject = append(c.reject, strings.Fields(v)...)
			}
		}
		for _, cat := range append(append([]string{}, c.expect...), c.reject...) {
			if !isSurfaceCategory(cat) {
				t.Fatalf("%s: %q is not a category of SPEC.md", p, cat)
			}
		}
		for _, f := range ar.Files {
			switch {
			case strings.HasPrefix(f.Name, "before/"):
				c.before[strings.TrimPrefix(f.Name, "before/")] = f.Data
			case strings.HasPrefix(f.Name, "after/"):
				c.after[strings.TrimPrefix(f.Name, "after/")] = f.Data
			default:
				t.Fatalf("%s: file %q is neither before/ nor after/", p, f.Name)
			}
		}
		cases = append(cases, c)
	}
	return cases
}

func isSurfaceCategory(c string) bool {
	for _, v := range surface.Categories {
		if v == c {
			return true
		}
	}
	return false
}

// commitCase builds the case as two real commits and analyses the second.
func commitCase(c corpusCase, dir string) ([]surface.Finding, error) {
	git := func(args ...string) error {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %v: %v: %s", args, err, out)
		}
		return nil
	}
	write := func(files map[string][]byte) error {
		for p, data := range files {
			full := filepath.Join(dir, p)
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(full, data, 0o644); err != nil {
				return err
			}
		}
		return nil
	}
	if err := git("init", "-q", "-b", "main"); err != nil {
		return nil, err
	}
	if err := write(c.before); err != nil {
		return nil, err
	}
	if err := git("add", "-A"); err != nil {
		return nil, err
	}
	if err := git("commit", "-q", "--allow-empty", "-m", "before"); err != nil {
		return nil, err
	}
	for p := range c.before {
		if _, ok := c.after[p]; !ok {
			if err := os.Remove(filepath.Join(dir, p)); err != nil {
				return nil, err
			}
		}
	}
	if err := write(c.after); err != nil {
		return nil, err
	}
	if err := git("add", "-A"); err != nil {
		return nil, err
	}
	if err := git("commit", "-q", "--allow-empty", "-m", "after"); err != nil {
		return nil, err
	}
	s, err := Open(Options{Dir: dir, All: true})
	if err != nil {
		return nil, err
	}
	it, err := s.Item("HEAD")
	if err != nil {
		return nil, err
	}
	a, err := s.Analyse(it)
	if err != nil {
		return nil, err
	}
	return a.Findings, nil
}

type score struct{ tp, fp, fn, pos, neg int }

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

// TestSurfaceCorpus measures per-category precision and recall on the
// labelled corpus and fails below 0.9; -v prints the table.
func TestSurfaceCorpus(t *testing.T) {
	isolate(t)
	cases := loadCorpus(t)
	results := make([][]surface.Finding, len(cases))
	errs := make([]error, len(cases))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				dir, err := os.MkdirTemp(t.TempDir(), "case-")
				if err != nil {
					errs[i] = err
					continue
				}
				results[i], errs[i] = commitCase(cases[i], dir)
			}
		}()
	}
	for i := range cases {
		next <- i
	}
	close(next)
	wg.Wait()

	scores := map[string]*score{}
	for _, cat := range surface.Categories {
		scores[cat] = &score{}
	}
	for i, c := range cases {
		if errs[i] != nil {
			t.Errorf("%s: %v", c.name, errs[i])
			continue
		}
		found := map[string]bool{}
		for _, f := range results[i] {
			found[f.Category] = true
		}
		for _, cat := range c.expect {
			scores[cat].pos++
			if found[cat] {
				scores[cat].tp++
			} else {
				scores[cat].fn++
				t.Logf("missed  %-16s %s (found: %s)", cat, c.name, describe(results[i]))
			}
		}
		for _, cat := range c.reject {
			scores[cat].neg++
			if found[cat] {
				scores[cat].fp++
				t.Logf("false+  %-16s %s (found: %s)", cat, c.name, describe(results[i]))
			}
		}
	}
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-18s %5s %5s %9s %7s\n", "category", "pos", "neg", "precision", "recall")
	cats := append([]string{}, surface.Categories...)
	sort.Strings(cats)
	for _, cat := range cats {
		s := scores[cat]
		fmt.Fprintf(&table, "%-18s %5d %5d %9.2f %7.2f\n", cat, s.pos, s.neg, s.precision(), s.recall())
		if s.pos < 4 || s.neg < 2 {
			t.Errorf("%s: %d positive and %d negative cases; the corpus needs at least 4 and 2", cat, s.pos, s.neg)
		}
		if s.precision() < 0.9 || s.recall() < 0.9 {
			t.Errorf("%s: precision %.2f recall %.2f, below 0.9", cat, s.precision(), s.recall())
		}
	}
	t.Log(table.String())
}

func describe(fs []surface.Finding) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.Category+":"+f.Rule)
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}
