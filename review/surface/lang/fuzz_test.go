package lang

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/surface"
)

var allSyntaxes = []*lexer{syntaxJS, syntaxPython, syntaxJava, syntaxCSharp, syntaxRuby, syntaxPHP, syntaxRust}

func TestMask(t *testing.T) {
	for _, tc := range []struct {
		syn             *lexer
		src, code, text string
	}{
		{syntaxJS, "a('x') // c\n", "a(' ')     \n", "a('x')     \n"},
		{syntaxJS, "`a${b('c')}d`", "` ${b(' ')} `", "`a${b('c')}d`"},
		{syntaxJS, "/* x\ny */z", "    \n    z", "    \n    z"},
		{syntaxJS, "x = /'/.test(s) + 'q'", "x = / /.test(s) + ' '", "x = /'/.test(s) + 'q'"},
		{syntaxPython, "s = '''a\n#b'''  # c", "s = ''' \n  '''     ", "s = '''a\n#b'''     "},
		{syntaxPython, "f\"{x}\" 'it''s'", "f\"   \" '  '' '", "f\"{x}\" 'it''s'"},
		{syntaxRuby, "=begin\nx\n=end\ny # z", "      \n \n    \ny    ", "      \n \n    \ny    "},
		{syntaxRuby, "q = <<~SQL\n  a\nSQL\nb", "q = <<~SQL\n   \nSQL\nb", "q = <<~SQL\n  a\nSQL\nb"},
		{syntaxPHP, "#[Route('/x')]\n# c\n$a", "#[Route('  ')]\n   \n$a", "#[Route('/x')]\n   \n$a"},
		{syntaxCSharp, `@"a""b" + "c"`, `@"    " + " "`, `@"a""b" + "c"`},
		{syntaxRust, "fn f<'a>(c: char) { r#\"x\"# ; 'q' } /* /* */ */", "fn f<'a>(c: char) { r#\" \"# ; ' ' }            ", "fn f<'a>(c: char) { r#\"x\"# ; 'q' }            "},
	} {
		code, text := mask([]byte(tc.src), tc.syn)
		if string(code) != tc.code || string(text) != tc.text {
			t.Errorf("mask(%q)\n code %q want %q\n text %q want %q", tc.src, code, tc.code, text, tc.text)
		}
	}
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{"a('x') // c\n", "`a${b(`c${d}`)}e`", "'''x\n'''", "<<~A\nb\nA\n", "<<<'X'\ny\nX;", "r##\"a\"#\"##", "'\\u{1F600}'", "@$\"{x}\"\"\"", "=begin\n=end", "/[/]/.x", "/* /* */"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, src string, which uint8) {
		syn := allSyntaxes[int(which)%len(allSyntaxes)]
		code, text := mask([]byte(src), syn)
		if len(code) != len(src) || len(text) != len(src) {
			t.Fatalf("length changed: %d %d %d", len(src), len(code), len(text))
		}
		if bytes.Count(code, []byte("\n")) != strings.Count(src, "\n") || bytes.Count(text, []byte("\n")) != strings.Count(src, "\n") {
			t.Fatalf("line count changed")
		}
		for i := range src {
			if (src[i] == '\n') != (code[i] == '\n') || (src[i] == '\n') != (text[i] == '\n') {
				t.Fatalf("newline moved at %d", i)
			}
		}
	})
}

// changeOf builds a Change without git: every line of after is added and
// every line of before removed, which is the worst case for the rules.
func changeOf(p, before, after string) *surface.Change {
	f := &diff.File{OldPath: p, NewPath: p, Status: diff.StatusModified}
	var h diff.Hunk
	if before != "" {
		for i, l := range strings.Split(before, "\n") {
			h.Lines = append(h.Lines, diff.Line{Kind: diff.LineDeleted, Text: l, OldNo: i + 1})
		}
	}
	for i, l := range strings.Split(after, "\n") {
		h.Lines = append(h.Lines, diff.Line{Kind: diff.LineAdded, Text: l, NewNo: i + 1})
	}
	f.Hunks = []diff.Hunk{h}
	c := &surface.Change{File: f, After: []byte(after)}
	if before != "" {
		c.Before = []byte(before)
	}
	return c
}

func FuzzDetect(f *testing.F) {
	f.Add("src/a.js", "", "app.get('/x', h); exec(`a ${b}`) // c")
	f.Add("app/v.py", "@login_required\ndef v(): pass", "cursor.execute(f\"SELECT * FROM t WHERE a = {x}\")")
	f.Add("config/routes.rb", "", "post '/x', to: 'a#b'\n`ls`")
	f.Add("a.php", "<?php", "<?php\n$x = <<<EOT\nsystem()\nEOT;\nshell_exec($y);")
	f.Add("src/a.rs", "", "unsafe { r#\"x\"# }")
	f.Add("A.cs", "[Authorize]", "[HttpGet(\"x\")] @\"a\"\"b\"")
	f.Add("src/app.ts", "import express from 'express';\napp.get('/a', requireAuth, h);\nres.status(401).end();\n",
		"import express from 'express';\napp\n  .get('/a', h);\nprogram\n  .command('x')\n  .option('-y, --yolo');\n")
	f.Add("app/main.py", "from fastapi import Depends\n@app.get('/me')\ndef me(u = Depends(get_current_user)):\n    pass\n",
		"@app.get('/me')\ndef me():\n    raise HTTPException(status_code=401)\n@mcp.tool()\n")
	f.Fuzz(func(t *testing.T, p, before, after string) {
		if languageOf(p) == nil {
			p += ".js"
		}
		c := changeOf(p, before, after)
		for _, fd := range New().Detect(c) {
			if fd.Line < 1 || fd.Category == "" || fd.Rule == "" || fd.Severity == "" || strings.ContainsAny(fd.Message, "\n\r") {
				t.Fatalf("bad finding %+v", fd)
			}
		}
	})
}

func BenchmarkDetectJS(b *testing.B) {
	var src strings.Builder
	for i := 0; src.Len() == 0 || strings.Count(src.String(), "\n") < 2000; i++ {
		fmt.Fprintf(&src, `// handler %d: see https://example.com/docs
router.get('/items/%d', requireAuth, async (req, res) => {
  const rows = await db.query('SELECT * FROM items WHERE id = $1', [req.params.id]);
  const label = `+"`item ${rows[0].name} #%d`"+`;
  if (/^[a-z]+\/\d+$/.test(label)) { console.log('ok', label); }
  res.json({ label, n: rows.length / 2 });
});
`, i, i, i)
	}
	lines := strings.Split(src.String(), "\n")
	after := strings.Join(lines[:2000], "\n")
	c := changeOf("src/routes.js", "", after)
	d := New()
	b.SetBytes(int64(len(after)))
	b.ResetTimer()
	for b.Loop() {
		d.Detect(c)
	}
}

// TestPrefilterSound checks that the literal prefilter never hides a match:
// every line of the corpus that a rule's regexp matches passes its filter.
func TestPrefilterSound(t *testing.T) {
	prepareOnce.Do(prepareRules)
	for _, l := range languages {
		if len(l.rules) == 0 {
			t.Fatalf("%s has no rules", l.id)
		}
	}
	paths, _ := filepath.Glob("../testdata/corpus/lang-*.txtar")
	if len(paths) == 0 {
		t.Fatal("no corpus files")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			for _, l := range languages {
				code, text := mask([]byte(line), l.syn)
				for _, s := range []string{line, string(code), string(text)} {
					for i := range l.rules {
						r := &l.rules[i]
						if r.re.MatchString(s) && !r.mayMatch(strings.ToLower(s)) {
							t.Errorf("%s: prefilter %q hides a match in %q", r.id, r.lits, s)
						}
					}
				}
			}
		}
	}
}
