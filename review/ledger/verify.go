package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"golang.org/x/crypto/ssh"
)

// Status is the verdict on one record's signature.
type Status string

const (
	StatusValid         Status = "valid"
	StatusBadSignature  Status = "bad-signature"  // does not verify over the payload, or wrong namespace
	StatusUnknownSigner Status = "unknown-signer" // the key is in no allowed_signers line
	StatusNotAllowed    Status = "not-allowed"    // the key is listed, but not for this reviewer or namespace
	StatusExpired       Status = "expired"        // outside valid-after/valid-before, or the certificate's validity
	StatusRevoked       Status = "revoked"        // the key or its CA is in the revocation list
	StatusMalformed     Status = "malformed"      // the signature or payload cannot be read
	StatusUnsupported   Status = "unsupported"    // a format or algorithm vouch does not verify
)

// Verification is the verdict on one record, with what the report shows.
type Verification struct {
	Status       Status
	Principal    string // the reviewer e-mail an allowed_signers line matched
	Fingerprint  string // ssh.FingerprintSHA256 of the signing key (not of its certificate); for OpenPGP the primary key's fingerprint in hex
	UserPresence bool   // a security key signed and was touched
	SK           bool   // a hardware-backed (FIDO) key signed
	Detail       string // one line for the report
	// CertPrincipal is set when a certificate signed: people holding
	// certificates are counted by principal, not by key.
	CertPrincipal string
}

// Identity is who a valid record counts as for --min-reviewers: a key, or
// for a certificate the principal it certifies.
func (v Verification) Identity() string {
	if v.CertPrincipal != "" {
		return "principal:" + strings.ToLower(v.CertPrincipal)
	}
	return "key:" + v.Fingerprint
}

// Verifier checks records as `ssh-keygen -Y verify -n vouch -f ALLOWED
// -I EMAIL -r REVOKED -Overify-time=TIME` would, without spawning a process.
// A Verifier is safe for concurrent use once set up.
type Verifier struct {
	Signers *AllowedSigners
	Revoked []ssh.PublicKey // gpg.ssh.revocationFile as a key list
	// Keyring holds the OpenPGP public keys that may sign; nil means none is
	// configured and OpenPGP records are unsupported.
	Keyring openpgp.EntityList
	// Now bounds the decision time a record may claim: a record dated more
	// than ClockSkew after Now is malformed. Zero means time.Now().
	Now time.Time
	// StrictTime also checks valid-after/valid-before, certificate validity
	// and OpenPGP key expiry at Now, not only at the record's own time, so a
	// key that has expired can no longer vouch by backdating a record.
	StrictTime bool
}

// ClockSkew tolerates clocks that disagree a little: a reviewer's running
// fast, a committer's running slow.
const ClockSkew = 5 * time.Minute

// krlMagic starts a binary key revocation list (PROTOCOL.krl).
const krlMagic = "SSHKRL\n\x00"

// LoadRevoked reads a revocation file that lists public keys, one per line,
// as gpg.ssh.revocationFile may. Blank lines and # comments are skipped.
// Unlike ssh-keygen, an unreadable line is an error: a revocation that is
// silently dropped would let a revoked key through.
func LoadRevoked(path string) ([]ssh.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("revoked keys: %w", err)
	}
	return ParseRevoked(data, path)
}

// ParseRevoked is LoadRevoked on a file's contents; name is for errors.
func ParseRevoked(data []byte, name string) ([]ssh.PublicKey, error) {
	if bytes.HasPrefix(data, []byte(krlMagic)) {
		return nil, fmt.Errorf("revoked keys: %s is a binary KRL; only lists of public keys (one per line) are supported", name)
	}
	var keys []ssh.PublicKey
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("revoked keys: %s:%d: %v", name, i+1, err)
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// Verify checks one record: p must be the payload parsed from rec.Payload
// (Entry.Payload). The signature must verify over exactly rec.Payload in
// namespace "vouch"; the key must not be revoked; and an allowed_signers
// line for the reviewer's e-mail must list the key (or certify it) for that
// namespace at the decision time, as git checks commits at their date.
//
// An "openpgp" record is checked against Keyring instead: the signing key
// must be in it and carry an identity with the reviewer's e-mail.
func (v *Verifier) Verify(rec Record, p Payload) Verification {
	switch rec.SigFormat {
	case "ssh":
	case "openpgp":
		if v.Keyring == nil {
			return Verification{Status: StatusUnsupported, Detail: NoKeyringDetail}
		}
	case "x509":
		return Verification{Status: StatusUnsupported, Detail: X509Detail}
	default:
		return Verification{Status: StatusUnsupported, Detail: fmt.Sprintf("%q signatures are not verified by vouch", rec.SigFormat)}
	}
	email := p.Reviewer.Email
	if email == "" {
		return Verification{Status: StatusMalformed, Detail: "payload names no reviewer e-mail"}
	}
	at, err := time.Parse(time.RFC3339, p.Time)
	if err != nil {
		return Verification{Status: StatusMalformed, Detail: fmt.Sprintf("decision time %q is not RFC 3339", p.Time)}
	}
	now := v.Now
	if now.IsZero() {
		now = time.Now()
	}
	if at.After(now.Add(ClockSkew)) {
		return Verification{Status: StatusMalformed, Detail: fmt.Sprintf("decision time %s is in the future", p.Time)}
	}
	if rec.SigFormat == "openpgp" {
		return v.verifyOpenPGP(rec, email, now)
	}

	return v.verifySSH([]byte(rec.Payload), rec.Signature, email, Namespace, at, now)
}

// verifySSH checks an SSH signature over payload in namespace, by a key
// allowed for email at time at (and, with StrictTime, now).
func (v *Verifier) verifySSH(payload []byte, armored, email, namespace string, at, now time.Time) Verification {
	sig, err := ParseSSHSig(armored)
	if err != nil {
		return Verification{Status: StatusMalformed, Detail: err.Error()}
	}
	key := plainKey(sig.PublicKey)
	res := Verification{Fingerprint: ssh.FingerprintSHA256(key), SK: isSK(key.Type())}
	if sig.Namespace != namespace {
		res.Status, res.Detail = StatusBadSignature, fmt.Sprintf("signed for namespace %q, not %q", sig.Namespace, namespace)
		return res
	}
	if err := sig.Verify(payload); err != nil {
		res.Status, res.Detail = StatusBadSignature, err.Error()
		if errors.Is(err, ErrUnsupportedSignature) {
			res.Status = StatusUnsupported
		}
		return res
	}
	res.UserPresence, _, _ = sig.UserPresence()

	if why, revoked := v.revoked(sig.PublicKey); revoked {
		res.Status, res.Detail = StatusRevoked, why
		return res
	}
	if v.Signers == nil {
		res.Status, res.Detail = StatusUnknownSigner, "no allowed signers configured"
		return res
	}
	res.Status, res.Detail = v.Signers.authorize(sig.PublicKey, email, sig.Namespace, at)
	if res.Status == StatusValid && v.StrictTime {
		if st, why := v.Signers.authorize(sig.PublicKey, email, sig.Namespace, now); st != StatusValid {
			res.Status, res.Detail = st, "at the time of verification: "+why
		}
	}
	if res.Status == StatusValid {
		res.Principal = email
		if _, ok := sig.PublicKey.(*ssh.Certificate); ok {
			res.CertPrincipal = email
		}
	}
	return res
}

// CommitNamespace is the SSH signature namespace of git commits.
const CommitNamespace = "git"

// VerifyCommit checks a git commit's signature (sig over payload, as
// Repo.CommitSignature splits them) the way `git verify-commit` would with
// these allowed signers and keyring: a key allowed for the committer's
// e-mail, at the commit's time.
func (v *Verifier) VerifyCommit(payload []byte, sig, email string, at time.Time) Verification {
	now := v.Now
	if now.IsZero() {
		now = time.Now()
	}
	switch {
	case sig == "":
		return Verification{Status: StatusBadSignature, Detail: "not signed"}
	case strings.HasPrefix(sig, "-----BEGIN SSH SIGNATURE-----"):
		return v.verifySSH(payload, sig, email, CommitNamespace, at, now)
	case strings.HasPrefix(sig, "-----BEGIN PGP SIGNATURE-----"):
		if v.Keyring == nil {
			return Verification{Status: StatusUnsupported, Detail: NoKeyringDetail}
		}
		return v.verifyOpenPGP(Record{Payload: string(payload), Signature: sig}, email, now)
	}
	return Verification{Status: StatusUnsupported, Detail: X509Detail}
}

// VerifyEntries verifies parsed note lines on every CPU: an ed25519 check
// costs tens of microseconds, and a trail holds thousands of records. A line
// that did not parse is malformed. Results are in the order of entries.
func (v *Verifier) VerifyEntries(entries []Entry) []Verification {
	out := make([]Verification, len(entries))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(entries), 1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(entries) {
					return
				}
				if e := &entries[i]; e.Err != nil {
					out[i] = Verification{Status: StatusMalformed, Detail: e.Err.Error()}
				} else {
					out[i] = v.Verify(e.Record, e.Payload)
				}
			}
		})
	}
	wg.Wait()
	return out
}

// revoked is sshkey_check_revoked on a key list: the key itself, or for a
// certificate the key it certifies or the CA that signed it.
func (v *Verifier) revoked(key ssh.PublicKey) (string, bool) {
	for _, r := range v.Revoked {
		if samePublicKey(r, key) {
			return "key " + ssh.FingerprintSHA256(plainKey(key)) + " is revoked", true
		}
		if cert, ok := key.(*ssh.Certificate); ok && samePublicKey(r, cert.SignatureKey) {
			return "certificate authority " + ssh.FingerprintSHA256(cert.SignatureKey) + " is revoked", true
		}
	}
	return "", false
}

// authorize is sshsig_check_allowed_keys for one principal: the first line
// whose principals match and whose key matches, with its options met, wins.
// When none does, the status says why, from the line that came closest.
func (s *AllowedSigners) authorize(key ssh.PublicKey, principal, namespace string, at time.Time) (Status, string) {
	blob := key.Marshal()
	cert, _ := key.(*ssh.Certificate)
	var caBlob []byte
	if cert != nil {
		caBlob = cert.SignatureKey.Marshal()
	}
	var failStatus Status
	var failDetail string
	fail := func(st Status, detail string) {
		// An expiry says more than a refusal: the key was right once.
		if failStatus == "" || (st == StatusExpired && failStatus != StatusExpired) {
			failStatus, failDetail = st, detail
		}
	}
	listed := false
	for i := range s.Entries {
		e := &s.Entries[i]
		var keyMatch bool
		if e.CertAuthority {
			keyMatch = cert != nil && bytes.Equal(caBlob, e.keyBlob)
		} else {
			keyMatch = bytes.Equal(blob, e.keyBlob)
		}
		if !keyMatch {
			if !e.CertAuthority && samePublicKey(key, e.Key) {
				listed = true // the plain key is listed, but a certificate of it signed
			}
			continue
		}
		listed = true
		if !e.MatchesPrincipal(principal) {
			continue
		}
		where := fmt.Sprintf("allowed_signers:%d", e.Line)
		if cert != nil && e.CertAuthority {
			if st, why := checkUserCert(cert, principal, at); st != StatusValid {
				fail(st, where+": "+why)
				continue
			}
		}
		if !e.AllowsNamespace(namespace) {
			fail(StatusNotAllowed, fmt.Sprintf("%s: namespace %q not allowed for %s", where, namespace, principal))
			continue
		}
		if !e.ValidAfter.IsZero() && at.Before(e.ValidAfter) {
			fail(StatusExpired, fmt.Sprintf("%s: key not yet valid at %s (valid-after %s)", where, at.Format(time.RFC3339), e.ValidAfter.Format(time.RFC3339)))
			continue
		}
		if !e.ValidBefore.IsZero() && at.After(e.ValidBefore) {
			fail(StatusExpired, fmt.Sprintf("%s: key expired at %s (valid-before %s)", where, at.Format(time.RFC3339), e.ValidBefore.Format(time.RFC3339)))
			continue
		}
		return StatusValid, fmt.Sprintf("%s: good signature for %s", where, principal)
	}
	switch {
	case failStatus != "":
		return failStatus, failDetail
	case listed:
		return StatusNotAllowed, fmt.Sprintf("key %s is not allowed to sign for %s", ssh.FingerprintSHA256(plainKey(key)), principal)
	default:
		return StatusUnknownSigner, fmt.Sprintf("key %s is in no allowed_signers line", ssh.FingerprintSHA256(plainKey(key)))
	}
}

// checkUserCert is sshkey_cert_check_authority as sshsig calls it: a user
// certificate, valid at the time, naming the principal exactly. The CA's
// signature was checked with the record's signature.
func checkUserCert(cert *ssh.Certificate, principal string, at time.Time) (Status, string) {
	if cert.CertType != ssh.UserCert {
		return StatusNotAllowed, "certificate is not a user certificate"
	}
	t := uint64(at.Unix())
	if at.Unix() < 0 || t < cert.ValidAfter {
		return StatusExpired, "certificate not yet valid at " + at.Format(time.RFC3339)
	}
	if t >= cert.ValidBefore {
		return StatusExpired, "certificate expired at " + at.Format(time.RFC3339)
	}
	if len(cert.ValidPrincipals) == 0 {
		return StatusNotAllowed, "certificate lacks a principal list"
	}
	if !slices.Contains(cert.ValidPrincipals, principal) {
		return StatusNotAllowed, fmt.Sprintf("%s is not a principal of the certificate", principal)
	}
	return StatusValid, ""
}
