package repo

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGitErrorsInUsersWords runs real failures of git in real repositories
// and checks that each is one line in the user's words, never git's own
// "git -c: fatal: …".
func TestGitErrorsInUsersWords(t *testing.T) {
	isolateGit(t)
	include := filepath.Join(t.TempDir(), "signing.inc")
	if err := os.WriteFile(include, []byte("[gpg]\n\tformat = bogus\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string) // breaks the repository
		do    func(r *Repo) error
		want  string // the whole message
		kind  error
	}{
		{
			name: "unknown branch in a range",
			do:   func(r *Repo) error { _, err := r.Log([]string{"nosuchbranch"}); return err },
			want: "no such revision: nosuchbranch",
			kind: ErrNoRevision,
		},
		{
			name: "unknown ends of A..B",
			do:   func(r *Repo) error { _, err := r.Log([]string{"main..nosuch"}); return err },
			want: "no such revision: main..nosuch",
			kind: ErrNoRevision,
		},
		{
			name: "ancestor past the root",
			do:   func(r *Repo) error { _, err := r.Log([]string{"HEAD~5..HEAD"}); return err },
			want: "no such revision: HEAD~5..HEAD",
			kind: ErrNoRevision,
		},
		{
			name: "one commit by name",
			do:   func(r *Repo) error { _, err := r.Commit("nosuchbranch"); return err },
			want: "no such revision: nosuchbranch",
			kind: ErrNoRevision,
		},
		{
			name: "a revision with a control character",
			do:   func(r *Repo) error { _, err := r.Commit("evil\x1b]0;x\a"); return err },
			want: `no such revision: "evil\x1b]0;x\a"`,
			kind: ErrNoRevision,
		},
		{
			name:  "gpg.format bogus",
			setup: func(t *testing.T, dir string) { gitT(t, dir, "config", "gpg.format", "bogus") },
			do:    func(r *Repo) error { _, err := r.Log([]string{"HEAD"}); return err },
			want:  `git config gpg.format is "bogus": want openpgp, x509 or ssh (set in .git/config:LAST)`,
			kind:  ErrBadConfig,
		},
		{
			name:  "gpg.format bogus in an included file",
			setup: func(t *testing.T, dir string) { gitT(t, dir, "config", "include.path", include) },
			do:    func(r *Repo) error { _, err := r.Log([]string{"HEAD"}); return err },
			want:  `git config gpg.format is "bogus": want openpgp, x509 or ssh (set in ` + include + `:2)`,
			kind:  ErrBadConfig,
		},
		{
			name:  "gpg.format bogus at a commit",
			setup: func(t *testing.T, dir string) { gitT(t, dir, "config", "gpg.format", "bogus") },
			do:    func(r *Repo) error { _, err := r.Commit("HEAD"); return err },
			want:  `git config gpg.format is "bogus": want openpgp, x509 or ssh (set in .git/config:LAST)`,
			kind:  ErrBadConfig,
		},
		{
			name:  "a number that is not one",
			setup: func(t *testing.T, dir string) { gitT(t, dir, "config", "core.abbrev", "xyz") },
			do:    func(r *Repo) error { _, err := r.Log([]string{"HEAD"}); return err },
			want:  `git config core.abbrev is "xyz": want a number`,
			kind:  ErrBadConfig,
		},
		{
			name:  "broken config syntax",
			setup: func(t *testing.T, dir string) { appendFile(t, filepath.Join(dir, ".git", "config"), "[core\n") },
			do:    func(r *Repo) error { _, err := r.ListRefs("refs/heads/"); return err },
			want:  "bad git config syntax in .git/config:LAST",
			kind:  ErrBadConfig,
		},
		{
			name: "the repository went away",
			setup: func(t *testing.T, dir string) {
				t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
				if err := os.RemoveAll(filepath.Join(dir, ".git")); err != nil {
					t.Fatal(err)
				}
			},
			do:   func(r *Repo) error { _, err := r.Log([]string{"HEAD"}); return err },
			want: "DIR is not a git repository",
			kind: ErrNotRepository,
		},
		{
			name: "anything else is git's fatal line, named by its command",
			do: func(r *Repo) error {
				_, err := r.Git("-c", "log.showSignature=false", "log", "--bogus-option")
				return err
			},
			want: "git log: unrecognized argument: --bogus-option",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, _ := newTestRepo(t, 2)
			t.Chdir(dir) // paths are shown relative to where the user stands
			r := openT(t, dir)
			if c.setup != nil {
				c.setup(t, dir)
			}
			err := c.do(r)
			if err == nil {
				t.Fatal("no error")
			}
			want := strings.ReplaceAll(c.want, "DIR", dir)
			if cfg, err := os.ReadFile(filepath.Join(dir, ".git", "config")); err == nil {
				// The line a setup appended last: init writes more lines in some git versions.
				want = strings.ReplaceAll(want, "LAST", fmt.Sprint(strings.Count(string(cfg), "\n")))
			}
			if err.Error() != want {
				t.Errorf("error\n %q\nwant\n %q", err, want)
			}
			checkOneLine(t, err)
			if c.kind != nil && !errors.Is(err, c.kind) {
				t.Errorf("errors.Is(%v) is false", c.kind)
			}
		})
	}
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

func checkOneLine(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	for _, bad := range []string{"\n", "fatal:", "error:", "git -c", "usage:"} {
		if strings.Contains(msg, bad) {
			t.Errorf("error %q contains %q", msg, bad)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	isolateGit(t)
	t.Run("not a repository", func(t *testing.T) {
		dir := t.TempDir()
		t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
		_, err := Open(dir)
		if err == nil || !errors.Is(err, ErrNotRepository) ||
			err.Error() != dir+" is not a git repository (run vouch inside a git repository or pass -C DIR)" {
			t.Fatalf("Open: %v", err)
		}
		checkOneLine(t, err)
	})
	t.Run("no such directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "gone")
		_, err := Open(dir)
		if err == nil || err.Error() != dir+" does not exist (pass -C DIR with a repository's directory)" {
			t.Fatalf("Open: %v", err)
		}
	})
	t.Run("bad boolean", func(t *testing.T) {
		dir, _ := newTestRepo(t, 1)
		appendFile(t, filepath.Join(dir, ".git", "config"), "[core]\n\tbare = maybe\n")
		_, err := Open(dir)
		if err == nil || errors.Is(err, ErrNotRepository) || !errors.Is(err, ErrBadConfig) ||
			!strings.HasPrefix(err.Error(), `git config core.bare is "maybe": want true or false`) {
			t.Fatalf("Open: %v", err)
		}
		checkOneLine(t, err)
	})
}

func TestGitMessage(t *testing.T) {
	for in, want := range map[string]string{
		"":                                  "",
		"fatal: x\n":                        "x",
		"hint: a\nerror: b\nfatal: c\n":     "c",
		"warning: w\nerror: e\n":            "e",
		"plain\nsecond\n":                   "plain",
		"fatal: bell \a here":               `"bell \a here"`,
		"error: invalid value for 'x': 'y'": "invalid value for 'x': 'y'",
	} {
		if got := gitMessage(in); got != want {
			t.Errorf("gitMessage(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-c", "a=b", "log"}, "log"},
		{[]string{"-C", "dir", "--no-pager", "show", "x"}, "show"},
		{nil, ""},
	} {
		if got := subcommand(c.args); got != c.want {
			t.Errorf("subcommand(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

// plantLock leaves a lock file on ref as a killed git process would, aged
// by age.
func plantLock(t *testing.T, dir, ref string, age time.Duration) string {
	t.Helper()
	lock := filepath.Join(dir, ".git", filepath.FromSlash(ref)+".lock")
	if err := os.MkdirAll(filepath.Dir(lock), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	then := time.Now().Add(-age)
	if err := os.Chtimes(lock, then, then); err != nil {
		t.Fatal(err)
	}
	return lock
}

func TestEditNoteStaleLock(t *testing.T) {
	dir, ids := newTestRepo(t, 1)
	r := openT(t, dir)
	lock := plantLock(t, dir, "refs/notes/vouch", time.Hour)
	races, waits := lostRaces.Load(), lockRetries.Load()
	_, err := r.EditNote("vouch", ids[0], appendLine("a"), "note", false)
	if err == nil {
		t.Fatal("wrote through a lock file")
	}
	want := "cannot update refs/notes/vouch: " + lock + " exists: another git process may be running; if not, remove " + lock
	if err.Error() != want {
		t.Errorf("error\n %q\nwant\n %q", err, want)
	}
	if !errors.Is(err, ErrRefLocked) || errors.Is(err, ErrNoteRace) {
		t.Errorf("error kinds of %v", err)
	}
	checkOneLine(t, err)
	if n := lockRetries.Load() - waits; n != 0 {
		t.Errorf("a stale lock was tried %d more times", n)
	}
	if n := lostRaces.Load() - races; n != 0 {
		t.Errorf("a stale lock counted as %d lost races", n)
	}
	// Removing the lock, as the message says, is the remedy.
	if err := os.Remove(lock); err != nil {
		t.Fatal(err)
	}
	if _, err := r.EditNote("vouch", ids[0], appendLine("a"), "note", false); err != nil {
		t.Fatal(err)
	}
}

func TestEditNoteHeldLock(t *testing.T) {
	defer func(d time.Duration) { lockWait = d }(lockWait)
	lockWait = 300 * time.Millisecond
	dir, ids := newTestRepo(t, 1)
	r := openT(t, dir)

	t.Run("held past the wait", func(t *testing.T) {
		lock := plantLock(t, dir, "refs/notes/vouch", 0)
		defer os.Remove(lock)
		waits := lockRetries.Load()
		_, err := r.EditNote("vouch", ids[0], appendLine("a"), "note", false)
		if !errors.Is(err, ErrRefLocked) || !strings.Contains(err.Error(), "if not, remove "+lock) {
			t.Fatalf("error %v, want the lock named", err)
		}
		if lockRetries.Load() == waits {
			t.Error("a fresh lock was not waited for")
		}
	})
	t.Run("released mid-way", func(t *testing.T) {
		lock := plantLock(t, dir, "refs/notes/vouch", 0)
		waits := lockRetries.Load()
		released := make(chan error, 1)
		go func() {
			// Release the lock once the writer has found it held.
			for lockRetries.Load() == waits {
				time.Sleep(time.Millisecond)
			}
			released <- os.Remove(lock)
		}()
		tip, err := r.EditNote("vouch", ids[0], appendLine("a"), "note", false)
		if err != nil {
			t.Fatal(err)
		}
		if err := <-released; err != nil {
			t.Fatal(err)
		}
		if got := gitT(t, dir, "rev-parse", "refs/notes/vouch"); got != tip {
			t.Errorf("ref at %s, want %s", got, tip)
		}
		if text, _, _ := r.Note("vouch", ids[0]); text != "a\n" {
			t.Errorf("note %q", text)
		}
	})
}

func TestShallow(t *testing.T) {
	origin, ids := newTestRepo(t, 3)
	clone := filepath.Join(t.TempDir(), "clone")
	gitT(t, origin, "clone", "-q", "--depth", "1", "file://"+origin, clone)

	full := openT(t, origin)
	if s, err := full.Shallow(); err != nil || s {
		t.Fatalf("full clone: Shallow() = %v, %v", s, err)
	}
	if b, err := full.IsShallowBoundary(ids[2]); err != nil || b {
		t.Fatalf("full clone: IsShallowBoundary = %v, %v", b, err)
	}

	r := openT(t, clone)
	if s, err := r.Shallow(); err != nil || !s {
		t.Fatalf("depth 1: Shallow() = %v, %v", s, err)
	}
	if b, err := r.IsShallowBoundary(ids[2]); err != nil || !b {
		t.Fatalf("depth 1: IsShallowBoundary(tip) = %v, %v", b, err)
	}
	cs, err := r.Log([]string{"HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || !cs[0].ShallowBoundary || len(cs[0].Parents) != 0 {
		t.Fatalf("depth 1 log: %+v", cs)
	}

	gitT(t, clone, "fetch", "-q", "--unshallow")
	if s, err := r.Shallow(); err != nil || s {
		t.Fatalf("after --unshallow: Shallow() = %v, %v", s, err)
	}
	cs, err = r.Log([]string{"HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 || cs[2].ShallowBoundary || len(cs[2].Parents) != 1 {
		t.Fatalf("after --unshallow: %+v", cs)
	}
}

// TestSignedNotesCommitHasNoTerminal: git signs the notes commit through a
// program that fails unless it leads a session of its own, so that
// ssh-keygen can never ask for a passphrase over the TUI.
func TestSignedNotesCommitHasNoTerminal(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("reads /proc")
	}
	dir, ids := newTestRepo(t, 1)
	keyDir := t.TempDir()
	key := filepath.Join(keyDir, "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ada", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	program := filepath.Join(keyDir, "checked-keygen")
	script := `#!/bin/sh
# The session is set by vouch's git; ssh-keygen runs in it, two levels down.
sid=$(cut -d' ' -f6 /proc/$$/stat)
[ "$sid" = "$(cut -d' ' -f6 /proc/` + fmt.Sprint(os.Getpid()) + `/stat)" ] && { echo "in the caller's session" >&2; exit 1; }
exec ssh-keygen "$@"
`
	if err := os.WriteFile(program, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	gitT(t, dir, "config", "gpg.format", "ssh")
	gitT(t, dir, "config", "user.signingKey", key)
	gitT(t, dir, "config", "gpg.ssh.program", program)
	r := openT(t, dir)
	if _, err := r.EditNote("x", ids[0], appendLine("signed"), "vouch: accept", true); err != nil {
		t.Fatal(err)
	}
}
