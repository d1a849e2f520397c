// Package surfacetest builds surface.Changes the way production does: a
// temporary repository, two commits made with the git binary, and the
// commit's diff parsed by review/diff.
package surfacetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/surface"
)

// Absent marks a side on which the file does not exist (added or deleted).
const Absent = "\x00absent\x00"

// Change commits before and then after at path and returns the change as a
// detector sees it.
func Change(t testing.TB, path, before, after string) *surface.Change {
	t.Helper()
	cs := Changes(t, map[string][2]string{path: {before, after}})
	if len(cs) != 1 {
		t.Fatalf("surfacetest: %d changes for %s (before and after identical?)", len(cs), path)
	}
	return cs[0]
}

// Changes commits several files at once: path -> {before, after}.
func Changes(t testing.TB, files map[string][2]string) []*surface.Change {
	t.Helper()
	dir := t.TempDir()
	git := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
			"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return out
	}
	git("init", "-q")
	write := func(side int) {
		for p, texts := range files {
			full := filepath.Join(dir, p)
			if texts[side] == Absent {
				os.Remove(full)
				continue
			}
			os.MkdirAll(filepath.Dir(full), 0o755)
			if err := os.WriteFile(full, []byte(texts[side]), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git("add", "-A")
		git("commit", "-q", "--allow-empty", "-m", "x")
	}
	write(0)
	write(1)
	patch := git("-c", "core.quotepath=false", "diff-tree", "-p", "-M", "--no-commit-id", "--no-color", "--no-ext-diff", "--no-textconv", "--full-index", "HEAD~1", "HEAD")
	parsed, err := diff.Parse(patch)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var out []*surface.Change
	for i := range parsed {
		f := &parsed[i]
		c := &surface.Change{File: f}
		if f.OldPath != "" {
			if v := files[f.OldPath][0]; v != Absent {
				c.Before = []byte(v)
			}
		}
		if f.NewPath != "" {
			if v := files[f.NewPath][1]; v != Absent {
				c.After = []byte(v)
			}
		}
		out = append(out, c)
	}
	return out
}
