package golang

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vouchdev/vouch/review/surface"
	"github.com/vouchdev/vouch/review/surface/surfacetest"
)

// TestCorpus runs the Go cases of the labelled corpus through this detector
// alone, behind the engine's Scanner (so test-file context applies), and
// checks each case's expect: and reject: lines. The repository-wide corpus
// test measures precision and recall over every detector; this one says
// which Go case broke.
func TestCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "corpus", "go-*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no go corpus: %v", err)
	}
	perCat := map[string][2]int{}
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".txtar")
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		comment, files := parseTxtar(string(data))
		var expect, reject []string
		for _, l := range strings.Split(comment, "\n") {
			if v, ok := strings.CutPrefix(l, "expect:"); ok {
				expect = append(expect, strings.Fields(v)...)
			}
			if v, ok := strings.CutPrefix(l, "reject:"); ok {
				reject = append(reject, strings.Fields(v)...)
			}
		}
		t.Run(name, func(t *testing.T) {
			pairs := map[string][2]string{}
			for fp, body := range files {
				side, rel, _ := strings.Cut(fp, "/")
				pr, ok := pairs[rel]
				if !ok {
					pr = [2]string{surfacetest.Absent, surfacetest.Absent}
				}
				if side == "before" {
					pr[0] = body
				} else {
					pr[1] = body
				}
				pairs[rel] = pr
			}
			var found []surface.Finding
			if changes := surfacetest.Changes(t, pairs); len(changes) > 0 {
				found = surface.NewScanner(New()).Scan(changes)
			}
			if testing.Verbose() {
				t.Logf("findings:\n%s", dump(found))
			}
			cats := map[string]bool{}
			for _, f := range found {
				cats[f.Category] = true
			}
			for _, c := range expect {
				if !slices.Contains(surface.Categories, c) {
					t.Fatalf("%q is not a category", c)
				}
				if !cats[c] {
					t.Errorf("missed %s\n%s", c, dump(found))
				}
			}
			for _, c := range reject {
				if cats[c] {
					t.Errorf("false %s\n%s", c, dump(found))
				}
			}
		})
		for _, c := range expect {
			v := perCat[c]
			v[0]++
			perCat[c] = v
		}
		for _, c := range reject {
			v := perCat[c]
			v[1]++
			perCat[c] = v
		}
	}
	for _, c := range []string{"entry-point", "auth", "web-config", "egress", "exec", "native", "file", "data", "deserialization", "crypto", "logging"} {
		if v := perCat[c]; v[0] < 3 || v[1] < 2 {
			t.Errorf("%s: %d positive and %d negative Go cases; want at least 3 and 2", c, v[0], v[1])
		}
	}
}

// parseTxtar reads the txtar format (golang.org/x/tools/txtar): a comment,
// then files introduced by "-- name --" lines.
func parseTxtar(s string) (comment string, files map[string]string) {
	files = map[string]string{}
	name := ""
	var b strings.Builder
	flush := func() {
		if name == "" {
			comment = b.String()
		} else {
			files[name] = b.String()
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		l := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(l, "-- ") && strings.HasSuffix(l, " --") && len(l) > 6 {
			flush()
			name = strings.TrimSpace(l[3 : len(l)-3])
			continue
		}
		b.WriteString(line)
	}
	flush()
	return comment, files
}
