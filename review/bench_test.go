package review

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// bigRepo is a 10,000-commit repository of a 300-file Go service where every
// fourth commit carries a Claude Code trailer, made once per test binary with
// one git fast-import stream.
var (
	bigOnce sync.Once
	bigDir  string
	bigErr  error
)

const bigCommits = 10000

func bigRepo(b *testing.B) string {
	b.Helper()
	bigOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "vouch-bench-")
		if bigErr != nil {
			return
		}
		if out, err := exec.Command("git", "init", "-q", "-b", "main", bigDir).CombinedOutput(); err != nil {
			bigErr = fmt.Errorf("%v: %s", err, out)
			return
		}
		var s bytes.Buffer
		files := 300
		content := func(f, version int) string {
			var c strings.Builder
			fmt.Fprintf(&c, "package svc%d\n\nimport \"net/http\"\n\n", f%17)
			for fn := 0; fn < 40; fn++ {
				fmt.Fprintf(&c, "// Handler%d serves /v%d/items/%d.\nfunc Handler%d(w http.ResponseWriter, r *http.Request) {\n\tw.WriteHeader(%d)\n}\n\n",
					fn, version%7, fn, fn, 200+(fn+version)%5)
			}
			return c.String()
		}
		for i := 1; i <= bigCommits; i++ {
			fmt.Fprintf(&s, "commit refs/heads/main\nmark :%d\n", i)
			fmt.Fprintf(&s, "author Dev %d <dev%d@example.com> %d +0000\n", i%13, i%13, 1700000000+i*600)
			fmt.Fprintf(&s, "committer Dev %d <dev%d@example.com> %d +0000\n", i%13, i%13, 1700000000+i*600)
			msg := fmt.Sprintf("Change handlers, step %d\n\nAdjusts status codes across a few files.\n", i)
			if i%4 == 0 {
				msg += "\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n"
			}
			fmt.Fprintf(&s, "data %d\n%s", len(msg), msg)
			if i > 1 {
				fmt.Fprintf(&s, "from :%d\n", i-1)
			}
			if i == 1 {
				for f := 0; f < files; f++ {
					c := content(f, 0)
					fmt.Fprintf(&s, "M 100644 inline pkg/svc%d/file%d.go\ndata %d\n%s", f%17, f, len(c), c)
				}
			} else {
				for k := 0; k < 3; k++ {
					f := (i*7 + k*101) % files
					c := content(f, i)
					fmt.Fprintf(&s, "M 100644 inline pkg/svc%d/file%d.go\ndata %d\n%s", f%17, f, len(c), c)
				}
			}
			s.WriteString("\n")
		}
		cmd := exec.Command("git", "fast-import", "--quiet")
		cmd.Dir = bigDir
		cmd.Stdin = &s
		if out, err := cmd.CombinedOutput(); err != nil {
			bigErr = fmt.Errorf("fast-import: %v: %s", err, out)
			return
		}
		exec.Command("git", "-C", bigDir, "reset", "-q", "--hard").Run()
		exec.Command("git", "-C", bigDir, "gc", "-q").Run()
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

// BenchmarkFirstQueue is what stands between `vouch` and its first screen:
// open the repository and config, resolve the default range (the last 100
// commits of HEAD here), read them, detect AI authorship and load the notes.
func BenchmarkFirstQueue(b *testing.B) {
	dir := bigRepo(b)
	for b.Loop() {
		s, err := Open(Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		q, err := s.Queue(nil)
		if err != nil || len(q.Items) != 25 {
			b.Fatalf("%v, %d items", err, len(q.Items))
		}
	}
}

// BenchmarkQueueAll10k queues every one of the 10,000 commits (--all HEAD).
func BenchmarkQueueAll10k(b *testing.B) {
	dir := bigRepo(b)
	for b.Loop() {
		s, err := Open(Options{Dir: dir, All: true})
		if err != nil {
			b.Fatal(err)
		}
		q, err := s.Queue([]string{"HEAD"})
		if err != nil || len(q.Items) != bigCommits {
			b.Fatalf("%v, %d items", err, len(q.Items))
		}
	}
}

// BenchmarkGitLog10k is the git binary listing the same 10,000 commits with
// their messages, for comparison with BenchmarkQueueAll10k.
func BenchmarkGitLog10k(b *testing.B) {
	dir := bigRepo(b)
	for b.Loop() {
		if err := exec.Command("git", "-C", dir, "log", "--format=%H %an %ae %B", "HEAD").Run(); err != nil {
			b.Fatal(err)
		}
	}
}

func lastCommits(b *testing.B, s *Session, n int) []Item {
	q, err := s.Queue([]string{"-n", fmt.Sprint(n), "HEAD"})
	if err != nil {
		b.Fatal(err)
	}
	return q.Items
}

// BenchmarkAnalyse is one commit's diff, parsed, plus its patch id: the work
// behind each J.
func BenchmarkAnalyse(b *testing.B) {
	dir := bigRepo(b)
	s, err := Open(Options{Dir: dir, All: true})
	if err != nil {
		b.Fatal(err)
	}
	items := lastCommits(b, s, 1000)
	i := 0
	for b.Loop() {
		if _, err := s.Analyse(items[i%len(items)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkGitShow is `git show` of the same commits, for comparison.
func BenchmarkGitShow(b *testing.B) {
	dir := bigRepo(b)
	s, err := Open(Options{Dir: dir, All: true})
	if err != nil {
		b.Fatal(err)
	}
	items := lastCommits(b, s, 1000)
	i := 0
	for b.Loop() {
		cmd := exec.Command("git", "-C", dir, "show", "--no-color", items[i%len(items)].Commit.SHA)
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
