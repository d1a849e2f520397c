package secrets

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/vouchdev/vouch/review/surface/surfacetest"
)

// TestCorpus runs this detector alone over the secret-*.txtar cases of the
// shared corpus, so a broken case shows up here with its findings, before
// the engine-wide precision/recall table.
func TestCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "corpus", "secret-*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var pos, neg int
	d := New()
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(p)
			if err != nil {
				t.Fatal(err)
			}
			expect := strings.Contains(string(ar.Comment), "\nexpect: secret")
			reject := strings.Contains(string(ar.Comment), "\nreject: secret")
			if expect == reject {
				t.Fatalf("want exactly one of expect: secret and reject: secret")
			}
			if expect {
				pos++
			} else {
				neg++
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
			var found int
			var got []string
			for _, c := range surfacetest.Changes(t, files) {
				if !d.Applies(c.Path()) {
					continue
				}
				for _, f := range d.Detect(c) {
					found++
					got = append(got, c.Path()+": "+f.Rule+" "+f.Evidence)
				}
			}
			if expect && found == 0 {
				t.Errorf("no secret found")
			}
			if reject && found > 0 {
				t.Errorf("unexpected secrets:\n%s", strings.Join(got, "\n"))
			}
			t.Logf("%s", strings.Join(got, "\n"))
		})
	}
	if pos < 5 || neg < 3 {
		t.Errorf("corpus has %d positive and %d negative secret cases; want at least 5 and 3", pos, neg)
	}
}
