// Package syntax parses the non-Go languages vouch has rules for with
// tree-sitter and returns what the rules ask about: the imports of a file
// (module and the local names bound to it), its calls with the callee
// resolved through those imports (`cp.exec` with `import * as cp from
// "child_process"` is child_process.exec), its string literals and comments,
// and a set of constructs that two versions of a file can be compared by.
//
// The parse is bounded: a file over MaxSize bytes is not parsed (ErrTooLarge),
// and nodes nested deeper than MaxDepth are not read , so a
// hostile file costs at most one linear pass over MaxSize bytes.
package syntax

import (
	"errors"
	"path"
	"strings"
	"sync"
	"time"
	"unsafe"

	sitter "github.com/tree-sitter/go-tree-sitter"
	csharp "github.com/tree-sitter/tree-sitter-c-sharp/bindings/go"
	java "github.com/tree-sitter/tree-sitter-java/bindings/go"
	javascript "github.com/tree-sitter/tree-sitter-javascript/bindings/go"
	php "github.com/tree-sitter/tree-sitter-php/bindings/go"
	python "github.com/tree-sitter/tree-sitter-python/bindings/go"
	ruby "github.com/tree-sitter/tree-sitter-ruby/bindings/go"
	rust "github.com/tree-sitter/tree-sitter-rust/bindings/go"
	typescript "github.com/tree-sitter/tree-sitter-typescript/bindings/go"
)

// Lang is one grammar.
type Lang string

// The grammars served. Kotlin has none: its files stay on the lexer.
const (
	JavaScript Lang = "javascript"
	TypeScript Lang = "typescript"
	TSX        Lang = "tsx"
	Python     Lang = "python"
	Java       Lang = "java"
	Ruby       Lang = "ruby"
	Rust       Lang = "rust"
	PHP        Lang = "php"
	CSharp     Lang = "csharp"
)

// MaxSize is the largest file parsed. Bigger files (bundles, generated
// tables) are left to the line rules: a tree of them would cost memory and
// time out of proportion to what a reviewer reads.
const MaxSize = 2 << 20

// MaxDepth is how deep the tree is read; deeper nodes (a hostile file of
// nested brackets) are skipped and the File says so.
const MaxDepth = 256

// ErrTooLarge is returned for a file over MaxSize.
var ErrTooLarge = errors.New("syntax: file too large to parse (over 2 MiB); left to the line rules")

// ErrTooDeep is returned for a file whose brackets nest deeper than
// MaxDepth: tree-sitter's error recovery is quadratic on a run of unclosed
// brackets (100,000 of them take 20 s), so such a file is not parsed.
var ErrTooDeep = errors.New("syntax: brackets nested too deep to parse (over 256); left to the line rules")

// ErrTimeout is returned when a parse runs past its budget, a backstop for
// inputs the checks above do not catch.
var ErrTimeout = errors.New("syntax: parse took too long; left to the line rules")

// budget is the time a parse may take: well above what a real file needs
// (a 2 MiB file parses in under 0.5 s on a loaded 2-core machine).
const budget = 3 * time.Second

// ErrNoGrammar is returned for a language without a grammar.
var ErrNoGrammar = errors.New("syntax: no grammar for this language")

// LangOf is the grammar for a path by its extension, "" when none.
func LangOf(p string) Lang {
	switch strings.ToLower(path.Ext(p)) {
	case ".js", ".jsx", ".mjs", ".cjs":
		return JavaScript
	case ".ts", ".mts", ".cts":
		return TypeScript
	case ".tsx":
		return TSX
	case ".py":
		return Python
	case ".java":
		return Java
	case ".rb", ".rake":
		return Ruby
	case ".rs":
		return Rust
	case ".php":
		return PHP
	case ".cs":
		return CSharp
	}
	return ""
}

// grammar is one language loaded once: its tree-sitter Language, node kind
// ids mapped to what the extractor does with them, and idle parsers (a
// Parser is not safe for concurrent use, and its C memory is freed only by
// Close, so a sync.Pool that drops one would leak it).
type grammar struct {
	lang    *sitter.Language
	want    []uint8 // per node symbol, the kind the walk reads it as (0: skipped)
	fields  map[string]uint16
	parsers chan *sitter.Parser
}

// idleParsers is how many parsers a grammar keeps between parses.
const idleParsers = 4

func (g *grammar) parser() *sitter.Parser {
	select {
	case p := <-g.parsers:
		return p
	default:
	}
	p := sitter.NewParser()
	if err := p.SetLanguage(g.lang); err != nil {
		p.Close()
		return nil
	}
	return p
}

func (g *grammar) release(p *sitter.Parser) {
	select {
	case g.parsers <- p:
	default:
		p.Close()
	}
}

type kind int

const (
	kindNone kind = iota
	kindComment
	kindString      // a literal whose content is blanked in the code view
	kindHeredoc     // a heredoc: its body is blanked
	kindInterp      // code inside a string: ${…} in a JS template
	kindRegex       // a JS regex literal
	kindCall        // call_expression, call, method_invocation…
	kindNew         // new_expression, object_creation_expression
	kindImport      // import_statement…
	kindImportFrom  // Python's from … import …
	kindDeclarator  // JS variable_declarator: const x = require("m")
	kindFunctionDef // a function or method definition: its name shadows a builtin
)

var (
	grammarsMu sync.Mutex
	grammars   = map[Lang]*grammar{}
)

// kindNames lists, per grammar, the node kinds the extractor reads.
var kindNames = map[Lang]map[string]kind{
	JavaScript: jsKinds, TypeScript: jsKinds, TSX: jsKinds,
	Python: {
		"comment": kindComment, "string": kindString, "call": kindCall,
		"import_statement": kindImport, "import_from_statement": kindImportFrom,
		"function_definition": kindFunctionDef,
	},
	Java: {
		"line_comment": kindComment, "block_comment": kindComment,
		"string_literal": kindString, "character_literal": kindString,
		"method_invocation": kindCall, "object_creation_expression": kindNew,
		"import_declaration": kindImport, "method_declaration": kindFunctionDef,
	},
	Ruby: {
		"comment": kindComment, "string": kindString, "heredoc_body": kindHeredoc,
		"interpolation": kindInterp, "call": kindCall, "method": kindFunctionDef,
	},
	Rust: {
		"line_comment": kindComment, "block_comment": kindComment,
		"string_literal": kindString, "raw_string_literal": kindString, "char_literal": kindString,
		"call_expression": kindCall, "use_declaration": kindImport, "function_item": kindFunctionDef,
	},
	PHP: {
		"comment": kindComment, "string": kindString, "encapsed_string": kindString,
		"heredoc": kindHeredoc, "nowdoc": kindHeredoc,
		"function_call_expression": kindCall, "member_call_expression": kindCall,
		"nullsafe_member_call_expression": kindCall, "scoped_call_expression": kindCall,
		"object_creation_expression": kindNew, "namespace_use_declaration": kindImport,
		"function_definition": kindFunctionDef,
	},
	CSharp: {
		"comment": kindComment, "string_literal": kindString, "verbatim_string_literal": kindString,
		"raw_string_literal": kindString, "character_literal": kindString,
		"interpolated_string_expression": kindString,
		"invocation_expression":          kindCall, "object_creation_expression": kindNew,
		"using_directive": kindImport, "method_declaration": kindFunctionDef,
	},
}

var jsKinds = map[string]kind{
	"comment": kindComment, "html_comment": kindComment,
	"string": kindString, "template_string": kindString, "template_substitution": kindInterp,
	"regex": kindRegex, "call_expression": kindCall, "new_expression": kindNew,
	"import_statement": kindImport, "variable_declarator": kindDeclarator,
	"function_declaration": kindFunctionDef,
}

func grammarOf(l Lang) *grammar {
	grammarsMu.Lock()
	defer grammarsMu.Unlock()
	if g := grammars[l]; g != nil {
		return g
	}
	var ptr unsafe.Pointer
	switch l {
	case JavaScript:
		ptr = javascript.Language()
	case TypeScript:
		ptr = typescript.LanguageTypescript()
	case TSX:
		ptr = typescript.LanguageTSX()
	case Python:
		ptr = python.Language()
	case Java:
		ptr = java.Language()
	case Ruby:
		ptr = ruby.Language()
	case Rust:
		ptr = rust.Language()
	case PHP:
		ptr = php.LanguagePHP()
	case CSharp:
		ptr = csharp.Language()
	default:
		return nil
	}
	lang := sitter.NewLanguage(ptr)
	g := &grammar{lang: lang, fields: map[string]uint16{}}
	// A name can stand for several symbols (aliases), so every symbol is
	// looked up by its name.
	g.want = make([]uint8, lang.NodeKindCount())
	for id := range g.want {
		if lang.NodeKindIsNamed(uint16(id)) {
			g.want[id] = uint8(kindNames[l][lang.NodeKindForId(uint16(id))])
		}
	}
	for _, f := range []string{"function", "arguments", "constructor", "object", "property", "attribute",
		"name", "alias", "value", "source", "module_name", "key", "left", "right", "body",
		"type", "receiver", "method", "scope"} {
		if id := lang.FieldIdForName(f); id != 0 {
			g.fields[f] = id
		}
	}
	g.parsers = make(chan *sitter.Parser, idleParsers)
	grammars[l] = g
	return g
}

// Parse parses src as l. It refuses a file over MaxSize (ErrTooLarge), one
// whose brackets nest deeper than MaxDepth (ErrTooDeep), a parse past its
// budget (ErrTimeout) and a language without a grammar (ErrNoGrammar); a
// file with syntax errors still yields the constructs the parser
// recovered, and HasErrors says so.
func Parse(l Lang, src []byte) (*File, error) {
	if len(src) > MaxSize {
		return nil, ErrTooLarge
	}
	g := grammarOf(l)
	if g == nil {
		return nil, ErrNoGrammar
	}
	if bracketDepth(src) > MaxDepth {
		return nil, ErrTooDeep
	}
	p := g.parser()
	if p == nil {
		return nil, ErrNoGrammar
	}
	defer g.release(p)
	// The binding's Parse copies the rest of the input on every read the
	// parser makes; chunks keep that linear in the file's size.
	n := len(src)
	start := time.Now()
	late := false
	tree := p.ParseWithOptions(func(i int, _ sitter.Point) []byte {
		if i >= n {
			return nil
		}
		return src[i:min(n, i+chunk)]
	}, nil, &sitter.ParseOptions{ProgressCallback: func(sitter.ParseState) bool {
		late = time.Since(start) > budget
		return late
	}})
	if tree == nil {
		p.Reset()
		if late {
			return nil, ErrTimeout
		}
		return nil, errors.New("syntax: the parser gave no tree; left to the line rules")
	}
	defer tree.Close()
	f := &File{Lang: l, Src: src}
	x := extractor{g: g, f: f, src: src, lang: l}
	x.walk(tree)
	f.HasErrors = tree.RootNode().HasError()
	x.resolve()
	return f, nil
}

// chunk is how much of the input one read hands the parser.
const chunk = 64 << 10

// bracketDepth is the deepest running count of open brackets in src,
// strings and comments included: a cheap upper bound of the tree's depth.
func bracketDepth(src []byte) int {
	d, deepest := 0, 0
	for _, c := range src {
		switch c {
		case '(', '[', '{':
			d++
			deepest = max(deepest, d)
		case ')', ']', '}':
			d = max(d-1, 0)
		}
	}
	return deepest
}
