package review

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// poolRepo is a history of n commits, each adding a handler that runs a
// process, so every analysis has findings.
func poolRepo(t *testing.T, n int) *Session {
	t.Helper()
	r := newRepo(t)
	for i := 0; i < n; i++ {
		r.commit("Rae Viewer <rae@example.com>", fmt.Sprintf("step %d", i), map[string]string{
			fmt.Sprintf("ops/run%d.go", i): fmt.Sprintf("package ops\n\nimport \"os/exec\"\n\nfunc Run%d(cmd string) { exec.Command(\"sh\", \"-c\", cmd).Run() }\n", i),
		})
	}
	s, err := Open(Options{Dir: r.dir, All: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestAnalyseAllInOrder: every commit is analysed once, handed to emit in
// queue order, with the same diff and findings as Analyse gives it alone.
func TestAnalyseAllInOrder(t *testing.T) {
	s := poolRepo(t, 12)
	q, err := s.Queue([]string{"HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	for _, jobs := range []int{1, 3} {
		seen := 0
		err := s.AnalyseAll(context.Background(), q.Items, jobs, func(i int, a *Analysis) error {
			if i != seen || a.Item.Commit.SHA != q.Items[i].Commit.SHA {
				return fmt.Errorf("emit %d got item %d (%s): out of order", seen, i, a.Item.Commit.Short())
			}
			seen++
			alone, err := s.Analyse(q.Items[i])
			if err != nil {
				return err
			}
			if alone.PatchID != a.PatchID || fmt.Sprint(alone.Findings) != fmt.Sprint(a.Findings) || len(a.Findings) == 0 {
				return fmt.Errorf("%s: pool %s %v, alone %s %v", a.Item.Commit.Short(), a.PatchID, a.Findings, alone.PatchID, alone.Findings)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("jobs %d: %v", jobs, err)
		}
		if seen != len(q.Items) {
			t.Fatalf("jobs %d: %d of %d analyses emitted", jobs, seen, len(q.Items))
		}
	}
}

// TestAnalyseAllStops: an error from emit stops the pool and is returned;
// a cancelled context stops it too, with its git processes.
func TestAnalyseAllStops(t *testing.T) {
	s := poolRepo(t, 10)
	q, err := s.Queue([]string{"HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("enough")
	emitted := 0
	err = s.AnalyseAll(context.Background(), q.Items, 2, func(i int, a *Analysis) error {
		emitted++
		if i == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || emitted != 4 {
		t.Fatalf("AnalyseAll = %v after %d emits, want %v after 4", err, emitted, stop)
	}

	ctx, cancel := context.WithCancel(context.Background())
	emitted = 0
	err = s.AnalyseAll(ctx, q.Items, 2, func(i int, a *Analysis) error {
		emitted++
		if i == 1 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || emitted != 2 {
		t.Fatalf("AnalyseAll cancelled after 2 emits = %v after %d, want %v", err, emitted, context.Canceled)
	}
	// The session still works afterwards.
	if _, err := s.Analyse(q.Items[0]); err != nil {
		t.Fatal(err)
	}
}

// TestAnalyseAllMissingObject: a commit whose diff git cannot read (an
// object gone from the repository) is an error in its place in the queue,
// after the commits before it, not a hang.
func TestAnalyseAllMissingObject(t *testing.T) {
	s := poolRepo(t, 8)
	q, err := s.Queue([]string{"HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	blob := strings.TrimSpace(gitOut(t, s.Repo().Dir(), "rev-parse", "HEAD:ops/run5.go"))
	// git diff reads a blob from the work tree when the file there is the
	// one indexed: both go.
	for _, f := range []string{filepath.Join(s.Repo().GitDir(), "objects", blob[:2], blob[2:]), filepath.Join(s.Repo().Dir(), "ops", "run5.go")} {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	emitted := 0
	err = s.AnalyseAll(context.Background(), q.Items, 2, func(i int, a *Analysis) error {
		emitted++
		return nil
	})
	if err == nil || emitted != 5 {
		t.Fatalf("AnalyseAll = %v after %d emits, want an error after 5", err, emitted)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("the error is not one line: %q", err)
	}
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}

// TestAnalyseRange: a scan's one pass lists the queue Queue lists and
// emits every analysis once, in queue order, with AnalyseAll's answers;
// an error from emit or a cancelled context stops it.
func TestAnalyseRange(t *testing.T) {
	s := poolRepo(t, 12)
	q, err := s.Queue([]string{"HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	for _, jobs := range []int{1, 3} {
		seen, lastListed := 0, 0
		q2, err := s.AnalyseRange(context.Background(), []string{"HEAD"}, jobs, func(listed, analysed int) {
			if listed < lastListed || analysed > listed {
				t.Errorf("told %d listed, %d analysed after %d listed", listed, analysed, lastListed)
			}
			lastListed = listed
		}, func(q2 *Queue, i int, a *Analysis) error {
			if i != seen || q2.Items[i].Commit.SHA != q.Items[i].Commit.SHA || a.Item.Commit.SHA != q.Items[i].Commit.SHA {
				return fmt.Errorf("emit %d got item %d (%s): out of order", seen, i, a.Item.Commit.Short())
			}
			seen++
			alone, err := s.Analyse(q.Items[i])
			if err != nil {
				return err
			}
			if alone.PatchID != a.PatchID || fmt.Sprint(alone.Findings) != fmt.Sprint(a.Findings) || len(a.Findings) == 0 || a.Files != nil {
				return fmt.Errorf("%s: range %s %v, alone %s %v", a.Item.Commit.Short(), a.PatchID, a.Findings, alone.PatchID, alone.Findings)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("jobs %d: %v", jobs, err)
		}
		if seen != len(q.Items) || len(q2.Items) != len(q.Items) || lastListed != q.Scanned {
			t.Fatalf("jobs %d: %d of %d analyses emitted, %d listed of %d", jobs, seen, len(q.Items), lastListed, q.Scanned)
		}
	}

	stop := errors.New("enough")
	emitted := 0
	_, err = s.AnalyseRange(context.Background(), []string{"HEAD"}, 2, nil, func(_ *Queue, i int, a *Analysis) error {
		emitted++
		if i == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || emitted != 4 {
		t.Fatalf("AnalyseRange = %v after %d emits, want %v after 4", err, emitted, stop)
	}
	ctx, cancel := context.WithCancel(context.Background())
	emitted = 0
	_, err = s.AnalyseRange(ctx, []string{"HEAD"}, 2, nil, func(_ *Queue, i int, a *Analysis) error {
		emitted++
		if i == 1 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || emitted != 2 {
		t.Fatalf("AnalyseRange cancelled after 2 emits = %v after %d, want %v", err, emitted, context.Canceled)
	}
	if _, err := s.AnalyseRange(context.Background(), []string{"nosuch"}, 2, nil, func(*Queue, int, *Analysis) error { return nil }); err == nil {
		t.Fatal("AnalyseRange of a range that does not exist gave no error")
	}
}

// TestAnalyseRangeMissingObject: git lists the newest commit first, so the
// diff stream meets the broken commit before older ones; it is still the
// error in its own place in the queue, after the commits before it.
func TestAnalyseRangeMissingObject(t *testing.T) {
	s := poolRepo(t, 8)
	blob := strings.TrimSpace(gitOut(t, s.Repo().Dir(), "rev-parse", "HEAD:ops/run5.go"))
	broken := strings.TrimSpace(gitOut(t, s.Repo().Dir(), "rev-parse", "--short=8", "HEAD~2"))
	for _, f := range []string{filepath.Join(s.Repo().GitDir(), "objects", blob[:2], blob[2:]), filepath.Join(s.Repo().Dir(), "ops", "run5.go")} {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	emitted := 0
	_, err := s.AnalyseRange(context.Background(), []string{"HEAD"}, 2, nil, func(_ *Queue, i int, a *Analysis) error {
		emitted++
		return nil
	})
	if err == nil || emitted != 5 || !strings.Contains(err.Error(), broken) {
		t.Fatalf("AnalyseRange = %v after %d emits, want an error of %s after 5", err, emitted, broken)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("the error is not one line: %q", err)
	}
}
