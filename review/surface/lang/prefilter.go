package lang

import (
	resyntax "regexp/syntax"
	"strings"
	"unicode"
)

// Most lines match no rule, and Go's regexp is slow to say so for a long
// alternation; a substring check on the literals that any match must
// contain rejects them first. The sets are read off the parsed regexp.

// requiredLiterals returns lower-case strings, one of which every match of
// pattern contains, or nil when there is no such set worth checking.
func requiredLiterals(pattern string) []string {
	re, err := resyntax.Parse(pattern, resyntax.Perl)
	if err != nil {
		return nil
	}
	return analyse(re.Simplify()).best()
}

const (
	minLiteral = 3  // shorter literals filter nothing
	maxExact   = 64 // cap on the strings a node is expanded to
)

// info is what a node can match: exact lists every string when the set is
// finite and small (nil otherwise); req is a set one of which must occur.
type info struct {
	exact []string
	req   []string
}

func (in info) best() []string {
	if in.exact != nil && shortest(in.exact) >= minLiteral {
		return in.exact
	}
	return in.req
}

func shortest(ss []string) int {
	n := -1
	for _, s := range ss {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

func analyse(re *resyntax.Regexp) info {
	switch re.Op {
	case resyntax.OpLiteral:
		return info{exact: []string{strings.ToLower(string(re.Rune))}}
	case resyntax.OpEmptyMatch, resyntax.OpBeginLine, resyntax.OpEndLine, resyntax.OpBeginText, resyntax.OpEndText,
		resyntax.OpWordBoundary, resyntax.OpNoWordBoundary:
		return info{exact: []string{""}}
	case resyntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				s := string(unicode.ToLower(r))
				if !contains(out, s) {
					out = append(out, s)
				}
				if len(out) > 4 {
					return info{}
				}
			}
		}
		return info{exact: out}
	case resyntax.OpCapture:
		return analyse(re.Sub[0])
	case resyntax.OpQuest:
		in := analyse(re.Sub[0])
		if in.exact != nil && len(in.exact) < maxExact {
			return info{exact: append(in.exact, "")}
		}
		return info{}
	case resyntax.OpPlus:
		return info{req: analyse(re.Sub[0]).best()}
	case resyntax.OpRepeat:
		if re.Min >= 1 {
			return info{req: analyse(re.Sub[0]).best()}
		}
		return info{}
	case resyntax.OpConcat:
		cur := []string{""}
		var cands [][]string
		for _, s := range re.Sub {
			in := analyse(s)
			if cur != nil && in.exact != nil && len(cur)*len(in.exact) <= maxExact {
				cur = product(cur, in.exact)
				continue
			}
			if cur != nil {
				cands = append(cands, cur)
			}
			if b := in.best(); b != nil {
				cands = append(cands, b)
			}
			cur = in.exact
			if cur == nil {
				cur = []string{""}
			}
		}
		if len(cands) == 0 {
			return info{exact: cur}
		}
		cands = append(cands, cur)
		var best []string
		for _, c := range cands {
			if shortest(c) >= minLiteral && (best == nil || shortest(c) > shortest(best)) {
				best = c
			}
		}
		return info{req: best}
	case resyntax.OpAlternate:
		var exact, req []string
		allExact, allBest := true, true
		for _, s := range re.Sub {
			in := analyse(s)
			if in.exact == nil {
				allExact = false
			} else {
				exact = append(exact, in.exact...)
			}
			b := in.best()
			if b == nil {
				allBest = false
			}
			req = append(req, b...)
		}
		switch {
		case allExact && len(exact) <= maxExact:
			return info{exact: exact}
		case allBest:
			return info{req: exact0(req)}
		}
	}
	return info{}
}

func exact0(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	return ss
}

func product(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// mayMatch is the prefilter: false means the rule cannot match lower.
func (r *rule) mayMatch(lower string) bool {
	if r.lits == nil {
		return true
	}
	for _, l := range r.lits {
		if strings.Contains(lower, l) {
			return true
		}
	}
	return false
}
