package hclconfig

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestParse(t *testing.T) {
	body, err := Parse([]byte("b = <<-EOT\n  x\n  EOT\na = \"q\\\"\"\nc = \"${var.x}\"\nblock \"l\" {}\n"), "x.tf")
	if err != nil {
		t.Fatal(err)
	}
	attrs := Attributes(body)
	if len(attrs) != 3 || attrs[0].Name != "b" || attrs[1].Name != "a" || attrs[2].Name != "c" {
		t.Fatalf("attributes not in source order: %v", attrs)
	}
	if s, ok := String(attrs[0].Expr); !ok || s != "x\n" || EndLine(attrs[0].SrcRange) != 3 {
		t.Errorf("heredoc %q %v end %d", s, ok, EndLine(attrs[0].SrcRange))
	}
	if s, ok := String(attrs[1].Expr); !ok || s != `q"` {
		t.Errorf("quoted %q %v", s, ok)
	}
	if _, ok := String(attrs[2].Expr); ok {
		t.Errorf("an interpolation is not a literal")
	}
	if _, err := Parse([]byte("a = [\n"), "x.tf"); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("invalid HCL: %v", err)
	}
}

// TestGuard feeds the shapes that overflow hclsyntax's recursive descent:
// each must be refused before the parser sees it (a stack overflow is fatal
// to the whole process, past any recover).
func TestGuard(t *testing.T) {
	for _, src := range []string{
		"a = " + strings.Repeat("[", 100000), "a = " + strings.Repeat("(", 100000) + "1",
		"a = " + strings.Repeat("-", 100000) + "1", "a = " + strings.Repeat("!", 100000) + "true",
		"a = " + strings.Repeat("x ? y : ", 100000) + "z", "a = \"" + strings.Repeat("${\"", 50000),
		strings.Repeat("b {\n", 10000), "a = (\n" + strings.Repeat("-\n", 1000) + "1)",
	} {
		if _, err := Parse([]byte(src), "x.tf"); !errors.Is(err, ErrTooComplex) {
			t.Errorf("%.20q…: err %v", src, err)
		}
	}
	// Ordinary depth and operators pass.
	ok := "locals {\n  a = { b = [for x in var.y : { c = x > 0 ? -x : !x }] }\n  d = 1 + 2 - -3\n}\n"
	if _, err := Parse([]byte(ok), "x.tf"); err != nil {
		t.Errorf("ordinary file refused: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"a = 1\n", "b \"l\" {\n  c = [1, {d = \"${e}\"}]\n}\n", "x = <<EOF\ny\nEOF\n", "a = [[[[", "a = - - - 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		body, err := Parse([]byte(src), "x.tf")
		if err == nil && body == nil {
			t.Fatal("nil body without error")
		}
		// The cheap guard never sees less nesting than hclsyntax's tokens.
		// (A limit of 3 lets small inputs reach it.)
		if guardDepth([]byte(src), 3) == nil {
			if d := tokenDepth([]byte(src)); d > 3 {
				t.Fatalf("guard passed a token depth of %d", d)
			}
		}
	})
}

// tokenDepth is the deepest nesting of hclsyntax's own tokens: the oracle
// for the guard.
func tokenDepth(src []byte) int {
	toks, _ := hclsyntax.LexConfig(src, "x.tf", hcl.InitialPos)
	depth, deepest := 0, 0
	for _, t := range toks {
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOQuote,
			hclsyntax.TokenOHeredoc, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			depth++
			deepest = max(deepest, depth)
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCQuote,
			hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			depth = max(depth-1, 0)
		}
	}
	return deepest
}

func TestGuardAgainstTokens(t *testing.T) {
	for _, src := range []string{
		"a = \"" + strings.Repeat("${\"", 40) + "x" + strings.Repeat("\"}", 40) + "\"\n",
		"a = <<EOF\n" + strings.Repeat("${[", 40) + "\nEOF\n",
		strings.Repeat("[\")\"", 100), strings.Repeat("[}", 100) + strings.Repeat("[", 70),
		"# " + strings.Repeat("[", 100) + "\na = 1\n", "a = \"" + strings.Repeat("[", 100) + "\"\n",
	} {
		err, d := guard([]byte(src)), tokenDepth([]byte(src))
		if err == nil && d > maxDepth {
			t.Errorf("%.30q: guard passed a token depth of %d", src, d)
		}
	}
}
