package ledger

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/ssh"
)

// AllowedSigners is a parsed OpenSSH allowed_signers file (ssh-keygen(1),
// "ALLOWED SIGNERS"), read the way sshsig.c reads it, so that a record that
// vouch calls valid is one that `ssh-keygen -Y verify` accepts too.
type AllowedSigners struct {
	Entries []SignerEntry // in file order
	// Problems has one line per malformed line of the file, in file order:
	// "NAME:LINE: why" (NAME is allowed_signers, or the path it was read
	// from). ssh-keygen skips such lines; a caller shows them to the user.
	Problems []string
}

// SignerEntry is one line of an allowed_signers file.
type SignerEntry struct {
	Line          int      // 1-based line number
	Principals    []string // patterns with * and ?; a leading ! negates
	CertAuthority bool     // Key is a CA that certifies signing keys
	Namespaces    []string // patterns; nil means every namespace
	ValidAfter    time.Time
	ValidBefore   time.Time // zero means unbounded, as in ssh-keygen
	Key           ssh.PublicKey

	keyBlob []byte // Key.Marshal(), compared on every lookup
}

// ParseAllowedSigners parses every line of an allowed_signers file.
//
// ssh-keygen logs a bad line and goes on with the next one, so a typo in one
// reviewer's line does not lock out everyone else; ParseAllowedSigners does
// the same: it always returns the good entries, lists each bad line once in
// Problems ("allowed_signers:LINE: why"), and returns them joined as a
// non-nil error, for the caller to show.
func ParseAllowedSigners(data []byte) (*AllowedSigners, error) {
	return ParseAllowedSignersNamed("allowed_signers", data)
}

// ParseAllowedSignersNamed is ParseAllowedSigners for a file the user knows
// by name: its problems read "NAME:LINE: why".
func ParseAllowedSignersNamed(name string, data []byte) (*AllowedSigners, error) {
	set := &AllowedSigners{}
	var errs []error
	for i, line := range strings.Split(string(data), "\n") {
		e, ok, err := parseSignerLine(line)
		if err != nil {
			err = fmt.Errorf("%s:%d: %w", name, i+1, err)
			set.Problems = append(set.Problems, err.Error())
			errs = append(errs, err)
			continue
		}
		if ok {
			e.Line = i + 1
			set.Entries = append(set.Entries, e)
		}
	}
	return set, errors.Join(errs...)
}

// LoadAllowedSigners reads and parses an allowed_signers file. As with
// ParseAllowedSigners, a file with bad lines returns the good entries, the
// problems ("PATH:LINE: why") and an error; a file that cannot be read
// returns nil.
func LoadAllowedSigners(path string) (*AllowedSigners, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("allowed signers: %w", err)
	}
	return ParseAllowedSignersNamed(path, data)
}

// MatchesPrincipal reports whether name matches the entry's principal
// patterns: some pattern matches and no negated one does.
func (e *SignerEntry) MatchesPrincipal(name string) bool {
	return matchPatternList(name, e.Principals) == 1
}

// AllowsNamespace reports whether the entry's namespaces= option, if any,
// lets the key sign in namespace ns.
func (e *SignerEntry) AllowsNamespace(ns string) bool {
	return e.Namespaces == nil || matchPatternList(ns, e.Namespaces) == 1
}

const blanks = " \t\r\n"

// parseSignerLine follows sshsig.c's parse_principals_key_and_options. ok is
// false for a blank or comment line.
func parseSignerLine(line string) (e SignerEntry, ok bool, err error) {
	s := strings.TrimLeft(line, blanks)
	if s == "" || s[0] == '#' {
		return e, false, nil
	}
	principals, rest, err := principalsField(s)
	if err != nil {
		return e, false, err
	}
	if principals == "" {
		return e, false, errors.New("empty principals")
	}
	e.Principals = strings.Split(principals, ",")

	// Options come first only when the text after the principals is not a key.
	key, keyErr := readPublicKey(rest)
	if keyErr != nil {
		if knownKeyType(firstWord(rest)) {
			return e, false, keyErr
		}
		opts, after, err := optionsField(rest)
		if err != nil {
			return e, false, err
		}
		if looksLikeKeyType(opts) {
			// "ada ssh-foo AAAA…": a key of a type ssh-keygen does not know,
			// not options.
			return e, false, keyTypeError(opts)
		}
		if after == "" {
			return e, false, keyTypeError(opts)
		}
		if key, err = readPublicKey(after); err != nil {
			return e, false, err
		}
		if err := parseSignerOptions(opts, &e); err != nil {
			return e, false, fmt.Errorf("bad options: %w", err)
		}
	}
	e.Key = key
	e.keyBlob = key.Marshal()
	return e, true, nil
}

// principalsField is strdelimw: the field ends at a blank, or is quoted
// (which lets a principal contain blanks).
func principalsField(s string) (field, rest string, err error) {
	i := strings.IndexAny(s, blanks+`"`)
	if i < 0 {
		return s, "", errors.New("missing key")
	}
	if s[i] == '"' {
		j := strings.IndexByte(s[i+1:], '"')
		if j < 0 {
			return "", "", errors.New("unterminated quote in principals")
		}
		field = s[:i] + s[i+1:i+1+j]
		return field, strings.TrimLeft(s[i+2+j:], blanks), nil
	}
	return s[:i], strings.TrimLeft(s[i+1:], blanks), nil
}

// optionsField is sshkey_advance_past_options: options end at the first
// blank outside double quotes; \" does not end a quote.
func optionsField(s string) (opts, rest string, err error) {
	quoted := false
	i := 0
	for ; i < len(s) && (quoted || (s[i] != ' ' && s[i] != '\t')); i++ {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] == '"' {
			i++
		} else if s[i] == '"' {
			quoted = !quoted
		}
	}
	if quoted {
		return "", "", errors.New("invalid options: unterminated quote")
	}
	return s[:i], strings.TrimLeft(s[i:], blanks), nil
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, blanks); i >= 0 {
		return s[:i]
	}
	return s
}

var keyTypes = map[string]bool{
	ssh.KeyAlgoRSA: true, ssh.KeyAlgoDSA: true, ssh.KeyAlgoED25519: true, ssh.KeyAlgoSKED25519: true,
	ssh.KeyAlgoECDSA256: true, ssh.KeyAlgoECDSA384: true, ssh.KeyAlgoECDSA521: true, ssh.KeyAlgoSKECDSA256: true,
	ssh.CertAlgoRSAv01: true, ssh.CertAlgoDSAv01: true, ssh.CertAlgoED25519v01: true, ssh.CertAlgoSKED25519v01: true,
	ssh.CertAlgoECDSA256v01: true, ssh.CertAlgoECDSA384v01: true, ssh.CertAlgoECDSA521v01: true, ssh.CertAlgoSKECDSA256v01: true,
}

func knownKeyType(name string) bool { return keyTypes[name] }

// looksLikeKeyType tells a misspelt or unsupported key type from options.
func looksLikeKeyType(word string) bool {
	if strings.ContainsAny(word, `=,"`) || strings.EqualFold(word, "cert-authority") {
		return false
	}
	for _, p := range []string{"ssh-", "ecdsa-", "sk-", "rsa-", "x509v3-"} {
		if strings.HasPrefix(word, p) {
			return true
		}
	}
	return strings.HasSuffix(word, "@openssh.com")
}

// keyTypeError says what is wrong with the word where a key type belongs.
func keyTypeError(word string) error {
	switch {
	case word == "" || !looksLikeKeyType(word) && !strings.HasPrefix(word, "AAAA"):
		return errors.New("missing key")
	case strings.HasPrefix(word, "AAAA"):
		// The base64 of a key always starts so: its type was left out.
		return errors.New("invalid key: no key type before the key")
	}
	if len(word) > 40 {
		word = word[:40] + "…"
	}
	return fmt.Errorf("unknown key type %q", word)
}

// readPublicKey is sshkey_read: "keytype base64 [comment]", where the type
// named must be the type inside the blob.
func readPublicKey(s string) (ssh.PublicKey, error) {
	name := firstWord(s)
	if !knownKeyType(name) {
		return nil, keyTypeError(name)
	}
	b64 := firstWord(strings.TrimLeft(s[len(name):], blanks))
	blob, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || b64 == "" {
		return nil, fmt.Errorf("invalid key: bad base64")
	}
	key, err := ssh.ParsePublicKey(blob)
	if err != nil {
		return nil, fmt.Errorf("invalid key: %s", safeLine(strings.TrimPrefix(err.Error(), "ssh: ")))
	}
	if key.Type() != name {
		return nil, fmt.Errorf("invalid key: %s key labelled %s", key.Type(), name)
	}
	return key, nil
}

// parseSignerOptions is sshsigopt_parse: option names are case-insensitive,
// values must be double-quoted, each option may appear once.
func parseSignerOptions(opts string, e *SignerEntry) error {
	var seenNS, seenAfter, seenBefore bool
	for opts != "" && opts[0] != ' ' && opts[0] != '\t' {
		switch {
		case hasPrefixFold(opts, "cert-authority"):
			e.CertAuthority = true
			opts = opts[len("cert-authority"):]
		case hasPrefixFold(opts, "namespaces="):
			if seenNS {
				return errors.New(`multiple "namespaces" clauses`)
			}
			seenNS = true
			v, rest, err := dequote(opts[len("namespaces="):])
			if err != nil {
				return err
			}
			e.Namespaces, opts = strings.Split(v, ","), rest
		case hasPrefixFold(opts, "valid-after="), hasPrefixFold(opts, "valid-before="):
			name, _, _ := strings.Cut(strings.ToLower(opts), "=")
			seen, t := &seenAfter, &e.ValidAfter
			if name == "valid-before" {
				seen, t = &seenBefore, &e.ValidBefore
			}
			if *seen {
				return fmt.Errorf("multiple %q clauses", name)
			}
			*seen = true
			v, rest, err := dequote(opts[len(name)+1:])
			if err != nil {
				return err
			}
			if *t, err = ParseSSHTime(v); err != nil {
				return fmt.Errorf("invalid %q time: %w", name, err)
			}
			opts = rest
		default:
			return fmt.Errorf("unsupported option %q", firstOption(opts))
		}
		if opts == "" || opts[0] == ' ' || opts[0] == '\t' {
			break
		}
		if opts[0] != ',' {
			return fmt.Errorf("unknown key option %q", firstOption(opts))
		}
		opts = opts[1:]
		if opts == "" {
			return errors.New("unexpected end-of-options")
		}
	}
	return nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func firstOption(s string) string {
	if i := strings.IndexAny(s, ", \t"); i >= 0 {
		return s[:i]
	}
	return s
}

// dequote is auth-options.c's opt_dequote: a value in double quotes, where
// \" stands for a quote.
func dequote(s string) (value, rest string, err error) {
	if s == "" || s[0] != '"' {
		return "", "", errors.New("missing start quote")
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '"':
			return b.String(), s[i+1:], nil
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '"':
			i++
		}
		b.WriteByte(s[i])
	}
	return "", "", errors.New("missing end quote")
}

// ParseSSHTime parses a time as OpenSSH's parse_absolute_time does:
// YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, in UTC with a "Z" or "UTC"
// suffix and in local time without one.
func ParseSSHTime(s string) (time.Time, error) {
	loc := time.Local
	digits := s
	if len(s) > 1 && (s[len(s)-1] == 'Z' || s[len(s)-1] == 'z') {
		loc, digits = time.UTC, s[:len(s)-1]
	} else if len(s) > 3 && strings.EqualFold(s[len(s)-3:], "UTC") {
		loc, digits = time.UTC, s[:len(s)-3]
	}
	if len(digits) != 8 && len(digits) != 12 && len(digits) != 14 {
		return time.Time{}, fmt.Errorf("%q: want YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z]", s)
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return time.Time{}, fmt.Errorf("%q: not a date", s)
		}
	}
	var f [6]int // year, month, day, hour, minute, second
	bounds := []int{0, 4, 6, 8, 10, 12, 14}
	for k := 0; k < 6 && bounds[k+1] <= len(digits); k++ {
		f[k], _ = strconv.Atoi(digits[bounds[k]:bounds[k+1]])
	}
	if f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 60 {
		return time.Time{}, fmt.Errorf("%q: not a date", s)
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, loc)
	if t.Unix() <= 0 {
		// ssh-keygen keeps 0 to mean "unset" and rejects times before 1970.
		return time.Time{}, fmt.Errorf("%q: before 1970", s)
	}
	return t, nil
}

// matchPatternList is OpenSSH's match_pattern_list: 1 when some pattern
// matches, -1 when a negated pattern matches (which overrides any positive
// match), 0 otherwise.
func matchPatternList(s string, patterns []string) int {
	got := 0
	for _, p := range patterns {
		negated := strings.HasPrefix(p, "!")
		if negated {
			p = p[1:]
		}
		if len(p) >= 1023 {
			// OpenSSH copies each pattern into a 1024-byte buffer and
			// gives up on the whole list when one does not fit.
			return 0
		}
		if matchPattern(s, p) {
			if negated {
				return -1
			}
			got = 1
		}
	}
	return got
}

// matchPattern matches s against a pattern where * is any run of bytes and ?
// any one byte, case-sensitively, as OpenSSH's match_pattern.
func matchPattern(s, p string) bool {
	star, mark := -1, 0
	i, j := 0, 0
	for i < len(s) {
		switch {
		case j < len(p) && (p[j] == '?' || p[j] == s[i]):
			i++
			j++
		case j < len(p) && p[j] == '*':
			star, mark = j, i
			j++
		case star >= 0:
			mark++
			i, j = mark, star+1
		default:
			return false
		}
	}
	for j < len(p) && p[j] == '*' {
		j++
	}
	return j == len(p)
}

// samePublicKey is sshkey_equal_public: the key material alone, so that a
// certificate equals the plain key it certifies.
func samePublicKey(a, b ssh.PublicKey) bool {
	return bytes.Equal(plainKey(a).Marshal(), plainKey(b).Marshal())
}

func plainKey(k ssh.PublicKey) ssh.PublicKey {
	if c, ok := k.(*ssh.Certificate); ok {
		return c.Key
	}
	return k
}

// safeLine keeps text that came from the file on one terminal-safe line.
func safeLine(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) || r == unicode.ReplacementChar }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}
