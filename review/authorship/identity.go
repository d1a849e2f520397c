package authorship

import (
	"strings"
	"unicode"

	"github.com/mtibben/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/vouch-review/vouch/review/visible"
)

// NormalizeIdentity is the form identities are compared in when trust
// depends on them (an AI reviewer, a reviewer who is the commit's author):
// NFKC, case-folded, default-ignorable characters removed, surrounding
// brackets, quotes and spaces and trailing dots dropped, then mapped to its
// Unicode TR39 confusable skeleton. "NoReply@Anthropic.com.", a zero-width
// space inside it, a Cyrillic "о" for the Latin one, and "<noreply@anthropic.com>"
// all come out as the skeleton of "noreply@anthropic.com".
func NormalizeIdentity(s string) string { return confusables.Skeleton(foldIdentity(s)) }

// foldIdentity is NormalizeIdentity before the skeleton: still a readable
// address.
func foldIdentity(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		if visible.Hidden(r) {
			return -1
		}
		return r
	}, s)
	s = cases.Fold().String(s)
	for {
		t := strings.TrimFunc(s, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(`<>()[]{}"'`+"`", r)
		})
		t = strings.TrimRight(t, ".")
		if t == s {
			break
		}
		s = t
	}
	return s
}
