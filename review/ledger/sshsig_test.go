package ledger

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"math/big"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// skKey is a FIDO public key whose private half is an ordinary key, so
// tests can make the signatures a security key would.
type skKey struct {
	pub  ssh.PublicKey
	sign func(msg []byte) []byte // signs sk-api's message; returns the signature blob
}

func newSKEd25519(t testing.TB) skKey {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	var blob []byte
	blob = appendSSHString(blob, []byte(ssh.KeyAlgoSKED25519))
	blob = appendSSHString(blob, pub)
	blob = appendSSHString(blob, []byte("ssh:"))
	k, err := ssh.ParsePublicKey(blob)
	if err != nil {
		t.Fatal(err)
	}
	return skKey{pub: k, sign: func(msg []byte) []byte { return ed25519.Sign(priv, msg) }}
}

func newSKECDSA(t testing.TB) skKey {
	priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	point, _ := priv.PublicKey.ECDH()
	var blob []byte
	blob = appendSSHString(blob, []byte(ssh.KeyAlgoSKECDSA256))
	blob = appendSSHString(blob, []byte("nistp256"))
	blob = appendSSHString(blob, point.Bytes())
	blob = appendSSHString(blob, []byte("ssh:"))
	k, err := ssh.ParsePublicKey(blob)
	if err != nil {
		t.Fatal(err)
	}
	return skKey{pub: k, sign: func(msg []byte) []byte {
		h := sha256.Sum256(msg)
		r, s, err := ecdsa.Sign(rand.Reader, priv, h[:])
		if err != nil {
			t.Fatal(err)
		}
		return ssh.Marshal(struct{ R, S *big.Int }{r, s})
	}}
}

// signer signs as a security key with the given flags: over
// SHA256("ssh:") || flags || counter || SHA256(data).
func (k skKey) signer(flags byte, counter uint32) func([]byte) *ssh.Signature {
	return func(data []byte) *ssh.Signature {
		app := sha256.Sum256([]byte("ssh:"))
		h := sha256.Sum256(data)
		rest := binary.BigEndian.AppendUint32([]byte{flags}, counter)
		msg := append(append(app[:], rest...), h[:]...)
		return &ssh.Signature{Format: k.pub.Type(), Blob: k.sign(msg), Rest: rest}
	}
}

func TestSSHSigSecurityKeys(t *testing.T) {
	msg := []byte(`{"type":"vouch/decision/v1"}`)
	keygen := true
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		keygen = false
	}
	for _, k := range []struct {
		name string
		key  skKey
	}{{"sk-ed25519", newSKEd25519(t)}, {"sk-ecdsa", newSKECDSA(t)}} {
		for _, c := range []struct {
			flags                  byte
			present, verified, bad bool
		}{
			{flags: 0x01, present: true},
			{flags: 0x05, present: true, verified: true},
			{flags: 0x00}, // no touch: ssh-keygen accepts it, and so do we, reporting no presence
			{flags: 0x04, verified: true},
		} {
			armored := vSSHSig(t, k.key.pub, Namespace, "sha512", msg, k.key.signer(c.flags, 7))
			sig, err := ParseSSHSig(armored)
			if err != nil {
				t.Fatal(err)
			}
			if err := sig.Verify(msg); err != nil {
				t.Errorf("%s flags %#x: %v", k.name, c.flags, err)
			}
			present, verified, ok := sig.UserPresence()
			if !ok || present != c.present || verified != c.verified {
				t.Errorf("%s flags %#x: UserPresence = %v %v %v", k.name, c.flags, present, verified, ok)
			}
			if err := sig.Verify(append(msg, ' ')); !errors.Is(err, ErrBadSignature) {
				t.Errorf("%s flags %#x: changed message: %v", k.name, c.flags, err)
			}
			// Flipping the flags after signing must break the signature.
			sig.Signature.Rest = append([]byte{c.flags ^ 0x01}, sig.Signature.Rest[1:]...)
			if err := sig.Verify(msg); !errors.Is(err, ErrBadSignature) {
				t.Errorf("%s flags %#x: forged flags verified: %v", k.name, c.flags, err)
			}

			if !keygen {
				continue
			}
			dir := t.TempDir()
			allowed := vWrite(t, dir, "allowed", email+" "+string(ssh.MarshalAuthorizedKey(k.key.pub)))
			sigPath := vWrite(t, dir, "sig", armored)
			cmd := exec.Command("ssh-keygen", "-Y", "verify", "-n", Namespace, "-f", allowed, "-I", email, "-s", sigPath)
			cmd.Stdin = strings.NewReader(string(msg))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s flags %#x: ssh-keygen -Y verify: %v: %s", k.name, c.flags, err, out)
			}
		}
	}
}

func TestVerifySecurityKeyRecord(t *testing.T) {
	k := newSKEd25519(t)
	p := samplePayload()
	payload, _ := EncodePayload(p)
	set, _ := ParseAllowedSigners([]byte(email + " " + string(ssh.MarshalAuthorizedKey(k.pub))))
	v := &Verifier{Signers: set}
	for flags, want := range map[byte]bool{0x01: true, 0x00: false} {
		rec := Record{Payload: string(payload), SigFormat: "ssh", Signature: vSSHSig(t, k.pub, Namespace, "sha256", payload, k.signer(flags, 1))}
		got := v.Verify(rec, p)
		if got.Status != StatusValid || !got.SK || got.UserPresence != want {
			t.Errorf("flags %#x: %+v", flags, got)
		}
	}
}

func TestParseSSHSig(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(priv)
	msg := []byte("payload")
	good := vSSHSig(t, signer.PublicKey(), Namespace, "sha512", msg, vSigner(t, signer))
	sig, err := ParseSSHSig(good)
	if err != nil {
		t.Fatal(err)
	}
	if sig.Namespace != Namespace || sig.HashAlg != "sha512" || sig.PublicKey.Type() != ssh.KeyAlgoED25519 {
		t.Errorf("%+v", sig)
	}
	if err := sig.Verify(msg); err != nil {
		t.Error(err)
	}
	if _, _, ok := sig.UserPresence(); ok {
		t.Error("UserPresence ok for an ed25519 key")
	}
	// CRLF line ends and surrounding blanks, as a note edited on Windows may have.
	if _, err := ParseSSHSig("\n  " + strings.ReplaceAll(good, "\n", "\r\n")); err != nil {
		t.Errorf("CRLF: %v", err)
	}

	blob := func(armored string) []byte {
		s := strings.TrimSpace(armored)
		s = strings.TrimSuffix(strings.TrimPrefix(s, sshsigBegin), sshsigEnd)
		b, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(s, "\n", ""))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	raw := blob(good)
	md5 := vSSHSig(t, signer.PublicKey(), Namespace, "md5", msg, func([]byte) *ssh.Signature { return &ssh.Signature{Format: "ssh-ed25519", Blob: make([]byte, 64)} })
	for name, c := range map[string]struct {
		armored string
		err     string
	}{
		"no header":     {"AAAA", "missing"},
		"no footer":     {sshsigBegin + "\nAAAA\n", "missing"},
		"bad base64":    {sshsigBegin + "\n@@@@\n" + sshsigEnd, "base64"},
		"bad magic":     {vArmor(append([]byte("SSHSIX"), raw[6:]...)), "not an SSHSIG"},
		"version 2":     {vArmor(append(append([]byte("SSHSIG"), 0, 0, 0, 2), raw[10:]...)), "version 2"},
		"truncated":     {vArmor(raw[:len(raw)-3]), "truncated"},
		"trailing data": {vArmor(append(raw, 0)), "trailing"},
	} {
		if _, err := ParseSSHSig(c.armored); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: %v, want …%s…", name, err, c.err)
		}
	}
	s, err := ParseSSHSig(md5)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(msg); !errors.Is(err, ErrUnsupportedSignature) {
		t.Errorf("md5: %v", err)
	}
}

func FuzzParseSSHSig(f *testing.F) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(priv)
	f.Add(vSSHSig(f, signer.PublicKey(), Namespace, "sha512", []byte("x"), vSigner(f, signer)))
	sk := newSKEd25519(f)
	f.Add(vSSHSig(f, sk.pub, Namespace, "sha256", []byte("x"), sk.signer(1, 1)))
	f.Fuzz(func(t *testing.T, armored string) {
		sig, err := ParseSSHSig(armored)
		if err != nil {
			return
		}
		if sig.PublicKey == nil || sig.Signature == nil {
			t.Fatal("parsed without key or signature")
		}
		sig.Verify([]byte("x")) // must not panic
		sig.UserPresence()
	})
}
