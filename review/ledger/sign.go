package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/vouch-review/vouch/review/repo"
)

// Signer makes a detached, armored signature over a payload.
type Signer interface {
	Format() string // "ssh" | "openpgp" | "x509"
	Sign(payload []byte) (armored string, err error)
}

// ErrNoSigningKey means the git configuration names no key to sign with.
var ErrNoSigningKey = errors.New("no signing key: set git config user.signingKey (e.g. ~/.ssh/id_ed25519.pub) and gpg.format=ssh, or gpg.ssh.defaultKeyCommand")

// Sign signs p and returns the Record.
func Sign(s Signer, p Payload) (Record, error) {
	payload, err := EncodePayload(p)
	if err != nil {
		return Record{}, fmt.Errorf("encode decision: %w", err)
	}
	sig, err := s.Sign(payload)
	if err != nil {
		return Record{}, err
	}
	return Record{Payload: string(payload), SigFormat: s.Format(), Signature: sig}, nil
}

// SignerFromConfig chooses how to sign by git's own rules (gpg-interface.c):
// gpg.format picks the format (openpgp when unset), user.signingKey the key,
// and gpg.<format>.program the program. Unlike git, an unset gpg.format with
// no user.signingKey is ErrNoSigningKey rather than a gpg call with the
// committer's name, which fails obscurely for most users.
func SignerFromConfig(cfg repo.Config) (Signer, error) {
	key := cfg.Get("user.signingkey")
	format := cfg.Get("gpg.format")
	switch format {
	case "ssh":
		s := &sshSigner{
			program:    firstSet(cfg.Get("gpg.ssh.program"), "ssh-keygen"),
			key:        key,
			keyCommand: cfg.Get("gpg.ssh.defaultkeycommand"),
		}
		if s.key == "" && s.keyCommand == "" {
			return nil, ErrNoSigningKey
		}
		return s, nil
	case "", "openpgp", "x509":
		if key == "" && format == "" {
			return nil, ErrNoSigningKey
		}
		if key == "" {
			// git signs with the committer identity when no key is named.
			var err error
			if key, err = committerIdent(cfg); err != nil {
				return nil, err
			}
		}
		if format == "x509" {
			return &gpgSigner{format: "x509", program: firstSet(cfg.Get("gpg.x509.program"), "gpgsm"), key: key}, nil
		}
		// git lets the later of gpg.program and gpg.openpgp.program win; the
		// flattened config has no order, so the specific name wins here.
		program := firstSet(cfg.Get("gpg.openpgp.program"), cfg.Get("gpg.program"), "gpg")
		return &gpgSigner{format: "openpgp", program: program, key: key}, nil
	default:
		return nil, fmt.Errorf("git config gpg.format is %q: want openpgp, x509 or ssh", format)
	}
}

func firstSet(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// committerIdent is "Name <email>" as git_committer_info would give it.
func committerIdent(cfg repo.Config) (string, error) {
	name := firstSet(os.Getenv("GIT_COMMITTER_NAME"), cfg.Get("committer.name"), cfg.Get("user.name"))
	email := firstSet(os.Getenv("GIT_COMMITTER_EMAIL"), cfg.Get("committer.email"), cfg.Get("user.email"), os.Getenv("EMAIL"))
	if email == "" {
		return "", fmt.Errorf("%w (nor user.email to sign as)", ErrNoSigningKey)
	}
	return fmt.Sprintf("%s <%s>", name, email), nil
}

// sshSigner signs as git's sign_buffer_ssh does, with namespace "vouch".
type sshSigner struct {
	program    string
	key        string // a path, "key::<public key>" or legacy "ssh-…" literal
	keyCommand string // gpg.ssh.defaultKeyCommand, used when key is empty
}

func (s *sshSigner) Format() string { return "ssh" }

func (s *sshSigner) Sign(payload []byte) (string, error) {
	key := s.key
	if key == "" {
		var err error
		if key, err = defaultSSHKey(s.keyCommand); err != nil {
			return "", err
		}
	}
	label := keyLabel(key)
	literal, isLiteral := literalSSHKey(key)
	keyPath := ""
	if !isLiteral {
		var err error
		if keyPath, err = expandHome(key); err != nil {
			return "", fmt.Errorf("sign with %s: %w", label, err)
		}
		if _, err := os.Stat(keyPath); errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("signing key %s does not exist: set git config user.signingKey to your SSH key (e.g. ~/.ssh/id_ed25519)", label)
		}
		// ssh-keygen would ask for the passphrase on the terminal, over
		// the TUI, or wait for it forever: say what to do instead.
		if err := checkPassphrase(label, keyPath); err != nil {
			return "", err
		}
	} else if err := checkAgentKey(label, literal); err != nil {
		return "", err
	}

	var sig []byte
	var stderr bytes.Buffer
	var err error
	if filepath.Base(s.program) == "ssh-keygen" {
		sig, err = s.signStdin(payload, keyPath, literal, isLiteral, &stderr)
	} else {
		sig, err = s.signFile(payload, keyPath, literal, isLiteral, &stderr)
	}
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			return "", missingProgram("gpg.ssh.program", s.program, "OpenSSH 8.2p1 or later")
		}
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return "", fmt.Errorf("sign with %s: %s: %w", label, filepath.Base(s.program), err)
		}
		msg := oneLine(stderr.String())
		if strings.Contains(stderr.String(), "usage:") {
			msg = "ssh-keygen -Y sign is needed for ssh signing (OpenSSH 8.2p1 or later)"
		}
		if msg == "" {
			msg = err.Error()
		}
		if _, statErr := os.Stat(keyPath); !isLiteral && statErr == nil && strings.Contains(msg, "Couldn't load") {
			// ssh-keygen blames a missing .pub for a file it could not parse.
			msg += " (the key file exists: is it an unencrypted or agent-held SSH key?)"
		}
		return "", fmt.Errorf("sign with %s: %s: %s", label, filepath.Base(s.program), msg)
	}
	return strings.ReplaceAll(string(sig), "\r", ""), nil
}

// signStdin runs ssh-keygen itself, which reads the payload from stdin and
// writes the signature to stdout: nothing of the payload touches the disk.
// A literal key is handed over as an unlinked file, /dev/fd/3, on Linux.
func (s *sshSigner) signStdin(payload []byte, keyPath, literal string, isLiteral bool, stderr *bytes.Buffer) ([]byte, error) {
	args := []string{"-Y", "sign", "-n", Namespace}
	cmd := exec.Command(s.program)
	if isLiteral {
		if runtime.GOOS != "linux" {
			return s.signFile(payload, keyPath, literal, isLiteral, stderr)
		}
		f, err := unlinkedFile([]byte(literal))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		cmd.ExtraFiles = []*os.File{f}
		args = append(args, "-f", "/dev/fd/3", "-U")
	} else {
		args = append(args, "-f", keyPath)
	}
	cmd.Args = append(cmd.Args, args...)
	var stdout bytes.Buffer
	cmd.Stdin = bytes.NewReader(payload)
	cmd.Stdout = &stdout
	cmd.Stderr = stderr
	detach(cmd)
	if err := cmd.Run(); err != nil {
		return nil, err
	}
	return stdout.Bytes(), nil
}

// signFile calls an external signing program (gpg.ssh.program) as git
// does: `-Y sign -n NS -f KEY [-U] FILE`, reading FILE.sig. The files live
// in a private directory that is removed on return and on SIGINT, SIGTERM
// and SIGHUP.
func (s *sshSigner) signFile(payload []byte, keyPath, literal string, isLiteral bool, stderr *bytes.Buffer) ([]byte, error) {
	sc, err := newScratch()
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	args := []string{"-Y", "sign", "-n", Namespace}
	if isLiteral {
		// A public key alone: ssh-keygen -U asks ssh-agent for the signature.
		f, err := sc.write("signing_key.pub", []byte(literal))
		if err != nil {
			return nil, err
		}
		args = append(args, "-f", f, "-U")
	} else {
		args = append(args, "-f", keyPath)
	}
	buf, err := sc.write("signing_buffer", payload)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(s.program, append(args, buf)...)
	cmd.Stderr = stderr
	detach(cmd)
	if err := sc.run(cmd); err != nil {
		return nil, err
	}
	sig, err := os.ReadFile(buf + ".sig")
	if err != nil {
		return nil, fmt.Errorf("read signature: %w", err)
	}
	return sig, nil
}

// checkPassphrase fails at once for a private key file that is protected by
// a passphrase, or a public key file, when ssh-agent does not hold the key. Anything it cannot read or
// parse is left to ssh-keygen, whose error says more.
func checkPassphrase(label, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	if pub, _, _, _, err := ssh.ParseAuthorizedKey(data); err == nil {
		// A public key file: ssh-keygen signs with the agent's copy.
		if os.Getenv("SSH_AUTH_SOCK") == "" {
			return fmt.Errorf("signing key %s is a public key, which needs ssh-agent, and SSH_AUTH_SOCK is not set: start ssh-agent and add the key (ssh-add %s)", label, privateOf(label))
		}
		if !agentHolds(pub) {
			return fmt.Errorf("signing key %s is not in ssh-agent: add it (ssh-add %s)", label, privateOf(label))
		}
		return nil
	}
	_, err = ssh.ParseRawPrivateKey(data)
	var missing *ssh.PassphraseMissingError
	if !errors.As(err, &missing) {
		return nil
	}
	pub := missing.PublicKey
	if pub == nil {
		// An old PEM key keeps its public half only beside it.
		if data, err := os.ReadFile(path + ".pub"); err == nil {
			pub, _, _, _, _ = ssh.ParseAuthorizedKey(data)
		}
	}
	if pub != nil && agentHolds(pub) {
		return nil
	}
	return fmt.Errorf("signing key %s is protected by a passphrase and not in ssh-agent: add it to ssh-agent (ssh-add %s)", label, label)
}

// checkAgentKey fails at once when a key named by its public half alone
// (key::…) cannot be used: no agent, or an agent without it.
func checkAgentKey(label, literal string) error {
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(literal))
	if err != nil {
		return nil // ssh-keygen says what is wrong with it
	}
	if os.Getenv("SSH_AUTH_SOCK") == "" {
		return fmt.Errorf("signing key %s needs ssh-agent, and SSH_AUTH_SOCK is not set: start ssh-agent and add the key (ssh-add PRIVATE_KEY_FILE)", label)
	}
	if !agentHolds(pub) {
		return fmt.Errorf("signing key %s is not in ssh-agent: add it (ssh-add PRIVATE_KEY_FILE)", label)
	}
	return nil
}

// missingProgram says which setting names a signing program that is not
// installed.
func missingProgram(setting, program, what string) error {
	return fmt.Errorf("signing program %s not found: install %s or set git config %s", program, what, setting)
}

// privateOf names the private key beside a public key file, as ssh-add
// wants it.
func privateOf(pubPath string) string {
	if p, ok := strings.CutSuffix(pubPath, ".pub"); ok {
		return p
	}
	return "PRIVATE_KEY_FILE"
}

// agentHolds reports whether the ssh-agent at SSH_AUTH_SOCK holds pub.
func agentHolds(pub ssh.PublicKey) bool {
	sock := os.Getenv("SSH_AUTH_SOCK")
	if sock == "" {
		return false
	}
	conn, err := net.DialTimeout("unix", sock, 2*time.Second)
	if err != nil {
		return false
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	keys, err := agent.NewClient(conn).List()
	if err != nil {
		return false
	}
	want := pub.Marshal()
	for _, k := range keys {
		if bytes.Equal(k.Marshal(), want) {
			return true
		}
	}
	return false
}

// unlinkedFile holds data in a file that has no name: it is unlinked before
// anything is written, so no exit path, not even SIGKILL, leaves it behind.
func unlinkedFile(data []byte) (*os.File, error) {
	f, err := os.CreateTemp("", ".vouch-key-*")
	if err != nil {
		return nil, err
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// literalSSHKey is git's is_literal_ssh_key: "key::" then a public key, or
// (deprecated) a value that starts with "ssh-".
func literalSSHKey(key string) (string, bool) {
	if rest, ok := strings.CutPrefix(key, "key::"); ok {
		return rest, true
	}
	if strings.HasPrefix(key, "ssh-") {
		return key, true
	}
	return "", false
}

// keyLabel names a key in errors without dumping a whole public key.
func keyLabel(key string) string {
	if literal, ok := literalSSHKey(key); ok {
		f := strings.Fields(literal)
		switch {
		case len(f) >= 3:
			return fmt.Sprintf("agent key %s %s", f[0], f[2])
		case len(f) == 2 && len(f[1]) > 12:
			return fmt.Sprintf("agent key %s …%s", f[0], f[1][len(f[1])-12:])
		}
		return "agent key"
	}
	return key
}

// defaultSSHKey runs gpg.ssh.defaultKeyCommand as git does: split like a
// git alias (no shell), first line of output, which must be a literal key.
func defaultSSHKey(command string) (string, error) {
	argv, err := splitCmdline(command)
	if err != nil || len(argv) == 0 {
		return "", fmt.Errorf("gpg.ssh.defaultKeyCommand %q: malformed command", command)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("gpg.ssh.defaultKeyCommand failed: %s", firstSet(oneLine(stderr.String()), err.Error()))
	}
	first, _, _ := strings.Cut(stdout.String(), "\n")
	first = strings.TrimSpace(first)
	if _, ok := literalSSHKey(first); !ok {
		return "", fmt.Errorf("gpg.ssh.defaultKeyCommand returned no key (want a first line starting with key:: or ssh-): %s",
			firstSet(oneLine(stderr.String()), oneLine(stdout.String()), "no output"))
	}
	return first, nil
}

// splitCmdline splits a command line as git's split_cmdline does: blanks
// separate words, quotes group them, a backslash escapes the next character
// except inside single quotes.
func splitCmdline(s string) ([]string, error) {
	var argv []string
	var word strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == 0 && (c == ' ' || c == '\t' || c == '\n'):
			if inWord {
				argv = append(argv, word.String())
				word.Reset()
				inWord = false
			}
		case c == '\\' && quote != '\'':
			i++
			if i >= len(s) {
				return nil, errors.New("cmdline ends with \\")
			}
			word.WriteByte(s[i])
			inWord = true
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
			inWord = true
		case c == quote:
			quote = 0
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errors.New("unclosed quote")
	}
	if inWord {
		argv = append(argv, word.String())
	}
	return argv, nil
}

// expandHome expands "~/" and "~user/" as git's interpolate_path does.
func expandHome(path string) (string, error) {
	if !strings.HasPrefix(path, "~") {
		return path, nil
	}
	name, rest, _ := strings.Cut(path[1:], "/")
	var home string
	if name == "" {
		home = os.Getenv("HOME")
		if home == "" {
			return "", errors.New("cannot expand ~: HOME is not set")
		}
	} else {
		u, err := user.Lookup(name)
		if err != nil {
			return "", fmt.Errorf("cannot expand ~%s: %w", name, err)
		}
		home = u.HomeDir
	}
	return filepath.Join(home, rest), nil
}

// oneLine folds a program's stderr into one line for the status bar,
// dropping ssh-keygen's and gpg's progress chatter.
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "[GNUPG:]") || strings.HasPrefix(l, "Signing file ") ||
			strings.HasPrefix(l, "Signing data on standard input") ||
			strings.HasPrefix(l, "Write signature to ") {
			continue
		}
		parts = append(parts, l)
	}
	return strings.Join(parts, "; ")
}

// gpgSigner signs as git's sign_buffer_gpg does, for gpg and gpgsm alike.
type gpgSigner struct {
	format  string // "openpgp" | "x509"
	program string
	key     string
}

func (s *gpgSigner) Format() string { return s.format }

func (s *gpgSigner) Sign(payload []byte) (string, error) {
	var sig, status bytes.Buffer
	cmd := exec.Command(s.program, "--status-fd=2", "-bsau", s.key)
	cmd.Stdin = bytes.NewReader(payload)
	cmd.Stdout = &sig
	cmd.Stderr = &status
	err := cmd.Run()
	// Like git, trust only gpg's own status line, never the exit code alone.
	created := false
	for _, l := range strings.Split(status.String(), "\n") {
		if strings.HasPrefix(l, "[GNUPG:] SIG_CREATED ") {
			created = true
		}
	}
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
		setting, what := "gpg.program", "GnuPG"
		if s.format == "x509" {
			setting, what = "gpg.x509.program", "gpgsm"
		}
		return "", missingProgram(setting, s.program, what)
	}
	if err != nil || !created {
		msg := oneLine(status.String())
		if msg == "" && err != nil {
			msg = err.Error()
		}
		if msg == "" {
			msg = "no signature created"
		}
		return "", fmt.Errorf("sign with %s key %s: %s: %s", s.format, s.key, filepath.Base(s.program), msg)
	}
	return strings.ReplaceAll(sig.String(), "\r", ""), nil
}
