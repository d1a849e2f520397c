// Package hclconfig parses HCL native syntax (Terraform, .terraform.lock.hcl)
// with hashicorp/hcl's own parser, behind a guard: hclsyntax descends
// recursively, and text nested a few hundred thousand levels deep would
// take the whole process down with a stack overflow that no recover
// catches. Text that nests deeper than any real configuration is refused
// before the parser sees it.
package hclconfig

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Limits on what is handed to the parser. Real configurations stay far
// below them: nesting of a dozen levels, a few conditionals per attribute.
const (
	maxSize      = 4 << 20
	maxDepth     = 64   // brackets, braces, parentheses, quotes, heredocs, ${…}
	maxUnaryRun  = 32   // consecutive - or ! operators
	maxQuestions = 2000 // conditionals in one file
)

// ErrTooComplex is returned for text the guard refuses.
var ErrTooComplex = errors.New("nested too deeply to parse safely")

// Parse parses a whole file. It fails on text that is not valid HCL (the
// first diagnostic says where) or that the guard refuses.
func Parse(src []byte, filename string) (*hclsyntax.Body, error) {
	if err := guard(src, filename); err != nil {
		return nil, err
	}
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				return nil, diagError(d)
			}
		}
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, errors.New("not HCL native syntax")
	}
	return body, nil
}

// diagError is a diagnostic as one line: where, what, why.
func diagError(d *hcl.Diagnostic) error {
	msg := d.Summary
	if d.Detail != "" {
		msg += ": " + strings.Join(strings.Fields(d.Detail), " ")
	}
	if d.Subject != nil {
		return fmt.Errorf("line %d: %s", d.Subject.Start.Line, msg)
	}
	return errors.New(msg)
}

// guard scans the tokens (the scanner is not recursive) for nesting that
// the parser would follow too deep.
func guard(src []byte, filename string) error {
	if len(src) > maxSize {
		return fmt.Errorf("larger than %d MiB", maxSize>>20)
	}
	toks, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	depth, unary, questions := 0, 0, 0
	for _, t := range toks {
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOQuote,
			hclsyntax.TokenOHeredoc, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if depth++; depth > maxDepth {
				return fmt.Errorf("line %d: %w", t.Range.Start.Line, ErrTooComplex)
			}
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCQuote,
			hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			depth = max(depth-1, 0)
		case hclsyntax.TokenQuestion:
			if questions++; questions > maxQuestions {
				return fmt.Errorf("line %d: %w", t.Range.Start.Line, ErrTooComplex)
			}
		}
		switch t.Type {
		case hclsyntax.TokenMinus, hclsyntax.TokenBang:
			if unary++; unary > maxUnaryRun {
				return fmt.Errorf("line %d: %w", t.Range.Start.Line, ErrTooComplex)
			}
		case hclsyntax.TokenNewline, hclsyntax.TokenComment:
		default:
			unary = 0
		}
	}
	return nil
}

// Attributes returns a body's attributes in source order (the parser keeps
// them in a map).
func Attributes(b *hclsyntax.Body) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(b.Attributes))
	for _, a := range b.Attributes {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SrcRange.Start.Byte < out[j].SrcRange.Start.Byte })
	return out
}

// String returns the text of a quoted string or heredoc without
// interpolations, escapes decoded.
func String(e hclsyntax.Expression) (string, bool) {
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok || !t.IsStringLiteral() {
		return "", false
	}
	v, diags := t.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() {
		return "", false
	}
	return v.AsString(), true
}

// EndLine is the last line a range covers: a range that ends at the start
// of a line (after a heredoc's newline) ends on the line before.
func EndLine(r hcl.Range) int {
	if r.End.Column == 1 && r.End.Line > r.Start.Line {
		return r.End.Line - 1
	}
	return r.End.Line
}
