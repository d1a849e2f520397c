package secrets

import (
	"fmt"
	"testing"
)

// TestPathAllowedRemembered: the remembered allow-list answer is gitleaks'
// own for every path and list, asked again, in another order, and after
// the memory was emptied for being full.
func TestPathAllowedRemembered(t *testing.T) {
	e, err := gitleaks()
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"go.sum", "main.go", "node_modules/left-pad/index.js", "img/Logo.PNG", "vendor/modules.txt",
		"src/app.js", "poetry.lock", "deep/er/gitleaks.toml", "a/.git", "docs/README.md", ""}
	allowed := 0
	for round := 0; round < 3; round++ {
		for _, m := range []*matcher{e.near, e.far} {
			for i := range paths {
				p := paths[(i*(round+1))%len(paths)]
				want := pathAllowed(p, m.Config.Allowlists)
				if got := m.pathAllowed(true, "", p, m.Config.Allowlists); got != want {
					t.Errorf("round %d, %q under the global lists: %v, gitleaks says %v", round, p, got, want)
				}
				if want && round == 0 {
					allowed++
				}
				for _, r := range m.rules {
					want := pathAllowed(p, r.Allowlists)
					if got := m.pathAllowed(false, r.RuleID, p, r.Allowlists); got != want {
						t.Errorf("round %d, %q under %s's lists: %v, gitleaks says %v", round, p, r.RuleID, got, want)
					}
				}
			}
		}
		if round == 1 {
			for i := 0; i <= maxAllowed; i++ {
				e.far.pathAllowed(true, "", fmt.Sprintf("filler/%d.go", i), e.far.Config.Allowlists)
			}
		}
	}
	if allowed == 0 {
		t.Fatal("no path was allow-listed: the test compares nothing")
	}
}
