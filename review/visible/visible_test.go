package visible

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "hello world", "hello world"},
		{"esc title", "\x1b]0;pwned\x07", "␛]0;pwned␇"},
		{"clear screen", "a\x1b[2Jb", "a␛[2Jb"},
		{"carriage return", "line\r", "line␍"},
		{"newline", "a\nb", "a␊b"},
		{"del", "x\x7fy", "x␡y"},
		{"c1 csi", "a\u009bb", `a\u009bb`},
		{"invalid utf8", "a\xffb", `a\xffb`},
		{"bidi override", "admin\u202e", "admin<U+202E>"},
		{"unicode kept", "héllo ✓", "héllo ✓"},
		{"osc52 clipboard", "\x1b]52;c;ZXZpbA==\x07", "␛]52;c;ZXZpbA==␇"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := String(tt.in)
			if got != tt.want {
				t.Fatalf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for _, r := range got {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
					t.Fatalf("control character %U left in %q", r, got)
				}
			}
		})
	}
}

func TestLineExpandsTabs(t *testing.T) {
	if got := Line("\tx\ty"); got != "    x   y" {
		t.Fatalf("got %q", got)
	}
	if got := Line("a\t\x1b"); got != "a   ␛" {
		t.Fatalf("got %q", got)
	}
}

func FuzzString(f *testing.F) {
	f.Add("\x1b[31mred\x1b[0m")
	f.Add("a\tb\r\n\xff\u202e")
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{String(s), Line(s), strings.Join(Lines(s), "")} {
			for _, r := range out {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || Hidden(r) || Bidi(r) {
					t.Fatalf("control %U survived in %q", r, out)
				}
			}
		}
	})
}

func FuzzHidden(f *testing.F) {
	f.Add("ok\U000e0072\U000e006d\u3164\u200b\ufe0f\u202e")
	f.Fuzz(func(t *testing.T, s string) {
		out := String(s)
		for _, r := range out {
			if Hidden(r) {
				t.Fatalf("hidden %U survived in %q", r, out)
			}
		}
		if String(out) != out {
			t.Fatalf("String is not idempotent on %q", s)
		}
	})
}
