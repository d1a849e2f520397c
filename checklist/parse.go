package checklist

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"

	"github.com/vouch-review/vouch/review/surface"
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// GFM, as Glamour renders it, so that what counts as an item here is what the
// reviewer sees as a checkbox. The parser initialises once and is safe for
// concurrent use.
var markdown parser.Parser = goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()

var frontMatterKeys = []string{"id", "title", "applies", "severity"}
var appliesKeys = []string{"categories", "rules", "paths", "ai"}

// Parse reads one checklist file. It returns the checklist only when the file
// has no problem at all, so that a half-understood checklist never reaches a
// reviewer; the problems say what to fix, each at the line it is about.
func Parse(file string, data []byte) (*Checklist, []Problem) {
	c, _, problems := parse(file, data)
	return c, problems
}

// parse is Parse plus the line of the id, where duplicate ids are reported.
func parse(file string, data []byte) (*Checklist, int, []Problem) {
	p := &fileParser{file: file}
	c, idLine := p.parse(data)
	if len(p.problems) > 0 {
		// In file order, as a reader fixes them; whole-file problems first.
		sort.SliceStable(p.problems, func(i, j int) bool { return p.problems[i].Line < p.problems[j].Line })
		return nil, idLine, p.problems
	}
	return c, idLine, nil
}

type fileParser struct {
	file     string
	problems []Problem
}

func (p *fileParser) add(line int, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: p.file, Line: max(line, 0), Msg: fmt.Sprintf(format, args...)})
}

func (p *fileParser) parse(data []byte) (*Checklist, int) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	// Line endings are normalised once so that CRLF files give the same items,
	// explanations and line numbers as LF ones.
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))

	fm, body, bodyLine, ok := p.splitFrontMatter(data)
	if !ok {
		return nil, 0
	}
	c := &Checklist{Body: string(body)}
	idLine := p.frontMatter(fm, c)
	p.body(body, bodyLine, c)
	return c, idLine
}

// splitFrontMatter cuts the file at its "---" fences. The YAML begins on
// line 2; the body begins on bodyLine.
func (p *fileParser) splitFrontMatter(data []byte) (fm, body []byte, bodyLine int, ok bool) {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if !isFence(first, false) {
		p.add(1, "no front matter: a checklist starts with a line \"---\", then id, title and applies, then \"---\"")
		return nil, nil, 0, false
	}
	off := len(first) + 1
	for line := 2; off <= len(data); line++ {
		l, _, _ := bytes.Cut(data[off:], []byte("\n"))
		if isFence(l, true) {
			end := min(off+len(l)+1, len(data))
			return data[len(first)+1 : off], data[end:], line + 1, true
		}
		off += len(l) + 1
	}
	p.add(1, "front matter is not closed: add a line \"---\" after it")
	return nil, nil, 0, false
}

func isFence(l []byte, closing bool) bool {
	l = bytes.TrimRight(l, " \t\r")
	return string(l) == "---" || (closing && string(l) == "...")
}

// yamlLine turns a line of the front matter into a line of the file: the
// front matter starts after the opening fence.
func yamlLine(n int) int { return max(n, 1) + 1 }

var yamlErrLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// yamlParserProblems are the messages of yaml.v3's parser (parserc.go), as
// opposed to its scanner: the parser counts lines differently (see yamlError).
var yamlParserProblems = []string{
	"did not find expected <document start>",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

// yamlError reports a YAML library error at the line it names, or at the
// opening fence when it names none.
func (p *fileParser) yamlError(where string, err error) {
	var msgs []string
	if te, ok := err.(*yaml.TypeError); ok {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	for _, m := range msgs {
		m = strings.TrimPrefix(m, "yaml: ")
		n := 0 // the front-matter line the library names, 0 for none
		if sm := yamlErrLine.FindStringSubmatch(m); sm != nil {
			n, _ = strconv.Atoi(sm[1])
			m = sm[2]
		}
		line := 1 // the opening fence, for errors about no line in particular
		switch {
		case slices.Contains(yamlParserProblems, m):
			// yaml.v3 names parser errors' lines from 0 and leaves out line 0.
			line = yamlLine(n + 1)
		case n > 0:
			line = yamlLine(n)
		}
		if where != "" {
			m = where + ": " + m
		}
		p.add(line, "%s", m)
	}
}

// frontMatter walks the YAML node tree rather than decoding into a struct, so
// that every problem (unknown key, bad id, unknown category) points at its own
// line; keys are checked as strictly as KnownFields would.
func (p *fileParser) frontMatter(fm []byte, c *Checklist) (idLine int) {
	var doc yaml.Node
	if err := yaml.Unmarshal(fm, &doc); err != nil {
		p.yamlError("front matter", err)
		return 0
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	var titleLine, appliesLine int
	// A value already reported as malformed is not reported again as empty.
	idOK, titleOK, appliesOK := true, true, true
	switch {
	case root.Kind == 0 || root.Kind == yaml.DocumentNode || isNull(root):
		// Empty front matter: the missing keys are reported below.
	case root.Kind != yaml.MappingNode:
		p.add(yamlLine(root.Line), "front matter must be keys and values (id:, title:, applies:)")
		return 0
	default:
		seen := map[string]int{}
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, v := root.Content[i], root.Content[i+1]
			if !p.key(k, seen, frontMatterKeys, "front matter") {
				continue
			}
			switch k.Value {
			case "id":
				idLine = yamlLine(v.Line)
				c.ID, idOK = p.str(v, "id")
			case "title":
				titleLine = yamlLine(v.Line)
				c.Title, titleOK = p.str(v, "title")
				c.Title = strings.TrimSpace(c.Title)
			case "severity":
				c.Severity, _ = p.str(v, "severity")
				if c.Severity != "" && surface.SeverityRank(c.Severity) < 0 {
					p.add(yamlLine(v.Line), "unknown severity %q: use one of %s", c.Severity, strings.Join(surface.Severities, ", "))
				}
			case "applies":
				appliesLine = yamlLine(k.Line)
				before := len(p.problems)
				p.applies(v, &c.Applies)
				appliesOK = len(p.problems) == before
			}
		}
	}

	switch {
	case idLine == 0:
		p.add(1, "missing id")
	case !idOK:
	case c.ID == "":
		p.add(idLine, "id is empty")
	case !idPattern.MatchString(c.ID):
		p.add(idLine, "bad id %q: use lower-case letters, digits and dashes, starting with a letter or digit", c.ID)
	}
	switch {
	case titleLine == 0:
		p.add(1, "missing title")
	case titleOK && c.Title == "":
		p.add(titleLine, "title is empty")
	}
	a := c.Applies
	if appliesOK && len(a.Categories) == 0 && len(a.Rules) == 0 && len(a.Paths) == 0 && !a.AI {
		if appliesLine == 0 {
			appliesLine = 1
		}
		p.add(appliesLine, "applies is empty: give categories, rules, paths or ai: true, or the checklist is never shown")
	}
	return idLine
}

// key checks one mapping key: a plain name, known, not repeated.
func (p *fileParser) key(k *yaml.Node, seen map[string]int, known []string, where string) bool {
	line := yamlLine(k.Line)
	if k.Kind != yaml.ScalarNode {
		p.add(line, "%s: keys must be plain names", where)
		return false
	}
	if first, ok := seen[k.Value]; ok {
		p.add(line, "%s: %q repeated (first at line %d)", where, k.Value, first)
		return false
	}
	seen[k.Value] = line
	if !slices.Contains(known, k.Value) {
		p.add(line, "%s: unknown key %q (known: %s)", where, k.Value, strings.Join(known, ", "))
		return false
	}
	return true
}

func (p *fileParser) applies(v *yaml.Node, a *Applies) {
	if isNull(v) {
		return
	}
	if v.Kind != yaml.MappingNode {
		p.add(yamlLine(v.Line), "applies must be keys and values (categories:, rules:, paths:, ai:)")
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if !p.key(k, seen, appliesKeys, "applies") {
			continue
		}
		switch k.Value {
		case "categories":
			for _, e := range p.list(val, "applies.categories") {
				if !slices.Contains(surface.Categories, e.value) {
					p.add(e.line, "unknown category %q: use one of SPEC.md's categories (%s)", e.value, strings.Join(surface.Categories, ", "))
					continue
				}
				a.Categories = append(a.Categories, e.value)
			}
		case "rules":
			for _, e := range p.list(val, "applies.rules") {
				if p.glob(e, "rule") {
					a.Rules = append(a.Rules, e.value)
				}
			}
		case "paths":
			for _, e := range p.list(val, "applies.paths") {
				if p.glob(e, "path") {
					a.Paths = append(a.Paths, e.value)
				}
			}
		case "ai":
			if err := val.Decode(&a.AI); err != nil {
				p.add(yamlLine(val.Line), "applies.ai must be true or false")
			}
		}
	}
}

func (p *fileParser) glob(e listEntry, what string) bool {
	if _, err := surface.Glob(e.value); err != nil {
		p.add(e.line, "bad %s glob %q: %v", what, e.value, err)
		return false
	}
	return true
}

type listEntry struct {
	value string
	line  int
}

// list reads a YAML sequence of strings with the line of each.
func (p *fileParser) list(v *yaml.Node, where string) []listEntry {
	if isNull(v) {
		return nil
	}
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	if v.Kind != yaml.SequenceNode {
		p.add(yamlLine(v.Line), "%s must be a list, such as [a, b]", where)
		return nil
	}
	var out []listEntry
	for _, e := range v.Content {
		s, ok := p.str(e, where)
		s = strings.TrimSpace(s)
		if !ok {
			continue
		}
		if s == "" {
			p.add(yamlLine(e.Line), "%s: empty entry", where)
			continue
		}
		out = append(out, listEntry{s, yamlLine(e.Line)})
	}
	return out
}

// str decodes a scalar; lists and mappings where a string belongs are
// reported rather than flattened.
func (p *fileParser) str(v *yaml.Node, where string) (string, bool) {
	if isNull(v) {
		return "", true
	}
	var s string
	if err := v.Decode(&s); err != nil {
		p.add(yamlLine(v.Line), "%s must be a string", where)
		return "", false
	}
	return s, true
}

func isNull(v *yaml.Node) bool {
	return v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null"
}

// body finds the task-list items with goldmark. Lines and explanations are
// cut from the source rather than re-rendered from the AST, so what the
// reviewer reads and what the record stores are exactly what was written.
func (p *fileParser) body(body []byte, bodyLine int, c *Checklist) {
	doc := markdown.Parse(text.NewReader(body))
	src := newSource(body, bodyLine)

	type span struct{ start, end int } // byte range of an item, whole lines
	var items []*ast.ListItem
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if li, ok := n.(*ast.ListItem); ok && entering && isTask(li) {
			items = append(items, li)
		}
		return ast.WalkContinue, nil
	})

	spans := make([]span, len(items))
	for i, li := range items {
		first := li.FirstChild().Lines().At(0)
		spans[i] = span{src.lineStart(first.Start), src.lineStart(nextBlockStart(li, len(body)))}
	}

	for i, li := range items {
		first := li.FirstChild().Lines().At(0)
		line := src.lineOf(first.Start)
		itemText := string(bytes.TrimSpace(afterCheckbox(src.restOfLine(first.Start))))
		if itemText == "" {
			p.add(line, "item has no text")
		}

		// The explanation is the item's lines after the first, less the
		// lines of nested items, which are items of their own.
		start := src.lineEnd(first.Start)
		var kept []string
		for off := start; off < spans[i].end; {
			nested := false
			for j := i + 1; j < len(items) && spans[j].start < spans[i].end; j++ {
				if off >= spans[j].start && off < spans[j].end {
					off, nested = spans[j].end, true
					break
				}
			}
			if nested {
				continue
			}
			end := src.lineEnd(off)
			kept = append(kept, strings.TrimRight(string(body[off:end]), "\n"))
			off = end
		}
		indent := first.Start - src.lineStart(first.Start) + first.Padding
		c.Items = append(c.Items, Item{Text: itemText, Explanation: dedent(kept, indent), Line: line})
	}

	if len(items) == 0 {
		c.Intro = strings.TrimSpace(string(body))
		p.add(0, "no items: a checklist needs task-list items such as \"- [ ] The version is pinned\"")
		return
	}
	// The intro stops at the top-level block that holds the first item, so a
	// list whose first entries are plain bullets is not cut in half.
	var top ast.Node = items[0]
	for top.Parent() != nil && top.Parent() != doc {
		top = top.Parent()
	}
	c.Intro = strings.TrimSpace(string(body[:src.lineStart(blockStart(top, spans[0].start))]))
}

// isTask reports whether a list item begins with a GFM checkbox.
func isTask(li *ast.ListItem) bool {
	fc := li.FirstChild()
	if fc == nil || fc.Lines().Len() == 0 {
		return false
	}
	_, ok := fc.FirstChild().(*east.TaskCheckBox)
	return ok
}

// afterCheckbox drops the "[ ]" or "[x]" that goldmark recognised.
func afterCheckbox(line []byte) []byte {
	rest := bytes.TrimLeft(line, " \t")
	if len(rest) >= 3 && rest[0] == '[' && rest[2] == ']' {
		return rest[3:]
	}
	return line
}

// nextBlockStart is where the next block after n begins in the source: the
// end of n's content, since goldmark records where blocks open, not close.
func nextBlockStart(n ast.Node, end int) int {
	for ; n != nil; n = n.Parent() {
		for s := n.NextSibling(); s != nil; s = s.NextSibling() {
			if at := blockStart(s, -1); at >= 0 {
				return at
			}
		}
	}
	return end
}

// blockStart is a block's first byte: goldmark sets Pos when it opens a block,
// but blocks made by transformers (tables) may lack it, so fall back to the
// first line of the block or of its descendants.
func blockStart(n ast.Node, fallback int) int {
	if n.Pos() >= 0 {
		return n.Pos()
	}
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if at := blockStart(ch, -1); at >= 0 {
			return at
		}
	}
	return fallback
}

// dedent removes an item's content indentation (tabs at 4-column stops, as
// CommonMark counts them) and the blank lines around the explanation.
func dedent(lines []string, indent int) string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		col, cut := 0, 0
		for ; cut < len(l); cut++ {
			next := col + 1
			if l[cut] == '\t' {
				next = col + 4 - col%4
			} else if l[cut] != ' ' {
				break
			}
			if next > indent {
				break // a tab reaching past the indent belongs to the content
			}
			col = next
		}
		out[i] = strings.TrimRight(l[cut:], " \t")
	}
	return strings.Join(out, "\n")
}

// source maps byte offsets of the body to lines of the file.
type source struct {
	b        []byte
	starts   []int // byte offset where each body line starts
	firstLin int   // file line of the body's first line
}

func newSource(b []byte, firstLine int) source {
	s := source{b: b, starts: []int{0}, firstLin: firstLine}
	for i, c := range b {
		if c == '\n' {
			s.starts = append(s.starts, i+1)
		}
	}
	return s
}

func (s source) index(off int) int {
	return sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > off }) - 1
}

func (s source) lineOf(off int) int    { return s.firstLin + s.index(off) }
func (s source) lineStart(off int) int { return s.starts[max(s.index(min(off, len(s.b))), 0)] }

// lineEnd is the offset just past the newline of off's line.
func (s source) lineEnd(off int) int {
	if i := bytes.IndexByte(s.b[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(s.b)
}

func (s source) restOfLine(off int) []byte {
	return bytes.TrimRight(s.b[off:s.lineEnd(off)], "\n")
}
