package review

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

// commitCase builds the case as two real commits and analyses the second.
func commitCase(c surfacetest.CorpusCase, dir string) ([]surface.Finding, error) {
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
	write := func(side int) error {
		for p, texts := range c.Files {
			full := filepath.Join(dir, p)
			if texts[side] == surfacetest.Absent {
				if err := os.Remove(full); err != nil && !os.IsNotExist(err) {
					return err
				}
				continue
			}
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(full, []byte(texts[side]), 0o644); err != nil {
				return err
			}
		}
		if err := git("add", "-A"); err != nil {
			return err
		}
		return git("commit", "-q", "--allow-empty", "-m", fmt.Sprint("side ", side))
	}
	if err := git("init", "-q", "-b", "main"); err != nil {
		return nil, err
	}
	if err := write(0); err != nil {
		return nil, err
	}
	if err := write(1); err != nil {
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
	cases := surfacetest.LoadCorpus(t, filepath.Join("surface", "testdata", "corpus", "*.txtar"))
	results, errs := runCases(t, cases)

	scores := map[string]*score{}
	for _, cat := range surface.Categories {
		scores[cat] = &score{}
	}
	for i, c := range cases {
		if errs[i] != nil {
			t.Errorf("%s: %v", c.Name, errs[i])
			continue
		}
		found := map[string]bool{}
		at := map[surfacetest.RuleAt]bool{}
		for _, f := range results[i] {
			found[f.Category] = true
			for l := f.Line; l <= f.EndLine; l++ {
				at[surfacetest.RuleAt{File: f.File, Line: l, Rule: f.Rule}] = true
			}
		}
		for _, r := range c.Rules {
			if !at[r] {
				t.Errorf("%s: no %s at %s:%d (found: %s)", c.Name, r.Rule, r.File, r.Line, describe(results[i]))
			}
		}
		for _, cat := range c.Expect {
			scores[cat].pos++
			if found[cat] {
				scores[cat].tp++
			} else {
				scores[cat].fn++
				t.Logf("missed  %-16s %s (found: %s)", cat, c.Name, describe(results[i]))
			}
		}
		for _, cat := range c.Reject {
			scores[cat].neg++
			if found[cat] {
				scores[cat].fp++
				t.Logf("false+  %-16s %s (found: %s)", cat, c.Name, describe(results[i]))
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

// runCases commits each case in a repository of its own and analyses it,
// four at a time.
func runCases(t *testing.T, cases []surfacetest.CorpusCase) ([][]surface.Finding, []error) {
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

	return results, errs
}

// heldOutSets are the corpora of real commits, labelled by reading each diff
// before vouch ran on it. A (heldout/) and B (heldout-b/) are development
// sets: the rules were tuned on both, so they say what the rules do on the
// commits they were read against. C (heldout-c/) is held out: cut from
// seven other repositories and labelled by someone who neither ran vouch
// nor read the rules, and nothing is tuned on it. A case of C from a
// repository the development sets also draw on (github-mcp-server, after C
// was cut) is left out of C and scored on its own as C-shared, so C stays
// unseen code. D (heldout-d/: claude-code-action, browser-use,
// playwright-mcp) is a third development set, cut and labelled by someone
// who neither ran vouch nor read the rules. E (heldout-e/: pydantic-ai,
// vercel/ai, mem0) is held out like C and was labelled the same way. F
// (heldout-f/: claude-agent-sdk-python, sentry-mcp) is a fourth
// development set, labelled the same way, and G (heldout-g/:
// openai-agents-python, modelcontextprotocol/python-sdk) a fifth. H
// (heldout-h/: modelcontextprotocol/typescript-sdk,
// anthropic-sdk-typescript) is held out like C and E, labelled the same
// way. floor is what each must keep, at (commit, file, category)
// over every category together; raise it with the measured numbers.
var heldOutSets = []struct {
	name, dir         string
	precision, recall float64
	// shared: 0 scores every case; 1 only those from repositories no
	// development set draws on; 2 only the others.
	shared int
}{
	{"A", "heldout", 0.95, 0.65, 0},
	{"B", "heldout-b", 0.85, 0.70, 0},
	{"C", "heldout-c", 0.60, 0.30, 1},
	{"C-shared", "heldout-c", 0.90, 0.30, 2},
	{"D", "heldout-d", 0.80, 0.60, 0},
	{"E", "heldout-e", 0.75, 0.35, 1},
	{"F", "heldout-f", 0.55, 0.40, 0},
	{"G", "heldout-g", 0.55, 0.40, 0},
	{"H", "heldout-h", 0.80, 0.50, 0},
}

// originRepo is the repository part of a case's origin: line.
func originRepo(origin string) string {
	repo, _, _ := strings.Cut(origin, " ")
	return repo
}

// developmentRepos are the repositories the development sets draw on.
func developmentRepos(t *testing.T) map[string]bool {
	repos := map[string]bool{}
	for _, set := range heldOutSets {
		if set.shared != 0 {
			continue
		}
		for _, c := range surfacetest.LoadCorpus(t, filepath.Join("surface", "testdata", set.dir, "*.txtar")) {
			repos[originRepo(c.Origin)] = true
		}
	}
	return repos
}

// TestHeldOutCorpus scores the detectors on commits cut from public
// repositories: a finding on a (file, category) that no label names is a
// false positive, a label no finding names is a miss. -v prints the table
// per category for each set.
func TestHeldOutCorpus(t *testing.T) {
	isolate(t)
	for _, set := range heldOutSets {
		t.Run(set.name, func(t *testing.T) {
			cases := surfacetest.LoadCorpus(t, filepath.Join("surface", "testdata", set.dir, "*.txtar"))
			for _, c := range cases {
				if c.Origin == "" {
					t.Fatalf("%s: no origin: line citing the repository and commit", c.Name)
				}
			}
			if set.shared != 0 {
				dev := developmentRepos(t)
				kept := cases[:0]
				for _, c := range cases {
					if dev[originRepo(c.Origin)] == (set.shared == 2) {
						kept = append(kept, c)
					}
				}
				cases = kept
			}
			if only != nil {
				kept := cases[:0]
				for _, c := range cases {
					if only.MatchString(c.Name) {
						kept = append(kept, c)
					}
				}
				cases = kept
			}
			total := scoreHeldOut(t, cases)
			if only != nil {
				return // a subset says nothing about the floor
			}
			if total.precision() < set.precision || total.recall() < set.recall {
				t.Errorf("held-out set %s: precision %.2f recall %.2f, below the floor %.2f/%.2f",
					set.name, total.precision(), total.recall(), set.precision, set.recall)
			}
		})
	}
}

// showFindings (VOUCH_HELDOUT_FINDINGS=1 with -v) prints every finding of
// the held-out sets, to judge what the marks say and not only where.
var showFindings = os.Getenv("VOUCH_HELDOUT_FINDINGS") != ""

// only (VOUCH_HELDOUT_CASES=regexp) scores only the cases whose names match,
// to look at a few; the floors are not checked then.
var only = func() *regexp.Regexp {
	if v := os.Getenv("VOUCH_HELDOUT_CASES"); v != "" {
		return regexp.MustCompile(v)
	}
	return nil
}()

func scoreHeldOut(t *testing.T, cases []surfacetest.CorpusCase) score {
	results, errs := runCases(t, cases)
	scores := map[string]*score{}
	total := &score{}
	// marked counts only what the review screen marks: a muted finding (a
	// guess, a low-severity note; surface.Muted) is neither a hit
	// nor a false alarm there.
	marked := &score{}
	for _, cat := range surface.Categories {
		scores[cat] = &score{}
	}
	type pair struct{ file, cat string }
	for i, c := range cases {
		if errs[i] != nil {
			t.Errorf("%s: %v", c.Name, errs[i])
			continue
		}
		want := map[pair]bool{}
		for _, l := range c.Labels {
			want[pair{l.File, l.Category}] = true
		}
		got := map[pair][]string{}
		shown := map[pair]bool{}
		for _, f := range results[i] {
			if !surface.Muted(f) {
				shown[pair{f.File, f.Category}] = true
			}
			if showFindings {
				t.Logf("finding %s %s:%d %s %s/%s %s: %s", c.Name, f.File, f.Line, f.Rule, f.Severity, f.Confidence, f.Category, f.Message)
			}
			got[pair{f.File, f.Category}] = append(got[pair{f.File, f.Category}], fmt.Sprintf("%s:%d", f.Rule, f.Line))
		}
		for p := range want {
			scores[p.cat].pos++
			if shown[p] {
				marked.tp++
			} else {
				marked.fn++
			}
			if got[p] != nil {
				scores[p.cat].tp++
				total.tp++
				continue
			}
			scores[p.cat].fn++
			total.fn++
			t.Logf("missed  %-16s %s %s", p.cat, c.Name, p.file)
		}
		for p, rules := range got {
			if !want[p] && shown[p] {
				marked.fp++
			}
			if !want[p] {
				scores[p.cat].fp++
				total.fp++
				t.Logf("false+  %-16s %s %s %s", p.cat, c.Name, p.file, strings.Join(rules, " "))
			}
		}
	}
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-18s %5s %5s %5s %9s %7s\n", "category", "tp", "fp", "fn", "precision", "recall")
	cats := append([]string{}, surface.Categories...)
	sort.Strings(cats)
	for _, cat := range cats {
		s := scores[cat]
		if s.tp+s.fp+s.fn == 0 {
			continue
		}
		fmt.Fprintf(&table, "%-18s %5d %5d %5d %9.2f %7.2f\n", cat, s.tp, s.fp, s.fn, s.precision(), s.recall())
	}
	fmt.Fprintf(&table, "%-18s %5d %5d %5d %9.2f %7.2f\n", "all", total.tp, total.fp, total.fn, total.precision(), total.recall())
	fmt.Fprintf(&table, "%-18s %5d %5d %5d %9.2f %7.2f\n", "marked", marked.tp, marked.fp, marked.fn, marked.precision(), marked.recall())
	t.Logf("%d held-out commits%s", len(cases), table.String())
	return *total
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
