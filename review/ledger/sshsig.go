package ledger

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/crypto/ssh"
)

// SSHSIG as PROTOCOL.sshsig defines it: what `ssh-keygen -Y sign` writes.
const (
	sshsigMagic   = "SSHSIG"
	sshsigVersion = 1
	sshsigBegin   = "-----BEGIN SSH SIGNATURE-----"
	sshsigEnd     = "-----END SSH SIGNATURE-----"
)

// Flags of a FIDO (sk-*) signature, from OpenSSH's sk-api.h.
const (
	skUserPresence     = 0x01
	skUserVerification = 0x04
)

var (
	// ErrBadSignature means the signature does not verify over the payload.
	ErrBadSignature = errors.New("signature does not verify")
	// ErrUnsupportedSignature means a hash or signature algorithm that
	// ssh-keygen refuses too (ssh-rsa's SHA-1, an unknown hash).
	ErrUnsupportedSignature = errors.New("unsupported signature algorithm")
)

// SSHSig is a parsed SSHSIG signature.
type SSHSig struct {
	PublicKey ssh.PublicKey // the signing key, or a certificate of it
	Namespace string
	HashAlg   string // "sha256" | "sha512"
	Signature *ssh.Signature

	keyBlob  []byte // PublicKey as it was on the wire, for certificate checks
	reserved []byte
}

// ParseSSHSig parses an armored signature as sshsig_dearmor does; line
// breaks and surrounding blanks are ignored.
func ParseSSHSig(armored string) (*SSHSig, error) {
	s := strings.TrimSpace(armored)
	body, ok := strings.CutPrefix(s, sshsigBegin)
	if !ok {
		return nil, errors.New("ssh signature: missing " + sshsigBegin)
	}
	body, _, ok = strings.Cut(body, sshsigEnd)
	if !ok {
		return nil, errors.New("ssh signature: missing " + sshsigEnd)
	}
	body = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, body)
	blob, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		return nil, fmt.Errorf("ssh signature: bad base64: %w", err)
	}
	return ParseSSHSigBlob(blob)
}

// ParseSSHSigBlob parses the binary form: the magic, version 1, then the
// public key, namespace, reserved, hash algorithm and signature strings.
func ParseSSHSigBlob(blob []byte) (*SSHSig, error) {
	rest, ok := bytes.CutPrefix(blob, []byte(sshsigMagic))
	if !ok {
		return nil, errors.New("ssh signature: not an SSHSIG blob")
	}
	if len(rest) < 4 {
		return nil, errors.New("ssh signature: truncated")
	}
	if v := binary.BigEndian.Uint32(rest); v != sshsigVersion {
		return nil, fmt.Errorf("ssh signature: version %d, want %d", v, sshsigVersion)
	}
	rest = rest[4:]
	var fields [5][]byte
	for i := range fields {
		if fields[i], rest, ok = sshString(rest); !ok {
			return nil, errors.New("ssh signature: truncated")
		}
	}
	if len(rest) != 0 {
		return nil, errors.New("ssh signature: trailing data")
	}
	key, err := ssh.ParsePublicKey(fields[0])
	if err != nil {
		return nil, fmt.Errorf("ssh signature: public key: %w", err)
	}
	sig, err := parseSSHSignature(fields[4], plainKey(key).Type())
	if err != nil {
		return nil, err
	}
	return &SSHSig{
		PublicKey: key,
		Namespace: string(fields[1]),
		HashAlg:   string(fields[3]),
		Signature: sig,
		keyBlob:   fields[0],
		reserved:  fields[2],
	}, nil
}

// parseSSHSignature reads string format, string blob, and for FIDO keys the
// flags byte and counter, which x/crypto/ssh keeps in Signature.Rest.
func parseSSHSignature(b []byte, keyType string) (*ssh.Signature, error) {
	format, rest, ok := sshString(b)
	if !ok {
		return nil, errors.New("ssh signature: truncated signature")
	}
	blob, rest, ok := sshString(rest)
	if !ok {
		return nil, errors.New("ssh signature: truncated signature")
	}
	sig := &ssh.Signature{Format: string(format), Blob: blob}
	if isSK(keyType) {
		if len(rest) != 5 {
			return nil, errors.New("ssh signature: security key signature without flags and counter")
		}
		sig.Rest = rest
	} else if len(rest) != 0 {
		return nil, errors.New("ssh signature: trailing data in signature")
	}
	return sig, nil
}

func sshString(b []byte) (s, rest []byte, ok bool) {
	if len(b) < 4 {
		return nil, nil, false
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return nil, nil, false
	}
	return b[4 : 4+n], b[4+n:], true
}

func appendSSHString(b, s []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

func isSK(keyType string) bool {
	return keyType == ssh.KeyAlgoSKED25519 || keyType == ssh.KeyAlgoSKECDSA256
}

// SignedData is what the key signed over message: the magic, the namespace,
// reserved and hash algorithm strings, and the message's hash as a string.
func (s *SSHSig) SignedData(message []byte) ([]byte, error) {
	var digest []byte
	switch s.HashAlg {
	case "sha256":
		h := sha256.Sum256(message)
		digest = h[:]
	case "sha512":
		h := sha512.Sum512(message)
		digest = h[:]
	default:
		return nil, fmt.Errorf("%w: hash %q", ErrUnsupportedSignature, s.HashAlg)
	}
	b := make([]byte, 0, 6+4*4+len(s.Namespace)+len(s.reserved)+len(s.HashAlg)+len(digest))
	b = append(b, sshsigMagic...)
	b = appendSSHString(b, []byte(s.Namespace))
	b = appendSSHString(b, s.reserved)
	b = appendSSHString(b, []byte(s.HashAlg))
	return appendSSHString(b, digest), nil
}

// Verify checks the signature over payload as sshsig_wrap_verify does. The
// namespace is the caller's to check. A certificate must carry a valid CA
// signature, as OpenSSH checks when it parses one.
func (s *SSHSig) Verify(payload []byte) error {
	data, err := s.SignedData(payload)
	if err != nil {
		return err
	}
	key := s.PublicKey
	if cert, ok := key.(*ssh.Certificate); ok {
		if err := verifyCertSignature(cert, s.keyBlob); err != nil {
			return err
		}
		key = cert.Key
	}
	if key.Type() == ssh.KeyAlgoRSA && s.Signature.Format != ssh.KeyAlgoRSASHA256 && s.Signature.Format != ssh.KeyAlgoRSASHA512 {
		// ssh-keygen accepts RSA only with SHA-2 (RSA_SIGN_ALLOWED in sshsig.c).
		return fmt.Errorf("%w: RSA signature type %q", ErrUnsupportedSignature, s.Signature.Format)
	}
	return verifyWithKey(key, data, s.Signature)
}

// verifyWithKey verifies sig with a plain key. FIDO keys are verified here
// rather than by x/crypto/ssh, which rejects a signature made without a
// touch; ssh-keygen accepts it, and UserPresence reports the flag instead.
func verifyWithKey(key ssh.PublicKey, data []byte, sig *ssh.Signature) error {
	if !isSK(key.Type()) {
		if err := key.Verify(data, sig); err != nil {
			return fmt.Errorf("%w: %v", ErrBadSignature, err)
		}
		return nil
	}
	if sig.Format != key.Type() || len(sig.Rest) != 5 {
		return fmt.Errorf("%w: signature type %s for key type %s", ErrBadSignature, sig.Format, key.Type())
	}
	app, err := skApplication(key)
	if err != nil {
		return err
	}
	appHash := sha256.Sum256([]byte(app))
	dataHash := sha256.Sum256(data)
	// sk-api signs SHA256(application) || flags || counter || SHA256(data).
	msg := make([]byte, 0, 32+5+32)
	msg = append(msg, appHash[:]...)
	msg = append(msg, sig.Rest...)
	msg = append(msg, dataHash[:]...)

	cryptoKey, _ := key.(ssh.CryptoPublicKey)
	if cryptoKey == nil {
		return fmt.Errorf("%w: %s key without key material", ErrBadSignature, key.Type())
	}
	switch pub := cryptoKey.CryptoPublicKey().(type) {
	case ed25519.PublicKey:
		if len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, msg, sig.Blob) {
			return nil
		}
	case *ecdsa.PublicKey:
		r, rest, ok1 := sshString(sig.Blob)
		s, rest, ok2 := sshString(rest)
		if ok1 && ok2 && len(rest) == 0 {
			h := sha256.Sum256(msg)
			if ecdsa.Verify(pub, h[:], new(big.Int).SetBytes(r), new(big.Int).SetBytes(s)) {
				return nil
			}
		}
	}
	return fmt.Errorf("%w: %s signature did not verify", ErrBadSignature, key.Type())
}

// skApplication reads the application string ("ssh:" for keys made by
// ssh-keygen) that ends a FIDO public key blob; x/crypto/ssh keeps it private.
func skApplication(key ssh.PublicKey) (string, error) {
	fields := 3 // type, curve, point
	if key.Type() == ssh.KeyAlgoSKED25519 {
		fields = 2 // type, key
	}
	rest := key.Marshal()
	var ok bool
	for range fields {
		if _, rest, ok = sshString(rest); !ok {
			return "", fmt.Errorf("%w: bad %s key", ErrBadSignature, key.Type())
		}
	}
	app, _, ok := sshString(rest)
	if !ok {
		return "", fmt.Errorf("%w: bad %s key", ErrBadSignature, key.Type())
	}
	return string(app), nil
}

// verifyCertSignature checks the CA's signature over the certificate blob,
// which is everything up to the final signature string.
func verifyCertSignature(cert *ssh.Certificate, blob []byte) error {
	if cert.Signature == nil || cert.SignatureKey == nil {
		return fmt.Errorf("%w: certificate is not signed", ErrBadSignature)
	}
	if _, isCert := cert.SignatureKey.(*ssh.Certificate); isCert {
		return fmt.Errorf("%w: certificate signed by a certificate", ErrBadSignature)
	}
	sigBytes := ssh.Marshal(cert.Signature)
	n := len(blob) - 4 - len(sigBytes)
	if n < 0 || binary.BigEndian.Uint32(blob[n:]) != uint32(len(sigBytes)) || !bytes.Equal(blob[n+4:], sigBytes) {
		return fmt.Errorf("%w: certificate signature is not at the end of the certificate", ErrBadSignature)
	}
	if cert.SignatureKey.Type() == ssh.KeyAlgoRSA && cert.Signature.Format == ssh.KeyAlgoRSA {
		return fmt.Errorf("%w: certificate signed with ssh-rsa (SHA-1)", ErrUnsupportedSignature)
	}
	if err := verifyWithKey(cert.SignatureKey, blob[:n], cert.Signature); err != nil {
		return fmt.Errorf("%w: certificate's CA signature does not verify", ErrBadSignature)
	}
	return nil
}

// UserPresence reports the FIDO flags of the signature: whether the key was
// touched (user presence) and whether a PIN or biometric was checked (user
// verification). ok is false for keys that are not security keys.
func (s *SSHSig) UserPresence() (present, verified bool, ok bool) {
	if !isSK(plainKey(s.PublicKey).Type()) || len(s.Signature.Rest) != 5 {
		return false, false, false
	}
	flags := s.Signature.Rest[0]
	return flags&skUserPresence != 0, flags&skUserVerification != 0, true
}
