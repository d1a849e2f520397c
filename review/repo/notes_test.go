package repo

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// isolateGit keeps the user's and the system's git configuration out of the
// test, and pins identities and dates so that runs are repeatable.
func isolateGit(t *testing.T) {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	for k, v := range map[string]string{
		"GIT_AUTHOR_NAME":     "Ada Reviewer",
		"GIT_AUTHOR_EMAIL":    "ada@example.com",
		"GIT_AUTHOR_DATE":     "2025-01-02T03:04:05Z",
		"GIT_COMMITTER_NAME":  "Ada Reviewer",
		"GIT_COMMITTER_EMAIL": "ada@example.com",
		"GIT_COMMITTER_DATE":  "2025-01-02T03:04:05Z",
	} {
		t.Setenv(k, v)
	}
}

// gitT runs git in dir and fails the test on error.
// scratchRepo is an empty repository on main in a fresh, isolated git
// environment, with functions to write a file (directories made) and to
// commit everything (empty commits allowed).
func scratchRepo(t *testing.T) (dir string, write func(path, text string), commit func(msg string)) {
	t.Helper()
	isolateGit(t)
	dir = t.TempDir()
	gitT(t, dir, "init", "-q", "-b", "main")
	write = func(path, text string) {
		full := filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commit = func(msg string) {
		gitT(t, dir, "add", "-A")
		gitT(t, dir, "commit", "-q", "--allow-empty", "-m", msg)
	}
	return dir, write, commit
}

func gitT(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// newTestRepo makes a repository with n commits and returns it with their ids.
func newTestRepo(t *testing.T, n int) (string, []string) {
	t.Helper()
	isolateGit(t)
	dir := t.TempDir()
	gitT(t, dir, "init", "-q", "-b", "main")
	var ids []string
	for i := 0; i < n; i++ {
		gitT(t, dir, "commit", "-q", "--allow-empty", "-m", fmt.Sprintf("commit %d", i))
		ids = append(ids, gitT(t, dir, "rev-parse", "HEAD"))
	}
	return dir, ids
}

func openT(t *testing.T, dir string) *Repo {
	t.Helper()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// blobs makes n distinct blobs with one git process and returns their ids:
// objects to annotate without paying for n commits.
func blobs(t *testing.T, dir string, n int) []string {
	t.Helper()
	cmd := exec.Command("git", "hash-object", "-w", "--stdin-paths")
	cmd.Dir = dir
	var paths strings.Builder
	tmp := t.TempDir()
	for i := 0; i < n; i++ {
		p := filepath.Join(tmp, fmt.Sprint(i))
		if err := os.WriteFile(p, []byte(fmt.Sprintf("object %d\n", i)), 0o644); err != nil {
			t.Fatal(err)
		}
		paths.WriteString(p + "\n")
	}
	cmd.Stdin = strings.NewReader(paths.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(out))
}

// addNotes writes notes with `git notes add`.
func addNotes(t *testing.T, dir, ref string, notes map[string]string) {
	t.Helper()
	for obj, text := range notes {
		gitT(t, dir, "notes", "--ref="+ref, "add", "-f", "-m", text, obj)
	}
}

func appendLine(line string) func(string) (string, error) {
	return func(old string) (string, error) { return old + line + "\n", nil }
}

func TestNotesFlat(t *testing.T) {
	dir, ids := newTestRepo(t, 3)
	addNotes(t, dir, "x", map[string]string{ids[0]: "first", ids[2]: "third\nline two"})
	r := openT(t, dir)

	got, err := r.Notes("x")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ids[0]: "first\n", ids[2]: "third\nline two\n"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Notes = %q, want %q", got, want)
	}

	tests := []struct {
		name   string
		object string
		text   string
		ok     bool
	}{
		{"annotated", ids[0], "first\n", true},
		{"not annotated", ids[1], "", false},
		{"upper-case id", strings.ToUpper(ids[2]), "third\nline two\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, ok, err := r.Note("refs/notes/x", tt.object)
			if err != nil || ok != tt.ok || text != tt.text {
				t.Fatalf("Note = %q, %v, %v; want %q, %v", text, ok, err, tt.text, tt.ok)
			}
		})
	}

	missing, err := r.Notes("nothing-here")
	if err != nil || len(missing) != 0 {
		t.Fatalf("missing ref: %v, %v", missing, err)
	}
	if tip, err := r.ResolveRef("refs/notes/nothing-here"); tip != "" || err != nil {
		t.Fatalf("ResolveRef(missing) = %q, %v", tip, err)
	}
	if _, _, err := r.Note("x", "HEAD"); err == nil {
		t.Fatal("Note accepted a revision that is not an object id")
	}
}

// TestNotesFannedOut has git write enough notes to fan the tree out, then
// reads them back, edits, and checks git agrees with every note.
func TestNotesFannedOut(t *testing.T) {
	dir, _ := newTestRepo(t, 1)
	objs := blobs(t, dir, 402)
	// One fast-import commit of 400 notes; git notes rewrites it with its own
	// fan-out on the next `git notes add`.
	var fi strings.Builder
	fmt.Fprintf(&fi, "commit refs/notes/x\ncommitter T <t@example.com> 1700000000 +0000\ndata 4\nbulk\n")
	for i, o := range objs[:400] {
		text := fmt.Sprintf("note %d\n", i)
		fmt.Fprintf(&fi, "M 100644 inline %s\ndata %d\n%s", o, len(text), text)
	}
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(fi.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fast-import: %v\n%s", err, out)
	}
	gitT(t, dir, "notes", "--ref=x", "add", "-m", "note 400", objs[400])
	if ls := gitT(t, dir, "ls-tree", "--name-only", "refs/notes/x"); len(strings.Fields(ls)[0]) != 2 {
		t.Fatalf("git did not fan out 401 notes: %.200s", ls)
	}

	r := openT(t, dir)
	got, err := r.Notes("x")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 401 {
		t.Fatalf("read %d notes, want 401", len(got))
	}
	for i, o := range objs[:401] {
		if want := fmt.Sprintf("note %d\n", i); got[o] != want {
			t.Fatalf("note of %s = %q, want %q", o, got[o], want)
		}
	}

	// Edit an existing note and add a new one.
	if _, err := r.EditNote("x", objs[7], appendLine("more"), "edit", false); err != nil {
		t.Fatal(err)
	}
	if _, err := r.EditNote("x", objs[401], appendLine("new"), "add", false); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(gitT(t, dir, "ls-tree", "-r", "--name-only", "refs/notes/x"), "/"); n != 402 {
		t.Fatalf("%d notes in fanned-out paths, want all 402", n)
	}
	got, err = r.Notes("x")
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range objs {
		want := fmt.Sprintf("note %d\n", i)
		switch i {
		case 7:
			want += "more\n"
		case 401:
			want = "new\n"
		}
		if got[o] != want {
			t.Fatalf("note %d = %q, want %q", i, got[o], want)
		}
		if shown := gitT(t, dir, "notes", "--ref=x", "show", o); shown+"\n" != want {
			t.Fatalf("git notes show %d = %q, want %q", i, shown, want)
		}
	}
	gitT(t, dir, "fsck", "--strict", "--no-dangling")
}

func TestEditNoteKeepsForeignEntries(t *testing.T) {
	dir, ids := newTestRepo(t, 2)
	addNotes(t, dir, "x", map[string]string{ids[0]: "keep me"})
	// Add a foreign file and a foreign directory to the notes tree.
	base := gitT(t, dir, "rev-parse", "refs/notes/x^{tree}")
	cmd := exec.Command("git", "hash-object", "-w", "--stdin")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader("not a note\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	foreign := strings.TrimSpace(string(out))
	sub := mktree(t, dir, fmt.Sprintf("100755 blob %s\tscript\n", foreign))
	listing := gitT(t, dir, "ls-tree", base)
	tree := mktree(t, dir, listing+"\n"+
		fmt.Sprintf("100644 blob %s\tREADME\n040000 tree %s\tmisc\n", foreign, sub))
	parent := gitT(t, dir, "rev-parse", "refs/notes/x")
	c := gitT(t, dir, "commit-tree", tree, "-p", parent, "-m", "foreign")
	gitT(t, dir, "update-ref", "refs/notes/x", c)

	r := openT(t, dir)
	if _, err := r.EditNote("x", ids[1], appendLine("added"), "add", false); err != nil {
		t.Fatal(err)
	}
	if _, err := r.EditNote("x", ids[0], appendLine("and more"), "edit", false); err != nil {
		t.Fatal(err)
	}
	after := gitT(t, dir, "ls-tree", "-r", "refs/notes/x")
	for _, want := range []string{
		"100644 blob " + foreign + "\tREADME",
		"100755 blob " + foreign + "\tmisc/script",
	} {
		if !strings.Contains(after, want) {
			t.Fatalf("foreign entry %q lost:\n%s", want, after)
		}
	}
	if got := gitT(t, dir, "rev-parse", "refs/notes/x:misc"); got != sub {
		t.Fatalf("foreign tree rewritten: %s, want %s", got, sub)
	}
	if got := gitT(t, dir, "notes", "--ref=x", "show", ids[0]); got != "keep me\nand more" {
		t.Fatalf("edited note = %q", got)
	}
	if got := gitT(t, dir, "notes", "--ref=x", "show", ids[1]); got != "added" {
		t.Fatalf("new note = %q", got)
	}
	gitT(t, dir, "fsck", "--strict", "--no-dangling")
}

func mktree(t *testing.T, dir, listing string) string {
	t.Helper()
	cmd := exec.Command("git", "mktree")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(listing)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("mktree: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestEditNoteCreatesAndRemoves(t *testing.T) {
	dir, ids := newTestRepo(t, 1)
	r := openT(t, dir)
	tip, err := r.EditNote("x", ids[0], appendLine("one"), "create", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := gitT(t, dir, "rev-parse", "refs/notes/x"); got != tip {
		t.Fatalf("ref at %s, EditNote returned %s", got, tip)
	}
	if got := gitT(t, dir, "log", "-1", "--format=%s", "refs/notes/x"); got != "create" {
		t.Fatalf("message = %q", got)
	}
	same, err := r.EditNote("x", ids[0], func(old string) (string, error) { return old, nil }, "noop", false)
	if err != nil || same != tip {
		t.Fatalf("unchanged note made a commit: %s, %v", same, err)
	}
	if _, err := r.EditNote("x", ids[0], func(string) (string, error) { return "", nil }, "remove", false); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := r.Note("x", ids[0]); ok || err != nil {
		t.Fatalf("note still there: %v, %v", ok, err)
	}
	if got := gitT(t, dir, "rev-parse", "refs/notes/x^{tree}"); got != "4b825dc642cb6eb9a060e54bf8d69288fbee4904" {
		t.Fatalf("tree after removal = %s, want the empty tree", got)
	}
	wantErr := fmt.Errorf("refused")
	if _, err := r.EditNote("x", ids[0], func(string) (string, error) { return "", wantErr }, "x", false); err != wantErr {
		t.Fatalf("edit error = %v", err)
	}
}

// TestEditNoteRace has two writers append to one note at once: every lost
// compare-and-swap must be retried on the winner's tip.
func TestEditNoteRace(t *testing.T) {
	for _, shared := range []bool{true, false} {
		t.Run(fmt.Sprintf("shared repo %v", shared), func(t *testing.T) {
			dir, ids := newTestRepo(t, 1)
			repos := []*Repo{openT(t, dir), openT(t, dir)}
			if shared {
				repos[1] = repos[0]
			}
			before := lostRaces.Load()
			var wg sync.WaitGroup
			errs := make(chan error, 20)
			for w := 0; w < 2; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 10; i++ {
						line := fmt.Sprintf("writer %d line %d", w, i)
						if _, err := repos[w].EditNote("x", ids[0], appendLine(line), line, false); err != nil {
							errs <- err
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			text, _, err := repos[0].Note("x", ids[0])
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(text), "\n")
			sort.Strings(lines)
			if len(lines) != 20 {
				t.Fatalf("%d lines survived, want 20:\n%s", len(lines), text)
			}
			for w := 0; w < 2; w++ {
				for i := 0; i < 10; i++ {
					if !strings.Contains(text, fmt.Sprintf("writer %d line %d\n", w, i)) {
						t.Fatalf("writer %d line %d lost", w, i)
					}
				}
			}
			if n := gitT(t, dir, "rev-list", "--count", "refs/notes/x"); n != "20" {
				t.Fatalf("%s notes commits, want 20", n)
			}
			t.Logf("%d lost races retried", lostRaces.Load()-before)
		})
	}
}

// TestNotesAfterRepack reads notes that another process wrote and packed
// after this Repo had already indexed its packfiles.
func TestNotesAfterRepack(t *testing.T) {
	dir, ids := newTestRepo(t, 2)
	addNotes(t, dir, "x", map[string]string{ids[0]: "old"})
	gitT(t, dir, "repack", "-adq")
	r := openT(t, dir)
	if _, err := r.Notes("x"); err != nil {
		t.Fatal(err)
	}
	addNotes(t, dir, "x", map[string]string{ids[1]: "packed later"})
	gitT(t, dir, "repack", "-adq")
	gitT(t, dir, "prune-packed")
	got, err := r.Notes("x")
	if err != nil {
		t.Fatal(err)
	}
	if got[ids[1]] != "packed later\n" {
		t.Fatalf("notes after repack = %q", got)
	}
	if _, err := r.EditNote("x", ids[1], appendLine("edited"), "edit", false); err != nil {
		t.Fatal(err)
	}
	if got := gitT(t, dir, "notes", "--ref=x", "show", ids[1]); got != "packed later\nedited" {
		t.Fatalf("note = %q", got)
	}
}

func TestEditNoteSigned(t *testing.T) {
	dir, ids := newTestRepo(t, 1)
	keyDir := t.TempDir()
	key := filepath.Join(keyDir, "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ada", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	allowed := filepath.Join(keyDir, "allowed_signers")
	if err := os.WriteFile(allowed, []byte("ada@example.com "+string(pub)), 0o644); err != nil {
		t.Fatal(err)
	}
	gitT(t, dir, "config", "gpg.format", "ssh")
	gitT(t, dir, "config", "user.signingKey", key)
	gitT(t, dir, "config", "gpg.ssh.allowedSignersFile", allowed)

	r := openT(t, dir)
	tip, err := r.EditNote("x", ids[0], appendLine("signed"), "vouch: accept", true)
	if err != nil {
		t.Fatal(err)
	}
	out := gitT(t, dir, "verify-commit", "-v", tip)
	if !strings.Contains(out, `Good "git" signature for ada@example.com`) {
		t.Fatalf("verify-commit: %s", out)
	}
	unsigned, err := r.EditNote("x", ids[0], appendLine("unsigned"), "plain", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("git", "-C", dir, "verify-commit", unsigned).Run(); err == nil {
		t.Fatal("unsigned notes commit verified")
	}
}

// TestNotesAtSeveralPaths: a note both flat and fanned out is read as git
// reads it (both, concatenated), and the next write keeps one path with
// every line.
func TestNotesAtSeveralPaths(t *testing.T) {
	dir, ids := newTestRepo(t, 1)
	obj := ids[0]
	blob := func(text string) string {
		cmd := exec.Command("git", "hash-object", "-w", "--stdin")
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(text)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	sub := mktree(t, dir, "100644 blob "+blob("fanned\n")+"\t"+obj[2:]+"\n")
	root := mktree(t, dir, "100644 blob "+blob("flat\n")+"\t"+obj+"\n040000 tree "+sub+"\t"+obj[:2]+"\n")
	gitT(t, dir, "update-ref", "refs/notes/x", gitT(t, dir, "commit-tree", "-m", "both", root))
	gitShows := gitT(t, dir, "notes", "--ref=x", "show", obj)

	r := openT(t, dir)
	text, ok, err := r.Note("x", obj)
	if err != nil || !ok || strings.TrimSpace(text) != gitShows {
		t.Fatalf("Note = %q, %v, %v; git notes show prints %q", text, ok, err, gitShows)
	}
	all, err := r.Notes("x")
	if err != nil || strings.TrimSpace(all[obj]) != gitShows {
		t.Fatalf("Notes = %q, %v; git notes show prints %q", all[obj], err, gitShows)
	}
	if _, err := r.EditNote("x", obj, appendLine("new"), "append", false); err != nil {
		t.Fatal(err)
	}
	after := gitT(t, dir, "notes", "--ref=x", "show", obj)
	for _, want := range []string{"flat", "fanned", "new"} {
		if !strings.Contains(after, want) {
			t.Errorf("after the write the note lacks %q:\n%s", want, after)
		}
	}
	if paths := gitT(t, dir, "ls-tree", "-r", "--name-only", "refs/notes/x"); strings.Count(paths, "\n") != 0 {
		t.Errorf("the note is still at several paths:\n%s", paths)
	}
}
