package hidden

import (
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

func tags(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(0xe0000 + r)
	}
	return b.String()
}

const before = "package main\n\nfunc main() {\n}\n"

// added puts line into main() of a Go file.
func added(line string) string {
	return "package main\n\nfunc main() {\n" + line + "\n}\n"
}

func TestDetect(t *testing.T) {
	type want struct {
		rule, severity string
		has            []string // substrings of the message
	}
	tests := []struct {
		name  string
		path  string
		after string
		want  []want
	}{
		{"zero width space", "main.go", added("\tif user == \"admin\u200b\" {"),
			[]want{{RuleHidden, "critical", []string{"U+200B ZERO WIDTH SPACE", "draws nothing"}}}},
		{"word joiner", "main.go", added("\tx := a\u2060b"),
			[]want{{RuleHidden, "critical", []string{"U+2060 WORD JOINER"}}}},
		{"bom mid-line", "main.go", added("\tok := check()\ufeff"),
			[]want{{RuleHidden, "critical", []string{"U+FEFF ZERO WIDTH NO-BREAK SPACE"}}}},
		{"tags spelling rm -rf ~", "main.go", added("\t// harmless" + tags("rm -rf ~")),
			[]want{{RuleHidden, "critical", []string{`8 tag characters U+E0072…U+E007E spell "rm -rf ~" and draw nothing (ASCII smuggling)`}}}},
		{"variation selector", "main.go", added("\ts := \"a\ufe01\U000e0105\""),
			[]want{{RuleHidden, "critical", []string{"U+FE01 VARIATION SELECTOR-2", "U+E0105 VARIATION SELECTOR-22", "hidden payload"}}}},
		{"hangul filler identifier", "app.js", "const \u3164 = require('child_process');\n",
			[]want{{RuleHidden, "critical", []string{"U+3164 HANGUL FILLER", "invisible name"}}}},
		{"right-to-left override", "main.go", added("\tisAdmin := false /*\u202e } \u2066if isAdmin\u2069 \u2066 begin admins only */"),
			[]want{{RuleBidi, "critical", []string{
				"U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE and U+2069 POP DIRECTIONAL ISOLATE reorder the text the reviewer sees (Trojan Source, CVE-2021-42574)"}}}},
		{"one override", "main.go", added("\taccess := \"user\u202e\" // ok"),
			[]want{{RuleBidi, "critical", []string{"U+202E RIGHT-TO-LEFT OVERRIDE reorders the text the reviewer sees (Trojan Source, CVE-2021-42574)"}}}},
		{"bidi and hidden on one line", "config.yaml", "key: \"v\u200f\u200b\"\n",
			[]want{{RuleBidi, "critical", []string{"U+200F RIGHT-TO-LEFT MARK"}}, {RuleHidden, "critical", []string{"U+200B"}}}},
		{"line separator", "index.js", "// note\u2028alert(1)\n",
			[]want{{RuleHidden, "critical", []string{"U+2028 LINE SEPARATOR", "ends a line"}}}},
		{"soft hyphen in yaml", "deploy.yaml", "image: reg\u00adistry/app\n",
			[]want{{RuleHidden, "critical", []string{"U+00AD SOFT HYPHEN"}}}},
		{"bidi in docs still critical", "README.md", "see \u202eevil\n",
			[]want{{RuleBidi, "critical", nil}}},
		{"doubled selector after emoji", "main.go", added("\tmsg := \"⚠\ufe0f\ufe0f\""),
			[]want{{RuleHidden, "critical", []string{"U+FE0F"}}}},
		{"tags not a flag", "main.go", added("\ts := \"\U0001f3f4" + tags("GB-ENG") + "\U000e007f\""),
			[]want{{RuleHidden, "critical", []string{`spell "GB-ENG<U+E007F>"`}}}},
		{"emoji selector in code", "main.go", added("\tfmt.Println(\"⚠\ufe0f careful\")"),
			nil}, // an emoji, a flag, a joined script: drawn, not hidden
		{"zwj emoji in code", "main.go", added("\tdev := \"👩\u200d💻\""),
			nil}, // an emoji, a flag, a joined script: drawn, not hidden
		{"flag tag sequence in code", "main.go", added("\tflag := \"\U0001f3f4" + tags("gbeng") + "\U000e007f\""),
			nil}, // an emoji, a flag, a joined script: drawn, not hidden
		{"persian zwnj in code", "i18n.go", "package i18n\n\nconst fa = \"می\u200cخواهم\"\n",
			nil}, // an emoji, a flag, a joined script: drawn, not hidden
		{"zwj between latin letters", "main.go", added("\tad\u200dmin := true"),
			[]want{{RuleHidden, "critical", []string{"U+200D ZERO WIDTH JOINER draws nothing"}}}},
		{"keycap", "main.go", added("\tone := \"1\ufe0f\u20e3\""),
			nil}, // an emoji, a flag, a joined script: drawn, not hidden

		// Negatives: ordinary non-ASCII text is no finding.
		{"accents", "main.go", added("\t// Déjà vu: la requête échoue"), nil},
		{"cjk", "main.go", added("\tgreeting := \"你好，世界 こんにちは 안녕하세요\""), nil},
		{"emoji without selector", "main.go", added("\tfmt.Println(\"ship it 🚀 ✅\")"), nil},
		{"arabic without joiners", "main.go", added("\ts := \"مرحبا بالعالم\""), nil},
		{"nbsp and em dash", "main.go", added("\t// a\u00a0b — c"), nil},
		{"emoji selector in docs", "docs/guide.md", "# Warning ⚠\ufe0f\n", nil},
		{"zwj emoji in markdown", "README.md", "team 👩\u200d💻\n", nil},
		{"ascii only", "main.go", added("\tprintln(\"hi\")"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := before
			if !strings.HasSuffix(tt.path, ".go") || tt.path == "i18n.go" {
				b = surfacetest.Absent
			}
			c := surfacetest.Change(t, tt.path, b, tt.after)
			got := New().Detect(c)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d findings, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				f := got[i]
				if f.Rule != w.rule || f.Severity != w.severity || f.Category != "policy" || f.Side != surface.SideNew {
					t.Errorf("finding %d: %s %s %s %s, want %s %s policy new", i, f.Rule, f.Severity, f.Category, f.Side, w.rule, w.severity)
				}
				for _, h := range w.has {
					if !strings.Contains(f.Message, h) {
						t.Errorf("finding %d: message %q lacks %q", i, f.Message, h)
					}
				}
				if f.Line == 0 || f.EndLine != f.Line {
					t.Errorf("finding %d: line %d-%d", i, f.Line, f.EndLine)
				}
				if strings.ContainsAny(f.Evidence, "\u200b\u202e\u2066\u3164\ufeff") || !strings.Contains(f.Evidence, "<U+") {
					t.Errorf("finding %d: evidence %q is not made visible", i, f.Evidence)
				}
				if strings.ContainsRune(f.Message, '\n') {
					t.Errorf("finding %d: message is not one line", i)
				}
			}
		})
	}
}

func TestLineNumbersAndRemovals(t *testing.T) {
	old := "package main\n\nvar a = \"x\u200b\"\nvar b = 1\n"
	neu := "package main\n\nvar b = 1\nvar c = 2\nvar d = \"\u202e\"\n"
	got := New().Detect(surfacetest.Change(t, "main.go", old, neu))
	if len(got) != 1 || got[0].Rule != RuleBidi || got[0].Line != 5 {
		t.Fatalf("want one bidi finding on line 5 (the removed U+200B is none): %+v", got)
	}
}

func TestMessages(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\u202eb", "U+202E RIGHT-TO-LEFT OVERRIDE reorders the text the reviewer sees (Trojan Source, CVE-2021-42574)"},
		{"x" + tags("id") + " y" + tags("ls"), `2 tag characters U+E0069…U+E0064 spell "id" and draw nothing (ASCII smuggling); 2 tag characters U+E006C…U+E0073 spell "ls" and draw nothing (ASCII smuggling)`},
		{"\u200b\u2060\u3164", "U+200B ZERO WIDTH SPACE and U+2060 WORD JOINER draw nothing: they can hide code or make look-alike names differ; U+3164 HANGUL FILLER is a blank letter that can serve as an invisible name"},
		{"\u2065", "U+2065 (unassigned, default-ignorable) draws nothing: it can hide code or make look-alike names differ"},
	}
	for _, tt := range tests {
		got := Check(tt.in)
		if len(got) != 1 || got[0].Message != tt.want {
			t.Errorf("Check(%q) = %+v\nwant message %q", tt.in, got, tt.want)
		}
	}
}

func TestMessageBounded(t *testing.T) {
	line := strings.Repeat("a\u200bb\u200cc\u2060d\ufeffe\u180e\u034f", 20)
	got := Check(line)
	if len(got) != 1 || !strings.Contains(got[0].Message, "and 3 more") {
		t.Fatalf("%+v", got)
	}
}

// TestScanner runs the detector the way a session does, with the path
// rules of surface.Scanner.
func TestScanner(t *testing.T) {
	cs := surfacetest.Changes(t, map[string][2]string{
		"main.go":          {before, added("\tx := 1 // \u202e")},
		"main_test.go":     {surfacetest.Absent, "package main\n\nvar s = \"\u200b\"\n"},
		"docs/intro.md":    {surfacetest.Absent, "Note ⚠\ufe0f\n"},
		"internal/flag.go": {surfacetest.Absent, "package internal\n\nvar warn = \"⚠\ufe0f\"\n"},
	})
	got := surface.NewScanner(New()).Scan(cs)
	sum := map[string]string{}
	for _, f := range got {
		sum[f.File] = f.Rule + " " + f.Severity
	}
	want := map[string]string{
		"main.go":      RuleBidi + " critical",
		"main_test.go": RuleHidden + " critical", // tests run in CI: hidden code there is code
	}
	if len(sum) != len(want) {
		t.Fatalf("got %v, want %v", sum, want)
	}
	for k, v := range want {
		if sum[k] != v {
			t.Errorf("%s: got %q, want %q", k, sum[k], v)
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("x\u202e\u200b" + tags("rm -rf ~") + "⚠\ufe0f👩\u200d💻\U0001f3f4" + tags("gbeng") + "\U000e007f")
	f.Add("\U000e0041")
	f.Fuzz(func(t *testing.T, s string) {
		for _, fd := range Check(s) {
			if fd.Message == "" || strings.ContainsAny(fd.Message, "\n\x1b") || fd.Category != "policy" {
				t.Fatalf("bad finding %+v", fd)
			}
			for _, r := range fd.Message {
				if r < 0x20 || (r >= 0x7f && r < 0xa0) {
					t.Fatalf("control %U in message %q", r, fd.Message)
				}
			}
		}
	})
}

// BenchmarkDetect measures a 2,000-line added file: ASCII Go, then Go with
// comments in French and Japanese (no finding either way).
func BenchmarkDetect(b *testing.B) {
	for _, tc := range []struct{ name, line string }{
		{"ascii", "\tif err := s.store.Put(ctx, key, value); err != nil { return fmt.Errorf(\"put: %w\", err) }"},
		{"non-ascii", "\tx := compute(y) // Déjà calculé ici; 日本語のコメント"},
	} {
		c := surfacetest.Change(b, "big.go", surfacetest.Absent, "package big\n\nfunc f() {\n"+strings.Repeat(tc.line+"\n", 2000)+"}\n")
		d := New()
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if len(d.Detect(c)) != 0 {
					b.Fatal("finding")
				}
			}
		})
	}
}
