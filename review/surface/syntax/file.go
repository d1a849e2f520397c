package syntax

import (
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// File is what one version of a source file holds.
type File struct {
	Lang Lang
	Src  []byte
	// Imports in source order.
	Imports []Import
	// Calls in source order, with callees resolved through Imports.
	Calls []Call
	// Strings are the string literals (contents without their quotes).
	Strings  []String
	Comments []Span
	// Defined names the functions the file defines: a file that defines
	// its own eval calls that, not the builtin.
	Defined map[string]bool
	// HasErrors says the parser met syntax it recovered from.
	HasErrors bool

	blank []Span // string contents, blanked in the code view
}

// Span is a half-open byte range of Src.
type Span struct{ Start, End int }

// Import is one name an import binds, or a module imported for its side
// effects (Local "").
type Import struct {
	Module string // "child_process", "os.path", "./util"
	Name   string // the member imported ("exec"), "" for the module itself, "default" for a JS default import
	Local  string // the name it is bound to in this file
	Line   int
}

// Call is one call or constructor call.
type Call struct {
	// Callee is resolved through the imports: "child_process.exec",
	// "subprocess.run", "requests.get"; a name bound by no import stays as
	// written ("eval", "fetch"); a base that is not a name is "?"
	// ("?.then").
	Callee string
	// Module is the module the callee was resolved to, "" when no import
	// bound it.
	Module  string
	Written string // the callee as written: "cp.exec"
	New     bool   // a constructor call: new Function(…)
	Line    int    // 1-based line of the call's start
	EndLine int
	Span
	Args []Arg
	args string // argument list without spaces and with one kind of quote, for Key
}

// Arg is one argument of a call.
type Arg struct {
	Name  string // keyword of a Python keyword argument, "" when positional
	Text  string // source text, at most 256 bytes
	Str   string // value of a plain string literal (no interpolation)
	IsStr bool
	Line  int
}

// String is one string literal.
type String struct {
	Value string
	Line  int
	Span
}

// Key is what a call is compared by across two versions of a file: its
// resolved callee and its arguments without layout, so that moving a call
// or reformatting it is not a new call, and changing what it runs is.
func (c *Call) Key() string { return c.Callee + "(" + c.args + ")" }

// Arg returns the keyword argument name, or nil.
func (c *Call) Keyword(name string) *Arg {
	for i := range c.Args {
		if c.Args[i].Name == name {
			return &c.Args[i]
		}
	}
	return nil
}

// Uses counts the calls whose callee is callee.
func (f *File) Uses(callee string) int {
	n := 0
	for i := range f.Calls {
		if f.Calls[i].Callee == callee {
			n++
		}
	}
	return n
}

// Imported reports an import of module (or of a submodule or member of it).
func (f *File) Imported(module string) bool {
	for _, im := range f.Imports {
		if im.Module == module || strings.HasPrefix(im.Module, module+".") || strings.HasPrefix(im.Module, module+"/") {
			return true
		}
	}
	return false
}

// Views returns two copies of Src of the same length with every newline in
// place: code has comments and string contents blanked (quotes kept, so a
// line rule can see that a string was there), text has only comments
// blanked. Code inside a JS template's ${…} stays code.
func (f *File) Views() (code, text []byte) {
	code, text = []byte(string(f.Src)), []byte(string(f.Src))
	for _, s := range f.Comments {
		blankRange(code, s)
		blankRange(text, s)
	}
	for _, s := range f.blank {
		blankRange(code, s)
	}
	return code, text
}

func blankRange(b []byte, s Span) {
	for i := max(s.Start, 0); i < s.End && i < len(b); i++ {
		if b[i] != '\n' {
			b[i] = ' '
		}
	}
}

type extractor struct {
	g    *grammar
	f    *File
	src  []byte
	lang Lang
	raw  [][]string // per call, the callee's name chain as written
	bind map[string]binding
}

// binding is what a local name stands for: target is the dotted path it
// resolves to ("child_process.exec"), module the module that bound it.
type binding struct{ target, module string }

func (x *extractor) text(n *sitter.Node) string {
	s, e := n.ByteRange()
	if int(e) > len(x.src) || s > e {
		return ""
	}
	return string(x.src[s:e])
}

func (x *extractor) field(n *sitter.Node, name string) *sitter.Node {
	id, ok := x.g.fields[name]
	if !ok {
		return nil
	}
	return n.ChildByFieldId(id)
}

func line(n *sitter.Node) int { return int(n.StartPosition().Row) + 1 }

func span(n *sitter.Node) Span {
	s, e := n.ByteRange()
	return Span{int(s), int(e)}
}

// visit records n.
func (x *extractor) visit(n *sitter.Node, k kind) {
	switch k {
	case kindComment:
		x.f.Comments = append(x.f.Comments, span(n))
	case kindString:
		x.str(n, false)
	case kindHeredoc:
		x.str(n, true)
	case kindInterp:
		x.keep(span(n))
	case kindRegex:
		sp := span(n)
		if i := strings.LastIndexByte(string(x.src[sp.Start:sp.End]), '/'); i > 0 {
			x.f.blank = append(x.f.blank, Span{sp.Start + 1, sp.Start + i})
		}
	case kindCall, kindNew:
		x.call(n, k == kindNew)
	case kindImport:
		switch x.lang {
		case Python:
			x.pyImport(n)
		case JavaScript, TypeScript, TSX:
			x.jsImport(n)
		default:
			x.useImport(n)
		}
	case kindImportFrom:
		x.pyImportFrom(n)
	case kindDeclarator:
		x.jsRequire(n)
	case kindFunctionDef:
		if nm := x.field(n, "name"); nm != nil {
			if x.f.Defined == nil {
				x.f.Defined = map[string]bool{}
			}
			x.f.Defined[x.text(nm)] = true
		}
	}
}

// str records a literal and blanks its contents between the delimiters,
// read from its text: quotes, a prefix (f"", r#"…"#, @"…", %q(…)), triple
// quotes; a heredoc's body up to its last line.
func (x *extractor) str(n *sitter.Node, heredoc bool) {
	sp := span(n)
	t := string(x.src[sp.Start:sp.End])
	var from, to int
	if heredoc {
		first := strings.IndexByte(t, '\n')
		last := strings.LastIndexByte(t, '\n')
		if strings.HasPrefix(t, "<<<") && first >= 0 && last > first {
			from, to = first+1, last // PHP: <<<ID\n body \nID
		} else if last >= 0 {
			from, to = 0, last // Ruby: the body, then the terminator line
		} else {
			return
		}
	} else {
		from, to = delimiters(t)
	}
	if from >= to {
		return
	}
	s := Span{sp.Start + from, sp.Start + to}
	x.f.Strings = append(x.f.Strings, String{Value: string(x.src[s.Start:s.End]), Line: line(n), Span: s})
	x.f.blank = append(x.f.blank, s)
}

// keep takes an interpolation that is code (JS ${…}, Ruby #{…}) out of the
// blanked content of the string around it; its own strings come later.
func (x *extractor) keep(k Span) {
	for i := len(x.f.blank) - 1; i >= 0; i-- {
		b := x.f.blank[i]
		if b.Start <= k.Start && k.End <= b.End {
			x.f.blank[i] = Span{b.Start, k.Start}
			x.f.blank = append(x.f.blank, Span{k.End, b.End})
			return
		}
	}
}

// delimiters are the offsets of a literal's content in its text t.
func delimiters(t string) (from, to int) {
	i := strings.IndexAny(t, "\"'`")
	if i < 0 {
		// %q(…), %w[…]: the bracket after the sigil opens it.
		if strings.HasPrefix(t, "%") && len(t) >= 3 {
			j := 1
			for j < len(t) && (t[j] >= 'a' && t[j] <= 'z' || t[j] >= 'A' && t[j] <= 'Z') {
				j++
			}
			return j + 1, len(t) - 1
		}
		return 0, 0
	}
	q := t[i]
	run := 0
	for i+run < len(t) && t[i+run] == q {
		run++
	}
	last := strings.LastIndexByte(t, q)
	if run >= 3 && len(t)-i >= 2*run {
		return i + run, last - run + 1
	}
	if run == 2 && last == i+1 {
		return 0, 0 // ""
	}
	return i + 1, last
}

// maxChain bounds a callee's a.b.c.d chain; longer ones are not resolved.
const maxChain = 32

// chain is the callee's names as written: ["cp", "exec"]; a base that is
// not a name is "?", a require("m") base is "require:m".
func (x *extractor) chain(n *sitter.Node) []string {
	var rev []string
	for range maxChain {
		switch n.Kind() {
		case "identifier", "property_identifier", "this", "super", "import":
			rev = append(rev, x.text(n))
			return reverse(rev)
		case "member_expression":
			p, o := x.field(n, "property"), x.field(n, "object")
			if p == nil || o == nil {
				return nil
			}
			rev = append(rev, x.text(p))
			n = o
		case "attribute":
			p, o := x.field(n, "attribute"), x.field(n, "object")
			if p == nil || o == nil {
				return nil
			}
			rev = append(rev, x.text(p))
			n = o
		case "call_expression":
			if m := x.requireOf(n); m != "" {
				rev = append(rev, "require:"+m)
				return reverse(rev)
			}
			rev = append(rev, "?")
			return reverse(rev)
		case "parenthesized_expression", "non_null_expression":
			c := n.NamedChild(0)
			if c == nil {
				return nil
			}
			n = c
		default:
			rev = append(rev, "?")
			return reverse(rev)
		}
	}
	return nil
}

func reverse(s []string) []string {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return s
}

// requireOf is m for require("m"), "" otherwise.
func (x *extractor) requireOf(n *sitter.Node) string {
	fn, args := x.field(n, "function"), x.field(n, "arguments")
	if fn == nil || args == nil || fn.Kind() != "identifier" || x.text(fn) != "require" {
		return ""
	}
	a := args.NamedChild(0)
	if a == nil || a.Kind() != "string" {
		return ""
	}
	return jsModule(plainString(x.text(a)))
}

// jsModule drops Node's "node:" scheme: node:child_process is child_process.
func jsModule(m string) string { return strings.TrimPrefix(m, "node:") }

// plainString unquotes a one-piece literal: 'x', "x", `x`.
func plainString(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'' || s[0] == '`') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

const maxArgs = 16
const maxArgText = 256

func (x *extractor) call(n *sitter.Node, isNew bool) {
	fname := "function"
	if isNew {
		fname = "constructor"
	}
	var parts []string
	c := Call{New: isNew, Line: line(n), EndLine: int(n.EndPosition().Row) + 1, Span: span(n)}
	args := x.field(n, "arguments")
	switch x.lang {
	case JavaScript, TypeScript, TSX, Python:
		fn := x.field(n, fname)
		if fn == nil {
			return
		}
		c.Written = clip(x.text(fn), 200)
		parts = x.chain(fn)
	default:
		c.Written = clip(x.calleeText(n, isNew), 200)
		if c.Written == "" {
			return
		}
		parts = splitCallee(c.Written)
		if args == nil && isNew && x.lang == PHP {
			for i := uint(0); i < n.NamedChildCount(); i++ {
				if ch := n.NamedChild(i); ch.Kind() == "arguments" {
					args = ch
				}
			}
		}
	}
	if args != nil {
		at := x.text(args)
		c.args = normalize(at)
		cnt := args.NamedChildCount()
		for i := uint(0); i < cnt && len(c.Args) < maxArgs; i++ {
			a := args.NamedChild(i)
			ak := a.Kind()
			if kindNames[x.lang][ak] == kindComment {
				continue
			}
			arg := Arg{Line: line(a)}
			v := a
			if ak == "argument" && a.NamedChildCount() > 0 { // PHP, C#: [name:] value
				v = a.NamedChild(a.NamedChildCount() - 1)
				if nm := x.field(a, "name"); nm != nil {
					arg.Name = x.text(nm)
				}
			}
			if ak == "keyword_argument" {
				if nm := x.field(a, "name"); nm != nil {
					arg.Name = x.text(nm)
				}
				if val := x.field(a, "value"); val != nil {
					v = val
				}
			}
			arg.Text = clip(x.text(v), maxArgText)
			if kindNames[x.lang][v.Kind()] == kindString && !hasInterp(x, v) {
				t := x.text(v)
				if x.lang == Python {
					t = pyUnquote(t)
				} else {
					t = plainString(t)
				}
				arg.Str, arg.IsStr = t, true
			}
			c.Args = append(c.Args, arg)
		}
	}
	x.f.Calls = append(x.f.Calls, c)
	x.raw = append(x.raw, parts)
}

// calleeText is the callee of a call in Java, Ruby, Rust, PHP and C# as
// written: receiver and method joined by the language's own separator.
func (x *extractor) calleeText(n *sitter.Node, isNew bool) string {
	join := func(recv, sep string, name *sitter.Node) string {
		if name == nil {
			return ""
		}
		if recv == "" {
			return x.text(name)
		}
		return recv + sep + x.text(name)
	}
	recv := func(f string) string {
		if r := x.field(n, f); r != nil {
			return x.text(r)
		}
		return ""
	}
	if isNew {
		if t := x.field(n, "type"); t != nil {
			return x.text(t)
		}
		for i := uint(0); i < n.NamedChildCount(); i++ { // PHP: new Name(…)
			switch ch := n.NamedChild(i); ch.Kind() {
			case "name", "qualified_name":
				return x.text(ch)
			}
		}
		return ""
	}
	switch n.Kind() {
	case "method_invocation": // Java
		return join(recv("object"), ".", x.field(n, "name"))
	case "call": // Ruby
		return join(recv("receiver"), ".", x.field(n, "method"))
	case "member_call_expression", "nullsafe_member_call_expression": // PHP
		return join(recv("object"), "->", x.field(n, "name"))
	case "scoped_call_expression":
		return join(recv("scope"), "::", x.field(n, "name"))
	}
	if fn := x.field(n, "function"); fn != nil { // Rust, C#, PHP functions
		return x.text(fn)
	}
	return ""
}

// splitCallee splits a written callee into names: arguments of calls along
// the way drop to "()", and ::, ->, ?. and \ separate like a dot, so
// Runtime.getRuntime().exec is [Runtime getRuntime() exec] and
// std::process::Command::new is [std process Command new].
func splitCallee(s string) []string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "new ")
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '(' || c == '[':
			if depth == 0 {
				b.WriteByte('(')
			}
			depth++
		case c == ')' || c == ']':
			if depth > 0 {
				depth--
				if depth == 0 {
					b.WriteByte(')')
				}
			}
		case depth > 0, c == ' ', c == '\t', c == '\n', c == '\r':
		case c == ':' && i+1 < len(s) && s[i+1] == ':', c == '-' && i+1 < len(s) && s[i+1] == '>',
			(c == '?' || c == '&') && i+1 < len(s) && s[i+1] == '.':
			b.WriteByte('.')
			i++
		case c == '\\':
			b.WriteByte('.')
		default:
			b.WriteByte(c)
		}
	}
	t := strings.Trim(b.String(), ".")
	if t == "" {
		return nil
	}
	return strings.Split(t, ".")
}

// useImport reads Java's import, Rust's use, PHP's use and C#'s using: the
// last name of each imported path is bound to the path.
func (x *extractor) useImport(n *sitter.Node) {
	t := x.text(n)
	if i := strings.Index(t, "use "); x.lang != Java && x.lang != CSharp && i >= 0 {
		t = t[i+4:]
	}
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(t), ";"))
	for _, kw := range []string{"import ", "using ", "static ", "function ", "const ", "global "} {
		t = strings.TrimSpace(strings.TrimPrefix(t, kw))
	}
	sep := "."
	switch x.lang {
	case Rust:
		sep = "::"
	case PHP:
		sep = "\\"
	}
	dotted := func(p string) string {
		return strings.Trim(strings.Join(strings.Fields(strings.ReplaceAll(p, sep, " ")), "."), ".")
	}
	add := func(path, alias string) {
		path = dotted(path)
		if path == "" || strings.HasSuffix(path, "*") {
			if m := strings.TrimSuffix(path, ".*"); m != "" {
				x.f.Imports = append(x.f.Imports, Import{Module: m, Name: "*", Line: line(n)})
			}
			return
		}
		local := path[strings.LastIndexByte(path, '.')+1:]
		if alias != "" {
			local = alias
		}
		if x.lang == CSharp && alias == "" {
			x.f.Imports = append(x.f.Imports, Import{Module: path, Line: line(n)}) // a namespace: binds no name
			return
		}
		x.addImport(Import{Module: path, Name: local, Local: local, Line: line(n)}, path)
	}
	// C#: using A = X.Y;
	if x.lang == CSharp {
		if a, p, ok := strings.Cut(t, "="); ok {
			add(p, strings.TrimSpace(a))
			return
		}
	}
	item := func(prefix, it string) {
		it = strings.TrimSpace(it)
		if it == "" {
			return
		}
		p, alias, _ := strings.Cut(it, " as ")
		p = strings.TrimSpace(p)
		if p == "self" {
			add(strings.TrimSuffix(prefix, sep), strings.TrimSpace(alias))
			return
		}
		add(prefix+p, strings.TrimSpace(alias))
	}
	if open := strings.IndexByte(t, '{'); open >= 0 {
		end := strings.LastIndexByte(t, '}')
		if end < open || strings.Contains(t[open+1:end], "{") {
			return // nested groups are not read
		}
		for _, it := range strings.Split(t[open+1:end], ",") {
			item(t[:open], it)
		}
		return
	}
	for _, it := range strings.Split(t, ",") { // PHP: use A\B, C\D;
		item("", it)
	}
}

func hasInterp(x *extractor, n *sitter.Node) bool {
	cnt := n.NamedChildCount()
	for i := uint(0); i < cnt; i++ {
		switch n.NamedChild(i).Kind() {
		case "template_substitution", "interpolation":
			return true
		}
	}
	return false
}

// pyUnquote strips a Python literal's prefix and quotes: r'x', """x""".
func pyUnquote(s string) string {
	s = strings.TrimLeft(s, "rRbBuUfF")
	for _, q := range []string{`"""`, `'''`, `"`, `'`} {
		if len(s) >= 2*len(q) && strings.HasPrefix(s, q) && strings.HasSuffix(s, q) {
			return s[len(q) : len(s)-len(q)]
		}
	}
	return s
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// normalize drops layout from source text: spaces, newlines, and the
// difference between ' and " quotes.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(min(len(s), 1024))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\r':
		case '\'':
			b.WriteByte('"')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (x *extractor) addImport(im Import, target string) {
	x.f.Imports = append(x.f.Imports, im)
	if im.Local != "" {
		x.bindName(im.Local, target, im.Module)
	}
}

func (x *extractor) bindName(local, target, module string) {
	if x.bind == nil {
		x.bind = map[string]binding{}
	}
	x.bind[local] = binding{target: target, module: module}
}

// jsImport reads import d, * as ns, { a as b } from "m" and TS's
// import x = require("m").
func (x *extractor) jsImport(n *sitter.Node) {
	src := x.field(n, "source")
	cnt := n.NamedChildCount()
	if src == nil {
		// TS: import x = require("m")
		for i := uint(0); i < cnt; i++ {
			ch := n.NamedChild(i)
			if ch.Kind() != "import_require_clause" {
				continue
			}
			var local string
			for j := uint(0); j < ch.NamedChildCount(); j++ {
				cc := ch.NamedChild(j)
				switch cc.Kind() {
				case "identifier":
					local = x.text(cc)
				case "string":
					m := jsModule(plainString(x.text(cc)))
					x.addImport(Import{Module: m, Local: local, Line: line(n)}, m)
				}
			}
		}
		return
	}
	m := jsModule(plainString(x.text(src)))
	bound := false
	for i := uint(0); i < cnt; i++ {
		ch := n.NamedChild(i)
		if ch.Kind() != "import_clause" {
			continue
		}
		for j := uint(0); j < ch.NamedChildCount(); j++ {
			cc := ch.NamedChild(j)
			switch cc.Kind() {
			case "identifier": // default import: for a CommonJS module, the module itself
				x.addImport(Import{Module: m, Name: "default", Local: x.text(cc), Line: line(n)}, m)
				bound = true
			case "namespace_import":
				if id := cc.NamedChild(0); id != nil {
					x.addImport(Import{Module: m, Local: x.text(id), Line: line(n)}, m)
					bound = true
				}
			case "named_imports":
				for k := uint(0); k < cc.NamedChildCount(); k++ {
					sp := cc.NamedChild(k)
					if sp.Kind() != "import_specifier" {
						continue
					}
					nm, al := x.field(sp, "name"), x.field(sp, "alias")
					if nm == nil {
						continue
					}
					name := plainString(x.text(nm))
					local := name
					if al != nil {
						local = x.text(al)
					}
					x.addImport(Import{Module: m, Name: name, Local: local, Line: line(n)}, m+"."+name)
					bound = true
				}
			}
		}
	}
	if !bound {
		x.f.Imports = append(x.f.Imports, Import{Module: m, Line: line(n)})
	}
}

// jsRequire reads const x = require("m"), const { a, b: c } = require("m")
// and const x = require("m").y.
func (x *extractor) jsRequire(n *sitter.Node) {
	name, val := x.field(n, "name"), x.field(n, "value")
	if name == nil || val == nil {
		return
	}
	if val.Kind() == "await_expression" && val.NamedChild(0) != nil {
		val = val.NamedChild(0)
	}
	var m, member string
	switch val.Kind() {
	case "call_expression":
		m = x.requireOf(val)
	case "member_expression":
		if o := x.field(val, "object"); o != nil && o.Kind() == "call_expression" {
			m = x.requireOf(o)
			if p := x.field(val, "property"); p != nil {
				member = x.text(p)
			}
		}
	}
	if m == "" {
		return
	}
	target := m
	if member != "" {
		target = m + "." + member
	}
	switch name.Kind() {
	case "identifier":
		x.addImport(Import{Module: m, Name: member, Local: x.text(name), Line: line(n)}, target)
	case "object_pattern":
		for i := uint(0); i < name.NamedChildCount(); i++ {
			p := name.NamedChild(i)
			switch p.Kind() {
			case "shorthand_property_identifier_pattern":
				k := x.text(p)
				x.addImport(Import{Module: m, Name: k, Local: k, Line: line(n)}, target+"."+k)
			case "pair_pattern":
				k, v := x.field(p, "key"), x.field(p, "value")
				if k != nil && v != nil && v.Kind() == "identifier" {
					x.addImport(Import{Module: m, Name: x.text(k), Local: x.text(v), Line: line(n)}, target+"."+x.text(k))
				}
			case "object_assignment_pattern":
				if l := x.field(p, "left"); l != nil {
					k := x.text(l)
					x.addImport(Import{Module: m, Name: k, Local: k, Line: line(n)}, target+"."+k)
				}
			}
		}
	default:
		x.f.Imports = append(x.f.Imports, Import{Module: m, Line: line(n)})
	}
}

// pyImport reads import a.b, import a.b as c.
func (x *extractor) pyImport(n *sitter.Node) {
	for i := uint(0); i < n.NamedChildCount(); i++ {
		ch := n.NamedChild(i)
		switch ch.Kind() {
		case "dotted_name":
			m := x.text(ch)
			first, _, _ := strings.Cut(m, ".")
			// import os.path binds os, to the module os.
			x.f.Imports = append(x.f.Imports, Import{Module: m, Local: first, Line: line(n)})
			x.bindName(first, first, first)
		case "aliased_import":
			nm, al := x.field(ch, "name"), x.field(ch, "alias")
			if nm != nil && al != nil {
				m := x.text(nm)
				x.addImport(Import{Module: m, Local: x.text(al), Line: line(n)}, m)
			}
		}
	}
}

// pyImportFrom reads from a import b, from a import b as c, from a import *.
func (x *extractor) pyImportFrom(n *sitter.Node) {
	mod := x.field(n, "module_name")
	if mod == nil {
		return
	}
	m := x.text(mod)
	for i := uint(0); i < n.NamedChildCount(); i++ {
		ch := n.NamedChild(i)
		if ch.StartByte() == mod.StartByte() {
			continue
		}
		switch ch.Kind() {
		case "dotted_name":
			nm := x.text(ch)
			x.addImport(Import{Module: m, Name: nm, Local: nm, Line: line(n)}, m+"."+nm)
		case "aliased_import":
			nm, al := x.field(ch, "name"), x.field(ch, "alias")
			if nm != nil && al != nil {
				x.addImport(Import{Module: m, Name: x.text(nm), Local: x.text(al), Line: line(n)}, m+"."+x.text(nm))
			}
		case "wildcard_import":
			x.f.Imports = append(x.f.Imports, Import{Module: m, Name: "*", Line: line(n)})
		}
	}
}

// resolve rewrites each call's callee through the file's bindings.
func (x *extractor) resolve() {
	for i := range x.f.Calls {
		parts := x.raw[i]
		c := &x.f.Calls[i]
		if len(parts) == 0 {
			c.Callee = "?"
			continue
		}
		head := parts[0]
		switch {
		case strings.HasPrefix(head, "require:"):
			c.Module = strings.TrimPrefix(head, "require:")
			head = c.Module
		default:
			if b, ok := x.bind[head]; ok {
				c.Module, head = b.module, b.target
			}
		}
		c.Callee = strings.Join(append([]string{head}, parts[1:]...), ".")
	}
	x.raw = nil
}
