package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vouch-review/vouch/review/repo"
)

const (
	email = "ada@example.com"
	c40   = "0123456789abcdef0123456789abcdef01234567"
)

// isolateGit keeps the user's git, ssh and gpg setup out of the test.
func isolateGit(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	t.Setenv("SSH_AUTH_SOCK", "")
	for k, v := range map[string]string{
		"GIT_AUTHOR_NAME":     "Ada Reviewer",
		"GIT_AUTHOR_EMAIL":    email,
		"GIT_AUTHOR_DATE":     "2025-01-02T03:04:05Z",
		"GIT_COMMITTER_NAME":  "Ada Reviewer",
		"GIT_COMMITTER_EMAIL": email,
		"GIT_COMMITTER_DATE":  "2025-01-02T03:04:05Z",
	} {
		t.Setenv(k, v)
	}
	return home
}

func run(t *testing.T, dir string, stdin []byte, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func samplePayload() Payload {
	return Payload{
		Type:     RecordType,
		Commit:   c40,
		Tree:     "89abcdef0123456789abcdef0123456789abcdef",
		PatchID:  "fedcba9876543210fedcba9876543210fedcba98",
		Decision: Accept,
		Reviewer: Person{Name: "Ada Reviewer", Email: email},
		Time:     "2025-01-02T03:04:05Z",
		Comment:  "checked <script> & the auth path\nsecond line",
		Checklists: []ChecklistTicks{
			{ID: "auth", Ticked: []string{"session", "csrf"}, Total: 3},
			{ID: "empty", Total: 2},
		},
		Findings: []FindingRef{{Category: "network", Rule: "http-listener", File: "main.go", Line: 12}},
		Evidence: []Evidence{{Kind: "trailer", Text: "Co-authored-by: Claude <noreply@anthropic.com>"}},
		Tool:     "vouch test",
		Via:      "cli",
	}
}

func TestEncodePayload(t *testing.T) {
	full := samplePayload()
	tests := []struct {
		name string
		p    Payload
		want []string // substrings of the encoding
	}{
		{"field order and no HTML escaping", full, []string{
			`{"type":"vouch/decision/v1","commit":"` + c40 + `","tree":`,
			`"comment":"checked <script> & the auth path\nsecond line"`,
			`{"id":"empty","ticked":[],"total":2}`,
			`"tool":"vouch test","via":"cli"}`,
		}},
		{"nil lists as []", Payload{Type: RecordType}, []string{
			`"checklists":[],"findings":[],"evidence":[]`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := EncodePayload(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("encoding lacks %s:\n%s", w, b)
				}
			}
			again, _ := EncodePayload(tt.p)
			if !bytes.Equal(b, again) {
				t.Fatal("same payload, different bytes")
			}
			// A round trip through a Record line gives back the same bytes.
			line, err := Record{Payload: string(b), SigFormat: "ssh", Signature: "sig"}.Line()
			if err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(line, "\n\r") {
				t.Fatalf("record line has a newline: %q", line)
			}
			entries := ParseNote(line + "\n")
			if len(entries) != 1 {
				t.Fatalf("%d entries", len(entries))
			}
			if entries[0].Record.Payload != string(b) {
				t.Fatal("payload bytes changed in a record line")
			}
			reenc, _ := EncodePayload(entries[0].Payload)
			if !bytes.Equal(reenc, b) {
				t.Fatalf("round trip changed the encoding:\n%s\n%s", b, reenc)
			}
		})
	}
	if full.Checklists[1].Ticked != nil {
		t.Fatal("EncodePayload changed its argument")
	}
}

func TestParseNote(t *testing.T) {
	good := func(decision string) string {
		p := samplePayload()
		p.Decision = decision
		b, _ := EncodePayload(p)
		l, _ := Record{Payload: string(b), SigFormat: "ssh", Signature: "-----BEGIN SSH SIGNATURE-----\n…\n"}.Line()
		return l
	}
	foreignType, _ := Record{Payload: `{"type":"other/v1"}`, SigFormat: "ssh", Signature: "s"}.Line()
	tests := []struct {
		name string
		note string
		want []string // per entry: "ok DECISION" or "err"
		line []int
	}{
		{"empty", "", nil, nil},
		{"one record", good(Accept) + "\n", []string{"ok accept"}, []int{1}},
		{"blank lines skipped", "\n" + good(Accept) + "\n\n  \n" + good(Reject) + "\n\n",
			[]string{"ok accept", "ok reject"}, []int{2, 5}},
		{"corrupt line kept", good(Accept) + "\n" + good(Reject)[:40] + "\n",
			[]string{"ok accept", "err"}, []int{1, 2}},
		{"foreign plain text", "LGTM from git notes add\n" + good(Reject),
			[]string{"err", "ok reject"}, []int{1, 2}},
		{"foreign record type", foreignType, []string{"err"}, []int{1}},
		{"missing signature field", `{"payload":"{}","sigformat":"ssh"}`, []string{"err"}, []int{1}},
		{"CRLF line endings", good(Accept) + "\r\n", []string{"ok accept"}, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries := ParseNote(tt.note)
			var got []string
			var lines []int
			for _, e := range entries {
				lines = append(lines, e.Line)
				if e.Err != nil {
					if !errors.Is(e.Err, ErrMalformed) {
						t.Errorf("error %v does not wrap ErrMalformed", e.Err)
					}
					got = append(got, "err")
					continue
				}
				got = append(got, "ok "+e.Payload.Decision)
			}
			if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(lines, tt.line) {
				t.Fatalf("got %v at lines %v, want %v at %v", got, lines, tt.want, tt.line)
			}
			for _, e := range entries {
				if !strings.Contains(tt.note, e.Raw) {
					t.Fatalf("Raw %q is not from the note", e.Raw)
				}
			}
		})
	}
}

// sshKey makes an unencrypted ed25519 key pair and returns the private key
// path and the public key line.
func sshKey(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	key := filepath.Join(dir, name)
	run(t, dir, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ada", "-f", key)
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	return key, strings.TrimSpace(string(pub))
}

// startAgent runs a private ssh-agent holding key and points SSH_AUTH_SOCK at it.
func startAgent(t *testing.T, key string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "agent") // short: socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "sock")
	agent := exec.Command("ssh-agent", "-D", "-a", sock)
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		agent.Process.Kill()
		agent.Wait()
	})
	// The socket file exists once the agent has bound it, before it
	// listens: wait until a connection is accepted.
	for i := 0; ; i++ {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			break
		}
		if i == 200 {
			t.Fatal("ssh-agent did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Setenv("SSH_AUTH_SOCK", sock)
	run(t, dir, nil, "ssh-add", "-q", key)
}

// verifySSH checks a signature the way a user would by hand, then checks
// that one changed payload byte makes it fail.
func verifySSH(t *testing.T, payload []byte, sig, pub string) {
	t.Helper()
	dir := t.TempDir()
	allowed := filepath.Join(dir, "allowed_signers")
	sigFile := filepath.Join(dir, "record.sig")
	if err := os.WriteFile(allowed, []byte(email+" "+pub+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sigFile, []byte(sig), 0o644); err != nil {
		t.Fatal(err)
	}
	verify := func(p []byte) error {
		cmd := exec.Command("ssh-keygen", "-Y", "verify", "-n", "vouch", "-f", allowed, "-I", email, "-s", sigFile)
		cmd.Stdin = bytes.NewReader(p)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	}
	if err := verify(payload); err != nil {
		t.Fatalf("ssh-keygen -Y verify: %v", err)
	}
	tampered := bytes.Clone(payload)
	tampered[len(tampered)/2] ^= 1
	if verify(tampered) == nil {
		t.Fatal("signature verified over a changed payload")
	}
}

func TestSSHSigning(t *testing.T) {
	home := isolateGit(t)
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	key, pub := sshKey(t, filepath.Join(home, ".ssh"), "id_ed25519")
	agentKey, agentPub := sshKey(t, t.TempDir(), "agent_key")
	startAgent(t, agentKey)
	script := filepath.Join(t.TempDir(), "default key")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho \"key::"+agentPub+"\"\necho ignored second line\n"), 0o755); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		cfg  repo.Config
		pub  string
	}{
		{"key file", repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {key}}, pub},
		{"~/ expanded", repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {"~/.ssh/id_ed25519"}}, pub},
		{"key:: literal via agent", repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {"key::" + agentPub}}, agentPub},
		{"legacy ssh- literal via agent", repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {agentPub}}, agentPub},
		{"public key file via agent", repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {agentKey + ".pub"}}, agentPub},
		{"defaultKeyCommand script", repo.Config{"gpg.format": {"ssh"}, "gpg.ssh.defaultkeycommand": {`"` + script + `"`}}, agentPub},
		{"defaultKeyCommand ssh-add -L", repo.Config{"gpg.format": {"ssh"}, "gpg.ssh.defaultkeycommand": {"ssh-add -L"}}, agentPub},
		{"signingKey wins over defaultKeyCommand", repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {key}, "gpg.ssh.defaultkeycommand": {"false"}}, pub},
		{"gpg.ssh.program", repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {key}, "gpg.ssh.program": {"/usr/bin/ssh-keygen"}}, pub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := SignerFromConfig(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := Sign(s, samplePayload())
			if err != nil {
				t.Fatal(err)
			}
			if rec.SigFormat != "ssh" || !strings.HasPrefix(rec.Signature, "-----BEGIN SSH SIGNATURE-----") {
				t.Fatalf("record = %+v", rec)
			}
			want, _ := EncodePayload(samplePayload())
			if rec.Payload != string(want) {
				t.Fatal("record payload is not the encoded payload")
			}
			verifySSH(t, []byte(rec.Payload), rec.Signature, tt.pub)
		})
	}
}

func TestSignerErrors(t *testing.T) {
	isolateGit(t)
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken")
	key, _ := sshKey(t, dir, "good")
	good, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(broken, good[:len(good)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty-key-command")
	if err := os.WriteFile(empty, []byte("#!/bin/sh\necho no keys here\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		cfg      repo.Config
		noKey    bool   // SignerFromConfig returns ErrNoSigningKey
		contains string // Sign fails with a one-line error holding this
	}{
		{"nothing configured", repo.Config{}, true, ""},
		{"ssh without key", repo.Config{"gpg.format": {"ssh"}}, true, ""},
		{"openpgp default without key", repo.Config{"user.name": {"Ada"}}, true, ""},
		{"broken key file", repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {broken}}, false, "sign with " + broken + ": ssh-keygen: "},
		{"missing key file", repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {"~/.ssh/nope"}}, false, "signing key ~/.ssh/nope does not exist: set git config user.signingKey"},
		{"key command without key", repo.Config{"gpg.format": {"ssh"}, "gpg.ssh.defaultkeycommand": {empty}}, false, "returned no key"},
		{"key command fails", repo.Config{"gpg.format": {"ssh"}, "gpg.ssh.defaultkeycommand": {"false"}}, false, "defaultKeyCommand failed"},
		{"literal key without agent", repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {"key::ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOnTF8Q2yBFh1vY0vAcPpGtxuGfHQZbtsJJ3xUQVqGhA x"}}, false, "signing key agent key ssh-ed25519 x needs ssh-agent, and SSH_AUTH_SOCK is not set: start ssh-agent"},
		{"missing gpg program", repo.Config{"gpg.format": {"openpgp"}, "user.signingkey": {"t@example.com"}, "gpg.program": {"/nonexistent/gpg"}}, false, "signing program /nonexistent/gpg not found: install GnuPG or set git config gpg.program"},
		{"missing ssh program", repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {key}, "gpg.ssh.program": {"no-such-keygen"}}, false, "signing program no-such-keygen not found: install OpenSSH 8.2p1 or later or set git config gpg.ssh.program"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := SignerFromConfig(tt.cfg)
			if tt.noKey {
				if !errors.Is(err, ErrNoSigningKey) {
					t.Fatalf("err = %v, want ErrNoSigningKey", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = Sign(s, samplePayload())
			if err == nil {
				t.Fatal("signed with a broken setup")
			}
			if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), tt.contains) {
				t.Fatalf("error %q: want one line containing %q", err, tt.contains)
			}
			t.Log(err)
		})
	}
	if _, err := SignerFromConfig(repo.Config{"gpg.format": {"pgp"}}); err == nil || err.Error() != `git config gpg.format is "pgp": want openpgp, x509 or ssh` {
		t.Fatalf("invalid gpg.format: %v", err)
	}
	// An explicit openpgp format signs as the committer, as git does.
	s, err := SignerFromConfig(repo.Config{"gpg.format": {"openpgp"}})
	if err != nil || s.(*gpgSigner).key != "Ada Reviewer <"+email+">" {
		t.Fatalf("openpgp without key: %#v, %v", s, err)
	}
	if s, err := SignerFromConfig(repo.Config{"gpg.format": {"x509"}, "user.signingkey": {"0xABC"}}); err != nil || s.Format() != "x509" || s.(*gpgSigner).program != "gpgsm" {
		t.Fatalf("x509: %#v, %v", s, err)
	}
}

func TestSplitCmdline(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"ssh-add -L", []string{"ssh-add", "-L"}},
		{`  "/path with/space" 'a b'  c\ d "e\"f"`, []string{"/path with/space", "a b", "c d", `e"f`}},
		{`'a\b'`, []string{`a\b`}},
	}
	for _, tt := range tests {
		got, err := splitCmdline(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitCmdline(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{`"open`, `end\`} {
		if _, err := splitCmdline(bad); err == nil {
			t.Errorf("splitCmdline(%q) accepted", bad)
		}
	}
}

func TestOpenPGPSigning(t *testing.T) {
	isolateGit(t)
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Skip("gpg is not installed: OpenPGP signing not tested")
	}
	gnupg, err := os.MkdirTemp("", "gpg") // short: gpg-agent's socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GNUPGHOME", gnupg)
	t.Cleanup(func() {
		exec.Command("gpgconf", "--kill", "gpg-agent").Run()
		os.RemoveAll(gnupg)
	})
	run(t, gnupg, nil, "gpg", "--batch", "--passphrase", "", "--quick-gen-key", "T <t@example.com>", "ed25519", "sign", "never")

	t.Setenv("GIT_COMMITTER_NAME", "T")
	t.Setenv("GIT_COMMITTER_EMAIL", "t@example.com")
	tests := []struct {
		name string
		cfg  repo.Config
	}{
		{"default format with key", repo.Config{"user.signingkey": {"t@example.com"}}},
		{"explicit openpgp as committer", repo.Config{"gpg.format": {"openpgp"}}},
		{"gpg.program", repo.Config{"user.signingkey": {"t@example.com"}, "gpg.program": {"gpg"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := SignerFromConfig(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := Sign(s, samplePayload())
			if err != nil {
				t.Fatal(err)
			}
			if rec.SigFormat != "openpgp" || !strings.HasPrefix(rec.Signature, "-----BEGIN PGP SIGNATURE-----") {
				t.Fatalf("record = %+v", rec)
			}
			dir := t.TempDir()
			sig, payload := filepath.Join(dir, "p.asc"), filepath.Join(dir, "p")
			os.WriteFile(sig, []byte(rec.Signature), 0o644)
			os.WriteFile(payload, []byte(rec.Payload), 0o644)
			out := run(t, dir, nil, "gpg", "--verify", sig, payload)
			if !strings.Contains(out, `Good signature from "T <t@example.com>"`) {
				t.Fatalf("gpg --verify: %s", out)
			}
			os.WriteFile(payload, []byte(rec.Payload+" "), 0o644)
			if exec.Command("gpg", "--verify", sig, payload).Run() == nil {
				t.Fatal("signature verified over a changed payload")
			}
		})
	}
	s, _ := SignerFromConfig(repo.Config{"user.signingkey": {"nobody@example.com"}})
	if _, err := Sign(s, samplePayload()); err == nil || strings.Contains(err.Error(), "\n") {
		t.Fatalf("unknown gpg key: %v", err)
	}
}

func TestStore(t *testing.T) {
	isolateGit(t)
	dir := t.TempDir()
	run(t, dir, nil, "git", "init", "-q", "-b", "main")
	run(t, dir, nil, "git", "commit", "-q", "--allow-empty", "-m", "ai change")
	commit := run(t, dir, nil, "git", "rev-parse", "HEAD")
	key, pub := sshKey(t, t.TempDir(), "id")
	allowed := filepath.Join(t.TempDir(), "allowed_signers")
	os.WriteFile(allowed, []byte(email+" "+pub+"\n"), 0o644)
	for _, kv := range [][2]string{{"gpg.format", "ssh"}, {"user.signingKey", key}, {"gpg.ssh.allowedSignersFile", allowed}} {
		run(t, dir, nil, "git", "config", kv[0], kv[1])
	}
	// A note someone wrote by hand stays, and is reported as foreign.
	run(t, dir, nil, "git", "notes", "--ref=vouch", "add", "-m", "looked fine to me", commit)

	r, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := r.Config()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := SignerFromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st := NewStore(r, "vouch")
	if st.Ref() != "refs/notes/vouch" {
		t.Fatalf("Ref = %q", st.Ref())
	}

	var lines []string
	for _, decision := range []string{Reject, Accept} {
		p := samplePayload()
		p.Commit, p.Decision = commit, decision
		rec, err := Sign(signer, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Append(commit, rec, true); err != nil {
			t.Fatal(err)
		}
		line, _ := rec.Line()
		lines = append(lines, line)
	}
	shown := run(t, dir, nil, "git", "notes", "--ref=vouch", "show", commit)
	if want := "looked fine to me\n" + strings.Join(lines, "\n"); shown != want {
		t.Fatalf("git notes show:\n%s\nwant:\n%s", shown, want)
	}
	if subj := run(t, dir, nil, "git", "log", "-1", "--format=%s", "refs/notes/vouch"); subj != "vouch: accept "+commit[:7] {
		t.Fatalf("notes commit message %q", subj)
	}
	run(t, dir, nil, "git", "verify-commit", "refs/notes/vouch")

	all, err := st.Load()
	if err != nil {
		t.Fatal(err)
	}
	one, err := st.Entries(commit)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(all[commit], one) || len(one) != 3 {
		t.Fatalf("Load and Entries disagree or miss records: %d, %d", len(all[commit]), len(one))
	}
	if one[0].Err == nil || one[1].Err != nil || one[2].Err != nil {
		t.Fatalf("entries: %v / %v / %v", one[0].Err, one[1].Err, one[2].Err)
	}
	if one[1].Payload.Decision != Reject || one[2].Payload.Decision != Accept || one[2].Raw != lines[1] {
		t.Fatalf("entries: %+v", one)
	}
	verifySSH(t, []byte(one[2].Record.Payload), one[2].Record.Signature, pub)

	// The same record twice is one line; a record about another commit is refused.
	before := run(t, dir, nil, "git", "rev-parse", "refs/notes/vouch")
	rec := one[2].Record
	if err := st.Append(commit, rec, false); err != nil {
		t.Fatal(err)
	}
	if after := run(t, dir, nil, "git", "rev-parse", "refs/notes/vouch"); after != before {
		t.Fatal("a duplicate record made a notes commit")
	}
	if err := st.Append(c40, rec, false); err == nil {
		t.Fatal("record attached to the wrong commit")
	}
	if err := st.Append(commit, Record{Payload: "{}", SigFormat: "ssh", Signature: "x"}, false); !errors.Is(err, ErrMalformed) {
		t.Fatalf("malformed record: %v", err)
	}
	if entries, err := NewStore(r, "").Entries(c40); err != nil || entries != nil {
		t.Fatalf("no note: %v, %v", entries, err)
	}
}

func FuzzParseNote(f *testing.F) {
	b, _ := EncodePayload(samplePayload())
	line, _ := Record{Payload: string(b), SigFormat: "ssh", Signature: "sig"}.Line()
	for _, seed := range []string{
		"", "\n\n", line, line + "\n" + line[:30] + "\nplain text\n", `{"payload":1}`,
		`{"payload":"{\"type\":\"vouch/decision/v1\",\"checklists\":null}","sigformat":"ssh","signature":"s"}`,
		"\r\n\x00\xff",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, note string) {
		prev := 0
		for _, e := range ParseNote(note) {
			if e.Line <= prev || strings.Contains(e.Raw, "\n") || strings.TrimSpace(e.Raw) == "" {
				t.Fatalf("bad entry %+v", e)
			}
			prev = e.Line
			if e.Err == nil {
				if _, err := EncodePayload(e.Payload); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}
