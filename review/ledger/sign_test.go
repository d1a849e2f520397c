//go:build unix

package ledger

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vouch-review/vouch/review/repo"
)

// privateTMPDIR points TMPDIR at a fresh directory, where every temporary
// file of a signing would land, and returns it.
func privateTMPDIR(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return dir
}

func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind in %s: %s", dir, e.Name())
	}
}

func writeScript(t *testing.T, path, body string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSigningLeavesNoFiles(t *testing.T) {
	home := isolateGit(t)
	key, pub := sshKey(t, home, "id_ed25519")
	agentKey, agentPub := sshKey(t, t.TempDir(), "agent_key")
	startAgent(t, agentKey)
	bin := t.TempDir()
	// An external program with git's interface: -Y sign … FILE, FILE.sig.
	wrapper := writeScript(t, filepath.Join(bin, "my-signer"), `exec ssh-keygen "$@"`+"\n")
	failing := writeScript(t, filepath.Join(bin, "card-signer"), "echo 'no card in the reader' >&2\nexit 1\n")
	// Named ssh-keygen, so it is called as ssh-keygen is: stdin, stdout, /dev/fd/3.
	fakeKeygen := writeScript(t, filepath.Join(t.TempDir(), "ssh-keygen"), "cat /dev/fd/3 >/dev/null && echo 'agent refused' >&2\nexit 1\n")
	broken := filepath.Join(home, "broken")
	if err := os.WriteFile(broken, []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		cfg  repo.Config
		pub  string // "" when signing must fail
		err  string
	}{
		{name: "key file", cfg: repo.Config{"user.signingkey": {key}}, pub: pub},
		{name: "literal key via agent", cfg: repo.Config{"user.signingkey": {"key::" + agentPub}}, pub: agentPub},
		{name: "external program, key file", cfg: repo.Config{"user.signingkey": {key}, "gpg.ssh.program": {wrapper}}, pub: pub},
		{name: "external program, literal key", cfg: repo.Config{"user.signingkey": {"key::" + agentPub}, "gpg.ssh.program": {wrapper}}, pub: agentPub},
		{name: "external program fails", cfg: repo.Config{"user.signingkey": {key}, "gpg.ssh.program": {failing}}, err: "card-signer: no card in the reader"},
		{name: "ssh-keygen fails", cfg: repo.Config{"user.signingkey": {broken}}, err: "ssh-keygen: "},
		{name: "ssh-keygen fails on a literal key", cfg: repo.Config{"user.signingkey": {"key::" + agentPub}, "gpg.ssh.program": {fakeKeygen}}, err: "ssh-keygen: agent refused"},
		{name: "public key file not in the agent", cfg: repo.Config{"user.signingkey": {key + ".pub"}}, err: "signing key " + key + ".pub is not in ssh-agent: add it (ssh-add " + key + ")"},
		{name: "literal key not in the agent", cfg: repo.Config{"user.signingkey": {"key::" + pub}}, err: "is not in ssh-agent: add it (ssh-add PRIVATE_KEY_FILE)"},
		{name: "program missing", cfg: repo.Config{"user.signingkey": {key}, "gpg.ssh.program": {filepath.Join(bin, "none")}}, err: "signing program " + filepath.Join(bin, "none") + " not found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tmp := privateTMPDIR(t)
			c.cfg["gpg.format"] = []string{"ssh"}
			s, err := SignerFromConfig(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := Sign(s, samplePayload())
			if c.pub == "" {
				if err == nil || !strings.Contains(err.Error(), c.err) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("error %v, want one line with %q", err, c.err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				verifySSH(t, []byte(rec.Payload), rec.Signature, c.pub)
			}
			assertEmptyDir(t, tmp)
		})
	}
}

// TestSigningProgramHasNoTerminal runs ssh-keygen behind a program of the
// same name that fails unless it leads a session of its own (so it has no
// controlling terminal to prompt on) and its stdin is not a terminal.
func TestSigningProgramHasNoTerminal(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	home := isolateGit(t)
	key, pub := sshKey(t, home, "id_ed25519")
	real, err := exec.LookPath("ssh-keygen")
	if err != nil {
		t.Fatal(err)
	}
	check := `sid=$(cut -d' ' -f6 /proc/$$/stat)
[ "$sid" = "$$" ] || { echo "shares session $sid" >&2; exit 1; }
[ -t 0 ] && { echo "stdin is a terminal" >&2; exit 1; }
`
	stock := writeScript(t, filepath.Join(t.TempDir(), "ssh-keygen"), check+`exec "`+real+`" "$@"`+"\n")
	external := writeScript(t, filepath.Join(t.TempDir(), "other-signer"), check+`exec "`+real+`" "$@"`+"\n")
	for _, program := range []string{stock, external} {
		t.Run(filepath.Base(program), func(t *testing.T) {
			s, err := SignerFromConfig(repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {key}, "gpg.ssh.program": {program}})
			if err != nil {
				t.Fatal(err)
			}
			rec, err := Sign(s, samplePayload())
			if err != nil {
				t.Fatal(err)
			}
			verifySSH(t, []byte(rec.Payload), rec.Signature, pub)
		})
	}
}

func TestPassphraseProtectedKey(t *testing.T) {
	home := isolateGit(t)
	sshDir := filepath.Join(home, ".ssh")
	if err := os.MkdirAll(sshDir, 0o700); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(sshDir, "id_ed25519")
	run(t, sshDir, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "pass", "-C", "ada", "-f", key)
	pemKey := filepath.Join(sshDir, "id_rsa_pem")
	run(t, sshDir, nil, "ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "passphrase", "-C", "ada", "-f", pemKey)
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	sign := func(signingKey string) (Record, error) {
		t.Helper()
		s, err := SignerFromConfig(repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {signingKey}})
		if err != nil {
			t.Fatal(err)
		}
		return Sign(s, samplePayload())
	}
	want := func(label string) string {
		return "signing key " + label + " is protected by a passphrase and not in ssh-agent: add it to ssh-agent (ssh-add " + label + ")"
	}

	t.Run("no agent", func(t *testing.T) {
		for _, label := range []string{"~/.ssh/id_ed25519", pemKey} {
			if _, err := sign(label); err == nil || err.Error() != want(label) {
				t.Errorf("error\n %v\nwant\n %s", err, want(label))
			}
		}
	})

	t.Run("agent without the key", func(t *testing.T) {
		other, _ := sshKey(t, t.TempDir(), "other")
		startAgent(t, other)
		if _, err := sign("~/.ssh/id_ed25519"); err == nil || err.Error() != want("~/.ssh/id_ed25519") {
			t.Errorf("error\n %v\nwant\n %s", err, want("~/.ssh/id_ed25519"))
		}
	})

	t.Run("agent holds the key", func(t *testing.T) {
		// The agent gets the key as ssh-add would after asking for the
		// passphrase: from a decrypted copy.
		plain := filepath.Join(t.TempDir(), "plain")
		data, err := os.ReadFile(key)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(plain, data, 0o600); err != nil {
			t.Fatal(err)
		}
		run(t, sshDir, nil, "ssh-keygen", "-q", "-p", "-P", "pass", "-N", "", "-f", plain)
		startAgent(t, plain)
		rec, err := sign("~/.ssh/id_ed25519")
		if err != nil {
			t.Fatal(err)
		}
		verifySSH(t, []byte(rec.Payload), rec.Signature, strings.TrimSpace(string(pub)))
	})
}

// TestSignCleanupOnSignal kills a process in the middle of a signing with a
// slow signing program and checks that nothing is left in TMPDIR and that
// the program died with it.
func TestSignCleanupOnSignal(t *testing.T) {
	if os.Getenv("VOUCH_TEST_SIGN_HELPER") == "1" {
		s, err := SignerFromConfig(repo.Config{"gpg.format": {"ssh"}, "user.signingkey": {os.Getenv("VOUCH_TEST_KEY")},
			"gpg.ssh.program": {os.Getenv("VOUCH_TEST_PROGRAM")}})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		_, err = Sign(s, samplePayload())
		fmt.Fprintln(os.Stderr, "signing returned:", err)
		os.Exit(4) // only reached when the signal did not end the process
	}
	if runtime.GOOS == "windows" {
		t.Skip("signals")
	}
	home := isolateGit(t)
	key, _ := sshKey(t, home, "id_ed25519")
	tmp := t.TempDir()
	started := filepath.Join(t.TempDir(), "started")
	slow := writeScript(t, filepath.Join(t.TempDir(), "slow-signer"),
		`echo "$$ $*" > "`+started+`.tmp" && mv "`+started+`.tmp" "`+started+`"`+"\nexec sleep 60\n")
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			os.Remove(started)
			cmd := exec.Command(os.Args[0], "-test.run=^TestSignCleanupOnSignal$")
			cmd.Env = append(os.Environ(), "VOUCH_TEST_SIGN_HELPER=1", "TMPDIR="+tmp,
				"VOUCH_TEST_KEY="+key, "VOUCH_TEST_PROGRAM="+slow)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var line []byte
			for i := 0; ; i++ {
				var err error
				if line, err = os.ReadFile(started); err == nil {
					break
				}
				if i == 1000 {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("the signing program never started: %s", stderr.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			fields := strings.Fields(string(line))
			if len(fields) < 2 || !strings.HasPrefix(fields[len(fields)-1], tmp) {
				t.Fatalf("program called with %q, want a file under TMPDIR", line)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != sig {
				t.Errorf("helper ended with %v, want killed by %v; stderr: %s", err, sig, stderr.String())
			}
			assertEmptyDir(t, tmp)
			pid, _ := strconv.Atoi(fields[0])
			for i := 0; alive(pid); i++ {
				if i == 500 {
					syscall.Kill(pid, syscall.SIGKILL)
					t.Fatal("the signing program outlived the process")
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

// alive reports a process that exists and is not a zombie.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return runtime.GOOS != "linux"
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(rest, "Z")
}

// TestSweepScratch: a directory left by a process that was SIGKILLed is
// removed by the next signing; one of a live process is not.
func TestSweepScratch(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix only")
	}
	tmp := privateTMPDIR(t)
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	dead := filepath.Join(tmp, fmt.Sprintf("%s%d-123", scratchPrefix, gone.Process.Pid))
	live := filepath.Join(tmp, fmt.Sprintf("%s%d-456", scratchPrefix, os.Getppid()))
	other := filepath.Join(tmp, "someone-else")
	for _, d := range []string{dead, live, other} {
		if err := os.MkdirAll(filepath.Join(d, "x"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	sc, err := newScratch()
	if err != nil {
		t.Fatal(err)
	}
	sc.Close()
	if _, err := os.Stat(dead); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("dead process's directory kept: %v", err)
	}
	for _, d := range []string{live, other} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("%s removed: %v", d, err)
		}
	}
}
