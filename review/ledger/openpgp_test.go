package ledger

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/vouch-review/vouch/review/repo"
)

const raeEmail = "rae@example.com"

// pgpHome makes a throwaway GNUPGHOME with two ed25519 signing keys, Rae
// and Sam, and returns it with Rae's fingerprint.
func pgpHome(t *testing.T) (home, raeFpr string) {
	t.Helper()
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Skip("gpg is not installed (CI installs gnupg): OpenPGP verification not tested")
	}
	isolateGit(t)
	home, err := os.MkdirTemp("", "gpg") // short: gpg-agent's socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GNUPGHOME", home)
	t.Cleanup(func() {
		exec.Command("gpgconf", "--kill", "gpg-agent").Run()
		os.RemoveAll(home)
	})
	for _, uid := range []string{"Rae <" + raeEmail + ">", "Sam <sam@example.com>"} {
		run(t, home, nil, "gpg", "--batch", "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never")
	}
	for _, l := range strings.Split(run(t, home, nil, "gpg", "--with-colons", "--fingerprint", raeEmail), "\n") {
		if f := strings.Split(l, ":"); f[0] == "fpr" && raeFpr == "" {
			raeFpr = f[9]
		}
	}
	if raeFpr == "" {
		t.Fatal("no fingerprint for Rae's key")
	}
	return home, raeFpr
}

// pgpRecord signs p with ledger's own OpenPGP signer, as `vouch` would.
func pgpRecord(t *testing.T, key string, p Payload) Record {
	t.Helper()
	s, err := SignerFromConfig(repo.Config{"gpg.format": {"openpgp"}, "user.signingkey": {key}})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := Sign(s, p)
	if err != nil {
		t.Fatal(err)
	}
	if rec.SigFormat != "openpgp" {
		t.Fatalf("sigformat %q", rec.SigFormat)
	}
	return rec
}

func pgpKeyring(t *testing.T, home string, who ...string) openpgp.EntityList {
	t.Helper()
	armored := run(t, home, nil, "gpg", append([]string{"--export", "--armor"}, who...)...)
	keys, err := ParseKeyring([]byte(armored))
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestOpenPGPVerify(t *testing.T) {
	home, fpr := pgpHome(t)
	keys := pgpKeyring(t, home, raeEmail)
	v := &Verifier{Keyring: keys}

	p := samplePayload()
	p.Reviewer = Person{Name: "Rae", Email: raeEmail}
	good := pgpRecord(t, raeEmail, p)

	got := v.Verify(good, p)
	if got.Status != StatusValid || got.Principal != raeEmail || got.Fingerprint != fpr {
		t.Fatalf("valid record: %+v (want fingerprint %s)", got, fpr)
	}

	// gpg agrees.
	dir := t.TempDir()
	sigFile, payloadFile := filepath.Join(dir, "p.asc"), filepath.Join(dir, "p")
	os.WriteFile(sigFile, []byte(good.Signature), 0o600)
	os.WriteFile(payloadFile, []byte(good.Payload), 0o600)
	if out := run(t, dir, nil, "gpg", "--verify", sigFile, payloadFile); !strings.Contains(out, `Good signature from "Rae <rae@example.com>"`) {
		t.Fatalf("gpg --verify: %s", out)
	}

	tampered := good
	i := strings.Index(tampered.Payload, "auth path")
	tampered.Payload = tampered.Payload[:i] + "X" + tampered.Payload[i+1:]
	if got := v.Verify(tampered, p); got.Status != StatusBadSignature {
		t.Errorf("one payload byte changed: %+v", got)
	}

	bySam := pgpRecord(t, "sam@example.com", p)
	if got := v.Verify(bySam, p); got.Status != StatusUnknownSigner {
		t.Errorf("key not in the keyring: %+v", got)
	}
	both := &Verifier{Keyring: pgpKeyring(t, home, raeEmail, "sam@example.com")}
	if got := both.Verify(bySam, p); got.Status != StatusNotAllowed {
		t.Errorf("Sam signing for Rae: %+v", got)
	}

	ada := samplePayload() // reviewer ada@example.com, not on Rae's key
	byRaeForAda := pgpRecord(t, raeEmail, ada)
	if got := v.Verify(byRaeForAda, ada); got.Status != StatusNotAllowed || got.Fingerprint != fpr {
		t.Errorf("reviewer e-mail not on the key: %+v", got)
	}

	upper := p
	upper.Reviewer.Email = "Rae@Example.COM"
	if got := v.Verify(pgpRecord(t, raeEmail, upper), upper); got.Status != StatusValid {
		t.Errorf("e-mail in another case: %+v", got)
	}

	if got := (&Verifier{}).Verify(good, p); got.Status != StatusUnsupported || got.Detail != NoKeyringDetail {
		t.Errorf("no keyring: %+v", got)
	}
	if got := (&Verifier{Keyring: openpgp.EntityList{}}).Verify(good, p); got.Status != StatusUnknownSigner {
		t.Errorf("empty keyring: %+v", got)
	}
	x509 := Record{Payload: good.Payload, SigFormat: "x509", Signature: good.Signature}
	if got := v.Verify(x509, p); got.Status != StatusUnsupported || got.Detail != X509Detail {
		t.Errorf("x509: %+v", got)
	}

	for name, sig := range map[string]string{
		"garbage":         "not a signature",
		"ssh armor":       "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n",
		"two signatures":  doubleSig(t, good.Signature),
		"public key only": run(t, home, nil, "gpg", "--export", "--armor", raeEmail),
	} {
		rec := good
		rec.Signature = sig
		if got := v.Verify(rec, p); got.Status != StatusMalformed {
			t.Errorf("%s: %+v", name, got)
		}
	}

	// A revocation counts whenever it was made.
	rev, err := os.ReadFile(filepath.Join(home, "openpgp-revocs.d", fpr+".rev"))
	if err != nil {
		t.Fatal(err)
	}
	run(t, home, bytes.ReplaceAll(rev, []byte(":-----BEGIN"), []byte("-----BEGIN")), "gpg", "--batch", "--import")
	revoked := &Verifier{Keyring: pgpKeyring(t, home, raeEmail)}
	if got := revoked.Verify(good, p); got.Status != StatusRevoked || got.Fingerprint != fpr {
		t.Errorf("revoked key: %+v", got)
	}
}

// doubleSig repeats the signature packet of an armored signature.
func doubleSig(t *testing.T, armored string) string {
	t.Helper()
	b, err := armor.Decode(strings.NewReader(armored))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(b.Body)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.SignatureType, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw)
	w.Write(raw)
	w.Close()
	return buf.String()
}

// TestOpenPGPExpiry judges a key's expiry at the time it signed, with a key
// made in process: gpg refuses to sign with an expired key.
func TestOpenPGPExpiry(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	e, err := openpgp.NewEntity("Rae", "", raeEmail, &packet.Config{Time: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	p := samplePayload()
	p.Reviewer = Person{Name: "Rae", Email: raeEmail}
	payload, err := EncodePayload(p)
	if err != nil {
		t.Fatal(err)
	}
	var sig bytes.Buffer
	signed := t0.Add(2 * time.Hour)
	if err := openpgp.ArmoredDetachSign(&sig, e, bytes.NewReader(payload), &packet.Config{Time: func() time.Time { return signed }}); err != nil {
		t.Fatal(err)
	}
	rec := Record{Payload: string(payload), SigFormat: "openpgp", Signature: sig.String()}
	v := &Verifier{Keyring: openpgp.EntityList{e}}
	if got := v.Verify(rec, p); got.Status != StatusValid {
		t.Fatalf("key without expiry: %+v", got)
	}
	// The key expires an hour after it was made, before it signed.
	hour := uint32(3600)
	for _, id := range e.Identities {
		id.SelfSignature.KeyLifetimeSecs = &hour
	}
	if got := v.Verify(rec, p); got.Status != StatusExpired {
		t.Errorf("signed after the key expired: %+v", got)
	}
	// Valid for a day: still valid now, long after, since it signed in time.
	day := uint32(86400)
	for _, id := range e.Identities {
		id.SelfSignature.KeyLifetimeSecs = &day
	}
	if got := v.Verify(rec, p); got.Status != StatusValid {
		t.Errorf("signed before the key expired: %+v", got)
	}
}

func TestLoadKeyring(t *testing.T) {
	home, fpr := pgpHome(t)
	dir := t.TempDir()
	rae := run(t, home, nil, "gpg", "--export", "--armor", raeEmail)
	sam := run(t, home, nil, "gpg", "--export", "--armor", "sam@example.com")
	armored := filepath.Join(dir, "keys.asc")
	os.WriteFile(armored, []byte("Our reviewers\n\n"+rae+"\n"+sam+"\n"), 0o644)
	keys, err := LoadKeyring(armored)
	if err != nil || len(keys) != 2 {
		t.Fatalf("two armored blocks: %d keys, %v", len(keys), err)
	}

	binary := filepath.Join(dir, "keys.gpg")
	raw, err := exec.Command("gpg", "--export", raeEmail).Output()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(binary, raw, 0o644)
	keys, err = LoadKeyring(binary)
	if err != nil || len(keys) != 1 || fmt.Sprintf("%X", keys[0].PrimaryKey.Fingerprint) != fpr {
		t.Fatalf("binary export: %d keys, %v", len(keys), err)
	}

	secret := filepath.Join(dir, "secret.asc")
	sec := run(t, home, nil, "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--export-secret-keys", "--armor", raeEmail)
	os.WriteFile(secret, []byte(sec), 0o600)
	for _, bad := range []string{secret, filepath.Join(dir, "missing.asc")} {
		if _, err := LoadKeyring(bad); err == nil {
			t.Errorf("LoadKeyring(%s) accepted", filepath.Base(bad))
		}
	}
	if _, err := ParseKeyring([]byte("  \n")); err == nil {
		t.Error("empty keyring accepted")
	}
}
