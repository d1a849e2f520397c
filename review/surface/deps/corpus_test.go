package deps

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/vouchdev/vouch/review/surface"
	"github.com/vouchdev/vouch/review/surface/surfacetest"
)

// TestCorpus runs this detector alone over the deps-* cases of the shared
// corpus, so a miss shows up here before the engine-wide precision test.
func TestCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "corpus", "deps-*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	mine := map[string]bool{"dependency": true, "dependency-source": true, "install-script": true}
	pos, neg := map[string]int{}, map[string]int{}
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
			got := surface.NewScanner(New()).Scan(surfacetest.Changes(t, files))
			for _, f := range got {
				found[f.Category] = true
			}
			for _, c := range expect {
				if mine[c] {
					pos[c]++
					if !found[c] {
						t.Errorf("missed %s:\n%s", c, dump(got))
					}
				}
			}
			for _, c := range reject {
				if mine[c] {
					neg[c]++
					if found[c] {
						t.Errorf("false positive %s:\n%s", c, dump(got))
					}
				}
			}
			if testing.Verbose() {
				t.Logf("\n%s", dump(got))
			}
		})
	}
	for c := range mine {
		if pos[c] < 5 || neg[c] < 3 {
			t.Errorf("%s: %d positive and %d negative cases; want at least 5 and 3", c, pos[c], neg[c])
		}
	}
}
