package review

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/repo"
)

// clone makes a working clone of origin with its own reviewer and SSH key.
func clone(t *testing.T, origin, dir, name string) *testRepo {
	t.Helper()
	if out, err := exec.Command("git", "clone", "-q", origin, dir).CombinedOutput(); err != nil {
		t.Fatalf("clone: %v\n%s", err, out)
	}
	r := &testRepo{t: t, dir: dir}
	r.git("config", "user.name", name)
	r.git("config", "user.email", strings.ToLower(name)+"@example.com")
	sshKey(t, r)
	return r
}

// record signs a decision about commit as r's reviewer and appends it.
// Ed25519 signatures are deterministic, so comment keeps two decisions made
// in the same second distinct records.
func record(t *testing.T, r *testRepo, commit, decision, comment string) string {
	t.Helper()
	rr, err := repo.Open(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := rr.Config()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ledger.SignerFromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := ledger.Sign(signer, ledger.Payload{
		Type: ledger.RecordType, Commit: commit, Decision: decision,
		Reviewer: ledger.Person{Name: cfg.Get("user.name"), Email: cfg.Get("user.email")},
		Time:     time.Now().UTC().Format(time.RFC3339), Comment: comment, Tool: "vouch test", Via: "cli",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ledger.NewStore(rr, "").Append(commit, rec, true); err != nil {
		t.Fatal(err)
	}
	line, _ := rec.Line()
	return line
}

func load(t *testing.T, r *testRepo, commit string) []ledger.Entry {
	t.Helper()
	rr, err := repo.Open(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	all, err := ledger.NewStore(rr, "").Load()
	if err != nil {
		t.Fatal(err)
	}
	return all[commit]
}

func initRepo(t *testing.T, dir string) []InitStep {
	t.Helper()
	rr, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := Init(rr, "")
	if err != nil {
		t.Fatal(err)
	}
	return steps
}

func TestShareAcrossClones(t *testing.T) {
	isolate(t)
	root := t.TempDir()
	origin := filepath.Join(root, "origin.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", origin).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	a := clone(t, origin, filepath.Join(root, "a"), "Ada")
	c := a.commit("Claude <noreply@anthropic.com>", "ai change", map[string]string{"f.go": "package f\n"})
	a.git("push", "-q", "origin", "main")
	b := clone(t, origin, filepath.Join(root, "b"), "Bob")

	lineB := record(t, b, c, ledger.Accept, "first look")
	b.git("push", "-q", "origin", "refs/notes/vouch")

	steps := initRepo(t, a.dir)
	spec := "+refs/notes/vouch:refs/notes/remotes/origin/vouch"
	if !slices.Contains(steps, InitStep{What: "remote.origin.fetch += " + spec, Changed: true}) ||
		!slices.Contains(steps, InitStep{What: "run: git push origin refs/notes/vouch"}) {
		t.Fatalf("steps %+v", steps)
	}
	a.git("fetch", "-q", "origin")
	got := load(t, a, c)
	if len(got) != 1 || got[0].Err != nil || got[0].Raw != lineB || got[0].Ref != "refs/notes/remotes/origin/vouch" {
		t.Fatalf("A sees %+v", got)
	}

	lineA := record(t, a, c, ledger.Reject, "needs tests")
	if note := a.git("notes", "--ref=vouch", "show", c); note != lineB+"\n"+lineA {
		t.Fatalf("A's note:\n%s", note)
	}
	// No --force: the write merged B's trail, so this fast-forwards.
	a.git("push", "-q", "origin", "refs/notes/vouch")
	if raw := a.git("cat-file", "commit", "refs/notes/vouch"); !strings.Contains(raw, "gpgsig -----BEGIN SSH SIGNATURE-----") {
		t.Fatalf("merge notes commit is not signed:\n%s", raw)
	}

	initRepo(t, b.dir)
	b.git("fetch", "-q", "origin")
	got = load(t, b, c)
	if len(got) != 2 || got[0].Raw != lineB || got[0].Ref != "refs/notes/vouch" ||
		got[1].Raw != lineA || got[1].Ref != "refs/notes/remotes/origin/vouch" {
		t.Fatalf("B sees %+v", got)
	}
	// B's next write folds A's record in and fast-forwards too.
	lineB2 := record(t, b, c, ledger.Accept, "tests added")
	b.git("push", "-q", "origin", "refs/notes/vouch")
	if note := b.git("--git-dir="+origin, "notes", "--ref=vouch", "show", c); note != lineB+"\n"+lineA+"\n"+lineB2 {
		t.Fatalf("origin's note:\n%s", note)
	}

	// After init, amend carries the note and git log shows it.
	a.git("fetch", "-q", "origin")
	record(t, a, c, ledger.Accept, "agreed") // folds B's second record into A's note
	before := a.git("notes", "--ref=vouch", "show", c)
	a.git("commit", "-q", "--amend", "-m", "ai change, amended")
	amended := a.git("rev-parse", "HEAD")
	if amended == c {
		t.Fatal("amend kept the commit id")
	}
	if note := a.git("notes", "--ref=vouch", "show", amended); note != before {
		t.Fatalf("amended commit's note:\n%s\nwant:\n%s", note, before)
	}
	if log := a.git("log", "-1"); !strings.Contains(log, "Notes (vouch):") || !strings.Contains(log, lineB2) {
		t.Fatalf("git log does not show the decisions:\n%s", log)
	}
}

func TestInitIdempotent(t *testing.T) {
	isolate(t)
	root := t.TempDir()
	a := &testRepo{t: t, dir: root}
	a.git("init", "-q", "-b", "main", "a")
	a.dir = filepath.Join(root, "a")
	a.git("remote", "add", "origin", "https://example.com/origin.git")
	a.git("remote", "add", "backup", "https://example.com/backup.git")
	a.git("config", "notes.rewrite.amend", "yes") // already true, spelled otherwise
	a.git("config", "notes.rewriteMode", "overwrite")

	first := initRepo(t, a.dir)
	changed := map[string]bool{}
	for _, s := range first {
		changed[s.What] = s.Changed
	}
	want := map[string]bool{
		"remote.origin.fetch += +refs/notes/vouch:refs/notes/remotes/origin/vouch": true,
		"remote.backup.fetch += +refs/notes/vouch:refs/notes/remotes/backup/vouch": true,
		"notes.rewriteRef += refs/notes/vouch":                                     true,
		"notes.rewrite.amend = true":                                               false,
		"notes.rewrite.rebase = true":                                              true,
		"notes.rewriteMode = cat_sort_uniq":                                        true,
		"notes.displayRef += refs/notes/vouch":                                     true,
		"run: git push origin refs/notes/vouch":                                    false,
		"run: git push backup refs/notes/vouch":                                    false,
	}
	for what, c := range want {
		if got, ok := changed[what]; !ok || got != c {
			t.Errorf("step %q: changed=%v present=%v, want changed=%v", what, got, ok, c)
		}
	}
	if len(first) != len(want) {
		t.Errorf("steps %+v", first)
	}

	second := initRepo(t, a.dir)
	if len(second) != len(first) {
		t.Fatalf("second run: %+v", second)
	}
	for _, s := range second {
		if s.Changed {
			t.Errorf("second run changed %q", s.What)
		}
	}
	for key, value := range map[string]string{
		"remote.origin.fetch": "+refs/notes/vouch:refs/notes/remotes/origin/vouch",
		"notes.rewriteRef":    "refs/notes/vouch",
		"notes.displayRef":    "refs/notes/vouch",
		"notes.rewriteMode":   "cat_sort_uniq",
		"notes.rewrite.amend": "yes",
	} {
		values := strings.Split(a.git("config", "--get-all", key), "\n")
		if n := slices.Index(values, value); n < 0 || slices.Contains(values[n+1:], value) {
			t.Errorf("%s = %q: want %q exactly once", key, values, value)
		}
	}
	// The remote's own fetch refspec is kept.
	if fetch := a.git("config", "--get-all", "remote.origin.fetch"); !strings.Contains(fetch, "+refs/heads/*:refs/remotes/origin/*") {
		t.Errorf("origin fetch: %s", fetch)
	}
}

func TestInitBareNoRemote(t *testing.T) {
	isolate(t)
	dir := filepath.Join(t.TempDir(), "bare.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", dir).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	rr, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := Init(rr, "notes/decisions")
	if err != nil {
		t.Fatal(err)
	}
	last := steps[len(steps)-1]
	if last.Changed || !strings.Contains(last.What, "no remote is configured") {
		t.Fatalf("steps %+v", steps)
	}
	b := &testRepo{t: t, dir: dir}
	if got := b.git("config", "--get-all", "notes.displayRef"); got != "refs/notes/decisions" {
		t.Fatalf("displayRef %q", got)
	}
	if got := b.git("config", "notes.rewrite.rebase"); got != "true" {
		t.Fatalf("rewrite.rebase %q", got)
	}
	if _, err := Init(rr, "refs/heads/main"); err == nil {
		t.Fatal("a branch accepted as notes ref")
	}
}
