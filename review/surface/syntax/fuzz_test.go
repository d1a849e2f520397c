package syntax

import (
	"testing"
)

// FuzzParse feeds hostile text to every grammar: Parse must return, every
// span must lie inside the source, and the views must keep its length and
// its newlines.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"import * as cp from 'child_process'; cp.exec(`a ${b}`);",
		"const { a: b } = require('m'); b(/x'/g);",
		"from a import b as c\nc(f\"{x}\", shell=True)\n",
		"s = <<~EOS\n  #{x}\nEOS\n",
		"let r = r#\"x\"#; /* /* */ */",
		"<?php $a = <<<EOT\n{$b}\nEOT;\n",
		"var s = $@\"{a}\"\"\";",
		"\"\"\"", "`${", "((((((((", "\x00\xff\xfe",
	} {
		f.Add(s)
	}
	langs := []Lang{JavaScript, TypeScript, TSX, Python, Java, Ruby, Rust, PHP, CSharp}
	f.Fuzz(func(t *testing.T, src string) {
		for _, l := range langs {
			file, err := Parse(l, []byte(src))
			if err != nil {
				if err != ErrTooLarge && err != ErrTooDeep && err != ErrTimeout {
					t.Fatalf("%s: %v", l, err)
				}
				continue
			}
			for _, c := range file.Calls {
				if c.Start < 0 || c.End > len(src) || c.Start > c.End || c.Line < 1 || c.EndLine < c.Line {
					t.Fatalf("%s: call %+v outside the source", l, c)
				}
			}
			for _, s := range file.Strings {
				if s.Start < 0 || s.End > len(src) || s.Start > s.End {
					t.Fatalf("%s: string %+v outside the source", l, s)
				}
			}
			code, text := file.Views()
			if len(code) != len(src) || len(text) != len(src) {
				t.Fatalf("%s: views change the length", l)
			}
			for i := range src {
				if (src[i] == '\n') != (code[i] == '\n') || (src[i] == '\n') != (text[i] == '\n') {
					t.Fatalf("%s: views move a newline at %d", l, i)
				}
			}
		}
	})
}
