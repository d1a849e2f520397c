package review

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/vouch-review/vouch/review/demo"
	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

// referenceAnalysis is how a commit was analysed before the session kept
// long-lived git processes: one diff-tree, one git patch-id and one
// cat-file per commit, in sequence. The streamed pool must give the same
// answers.
func referenceAnalysis(s *Session, it Item) (string, []surface.Finding, error) {
	patch, err := s.repo.Patch(it.Commit)
	if err != nil {
		return "", nil, err
	}
	pid, err := s.repo.PatchID(patch)
	if err != nil {
		return "", nil, err
	}
	files, err := diff.Parse(patch)
	if err != nil {
		return "", nil, err
	}
	changes, err := surfaceChanges(s.repo, files, "")
	if err != nil {
		return "", nil, err
	}
	findings := s.policy.Apply(s.scanner.Scan(changes))
	markFirstOfKind(s.repo, it.Commit, findings, time.Minute)
	return pid, findings, nil
}

// sameAnswers analyses a range with the worker pool and compares each
// commit's patch id and findings, as scan --json prints them, with the
// reference. A merge is compared on its first-parent analysis, which is
// what it was before merges were reviewed as merges.
func sameAnswers(t *testing.T, s *Session, rangeArgs []string) int {
	t.Helper()
	q, err := s.Queue(rangeArgs)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Items) == 0 {
		t.Fatalf("range %v has no commits to compare", rangeArgs)
	}
	compared := 0
	pooled := map[string]string{} // commit -> patch id and findings, from AnalyseAll
	err = s.AnalyseAll(context.Background(), q.Items, 2, func(i int, a *Analysis) error {
		it := q.Items[i]
		if a.Item.Commit.SHA != it.Commit.SHA {
			return fmt.Errorf("analysis %d is of %s, not %s: out of queue order", i, a.Item.Commit.Short(), it.Commit.Short())
		}
		js, _ := json.Marshal(a.Findings)
		pooled[it.Commit.SHA] = a.PatchID + " " + string(js)
		if len(it.Commit.Parents) > 1 {
			fp, err := s.AnalyseFirstParent(it)
			if err != nil {
				return err
			}
			if fp.PatchID != a.PatchID {
				return fmt.Errorf("%s: a merge's patch id must be its first-parent one", it.Commit.Short())
			}
			a = fp
		}
		pid, want, err := referenceAnalysis(s, it)
		if err != nil {
			return err
		}
		if pid != a.PatchID {
			t.Errorf("%s: patch id %s, before %s", it.Commit.Short(), a.PatchID, pid)
		}
		got, _ := json.Marshal(a.Findings)
		before, _ := json.Marshal(want)
		if !bytes.Equal(got, before) {
			t.Errorf("%s %q: findings differ\n now:    %s\n before: %s", it.Commit.Short(), it.Commit.Subject(), got, before)
		}
		compared++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A scan's one pass (AnalyseRange) lists the same queue and gives the
	// same answers as Queue then AnalyseAll.
	ranged := 0
	q2, err := s.AnalyseRange(context.Background(), rangeArgs, 2, nil, func(q2 *Queue, i int, a *Analysis) error {
		if i >= len(q.Items) || q2.Items[i].Commit.SHA != q.Items[i].Commit.SHA {
			return fmt.Errorf("AnalyseRange's commit %d is %s, not the queue's", i, q2.Items[i].Commit.Short())
		}
		if a.Item.Commit.SHA != q2.Items[i].Commit.SHA {
			return fmt.Errorf("AnalyseRange's analysis %d is of %s: out of queue order", i, a.Item.Commit.Short())
		}
		js, _ := json.Marshal(a.Findings)
		if got := a.PatchID + " " + string(js); got != pooled[a.Item.Commit.SHA] {
			t.Errorf("%s: AnalyseRange gives\n %s\nAnalyseAll\n %s", a.Item.Commit.Short(), got, pooled[a.Item.Commit.SHA])
		}
		ranged++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ranged != len(q.Items) || len(q2.Items) != len(q.Items) || q2.Scanned != q.Scanned {
		t.Errorf("AnalyseRange: %d analyses of %d items, %d scanned; the queue has %d items of %d", ranged, len(q2.Items), q2.Scanned, len(q.Items), q.Scanned)
	}
	return compared
}

func TestSameAnswersDemo(t *testing.T) {
	isolate(t)
	res, err := demo.Build(filepath.Join(t.TempDir(), "demo"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(Options{Dir: res.Dir, All: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := sameAnswers(t, s, []string{"--all"})
	t.Logf("demo: %d commits give the same answers", n)
}

// TestSameAnswersCorpus replays every case of the surface corpus as two
// commits of one history (the tree emptied between cases) and compares.
func TestSameAnswersCorpus(t *testing.T) {
	isolate(t)
	cases := surfacetest.LoadCorpus(t, filepath.Join("surface", "testdata", "corpus", "*.txtar"))
	dir := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", "-b", "main", dir).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var stream bytes.Buffer
	mark := 0
	for i, c := range cases {
		paths := make([]string, 0, len(c.Files))
		for p := range c.Files {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for side := 0; side < 2; side++ {
			mark++
			fmt.Fprintf(&stream, "commit refs/heads/main\nmark :%d\n", mark)
			fmt.Fprintf(&stream, "committer T <t@example.com> %d +0000\n", 1700000000+mark)
			msg := fmt.Sprintf("%s side %d\n", c.Name, side)
			fmt.Fprintf(&stream, "data %d\n%s", len(msg), msg)
			if mark > 1 {
				fmt.Fprintf(&stream, "from :%d\n", mark-1)
			}
			stream.WriteString("deleteall\n")
			for _, p := range paths {
				text := c.Files[p][side]
				if text == surfacetest.Absent {
					continue
				}
				fmt.Fprintf(&stream, "M 100644 inline %s\ndata %d\n%s\n", p, len(text), text)
			}
			stream.WriteString("\n")
		}
		_ = i
	}
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = dir
	cmd.Stdin = &stream
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fast-import: %v: %s", err, out)
	}
	s, err := Open(Options{Dir: dir, All: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := sameAnswers(t, s, []string{"main"})
	if n != 2*len(cases) {
		t.Errorf("compared %d commits of %d", n, 2*len(cases))
	}
	t.Logf("corpus: %d commits give the same answers", n)
}

// TestSameAnswersRealHistory compares on a real history's AI-authored
// commits: VOUCH_REAL_REPO=/path/to/clone go test ./review -run SameAnswersReal.
func TestSameAnswersRealHistory(t *testing.T) {
	dir := os.Getenv("VOUCH_REAL_REPO")
	if dir == "" {
		t.Skip("set VOUCH_REAL_REPO to a clone to compare on its history")
	}
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := sameAnswers(t, s, []string{"HEAD"})
	t.Logf("%s: %d AI-authored commits give the same answers", dir, n)
}
