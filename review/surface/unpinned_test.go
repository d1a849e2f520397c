package surface_test

import (
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/deps"
	"github.com/vouch-review/vouch/review/surface/infra"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

// TestOneUnpinnedActionPerFile: one action by a moving tag in three jobs of
// a workflow is one finding that says so, not one per job, and not also a
// dependency finding.
func TestOneUnpinnedActionPerFile(t *testing.T) {
	job := func(name string) string {
		return "  " + name + ":\n    runs-on: ubuntu-latest\n    steps:\n      - uses: pnpm/action-setup@v4\n      - run: pnpm test\n"
	}
	wf := "on: push\njobs:\n" + job("lint") + job("test") + job("build")
	cs := surfacetest.Changes(t, map[string][2]string{".github/workflows/ci.yml": {surfacetest.Absent, wf}})
	var got []surface.Finding
	for _, f := range surface.NewScanner(infra.New(), deps.New()).Scan(cs) {
		if strings.Contains(f.Message, "pnpm/action-setup") {
			got = append(got, f)
		}
	}
	if len(got) != 1 || got[0].Rule != "pipeline/gha-unpinned-action" || !strings.Contains(got[0].Message, "2 more uses in this file") {
		t.Fatalf("got %d findings: %v", len(got), got)
	}
}
