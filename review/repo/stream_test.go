package repo

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/diff"
)

// shapesRepo is a history with every shape of diff that patch ids and the
// diff stream must get right: a root commit, renames, a mode change, a
// binary file, no newline at end of file, whitespace-only edits, control
// bytes, an empty commit, an awkward path and a merge with a resolution.
func shapesRepo(t *testing.T) string {
	t.Helper()
	dir, write, commit := scratchRepo(t)
	var long strings.Builder
	for i := 0; i < 200; i++ {
		long.WriteString("line " + strings.Repeat("x", i%7) + "\n")
	}
	write("a.go", "package a\n\nfunc A() {}\n")
	write("long.txt", long.String())
	commit("root")
	write("a.go", "package a\n\nfunc A() {\n\tprintln(\"hi\")\n}")
	commit("no newline at end")
	if err := os.MkdirAll(filepath.Join(dir, "moved"), 0o755); err != nil {
		t.Fatal(err)
	}
	gitT(t, dir, "mv", "long.txt", "moved/long.txt")
	commit("rename")
	gitT(t, dir, "update-index", "--chmod=+x", "a.go")
	gitT(t, dir, "commit", "-q", "-m", "mode")
	write("bin.dat", "\x00\x01\x02binary\x00")
	write("ws.txt", "a  b\tc\r\nform\ffeed\vtab\n")
	commit("binary and whitespace")
	write("ws.txt", "a b c\r\nform\ffeed\vtab \n")
	write("spaces in/name\twith tab.txt", "x\n")
	write("ünï.txt", "y\n")
	commit("whitespace only, awkward paths")
	commit("empty")
	gitT(t, dir, "checkout", "-q", "-b", "side")
	write("a.go", "package a\n\nfunc A() {\n\tprintln(\"side\")\n}")
	commit("side")
	gitT(t, dir, "checkout", "-q", "main")
	write("a.go", "package a\n\nfunc A() {\n\tprintln(\"main\")\n}")
	commit("main")
	cmd := exec.Command("git", "merge", "-q", "side", "-m", "merge")
	cmd.Dir = dir
	cmd.Run() // conflicts: resolved below
	write("a.go", "package a\n\nfunc A() {\n\tprintln(\"both\")\n\texec()\n}")
	commit("merge")
	return dir
}

// gitPatchIDs is `git log -p | git patch-id --stable` over a range: what
// git itself says each non-merge commit's patch id is.
func gitPatchIDs(t *testing.T, dir string, rangeArgs ...string) map[string]string {
	t.Helper()
	args := append([]string{"-c", "core.quotepath=false", "log", "--format=commit %H", "-p", "-M",
		"--no-color", "--no-ext-diff", "--no-textconv", "--full-index"}, rangeArgs...)
	logCmd := exec.Command("git", args...)
	logCmd.Dir = dir
	patches, err := logCmd.Output()
	if err != nil {
		t.Fatalf("git log -p: %v", err)
	}
	pid := exec.Command("git", "patch-id", "--stable")
	pid.Dir = dir
	pid.Stdin = bytes.NewReader(patches)
	out, err := pid.Output()
	if err != nil {
		t.Fatalf("git patch-id: %v", err)
	}
	ids := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			ids[f[1]] = f[0]
		}
	}
	return ids
}

// checkHistory compares, on every commit of a range, the diff stream with a
// diff-tree process of its own and the in-process patch id with git's.
func checkHistory(t *testing.T, dir string, rangeArgs ...string) {
	r := openT(t, dir)
	commits, err := r.Log(rangeArgs)
	if err != nil {
		t.Fatal(err)
	}
	want := gitPatchIDs(t, dir, rangeArgs...)
	rd := r.NewReader(context.Background())
	defer rd.Close()
	checked := 0
	for _, c := range commits {
		streamed, err := rd.Patch(c)
		if err != nil {
			t.Fatalf("%s: %v", c.Short(), err)
		}
		got := StablePatchID(streamed)
		if len(c.Parents) > 1 {
			// git log -p shows no diff for a merge: ask git patch-id of
			// the first-parent patch itself.
			patch, err := r.Patch(c)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(streamed, patch) {
				t.Errorf("%s: streamed merge patch differs from diff-tree's", c.Short())
			}
			wantPID, err := r.PatchID(patch)
			if err != nil {
				t.Fatal(err)
			}
			if got != wantPID {
				t.Errorf("%s (merge): patch id %q, git says %q", c.Short(), got, wantPID)
			}
			checked++
			continue
		}
		if got != want[c.SHA] {
			t.Errorf("%s %q: patch id %q, git patch-id --stable says %q", c.Short(), c.Subject(), got, want[c.SHA])
		}
		checked++
	}
	if checked != len(commits) || checked == 0 {
		t.Fatalf("checked %d of %d commits", checked, len(commits))
	}
	t.Logf("%d commits: streamed patches and in-process patch ids agree with git", checked)
}

func TestStreamMatchesGit(t *testing.T) {
	dir := shapesRepo(t)
	checkHistory(t, dir, "HEAD")

	// Every streamed patch is byte for byte the one-shot diff-tree's.
	r := openT(t, dir)
	commits, _ := r.Log([]string{"HEAD"})
	rd := r.NewReader(context.Background())
	defer rd.Close()
	for _, c := range commits {
		a, err := rd.Patch(c)
		if err != nil {
			t.Fatal(err)
		}
		b, err := r.Patch(c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: streamed patch differs:\n%s\n---\n%s", c.Short(), a, b)
		}
	}
}

// TestPatchIDRealHistory runs the differential test on a real history:
// VOUCH_REAL_REPO=/path/to/clone go test ./review/repo -run RealHistory.
func TestPatchIDRealHistory(t *testing.T) {
	dir := os.Getenv("VOUCH_REAL_REPO")
	if dir == "" {
		t.Skip("set VOUCH_REAL_REPO to a clone to compare patch ids on its whole history")
	}
	checkHistory(t, dir, "HEAD")
}

func TestReaderObjects(t *testing.T) {
	dir := shapesRepo(t)
	r := openT(t, dir)
	small := gitT(t, dir, "rev-parse", "HEAD:a.go")
	big := gitT(t, dir, "rev-parse", "HEAD:moved/long.txt")
	tree := gitT(t, dir, "rev-parse", "HEAD^{tree}")
	missing := strings.Repeat("ab", 20)
	rd := r.NewReader(context.Background())
	defer rd.Close()
	got, err := rd.Objects([]string{small, big, tree, missing, "HEAD~1:a.go"}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if string(got[small].Content) != "package a\n\nfunc A() {\n\tprintln(\"both\")\n\texec()\n}" {
		t.Errorf("small blob: %q", got[small].Content)
	}
	if got[big].Content != nil || got[big].Size <= 100 {
		t.Errorf("a blob over the limit must have its size only: %+v", got[big].Size)
	}
	if got[tree].Content != nil || got[missing].Size != -1 {
		t.Errorf("tree %v, missing %v", got[tree], got[missing])
	}
	if !bytes.Contains(got["HEAD~1:a.go"].Content, []byte("main")) {
		t.Errorf("REV:PATH: %q", got["HEAD~1:a.go"].Content)
	}
	// The same answers as the one-shot reader.
	oneShot, err := r.Blobs([]string{small, big, tree, missing}, 100)
	if err != nil {
		t.Fatal(err)
	}
	streamed, err := rd.Blobs([]string{small, big, tree, missing}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(oneShot) != len(streamed) || !bytes.Equal(oneShot[small], streamed[small]) {
		t.Errorf("one-shot %d blobs, streamed %d", len(oneShot), len(streamed))
	}
	if _, err := rd.Objects([]string{"x\nHEAD"}, 100); err == nil {
		t.Error("a name with a newline must be refused")
	}
}

// A cancelled context ends the processes: nothing hangs, the error says so.
func TestReaderCancel(t *testing.T) {
	dir := shapesRepo(t)
	r := openT(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	rd := r.NewReader(ctx)
	commits, _ := r.Log([]string{"HEAD"})
	if _, err := rd.Patch(commits[1]); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := rd.Patch(commits[2]); err == nil {
		t.Error("a patch after cancel must fail")
	}
	if _, err := rd.Blobs([]string{"HEAD:a.go"}, 100); err == nil {
		t.Error("a blob after cancel must fail")
	}
	rd.Close()
}

func FuzzStablePatchID(f *testing.F) {
	f.Add([]byte("diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"))
	f.Add([]byte("diff --git a/x b/x\nold mode 100644\nnew mode 100755\n"))
	f.Add([]byte("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -99999999999999999999,1 +1 @@\n\x00\n"))
	f.Fuzz(func(t *testing.T, patch []byte) {
		id := StablePatchID(patch)
		if id != "" && len(id) != 40 {
			t.Fatalf("patch id %q", id)
		}
	})
}

// A commit too large to hold is cut at the limits into a patch that still
// parses, and its patch id is the whole diff's, as git computes it.
func TestDiffLimits(t *testing.T) {
	isolateGit(t)
	dir := t.TempDir()
	gitT(t, dir, "init", "-q", "-b", "main")
	gitT(t, dir, "commit", "-q", "--allow-empty", "-m", "base")
	var many strings.Builder
	for i := 0; i < 20000; i++ {
		many.WriteString("generated line " + strings.Repeat("z", i%50) + "\n")
	}
	files := map[string]string{
		"a-small.go": "package a\n",
		"b-many.txt": many.String(),
		"c-line.js":  "var x = \"" + strings.Repeat("y", 3<<20) + "\";\n",
		"d-after.go": "package d\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitT(t, dir, "add", ".")
	gitT(t, dir, "commit", "-q", "-m", "hostile")
	r := openT(t, dir)
	c, err := r.Commit("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	rd := r.NewReader(context.Background())
	defer rd.Close()
	whole, err := rd.Diff(c, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := gitPatchIDs(t, dir, "-n", "1", "HEAD")[c.SHA]
	if whole.PatchID != want || len(whole.Cut) != 0 {
		t.Fatalf("whole diff: patch id %s (git %s), cut %v", whole.PatchID, want, whole.Cut)
	}
	lim := Limits{FileBytes: 64 << 10, LineBytes: 4 << 10}
	cut, err := rd.Diff(c, lim)
	if err != nil {
		t.Fatal(err)
	}
	if cut.PatchID != want {
		t.Errorf("a cut diff keeps the whole diff's patch id: %s, want %s", cut.PatchID, want)
	}
	if strings.Join(cut.Cut, " ") != "a/b-many.txt b/b-many.txt a/c-line.js b/c-line.js" {
		t.Errorf("cut files %q", cut.Cut)
	}
	if len(cut.Patch) > 2*int(lim.FileBytes)+8<<10 {
		t.Errorf("cut patch holds %d bytes", len(cut.Patch))
	}
	files2, err := diff.Parse(cut.Patch)
	if err != nil {
		t.Fatalf("a cut patch must parse: %v", err)
	}
	var paths []string
	for _, f := range files2 {
		paths = append(paths, f.Path())
	}
	if strings.Join(paths, " ") != "a-small.go b-many.txt c-line.js d-after.go" {
		t.Errorf("files of the cut patch: %v", paths)
	}
	if n := len(files2[1].Hunks[0].Lines); n == 0 || n >= 20000 {
		t.Errorf("b-many.txt keeps %d lines", n)
	}
	// The one-shot path cuts the same way.
	patch, err := r.Patch(c)
	if err != nil {
		t.Fatal(err)
	}
	again, againCut := LimitPatch(patch, lim)
	if !bytes.Equal(again, cut.Patch) || strings.Join(againCut, " ") != strings.Join(cut.Cut, " ") {
		t.Error("LimitPatch and the stream cut differently")
	}
}

func TestPatchIDsInOneBatch(t *testing.T) {
	t.Run("one process", func(t *testing.T) { checkPatchIDs(t, shapesRepo(t)) })
	t.Run("one per CPU", func(t *testing.T) {
		defer func(n int) { patchIDsPerProcess = n }(patchIDsPerProcess)
		patchIDsPerProcess = 2
		checkPatchIDs(t, shapesRepo(t))
	})
}

// TestPatchIDsRealHistory is PatchIDs, split over processes, against git
// on a real history: VOUCH_REAL_REPO=/path/to/clone.
func TestPatchIDsRealHistory(t *testing.T) {
	dir := os.Getenv("VOUCH_REAL_REPO")
	if dir == "" {
		t.Skip("set VOUCH_REAL_REPO to a clone to compare patch ids on its whole history")
	}
	r := openT(t, dir)
	commits, err := r.Log([]string{"HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	rd := r.NewReader(context.Background())
	defer rd.Close()
	ids, err := rd.PatchIDs(commits)
	if err != nil {
		t.Fatal(err)
	}
	want := gitPatchIDs(t, dir, "HEAD")
	for _, c := range commits {
		if w, ok := want[c.SHA]; ok && ids[c.SHA] != w {
			t.Errorf("%s: %q, git says %q", c.Short(), ids[c.SHA], w)
		}
	}
	t.Logf("%d commits, %d compared", len(commits), len(want))
}

func checkPatchIDs(t *testing.T, dir string) {
	r := openT(t, dir)
	commits, err := r.Log([]string{"HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	rd := r.NewReader(context.Background())
	defer rd.Close()
	ids, err := rd.PatchIDs(commits)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commits {
		patch, _ := r.Patch(c)
		want, _ := r.PatchID(patch)
		if ids[c.SHA] != want {
			t.Errorf("%s: %q, want %q", c.Short(), ids[c.SHA], want)
		}
	}
	// The stream is still in step afterwards.
	d, err := rd.Diff(commits[1], Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := r.Patch(commits[1]); !bytes.Equal(d.Patch, want) {
		t.Error("the stream is out of step after a batch")
	}
}

// A patch that parses still parses once cut, whatever the limits.
func FuzzLimitPatch(f *testing.F) {
	f.Add([]byte("diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n@@ -1,2 +1,3 @@ func f()\n a\n-b\n+c\n+d\n\\ No newline at end of file\n"), int64(20), 8)
	f.Add([]byte("diff --git a/x b/x\nnew file mode 100644\n--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+aaaaaaaaaaaaaaaaaaaa\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-q\n+r\n"), int64(10), 4)
	f.Fuzz(func(t *testing.T, patch []byte, fileBytes int64, lineBytes int) {
		if fileBytes < 0 || lineBytes < 0 {
			return
		}
		out, _ := LimitPatch(patch, Limits{FileBytes: fileBytes, LineBytes: lineBytes})
		if _, err := diff.Parse(patch); err != nil {
			return
		}
		// Only body lines are ever long enough to cut (a header line is a
		// path or a hunk range, far below the 256 KiB of the session).
		for _, l := range strings.SplitAfter(string(patch), "\n") {
			if lineBytes > 0 && len(l) > lineBytes && (l == "" || !strings.ContainsRune(" +-", rune(l[0]))) {
				return
			}
		}
		if _, err := diff.Parse(out); err != nil {
			t.Fatalf("cut patch does not parse: %v\n%q", err, out)
		}
	})
}
