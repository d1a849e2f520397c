package demo

import (
	"archive/tar"
	"bytes"
	"errors"
	"go/format"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// isolate keeps the user's git configuration out of the build, so the test
// proves the demo needs none.
func isolate(t testing.TB) {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
}

func build(t *testing.T) *Result {
	t.Helper()
	isolate(t)
	res, err := Build(filepath.Join(t.TempDir(), "nested", "demo"))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

type logEntry struct{ sha, author, committer, subject, body string }

func branchLog(t *testing.T, dir, rng string) []logEntry {
	t.Helper()
	out := git(t, dir, "log", "--reverse", "--format=%H%x1f%an <%ae>%x1f%cn <%ce>%x1f%s%x1f%B%x1e", rng)
	var entries []logEntry
	for _, rec := range strings.Split(out, "\x1e") {
		rec = strings.TrimPrefix(rec, "\n")
		if rec == "" {
			continue
		}
		f := strings.Split(rec, "\x1f")
		if len(f) != 5 {
			t.Fatalf("bad log record %q", rec)
		}
		entries = append(entries, logEntry{f[0], f[1], f[2], f[3], f[4]})
	}
	return entries
}

func TestBuildHistory(t *testing.T) {
	res := build(t)
	if res.Branch != "feature/orders-api" || res.Base != "main" || res.Reviewer != "Demo Reviewer <reviewer@demo.vouch.dev>" {
		t.Fatalf("result = %+v", res)
	}
	if base := branchLog(t, res.Dir, "main"); len(base) != 4 {
		t.Fatalf("main has %d commits, want 4", len(base))
	}
	got := branchLog(t, res.Dir, "main..feature/orders-api")
	want := []struct {
		subject, author, marker string // marker "" = a human commit
	}{
		{"Track refunded amount on orders", "Priya Natarajan <priya.natarajan@example.com>", ""},
		{"Switch routing to chi and add order refund endpoint", "Priya Natarajan <priya.natarajan@example.com>",
			"🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>"},
		{"Add deploy webhook that warms caches after a release", "copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>", ""},
		{"Document refund and deploy webhook endpoints", "Claude Martin <claude.martin@example.com>", ""},
		{"aider: Add payments provider client and send refunds through it", "Dana Reyes (aider) <dana@example.com>", ""},
		{"Add Postgres order store", "Marcus Okafor <marcus.okafor@example.com>", "Co-authored-by: Cursor Agent <cursoragent@cursor.com>"},
		{"Add admin order export endpoint", "Dana Reyes <dana@example.com>", "Co-authored-by: Codex <noreply@openai.com>"},
		{"Add lint target to Makefile", "Marcus Okafor <marcus.okafor@example.com>", ""},
		{"Add container image build and project logo", "Priya Natarajan <priya.natarajan@example.com>", "Assisted-by: Crush:claude-sonnet-4"},
		{"Colorize request log by status", "Marcus Okafor <marcus.okafor@example.com>", "Co-authored-by: Claude Sonnet 4.5 <noreply@anthropic.com>"},
	}
	if len(got) != len(want) {
		t.Fatalf("main..feature/orders-api has %d commits, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.subject != w.subject || g.author != w.author {
			t.Errorf("commit %d = %q by %q, want %q by %q", i+1, g.subject, g.author, w.subject, w.author)
		}
		if w.marker != "" && !strings.Contains(g.body, w.marker) {
			t.Errorf("commit %q: body lacks %q:\n%s", g.subject, w.marker, g.body)
		}
	}
	// The human named Claude has no trailer at all; nothing marks her as AI.
	if body := strings.TrimSpace(got[3].body); strings.Contains(body, "Co-authored-by") || strings.Contains(body, "noreply") {
		t.Errorf("Claude Martin's commit carries a marker: %q", body)
	}
	if !strings.Contains(got[9].body, "\x1b]0;pwned\x07") || !strings.Contains(got[9].body, "\x1b[2J") {
		t.Errorf("hostile commit lost its escapes: %q", got[9].body)
	}
	// Trailers must parse as trailers, or marker detection built on
	// git's trailer rules would miss them.
	for _, i := range []int{1, 5, 6, 8, 9} {
		tr := git(t, res.Dir, "log", "-1", "--format=%(trailers:only,unfold)", got[i].sha)
		if strings.TrimSpace(tr) == "" {
			t.Errorf("commit %q: git sees no trailers", got[i].subject)
		}
	}
}

func TestBuildWorkTreeAndConfig(t *testing.T) {
	res := build(t)
	if out := git(t, res.Dir, "status", "--porcelain", "--ignored"); out != "" {
		t.Errorf("work tree not clean:\n%s", out)
	}
	if head := strings.TrimSpace(git(t, res.Dir, "symbolic-ref", "HEAD")); head != "refs/heads/feature/orders-api" {
		t.Errorf("HEAD = %s", head)
	}
	if up := strings.TrimSpace(git(t, res.Dir, "rev-parse", "--abbrev-ref", "@{upstream}")); up != "main" {
		t.Errorf("upstream = %s, want main", up)
	}
	if out := git(t, res.Dir, "fsck", "--full", "--strict", "--no-progress"); out != "" {
		t.Errorf("fsck:\n%s", out)
	}
	for key, want := range map[string]string{
		"user.name":                       "Demo Reviewer",
		"user.email":                      "reviewer@demo.vouch.dev",
		"gpg.format":                      "ssh",
		"user.signingkey":                 res.KeyPath,
		"gpg.ssh.allowedsignersfile":      res.AllowedSigners,
		"commit.gpgsign":                  "false",
		"branch.feature/orders-api.merge": "refs/heads/main",
	} {
		if got := strings.TrimSpace(git(t, res.Dir, "config", "--local", key)); got != want {
			t.Errorf("config %s = %q, want %q", key, got, want)
		}
	}
	gitDir := filepath.Join(res.Dir, ".git")
	for _, p := range []string{res.KeyPath, res.AllowedSigners} {
		if !strings.HasPrefix(p, gitDir+string(filepath.Separator)) {
			t.Errorf("%s is outside the git dir", p)
		}
	}
	fi, err := os.Stat(res.KeyPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key mode = %v, want 0600", fi.Mode().Perm())
	}
}

func TestBuildDiffShapes(t *testing.T) {
	res := build(t)
	bySubject := map[string]string{}
	for _, e := range branchLog(t, res.Dir, "main..feature/orders-api") {
		bySubject[e.subject] = e.sha
	}
	tests := []struct {
		name, subject string
		args          []string
		want          string
	}{
		{"rename", "Add Postgres order store", []string{"-M", "--name-status"}, "R100\tinternal/store/memory.go\tinternal/store/memstore.go"},
		{"mode change", "Add container image build and project logo", []string{"--summary"}, "mode change 100644 => 100755 scripts/dev-db.sh"},
		{"binary", "Add container image build and project logo", []string{"-p"}, "Binary files /dev/null and b/assets/logo.png differ"},
		{"auth check removed", "Add admin order export endpoint", []string{"-p"}, "-\t\t\tif strings.HasPrefix(r.URL.Path, \"/admin/\") && !key.Admin {"},
		{"pull_request_target", "Add admin order export endpoint", []string{"-p"}, "+  pull_request_target:"},
		{"dependency", "Switch routing to chi and add order refund endpoint", []string{"-p"}, "+require github.com/go-chi/chi/v5 v5.2.1"},
		{"refund route", "Switch routing to chi and add order refund endpoint", []string{"-p"}, `+		r.Post("/orders/{id}/refund", h.Refund)`},
		{"shell-out", "Add deploy webhook that warms caches after a release", []string{"-p"}, `exec.Command("sh", "-c", `},
		{"skip verify", "aider: Add payments provider client and send refunds through it", []string{"-p"}, "InsecureSkipVerify: true"},
		{"string-built SQL", "Add Postgres order store", []string{"-p"}, `fmt.Sprintf("SELECT %s FROM orders WHERE tenant = '%s'`},
		{"latest image", "Add container image build and project logo", []string{"-p"}, "+FROM golang:latest AS build"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sha, ok := bySubject[tt.subject]
			if !ok {
				t.Fatalf("no commit %q", tt.subject)
			}
			out := git(t, res.Dir, append(append([]string{"diff-tree", "-r", "--no-commit-id"}, tt.args...), sha)...)
			if !strings.Contains(out, tt.want) {
				t.Errorf("diff-tree %v lacks %q:\n%s", tt.args, tt.want, out)
			}
		})
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	a, b := build(t), build(t)
	tipA := git(t, a.Dir, "rev-parse", "main", "feature/orders-api")
	tipB := git(t, b.Dir, "rev-parse", "main", "feature/orders-api")
	if tipA != tipB {
		t.Errorf("two builds differ:\n%s\n%s", tipA, tipB)
	}
}

func TestSigningKeyWorks(t *testing.T) {
	res := build(t)
	msg := filepath.Join(t.TempDir(), "payload")
	if err := os.WriteFile(msg, []byte(`{"type":"vouch/decision/v1"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, ns := range []string{"vouch", "git"} {
		sig := msg + "." + ns + ".sig"
		out, err := exec.Command("ssh-keygen", "-Y", "sign", "-n", ns, "-f", res.KeyPath, msg).CombinedOutput()
		if err != nil {
			t.Fatalf("sign -n %s: %v: %s", ns, err, out)
		}
		if err := os.Rename(msg+".sig", sig); err != nil {
			t.Fatal(err)
		}
		if out, err := verify(res, ns, sig, msg); err != nil {
			t.Errorf("verify -n %s: %v: %s", ns, err, out)
		}
	}
	// allowed_signers limits the key to vouch and git.
	out, err := exec.Command("ssh-keygen", "-Y", "sign", "-n", "file", "-f", res.KeyPath, msg).CombinedOutput()
	if err != nil {
		t.Fatalf("sign -n file: %v: %s", err, out)
	}
	if _, err := verify(res, "file", msg+".sig", msg); err == nil {
		t.Error("a signature in namespace file verified; allowed_signers should refuse it")
	}
}

func verify(res *Result, ns, sig, msg string) ([]byte, error) {
	cmd := exec.Command("ssh-keygen", "-Y", "verify", "-n", ns, "-f", res.AllowedSigners,
		"-I", "reviewer@demo.vouch.dev", "-s", sig)
	f, err := os.Open(msg)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cmd.Stdin = f
	return cmd.CombinedOutput()
}

func TestBuildRefusesNonEmptyDir(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	keep := filepath.Join(dir, "keep.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(dir)
	if err == nil || !strings.Contains(err.Error(), dir+" is not empty") {
		t.Fatalf("err = %v, want %q", err, dir+" is not empty")
	}
	if b, err := os.ReadFile(keep); err != nil || string(b) != "mine" {
		t.Errorf("existing file touched: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".git was created in a refused dir")
	}
}

func TestBuildWithoutSSHKeygen(t *testing.T) {
	isolate(t)
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not found")
	}
	bin := t.TempDir()
	if err := os.Symlink(gitPath, filepath.Join(bin, "git")); err != nil {
		t.Skip(err)
	}
	t.Setenv("PATH", bin)
	dir := filepath.Join(t.TempDir(), "demo")
	_, err = Build(dir)
	if err == nil || !strings.Contains(err.Error(), "ssh-keygen not found: install openssh-client") {
		t.Fatalf("err = %v", err)
	}
	if !errors.Is(err, exec.ErrNotFound) || strings.Contains(err.Error(), "\n") {
		t.Errorf("want one line wrapping exec.ErrNotFound, got %q", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("dir created although the build could not start")
	}
}

// TestServiceIsGoodGo checks that every commit's Go files are gofmt-clean
// and that both branch tips vet and test: the reviewer reads these diffs,
// and they should look like code a team would ship. chi is replaced by a
// local stub so nothing is downloaded.
func TestServiceIsGoodGo(t *testing.T) {
	gocache := ""
	if goTool, err := exec.LookPath("go"); err == nil && !testing.Short() {
		if out, err := exec.Command(goTool, "env", "GOCACHE").Output(); err == nil {
			gocache = strings.TrimSpace(string(out))
		}
	}
	res := build(t)
	for _, sha := range strings.Fields(git(t, res.Dir, "rev-list", "feature/orders-api")) {
		for name, src := range archive(t, res.Dir, sha) {
			if !strings.HasSuffix(name, ".go") {
				continue
			}
			formatted, err := format.Source(src)
			if err != nil || !bytes.Equal(formatted, src) {
				t.Errorf("%s:%s is not gofmt-clean (%v)", sha[:7], name, err)
			}
		}
	}
	if gocache == "" {
		t.Skip("go tool not found or -short: skipping vet of the generated service")
	}
	for _, ref := range []string{"main", "feature/orders-api"} {
		dir := filepath.Join(t.TempDir(), "svc")
		for name, data := range archive(t, res.Dir, ref) {
			writeFile(t, filepath.Join(dir, name), data)
		}
		for name, data := range chiStub {
			writeFile(t, filepath.Join(dir, "_stubchi", name), []byte(data))
		}
		f, err := os.OpenFile(filepath.Join(dir, "go.mod"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("\nreplace github.com/go-chi/chi/v5 => ./_stubchi\n")
		f.Close()
		for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
			cmd := exec.Command("go", args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local",
				"GOWORK=off", "GOCACHE="+gocache, "GOPATH="+filepath.Join(t.TempDir(), "gopath"))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: go %s: %v\n%s", ref, strings.Join(args, " "), err, out)
			}
		}
	}
}

var chiStub = map[string]string{
	"go.mod": "module github.com/go-chi/chi/v5\n\ngo 1.24\n",
	"chi.go": `package chi

import "net/http"

type Router interface {
	http.Handler
	Use(...func(http.Handler) http.Handler)
	Group(func(Router)) Router
	Get(string, http.HandlerFunc)
	Post(string, http.HandlerFunc)
}

func NewRouter() Router { return nil }

func URLParam(r *http.Request, key string) string { return r.PathValue(key) }
`,
	"middleware/middleware.go": `package middleware

import "net/http"

func RequestID(next http.Handler) http.Handler { return next }

func Recoverer(next http.Handler) http.Handler { return next }
`,
}

func archive(t *testing.T, dir, rev string) map[string][]byte {
	t.Helper()
	cmd := exec.Command("git", "-C", dir, "archive", "--format=tar", rev)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git archive %s: %v", rev, err)
	}
	files := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(out))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = data
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkBuild(b *testing.B) {
	isolate(b)
	root := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		if _, err := Build(filepath.Join(root, strconv.Itoa(i))); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBuildTarget(t *testing.T) {
	isolate(t)
	empty := t.TempDir()
	if res, err := Build(empty); err != nil || res.Dir != empty {
		t.Errorf("existing empty dir: %+v, %v", res, err)
	}
	file := filepath.Join(t.TempDir(), "file")
	writeFile(t, file, []byte("x"))
	if _, err := Build(file); err == nil || !strings.Contains(err.Error(), "is not a directory") {
		t.Errorf("file: err = %v", err)
	}
	if _, err := Build(""); err == nil {
		t.Error("empty dir name: no error")
	}
}
