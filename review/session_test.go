package review

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/diff"
)

type testRepo struct {
	t    *testing.T
	dir  string
	tick int
}

func isolate(t *testing.T) {
	t.Helper()
	home := t.TempDir()
	for k, v := range map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"} {
		t.Setenv(k, v)
	}
}

func newRepo(t *testing.T) *testRepo {
	t.Helper()
	isolate(t)
	r := &testRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	r.git("config", "user.name", "Rae Viewer")
	r.git("config", "user.email", "rae@example.com")
	return r
}

func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	return r.gitEnv(nil, args...)
}

func (r *testRepo) gitEnv(env []string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes files and commits them as author, with a fixed, increasing date.
func (r *testRepo) commit(author, msg string, files map[string]string) string {
	r.t.Helper()
	for name, body := range files {
		p := filepath.Join(r.dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			r.t.Fatal(err)
		}
		r.git("add", name)
	}
	r.tick++
	name, email, _ := strings.Cut(author, " <")
	date := "2026-01-01T10:00:" + twoDigits(r.tick) + "Z"
	env := []string{"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + strings.TrimSuffix(email, ">"),
		"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}
	r.gitEnv(env, "commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func twoDigits(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

const claude = "\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>"

// history: main has two human commits; feature adds a human commit, an AI
// commit, a merge of main, and another AI commit by the Copilot agent.
func history(t *testing.T) (*testRepo, map[string]string) {
	r := newRepo(t)
	s := map[string]string{}
	s["root"] = r.commit("Ann <ann@example.com>", "Initial", map[string]string{"main.go": "package main\n"})
	s["main2"] = r.commit("Ann <ann@example.com>", "Add README", map[string]string{"README.md": "# svc\n"})
	r.git("checkout", "-q", "-b", "feature")
	s["human"] = r.commit("Bo <bo@example.com>", "Tidy", map[string]string{"main.go": "package main\n\n// tidy\n"})
	s["ai1"] = r.commit("Bo <bo@example.com>", "Add handler"+claude, map[string]string{"h.go": "package main\n\nfunc h() {}\n"})
	r.git("checkout", "-q", "main")
	s["main3"] = r.commit("Ann <ann@example.com>", "Add LICENSE", map[string]string{"LICENSE": "MIT\n"})
	r.git("checkout", "-q", "feature")
	r.tick++
	r.gitEnv([]string{"GIT_AUTHOR_DATE=2026-01-01T11:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T11:00:00Z"},
		"merge", "-q", "--no-ff", "-m", "Merge main"+claude, "main")
	s["merge"] = r.git("rev-parse", "HEAD")
	s["ai2"] = r.commit("copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>", "Add shell-out",
		map[string]string{"x.go": "package main\n"})
	return r, s
}

func shas(q *Queue) []string {
	var out []string
	for _, it := range q.Items {
		out = append(out, it.Commit.SHA)
	}
	return out
}

func TestQueueRanges(t *testing.T) {
	r, s := history(t)
	sess, err := Open(Options{Dir: r.dir})
	if err != nil {
		t.Fatal(err)
	}
	all, err := Open(Options{Dir: r.dir, All: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		sess      *Session
		rng       []string
		setup     func()
		wantRange string
		want      []string
	}{
		{"default: not on the default branch", sess, nil, nil, "refs/heads/main..HEAD", []string{s["ai1"], s["merge"], s["ai2"]}},
		{"--all keeps humans, oldest first", all, nil, nil, "refs/heads/main..HEAD", []string{s["human"], s["ai1"], s["merge"], s["ai2"]}},
		{"explicit range", sess, []string{s["ai1"] + ".." + s["ai2"]}, nil, s["ai1"] + ".." + s["ai2"], []string{s["merge"], s["ai2"]}},
		{"range option", sess, []string{"--no-merges", "main..feature"}, nil, "--no-merges main..feature", []string{s["ai1"], s["ai2"]}},
		{"upstream wins", sess, nil, func() { r.git("branch", "-q", "--set-upstream-to=main") }, "@{upstream}..HEAD", []string{s["ai1"], s["merge"], s["ai2"]}},
		{"on the default branch: last 100", all, nil, func() { r.git("checkout", "-q", "main") }, "-n 100 HEAD", []string{s["root"], s["main2"], s["main3"]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup()
			}
			q, err := tt.sess.Queue(tt.rng)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(q.Range, " "); got != tt.wantRange {
				t.Errorf("range %q, want %q", got, tt.wantRange)
			}
			if got := shas(q); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("queue\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestAnalyseMergeAndRoot(t *testing.T) {
	r, s := history(t)
	sess, err := Open(Options{Dir: r.dir, All: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		rev   string
		files []string
	}{
		// Analyse reviews a merge by its own changes (merge_test.go); its
		// first-parent diff is one call away.
		{"merge against its first parent", s["merge"], []string{"LICENSE"}},
		{"root against the empty tree", s["root"], []string{"main.go"}},
		{"plain commit", s["ai1"], []string{"h.go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, err := sess.Item(tt.rev)
			if err != nil {
				t.Fatal(err)
			}
			analyse := sess.Analyse
			if len(it.Commit.Parents) > 1 {
				analyse = sess.AnalyseFirstParent
			}
			a, err := analyse(it)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range a.Files {
				got = append(got, f.Path())
			}
			if strings.Join(got, ",") != strings.Join(tt.files, ",") {
				t.Fatalf("files %v, want %v", got, tt.files)
			}
			if a.Files[0].Status != diff.StatusAdded {
				t.Errorf("status %v", a.Files[0].Status)
			}
			want := strings.Fields(r.gitPipe("git diff-tree -p --root " + parentArg(it.Commit.Parents) + tt.rev + " | git patch-id --stable"))[0]
			if a.PatchID != want {
				t.Errorf("patch id %s, want %s", a.PatchID, want)
			}
		})
	}
}

func parentArg(parents []string) string {
	if len(parents) == 0 {
		return ""
	}
	return parents[0] + " "
}

func (r *testRepo) gitPipe(script string) string {
	r.t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = r.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("%s: %v\n%s", script, err, out)
	}
	return string(out)
}

func sshKey(t *testing.T, r *testRepo) {
	t.Helper()
	key := filepath.Join(t.TempDir(), "id")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	r.git("config", "gpg.format", "ssh")
	r.git("config", "user.signingKey", key)
	// The reviewer's key is trusted through a file outside the repository.
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	signers := filepath.Join(filepath.Dir(key), "allowed_signers")
	if err := os.WriteFile(signers, []byte("rae@example.com "+string(pub)), 0o644); err != nil {
		t.Fatal(err)
	}
	r.git("config", "gpg.ssh.allowedSignersFile", signers)
}

func TestDecide(t *testing.T) {
	r, s := history(t)
	sshKey(t, r)
	sess, err := Open(Options{Dir: r.dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Ready(); err != nil {
		t.Fatalf("Ready with a key and an identity: %v", err)
	}
	q, err := sess.Queue(nil)
	if err != nil {
		t.Fatal(err)
	}
	if q.FirstUndecided() != 0 {
		t.Fatalf("first undecided %d", q.FirstUndecided())
	}
	a, err := sess.Analyse(q.Items[0])
	if err != nil {
		t.Fatal(err)
	}

	if _, _, err := sess.Decide(a, Decision{Accept: false, Comment: "  ", Via: "cli"}); !errors.Is(err, ErrCommentRequired) {
		t.Fatalf("empty reject: %v", err)
	}
	if out, _ := exec.Command("git", "-C", r.dir, "notes", "--ref=vouch", "list").Output(); len(out) != 0 {
		t.Fatalf("refused reject wrote a note: %s", out)
	}

	before := len(a.Item.Records)
	it, e, err := sess.Decide(a, Decision{Accept: true, Comment: "ok", Via: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if it.State() != Accepted || len(it.Records) != before+1 || len(it.Checks) != len(it.Records) || len(a.Item.Records) != before {
		t.Fatalf("Decide's item: state %v, %d records, %d checks; the analysis's item has %d records (want %d)", it.State(), len(it.Records), len(it.Checks), len(a.Item.Records), before)
	}
	p := e.Payload
	if p.Commit != s["ai1"] || p.Tree != q.Items[0].Commit.Tree || p.PatchID != a.PatchID || p.Reviewer.Email != "rae@example.com" ||
		p.Decision != "accept" || len(p.Evidence) != 1 || p.Evidence[0].Kind != "trailer" || !strings.HasPrefix(p.Tool, "vouch ") {
		t.Fatalf("payload %+v", p)
	}

	q2, err := sess.Queue(nil)
	if err != nil {
		t.Fatal(err)
	}
	if q2.Items[0].State() != Accepted || q2.FirstUndecided() != 1 {
		t.Fatalf("state %v first undecided %d", q2.Items[0].State(), q2.FirstUndecided())
	}

	// A later reject overrides the accept.
	if _, _, err := sess.Decide(a, Decision{Accept: false, Comment: "on second thought", Via: "cli"}); err != nil {
		t.Fatal(err)
	}
	q3, _ := sess.Queue(nil)
	if q3.Items[0].State() != Rejected || len(q3.Items[0].Records) != 2 {
		t.Fatalf("state %v records %d", q3.Items[0].State(), len(q3.Items[0].Records))
	}
}

func TestDecideRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(r *testRepo)
		want  string
	}{
		{"no signing key", func(r *testRepo) {}, "user.signingKey"},
		{"AI identity", func(r *testRepo) {
			sshKey(r.t, r)
			r.git("config", "user.email", "noreply@anthropic.com")
		}, "AI identity"},
		{"missing key file", func(r *testRepo) {
			r.git("config", "gpg.format", "ssh")
			r.git("config", "user.signingKey", filepath.Join(r.t.TempDir(), "gone.pub"))
		}, "does not exist"},
		{"unreadable key", func(r *testRepo) {
			r.git("config", "gpg.format", "ssh")
			p := filepath.Join(r.t.TempDir(), "broken")
			os.WriteFile(p, []byte("not a key"), 0o600)
			r.git("config", "user.signingKey", p)
		}, "broken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := history(t)
			tt.setup(r)
			sess, err := Open(Options{Dir: r.dir})
			if err != nil {
				t.Fatal(err)
			}
			q, _ := sess.Queue(nil)
			a, err := sess.Analyse(q.Items[0])
			if err != nil {
				t.Fatal(err)
			}
			if tt.name != "unreadable key" { // a key file is read only when signing
				if err := sess.Ready(); err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("Ready: %v, want one line with %q", err, tt.want)
				}
			}
			_, _, err = sess.Decide(a, Decision{Accept: true, Via: "cli"})
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err %v, want one line with %q", err, tt.want)
			}
			if out, _ := exec.Command("git", "-C", r.dir, "rev-parse", "-q", "--verify", "refs/notes/vouch").Output(); len(out) != 0 {
				t.Fatal("a refused decision moved the notes ref")
			}
		})
	}
}

func TestBareRepository(t *testing.T) {
	r, s := history(t)
	bare := filepath.Join(t.TempDir(), "mirror.git")
	r.git("clone", "-q", "--mirror", r.dir, bare)
	sess, err := Open(Options{Dir: bare})
	if err != nil {
		t.Fatal(err)
	}
	q, err := sess.Queue([]string{"main..feature"})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Items) != 3 || q.Items[2].Commit.SHA != s["ai2"] {
		t.Fatalf("queue %v", shas(q))
	}
	if _, err := sess.Analyse(q.Items[0]); err != nil {
		t.Fatal(err)
	}
}

func TestConfigMarkersAndErrors(t *testing.T) {
	r, _ := history(t)
	os.MkdirAll(filepath.Join(r.dir, ".vouch"), 0o755)
	cfg := filepath.Join(r.dir, ".vouch", "config.toml")
	os.WriteFile(cfg, []byte("notes_ref = \"refs/notes/review\"\n[[markers]]\nassistant = \"Tidy bot\"\nemail = \"bo@example.com\"\n"), 0o644)
	sess, err := Open(Options{Dir: r.dir})
	if err != nil {
		t.Fatal(err)
	}
	if sess.Ref() != "refs/notes/review" {
		t.Errorf("ref %s", sess.Ref())
	}
	q, err := sess.Queue(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Items) != 4 || q.Items[0].Assistants()[0] != "Tidy bot" {
		t.Fatalf("config marker not applied: %d items", len(q.Items))
	}

	os.WriteFile(cfg, []byte("notes_ref = \"x\"\nnotes_reff = 1\n"), 0o644)
	if _, err := Open(Options{Dir: r.dir}); err == nil || !strings.Contains(err.Error(), ".vouch/config.toml:2") {
		t.Fatalf("unknown key: %v", err)
	}
	os.WriteFile(cfg, []byte("[[markers]]\nemail = \"a@b\"\nname = \"x\"\n"), 0o644)
	if _, err := Open(Options{Dir: r.dir}); err == nil {
		t.Fatal("a marker with two match fields was accepted")
	}
}
