package lang

import (
	"path"
	"strings"
)

// lit matches a string literal in the code view, where its contents are
// blanked; the original text at the same offsets is the literal itself.
const lit = "(?P<lit>\"[^\"\\n]*\"|'[^'\\n]*'|`[^`\\n]*`)"

// sqlStart matches the opening words of a SQL statement in a literal.
const sqlStart = `(?i:select\s[^"'` + "`" + `]*?\bfrom\b|insert\s+into\b|update\s+[\w."\[\]]+\s+set\b|delete\s+from\b)`

// sensitive names secrets and personal data in identifiers.
var sensitive = re(`(?i)(passw(?:or)?d|\bpwd\b|secret|token|api_?key|apikey|authorization|credit_?card|card_?number|\bcvv\b|\bssn\b|private_?key|access_?key|session_?id)`)

// interpolated finds a sensitive name inside ${…}, #{…}, {…} or $name in a string.
var interpolated = re(`(?i)(?:\$\{|#\{|\{|\$)[\s\w.\[\]'"]*?(passw(?:or)?d|secret|token|api_?key|apikey|authorization|credit_?card|card_?number|cvv|ssn|private_?key|access_?key|session_?id)`)

// logsSecret reports a log call whose arguments (code after the match, or
// interpolations inside its strings) name a secret.
func logsSecret(h *hit) bool {
	end := h.loc[1]
	return sensitive.MatchString(h.v.code[end:]) || interpolated.MatchString(h.v.text[end:])
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
