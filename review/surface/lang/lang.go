// Package lang finds attack-surface changes in JS/TS, Python, Java/Kotlin,
// Ruby, C#, PHP and Rust with token-aware rules: each file is masked first
// (comments blanked, and string contents blanked for rules about code), so a
// call named in a comment, a docstring or a string is not a finding.
package lang

import (
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/syntax"
)

// New returns the detector for the languages above.
func New() surface.Detector { return detector{} }

// NewForCommit returns the detector for one commit's changes: versions the
// commit's manifests and lockfiles put in force (js-yaml) decide rules whose
// danger depends on them. The scanner passes the same changes to Detect.
func NewForCommit(changes []*surface.Change) surface.Detector {
	return detector{o: versionsInForce(changes)}
}

type detector struct{ o options }

// ForCommit is NewForCommit as a method, so that a scanner holding New()
// can ask for the commit's own detector before it scans the changes.
func (detector) ForCommit(changes []*surface.Change) surface.Detector { return NewForCommit(changes) }

func (detector) Name() string { return "lang" }

func (detector) Applies(p string) bool { return languageOf(p) != nil }

// language is one rule family: its file extensions, lexer and rules.
type language struct {
	id    string // rule id prefix: "js", "py", "java", "rb", "cs", "php", "rs"
	exts  []string
	syn   *lexer
	rules []rule
	// treeRules and importRules match on the syntax tree; the line rules
	// marked tree are their fallback for a file without one.
	treeRules   []treeRule
	importRules []importRule
}

var languages = []*language{
	{id: "js", rules: slices.Concat(jsRules, jsGuardRules, jsDenyLineRules, jsTokenLineRules, jsToolLineRules, exposureRules("js"), childFlagRules("js", `\bchild_process\b|\bspawn\s*\(|\bexeca\b|\bexecFile\b|\bBun\s*\.\s*spawn`)), exts: []string{".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"}, syn: syntaxJS, treeRules: append(append(jsSurfaceTreeRules, jsTreeRules...), jsAgentTreeRules...), importRules: jsImportRules},
	{id: "py", rules: slices.Concat(pyRules, pyGuardRules, pyDenyLineRules, pyTokenLineRules, exposureRules("py"), childFlagRules("py", `\bsubprocess\b|\bcreate_subprocess_exec\b|\bopen_process\b|\bPopen\b`)), exts: []string{".py"}, syn: syntaxPython, treeRules: append(pySurfaceTreeRules, pyTreeRules...)},
	{id: "java", rules: append(javaRules, exposureRules("java")...), exts: []string{".java", ".kt", ".kts"}, syn: syntaxJava, treeRules: javaTreeRules},
	{id: "rb", rules: append(rubyRules, exposureRules("rb")...), exts: []string{".rb", ".rake"}, syn: syntaxRuby, treeRules: rubyTreeRules},
	{id: "cs", rules: append(csharpRules, exposureRules("cs")...), exts: []string{".cs"}, syn: syntaxCSharp, treeRules: csharpTreeRules},
	{id: "php", rules: append(phpRules, exposureRules("php")...), exts: []string{".php"}, syn: syntaxPHP, treeRules: phpTreeRules},
	{id: "rs", rules: append(rustRules, exposureRules("rs")...), exts: []string{".rs"}, syn: syntaxRust, treeRules: rustTreeRules},
}

// prepareRules works out each rule's literal prefilter; it runs on the first
// Detect, not at start-up.
var prepareOnce sync.Once

func prepareRules() {
	for _, l := range languages {
		for i := range l.rules {
			if l.rules[i].lits == nil { // a rule may name its own
				l.rules[i].lits = requiredLiterals(l.rules[i].re.String())
			}
		}
	}
}

func languageOf(p string) *language {
	ext := strings.ToLower(path.Ext(p))
	for _, l := range languages {
		for _, e := range l.exts {
			if e == ext {
				return l
			}
		}
	}
	return nil
}

// rule is one token-aware pattern. By default re runs on the code view of
// an added line (comments and string contents blanked).
type rule struct {
	id, cat, sev string
	re           *lazyRE
	tree         bool   // a tree rule of the same id replaces this one where the file has a syntax tree
	text         bool   // match the text view: strings kept, comments blanked; the match must start in code
	inStrings    bool   // with text: the match may start inside a string (a middleware named in a list)
	orig         bool   // match the original line (annotations that live in doc comments)
	removed      string // severity when a removed line matches; "" = added lines only
	onlyRemoved  bool   // the rule is about removals only (CSRF middleware, validation)
	when         *lazyRE
	unless       *lazyRE // on the text view of the line
	fileHas      *lazyRE // on the text view of the whole file of that side
	fileLacks    *lazyRE
	path         func(string) bool
	check        func(h *hit) bool
	once         bool   // one finding per file and side: the import and each call of one library are one construct
	onceFunc     bool   // one finding per enclosing function and side
	wholeLine    bool   // the construct is the whole line (it pairs with the same line on the other side), not the match
	keyRest      bool   // the construct is what follows the match: a log call's arguments, whichever logger takes them
	token        string // may hold {m}; egress rules use the host when one is literal
	msg          string // may hold {m} {lit} {name} {host} {api}
	oldMsg       string // for a removal
	lits         []string
}

// view is one diff line in three forms that share offsets.
type view struct {
	no                        int
	orig, code, text          string
	lowOrig, lowCode, lowText string // lower-cased, for the prefilter only
}

// hit is one rule match on one view.
type hit struct {
	r    *rule
	v    *view
	loc  []int
	side string
	file string
	in   *side // the file the line belongs to, nil when its content is unknown
	// other is the file on the commit's other side, nil when there is none
	other *side
}

// around is the text view of the lines within n of the hit's line.
func (h *hit) around(n int) string {
	if h.in == nil {
		return h.v.text
	}
	from, to := h.v.no-1-n, h.v.no+n
	if from < 0 {
		from = 0
	}
	if to > len(h.in.text) {
		to = len(h.in.text)
	}
	if from >= to {
		return h.v.text
	}
	return strings.Join(h.in.text[from:to], "\n")
}

// group is the original text of a named group; alternatives of one regexp
// name theirs m, m2, m3 (Go forbids a name twice), so those are tried too.
func (h *hit) group(name string) string {
	for _, n := range []string{name, name + "2", name + "3"} {
		i := h.r.re.SubexpIndex(n)
		if i >= 0 && h.loc[2*i] >= 0 {
			return h.v.orig[h.loc[2*i]:h.loc[2*i+1]]
		}
	}
	return ""
}

// lit is the unquoted original text of the match's string literal.
func (h *hit) lit() string {
	s := h.group("lit")
	if len(s) >= 2 {
		s = s[1 : len(s)-1]
	}
	return s
}

func (h *hit) matched() string { return h.v.orig[h.loc[0]:h.loc[1]] }

var urlRe = regexp.MustCompile(`(?i)\b(?:https?|wss?)://([a-z0-9][a-z0-9.\-]*[a-z0-9])`)

// host is the literal URL host on the line, read from strings, not comments.
func (h *hit) host() string {
	if m := urlRe.FindStringSubmatch(h.v.text); m != nil {
		return strings.ToLower(m[1])
	}
	return ""
}

// side is one version of the file, masked once.
type side struct {
	orig, code, text []string
	whole            string       // text view of the whole file, for fileHas
	tree             *syntax.File // nil when the language has no grammar or the file was not parsed

	funcsOnce sync.Once
	funcs     []string // the function around each line (guards.go), worked out on first use
}

// newSide masks one version of the file: from its syntax tree where the
// language has a grammar, else (Kotlin, a file over syntax.MaxSize, brackets
// nested past syntax.MaxDepth, a file with syntax errors) with the lexer in
// mask.go, and the line rules stand in for the tree rules.
func newSide(src []byte, syn *lexer, p string) *side {
	if src == nil {
		return nil
	}
	var tree *syntax.File
	var code, text []byte
	if l := syntax.LangOf(p); l != "" {
		// A file the parser had to recover in (Flow types in a .js, a
		// half-written file) stays on the lexer: its tree may misplace a
		// string or miss a call.
		if f, err := syntax.Parse(l, src); err == nil && !f.HasErrors {
			tree = f
			code, text = f.Views()
		}
	}
	if tree == nil {
		code, text = mask(src, syn)
	}
	return &side{
		tree:  tree,
		orig:  strings.Split(string(src), "\n"),
		code:  strings.Split(string(code), "\n"),
		text:  strings.Split(string(text), "\n"),
		whole: string(text),
	}
}

// views masks the diff's lines with the whole file's context; a line whose
// file content is missing or does not agree with the diff is masked alone.
func views(s *side, lines []surface.Line, syn *lexer) []view {
	out := make([]view, 0, len(lines))
	for _, l := range lines {
		v := view{no: l.No, orig: l.Text}
		if s != nil && l.No >= 1 && l.No <= len(s.orig) && strings.TrimSuffix(s.orig[l.No-1], "\r") == l.Text {
			v.code, v.text = s.code[l.No-1][:len(l.Text)], s.text[l.No-1][:len(l.Text)]
		} else {
			code, text := mask([]byte(l.Text), syn)
			v.code, v.text = string(code), string(text)
		}
		v.lowOrig, v.lowCode, v.lowText = strings.ToLower(v.orig), strings.ToLower(v.code), strings.ToLower(v.text)
		out = append(out, v)
	}
	return out
}

func wholeText(s *side, vs []view) string {
	if s != nil {
		return s.whole
	}
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(v.text)
		b.WriteByte('\n')
	}
	return b.String()
}

// match runs r on v and returns the first match that starts in code.
func (r *rule) match(v *view, whole string) []int {
	subject, lower := v.code, v.lowCode
	switch {
	case r.orig:
		subject, lower = v.orig, v.lowOrig
	case r.text:
		subject, lower = v.text, v.lowText
	}
	if !r.mayMatch(lower) {
		return nil
	}
	for _, loc := range r.re.FindAllStringSubmatchIndex(subject, -1) {
		if r.text && !r.inStrings && loc[0] < len(v.code) && v.code[loc[0]] != v.text[loc[0]] {
			continue // starts inside a string literal
		}
		if r.when != nil && !r.when.MatchString(v.code) || r.unless != nil && r.unless.MatchString(v.text) {
			return nil
		}
		if r.fileHas != nil && !r.fileHas.MatchString(whole) || r.fileLacks != nil && r.fileLacks.MatchString(whole) {
			return nil
		}
		return loc
	}
	return nil
}

var spaces = regexp.MustCompile(`\s+`)

// paired reports a hit that an identical match on the other side cancels:
// checks that can be removed, and routes, clients and hosts, which stay the
// same endpoint when the line around them is edited. An edited exec or eval
// line is still reported: its arguments are what changed.
func (h *hit) paired() bool {
	return h.r.removed != "" || h.r.keyRest || h.r.cat == "entry-point" || h.r.cat == "egress" || h.group("lit") != ""
}

// secondUseCategories are where a call the file already made is the same
// surface used again: the first egress to a host is what the reviewer needs,
// not each later call to it. Each new process a file spawns stays a finding:
// the command is what matters, and it differs from call to call.
var secondUseCategories = map[string]bool{"egress": true}

// key is what a match is compared by across the two sides: without spaces
// and with one kind of quote, so a formatter's rewrite is not a new construct.
func (h *hit) key() string {
	if h.r.keyRest {
		return h.r.id + "\x00" + strings.ReplaceAll(spaces.ReplaceAllString(h.v.code[h.loc[1]:], ""), "'", `"`)
	}
	if h.r.wholeLine {
		return h.r.id + "\x00" + strings.ReplaceAll(spaces.ReplaceAllString(h.v.orig, ""), "'", `"`)
	}
	return h.r.id + "\x00" + strings.ReplaceAll(spaces.ReplaceAllString(h.matched(), ""), "'", `"`)
}

func (d detector) Detect(c *surface.Change) (out []surface.Finding) {
	// A bug in a rule must cost one file's findings, never the whole scan.
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	prepareOnce.Do(prepareRules)
	p := c.Path()
	lg := languageOf(p)
	if lg == nil {
		return nil
	}
	after, before := cachedSide(c.After, lg.syn, p), cachedSide(c.Before, lg.syn, p)
	treeOut := treeFindings(lg, c, before, after, &d.o)
	onTree := len(lg.treeRules) > 0 && after != nil && after.tree != nil && (c.Before == nil || before != nil && before.tree != nil)
	var rules []*rule
	for i := range lg.rules {
		if r := &lg.rules[i]; (r.path == nil || r.path(p)) && !(r.tree && onTree) {
			rules = append(rules, r)
		}
	}
	added, removed := views(after, c.Added(), lg.syn), views(before, c.Removed(), lg.syn)
	afterWhole, beforeWhole := wholeText(after, added), wholeText(before, removed)

	collect := func(vs []view, whole, sideName string, in, other *side) []*hit {
		var out []*hit
		for i := range vs {
			for _, r := range rules {
				if sideName == surface.SideNew && r.onlyRemoved {
					continue
				}
				loc := r.match(&vs[i], whole)
				if loc == nil {
					continue
				}
				h := &hit{r: r, v: &vs[i], loc: loc, side: sideName, file: p, in: in, other: other}
				if r.check != nil && !r.check(h) {
					continue
				}
				out = append(out, h)
			}
		}
		return out
	}
	newHits := collect(added, afterWhole, surface.SideNew, after, before)
	oldHits := collect(removed, beforeWhole, surface.SideOld, before, after)

	// A match on both sides with the same text is an edit around it, not a
	// new or removed check; a line moved unchanged is not new surface.
	newKeys, oldKeys, oldLines := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, h := range newHits {
		newKeys[h.key()] = true
	}
	for _, h := range oldHits {
		oldKeys[h.key()] = true
	}
	for _, v := range removed {
		oldLines[strings.TrimSpace(v.orig)] = true
	}

	seen := map[string]bool{}
	for _, f := range treeOut {
		k := f.Side + "\x00" + f.Category + "\x00" + itoa(f.Line)
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	emit := func(h *hit, sev, msg string) {
		k := h.side + "\x00" + h.r.cat + "\x00" + itoa(h.v.no)
		if seen[k] {
			return // one finding per category and line: the first, most specific rule wins
		}
		seen[k] = true
		tok := strings.NewReplacer("{m}", h.group("m"), "{name}", h.group("name")).Replace(h.r.token)
		if h.r.cat == "egress" {
			if host := h.host(); host != "" {
				tok = host
			}
		}
		out = append(out, surface.Finding{
			Category: h.r.cat, Rule: h.r.id, Severity: sev, File: p,
			Line: h.v.no, EndLine: h.v.no, Side: h.side,
			Evidence: evidence(h.v.orig), Message: h.expand(msg), Token: tok,
		})
	}
	// A second use of what the file already used (another requests.get) is
	// not new surface, unless it reaches a new host.
	var beforeCode string
	if before != nil {
		beforeCode = spaces.ReplaceAllString(strings.Join(before.code, "\n"), "")
	}
	// A hit whose rule also matched a removed line is a changed construct
	// (the command it runs was rewritten): that is reported.
	changed := map[string]bool{}
	for _, h := range oldHits {
		changed[h.r.id] = true
	}
	alreadyUsed := func(h *hit) bool {
		if before == nil || !secondUseCategories[h.r.cat] || changed[h.r.id] {
			return false
		}
		m := spaces.ReplaceAllString(h.v.code[h.loc[0]:h.loc[1]], "")
		if m == "" || !strings.Contains(beforeCode, m) {
			return false
		}
		if host := h.host(); host != "" && !strings.Contains(before.whole, host) {
			return false
		}
		return true
	}
	onceDone := map[string]bool{}
	first := func(h *hit) bool {
		if !h.r.once && !h.r.onceFunc {
			return true
		}
		k := h.side + "\x00" + h.r.id
		if h.r.onceFunc {
			k += "\x00" + enclosingFunc(h)
		}
		if onceDone[k] {
			return false
		}
		onceDone[k] = true
		return true
	}
	for _, h := range newHits {
		if h.paired() && oldKeys[h.key()] || oldLines[strings.TrimSpace(h.v.orig)] || alreadyUsed(h) || !first(h) {
			continue
		}
		emit(h, h.r.sev, h.r.msg)
	}
	for _, h := range oldHits {
		if h.r.removed == "" || newKeys[h.key()] || !first(h) {
			continue // removed lines only matter to rules about removals
		}
		msg := h.r.oldMsg
		if msg == "" {
			msg = h.r.msg + " (removed)"
		}
		emit(h, h.r.removed, msg)
	}
	slices.SortStableFunc(out, func(a, b surface.Finding) int { return a.Line - b.Line })
	return out
}

var placeholder = regexp.MustCompile(` ?\{(m|lit|name|host|api|match|func)\}`)

// expand fills a message's placeholders; an empty one drops with its space.
func (h *hit) expand(s string) string {
	return placeholder.ReplaceAllStringFunc(s, func(ph string) string {
		lead := ""
		if ph[0] == ' ' {
			lead, ph = " ", ph[1:]
		}
		var v string
		switch ph {
		case "{m}":
			v = method(h.group("m"))
		case "{lit}":
			v = h.lit()
		case "{name}":
			v = h.group("name")
		case "{host}":
			v = h.host()
		case "{api}":
			v = nextRoute(h.file)
		case "{match}":
			v = strings.TrimSpace(h.matched())
		case "{func}":
			v = enclosingFunc(h)
		}
		v = oneLine(v)
		if v == "" {
			return ""
		}
		return lead + v
	})
}

// method turns a framework's verb spelling into the HTTP method.
func method(m string) string {
	u := strings.ToUpper(m)
	u = strings.TrimPrefix(u, "HTTP")
	u = strings.TrimSuffix(u, "MAPPING")
	switch u {
	case "ROUTE", "REQUEST", "ALL", "ANY", "MATCH", "API_ROUTE", "METHODS", "":
		return ""
	case "DEL":
		return "DELETE"
	}
	if strings.ContainsAny(u, "_ ") || len(u) > 7 {
		return m
	}
	return u
}

func evidence(s string) string {
	s = oneLine(strings.TrimSpace(s))
	if len(s) > 200 {
		cut := 200
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// isNextAPI reports a Next.js API file: pages/api/** or app/**/route.*.
func isNextAPI(p string) bool {
	return nextRoute(p) != ""
}

// nextRoute is the URL path Next.js serves a handler file at, "" if none.
func nextRoute(p string) string {
	segs := strings.Split(p, "/")
	base := segs[len(segs)-1]
	stem := strings.TrimSuffix(base, path.Ext(base))
	for i, s := range segs[:len(segs)-1] {
		if s == "pages" && i+1 < len(segs)-1 && segs[i+1] == "api" {
			parts := append([]string{}, segs[i+1:len(segs)-1]...)
			if stem != "index" {
				parts = append(parts, stem)
			}
			return "/" + strings.Join(parts, "/")
		}
	}
	if stem != "route" {
		return ""
	}
	for i, s := range segs[:len(segs)-1] {
		if s == "app" {
			var parts []string
			for _, seg := range segs[i+1 : len(segs)-1] {
				if strings.HasPrefix(seg, "(") && strings.HasSuffix(seg, ")") || strings.HasPrefix(seg, "@") {
					continue // route groups and parallel slots are not in the URL
				}
				parts = append(parts, seg)
			}
			return "/" + strings.Join(parts, "/")
		}
	}
	return ""
}

// Warm compiles the rule tables now instead of on the first Detect.
func (detector) Warm() { prepareOnce.Do(prepareRules) }
