package infra

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/vouchdev/vouch/review/surface"
	"github.com/vouchdev/vouch/review/surface/surfacetest"
)

// TestCorpus runs this detector alone on the infra-* cases of the shared
// corpus, checking their infra and pipeline labels through the Scanner, so
// that context rules (README, docs) apply as in production.
func TestCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "corpus", "infra-*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	s := surface.NewScanner(New())
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var expect, reject []string
			for _, l := range strings.Split(string(ar.Comment), "\n") {
				if v, ok := strings.CutPrefix(l, "expect:"); ok {
					expect = append(expect, strings.Fields(v)...)
				}
				if v, ok := strings.CutPrefix(l, "reject:"); ok {
					reject = append(reject, strings.Fields(v)...)
				}
			}
			files := map[string][2]string{}
			for _, f := range ar.Files {
				side, name, _ := strings.Cut(f.Name, "/")
				v, ok := files[name]
				if !ok {
					v = [2]string{surfacetest.Absent, surfacetest.Absent}
				}
				if side == "before" {
					v[0] = string(f.Data)
				} else {
					v[1] = string(f.Data)
				}
				files[name] = v
			}
			found := map[string]bool{}
			for _, f := range s.Scan(surfacetest.Changes(t, files)) {
				found[f.Category] = true
				t.Logf("%s %s:%d [%s] %s", f.Rule, f.File, f.Line, f.Severity, f.Message)
			}
			for _, c := range expect {
				if (c == catInfra || c == catPipeline) && !found[c] {
					t.Errorf("expected %s, not found", c)
				}
			}
			for _, c := range reject {
				if found[c] {
					t.Errorf("found %s, rejected", c)
				}
			}
			if !slices.ContainsFunc(append(expect, reject...), func(c string) bool { return c == catInfra || c == catPipeline }) {
				t.Errorf("case labels neither infra nor pipeline")
			}
		})
	}
}
