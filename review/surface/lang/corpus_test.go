package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vouchdev/vouch/review/surface"
	"github.com/vouchdev/vouch/review/surface/surfacetest"
)

// corpusCase is one labelled commit of testdata/corpus/lang-*.txtar.
type corpusCase struct {
	name           string
	expect, reject []string
	files          map[string][2]string // path -> {before, after}
}

// parseTxtar reads the txtar format (golang.org/x/tools/txtar) with the
// stdlib only: a comment, then "-- name --" headers each followed by a file.
func parseTxtar(name, data string) (corpusCase, error) {
	c := corpusCase{name: name, files: map[string][2]string{}}
	var cur string
	var body strings.Builder
	flush := func() error {
		if cur == "" {
			return nil
		}
		side, p, ok := strings.Cut(cur, "/")
		if !ok || side != "before" && side != "after" {
			return fmt.Errorf("%s: file %q is neither before/ nor after/", name, cur)
		}
		pair, seen := c.files[p]
		if !seen {
			pair = [2]string{surfacetest.Absent, surfacetest.Absent}
		}
		if side == "before" {
			pair[0] = body.String()
		} else {
			pair[1] = body.String()
		}
		c.files[p] = pair
		body.Reset()
		return nil
	}
	for _, line := range strings.SplitAfter(data, "\n") {
		trimmed := strings.TrimRight(line, "\n")
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") && len(trimmed) > 6 {
			if err := flush(); err != nil {
				return c, err
			}
			cur = strings.TrimSpace(trimmed[3 : len(trimmed)-3])
			continue
		}
		if cur != "" {
			body.WriteString(line)
			continue
		}
		if v, ok := strings.CutPrefix(trimmed, "expect:"); ok {
			c.expect = append(c.expect, strings.Fields(v)...)
		} else if v, ok := strings.CutPrefix(trimmed, "reject:"); ok {
			c.reject = append(c.reject, strings.Fields(v)...)
		}
	}
	return c, flush()
}

// TestCorpus runs this detector over its labelled commits: every expected
// category must be found, no rejected one; -v prints precision and recall.
func TestCorpus(t *testing.T) {
	paths, err := filepath.Glob("../testdata/corpus/lang-*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	type score struct{ tp, fp, fn, pos, neg int }
	scores := map[string]*score{}
	get := func(c string) *score {
		if scores[c] == nil {
			scores[c] = &score{}
		}
		return scores[c]
	}
	scanner := surface.NewScanner(New())
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c, err := parseTxtar(filepath.Base(p), string(data))
		if err != nil {
			t.Fatal(err)
		}
		for _, cat := range append(slices.Clone(c.expect), c.reject...) {
			if !slices.Contains(surface.Categories, cat) {
				t.Fatalf("%s: unknown category %q", c.name, cat)
			}
		}
		found := map[string]bool{}
		findings := scanner.Scan(surfacetest.Changes(t, c.files))
		for _, f := range findings {
			found[f.Category] = true
		}
		for _, cat := range c.expect {
			get(cat).pos++
			if found[cat] {
				get(cat).tp++
			} else {
				get(cat).fn++
				t.Errorf("%s: expected %s, not found", c.name, cat)
			}
		}
		for _, cat := range c.reject {
			get(cat).neg++
			if found[cat] {
				get(cat).fp++
				for _, f := range findings {
					if f.Category == cat {
						t.Errorf("%s: rejected %s found: %s %s:%d %s", c.name, cat, f.Rule, f.File, f.Line, f.Evidence)
					}
				}
			}
		}
	}
	t.Logf("%-16s %4s %4s %9s %6s", "category", "pos", "neg", "precision", "recall")
	for _, cat := range surface.Categories {
		s := scores[cat]
		if s == nil {
			continue
		}
		prec, rec := 1.0, 1.0
		if s.tp+s.fp > 0 {
			prec = float64(s.tp) / float64(s.tp+s.fp)
		}
		if s.pos > 0 {
			rec = float64(s.tp) / float64(s.pos)
		}
		t.Logf("%-16s %4d %4d %9.2f %6.2f", cat, s.pos, s.neg, prec, rec)
		if s.pos < 3 || s.neg < 2 {
			t.Errorf("%s: %d positive and %d negative cases; want at least 3 and 2", cat, s.pos, s.neg)
		}
	}
}
