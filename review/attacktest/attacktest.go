// Package attacktest is the table of attacks on the decision trail and the
// CI gate: each case builds a real repository with the git binary, plants
// what an attacker could (a record, a key, a notes ref, a policy change)
// and says what `vouch verify` must answer. The review package runs the
// table in process; the end-to-end tests run it against the built binary.
package attacktest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/ledger"
)

// Range is the pull request every case verifies.
const Range = "main..feature"

// Case is one attack (or one genuine review that must still pass).
type Case struct {
	Name string
	// Setup plants the attack in a fresh World.
	Setup func(w *World)
	// Opts and Args are the same verify options, for the Session and for
	// the command line.
	Opts review.VerifyOptions
	Args []string
	// WantExit is verify's exit code: 0 pass, 1 violations, 2 refused to run.
	WantExit int
	// Want are substrings of the report (JSON) or of the error line.
	Want []string
}

// Key is an ed25519 key made with ssh-keygen.
type Key struct {
	Path string // private key
	Pub  string // "ssh-ed25519 AAAA..."
}

// World is a repository with a main branch whose .vouch/ trusts Alice and
// Bob, and a feature branch with one AI-authored commit.
type World struct {
	T     testing.TB
	Dir   string
	Keys  map[string]Key // alice, bob, mallory, ca
	AI    string         // the AI commit on feature
	Base  string         // main's tip
	home  string
	gnupg string // gpg's home, made by GPGKey
}

// People and their keys.
const (
	Alice   = "alice@corp.example"
	Bob     = "bob@corp.example"
	Mallory = "mallory@evil.example"
	Author  = "bo@corp.example" // the human author of the AI commit
)

// Env isolates git from the machine's configuration; callers running the
// binary use the same environment.
func (w *World) Env() []string {
	return []string{"HOME=" + w.home, "XDG_CONFIG_HOME=" + filepath.Join(w.home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "LC_ALL=C.UTF-8", "GNUPGHOME=" + w.gnupg}
}

// Run runs a command in the repository and fails the test on error.
func (w *World) Run(stdin string, name string, args ...string) string {
	w.T.Helper()
	out, err := w.run(stdin, nil, name, args...)
	if err != nil {
		w.T.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

func (w *World) run(stdin string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = w.Dir
	cmd.Env = append(append(os.Environ(), w.Env()...), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// Git runs git in the repository.
func (w *World) Git(args ...string) string { w.T.Helper(); return w.Run("", "git", args...) }

// GitAt runs git with a fixed committer and author date.
func (w *World) GitAt(at time.Time, args ...string) string {
	w.T.Helper()
	d := at.UTC().Format(time.RFC3339)
	out, err := w.run("", []string{"GIT_COMMITTER_DATE=" + d, "GIT_AUTHOR_DATE=" + d}, "git", args...)
	if err != nil {
		w.T.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

// Write writes a file of the work tree.
func (w *World) Write(rel, text string) {
	w.T.Helper()
	p := filepath.Join(w.Dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.T.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		w.T.Fatal(err)
	}
}

// Signers is the trusted allowed_signers text: Alice and Bob.
func (w *World) Signers() string {
	return Alice + " " + w.Keys["alice"].Pub + "\n" + Bob + " " + w.Keys["bob"].Pub + "\n"
}

// AICommitTime is when the AI commit was made: an hour ago.
var AICommitTime = time.Now().Add(-time.Hour).Truncate(time.Second)

// Build makes a World; mainConfig, when not empty, is main's
// .vouch/config.toml.
func Build(t testing.TB, mainConfig string) *World {
	t.Helper()
	w := &World{T: t, Dir: filepath.Join(t.TempDir(), "repo"), Keys: map[string]Key{}, home: t.TempDir()}
	w.gnupg = filepath.Join(w.home, ".gnupg")
	keys := t.TempDir()
	for _, name := range []string{"alice", "bob", "mallory", "ca"} {
		p := filepath.Join(keys, name)
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", p).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
		pub, err := os.ReadFile(p + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(string(pub))
		w.Keys[name] = Key{Path: p, Pub: f[0] + " " + f[1]}
	}
	if err := os.MkdirAll(w.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	w.Git("init", "-q", "-b", "main")
	w.Git("config", "user.name", "Alice")
	w.Git("config", "user.email", Alice)
	w.Git("config", "gpg.format", "ssh")
	w.Git("config", "user.signingKey", w.Keys["alice"].Path)
	w.Git("config", "commit.gpgSign", "false")

	w.Write("app.go", "package app\n\nfunc Hello() string { return \"hi\" }\n")
	w.Write(".vouch/allowed_signers", w.Signers())
	if mainConfig != "" {
		w.Write(".vouch/config.toml", mainConfig)
	}
	w.Git("add", "-A")
	w.GitAt(AICommitTime.Add(-time.Hour), "commit", "-q", "-m", "Start")
	w.Base = w.Git("rev-parse", "HEAD")
	w.Git("checkout", "-q", "-b", "feature")
	w.Write("app.go", "package app\n\nimport \"os/exec\"\n\nfunc Hello() string { out, _ := exec.Command(\"sh\", \"-c\", \"id\").Output(); return string(out) }\n")
	w.Git("add", "-A")
	w.GitAt(AICommitTime, "-c", "user.name=Bo", "-c", "user.email="+Author, "commit", "-q", "-m",
		"Run id in Hello\n\nCo-authored-by: Claude <noreply@anthropic.com>")
	w.AI = w.Git("rev-parse", "HEAD")
	return w
}

// CommitOnFeature adds a commit to the feature branch (a human's unless the
// message says otherwise) and returns it.
func (w *World) CommitOnFeature(files map[string]string, message string) string {
	w.T.Helper()
	for p, text := range files {
		w.Write(p, text)
	}
	w.Git("add", "-A")
	w.GitAt(AICommitTime.Add(time.Minute), "-c", "user.name=Bo", "-c", "user.email="+Author, "commit", "-q", "-m", message)
	return w.Git("rev-parse", "HEAD")
}

// Payload is a decision about commit sha, as vouch writes it.
func (w *World) Payload(sha, decision, name, email string, at time.Time) ledger.Payload {
	w.T.Helper()
	tree := w.Git("rev-parse", sha+"^{tree}")
	patch := w.Git("diff-tree", "-p", "-M", "--no-commit-id", "--no-color", "--full-index", sha+"^", sha)
	pid := strings.Fields(w.Run(patch+"\n", "git", "patch-id", "--stable"))[0]
	return ledger.Payload{Type: ledger.RecordType, Commit: sha, Tree: tree, PatchID: pid, Decision: decision,
		Reviewer: ledger.Person{Name: name, Email: email}, Time: at.UTC().Format(time.RFC3339),
		Comment: "reviewed", Tool: "vouch attacktest", Via: "cli"}
}

// Canonical is p's canonical encoding.
func (w *World) Canonical(p ledger.Payload) string {
	w.T.Helper()
	b, err := ledger.EncodePayload(p)
	if err != nil {
		w.T.Fatal(err)
	}
	return string(b)
}

// Record signs payload (any bytes) with key, as ssh-keygen -Y sign does,
// and returns the note line.
func (w *World) Record(key, payload string) string {
	w.T.Helper()
	sig := w.Run(payload, "ssh-keygen", "-q", "-Y", "sign", "-n", ledger.Namespace, "-f", w.Keys[key].Path)
	line, err := ledger.Record{Payload: payload, SigFormat: "ssh", Signature: sig + "\n"}.Line()
	if err != nil {
		w.T.Fatal(err)
	}
	return line
}

// Plant appends lines to commit's note on refs/notes/vouch with plain git,
// as anyone with push access to the notes ref could.
func (w *World) Plant(sha string, lines ...string) {
	w.T.Helper()
	old, _ := w.run("", nil, "git", "notes", "--ref=vouch", "show", sha)
	text := strings.TrimRight(old, "\n")
	if strings.HasPrefix(text, "error:") {
		text = ""
	}
	for _, l := range lines {
		if text != "" {
			text += "\n"
		}
		text += l
	}
	w.Run(text+"\n", "git", "notes", "--ref=vouch", "add", "-f", "-F", "-", sha)
}

// Accept records a genuine accept of sha by who ("alice" or "bob") at at.
func (w *World) Accept(sha, who string, at time.Time) {
	w.T.Helper()
	email := map[string]string{"alice": Alice, "bob": Bob}[who]
	w.Plant(sha, w.Record(who, w.Canonical(w.Payload(sha, ledger.Accept, strings.ToUpper(who[:1])+who[1:], email, at))))
}

// Cert signs key's public key as a user certificate for principal, valid
// over [from, to], with the "ca" key, and returns the certificate's path.
func (w *World) Cert(key, principal string, from, to time.Time) string {
	w.T.Helper()
	dir := w.T.TempDir()
	priv, err := os.ReadFile(w.Keys[key].Path)
	if err != nil {
		w.T.Fatal(err)
	}
	base := filepath.Join(dir, key)
	if err := os.WriteFile(base, priv, 0o600); err != nil {
		w.T.Fatal(err)
	}
	if err := os.WriteFile(base+".pub", []byte(w.Keys[key].Pub+"\n"), 0o644); err != nil {
		w.T.Fatal(err)
	}
	validity := from.UTC().Format("20060102150405") + ":" + to.UTC().Format("20060102150405")
	w.Run("", "ssh-keygen", "-q", "-s", w.Keys["ca"].Path, "-I", "cert-"+key, "-n", principal, "-V", validity, base+".pub")
	// ssh-keygen -Y sign -f KEY-cert.pub signs with the certificate.
	return base + "-cert.pub"
}

// RecordWith signs payload with the private key at path (a certificate's key).
func (w *World) RecordWith(path, payload string) string {
	w.T.Helper()
	sig := w.Run(payload, "ssh-keygen", "-q", "-Y", "sign", "-n", ledger.Namespace, "-f", path)
	line, err := ledger.Record{Payload: payload, SigFormat: "ssh", Signature: sig + "\n"}.Line()
	if err != nil {
		w.T.Fatal(err)
	}
	return line
}

// Cherry makes a commit on feature with the same patch as the AI commit (a
// rebase or cherry-pick of it onto main) and returns it; the AI commit
// itself is left on a side branch.
func (w *World) Cherry() string {
	w.T.Helper()
	w.Git("branch", "-q", "old-feature", w.AI)
	w.Git("checkout", "-q", "main")
	w.Git("checkout", "-q", "-B", "feature")
	w.GitAt(AICommitTime.Add(30*time.Minute), "cherry-pick", w.AI)
	return w.Git("rev-parse", "HEAD")
}

// GPGKey makes an OpenPGP signing key for uid in the World's own gpg home
// and returns its armored public key.
func (w *World) GPGKey(uid string) string {
	w.T.Helper()
	if _, err := exec.LookPath("gpg"); err != nil {
		w.T.Skip("gpg is not installed (CI installs gnupg)")
	}
	// gpg-agent's socket path must stay short (108 bytes): not under a
	// test's long temporary directory.
	home, err := os.MkdirTemp("", "vg")
	if err != nil {
		w.T.Fatal(err)
	}
	w.T.Cleanup(func() {
		exec.Command("gpgconf", "--homedir", home, "--kill", "all").Run()
		os.RemoveAll(home)
	})
	w.gnupg = home
	w.Run("", "gpg", "--batch", "--quiet", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never")
	return w.Run("", "gpg", "--batch", "--armor", "--export", uid) + "\n"
}

// PGPRecord signs payload with the gpg key of email.
func (w *World) PGPRecord(email, payload string) string {
	w.T.Helper()
	sig := w.Run(payload, "gpg", "--batch", "--quiet", "--pinentry-mode", "loopback", "--passphrase", "", "-u", email, "--detach-sign", "--armor")
	line, err := ledger.Record{Payload: payload, SigFormat: "openpgp", Signature: sig + "\n"}.Line()
	if err != nil {
		w.T.Fatal(err)
	}
	return line
}
