package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The end-to-end tests run the built binary as a user would: on the demo
// repository, in a real terminal (tmux), then check the notes with git and
// ssh-keygen.

var vouchBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vouch-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	vouchBin = filepath.Join(dir, "vouch")
	if out, err := exec.Command("go", "build", "-o", vouchBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build vouch: %v\n%s", err, out)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// isolate gives the test its own HOME and no global git config, so the
// machine's settings cannot leak in.
func isolate(t *testing.T) []string {
	t.Helper()
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "LC_ALL=C.UTF-8", "TERM=xterm-256color"}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	return env
}

func vouch(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(vouchBin, args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run vouch: %v", err)
	}
	return out.String(), errb.String(), code
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func demoRepo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo")
	out, errOut, code := vouch(t, "demo", "--dir", dir)
	if code != 0 || !strings.Contains(out, "Demo repository: "+dir) {
		t.Fatalf("vouch demo without a terminal: exit %d\n%s%s", code, out, errOut)
	}
	return dir
}

type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
}

func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed; .ci/run installs it")
		}
		t.Skip("tmux is not installed (apt-get install tmux)")
	}
}

func startTmux(t *testing.T, dir string, env []string, command string) *tmuxSession {
	t.Helper()
	needTmux(t)
	s := &tmuxSession{t: t, socket: fmt.Sprintf("vouch-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), name: "review"}
	args := []string{"-L", s.socket, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-s", s.name, "-c", dir}
	for _, kv := range env {
		args = append(args, "-e", kv)
	}
	args = append(args, command+`; echo "VOUCH-EXITED $?"; sleep 60`)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) capture() string {
	out, _ := exec.Command("tmux", "-L", s.socket, "capture-pane", "-p", "-t", s.name).CombinedOutput()
	return string(out)
}

func (s *tmuxSession) send(keys ...string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"-L", s.socket, "send-keys", "-t", s.name}, keys...)...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

func (s *tmuxSession) typeText(text string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", "-L", s.socket, "send-keys", "-t", s.name, "-l", text).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

func (s *tmuxSession) waitFor(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		screen := s.capture()
		if strings.Contains(screen, want) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen never showed %q; last screen:\n%s", want, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *tmuxSession) paneTitle() string {
	out, _ := exec.Command("tmux", "-L", s.socket, "display-message", "-p", "-t", s.name, "#{pane_title}").CombinedOutput()
	return strings.TrimSpace(string(out))
}

type noteRecord struct {
	Payload   string `json:"payload"`
	SigFormat string `json:"sigformat"`
	Signature string `json:"signature"`
}

// verifyByHand checks a record the way an auditor would, with ssh-keygen.
func verifyByHand(t *testing.T, dir string, rec noteRecord, signer string) {
	t.Helper()
	allowed := gitOut(t, dir, "config", "gpg.ssh.allowedSignersFile")
	tmp := t.TempDir()
	sig := filepath.Join(tmp, "sig")
	if err := os.WriteFile(sig, []byte(rec.Signature), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ssh-keygen", "-Y", "verify", "-n", "vouch", "-f", allowed, "-I", signer, "-s", sig)
	cmd.Stdin = strings.NewReader(rec.Payload)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -Y verify rejected the record: %v\n%s", err, out)
	}
	tampered := exec.Command("ssh-keygen", "-Y", "verify", "-n", "vouch", "-f", allowed, "-I", signer, "-s", sig)
	tampered.Stdin = strings.NewReader(strings.Replace(rec.Payload, `"decision":"`, `"decision":"x`, 1))
	if err := tampered.Run(); err == nil {
		t.Fatal("ssh-keygen accepted a tampered payload")
	}
}

func readRecords(t *testing.T, dir, sha string) []map[string]any {
	t.Helper()
	note := gitOut(t, dir, "notes", "--ref=vouch", "show", sha)
	var out []map[string]any
	for _, line := range strings.Split(note, "\n") {
		var rec noteRecord
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("note line is not a record: %v: %q", err, line)
		}
		if rec.SigFormat != "ssh" || !strings.HasPrefix(rec.Signature, "-----BEGIN SSH SIGNATURE-----") {
			t.Fatalf("record not ssh-signed: %+v", rec)
		}
		verifyByHand(t, dir, rec, "reviewer@demo.vouch.dev")
		var p map[string]any
		if err := json.Unmarshal([]byte(rec.Payload), &p); err != nil {
			t.Fatalf("payload: %v", err)
		}
		out = append(out, p)
	}
	return out
}

func TestEndToEndReviewInTerminal(t *testing.T) {
	needTmux(t)
	env := isolate(t)
	dir := demoRepo(t)
	queue := strings.Fields(gitOut(t, dir, "rev-list", "--reverse", "main..HEAD"))

	tm := startTmux(t, dir, env, vouchBin)
	tm.waitFor("Queue 1/")
	tm.waitFor("Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>")
	tm.waitFor("@@ -")

	// Accept the first AI commit with a comment.
	tm.send("a")
	tm.waitFor("enter records")
	tm.typeText("route and dependency look right")
	tm.send("Enter")
	tm.waitFor("accepted ")

	// Reject the next one: an empty comment is refused first.
	tm.waitFor("Queue 2/")
	tm.send("r")
	tm.waitFor("enter records")
	tm.send("Enter")
	tm.waitFor("a reject needs a comment")
	tm.typeText("shells out with sh -c on request data")
	tm.send("Enter")
	tm.waitFor("rejected ")

	// Walk to the hostile commit: its escapes are shown, never executed.
	for i := 0; i < 6; i++ {
		tm.send("J")
	}
	hostile := tm.waitFor("␛")
	if strings.Contains(tm.paneTitle(), "pwned") {
		t.Errorf("a commit message set the terminal title: %q", tm.paneTitle())
	}
	_ = hostile
	tm.send("q")
	tm.waitFor("VOUCH-EXITED 0")

	// The notes hold one signed record per decision, verifiable by hand.
	listed := gitOut(t, dir, "notes", "--ref=vouch", "list")
	if n := len(strings.Split(listed, "\n")); n != 2 {
		t.Fatalf("want 2 notes, got %d:\n%s", n, listed)
	}
	var accepted, rejected string
	for _, sha := range queue {
		if _, err := exec.Command("git", "-C", dir, "notes", "--ref=vouch", "show", sha).Output(); err != nil {
			continue
		}
		for _, p := range readRecords(t, dir, sha) {
			if p["commit"] != sha || p["type"] != "vouch/decision/v1" || p["via"] != "tui" {
				t.Errorf("payload fields: %v", p)
			}
			// A decision made on the screen says what was on it.
			if cv, ok := p["coverage"].(map[string]any); !ok || cv["hunks"].(float64) < 1 {
				t.Errorf("TUI record without coverage: %v", p)
			}
			switch p["decision"] {
			case "accept":
				accepted = sha
			case "reject":
				rejected = sha
				if p["comment"] != "shells out with sh -c on request data" {
					t.Errorf("reject comment %q", p["comment"])
				}
			}
		}
	}
	if accepted == "" || rejected == "" {
		t.Fatalf("accepted %q rejected %q", accepted, rejected)
	}
	if out, err := exec.Command("git", "-C", dir, "verify-commit", "refs/notes/vouch").CombinedOutput(); err != nil {
		t.Fatalf("git verify-commit refs/notes/vouch: %v\n%s", err, out)
	}

	// Reopened, the queue shows both decisions and starts on the first
	// undecided commit.
	again := startTmux(t, dir, env, vouchBin)
	screen := again.waitFor("Queue 3/")
	if !lineHas(screen, "✓", accepted[:8]) || !lineHas(screen, "✗", rejected[:8]) || !strings.Contains(screen, "2 decided") {
		t.Errorf("prior decisions not shown:\n%s", screen)
	}
	again.send("K")
	again.waitFor("rejected by Demo Reviewer <reviewer@demo.vouch.dev>")
	again.send("q")
	again.waitFor("VOUCH-EXITED 0")
}

func TestCLIScanAndDecide(t *testing.T) {
	isolate(t)
	dir := demoRepo(t)

	out, errOut, code := vouch(t, "-C", dir, "scan", "--json")
	if code != 0 {
		t.Fatalf("scan: exit %d: %s", code, errOut)
	}
	var doc struct {
		Commits []struct {
			SHA      string `json:"sha"`
			AI       bool   `json:"ai"`
			Evidence []struct{ Kind, Text string }
			Findings []any `json:"findings"`
		} `json:"commits"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("scan --json: %v\n%s", err, out)
	}
	if len(doc.Commits) < 7 {
		t.Fatalf("scan found %d AI commits, want at least 7", len(doc.Commits))
	}
	for _, c := range doc.Commits {
		if !c.AI || len(c.Evidence) == 0 || c.Findings == nil {
			t.Errorf("commit %s: ai %v evidence %v findings %v", c.SHA, c.AI, c.Evidence, c.Findings)
		}
	}

	// The demo disables TLS verification in one commit: a critical finding.
	if _, errOut, code := vouch(t, "-C", dir, "scan", "--fail-on", "critical"); code != 1 || !strings.Contains(errOut, "--fail-on critical") {
		t.Errorf("scan --fail-on critical: exit %d, %q; want 1", code, errOut)
	}
	if out, _, code := vouch(t, "-C", dir, "scan", "--fail-on", "critical", "HEAD~1..HEAD"); code != 0 || !strings.Contains(out, "logs the X-API-Key header") {
		t.Errorf("scan of the last commit: exit %d; want 0 and its logging finding\n%s", code, out)
	}

	human, _, _ := vouch(t, "-C", dir, "scan")
	for _, want := range []string{"critical  crypto", "InsecureSkipVerify", "surface   "} {
		if !strings.Contains(human, want) {
			t.Errorf("scan table lacks %q", want)
		}
	}
	if strings.Contains(human, "\x1b") {
		t.Errorf("scan printed a raw escape")
	}

	target := doc.Commits[0].SHA
	out, errOut, code = vouch(t, "-C", dir, "decide", target, "--accept", "-m", "checked by hand")
	if code != 0 || !strings.HasPrefix(out, "accepted "+target[:8]) {
		t.Fatalf("decide: exit %d\n%s%s", code, out, errOut)
	}
	recs := readRecords(t, dir, target)
	if len(recs) != 1 || recs[0]["via"] != "cli" || recs[0]["patch_id"] == "" {
		t.Fatalf("records %v", recs)
	}
	// The record carries the surface findings the reviewer saw.
	if fs, _ := recs[0]["findings"].([]any); len(fs) == 0 || !strings.Contains(fmt.Sprint(fs), "go.mod") {
		t.Errorf("record findings %v, want the go.mod dependency among them", recs[0]["findings"])
	}
	wantPID := strings.Fields(gitPipe(t, dir, "git show "+target+" | git patch-id --stable"))[0]
	if recs[0]["patch_id"] != wantPID {
		t.Errorf("patch_id %v, git patch-id --stable says %s", recs[0]["patch_id"], wantPID)
	}

	scanned, _, _ := vouch(t, "-C", dir, "scan", "--json")
	if !strings.Contains(scanned, `"decision": "accepted"`) {
		t.Errorf("scan does not show the recorded decision")
	}
}

func gitPipe(t *testing.T, dir, script string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	return string(out)
}

func TestCLIErrors(t *testing.T) {
	isolate(t)
	dir := demoRepo(t)
	head := gitOut(t, dir, "rev-parse", "HEAD")
	tests := []struct {
		name string
		args []string
		want string
		env  []string
	}{
		{"reject without comment", []string{"-C", dir, "decide", head, "--reject"}, "a reject needs a comment", nil},
		{"both verdicts", []string{"-C", dir, "decide", head, "--accept", "--reject"}, "exactly one of --accept or --reject", nil},
		{"unknown revision", []string{"-C", dir, "decide", "nosuchrev", "--accept"}, "no such revision: nosuchrev", nil},
		{"not a repository", []string{"-C", t.TempDir(), "scan"}, "not a git repository", nil},
		{"bad range option", []string{"-C", dir, "scan", "--output=/tmp/x"}, "not supported", nil},
		{"no terminal", []string{"-C", dir}, "needs a terminal", nil},
		{"bad fail-on", []string{"-C", dir, "scan", "--fail-on", "severe"}, "--fail-on takes one of", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := vouch(t, tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q, stdout %q; want exit 2 and %q", code, errOut, out, tt.want)
			}
			if n := strings.Count(strings.TrimSpace(errOut), "\n"); n != 0 {
				t.Errorf("error is not one line: %q", errOut)
			}
		})
	}

	// No signing key: one line naming the git settings, and nothing written.
	gitOut(t, dir, "config", "--unset", "user.signingKey")
	_, errOut, code := vouch(t, "-C", dir, "decide", head, "--accept")
	if code != 2 || !strings.Contains(errOut, "user.signingKey") {
		t.Fatalf("no key: exit %d %q", code, errOut)
	}
	if out, err := exec.Command("git", "-C", dir, "rev-parse", "-q", "--verify", "refs/notes/vouch").Output(); err == nil {
		t.Fatalf("a note was written without a key: %s", out)
	}
}

// lineHas reports whether one line of the screen holds all the parts.
func lineHas(screen string, parts ...string) bool {
	for _, line := range strings.Split(screen, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			return true
		}
	}
	return false
}

func TestEndToEndOrganisationChecklist(t *testing.T) {
	needTmux(t)
	env := isolate(t)
	dir := demoRepo(t)
	// The organisation's checklist for dependencies; built-ins that the first
	// demo commit would also call in are disabled, so the pane opens on it.
	if err := os.MkdirAll(filepath.Join(dir, ".vouch", "checklists"), 0o755); err != nil {
		t.Fatal(err)
	}
	org := `---
id: acme-supply-chain
title: Acme supply-chain review
applies:
  categories: [dependency]
---
Acme's rules for every new third-party component.

- [ ] Registered in the Acme SBOM service
  Run ` + "`acme-sbom add`" + ` and link the ticket.
- [ ] Licence on the Acme allow-list
`
	if err := os.WriteFile(filepath.Join(dir, ".vouch", "checklists", "supply-chain.md"), []byte(org), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := "[checklists]\ndisable = [\"ai-change\", \"auth\", \"entry-point\", \"logging\", \"dependency\"]\n"
	if err := os.WriteFile(filepath.Join(dir, ".vouch", "config.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := vouch(t, "-C", dir, "checklist", "list")
	if code != 0 || !strings.Contains(out, "acme-supply-chain") || !strings.Contains(out, ".vouch/checklists/supply-chain.md") {
		t.Fatalf("checklist list: exit %d\n%s", code, out)
	}

	tm := startTmux(t, dir, env, vouchBin)
	tm.waitFor("Acme supply-chain review · 0/2")
	tm.waitFor("Registered in the Acme SBOM service")
	tm.send("Tab")
	tm.waitFor("x tick")
	tm.send("x")
	tm.waitFor("Acme supply-chain review · 1/2")
	tm.send("a")
	tm.waitFor("enter records")
	tm.send("Enter")
	tm.waitFor("accepted ")
	tm.send("q")
	tm.waitFor("VOUCH-EXITED 0")

	first := strings.Fields(gitOut(t, dir, "rev-list", "--reverse", "main..HEAD"))[1] // the first AI commit
	recs := readRecords(t, dir, first)
	if len(recs) != 1 {
		t.Fatalf("records %v", recs)
	}
	lists, _ := recs[0]["checklists"].([]any)
	if len(lists) != 1 {
		t.Fatalf("record checklists %v", recs[0]["checklists"])
	}
	cl := lists[0].(map[string]any)
	ticked, _ := cl["ticked"].([]any)
	if cl["id"] != "acme-supply-chain" || cl["total"] != float64(2) || len(ticked) != 1 || ticked[0] != "Registered in the Acme SBOM service" {
		t.Fatalf("record checklist %v", cl)
	}
}

func TestChecklistCLI(t *testing.T) {
	isolate(t)
	dir := demoRepo(t)
	out, _, code := vouch(t, "-C", dir, "checklist", "list")
	if code != 0 {
		t.Fatalf("list: exit %d", code)
	}
	for _, id := range []string{"ai-change", "dependency", "entry-point", "pipeline", "secret"} {
		if !strings.Contains(out, id) {
			t.Errorf("list lacks %s", id)
		}
	}
	out, _, code = vouch(t, "-C", dir, "checklist", "show", "dependency")
	if code != 0 || !strings.Contains(out, "- [ ]") {
		t.Errorf("show (plain, no terminal): exit %d\n%s", code, out)
	}
	if _, errOut, code := vouch(t, "-C", dir, "checklist", "show", "nope"); code != 2 || !strings.Contains(errOut, `no checklist "nope"`) {
		t.Errorf("show unknown: exit %d %q", code, errOut)
	}
	out, _, code = vouch(t, "-C", dir, "checklist", "lint")
	if code != 0 || !strings.Contains(out, "no problems") {
		t.Errorf("lint of built-ins: exit %d\n%s", code, out)
	}

	os.MkdirAll(filepath.Join(dir, ".vouch", "checklists"), 0o755)
	bad := "---\nid: broken\ntitle: Broken\napplies:\n  categories: [dependancy]\n---\nno items here\n"
	os.WriteFile(filepath.Join(dir, ".vouch", "checklists", "broken.md"), []byte(bad), 0o644)
	out, errOut, code := vouch(t, "-C", dir, "checklist", "lint")
	if code != 1 || !strings.Contains(out, ".vouch/checklists/broken.md:5:") || !strings.Contains(errOut, "problem") {
		t.Errorf("lint of a broken file: exit %d\n%s%s", code, out, errOut)
	}
}

type verifyJSON struct {
	Violations int `json:"violations"`
	Commits    []struct {
		SHA     string `json:"sha"`
		Verdict string `json:"verdict"`
		Records []struct {
			Status   string   `json:"status"`
			Problems []string `json:"problems"`
			Counts   bool     `json:"counts"`
		} `json:"records"`
	} `json:"commits"`
}

func verifyRange(t *testing.T, dir, rng string, extra ...string) (verifyJSON, int) {
	t.Helper()
	out, errOut, code := vouch(t, append([]string{"-C", dir, "verify", "--json", rng}, extra...)...)
	var v verifyJSON
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("verify --json: exit %d %v\n%s%s", code, err, out, errOut)
	}
	return v, code
}

func TestVerifyCatchesBadRecords(t *testing.T) {
	isolate(t)
	dir := demoRepo(t)
	ai := strings.Fields(gitOut(t, dir, "rev-list", "--reverse", "main..HEAD"))
	a, b, c := ai[1], ai[2], ai[4] // the first AI commits of the demo
	for _, sha := range []string{a, b} {
		if _, errOut, code := vouch(t, "-C", dir, "decide", sha, "--accept", "-m", "ok"); code != 0 {
			t.Fatalf("decide: %s", errOut)
		}
	}
	one := func(sha string) string { return sha + "^.." + sha }
	if v, code := verifyRange(t, dir, one(a)); code != 0 || v.Commits[0].Verdict != "accepted" || v.Commits[0].Records[0].Status != "valid" {
		t.Fatalf("valid accept: exit %d %+v", code, v)
	}

	// Tampering one byte of the signed payload.
	note := gitOut(t, dir, "notes", "--ref=vouch", "show", a)
	tampered := strings.Replace(note, `\"comment\":\"ok\"`, `\"comment\":\"oK\"`, 1)
	if tampered == note {
		t.Fatalf("could not tamper with %q", note)
	}
	gitOut(t, dir, "notes", "--ref=vouch", "add", "-f", "-m", tampered, a)
	if v, code := verifyRange(t, dir, one(a)); code != 1 || v.Commits[0].Records[0].Status != "bad-signature" {
		t.Errorf("tampered: exit %d %+v", code, v)
	}

	// Replaying b's valid record onto another commit.
	gitOut(t, dir, "notes", "--ref=vouch", "add", "-f", "-m", gitOut(t, dir, "notes", "--ref=vouch", "show", b), c)
	if v, code := verifyRange(t, dir, one(c)); code != 1 || v.Commits[0].Records[0].Counts || !strings.Contains(fmt.Sprint(v.Commits[0].Records[0].Problems), "replayed") {
		t.Errorf("replayed: exit %d %+v", code, v)
	}

	// An unknown signer, an expired window and a revoked key.
	pub, err := os.ReadFile(filepath.Join(dir, ".git", "vouch-demo", "reviewer_ed25519.pub"))
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(pub))
	other := filepath.Join(t.TempDir(), "other")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	otherPub, _ := os.ReadFile(other + ".pub")
	files := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(files, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	unknown := write("unknown", "reviewer@demo.vouch.dev "+string(otherPub))
	expired := write("expired", `reviewer@demo.vouch.dev valid-before="20200101" `+fields[0]+" "+fields[1]+"\n")
	if v, _ := verifyRange(t, dir, one(b), "--allowed-signers", unknown); v.Commits[0].Records[0].Status != "unknown-signer" {
		t.Errorf("unknown signer: %+v", v)
	}
	if v, _ := verifyRange(t, dir, one(b), "--allowed-signers", expired); v.Commits[0].Records[0].Status != "expired" {
		t.Errorf("expired: %+v", v)
	}
	gitOut(t, dir, "config", "gpg.ssh.revocationFile", write("revoked", string(pub)))
	if v, code := verifyRange(t, dir, one(b)); code != 1 || v.Commits[0].Records[0].Status != "revoked" {
		t.Errorf("revoked: exit %d %+v", code, v)
	}
}

func TestCarryOverAfterRebase(t *testing.T) {
	needTmux(t)
	env := isolate(t)
	dir := demoRepo(t)
	old := strings.Fields(gitOut(t, dir, "rev-list", "--reverse", "main..HEAD"))[1]
	if _, errOut, code := vouch(t, "-C", dir, "decide", old, "--accept", "-m", "reviewed"); code != 0 {
		t.Fatal(errOut)
	}
	// A forced rebase makes new commits with the same patches; without
	// vouch init, git does not carry the notes.
	gitOut(t, dir, "rebase", "-q", "--force-rebase", "main")
	rebased := strings.Fields(gitOut(t, dir, "rev-list", "--reverse", "main..HEAD"))[1]
	if rebased == old {
		t.Fatal("rebase kept the commit id")
	}
	one := rebased + "^.." + rebased
	out, _, code := vouch(t, "-C", dir, "verify", one)
	if code != 1 || !strings.Contains(out, "accepted as "+old[:8]+" by Demo Reviewer") || !strings.Contains(out, "--allow-carry-over") {
		t.Fatalf("carry-over not reported: exit %d\n%s", code, out)
	}
	if v, code := verifyRange(t, dir, one, "--allow-carry-over"); code != 0 || v.Commits[0].Verdict != "accepted" {
		t.Fatalf("--allow-carry-over: exit %d %+v", code, v)
	}
	if out, _, _ := vouch(t, "-C", dir, "log", one); !strings.Contains(out, "accepted as "+old[:8]) {
		t.Errorf("log does not show the carried-over accept:\n%s", out)
	}

	tm := startTmux(t, dir, env, vouchBin)
	tm.waitFor("Same patch reviewed before")
	tm.waitFor("accepted as " + old[:8])
	tm.send("R")
	tm.waitFor("accepted " + rebased[:8])
	tm.send("q")
	tm.waitFor("VOUCH-EXITED 0")
	if _, code := verifyRange(t, dir, one); code != 0 {
		t.Fatalf("re-signed commit does not verify: exit %d", code)
	}
}

func TestVerifyPolicyFromConfig(t *testing.T) {
	isolate(t)
	dir := demoRepo(t)
	a := strings.Fields(gitOut(t, dir, "rev-list", "--reverse", "main..HEAD"))[1]
	if _, errOut, code := vouch(t, "-C", dir, "decide", a, "--accept", "-m", "ok"); code != 0 {
		t.Fatal(errOut)
	}
	one := a + "^.." + a
	if _, code := verifyRange(t, dir, one); code != 0 {
		t.Fatalf("one accept, no policy: exit %d", code)
	}
	// The branch under review asking for two reviewers changes nothing: the
	// policy is read from the trusted revision, main.
	os.MkdirAll(filepath.Join(dir, ".vouch"), 0o755)
	os.WriteFile(filepath.Join(dir, ".vouch", "config.toml"), []byte("[verify]\nmin_reviewers = 2\n"), 0o644)
	if out, _, code := vouch(t, "-C", dir, "verify", one); code != 0 || !strings.Contains(out, "trusted: policy and keys from .vouch/ at") {
		t.Fatalf("work-tree config was trusted: exit %d\n%s", code, out)
	}
	// Committed on main, it is the policy.
	gitPipe(t, dir, "git stash -u -q && git checkout -q main && git stash pop -q && git add .vouch && git commit -q -m 'Two reviewers' && git checkout -q -")
	out, _, code := vouch(t, "-C", dir, "verify", one, "--trust-ref", "main")
	if code != 1 || !strings.Contains(out, "1 distinct reviewer key(s) accepted; policy wants 2") || !strings.Contains(out, "(--trust-ref main)") {
		t.Fatalf("min_reviewers from the trusted revision: exit %d\n%s", code, out)
	}
}

// configureSigner points a clone at the demo's throwaway key.
func configureSigner(t *testing.T, clone, demo string) {
	t.Helper()
	keyDir := filepath.Join(demo, ".git", "vouch-demo")
	for k, v := range map[string]string{"user.name": "Demo Reviewer", "user.email": "reviewer@demo.vouch.dev",
		"gpg.format": "ssh", "user.signingKey": filepath.Join(keyDir, "reviewer_ed25519"),
		"gpg.ssh.allowedSignersFile": filepath.Join(keyDir, "allowed_signers")} {
		gitOut(t, clone, "config", k, v)
	}
}

func TestTrailAcrossClones(t *testing.T) {
	isolate(t)
	demo := demoRepo(t)
	root := t.TempDir()
	origin := filepath.Join(root, "origin.git")
	gitOut(t, root, "clone", "-q", "--bare", demo, origin)
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	gitOut(t, root, "clone", "-q", origin, a)
	gitOut(t, root, "clone", "-q", origin, b)
	configureSigner(t, a, demo)
	configureSigner(t, b, demo)
	ai := strings.Fields(gitOut(t, a, "rev-list", "--reverse", "origin/main..origin/feature/orders-api"))
	x, y := ai[1], ai[2]

	if _, errOut, code := vouch(t, "-C", b, "decide", x, "--accept", "-m", "from clone b"); code != 0 {
		t.Fatal(errOut)
	}
	gitOut(t, b, "push", "-q", "origin", "refs/notes/vouch")

	if out, _, code := vouch(t, "-C", a, "init"); code != 0 || !strings.Contains(out, "refs/notes/remotes/origin/vouch") {
		t.Fatalf("init: exit %d\n%s", code, out)
	}
	gitOut(t, a, "fetch", "-q", "origin")
	out, _, _ := vouch(t, "-C", a, "log", x+"^.."+x)
	if !strings.Contains(out, "from refs/notes/remotes/origin/vouch") || !strings.Contains(out, "valid") {
		t.Fatalf("log in clone a does not show b's record:\n%s", out)
	}
	if v, code := verifyRange(t, a, x+"^.."+x); code != 0 || v.Commits[0].Verdict != "accepted" {
		t.Fatalf("verify in clone a: exit %d %+v", code, v)
	}

	// A's own write folds b's record in, and the push fast-forwards.
	if _, errOut, code := vouch(t, "-C", a, "decide", y, "--accept", "-m", "from clone a"); code != 0 {
		t.Fatal(errOut)
	}
	if !strings.Contains(gitOut(t, a, "notes", "--ref=vouch", "show", x), "from clone b") {
		t.Fatal("b's record is not in a's local notes after a's write")
	}
	gitOut(t, a, "push", "-q", "origin", "refs/notes/vouch")
	gitOut(t, b, "fetch", "-q", "origin", "+refs/notes/vouch:refs/notes/vouch")
	if !strings.Contains(gitOut(t, b, "notes", "--ref=vouch", "show", y), "from clone a") {
		t.Fatal("a's record did not reach b")
	}
}

// TestKillLeavesCompleteRef kills vouch decide at random moments; the notes
// ref must always point at a complete commit and fsck stay clean.
func TestKillLeavesCompleteRef(t *testing.T) {
	isolate(t)
	dir := demoRepo(t)
	ai := strings.Fields(gitOut(t, dir, "rev-list", "--reverse", "main..HEAD"))
	for i := 0; i < 12; i++ {
		cmd := exec.Command(vouchBin, "-C", dir, "decide", ai[1+i%6], "--accept", "-m", fmt.Sprint("try ", i))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(5+i*7) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		if out, err := exec.Command("git", "-C", dir, "rev-parse", "-q", "--verify", "refs/notes/vouch").Output(); err == nil {
			tip := strings.TrimSpace(string(out))
			if _, err := exec.Command("git", "-C", dir, "notes", "--ref=vouch", "list").Output(); err != nil {
				t.Fatalf("kill %d: notes ref %s is unreadable", i, tip)
			}
		}
	}
	if out, err := exec.Command("git", "-C", dir, "fsck", "--strict", "--no-dangling").CombinedOutput(); err != nil {
		t.Fatalf("fsck after kills: %v\n%s", err, out)
	}
	// Whatever survived is a trail of well-formed, verifiable records.
	if _, errOut, code := vouch(t, "-C", dir, "log"); code != 0 {
		t.Fatalf("log after kills: %s", errOut)
	}
}

// TestOpenPGPDecisionWithGPGKeyring signs a decision the way git signs with
// OpenPGP and verifies it against the keyring vouch.keyring names, never
// against gpg's own public keyring.
func TestOpenPGPDecisionWithGPGKeyring(t *testing.T) {
	if _, err := exec.LookPath("gpg"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("gpg is not installed; .ci/run installs gnupg")
		}
		t.Skip("gpg is not installed (apt-get install gnupg)")
	}
	isolate(t)
	dir := demoRepo(t)
	gnupg := filepath.Join(t.TempDir(), "gnupg")
	os.MkdirAll(gnupg, 0o700)
	t.Setenv("GNUPGHOME", gnupg)
	if out, err := exec.Command("gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Demo Reviewer <reviewer@demo.vouch.dev>", "ed25519", "sign", "never").CombinedOutput(); err != nil {
		t.Fatalf("gpg key: %v\n%s", err, out)
	}
	gitOut(t, dir, "config", "gpg.format", "openpgp")
	gitOut(t, dir, "config", "user.signingKey", "reviewer@demo.vouch.dev")
	a := strings.Fields(gitOut(t, dir, "rev-list", "--reverse", "main..HEAD"))[1]
	if _, errOut, code := vouch(t, "-C", dir, "decide", a, "--accept", "-m", "signed with gpg"); code != 0 {
		t.Fatalf("decide with openpgp: %s", errOut)
	}
	var rec noteRecord
	json.Unmarshal([]byte(gitOut(t, dir, "notes", "--ref=vouch", "show", a)), &rec)
	if rec.SigFormat != "openpgp" || !strings.Contains(rec.Signature, "BEGIN PGP SIGNATURE") {
		t.Fatalf("record %+v", rec)
	}
	// gpg's own keyring holds the key, but holding a key is no statement
	// of trust: the record is not verified against it.
	if v, code := verifyRange(t, dir, a+"^.."+a); code != 1 || v.Commits[0].Records[0].Status != "unsupported" {
		t.Fatalf("verify fell back to gpg's keyring: exit %d %+v", code, v)
	}
	// Exported to a keyring file the user names, it verifies in process.
	keyring := filepath.Join(t.TempDir(), "keys.asc")
	pub, err := exec.Command("gpg", "--batch", "--armor", "--export", "reviewer@demo.vouch.dev").Output()
	if err != nil || os.WriteFile(keyring, pub, 0o644) != nil {
		t.Fatalf("export key: %v", err)
	}
	gitOut(t, dir, "config", "vouch.keyring", keyring)
	if v, code := verifyRange(t, dir, a+"^.."+a); code != 0 || v.Commits[0].Records[0].Status != "valid" {
		t.Fatalf("verify against vouch.keyring: exit %d %+v", code, v)
	}
	if out, err := exec.Command("git", "-C", dir, "verify-commit", "refs/notes/vouch").CombinedOutput(); err != nil {
		t.Fatalf("git verify-commit of the OpenPGP-signed notes commit: %v\n%s", err, out)
	}
}

func TestCLIHelpVersionAndTypos(t *testing.T) {
	isolate(t)
	global, _, _ := vouch(t, "--help")
	scanHelp, _, code := vouch(t, "scan", "--help")
	if code != 0 || scanHelp == global || !strings.Contains(scanHelp, "vouch scan [RANGE]") || !strings.Contains(scanHelp, "--fail-on") || !strings.Contains(scanHelp, "Examples:") {
		t.Fatalf("scan --help: exit %d\n%s", code, scanHelp)
	}
	if viaHelp, _, _ := vouch(t, "help", "scan"); viaHelp != scanHelp {
		t.Errorf("help scan differs from scan --help:\n%s", viaHelp)
	}
	if verifyHelp, _, _ := vouch(t, "verify", "--help"); !strings.Contains(verifyHelp, "--trust-ref REV") || !strings.Contains(verifyHelp, "--signed-trail") {
		t.Errorf("verify --help:\n%s", verifyHelp)
	}
	if out, errOut, code := vouch(t, "--version"); code != 0 || !strings.HasPrefix(out, "vouch ") || errOut != "" {
		t.Errorf("--version: exit %d %q %q", code, out, errOut)
	}
	dir := demoRepo(t)
	if _, errOut, code := vouch(t, "-C", dir, "scna"); code != 2 || !strings.Contains(errOut, "did you mean scan?") {
		t.Errorf("scna: exit %d %q", code, errOut)
	}
	if _, errOut, code := vouch(t, "-C", dir, "main..HEAD"); code != 2 || !strings.Contains(errOut, "needs a terminal") {
		t.Errorf("a range is still a range: exit %d %q", code, errOut)
	}
	// demo's own --dir, written before the command.
	other := filepath.Join(t.TempDir(), "d")
	if out, errOut, code := vouch(t, "--dir", other, "demo"); code != 0 || !strings.Contains(out, "Demo repository: "+other) {
		t.Errorf("--dir X demo: exit %d\n%s%s", code, out, errOut)
	}
}

// TestCompletionInFish drives the generated script in a real shell: it asks
// the binary for commands, flags, flag values and checklist ids.
func TestCompletionInFish(t *testing.T) {
	if _, err := exec.LookPath("fish"); err != nil {
		t.Skip("fish is not installed (apt-get install fish)")
	}
	isolate(t)
	dir := demoRepo(t)
	t.Setenv("PATH", filepath.Dir(vouchBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	script := `source (vouch completion fish | psub)
complete -C "vouch sc"
complete -C "vouch scan --fa"
complete -C "vouch scan --fail-on cr"
complete -C "vouch -C ` + dir + ` checklist show dep"
complete -C "vouch -C ` + dir + ` decide feature/ord"`
	out, err := exec.Command("fish", "--no-config", "-c", script).CombinedOutput()
	if err != nil {
		t.Fatalf("fish: %v\n%s", err, out)
	}
	for _, want := range []string{"scan\tList AI-authored", "--fail-on\t", "critical", "dependency\t", "feature/orders-api"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("fish completion lacks %q:\n%s", want, out)
		}
	}
}

// withoutEnv unsets k for the test (and what it starts).
func withoutEnv(t *testing.T, k string) {
	t.Helper()
	t.Setenv(k, "")
	os.Unsetenv(k)
}

func TestLogPagesAndColours(t *testing.T) {
	needTmux(t)
	env := isolate(t)
	withoutEnv(t, "GIT_PAGER")
	withoutEnv(t, "NO_COLOR")
	dir := demoRepo(t)
	a := strings.Fields(gitOut(t, dir, "rev-list", "--reverse", "main..HEAD"))[1]
	if _, errOut, code := vouch(t, "-C", dir, "decide", a, "--accept", "-m", "paged"); code != 0 {
		t.Fatal(errOut)
	}
	tmp := t.TempDir()
	pager := filepath.Join(tmp, "pager")
	os.WriteFile(pager, []byte("#!/bin/sh\ncat > \"$1\"\necho PAGER-DONE\n"), 0o755)

	run := func(name string, extraEnv []string, args string) string {
		t.Helper()
		out := filepath.Join(tmp, name)
		e := append(append([]string{}, env...), "PAGER="+pager+" "+out)
		tm := startTmux(t, dir, append(e, extraEnv...), vouchBin+" "+args)
		tm.waitFor("VOUCH-EXITED 0")
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatalf("%s: the pager did not run: %v\n%s", name, err, tm.capture())
		}
		if !strings.Contains(tm.capture(), "PAGER-DONE") {
			t.Errorf("%s: the pager's own output did not reach the terminal", name)
		}
		if !strings.Contains(string(b), a[:8]) || !strings.Contains(string(b), "paged") {
			t.Fatalf("%s: the pager got %q", name, b)
		}
		return string(b)
	}
	if got := run("colour", nil, "log"); !strings.Contains(got, "\x1b[") {
		t.Errorf("no colours on a terminal: %q", got)
	}
	if got := run("no-color-env", []string{"NO_COLOR=1"}, "log"); strings.Contains(got, "\x1b") {
		t.Errorf("NO_COLOR: colours anyway: %q", got)
	}
	if got := run("no-color-flag", nil, "log --no-color"); strings.Contains(got, "\x1b") {
		t.Errorf("--no-color: colours anyway: %q", got)
	}
	// core.pager comes before PAGER, as in git.
	gitOut(t, dir, "config", "core.pager", pager+" "+filepath.Join(tmp, "core"))
	run("core", nil, "log --json")
	gitOut(t, dir, "config", "--unset", "core.pager")

	// --no-pager, and never a pager when stdout is not a terminal.
	tm := startTmux(t, dir, env, vouchBin+" log --no-pager")
	tm.waitFor("VOUCH-EXITED 0")
	if !strings.Contains(tm.capture(), "paged") || strings.Contains(tm.capture(), "PAGER-DONE") {
		t.Errorf("--no-pager:\n%s", tm.capture())
	}
	out, _, _ := vouch(t, "-C", dir, "log")
	if !strings.Contains(out, "paged") || strings.Contains(out, "\x1b") {
		t.Errorf("log into a pipe: %q", out)
	}
}

func TestPrePushHookRefusesUnreviewedAICommits(t *testing.T) {
	isolate(t)
	dir := demoRepo(t)
	remote := filepath.Join(t.TempDir(), "remote.git")
	gitOut(t, dir, "init", "-q", "--bare", remote)
	gitOut(t, dir, "remote", "add", "origin", remote)
	if out, errOut, code := vouch(t, "-C", dir, "hook", "install"); code != 0 || !strings.Contains(out, filepath.Join(".git", "hooks", "pre-push")) {
		t.Fatalf("hook install: exit %d %s%s", code, out, errOut)
	}
	push := func(args ...string) (string, error) {
		out, err := exec.Command("git", append([]string{"-C", dir, "push"}, args...)...).CombinedOutput()
		return string(out), err
	}
	remoteHas := func(ref string) string {
		out, _ := exec.Command("git", "-C", remote, "rev-parse", "-q", "--verify", ref).Output()
		return strings.TrimSpace(string(out))
	}
	// main has no AI-authored commits: a new branch that passes.
	if out, err := push("origin", "main"); err != nil {
		t.Fatalf("push main: %v\n%s", err, out)
	}
	// The feature branch is new on the remote and its AI commits are unreviewed.
	branch := gitOut(t, dir, "symbolic-ref", "--short", "HEAD")
	out, err := push("origin", "HEAD")
	if err == nil || !strings.Contains(out, "refused") || !strings.Contains(out, "--not --remotes=origin") || remoteHas("refs/heads/"+branch) != "" {
		t.Fatalf("push of unreviewed AI commits went through: %v\n%s", err, out)
	}
	ai := strings.Fields(gitOut(t, dir, "rev-list", "--reverse", "main..HEAD"))
	var doc struct {
		Commits []struct{ SHA string } `json:"commits"`
	}
	scan, _, _ := vouch(t, "-C", dir, "scan", "--json", "main..HEAD")
	json.Unmarshal([]byte(scan), &doc)
	if len(doc.Commits) == 0 {
		t.Fatal("no AI commits in the demo")
	}
	for _, c := range doc.Commits {
		if _, errOut, code := vouch(t, "-C", dir, "decide", c.SHA, "--accept", "-m", "reviewed before push"); code != 0 {
			t.Fatal(errOut)
		}
	}
	if out, err := push("origin", "HEAD"); err != nil || remoteHas("refs/heads/"+branch) != ai[len(ai)-1] {
		t.Fatalf("push after every accept: %v\n%s", err, out)
	}

	// An update: REMOTE_SHA..LOCAL_SHA, with a new AI commit on top.
	os.WriteFile(filepath.Join(dir, "extra.txt"), []byte("x\n"), 0o644)
	gitOut(t, dir, "add", "extra.txt")
	gitOut(t, dir, "commit", "-q", "-m", "Add extra\n\nCo-authored-by: Claude <noreply@anthropic.com>")
	head := gitOut(t, dir, "rev-parse", "HEAD")
	out, err = push("origin", "HEAD")
	if err == nil || !strings.Contains(out, ai[len(ai)-1]+".."+head) {
		t.Fatalf("update with an unreviewed AI commit went through: %v\n%s", err, out)
	}
	if _, errOut, code := vouch(t, "-C", dir, "decide", "HEAD", "--reject", "-m", "not this"); code != 0 {
		t.Fatal(errOut)
	}
	if out, err := push("origin", "HEAD"); err == nil {
		t.Fatalf("a rejected commit was pushed:\n%s", out)
	}
	if _, errOut, code := vouch(t, "-C", dir, "decide", "HEAD", "--accept", "-m", "fixed my mind"); code != 0 {
		t.Fatal(errOut)
	}
	if out, err := push("origin", "HEAD"); err != nil || remoteHas("refs/heads/"+branch) != head {
		t.Fatalf("update after the accept: %v\n%s", err, out)
	}
	// A deletion is not checked.
	if out, err := push("origin", "--delete", branch); err != nil {
		t.Fatalf("delete: %v\n%s", err, out)
	}
}

// TestDocsMatchBinary keeps docs/SPEC.md true: every command and flag its
// Commands section names exists in the binary, and every command of the
// binary is there.
func TestDocsMatchBinary(t *testing.T) {
	isolate(t)
	spec, err := os.ReadFile(filepath.Join("docs", "SPEC.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(spec)
	start := strings.Index(text, "## Commands\n")
	block := text[start:]
	block = block[strings.Index(block, "```\n")+4:]
	block = block[:strings.Index(block, "```")]

	// The binary's command tree, read from its help.
	tree := map[string]bool{}
	var read func(path []string)
	read = func(path []string) {
		out, _, code := vouch(t, append(path, "--help")...)
		if code != 0 {
			t.Fatalf("vouch %v --help: exit %d", path, code)
		}
		tree[strings.Join(path, " ")] = true
		in := false
		for _, line := range strings.Split(out, "\n") {
			switch {
			case strings.HasSuffix(line, ":") && !strings.HasPrefix(line, " "):
				in = line != "Usage:" && line != "Examples:" && line != "Flags:" && line != "Global Flags:"
			case in && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   "):
				name := strings.Fields(line)[0]
				read(append(append([]string{}, path...), name))
			}
		}
	}
	read(nil)

	documented := map[string]bool{}
	// Usage lines start at column 0; wrapped usage continues with "[".
	var entries []string
	for _, line := range strings.Split(block, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "vouch"):
			entries = append(entries, line)
		case strings.HasPrefix(trimmed, "[") && len(entries) > 0:
			entries[len(entries)-1] += " " + trimmed
		}
	}
	flagRE := regexp.MustCompile(`(?:^|[\s\[|])(--?[a-zA-Z][a-zA-Z-]*)`)
	for _, e := range entries {
		usage := e
		if i := strings.Index(usage, "  "); i >= 0 {
			for j := i; j < len(usage); j++ { // the description follows a run of spaces
				if usage[j] != ' ' {
					if strings.HasPrefix(usage[j:], "[") {
						break
					}
					usage = usage[:i]
					break
				}
			}
		}
		words := strings.Fields(usage)[1:]
		var path []string
		for _, w := range words {
			if tree[strings.Join(append(append([]string{}, path...), w), " ")] {
				path = append(path, w)
				continue
			}
			break
		}
		if len(path) == 0 && len(words) > 0 && !strings.HasPrefix(words[0], "[") {
			t.Errorf("docs/SPEC.md: `%s` names a command vouch does not have", strings.TrimSpace(e))
			continue
		}
		documented[strings.Join(path, " ")] = true
		help, _, _ := vouch(t, append(path, "--help")...)
		for _, m := range flagRE.FindAllStringSubmatch(usage, -1) {
			if !strings.Contains(help, " "+m[1]+" ") && !strings.Contains(help, " "+m[1]+"\n") && !strings.Contains(help, m[1]+",") {
				t.Errorf("docs/SPEC.md: `%s` names %s, which vouch %s --help does not have", strings.TrimSpace(e), m[1], strings.Join(path, " "))
			}
		}
	}
	for cmd := range tree {
		if !documented[cmd] && cmd != "checklist" && cmd != "hook" { // groups: their subcommands are listed
			t.Errorf("vouch %s is not in docs/SPEC.md's Commands", cmd)
		}
	}
	// Global flags, as the bullet under the block names them.
	global, _, _ := vouch(t, "--help")
	for _, f := range []string{"-C", "--directory", "--ref", "--all", "--no-color", "--version"} {
		if !strings.Contains(text, "`"+f) && !strings.Contains(text, " "+f+"`") {
			t.Errorf("docs/SPEC.md does not name the global flag %s", f)
		}
		if !strings.Contains(global, f+" ") && !strings.Contains(global, f+",") {
			t.Errorf("vouch --help lacks %s", f)
		}
	}
}

// TestCoverageAndRequireSeen pages through the whole diff of one commit
// before accepting it, accepts the next at first sight, and
// checks that the signed coverage says so and verify --require-seen tells
// the two apart.
func TestCoverageAndRequireSeen(t *testing.T) {
	needTmux(t)
	env := isolate(t)
	dir := demoRepo(t)
	queue := strings.Fields(gitOut(t, dir, "rev-list", "--reverse", "main..HEAD"))
	tm := startTmux(t, dir, env, vouchBin)
	tm.waitFor("Queue 1/")
	tm.waitFor("@@ -")
	// Page through the whole diff, as a reviewer reading it would.
	for i := 0; i < 40; i++ {
		tm.send("Space")
		time.Sleep(20 * time.Millisecond)
	}
	tm.waitFor("─ end")
	tm.send("a")
	tm.waitFor("enter records")
	tm.send("Enter")
	tm.waitFor("Queue 2/")
	tm.waitFor("@@ -")
	tm.send("a")
	tm.waitFor("enter records")
	tm.send("Enter")
	tm.waitFor("Queue 3/")
	tm.send("q")
	tm.waitFor("VOUCH-EXITED 0")

	coverage := func(sha string) map[string]any {
		recs := readRecords(t, dir, sha)
		if len(recs) != 1 {
			t.Fatalf("%s: %d records", sha, len(recs))
		}
		cv, ok := recs[0]["coverage"].(map[string]any)
		if !ok {
			t.Fatalf("%s: no coverage in %v", sha, recs[0])
		}
		return cv
	}
	read, glanced := coverage(queue[1]), coverage(queue[2])
	if read["surface_hunks"].(float64) < 1 || read["surface_seen"] != read["surface_hunks"] {
		t.Fatalf("walked commit: coverage %v", read)
	}
	if _, code := verifyRange(t, dir, queue[1]+"^.."+queue[1], "--require-seen"); code != 0 {
		t.Errorf("every surface hunk seen, yet --require-seen refuses: %v", read)
	}
	wantGlance := 0
	if glanced["surface_seen"].(float64) < glanced["surface_hunks"].(float64) {
		wantGlance = 1
	}
	if v, code := verifyRange(t, dir, queue[2]+"^.."+queue[2], "--require-seen"); code != wantGlance {
		t.Errorf("accepted at first sight with coverage %v: --require-seen exit %d, want %d (%+v)", glanced, code, wantGlance, v)
	}
	if out, _, _ := vouch(t, "-C", dir, "log", "--no-pager", queue[1]+"^.."+queue[1]); !strings.Contains(out, "surface hunks") {
		t.Errorf("log does not show coverage:\n%s", out)
	}
}
