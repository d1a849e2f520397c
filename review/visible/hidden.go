package visible

import (
	"unicode"

	"golang.org/x/text/unicode/rangetable"
)

// defaultIgnorable is Unicode's derived property Default_Ignorable_Code_Point,
// which Go's unicode package does not carry. It is built from the definition
// in DerivedCoreProperties.txt (Unicode 15):
//
//	  Other_Default_Ignorable_Code_Point
//	+ Cf (format characters)
//	+ Variation_Selector
//	- White_Space
//	- FFF9..FFFB (interlinear annotation format characters)
//	- 13430..1343F (Egyptian hieroglyph format characters)
//	- Prepended_Concatenation_Mark (format characters that should be visible)
var defaultIgnorable = buildDefaultIgnorable()

func buildDefaultIgnorable() *unicode.RangeTable {
	var rs []rune
	rangetable.Visit(rangetable.Merge(unicode.Other_Default_Ignorable_Code_Point, unicode.Cf, unicode.Variation_Selector), func(r rune) {
		switch {
		case unicode.Is(unicode.White_Space, r),
			r >= 0xfff9 && r <= 0xfffb,
			r >= 0x13430 && r <= 0x1343f,
			unicode.Is(unicode.Prepended_Concatenation_Mark, r):
			return
		}
		rs = append(rs, r)
	})
	return rangetable.New(rs...)
}

// fillers are letters and symbols that draw nothing, used as invisible
// identifiers (const ㅤ = …): the Hangul fillers (also default-ignorable),
// the blank Braille pattern and the Khitan filler.
var fillers = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x115f, Hi: 0x1160, Stride: 1},
		{Lo: 0x2800, Hi: 0x2800, Stride: 1},
		{Lo: 0x3164, Hi: 0x3164, Stride: 1},
		{Lo: 0xffa0, Hi: 0xffa0, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x16fe4, Hi: 0x16fe4, Stride: 1},
	},
}

// hidden is everything Hidden reports, in one table so that the check is a
// single binary search. Tag characters (U+E0000–E007F) and the variation
// selectors (U+FE00–FE0F, U+E0100–E01EF, Mongolian U+180B–180F) are in
// Default_Ignorable already; U+2028 and U+2029 are added because editors and
// JavaScript end a line there while a terminal draws nothing.
var hidden = rangetable.Merge(
	defaultIgnorable,
	unicode.Cf,
	unicode.Variation_Selector,
	fillers,
	unicode.Zl,
	unicode.Zp,
	&unicode.RangeTable{R32: []unicode.Range32{{Lo: 0xe0000, Hi: 0xe007f, Stride: 1}}},
)

// Hidden reports whether r draws nothing (or nothing a reviewer would notice)
// yet is part of the text: a default-ignorable code point, a format
// character (Cf, bidi controls included), a tag character, a variation
// selector, a filler used as an invisible identifier, or a line or paragraph
// separator. Control characters (Cc) are not included: String handles them.
func Hidden(r rune) bool {
	switch {
	case r < 0xad, r > 0xad && r < 0x34f, r > 0x206f && r < 0x2800, r > 0x2800 && r < 0x3164, r > 0x3164 && r < 0xfe00:
		// Latin, Greek, Cyrillic, symbols, CJK and Hangul syllables hold
		// none (TestPredicates checks every code point).
		return false
	}
	return unicode.Is(hidden, r)
}

// Bidi reports whether r is a bidirectional control (Unicode's Bidi_Control
// property: ALM, LRM, RLM, the embeddings, overrides and isolates), which
// reorders how the text around it is drawn (Trojan Source, CVE-2021-42574).
func Bidi(r rune) bool {
	if r < 0x61c {
		return false
	}
	return unicode.Is(unicode.Bidi_Control, r)
}

// Tag reports whether r is a tag character (U+E0000–E007F): invisible
// copies of ASCII, able to spell a whole command no one sees.
func Tag(r rune) bool { return r >= 0xe0000 && r <= 0xe007f }

// VariationSelector reports whether r is a variation selector.
func VariationSelector(r rune) bool {
	return r >= 0x180b && unicode.Is(unicode.Variation_Selector, r)
}

// Filler reports whether r is one of the blank letters or symbols used as
// invisible identifiers (U+3164 HANGUL FILLER and the like).
func Filler(r rune) bool { return r >= 0x115f && unicode.Is(fillers, r) }
