package ledger

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// verifyTime is samplePayload's decision time, in ssh-keygen's notation.
const verifyTime = "20250102030405Z"

// vKey is a key pair made by ssh-keygen.
type vKey struct {
	path string // private key
	line string // public key line
	pub  ssh.PublicKey
}

func vKeygen(t testing.TB, dir, name, typ string) vKey {
	t.Helper()
	path := filepath.Join(dir, name)
	vRun(t, nil, "ssh-keygen", "-q", "-t", typ, "-N", "", "-C", name, "-f", path)
	return vReadPub(t, path+".pub", path)
}

func vReadPub(t testing.TB, pubPath, priv string) vKey {
	t.Helper()
	b, err := os.ReadFile(pubPath)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _, _, err := ssh.ParseAuthorizedKey(b)
	if err != nil {
		t.Fatal(err)
	}
	return vKey{path: priv, line: strings.TrimSpace(string(b)), pub: pub}
}

func vRun(t testing.TB, stdin []byte, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// vSign signs payload with ssh-keygen -Y sign -n vouch, as git would.
func vSign(t testing.TB, key string, payload []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "payload")
	if err := os.WriteFile(f, payload, 0o600); err != nil {
		t.Fatal(err)
	}
	vRun(t, nil, "ssh-keygen", "-Y", "sign", "-n", Namespace, "-f", key, f)
	sig, err := os.ReadFile(f + ".sig")
	if err != nil {
		t.Fatal(err)
	}
	return string(sig)
}

func vRecord(t testing.TB, key string, p Payload) Record {
	t.Helper()
	payload, err := EncodePayload(p)
	if err != nil {
		t.Fatal(err)
	}
	return Record{Payload: string(payload), SigFormat: "ssh", Signature: vSign(t, key, payload)}
}

// vArmor encodes an SSHSIG blob as ssh-keygen does, 70 columns wide.
func vArmor(blob []byte) string {
	b64 := base64.StdEncoding.EncodeToString(blob)
	var b strings.Builder
	b.WriteString(sshsigBegin + "\n")
	for len(b64) > 70 {
		b.WriteString(b64[:70] + "\n")
		b64 = b64[70:]
	}
	b.WriteString(b64 + "\n" + sshsigEnd + "\n")
	return b.String()
}

// vSSHSig builds an SSHSIG blob around a signature made by sign over the
// signed data, so tests can sign in-process and with keys ssh-keygen cannot make.
func vSSHSig(t testing.TB, pub ssh.PublicKey, ns, hash string, msg []byte, sign func(data []byte) *ssh.Signature) string {
	t.Helper()
	s := &SSHSig{Namespace: ns, HashAlg: hash}
	data, err := s.SignedData(msg)
	if err != nil {
		data = msg // an unknown hash: any signature will do
	}
	b := []byte(sshsigMagic)
	b = append(b, 0, 0, 0, sshsigVersion)
	b = appendSSHString(b, pub.Marshal())
	b = appendSSHString(b, []byte(ns))
	b = appendSSHString(b, nil)
	b = appendSSHString(b, []byte(hash))
	b = appendSSHString(b, ssh.Marshal(sign(data)))
	return vArmor(b)
}

func vSigner(t testing.TB, s ssh.Signer) func([]byte) *ssh.Signature {
	return func(data []byte) *ssh.Signature {
		sig, err := s.Sign(rand.Reader, data)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
}

func vWrite(t testing.TB, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// keygenVerifies runs the check a user would run by hand, at the decision time.
func keygenVerifies(t testing.TB, allowed, revoked string, rec Record, principal string) bool {
	t.Helper()
	dir := t.TempDir()
	sig := vWrite(t, dir, "sig", rec.Signature)
	args := []string{"-Y", "verify", "-n", Namespace, "-f", allowed, "-I", principal, "-s", sig, "-Overify-time=" + verifyTime}
	if revoked != "" {
		args = append(args, "-r", revoked)
	}
	cmd := exec.Command("ssh-keygen", args...)
	cmd.Stdin = strings.NewReader(rec.Payload)
	err := cmd.Run()
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatal(err)
	}
	return err == nil
}

// vFixture is a set of keys, a CA and certificates, and signed records.
type vFixture struct {
	dir                   string
	ed, ec, rsa, other    vKey
	ca                    vKey
	cert, certExpired     vKey // user certificates of certKey for email
	certWrongName, hostCt vKey
	p                     Payload
}

func newVFixture(t *testing.T) *vFixture {
	t.Helper()
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen not installed")
	}
	dir := t.TempDir()
	f := &vFixture{dir: dir, p: samplePayload()}
	f.ed = vKeygen(t, dir, "ed", "ed25519")
	f.ec = vKeygen(t, dir, "ec", "ecdsa")
	f.rsa = vKeygen(t, dir, "rsa", "rsa")
	f.other = vKeygen(t, dir, "other", "ed25519")
	f.ca = vKeygen(t, dir, "ca", "ed25519")
	certify := func(name string, args ...string) vKey {
		k := vKeygen(t, dir, name, "ed25519")
		vRun(t, nil, "ssh-keygen", append([]string{"-q", "-s", f.ca.path, "-I", name}, append(args, k.path+".pub")...)...)
		// ssh-keygen -Y sign -f KEY-cert.pub signs with the certificate.
		return vReadPub(t, k.path+"-cert.pub", k.path+"-cert.pub")
	}
	f.cert = certify("cert", "-n", email, "-V", "20240101:20300101")
	f.certExpired = certify("certold", "-n", email, "-V", "20230101:20240101")
	f.certWrongName = certify("certbob", "-n", "bob@example.com", "-V", "20240101:20300101")
	f.hostCt = certify("certhost", "-h", "-n", email, "-V", "20240101:20300101")
	return f
}

func TestVerify(t *testing.T) {
	f := newVFixture(t)
	p := f.p
	rec := vRecord(t, f.ed.path, p)
	tampered := rec
	tampered.Payload = strings.Replace(rec.Payload, `"accept"`, `"accepT"`, 1)

	wrongNS := rec
	{
		// The same key signing the same bytes for git's namespace.
		pf := vWrite(t, t.TempDir(), "p", rec.Payload)
		vRun(t, nil, "ssh-keygen", "-Y", "sign", "-n", "git", "-f", f.ed.path, pf)
		b, _ := os.ReadFile(pf + ".sig")
		wrongNS.Signature = string(b)
	}

	// ssh-rsa (SHA-1) signatures verify cryptographically but ssh-keygen refuses them.
	rsaSHA1 := rec
	{
		b, err := os.ReadFile(f.rsa.path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := ssh.ParsePrivateKey(b)
		if err != nil {
			t.Fatal(err)
		}
		as, _ := ssh.NewSignerWithAlgorithms(s.(ssh.AlgorithmSigner), []string{ssh.KeyAlgoRSA})
		rsaSHA1.Signature = vSSHSig(t, f.rsa.pub, Namespace, "sha512", []byte(rec.Payload), vSigner(t, as))
	}

	line := func(principals, opts string, k vKey) string {
		if opts != "" {
			opts += " "
		}
		return principals + " " + opts + k.line + "\n"
	}
	std := line(email, "", f.ed) + line(email, "", f.ec) + line(email, "", f.rsa) +
		line(email, "cert-authority", f.ca)
	soon := p
	soon.Time = "2025-01-02T03:30:00Z"

	cases := []struct {
		name     string
		allowed  string
		revoked  string
		rec      Record
		p        Payload
		want     Status
		noKeygen bool // ssh-keygen cannot check this case the same way
	}{
		{name: "ed25519", allowed: std, rec: rec, want: StatusValid},
		{name: "ecdsa", allowed: std, rec: vRecord(t, f.ec.path, p), want: StatusValid},
		{name: "rsa", allowed: std, rec: vRecord(t, f.rsa.path, p), want: StatusValid},
		{name: "rsa ssh-rsa sha1", allowed: std, rec: rsaSHA1, want: StatusUnsupported},
		{name: "tampered", allowed: std, rec: tampered, want: StatusBadSignature},
		{name: "namespace git", allowed: std, rec: wrongNS, want: StatusBadSignature},
		{name: "unknown signer", allowed: std, rec: vRecord(t, f.other.path, p), want: StatusUnknownSigner},
		{name: "other principal", allowed: line("bob@example.com", "", f.ed), rec: rec, want: StatusNotAllowed},
		{name: "wildcard", allowed: line("*@example.com", "", f.ed), rec: rec, want: StatusValid},
		{name: "question mark", allowed: line("ad?@example.com", "", f.ed), rec: rec, want: StatusValid},
		{name: "negated", allowed: line("*@example.com,!ada@*", "", f.ed), rec: rec, want: StatusNotAllowed},
		{name: "negation of another", allowed: line("*@example.com,!bob@*", "", f.ed), rec: rec, want: StatusValid},
		{name: "quoted principals", allowed: `"x y,ada@example.com" ` + f.ed.line + "\n", rec: rec, want: StatusValid},
		{name: "namespaces other", allowed: line(email, `namespaces="git,file"`, f.ed), rec: rec, want: StatusNotAllowed},
		{name: "namespaces pattern", allowed: line(email, `namespaces="git,vou*"`, f.ed), rec: rec, want: StatusValid},
		{name: "namespaces negated", allowed: line(email, `namespaces="*,!vouch"`, f.ed), rec: rec, want: StatusNotAllowed},
		{name: "valid window", allowed: line(email, `valid-after="20240101",valid-before="20260101Z"`, f.ed), rec: rec, want: StatusValid},
		{name: "valid-before past", allowed: line(email, `valid-before="20241231Z"`, f.ed), rec: rec, want: StatusExpired},
		{name: "valid-before edge", allowed: line(email, `valid-before="20250102030405Z"`, f.ed), rec: rec, want: StatusValid},
		{name: "valid-before minute", allowed: line(email, `VALID-BEFORE="202501020304Z"`, f.ed), rec: rec, want: StatusExpired},
		{name: "valid-after future", allowed: line(email, `valid-after="20250103Z"`, f.ed), rec: rec, want: StatusExpired},
		{name: "expired line then good line", allowed: line(email, `valid-before="20200101Z"`, f.ed) + line(email, "", f.ed), rec: rec, want: StatusValid},
		{name: "bad line then good line", allowed: line(email, `valid-after=20200101`, f.ed) + line(email, "", f.ed), rec: rec, want: StatusValid},
		{name: "unquoted option only", allowed: line(email, `valid-after=20200101`, f.ed), rec: rec, want: StatusUnknownSigner},
		{name: "comments", allowed: "# reviewers\n\n   # indented\n" + line(email, "", f.ed), rec: rec, want: StatusValid},
		{name: "revoked", allowed: std, revoked: f.ed.line + "\n", rec: rec, want: StatusRevoked},
		{name: "revoked other", allowed: std, revoked: f.other.line + "\n", rec: rec, want: StatusValid},
		{name: "cert", allowed: std, rec: vRecord(t, f.cert.path, p), want: StatusValid},
		{name: "cert CA lower case option", allowed: line(email, "Cert-Authority", f.ca), rec: vRecord(t, f.cert.path, p), want: StatusValid},
		{name: "cert without cert-authority", allowed: line(email, "", f.ca), rec: vRecord(t, f.cert.path, p), want: StatusUnknownSigner},
		{name: "cert expired", allowed: std, rec: vRecord(t, f.certExpired.path, p), want: StatusExpired},
		{name: "cert other principal", allowed: std, rec: vRecord(t, f.certWrongName.path, p), want: StatusNotAllowed},
		{name: "host cert", allowed: std, rec: vRecord(t, f.hostCt.path, p), want: StatusNotAllowed},
		{name: "cert CA revoked", allowed: std, revoked: f.ca.line + "\n", rec: vRecord(t, f.cert.path, p), want: StatusRevoked},
		{name: "cert key listed plain", allowed: line(email, "", vReadPub(t, strings.TrimSuffix(f.cert.path, "-cert.pub")+".pub", "")), rec: vRecord(t, f.cert.path, p), want: StatusNotAllowed},
		{name: "future decision", allowed: std, rec: vRecord(t, f.ed.path, soon), p: soon, want: StatusMalformed, noKeygen: true},
	}
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			allowedPath := vWrite(t, dir, "allowed_signers", c.allowed)
			signers, _ := ParseAllowedSigners([]byte(c.allowed))
			v := &Verifier{Signers: signers, Now: now}
			revokedPath := ""
			if c.revoked != "" {
				revokedPath = vWrite(t, dir, "revoked", c.revoked)
				var err error
				if v.Revoked, err = LoadRevoked(revokedPath); err != nil {
					t.Fatal(err)
				}
			}
			pp := c.p
			if pp.Type == "" {
				pp = p
			}
			got := v.Verify(c.rec, pp)
			if got.Status != c.want {
				t.Fatalf("status %s (%s), want %s", got.Status, got.Detail, c.want)
			}
			if got.Status == StatusValid && (got.Principal != email || got.Fingerprint == "") {
				t.Errorf("valid without principal or fingerprint: %+v", got)
			}
			if got.Detail == "" || strings.Contains(got.Detail, "\n") {
				t.Errorf("detail %q, want one line", got.Detail)
			}
			if c.noKeygen {
				return
			}
			// The cross-check: our verdict is ssh-keygen's.
			if keygen := keygenVerifies(t, allowedPath, revokedPath, c.rec, email); keygen != (got.Status == StatusValid) {
				t.Errorf("ssh-keygen -Y verify says %v, vouch says %s (%s)", keygen, got.Status, got.Detail)
			}
		})
	}
}

func TestVerifyFormats(t *testing.T) {
	v := &Verifier{Signers: &AllowedSigners{}}
	p := samplePayload()
	for _, c := range []struct {
		rec  Record
		p    Payload
		want Status
	}{
		{Record{Payload: "{}", SigFormat: "openpgp", Signature: "x"}, p, StatusUnsupported},
		{Record{Payload: "{}", SigFormat: "x509", Signature: "x"}, p, StatusUnsupported},
		{Record{Payload: "{}", SigFormat: "ssh", Signature: "not armored"}, p, StatusMalformed},
		{Record{Payload: "{}", SigFormat: "ssh", Signature: sshsigBegin + "\n!!\n" + sshsigEnd}, p, StatusMalformed},
		{Record{Payload: "{}", SigFormat: "ssh", Signature: "x"}, Payload{Time: p.Time}, StatusMalformed},
		{Record{Payload: "{}", SigFormat: "ssh", Signature: "x"}, Payload{Reviewer: p.Reviewer, Time: "yesterday"}, StatusMalformed},
	} {
		if got := v.Verify(c.rec, c.p); got.Status != c.want {
			t.Errorf("%+v: %s (%s), want %s", c.rec, got.Status, got.Detail, c.want)
		}
	}
}

func TestLoadRevoked(t *testing.T) {
	dir := t.TempDir()
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	k, _ := ssh.NewPublicKey(pub)
	line := string(ssh.MarshalAuthorizedKey(k))
	keys, err := LoadRevoked(vWrite(t, dir, "list", "# revoked\n\n"+line+"  "+line))
	if err != nil || len(keys) != 2 {
		t.Fatalf("got %d keys, %v", len(keys), err)
	}
	if _, err := LoadRevoked(vWrite(t, dir, "bad", line+"garbage\n")); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("bad line: %v", err)
	}
	if _, err := LoadRevoked(vWrite(t, dir, "krl", krlMagic+"\x00\x00\x00\x01")); err == nil || !strings.Contains(err.Error(), "KRL") {
		t.Errorf("KRL: %v", err)
	}
	if _, err := LoadRevoked(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file: no error")
	}
}

// benchRecords signs n distinct records in-process with one ed25519 key.
func benchRecords(b *testing.B, n int) ([]Record, []Payload, *AllowedSigners, ssh.Signer) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		b.Fatal(err)
	}
	recs := make([]Record, n)
	ps := make([]Payload, n)
	for i := range recs {
		p := samplePayload()
		p.Commit = fmt.Sprintf("%040x", i)
		payload, err := EncodePayload(p)
		if err != nil {
			b.Fatal(err)
		}
		sig := vSSHSig(b, signer.PublicKey(), Namespace, "sha512", payload, vSigner(b, signer))
		recs[i], ps[i] = Record{Payload: string(payload), SigFormat: "ssh", Signature: sig}, p
	}
	set, err := ParseAllowedSigners([]byte("bob@example.com " + string(ssh.MarshalAuthorizedKey(signer.PublicKey())) +
		email + ` namespaces="vouch",valid-after="20240101Z" ` + string(ssh.MarshalAuthorizedKey(signer.PublicKey()))))
	if err != nil {
		b.Fatal(err)
	}
	return recs, ps, set, signer
}

// BenchmarkVerify10k verifies 10,000 ed25519 records per op with
// VerifyEntries, as vouch verify does.
func BenchmarkVerify10k(b *testing.B) {
	const n = 10000
	recs, ps, set, _ := benchRecords(b, n)
	entries := make([]Entry, n)
	for i := range entries {
		entries[i] = Entry{Line: 1, Record: recs[i], Payload: ps[i]}
	}
	v := &Verifier{Signers: set}
	b.ResetTimer()
	for b.Loop() {
		for i, st := range v.VerifyEntries(entries) {
			if st.Status != StatusValid {
				b.Fatalf("record %d: %s (%s)", i, st.Status, st.Detail)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
}

// BenchmarkVerify10kSerial is the same work in one goroutine.
func BenchmarkVerify10kSerial(b *testing.B) {
	const n = 10000
	recs, ps, set, _ := benchRecords(b, n)
	v := &Verifier{Signers: set}
	b.ResetTimer()
	for b.Loop() {
		for i := range recs {
			if st := v.Verify(recs[i], ps[i]); st.Status != StatusValid {
				b.Fatalf("record %d: %s (%s)", i, st.Status, st.Detail)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
}

func TestVerifyEntries(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(priv)
	p := samplePayload()
	payload, _ := EncodePayload(p)
	good := Record{Payload: string(payload), SigFormat: "ssh", Signature: vSSHSig(t, signer.PublicKey(), Namespace, "sha256", payload, vSigner(t, signer))}
	set, _ := ParseAllowedSigners([]byte(email + " " + string(ssh.MarshalAuthorizedKey(signer.PublicKey()))))
	entries := ParseNote("not json\n")
	for range 20 {
		entries = append(entries, Entry{Record: good, Payload: p})
	}
	got := (&Verifier{Signers: set}).VerifyEntries(entries)
	if len(got) != 21 || got[0].Status != StatusMalformed {
		t.Fatalf("got %d results, first %+v", len(got), got[0])
	}
	for _, g := range got[1:] {
		if g.Status != StatusValid {
			t.Fatalf("%+v", g)
		}
	}
	if len((&Verifier{}).VerifyEntries(nil)) != 0 {
		t.Fatal("results for no entries")
	}
}

// BenchmarkSSHKeygenVerify is git's way, one ssh-keygen -Y verify per
// record, for comparison with BenchmarkVerify10k's ns/record.
func BenchmarkSSHKeygenVerify(b *testing.B) {
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		b.Skip("ssh-keygen not installed")
	}
	recs, _, _, signer := benchRecords(b, 50)
	dir := b.TempDir()
	allowed := vWrite(b, dir, "allowed_signers", email+" "+string(ssh.MarshalAuthorizedKey(signer.PublicKey())))
	sigs := make([]string, len(recs))
	for i, r := range recs {
		sigs[i] = vWrite(b, dir, fmt.Sprintf("%d.sig", i), r.Signature)
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		cmd := exec.Command("ssh-keygen", "-Y", "verify", "-n", Namespace, "-f", allowed, "-I", email, "-s", sigs[i%len(recs)])
		cmd.Stdin = strings.NewReader(recs[i%len(recs)].Payload)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/record")
}
