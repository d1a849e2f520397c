package surface

import (
	"strings"
	"unicode"
)

// NameWords splits an identifier into lower-case words at case changes,
// digits and any other separator: "APIKey" -> api, key; "reset_token" ->
// reset, token; InputCostPerToken -> input, cost, per, token. Every detector
// matches sensitive names on these words, not on substrings.
func NameWords(name string) []string {
	var out []string
	rs := []rune(name)
	start := 0
	flush := func(i int) {
		if i > start {
			out = append(out, strings.ToLower(string(rs[start:i])))
		}
		start = i
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			start = i + 1
			continue
		}
		if i > start && unicode.IsUpper(r) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush(i)
			}
		}
	}
	flush(len(rs))
	return out
}
