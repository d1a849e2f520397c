package lang

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// lexer describes one family's comments and string literals: enough to
// tell code from prose, not a full tokenizer.
type lexer struct {
	slashComments bool   // // and /* */
	nestedBlocks  bool   // Rust: /* /* */ */ nests
	hashComments  bool   // # to end of line
	hashAttr      bool   // PHP 8: #[ starts an attribute, not a comment
	rubyDoc       bool   // =begin … =end at line start
	tripleQuotes  string // quote characters that open """…""" strings
	backticks     bool   // `…` is a string (JS template, Ruby/PHP shell)
	templateExpr  bool   // JS: ${…} inside backticks is code again
	lineStrings   bool   // '…' and "…" end at the newline when unterminated
	regexLiterals bool   // JS /…/flags
	rust          bool   // 'a lifetimes vs 'c' chars, r#"…"# raw strings
	verbatim      bool   // C# @"…" with "" as the escape
	heredocs      string // "ruby" (<<~ID) or "php" (<<<ID)
}

var (
	syntaxJS     = &lexer{slashComments: true, backticks: true, templateExpr: true, lineStrings: true, regexLiterals: true}
	syntaxPython = &lexer{hashComments: true, tripleQuotes: `"'`, lineStrings: true}
	syntaxJava   = &lexer{slashComments: true, tripleQuotes: `"`, lineStrings: true}
	syntaxCSharp = &lexer{slashComments: true, tripleQuotes: `"`, lineStrings: true, verbatim: true}
	syntaxRuby   = &lexer{hashComments: true, rubyDoc: true, backticks: true, heredocs: "ruby"}
	syntaxPHP    = &lexer{slashComments: true, hashComments: true, hashAttr: true, backticks: true, heredocs: "php"}
	syntaxRust   = &lexer{slashComments: true, nestedBlocks: true, rust: true}
)

// mask returns two copies of src of the same length with every newline in
// place, so offsets and line numbers carry over to the original: code has
// comments and string contents blanked (quotes kept, so a rule can see that
// a string was there); text has only comments blanked.
func mask(src []byte, syn *lexer) (code, text []byte) {
	m := &masker{src: src, code: bytes.Clone(src), text: bytes.Clone(src), syn: syn}
	for m.i < len(m.src) {
		m.run(false)
		if m.i < len(m.src) { // a stray '}' at top level: step over it
			m.i++
		}
	}
	return m.code, m.text
}

type masker struct {
	src, code, text []byte
	syn             *lexer
	i               int
	heredocs        []heredoc // bodies that start at the next newline
}

type heredoc struct {
	id     string
	indent bool // the terminator may be indented (<<~, <<-, PHP 7.3+)
}

func (m *masker) at(i int) byte {
	if i < 0 || i >= len(m.src) {
		return 0
	}
	return m.src[i]
}

// blank clears [from, to) in code, and in text too when comment is set.
func (m *masker) blank(from, to int, comment bool) {
	to = min(to, len(m.src))
	for k := from; k < to; k++ {
		if m.src[k] == '\n' {
			continue
		}
		m.code[k] = ' '
		if comment {
			m.text[k] = ' '
		}
	}
}

// run lexes code until the end of input, or, inside a template's ${…},
// until the '}' that closes it (left for the caller).
func (m *masker) run(untilBrace bool) {
	s := m.syn
	depth := 0
	for m.i < len(m.src) {
		c, next := m.src[m.i], m.at(m.i+1)
		switch {
		case c == '\n':
			m.i++
			if len(m.heredocs) > 0 {
				m.heredocBodies()
			}
			continue
		case untilBrace && c == '{':
			depth++
		case untilBrace && c == '}':
			if depth == 0 {
				return
			}
			depth--
		case s.rubyDoc && c == '=' && (m.i == 0 || m.src[m.i-1] == '\n') && bytes.HasPrefix(m.src[m.i:], []byte("=begin")):
			end := bytes.Index(m.src[m.i:], []byte("\n=end"))
			if end < 0 {
				end = len(m.src)
			} else {
				end = m.lineEnd(m.i + end + 1)
			}
			m.blank(m.i, end, true)
			m.i = end
			continue
		case s.slashComments && c == '/' && next == '/',
			s.hashComments && c == '#' && !(s.hashAttr && next == '['):
			end := m.lineEnd(m.i)
			m.blank(m.i, end, true)
			m.i = end
			continue
		case s.slashComments && c == '/' && next == '*':
			end := m.blockEnd(m.i + 2)
			m.blank(m.i, end, true)
			m.i = end
			continue
		case s.rust && (c == 'r' || c == 'b') && m.rawString():
			continue
		case s.verbatim && (c == '@' && next == '"' || c == '@' && next == '$' && m.at(m.i+2) == '"' || c == '$' && next == '@' && m.at(m.i+2) == '"'):
			m.verbatimString()
			continue
		case c == '\'' && s.rust:
			if !m.rustChar() {
				m.i++ // a lifetime such as 'a
			}
			continue
		case c == '"' || c == '\'' || c == '`' && s.backticks:
			m.str(c)
			continue
		case c == '/' && s.regexLiterals && m.regexAllowed():
			if m.regex() {
				continue
			}
		case c == '<' && next == '<' && s.heredocs != "":
			if m.heredocStart() {
				continue
			}
		}
		m.i++
	}
}

func (m *masker) lineEnd(i int) int {
	if j := bytes.IndexByte(m.src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(m.src)
}

// blockEnd finds the end of a /* comment whose body starts at i.
func (m *masker) blockEnd(i int) int {
	depth := 1
	for i < len(m.src) {
		switch {
		case m.src[i] == '*' && m.at(i+1) == '/':
			depth--
			i += 2
			if depth == 0 || !m.syn.nestedBlocks {
				return i
			}
			continue
		case m.syn.nestedBlocks && m.src[i] == '/' && m.at(i+1) == '*':
			depth++
			i += 2
			continue
		}
		i++
	}
	return len(m.src)
}

// str consumes a quoted string starting at m.i, keeping its delimiters.
func (m *masker) str(q byte) {
	s := m.syn
	if strings.IndexByte(s.tripleQuotes, q) >= 0 && m.at(m.i+1) == q && m.at(m.i+2) == q {
		m.i += 3
		for m.i < len(m.src) {
			switch {
			case m.src[m.i] == '\\':
				m.blank(m.i, m.i+2, false)
				m.i += 2
			case m.src[m.i] == q && m.at(m.i+1) == q && m.at(m.i+2) == q:
				m.i += 3
				return
			default:
				m.blank(m.i, m.i+1, false)
				m.i++
			}
		}
		return
	}
	m.i++
	for m.i < len(m.src) {
		c := m.src[m.i]
		switch {
		case c == '\\':
			m.blank(m.i, m.i+2, false)
			m.i += 2
		case c == q:
			m.i++
			return
		case c == '\n' && s.lineStrings && q != '`':
			return // unterminated: do not let one bad quote swallow the file
		case q == '`' && s.templateExpr && c == '$' && m.at(m.i+1) == '{':
			m.i += 2
			m.run(true)
			if m.i < len(m.src) {
				m.i++ // the closing '}'
			}
		default:
			m.blank(m.i, m.i+1, false)
			m.i++
		}
	}
}

// verbatimString consumes C#'s @"…" (also $@"…" and @$"…"), where "" is a quote.
func (m *masker) verbatimString() {
	m.i = bytes.IndexByte(m.src[m.i:], '"') + m.i + 1
	for m.i < len(m.src) {
		if m.src[m.i] == '"' {
			if m.at(m.i+1) == '"' {
				m.blank(m.i, m.i+2, false)
				m.i += 2
				continue
			}
			m.i++
			return
		}
		m.blank(m.i, m.i+1, false)
		m.i++
	}
}

// rawString consumes Rust's r"…", r#"…"#, br"…" when one starts at m.i.
func (m *masker) rawString() bool {
	if m.i > 0 && isIdent(m.src[m.i-1]) {
		return false
	}
	j := m.i
	if m.src[j] == 'b' {
		j++
	}
	if m.at(j) != 'r' {
		return false
	}
	j++
	hashes := 0
	for m.at(j) == '#' {
		hashes++
		j++
	}
	if m.at(j) != '"' {
		return false
	}
	closing := "\"" + strings.Repeat("#", hashes)
	body := j + 1
	end := bytes.Index(m.src[body:], []byte(closing))
	if end < 0 {
		m.blank(body, len(m.src), false)
		m.i = len(m.src)
		return true
	}
	m.blank(body, body+end, false)
	m.i = body + end + len(closing)
	return true
}

// rustChar consumes a char literal at m.i; false means a lifetime.
func (m *masker) rustChar() bool {
	if m.at(m.i+1) == '\\' {
		for j := m.i + 2; j < len(m.src) && j < m.i+12; j++ {
			if m.src[j] == '\'' {
				m.blank(m.i+1, j, false)
				m.i = j + 1
				return true
			}
		}
		return false
	}
	_, size := utf8.DecodeRune(m.src[min(m.i+1, len(m.src)):])
	if size > 0 && m.at(m.i+1+size) == '\'' {
		m.blank(m.i+1, m.i+1+size, false)
		m.i += size + 2
		return true
	}
	return false
}

var regexBefore = map[string]bool{"return": true, "typeof": true, "case": true, "in": true, "of": true,
	"delete": true, "void": true, "throw": true, "new": true, "else": true, "do": true, "yield": true, "await": true}

// regexAllowed tells a JS regex literal from division by the code before it.
func (m *masker) regexAllowed() bool {
	j := m.i - 1
	for j >= 0 && (m.code[j] == ' ' || m.code[j] == '\t' || m.code[j] == '\r' || m.code[j] == '\n') {
		j--
	}
	if j < 0 {
		return true
	}
	c := m.code[j]
	if strings.IndexByte("(,=:[!&|?{};+-*%~^", c) >= 0 {
		return true
	}
	if !isIdent(c) {
		return false
	}
	k := j
	for k >= 0 && isIdent(m.code[k]) {
		k--
	}
	return regexBefore[string(m.code[k+1:j+1])]
}

// regex consumes a JS regex literal on one line; false leaves it as division.
func (m *masker) regex() bool {
	inClass := false
	for j := m.i + 1; j < len(m.src); j++ {
		switch m.src[j] {
		case '\\':
			j++
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '\n':
			return false
		case '/':
			if inClass {
				continue
			}
			m.blank(m.i+1, j, false)
			m.i = j + 1
			return true
		}
	}
	return false
}

// heredocStart notes a heredoc opener (<<~ID, <<-ID, <<ID in Ruby; <<<ID in
// PHP); its body is blanked from the next newline.
func (m *masker) heredocStart() bool {
	j := m.i + 2
	indent := false
	if m.syn.heredocs == "php" {
		if m.at(j) != '<' {
			return false
		}
		j++
		indent = true
	} else if m.at(j) == '~' || m.at(j) == '-' {
		indent = true
		j++
	}
	quote := m.at(j)
	if quote == '\'' || quote == '"' {
		j++
	} else {
		quote = 0
	}
	start := j
	for j < len(m.src) && isIdent(m.src[j]) {
		j++
	}
	id := string(m.src[start:j])
	if id == "" || id[0] >= '0' && id[0] <= '9' || m.syn.heredocs == "ruby" && !indent && strings.ToUpper(id) != id {
		return false
	}
	if quote != 0 {
		if m.at(j) != quote {
			return false
		}
		j++
	}
	m.heredocs = append(m.heredocs, heredoc{id: id, indent: indent})
	m.i = j
	return true
}

// heredocBodies blanks the pending heredoc bodies; m.i is at a line start.
func (m *masker) heredocBodies() {
	for n, h := range m.heredocs {
		if n > 0 { // the next body starts after the previous terminator
			m.i = min(m.lineEnd(m.i)+1, len(m.src))
		}
		for m.i < len(m.src) {
			end := m.lineEnd(m.i)
			line := string(m.src[m.i:end])
			if h.indent {
				line = strings.TrimLeft(line, " \t")
			}
			if rest, ok := strings.CutPrefix(line, h.id); ok && (rest == "" || !isIdent(rest[0])) {
				break // the terminator line stays code
			}
			m.blank(m.i, end, false)
			m.i = min(end+1, len(m.src))
		}
	}
	m.heredocs = m.heredocs[:0]
}

func isIdent(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
