package repo

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// tangledRepo is a history made to find where topoOrder and git differ:
// six branches that fork and merge (octopus merges too), two more roots,
// commit dates that go backwards and dates shared by many commits.
func tangledRepo(t *testing.T, n int) string {
	t.Helper()
	isolateGit(t)
	dir := t.TempDir()
	gitT(t, dir, "init", "-q", "-b", "main")
	rng := rand.New(rand.NewPCG(7, 11))
	var w strings.Builder
	tips := map[string]int{} // branch -> mark of its tip
	branches := []string{"main", "b1", "b2", "b3", "b4", "b5"}
	for i := 1; i <= n; i++ {
		br := branches[rng.IntN(len(branches))]
		if i == 1 {
			br = "main"
		}
		if i%97 == 0 {
			br = fmt.Sprintf("root%d", i) // a history of its own
			branches = append(branches, br)
		}
		date := 1600000000 + i*60
		switch rng.IntN(5) {
		case 0:
			date -= rng.IntN(20000) // a clock that was behind
		case 1:
			date = 1600000000 + (i/10)*600 // ten commits in the same second
		}
		msg := fmt.Sprintf("commit %d", i)
		fmt.Fprintf(&w, "commit refs/heads/%s\nmark :%d\ncommitter A <a@example.com> %d +0000\ndata %d\n%s\n", br, i, date, len(msg), msg)
		if tip, ok := tips[br]; ok {
			fmt.Fprintf(&w, "from :%d\n", tip)
			for _, other := range branches {
				if ot, ok := tips[other]; ok && other != br && rng.IntN(8) == 0 {
					fmt.Fprintf(&w, "merge :%d\n", ot)
				}
			}
		} else if br != "main" && !strings.HasPrefix(br, "root") {
			fmt.Fprintf(&w, "from :%d\n", tips["main"])
		}
		fmt.Fprintf(&w, "M 100644 inline f%d\ndata 2\n%d\n\n", i%13, i%10)
		tips[br] = i
	}
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(w.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fast-import: %v\n%s", err, out)
	}
	return dir
}

// checkTopoOrder compares LogEach with git's own --topo-order --reverse on
// each range, and checks that each saw every commit once.
func checkTopoOrder(t *testing.T, dir string, ranges [][]string) {
	t.Helper()
	r := openT(t, dir)
	for _, rng := range ranges {
		want := strings.Fields(gitT(t, dir, append([]string{"log", "--topo-order", "--reverse", "--format=%H"}, rng...)...))
		var seen []string
		got, err := r.LogEach(rng, func(c Commit) { seen = append(seen, c.SHA) })
		if err != nil {
			t.Fatalf("%v: %v", rng, err)
		}
		ids := make([]string, len(got))
		for i, c := range got {
			ids[i] = c.SHA
		}
		if !slices.Equal(ids, want) {
			first := 0
			for first < min(len(ids), len(want)) && ids[first] == want[first] {
				first++
			}
			t.Errorf("%v: %d commits, git lists %d; they part at %d", rng, len(ids), len(want), first)
		}
		slices.Sort(seen)
		slices.Sort(ids)
		if !slices.Equal(seen, ids) {
			t.Errorf("%v: each saw %d commits, the list has %d", rng, len(seen), len(ids))
		}
	}
}

// TestLogOrderMatchesGit: the walk order sorted by topoOrder is git's
// --topo-order on merges, octopus merges, several roots, skewed and shared
// dates, with and without a commit-graph (with one git sorts otherwise).
func TestLogOrderMatchesGit(t *testing.T) {
	dir := tangledRepo(t, 1500)
	b2 := gitT(t, dir, "rev-parse", "b2")
	ranges := [][]string{
		{"main"}, {"--all"}, {"b1", "b2", "b3"}, {"main..b1"}, {"b2...b4"},
		{"^b5", "b1", "b3"}, {"--branches", "--not", "main"}, {b2 + "~30..main"},
		{"main", "--"}, {"-n", "40", "main"}, {"--first-parent", "main"},
	}
	// The fixture is only worth it if git's walk order is not already
	// topological on it.
	if walk, topo := gitT(t, dir, "log", "--reverse", "--format=%H", "--all"), gitT(t, dir, "log", "--topo-order", "--reverse", "--format=%H", "--all"); walk == topo {
		t.Fatal("the tangled history's walk order is already git's topological order")
	}
	checkTopoOrder(t, dir, ranges)
	gitT(t, dir, "commit-graph", "write", "--reachable")
	checkTopoOrder(t, dir, ranges)
}

// TestLogOrderRealHistory is the same on a real clone:
// VOUCH_REAL_REPO=/path/to/clone go test ./review/repo -run LogOrderReal.
func TestLogOrderRealHistory(t *testing.T) {
	dir := os.Getenv("VOUCH_REAL_REPO")
	if dir == "" {
		t.Skip("set VOUCH_REAL_REPO to a clone to compare its commit order with git's")
	}
	checkTopoOrder(t, dir, [][]string{{"HEAD"}, {"--all"}})
}

func TestWalkOrderSame(t *testing.T) {
	for args, want := range map[string]bool{
		"HEAD": true, "a b": true, "--all": true, "--branches --tags": true, "HEAD --": true,
		"a..b": false, "a...b": false, "^x y": false, "y --not z": false,
		"-n 5 HEAD": false, "--since=1.week HEAD": false, "--first-parent HEAD": false, "HEAD -- path": false,
	} {
		if got := walkOrderSame(strings.Fields(args)); got != want {
			t.Errorf("walkOrderSame(%s) = %v, want %v", args, got, want)
		}
	}
}
