package lang

import (
	"path"
	"strings"

	"github.com/vouch-review/vouch/review/surface"
)

// lit matches a string literal in the code view, where its contents are
// blanked; the original text at the same offsets is the literal itself.
const lit = "(?P<lit>\"[^\"\\n]*\"|'[^'\\n]*'|`[^`\\n]*`)"

// sqlStart matches the opening words of a SQL statement in a literal.
const sqlStart = `(?i:select\s[^"'` + "`" + `]*?\bfrom\b|insert\s+into\b|update\s+[\w."\[\]]+\s+set\b|delete\s+from\b)`

// sensitive names secrets and personal data in identifiers.
var sensitive = re(`(?i)(passw(?:or)?d|\bpwd\b|secret|token|api_?key|apikey|authorization|credit_?card|card_?number|\bcvv\b|\bssn\b|private_?key|access_?key|session_?id|headers|cookie|credential)`)

// interpolated finds a sensitive name inside ${…}, #{…}, {…} or $name in a string.
var interpolated = re(`(?i)(?:\$\{|#\{|\{|\$)[\s\w.\[\]'"]*?(passw(?:or)?d|secret|token|api_?key|apikey|authorization|credit_?card|card_?number|cvv|ssn|private_?key|access_?key|session_?id|headers|cookie|credential)`)

// logsSecret reports a log call whose arguments (code after the match, or
// interpolations inside its strings) name a secret.
func logsSecret(h *hit) bool {
	end := h.loc[1]
	if !sensitive.MatchString(h.v.code[end:]) && !interpolated.MatchString(h.v.text[end:]) {
		return false
	}
	// The cheap match says a name is near; the words of each identifier say
	// whether it holds a secret (InputCostPerToken and maxTokens do not) and
	// whether its value is logged at all (len(token), !!password do not).
	return secretValue(h.v.code[end:]) || secretValue(interpolations(h.v.text[end:]))
}

var identChain = re(`[A-Za-z_$][\w$]*(?:\s*(?:\.|->|::)\s*[A-Za-z_$][\w$]*)*`)

var interpolation = re(`\$\{([^}]*)\}|#\{([^}]*)\}|\{([\w.]+)\}|\$([A-Za-z_]\w*)`)

func interpolations(text string) string {
	var b strings.Builder
	for _, m := range interpolation.FindAllStringSubmatch(text, -1) {
		for _, g := range m[1:] {
			if g != "" {
				b.WriteString(g)
				b.WriteString(" ")
			}
		}
	}
	return b.String()
}

// secretValue reports an identifier in code whose name holds a secret and
// whose value, not a length, count or truth of it, is used.
func secretValue(code string) bool {
	for _, loc := range identChain.FindAllStringIndex(code, -1) {
		chain := code[loc[0]:loc[1]]
		before := strings.TrimRight(code[:loc[0]], " \t")
		after := strings.TrimLeft(code[loc[1]:], " \t")
		if strings.HasSuffix(before, "len(") || strings.HasSuffix(before, "length(") || strings.HasSuffix(before, "!!") ||
			strings.HasSuffix(before, "Boolean(") || strings.HasSuffix(before, "bool(") || strings.HasSuffix(before, "count(") ||
			strings.HasPrefix(after, "!=") || strings.HasPrefix(after, "==") || strings.HasPrefix(after, "is not None") ||
			strings.HasPrefix(after, "is None") || strings.HasPrefix(after, "?") {
			continue
		}
		parts := strings.FieldsFunc(chain, func(r rune) bool { return r == '.' || r == '>' || r == '-' || r == ':' || r == ' ' })
		if len(parts) == 0 {
			continue
		}
		last := parts[len(parts)-1]
		if last == "length" || last == "size" || last == "count" || last == "len" {
			continue
		}
		if secretName(last) {
			return true
		}
	}
	return false
}

var secretWordSet = wordSet("password", "passwd", "passphrase", "pwd", "secret", "secrets", "token", "apikey",
	"authorization", "credential", "credentials", "ssn", "cvv", "creditcard", "cardnumber", "privatekey",
	"accesskey", "bearer", "sessionid", "jwt", "otp", "cookie", "cookies", "headers")

var secretPairs = wordSet("api key", "credit card", "card number", "private key", "access key", "secret key",
	"session id", "refresh token", "client secret", "access token", "auth token", "id token")

// notSecretLast end a name that describes a secret without holding one.
var notSecretLast = wordSet("count", "len", "length", "expiry", "expires", "expiration", "exp", "ttl", "type",
	"kind", "id", "ids", "policy", "reset", "url", "uri", "endpoint", "path", "file", "name", "field", "set",
	"present", "valid", "ok", "err", "error", "required", "source", "limit", "min", "max", "at", "enabled",
	"prompt", "label", "hint", "usage", "rule", "rules", "header", "env", "var", "key", "tokens", "size")

var notSecretFirst = wordSet("max", "min", "num", "total", "is", "has", "no", "should", "use", "show")

// quantities make a name about an amount of tokens, not a credential.
var quantities = wordSet("per", "cost", "costs", "price", "pricing", "count", "counts", "budget", "window",
	"usage", "estimate", "estimated", "limit", "limits", "input", "output", "cached", "completion", "tokenizer")

func secretName(name string) bool {
	ws := surface.NameWords(name)
	if len(ws) == 0 || notSecretLast[ws[len(ws)-1]] || notSecretFirst[ws[0]] {
		// "session id" ends in id but is one.
		if !(len(ws) >= 2 && secretPairs[ws[len(ws)-2]+" "+ws[len(ws)-1]]) {
			return false
		}
	}
	for i, w := range ws {
		if quantities[w] {
			return false
		}
		if secretWordSet[w] || (i > 0 && secretPairs[ws[i-1]+" "+w]) {
			return true
		}
	}
	return false
}

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// protectWords name what a hash guards: a password, a signature, a token,
// the integrity of a download. MD5 for a cache key or an ETag guards nothing.
var protectWords = re(`(?i)(passw|\bpwd\b|\bpw\b|secret|token|sign|hmac|verif|integrity|checksum|credential|auth|api_?key|salt|nonce)`)

var weakDigest = re(`(?i)(md5|md4|md2|sha-?1\b|sha1|\bsha\s*\()`)

// weakHashProtects keeps a weak cipher always and a weak hash only where the
// lines around it say what it protects.
func weakHashProtects(h *hit) bool {
	m := h.v.text[h.loc[0]:h.loc[1]]
	if !weakDigest.MatchString(m) {
		return true
	}
	return protectWords.MatchString(h.around(4))
}

// secretNearby reports a line whose code names a secret, for weak randomness.
var secretWords = re(`(?i)(token|secret|passw(?:or)?d|salt|nonce|otp|session|csrf|api_?key|apikey|reset|invite|verification|activation)`)

func secretNearby(h *hit) bool { return secretWords.MatchString(h.v.code) }

// urlLiteral reports a match whose string literal is an absolute URL.
func urlLiteral(h *hit) bool {
	l := strings.ToLower(h.lit())
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "ws://") || strings.HasPrefix(l, "wss://")
}

func base(names ...string) func(string) bool {
	return func(p string) bool {
		b := path.Base(p)
		for _, n := range names {
			if b == n {
				return true
			}
		}
		return false
	}
}

func pathHas(parts ...string) func(string) bool {
	return func(p string) bool {
		for _, s := range parts {
			if strings.Contains(p, s) {
				return true
			}
		}
		return false
	}
}
