// Package hidden finds added lines that hold characters a reviewer cannot
// see: bidirectional controls that reorder what is drawn (Trojan Source,
// CVE-2021-42574) and zero-width, format, tag, variation-selector and filler
// characters that hide code or make two names that look alike differ.
//
// The characters are the ones review/visible shows as <U+XXXX> markers, by the
// same predicates (visible.Bidi, visible.Hidden), so the finding and the diff
// agree on what is invisible.
//
// Emoji and scripts use a few of these characters as they are meant to be
// used: U+FE0E/U+FE0F after a pictograph or keycap base (⚠️, 1️⃣), U+200D
// between pictographs (👩‍💻), a flag's tag sequence after U+1F3F4 (🏴 + "gbeng"
// + cancel tag), and U+200C/U+200D between letters of a script that joins
// (Persian, Devanagari, …). Such a use carries no code and is a low finding in
// code and none in docs; every other use is critical, wherever the file is.
package hidden

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/runenames"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/visible"
)

// Rule ids.
const (
	RuleBidi         = "unicode/bidi-control"
	RuleHidden       = "unicode/hidden"
	RulePresentation = "unicode/presentation"
)

const category = "policy"

// maxEvidence bounds the evidence so one minified line cannot flood the UI.
const maxEvidence = 240

// maxNamed is how many characters one message names before "and N more".
const maxNamed = 3

// New returns the hidden-character detector.
func New() surface.Detector { return detector{} }

type detector struct{}

func (detector) Name() string { return "hidden" }

// Applies to every path: a hidden character matters in any text file, and a
// binary file has no added lines to look at.
func (detector) Applies(string) bool { return true }

// Detect looks at the added lines only: removing a hidden character makes
// the code more honest, not less.
func (detector) Detect(c *surface.Change) []surface.Finding {
	var out []surface.Finding
	for _, l := range c.Added() {
		if !hasHidden(l.Text) {
			continue
		}
		for _, f := range Check(l.Text) {
			// An emoji's own selector or joiner, a flag's tags, a joiner
			// between Persian or Indic letters draw what the line shows: a
			// mark on every ⚠️ in a script is one a reviewer learns to
			// ignore. Check still names them for callers that explain text.
			if f.Rule == RulePresentation {
				continue
			}
			f.Line, f.EndLine = l.No, l.No
			f.Side = surface.SideNew
			f.Evidence = evidence(l.Text)
			out = append(out, f)
		}
	}
	return out
}

// hasHidden is the fast path: most added lines are ASCII, and most of the
// rest hold letters, not hidden characters.
func hasHidden(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if visible.Hidden(r) {
			return true
		}
		i += size
	}
	return false
}

// use is one hidden character at a place in the line.
type use struct {
	r    rune
	kind kind
	tags string // for a run of tag characters: the ASCII they spell,
	n    int    // how many there are
	last rune   // and the last of them
}

type kind int

const (
	kindBidi kind = iota
	kindHidden
	kindPresentation
)

// Check returns the findings of one line of text (without file, line
// number or evidence): at most one per rule, bidi controls first.
func Check(text string) []surface.Finding {
	rs := []rune(text)
	var uses []use
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if !visible.Hidden(r) {
			continue
		}
		switch {
		case visible.Bidi(r):
			uses = append(uses, use{r: r, kind: kindBidi})
		case visible.Tag(r):
			j := i
			for j < len(rs) && visible.Tag(rs[j]) {
				j++
			}
			k := kindHidden
			if isFlagTags(rs, i, j) {
				k = kindPresentation
			}
			uses = append(uses, use{r: r, kind: k, tags: tagText(rs[i:j]), n: j - i, last: rs[j-1]})
			i = j - 1
		case isPresentation(rs, i):
			uses = append(uses, use{r: r, kind: kindPresentation})
		default:
			uses = append(uses, use{r: r, kind: kindHidden})
		}
	}
	var out []surface.Finding
	for _, k := range []kind{kindBidi, kindHidden, kindPresentation} {
		if f, ok := finding(uses, k); ok {
			out = append(out, f)
		}
	}
	return out
}

func finding(uses []use, k kind) (surface.Finding, bool) {
	// Characters that do the same thing share one explanation:
	// "U+202E RIGHT-TO-LEFT OVERRIDE and U+2066 LEFT-TO-RIGHT ISOLATE reorder …".
	type group struct {
		names []string
		what  effect
	}
	var groups []*group
	byWhat := map[effect]*group{}
	seen := map[string]bool{}
	named, more := 0, 0
	for _, u := range uses {
		if u.kind != k {
			continue
		}
		name, what := describe(u)
		if seen[name] {
			continue
		}
		seen[name] = true
		if named == maxNamed {
			more++
			continue
		}
		named++
		g := byWhat[what]
		if g == nil || u.tags != "" {
			g = &group{what: what}
			if u.tags == "" {
				byWhat[what] = g
			}
			groups = append(groups, g)
		}
		g.names = append(g.names, name)
	}
	if len(groups) == 0 {
		return surface.Finding{}, false
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		if len(g.names) == 1 {
			parts[i] = g.names[0] + " " + g.what.one
			continue
		}
		parts[i] = strings.Join(g.names[:len(g.names)-1], ", ") + " and " + g.names[len(g.names)-1] + " " + g.what.many
	}
	msg := strings.Join(parts, "; ")
	if more > 0 {
		msg += fmt.Sprintf("; and %d more", more)
	}
	f := surface.Finding{Category: category, Severity: "critical", Message: msg}
	switch k {
	case kindBidi:
		f.Rule = RuleBidi
	case kindHidden:
		f.Rule = RuleHidden
	default:
		f.Rule, f.Severity = RulePresentation, "low"
	}
	return f, true
}

// effect says what a character does, for one of them and for several.
type effect struct{ one, many string }

var (
	effectBidi    = effect{"reorders the text the reviewer sees (Trojan Source, CVE-2021-42574)", "reorder the text the reviewer sees (Trojan Source, CVE-2021-42574)"}
	effectEmoji   = effect{"selects how an emoji is drawn (usual after a pictograph; shown as a marker in the diff)", "select how emoji are drawn (usual after a pictograph; shown as markers in the diff)"}
	effectJoin    = effect{"joins emoji or letters as the script needs (shown as a marker in the diff)", "join emoji or letters as the script needs (shown as markers in the diff)"}
	effectPayload = effect{"draws nothing here and can carry a hidden payload (as in GlassWorm)", "draw nothing here and can carry a hidden payload (as in GlassWorm)"}
	effectFiller  = effect{"is a blank letter that can serve as an invisible name", "are blank letters that can serve as invisible names"}
	effectLine    = effect{"ends a line in editors and JavaScript but draws nothing in a terminal", "end a line in editors and JavaScript but draw nothing in a terminal"}
	effectHidden  = effect{"draws nothing: it can hide code or make look-alike names differ", "draw nothing: they can hide code or make look-alike names differ"}
	effectTags    = effect{"and draw nothing (ASCII smuggling)", ""}
	effectFlag    = effect{"after U+1F3F4 (shown as markers in the diff)", ""}
)

// describe names a character by code point and says what it does.
func describe(u use) (string, effect) {
	r := u.r
	if u.tags != "" {
		if u.kind == kindPresentation {
			return fmt.Sprintf("tag characters U+%04X…U+%04X spell the flag %q", r, u.last, u.tags), effectFlag
		}
		return fmt.Sprintf("%d tag characters U+%04X…U+%04X spell %q", u.n, r, u.last, u.tags), effectTags
	}
	name := fmt.Sprintf("U+%04X %s", r, charName(r))
	switch {
	case u.kind == kindBidi:
		return name, effectBidi
	case u.kind == kindPresentation && visible.VariationSelector(r):
		return name, effectEmoji
	case u.kind == kindPresentation:
		return name, effectJoin
	case visible.VariationSelector(r):
		return name, effectPayload
	case visible.Filler(r):
		return name, effectFiller
	case r == 0x2028 || r == 0x2029:
		return name, effectLine
	default:
		return name, effectHidden
	}
}

func charName(r rune) string {
	if n := runenames.Name(r); n != "" {
		return n
	}
	return "(unassigned, default-ignorable)"
}

// tagText is the ASCII a run of tag characters spells, made visible.
func tagText(rs []rune) string {
	var b strings.Builder
	for _, r := range rs {
		if a := r - 0xe0000; a >= 0x20 && a < 0x7f {
			b.WriteRune(a)
		} else {
			b.WriteString(visible.Marker(r))
		}
	}
	return b.String()
}

// isFlagTags reports whether rs[i:j], a run of tag characters, is the tail of
// an emoji flag: U+1F3F4 WAVING BLACK FLAG, then lower-case letters or
// digits as tags (a region such as "gbsct"), then U+E007F CANCEL TAG.
func isFlagTags(rs []rune, i, j int) bool {
	if i == 0 || rs[i-1] != 0x1f3f4 || j-i < 3 || j-i > 8 || rs[j-1] != 0xe007f {
		return false
	}
	for _, r := range rs[i : j-1] {
		a := r - 0xe0000
		if !(a >= 'a' && a <= 'z') && !(a >= '0' && a <= '9') {
			return false
		}
	}
	return true
}

// isPresentation reports whether rs[i] is a selector or joiner used as emoji
// and scripts use it.
func isPresentation(rs []rune, i int) bool {
	r := rs[i]
	var prev, next rune = -1, -1
	if i > 0 {
		prev = rs[i-1]
	}
	if i+1 < len(rs) {
		next = rs[i+1]
	}
	switch r {
	case 0xfe0e, 0xfe0f:
		return isPictograph(prev) || (isKeycapBase(prev) && next == 0x20e3)
	case 0x200d:
		if isEmojiEnd(prev) && isPictograph(next) {
			return true
		}
		return joinsScript(prev, next)
	case 0x200c:
		return joinsScript(prev, next)
	}
	return false
}

// isPictograph approximates Extended_Pictographic, which Go's unicode
// package lacks: symbols, plus the few emoji that are punctuation.
func isPictograph(r rune) bool {
	if r < 0xa9 {
		return false
	}
	switch r {
	case 0x203c, 0x2049, 0x3030, 0x303d, 0x2139:
		return true
	}
	return unicode.In(r, unicode.So, unicode.Sm)
}

func isKeycapBase(r rune) bool { return r == '#' || r == '*' || (r >= '0' && r <= '9') }

// isEmojiEnd reports whether r can end an emoji that a ZWJ extends: a
// pictograph, its presentation selector, a skin-tone modifier or a keycap.
func isEmojiEnd(r rune) bool {
	return isPictograph(r) || r == 0xfe0f || (r >= 0x1f3fb && r <= 0x1f3ff) || r == 0x20e3
}

// joiningScripts are the scripts whose spelling uses ZWJ and ZWNJ between
// letters (Persian and Urdu, the Indic scripts, Sinhala, Khmer, Mongolian…).
var joiningScripts = []*unicode.RangeTable{
	unicode.Arabic, unicode.Syriac, unicode.Nko, unicode.Mongolian,
	unicode.Devanagari, unicode.Bengali, unicode.Gurmukhi, unicode.Gujarati, unicode.Oriya,
	unicode.Tamil, unicode.Telugu, unicode.Kannada, unicode.Malayalam, unicode.Sinhala,
	unicode.Khmer, unicode.Myanmar, unicode.Tibetan,
}

func joinsScript(prev, next rune) bool {
	if prev < 0x600 || next < 0x600 || !isLetterOrMark(prev) || !isLetterOrMark(next) {
		return false
	}
	for _, s := range joiningScripts {
		if unicode.Is(s, prev) && unicode.Is(s, next) {
			return true
		}
	}
	return false
}

func isLetterOrMark(r rune) bool { return unicode.In(r, unicode.L, unicode.M) && !visible.Hidden(r) }

// evidence is the line as the reviewer sees it in the diff, markers and all.
func evidence(s string) string {
	if len(s) > maxEvidence {
		cut := maxEvidence
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return visible.Line(s)
}
