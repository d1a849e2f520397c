package ui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/vouch-review/vouch/review/visible"
)

// hostileChecklist is a checklist as a repository could write it: links of
// every kind, raw HTML, raw and entity-encoded escape sequences, bidi and
// zero-width characters.
const hostileChecklist = "# Review \x1b]0;pwned\x07 &#x1b;]0;title&#7;\n\n" +
	"Read [the guide](https://evil.example/steal?t=1 \"title\") and <https://auto.example/x>, or www.linkify.example.\n\n" +
	"![diagram](https://img.example/p.png)\n\n" +
	"- [ ] check the [token](https://evil.example/a%1b?q=&#x1b;[2J) handling\n" +
	"- [ ] raw ESC \x1b[2J and C1 \u009b2J and &#x9b;2J and &#155;\n" +
	"- [ ] bidi \u202eesrever&#x202E; and zero width a\u200bb &ZeroWidthSpace; &zwj; &shy; &lrm;\n" +
	"- [ ] tags " + "\U000e0072\U000e006d" + " and filler \u3164 and &amp; kept\n\n" +
	"<div onclick=\"x\">raw <a href=\"https://html.example/\">html</a> &#27;[8mconcealed&#27;[0m</div>\n\n" +
	"`code &#27;[31m` and\n\n```sh\necho \x1b]52;c;ZXZpbA==\x07 &#27;]8;;https://code.example/&#7;\n```\n\n" +
	"| a | b |\n|---|---|\n| [cell](https://table.example/) | &#x1b;[5m |\n"

func TestRenderMarkdownHostile(t *testing.T) {
	md := newMarkdown()
	for _, dark := range []bool{true, false} {
		for _, width := range []int{20, 60, 100} {
			lines, err := md.Render(hostileChecklist, width, dark)
			if err != nil {
				t.Fatal(err)
			}
			out := strings.Join(lines, "\n")
			assertOnlySGR(t, out)
			plain := ansi.Strip(out)
			for _, want := range []string{
				"the guide", "https://evil.example/steal?t=1", "https://auto.example/x", "https://img.example/p.png",
				"␛]0;pwned␇", "␛]0;title␇", "␛[2J", `\u009b2J`, "<U+202E>", "<U+200B>", "<U+200D>", "<U+00AD>", "<U+200E>",
				"<U+E0072><U+E006D>", "<U+3164>", "and & kept", "␛[8mconcealed", "␛]52;c;ZXZpbA==␇",
			} {
				if width == 100 && !strings.Contains(strings.Join(strings.Fields(plain), " "), want) {
					t.Errorf("width %d: %q missing from\n%s", width, want, plain)
				}
			}
		}
	}
}

func TestRenderMarkdownForCommand(t *testing.T) {
	out, err := RenderMarkdown(hostileChecklist, 80)
	if err != nil {
		t.Fatal(err)
	}
	assertOnlySGR(t, out)
	if !strings.Contains(ansi.Strip(out), "https://evil.example/steal?t=1") {
		t.Fatalf("link URL not shown:\n%s", ansi.Strip(out))
	}
}

// assertOnlySGR fails unless every escape sequence in out is SGR and no
// control, bidi or hidden character is left outside them.
func assertOnlySGR(t *testing.T, out string) {
	t.Helper()
	if strings.Contains(out, "\x1b]") {
		t.Fatalf("OSC sequence in output: %q", out)
	}
	rest := out
	for len(rest) > 0 {
		i := strings.IndexByte(rest, 0x1b)
		if i < 0 {
			checkText(t, rest)
			break
		}
		checkText(t, rest[:i])
		seq, _, n, _ := ansi.DecodeSequence(rest[i:], ansi.NormalState, nil)
		if !isSGR(seq) || n != len(seq) {
			t.Fatalf("non-SGR sequence %q in output", seq)
		}
		rest = rest[i+n:]
	}
}

func checkText(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r < 0xa0) || visible.Hidden(r) {
			t.Fatalf("%U left in rendered text %q", r, s)
		}
	}
}

func TestKeepSGR(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\x1b[38;5;252mtext\x1b[m", "\x1b[38;5;252mtext\x1b[m"},
		{"\x1b]8;id=1;https://x.example/\alink\x1b]8;;\a", "link"},
		{"\x1b]8;;https://x.example/\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"a\x1b[2Jb\x1b[?1049hc\x1b[5;5Hd", "abcd"},
		{"\x1bPq#0;2;0;0;0\x1b\\img", "img"},
		{"x\u202ey\u200bz\u009b", "x<U+202E>y<U+200B>z\\u009b"},
		{"tab\there\r", "tab    here␍"},
		{"line\nnext", "line\nnext"},
		{"\x1b[1;31;4m", "\x1b[1;31;4m"},
		{"\x1b[38:2::1:2:3m", "\x1b[38:2::1:2:3m"},
		{"\x1b[>4;2m", ""},
		{"\x1b", ""},
	}
	for _, tt := range tests {
		if got := keepSGR(tt.in); got != tt.want {
			t.Errorf("keepSGR(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSafeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a &#27;[2J b", "a ␛[2J b"},
		{"&#x1B;&#X1b;", "␛␛"},
		{"&#x202e;&#8238;", "<U+202E><U+202E>"},
		{"&ZeroWidthSpace;&NoBreak;&zwnj;", "<U+200B><U+2060><U+200C>"},
		{"&amp; &lt;b&gt; &copy; &#233; &#x41;", "&amp; &lt;b&gt; &copy; &#233; &#x41;"},
		{"&unknown; & alone &#;", "&unknown; & alone &#;"},
		{"raw \x1b and \u200b", "raw ␛ and <U+200B>"},
	}
	for _, tt := range tests {
		if got := safeMarkdown(tt.in); got != tt.want {
			t.Errorf("safeMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzKeepSGR(f *testing.F) {
	f.Add("\x1b[31mred\x1b]8;;u\alink\x1b]8;;\a\x1b[0m")
	f.Add("\x1b\x1b[\x1b]\x1bP\u009b\u202e")
	f.Fuzz(func(t *testing.T, s string) {
		assertOnlySGR(t, keepSGR(s))
	})
}

func FuzzRenderMarkdown(f *testing.F) {
	f.Add(hostileChecklist)
	f.Add("[x](https://e.example/&#x1b;) <http://a.example> &#x9b;&#27;")
	md := newMarkdown()
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		lines, err := md.Render(s, 40, true)
		if err != nil {
			return
		}
		assertOnlySGR(t, strings.Join(lines, "\n"))
	})
}

func TestInlineMarkdown(t *testing.T) {
	plain := lipgloss.NewStyle()
	for in, want := range map[string]string{
		"Pinned by digest, not `latest`":              "Pinned by digest, not latest",
		"No **bypass** was added":                     "No bypass was added",
		"See [ASVS](https://example.com/asvs) V8.3.1": "See ASVS V8.3.1",
		"a lone ` and * and [x] stay":                 "a lone ` and * and [x] stay",
		"``":                                          "``",
	} {
		if got := ansi.Strip(inlineMarkdown(in, plain, plain)); got != want {
			t.Errorf("inlineMarkdown(%q) = %q, want %q", in, got, want)
		}
	}
	code := lipgloss.NewStyle().Foreground(lipgloss.Color("#ffff00"))
	got := inlineMarkdown("not `latest`", plain, code)
	if want := code.Render("latest"); !strings.Contains(got, want) {
		t.Errorf("code span not drawn in the code style: %q", got)
	}
}
