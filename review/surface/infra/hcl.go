package infra

import (
	"errors"
	"strings"
)

// A small HCL reader: enough of the native syntax to see blocks, attributes
// and literal values with their lines. Expressions it does not need
// (conditionals, for, operators) are kept as opaque values.

var errHCL = errors.New("hcl: syntax error")

// maxHCLDepth bounds nesting so hostile input cannot exhaust the stack.
const maxHCLDepth = 256

type tokKind uint8

const (
	tEOF tokKind = iota
	tNewline
	tIdent
	tString  // quoted; text is the raw content between the quotes
	tHeredoc // text is the body
	tNumber
	tPunct
)

type token struct {
	kind    tokKind
	text    string
	line    int
	endLine int
}

// lexHCL splits src into tokens; it fails on unterminated strings,
// comments and heredocs.
func lexHCL(src string) ([]token, error) {
	var toks []token
	line := 1
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			toks = append(toks, token{kind: tNewline, line: line, endLine: line})
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
		case c == '#' || (c == '/' && i+1 < len(src) && src[i+1] == '/'):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, errHCL
			}
			line += strings.Count(src[i:i+2+end+2], "\n")
			i += 2 + end + 2
		case c == '"':
			j, nl, err := scanHCLString(src, i, 0)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tString, text: src[i+1 : j-1], line: line, endLine: line + nl})
			line += nl
			i = j
		case c == '<' && strings.HasPrefix(src[i:], "<<") && i+2 < len(src) && (isIdentStart(src[i+2]) || src[i+2] == '-'):
			j := i + 2
			if src[j] == '-' {
				j++
			}
			k := j
			for k < len(src) && isIdentPart(src[k]) {
				k++
			}
			marker := src[j:k]
			eol := strings.IndexByte(src[k:], '\n')
			if marker == "" || eol < 0 || strings.TrimSpace(src[k:k+eol]) != "" {
				return nil, errHCL
			}
			start := line
			pos := k + eol + 1
			line++
			var body strings.Builder
			found := false
			for pos <= len(src) {
				next := strings.IndexByte(src[pos:], '\n')
				var l string
				if next < 0 {
					l = src[pos:]
				} else {
					l = src[pos : pos+next]
				}
				if strings.TrimSpace(l) == marker {
					found = true
					if next < 0 {
						pos = len(src)
					} else {
						pos += next
					}
					break
				}
				body.WriteString(l)
				body.WriteByte('\n')
				if next < 0 {
					break
				}
				pos += next + 1
				line++
			}
			if !found {
				return nil, errHCL
			}
			toks = append(toks, token{kind: tHeredoc, text: body.String(), line: start, endLine: line})
			i = pos
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			toks = append(toks, token{kind: tIdent, text: src[i:j], line: line, endLine: line})
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(src) && (isDigit(src[j]) || src[j] == '.' || src[j] == 'e' || src[j] == 'E' ||
				((src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E'))) {
				j++
			}
			toks = append(toks, token{kind: tNumber, text: src[i:j], line: line, endLine: line})
			i = j
		default:
			n := 1
			for _, op := range []string{"...", "==", "!=", "<=", ">=", "=>", "&&", "||"} {
				if strings.HasPrefix(src[i:], op) {
					n = len(op)
					break
				}
			}
			toks = append(toks, token{kind: tPunct, text: src[i : i+n], line: line, endLine: line})
			i += n
		}
	}
	toks = append(toks, token{kind: tEOF, line: line, endLine: line})
	return toks, nil
}

// scanHCLString returns the index after the closing quote of the string
// opening at i, and how many newlines it spans (only inside ${…}).
func scanHCLString(src string, i, depth int) (int, int, error) {
	if depth > maxHCLDepth {
		return 0, 0, errHCL
	}
	nl := 0
	j := i + 1
	for j < len(src) {
		switch c := src[j]; {
		case c == '\\':
			j += 2
		case c == '"':
			return j + 1, nl, nil
		case c == '\n':
			return 0, 0, errHCL
		case (c == '$' || c == '%') && j+1 < len(src) && src[j+1] == '{':
			// A template sequence may hold nested strings and braces.
			j += 2
			braces := 1
			for j < len(src) && braces > 0 {
				switch src[j] {
				case '{':
					braces++
					j++
				case '}':
					braces--
					j++
				case '"':
					k, n, err := scanHCLString(src, j, depth+1)
					if err != nil {
						return 0, 0, err
					}
					nl += n
					j = k
				case '\n':
					nl++
					j++
				default:
					j++
				}
			}
			if braces > 0 {
				return 0, 0, errHCL
			}
		default:
			j++
		}
	}
	return 0, 0, errHCL
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isIdentPart(c byte) bool { return isIdentStart(c) || isDigit(c) || c == '-' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// hclBlock is a block such as `resource "aws_s3_bucket" "logs" { … }`; the
// file itself is a block with no type.
type hclBlock struct {
	Type          string
	Labels        []string
	Line, EndLine int
	Attrs         []*hclAttr
	Blocks        []*hclBlock
}

type hclAttr struct {
	Name          string
	Line, EndLine int
	Value         hclValue
}

type valKind uint8

const (
	vOther valKind = iota // an expression the rules do not look into
	vString
	vHeredoc
	vNumber
	vBool
	vNull
	vList
	vObject
	vCall
	vRef
)

// hclValue is an expression reduced to what the rules need.
type hclValue struct {
	Kind          valKind
	Str           string // string, heredoc, number, bool text, function or reference name
	Items         []hclValue
	Obj           []*hclAttr // object items, and a call's arguments as unnamed attrs
	Line, EndLine int
}

// attr returns the block's attribute name, or nil.
func (b *hclBlock) attr(name string) *hclAttr {
	for _, a := range b.Attrs {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// blocks returns the nested blocks of a type.
func (b *hclBlock) blocks(typ string) []*hclBlock {
	var out []*hclBlock
	for _, c := range b.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

// field returns an object's item by key.
func (v hclValue) field(name string) *hclAttr {
	for _, a := range v.Obj {
		if a.Name == name {
			return a
		}
	}
	return nil
}

type hclParser struct {
	toks  []token
	pos   int
	depth int
}

// parseHCL reads a whole file.
func parseHCL(src string) (*hclBlock, error) {
	toks, err := lexHCL(src)
	if err != nil {
		return nil, err
	}
	p := &hclParser{toks: toks}
	root := &hclBlock{Line: 1}
	if err := p.body(root, tEOF); err != nil {
		return nil, err
	}
	root.EndLine = p.peek().line
	return root, nil
}

func (p *hclParser) peek() token { return p.toks[p.pos] }

func (p *hclParser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *hclParser) isPunct(s string) bool {
	t := p.peek()
	return t.kind == tPunct && t.text == s
}

func (p *hclParser) skipNewlines() {
	for p.peek().kind == tNewline {
		p.pos++
	}
}

// body reads attributes and blocks until '}' (consumed) or EOF.
func (p *hclParser) body(b *hclBlock, end tokKind) error {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxHCLDepth {
		return errHCL
	}
	for {
		p.skipNewlines()
		t := p.peek()
		if end == tEOF && t.kind == tEOF {
			return nil
		}
		if end == tPunct && t.kind == tPunct && t.text == "}" {
			b.EndLine = t.line
			p.next()
			return nil
		}
		if t.kind != tIdent {
			return errHCL
		}
		p.next()
		if p.isPunct("=") {
			p.next()
			v, err := p.expr(true)
			if err != nil {
				return err
			}
			b.Attrs = append(b.Attrs, &hclAttr{Name: t.text, Line: t.line, EndLine: max(v.EndLine, t.line), Value: v})
			if k := p.peek().kind; k != tNewline && k != tEOF && !p.isPunct("}") {
				return errHCL
			}
			continue
		}
		child := &hclBlock{Type: t.text, Line: t.line}
		for {
			l := p.peek()
			if l.kind == tString || l.kind == tIdent {
				child.Labels = append(child.Labels, l.text)
				p.next()
				continue
			}
			break
		}
		if !p.isPunct("{") {
			return errHCL
		}
		p.next()
		if err := p.body(child, tPunct); err != nil {
			return err
		}
		b.Blocks = append(b.Blocks, child)
	}
}

// expr reads one expression. In a body (inBody) a newline ends it; inside
// brackets only ',' and the closing bracket do.
func (p *hclParser) expr(inBody bool) (hclValue, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxHCLDepth {
		return hclValue{}, errHCL
	}
	v, err := p.primary()
	if err != nil {
		return v, err
	}
	// Anything after the primary (operators, index, conditional) makes the
	// value opaque; skip it with brackets balanced.
	for {
		t := p.peek()
		if t.kind == tEOF || (t.kind == tNewline && inBody) {
			return v, nil
		}
		if t.kind == tPunct {
			switch t.text {
			case ",", ")", "]", "}", "=", ":":
				return v, nil
			case "(", "[", "{":
				if err := p.skipBalanced(); err != nil {
					return v, err
				}
				v = hclValue{Kind: vOther, Line: v.Line, EndLine: p.toks[p.pos-1].endLine}
				continue
			case "?":
				p.next()
				v = hclValue{Kind: vOther, Line: v.Line, EndLine: t.endLine}
				// The true branch may contain ':' of its own only inside
				// brackets, so read it and the ':' explicitly.
				if _, err := p.expr(inBody); err != nil {
					return v, err
				}
				if p.isPunct(":") {
					p.next()
				}
				e, err := p.expr(inBody)
				if err != nil {
					return v, err
				}
				v.EndLine = e.EndLine
				return v, nil
			}
		}
		if t.kind == tNewline {
			// Inside brackets a newline separates object items; it continues
			// the expression only after a dangling operator.
			if prev := p.toks[p.pos-1]; prev.kind == tPunct && !strings.Contains(")]}", prev.text) {
				p.next()
				continue
			}
			return v, nil
		}
		p.next()
		v = hclValue{Kind: vOther, Line: v.Line, EndLine: t.endLine}
	}
}

// skipBalanced consumes a bracketed group starting at the current token.
func (p *hclParser) skipBalanced() error {
	depth := 0
	for {
		t := p.next()
		switch {
		case t.kind == tEOF:
			return errHCL
		case t.kind == tPunct && (t.text == "(" || t.text == "[" || t.text == "{"):
			depth++
		case t.kind == tPunct && (t.text == ")" || t.text == "]" || t.text == "}"):
			depth--
			if depth == 0 {
				return nil
			}
		}
	}
}

func (p *hclParser) primary() (hclValue, error) {
	t := p.next()
	v := hclValue{Line: t.line, EndLine: t.endLine, Str: t.text}
	switch t.kind {
	case tString:
		v.Kind = vString
	case tHeredoc:
		v.Kind = vHeredoc
	case tNumber:
		v.Kind = vNumber
	case tIdent:
		switch t.text {
		case "true", "false":
			v.Kind = vBool
			return v, nil
		case "null":
			v.Kind = vNull
			return v, nil
		}
		if p.isPunct("(") {
			p.next()
			v.Kind = vCall
			for {
				p.skipNewlines()
				if p.isPunct(")") {
					v.EndLine = p.next().endLine
					return v, nil
				}
				a, err := p.expr(false)
				if err != nil {
					return v, err
				}
				v.Obj = append(v.Obj, &hclAttr{Line: a.Line, EndLine: a.EndLine, Value: a})
				p.skipNewlines()
				if p.isPunct("...") {
					p.next()
					p.skipNewlines()
				}
				if p.isPunct(",") {
					p.next()
				} else if !p.isPunct(")") {
					return v, errHCL
				}
			}
		}
		v.Kind = vRef
		// A traversal such as var.cidrs or aws_s3_bucket.logs.id.
		for p.isPunct(".") {
			p.next()
			n := p.next()
			if n.kind != tIdent && n.kind != tNumber && !(n.kind == tPunct && n.text == "*") {
				return v, errHCL
			}
			v.Str += "." + n.text
		}
	case tPunct:
		switch t.text {
		case "[":
			if n := p.peekPastNewlines(); n.kind == tIdent && n.text == "for" {
				p.pos--
				if err := p.skipBalanced(); err != nil {
					return v, err
				}
				return hclValue{Kind: vOther, Line: t.line, EndLine: p.toks[p.pos-1].endLine}, nil
			}
			v.Kind = vList
			for {
				p.skipNewlines()
				if p.isPunct("]") {
					v.EndLine = p.next().endLine
					return v, nil
				}
				item, err := p.expr(false)
				if err != nil {
					return v, err
				}
				v.Items = append(v.Items, item)
				p.skipNewlines()
				if p.isPunct(",") {
					p.next()
				} else if !p.isPunct("]") {
					return v, errHCL
				}
			}
		case "{":
			if n := p.peekPastNewlines(); n.kind == tIdent && n.text == "for" {
				p.pos--
				if err := p.skipBalanced(); err != nil {
					return v, err
				}
				return hclValue{Kind: vOther, Line: t.line, EndLine: p.toks[p.pos-1].endLine}, nil
			}
			v.Kind = vObject
			for {
				p.skipNewlines()
				if p.isPunct("}") {
					v.EndLine = p.next().endLine
					return v, nil
				}
				k, err := p.expr(false)
				if err != nil {
					return v, err
				}
				if !p.isPunct("=") && !p.isPunct(":") {
					return v, errHCL
				}
				p.next()
				val, err := p.expr(false)
				if err != nil {
					return v, err
				}
				name := k.Str
				if k.Kind != vString && k.Kind != vRef {
					name = ""
				}
				v.Obj = append(v.Obj, &hclAttr{Name: name, Line: k.Line, EndLine: val.EndLine, Value: val})
				// Object items are separated by commas or newlines.
				newline := p.peek().kind == tNewline
				p.skipNewlines()
				if p.isPunct(",") {
					p.next()
				} else if !newline && !p.isPunct("}") {
					return v, errHCL
				}
			}
		case "(":
			inner, err := p.expr(false)
			if err != nil {
				return v, err
			}
			p.skipNewlines()
			if !p.isPunct(")") {
				return v, errHCL
			}
			inner.EndLine = p.next().endLine
			return inner, nil
		case "-", "!":
			inner, err := p.primary()
			if err != nil {
				return v, err
			}
			return hclValue{Kind: vOther, Line: t.line, EndLine: inner.EndLine}, nil
		default:
			return v, errHCL
		}
	default:
		return v, errHCL
	}
	return v, nil
}

func (p *hclParser) peekPastNewlines() token {
	i := p.pos
	for p.toks[i].kind == tNewline {
		i++
	}
	return p.toks[i]
}

// strings returns the literal strings of a string or list value with their
// lines; other values give nothing.
func (v hclValue) strings() []litString {
	switch v.Kind {
	case vString:
		return []litString{{v.Str, v.Line}}
	case vList:
		var out []litString
		for _, it := range v.Items {
			if it.Kind == vString {
				out = append(out, litString{it.Str, it.Line})
			}
		}
		return out
	}
	return nil
}

type litString struct {
	s    string
	line int
}

// isTrue reports a literal true (or "true", which Terraform converts).
func (v hclValue) isTrue() bool {
	return (v.Kind == vBool || v.Kind == vString) && v.Str == "true"
}

func (v hclValue) isFalse() bool {
	return (v.Kind == vBool || v.Kind == vString) && v.Str == "false"
}
