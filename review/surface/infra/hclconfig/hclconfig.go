// Package hclconfig parses HCL native syntax (Terraform, .terraform.lock.hcl)
// with hashicorp/hcl's own parser, behind a guard: hclsyntax descends
// recursively, and text nested a few hundred thousand levels deep would
// take the whole process down with a stack overflow that no recover
// catches. Text that nests deeper than any real configuration is refused
// before the parser sees it.
package hclconfig

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

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
	if err := guard(src); err != nil {
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

// guard scans the text for nesting that the parser would follow too deep.
// It is a lexer of its own, much cheaper than hclsyntax's, that errs only on
// the side of seeing more nesting than there is: quoted text, comments and
// heredoc bodies are skipped, their ${…} and %{…} counted as nesting.
func guard(src []byte) error { return guardDepth(src, maxDepth) }

func guardDepth(src []byte, maxDepth int) error {
	if len(src) > maxSize {
		return fmt.Errorf("larger than %d MiB", maxSize>>20)
	}
	// HCL is UTF-8; a stray byte would set this lexer and hclsyntax's apart.
	if !utf8.Valid(src) {
		return errors.New("not valid UTF-8")
	}
	const (
		code = iota
		quoted
		heredoc
	)
	type frame struct {
		mode   int
		open   byte   // what opened a code frame: ( [ or $ for ${…}
		marker []byte // heredoc
		braces int    // open braces of a ${ in code mode
	}
	stack := []frame{{mode: code}}
	depth, unary, questions, line := 0, 0, 0, 1
	tooDeep := func() error { return fmt.Errorf("line %d: %w", line, ErrTooComplex) }
	push := func(f frame) error {
		stack = append(stack, f)
		if depth++; depth > maxDepth {
			return tooDeep()
		}
		return nil
	}
	pop := func() {
		if len(stack) > 1 {
			stack = stack[:len(stack)-1]
		}
		depth = max(depth-1, 0)
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\n' {
			line++
		}
		top := &stack[len(stack)-1]
		switch top.mode {
		case quoted:
			switch {
			case c == '\\':
				i++
			case c == '"':
				pop()
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				i++
				if err := push(frame{mode: code, open: '$'}); err != nil {
					return err
				}
			}
			continue
		case heredoc:
			switch {
			case c == '\n':
				end := bytes.IndexByte(src[i+1:], '\n')
				if end < 0 {
					end = len(src) - i - 1
				}
				if bytes.Equal(bytes.TrimSpace(src[i+1:i+1+end]), top.marker) {
					pop()
					i += end
				}
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				i++
				if err := push(frame{mode: code, open: '$'}); err != nil {
					return err
				}
			}
			continue
		}
		// Code. A closer that does not match its opener is not counted, so
		// the depth is never under the parser's.
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '#':
			i = skipLine(src, i)
			continue
		case '/':
			if i+1 < len(src) && src[i+1] == '/' {
				i = skipLine(src, i)
				continue
			}
			if i+1 < len(src) && src[i+1] == '*' {
				end := bytes.Index(src[i+2:], []byte("*/"))
				if end < 0 {
					return nil // unterminated: the parser stops there
				}
				line += bytes.Count(src[i:i+2+end], []byte("\n"))
				i += end + 3
				continue
			}
		case '"':
			unary = 0
			if err := push(frame{mode: quoted}); err != nil {
				return err
			}
			continue
		case '<':
			if m := heredocStart(src[i:]); m != nil {
				unary = 0
				if err := push(frame{mode: heredoc, marker: m}); err != nil {
					return err
				}
				i += bytes.IndexByte(src[i:], '\n') - 1 // the newline opens the body
				continue
			}
		case '(', '[':
			if err := push(frame{mode: code, open: c}); err != nil {
				return err
			}
		case '{':
			top.braces++
			if depth++; depth > maxDepth {
				return tooDeep()
			}
		case ')', ']':
			if top.braces == 0 && (c == ')' && top.open == '(' || c == ']' && top.open == '[') {
				pop()
			}
		case '}':
			switch {
			case top.braces > 0:
				top.braces--
				depth--
			case top.open == '$':
				pop() // the end of a ${…}
			}
		case '?':
			if questions++; questions > maxQuestions {
				return tooDeep()
			}
		}
		if c == '-' || c == '!' {
			if unary++; unary > maxUnaryRun {
				return tooDeep()
			}
		} else {
			unary = 0
		}
	}
	return nil
}

func skipLine(src []byte, i int) int {
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j - 1 // the newline itself is read next
	}
	return len(src)
}

// heredocStart returns the marker of a heredoc opening at the start of s:
// <<EOF or <<-EOF and then the end of the line.
func heredocStart(s []byte) []byte {
	if !bytes.HasPrefix(s, []byte("<<")) {
		return nil
	}
	j := 2
	if j < len(s) && s[j] == '-' {
		j++
	}
	k := j
	for k < len(s) && (s[k] == '_' || s[k] == '-' || s[k] >= 'a' && s[k] <= 'z' || s[k] >= 'A' && s[k] <= 'Z' || s[k] >= '0' && s[k] <= '9' || s[k] >= 0x80) {
		k++
	}
	if k == j || k == len(s) || (s[k] != '\n' && !(s[k] == '\r' && k+1 < len(s) && s[k+1] == '\n')) {
		return nil
	}
	return s[j:k]
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
