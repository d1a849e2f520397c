package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// NoKeyringDetail is the report line for an OpenPGP record when no keyring
// is configured.
const NoKeyringDetail = "no OpenPGP keyring: commit .vouch/keys.asc or set vouch.keyring"

// X509Detail is the report line for an x509 (gpgsm) record.
const X509Detail = "x509 (gpgsm) records are not verified by vouch; use gpgsm --verify"

// LoadKeyring reads OpenPGP public keys from a file: armored (as
// `gpg --export --armor` writes, several blocks may follow one another) or
// binary (`gpg --export`).
func LoadKeyring(path string) (openpgp.EntityList, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("OpenPGP keyring: %w", err)
	}
	keys, err := ParseKeyring(data)
	if err != nil {
		return nil, fmt.Errorf("OpenPGP keyring %s: %w", path, err)
	}
	return keys, nil
}

const armorStart = "-----BEGIN PGP "

// ParseKeyring is LoadKeyring on a file's contents. Private keys are
// refused: a keyring that vouch reads is meant to be committed.
func ParseKeyring(data []byte) (openpgp.EntityList, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("no keys")
	}
	var keys openpgp.EntityList
	if !bytes.HasPrefix(trimmed, []byte(armorStart)) && !bytes.Contains(data, []byte("\n"+armorStart)) {
		el, err := openpgp.ReadKeyRing(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		keys = el
	} else {
		// armor.Decode may read past its block, so split the blocks first.
		rest := data
		for {
			i := bytes.Index(rest, []byte(armorStart))
			if i < 0 {
				break
			}
			rest = rest[i:]
			block := rest
			if j := bytes.Index(rest[len(armorStart):], []byte(armorStart)); j >= 0 {
				block = rest[:len(armorStart)+j]
			}
			rest = rest[len(block):]
			b, err := armor.Decode(bytes.NewReader(block))
			if err != nil {
				return nil, err
			}
			if b.Type != openpgp.PublicKeyType {
				return nil, fmt.Errorf("found a %q block; want only %q (never commit a private key)", b.Type, openpgp.PublicKeyType)
			}
			el, err := openpgp.ReadKeyRing(b.Body)
			if err != nil {
				return nil, err
			}
			keys = append(keys, el...)
		}
	}
	for _, e := range keys {
		if e.PrivateKey != nil {
			return nil, errors.New("holds a private key; export public keys only (gpg --export --armor)")
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("no keys")
	}
	return keys, nil
}

// verifyOpenPGP checks an "openpgp" record as `gpg --verify` would, in
// process: the signature over exactly rec.Payload by a key of the keyring
// that has an identity with the reviewer's e-mail. Expiry is judged at the
// signature's own creation time (signed with it, as the decision time is
// with the payload); a revocation counts whenever it was made, as in gpg and
// as the SSH revocation list does.
func (v *Verifier) verifyOpenPGP(rec Record, email string, now time.Time) Verification {
	sig, err := parseOpenPGPSig(rec.Signature)
	if err != nil {
		return Verification{Status: StatusMalformed, Detail: err.Error()}
	}
	if sig.CreationTime.After(now.Add(ClockSkew)) {
		return Verification{Status: StatusMalformed, Detail: fmt.Sprintf("signature made in the future (%s)", sig.CreationTime.UTC().Format(time.RFC3339))}
	}
	at := sig.CreationTime
	cfg := &packet.Config{Time: func() time.Time { return at }}
	signer, err := openpgp.CheckArmoredDetachedSignature(v.Keyring, strings.NewReader(rec.Payload), strings.NewReader(rec.Signature), cfg)
	if signer == nil {
		switch {
		case err == nil:
			return Verification{Status: StatusBadSignature, Detail: "no signer"}
		case errors.Is(err, pgperrors.ErrUnknownIssuer):
			return Verification{Status: StatusUnknownSigner, Detail: fmt.Sprintf("key %s is not in the OpenPGP keyring", issuerName(sig))}
		case isPGPError[pgperrors.UnsupportedError](err):
			return Verification{Status: StatusUnsupported, Detail: err.Error()}
		case isPGPError[pgperrors.StructuralError](err):
			return Verification{Status: StatusMalformed, Detail: err.Error()}
		default:
			return Verification{Status: StatusBadSignature, Detail: err.Error()}
		}
	}
	// The signature verified over the payload; what follows is about the key.
	res := Verification{Fingerprint: fmt.Sprintf("%X", signer.PrimaryKey.Fingerprint)}
	if why, revoked := pgpRevoked(signer, sig); revoked {
		res.Status, res.Detail = StatusRevoked, why
		return res
	}
	switch {
	case err == nil:
	case errors.Is(err, pgperrors.ErrKeyRevoked):
		res.Status, res.Detail = StatusRevoked, fmt.Sprintf("key %s is revoked", res.Fingerprint)
		return res
	case errors.Is(err, pgperrors.ErrKeyExpired):
		res.Status, res.Detail = StatusExpired, fmt.Sprintf("key %s was expired or not yet valid when it signed at %s", res.Fingerprint, at.UTC().Format(time.RFC3339))
		return res
	case errors.Is(err, pgperrors.ErrSignatureExpired):
		res.Status, res.Detail = StatusExpired, fmt.Sprintf("signature by key %s or its self-signature has expired", res.Fingerprint)
		return res
	default:
		res.Status, res.Detail = StatusBadSignature, err.Error()
		return res
	}
	if v.StrictTime {
		cfgNow := &packet.Config{Time: func() time.Time { return now }}
		_, err := openpgp.CheckArmoredDetachedSignature(v.Keyring, strings.NewReader(rec.Payload), strings.NewReader(rec.Signature), cfgNow)
		if errors.Is(err, pgperrors.ErrKeyExpired) || errors.Is(err, pgperrors.ErrSignatureExpired) {
			res.Status, res.Detail = StatusExpired, fmt.Sprintf("key %s has expired by the time of verification", res.Fingerprint)
			return res
		}
	}

	listed := false
	for _, id := range signer.Identities {
		if !sameEmail(identityEmail(id), email) {
			continue
		}
		if revoked(id.Revocations) {
			listed = true
			continue
		}
		res.Status, res.Principal = StatusValid, email
		res.Detail = fmt.Sprintf("good OpenPGP signature by %s for %s", res.Fingerprint, email)
		return res
	}
	if listed {
		res.Status, res.Detail = StatusRevoked, fmt.Sprintf("identity %s of key %s is revoked", email, res.Fingerprint)
		return res
	}
	res.Status, res.Detail = StatusNotAllowed, fmt.Sprintf("key %s has no identity with e-mail %s", res.Fingerprint, email)
	return res
}

// parseOpenPGPSig reads an armored detached signature that must hold
// exactly one signature packet, as `gpg -bsau KEY` makes.
func parseOpenPGPSig(armored string) (*packet.Signature, error) {
	b, err := armor.Decode(strings.NewReader(armored))
	if err == io.EOF {
		return nil, errors.New("OpenPGP signature: no armored block")
	}
	if err != nil {
		return nil, fmt.Errorf("OpenPGP signature: %v", err)
	}
	if b.Type != openpgp.SignatureType {
		return nil, fmt.Errorf("OpenPGP signature: armor type %q, want %q", b.Type, openpgp.SignatureType)
	}
	var sig *packet.Signature
	packets := packet.NewReader(b.Body)
	for {
		p, err := packets.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("OpenPGP signature: %v", err)
		}
		s, ok := p.(*packet.Signature)
		if !ok {
			return nil, fmt.Errorf("OpenPGP signature: unexpected %T packet", p)
		}
		if sig != nil {
			return nil, errors.New("OpenPGP signature: more than one signature")
		}
		sig = s
	}
	if sig == nil {
		return nil, errors.New("OpenPGP signature: no signature packet")
	}
	return sig, nil
}

// pgpRevoked reports a revocation of the signing key (primary or subkey),
// made at any time: a revoked key's signatures are not trusted, old or new.
func pgpRevoked(e *openpgp.Entity, sig *packet.Signature) (string, bool) {
	fpr := fmt.Sprintf("%X", e.PrimaryKey.Fingerprint)
	if revoked(e.Revocations) {
		return "key " + fpr + " is revoked", true
	}
	for _, sub := range e.Subkeys {
		if signedBy(sig, sub.PublicKey) && revoked(sub.Revocations) {
			return fmt.Sprintf("signing subkey %X of key %s is revoked", sub.PublicKey.Fingerprint, fpr), true
		}
	}
	return "", false
}

// revoked is true for any revocation signature: the keyring only holds
// revocations that go-crypto verified when it read the key.
func revoked(revocations []*packet.Signature) bool {
	return len(revocations) > 0
}

func signedBy(sig *packet.Signature, pk *packet.PublicKey) bool {
	if sig.IssuerFingerprint != nil {
		return bytes.Equal(sig.IssuerFingerprint, pk.Fingerprint)
	}
	return sig.IssuerKeyId != nil && *sig.IssuerKeyId == pk.KeyId
}

func issuerName(sig *packet.Signature) string {
	if sig.IssuerFingerprint != nil {
		return fmt.Sprintf("%X", sig.IssuerFingerprint)
	}
	if sig.IssuerKeyId != nil {
		return fmt.Sprintf("%016X", *sig.IssuerKeyId)
	}
	return "(unnamed)"
}

// identityEmail is the e-mail of a user ID: the part in angle brackets, or
// the whole ID when it is a bare address.
func identityEmail(id *openpgp.Identity) string {
	if id.UserId != nil && id.UserId.Email != "" {
		return id.UserId.Email
	}
	name := strings.TrimSpace(id.Name)
	if id.UserId != nil {
		name = strings.TrimSpace(id.UserId.Id)
	}
	if strings.Contains(name, "@") && !strings.ContainsAny(name, " <>()") {
		return name
	}
	return ""
}

// sameEmail compares addresses as gpg looks them up, ignoring ASCII case
// only: Unicode folding (the Kelvin sign folds to k) has no place here.
func sameEmail(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	return a == b || (asciiOnly(a) && asciiOnly(b) && strings.EqualFold(a, b))
}

func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isPGPError[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}
