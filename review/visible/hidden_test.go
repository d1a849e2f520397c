package visible

import (
	"strings"
	"testing"
	"unicode"
)

func TestStringShowsHidden(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"zero width space", "pass\u200bword", "pass<U+200B>word"},
		{"word joiner", "a\u2060b", "a<U+2060>b"},
		{"bom mid-line", "x = 1\ufeff", "x = 1<U+FEFF>"},
		{"soft hyphen", "ad\u00admin", "ad<U+00AD>min"},
		{"tags spelling rm -rf ~", "ok" + tags("rm -rf ~"), "ok<U+E0072><U+E006D><U+E0020><U+E002D><U+E0072><U+E0066><U+E0020><U+E007E>"},
		{"cancel tag", "\U000e007f", "<U+E007F>"},
		{"variation selector", "a\ufe0fb", "a<U+FE0F>b"},
		{"supplementary variation selector", "x\U000e0100", "x<U+E0100>"},
		{"mongolian variation selector", "\u180b", "<U+180B>"},
		{"hangul filler identifier", "const \u3164 = 1", "const <U+3164> = 1"},
		{"hangul choseong filler", "\u115f\u1160", "<U+115F><U+1160>"},
		{"halfwidth hangul filler", "\uffa0", "<U+FFA0>"},
		{"braille blank", "\u2800", "<U+2800>"},
		{"combining grapheme joiner", "a\u034fb", "a<U+034F>b"},
		{"mongolian vowel separator", "\u180e", "<U+180E>"},
		{"zwj zwnj", "\u200d\u200c", "<U+200D><U+200C>"},
		{"lrm rlm alm", "\u200e\u200f\u061c", "<U+200E><U+200F><U+061C>"},
		{"isolates", "\u2066\u2067\u2068\u2069", "<U+2066><U+2067><U+2068><U+2069>"},
		{"line separator", "a\u2028b\u2029", "a<U+2028>b<U+2029>"},
		{"invisible operators", "f\u2061x\u2062y\u2063z\u2064", "f<U+2061>x<U+2062>y<U+2063>z<U+2064>"},
		{"unassigned default ignorable", "\u2065\U000e0fff", "<U+2065><U+E0FFF>"},
		{"interlinear annotation", "\ufff9", "<U+FFF9>"},
		{"accents kept", "café naïve Ångström", "café naïve Ångström"},
		{"cjk kept", "漢字かなカナ한국어", "漢字かなカナ한국어"},
		{"emoji kept", "ship it 🚀 ✓", "ship it 🚀 ✓"},
		{"emoji with selector shown", "⚠\ufe0f", "⚠<U+FE0F>"},
		{"nbsp kept", "a\u00a0b", "a\u00a0b"},
		{"arabic kept", "مرحبا", "مرحبا"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := String(tt.in); got != tt.want {
				t.Fatalf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := Line(tt.in); got != tt.want {
				t.Fatalf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := Text(tt.in); got != tt.want {
				t.Fatalf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func tags(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(0xe0000 + r)
	}
	return b.String()
}

func TestDefaultIgnorableDerivation(t *testing.T) {
	// Members and non-members from DerivedCoreProperties.txt.
	in := []rune{0x00ad, 0x034f, 0x061c, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180b, 0x180e, 0x180f,
		0x200b, 0x200f, 0x202a, 0x202e, 0x2060, 0x206f, 0x3164, 0xfe00, 0xfe0f, 0xfeff, 0xffa0,
		0xfff0, 0xfff8, 0x1bca0, 0x1bca3, 0x1d173, 0x1d17a, 0xe0000, 0xe0001, 0xe007f, 0xe0100, 0xe01ef, 0xe0fff}
	out := []rune{'a', ' ', 0x00a0, 0x0600, 0x0605, 0x06dd, 0x070f, 0x110bd, 0xfff9, 0xfffb, 0x13430,
		0x13438, 0x2800, 0x2028, 0x1680, 0x3000}
	for _, r := range in {
		if !unicode.Is(defaultIgnorable, r) {
			t.Errorf("%U should be Default_Ignorable_Code_Point", r)
		}
	}
	for _, r := range out {
		if unicode.Is(defaultIgnorable, r) {
			t.Errorf("%U is not Default_Ignorable_Code_Point", r)
		}
	}
}

func TestPredicates(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if Bidi(r) != unicode.Is(unicode.Bidi_Control, r) {
			t.Fatalf("Bidi(%U) disagrees with Bidi_Control", r)
		}
		if Bidi(r) && !Hidden(r) {
			t.Fatalf("bidi control %U is not Hidden", r)
		}
		if (unicode.Is(unicode.Cf, r) || unicode.Is(defaultIgnorable, r) || Tag(r) || VariationSelector(r) || Filler(r)) && !Hidden(r) {
			t.Fatalf("%U should be Hidden", r)
		}
		if Hidden(r) && unicode.IsPrint(r) && !unicode.Is(unicode.Lo, r) && !unicode.Is(unicode.So, r) && !unicode.Is(unicode.Mn, r) {
			t.Fatalf("%U is Hidden but a printable %v character", r, r)
		}
	}
	for _, r := range []rune{'a', 'é', '漢', '🚀', 0x00a0, 0x0300} {
		if Hidden(r) || Bidi(r) {
			t.Errorf("%U flagged", r)
		}
	}
}

var benchText = map[string]string{
	"ascii":  strings.Repeat("func (s *Server) handle(w http.ResponseWriter, r *http.Request) {", 4),
	"latin":  strings.Repeat("// Déjà vu: la requête échoue quand l'entête est vide. ", 4),
	"cjk":    strings.Repeat("日本語のコメントがここにあります。中文注释。", 8),
	"hidden": strings.Repeat("if isAdmin\u202e {\u2066 // check\u2069 ", 8),
}

func BenchmarkString(b *testing.B) {
	for _, name := range []string{"ascii", "latin", "cjk", "hidden"} {
		s := benchText[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				String(s)
			}
		})
	}
}
