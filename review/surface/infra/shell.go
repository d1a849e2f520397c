package infra

import (
	"regexp"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Shell text (Dockerfile RUN, workflow run:, CI scripts, shell scripts) is
// read with mvdan.cc/sh's parser, so a download piped into an interpreter is
// found through &&, ;, subshells, `bash -c '…'`, line continuations and
// heredocs, and each risky command has a canonical text: editing another
// command of the same script, or re-wrapping this one, does not make it new.
// Text the parser refuses (another shell's syntax, a partial script) falls
// back to the line patterns below.

// hitKind is what a risky shell command does.
type hitKind int

const (
	hitPipeShell     hitKind = iota // a download run by an interpreter
	hitWorldWritable                // a mode that lets every user write
)

// shellHit is one risky command of a script; lines are the script's own
// (1-based).
type shellHit struct {
	kind        hitKind
	key         string // the command's canonical text
	line        int    // where the finding points: the download, the chmod
	first, last int    // the lines the command spans
	text        string // what the message quotes (world-writable: "chmod -R 777")
	word        string // a word of the command, to find its line in folded YAML
}

// Limits on what is handed to the parser, which descends recursively: text
// nested deeper than any real script is refused and read by the patterns.
const (
	maxShellSize  = 256 << 10
	maxShellDepth = 64
	maxNestedSh   = 4    // bash -c 'sh -c "…"' levels followed
	maxShellHits  = 1000 // per script: past that a reviewer has seen enough
)

// scanShell parses a script and returns its risky commands; ok is false when
// the parser refused the text.
func scanShell(script string) (hits []shellHit, ok bool) {
	return scanShellDepth(script, 0)
}

func scanShellDepth(script string, depth int) ([]shellHit, bool) {
	if strings.Contains(script, "${{") {
		script = ghExpr.ReplaceAllStringFunc(script, func(m string) string {
			// A ${{ … }} of a workflow is text to the shell; keep its newlines.
			return "$GHX" + strings.Repeat("\n", strings.Count(m, "\n"))
		})
	}
	if len(script) > maxShellSize || shellTooDeep(script) {
		return nil, false
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(script), "")
	if err != nil {
		return nil, false
	}
	s := &shellScan{src: script, depth: depth, piped: map[*syntax.BinaryCmd]bool{}, seen: map[shellHitKey]bool{}}
	syntax.Walk(f, s.visit)
	return s.hits, true
}

// shellTooDeep estimates nesting from brackets. Compound commands nest
// too (if, while, case), but within maxShellSize their depth costs the
// parser tens of megabytes at worst, so they are left to the size limit.
func shellTooDeep(s string) bool {
	depth, backquoted := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '`':
			if backquoted = !backquoted; !backquoted {
				depth = max(depth-1, 0)
				continue
			}
			fallthrough
		case '(', '{':
			if depth++; depth > maxShellDepth {
				return true
			}
		case ')', '}':
			depth = max(depth-1, 0)
		}
	}
	return false
}

type shellScan struct {
	src   string
	depth int
	piped map[*syntax.BinaryCmd]bool // pipes already judged as part of a longer pipeline
	hits  []shellHit
	seen  map[shellHitKey]bool
}

func (s *shellScan) visit(n syntax.Node) bool {
	switch x := n.(type) {
	case *syntax.BinaryCmd:
		if (x.Op == syntax.Pipe || x.Op == syntax.PipeAll) && !s.piped[x] {
			s.pipeline(x)
		}
	case *syntax.Stmt:
		s.redirects(x)
	case *syntax.CallExpr:
		s.call(x)
	}
	return true
}

// pipeline judges a whole a | b | c: a download in one stage read by an
// interpreter in a later one.
func (s *shellScan) pipeline(b *syntax.BinaryCmd) {
	var stages []*syntax.Stmt
	var flatten func(st *syntax.Stmt)
	flatten = func(st *syntax.Stmt) {
		if p, ok := st.Cmd.(*syntax.BinaryCmd); ok && (p.Op == syntax.Pipe || p.Op == syntax.PipeAll) {
			s.piped[p] = true
			flatten(p.X)
			flatten(p.Y)
			return
		}
		stages = append(stages, st)
	}
	s.piped[b] = true
	flatten(b.X)
	flatten(b.Y)
	reader := -1 // the last stage that runs what it reads
	for j := len(stages) - 1; j > 0 && reader < 0; j-- {
		if readsStdin(stages[j]) {
			reader = j
		}
	}
	for _, st := range stages[:max(reader, 0)] {
		if dl := downloadIn(st); dl != nil {
			s.add(shellHit{kind: hitPipeShell, key: s.pipeKey(dl, b), line: line(dl.Pos()),
				first: line(b.Pos()), last: line(b.End()), word: firstWord(dl)})
			return
		}
	}
}

// redirects judges an interpreter fed from a download: bash < <(curl …),
// bash <<< "$(curl …)".
func (s *shellScan) redirects(st *syntax.Stmt) {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok {
		return
	}
	name, _ := command(call)
	if !isShell(name) && !isInterpreter(name) {
		return
	}
	for _, r := range st.Redirs {
		switch r.Op {
		case syntax.RdrIn, syntax.WordHdoc:
			if dl := downloadIn(r.Word); dl != nil {
				s.add(shellHit{kind: hitPipeShell, key: s.pipeKey(dl, st), line: line(dl.Pos()),
					first: line(st.Pos()), last: line(st.End()), word: firstWord(dl)})
				return
			}
		case syntax.Hdoc, syntax.DashHdoc:
			// A heredoc fed to a shell is a script of its own.
			if r.Hdoc != nil && isShell(name) && len(r.Hdoc.Parts) > 0 {
				s.nested(s.text(r.Hdoc), line(r.Hdoc.Pos()))
			}
		}
	}
}

// call judges one simple command: sh -c "$(curl …)", bash <(curl …),
// eval "$(curl …)", the script of a bash -c '…', and world-writable modes.
func (s *shellScan) call(c *syntax.CallExpr) {
	name, args := command(c)
	var code []*syntax.Word // the words that are run as code
	switch {
	case name == "eval":
		code = args
	case name == "source" || name == ".":
		code = args[:min(1, len(args))]
	case isShell(name) || isInterpreter(name):
		code = codeArgs(args)
	}
	for _, a := range code {
		if dl := downloadIn(a); dl != nil {
			s.add(shellHit{kind: hitPipeShell, key: s.pipeKey(dl, c), line: line(dl.Pos()),
				first: line(c.Pos()), last: line(c.End()), word: firstWord(dl)})
			break
		}
	}
	// The script of any shell's -c, wherever the shell sits in the command
	// (sudo sh -c, su -c, docker run img sh -c).
	for i, a := range c.Args {
		if !isShell(wordName(a)) && !(wordName(a) == "su" && i == 0) {
			continue
		}
		for j := i + 1; j+1 < len(c.Args); j++ {
			f := literal(c.Args[j])
			if !strings.HasPrefix(f, "-") {
				break
			}
			if shortFlag(f, 'c') {
				script := c.Args[j+1]
				s.nested(s.unquoted(script), line(script.Pos()))
				break
			}
		}
	}
	s.modes(name, args)
	// find … -exec chmod 777 {} +, xargs chmod 777.
	for i, a := range c.Args[:max(len(c.Args)-1, 0)] {
		switch wordName(a) {
		case "-exec", "-execdir", "-ok", "xargs":
			s.modes(wordName(c.Args[i+1]), c.Args[i+2:])
		}
	}
}

// codeArgs are the arguments of a shell or interpreter that it runs: the
// word after -c (-e for perl, ruby, node), or the script file when it is a
// process or command substitution.
func codeArgs(args []*syntax.Word) []*syntax.Word {
	for i, a := range args {
		t := literal(a)
		switch {
		case shortFlag(t, 'c') || t == "-e" || t == "-E" || t == "-r":
			if i+1 < len(args) {
				return args[i+1 : i+2]
			}
			return nil
		case t == "-o" || t == "-O" || t == "+o" || t == "+O":
			continue
		case strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+"):
			continue
		case i > 0 && isOptionValue(literal(args[i-1])):
			continue
		}
		return args[i : i+1]
	}
	return nil
}

// isOptionValue reports a shell flag whose value is the next word.
func isOptionValue(f string) bool { return f == "-o" || f == "-O" || f == "+o" || f == "+O" }

// shortFlag reports a single-dash flag cluster holding the letter: -c, -ec.
func shortFlag(f string, letter byte) bool {
	return len(f) > 1 && f[0] == '-' && f[1] != '-' && strings.IndexByte(f[1:], letter) >= 0 &&
		strings.Trim(f[1:], "abcdefhiklmnprstuvxBCEHPT") == ""
}

// modes reports chmod, mkdir -m and install -m that let every user write.
func (s *shellScan) modes(name string, args []*syntax.Word) {
	switch name {
	case "chmod":
		var flags []string
		for _, m := range args {
			t := literal(m)
			if strings.HasPrefix(t, "-") && !symbolicMode.MatchString(t) {
				flags = append(flags, t)
				continue
			}
			if worldWritableMode(t) {
				s.world(m, strings.Join(append(append([]string{"chmod"}, flags...), t), " "), args)
			}
			return
		}
	case "mkdir", "install":
		for j, m := range args {
			t := literal(m)
			mode := ""
			switch {
			case t == "-m" || t == "--mode":
				if j+1 < len(args) {
					mode = literal(args[j+1])
				}
			case strings.HasPrefix(t, "--mode="):
				mode = strings.TrimPrefix(t, "--mode=")
			case strings.HasPrefix(t, "-m") && len(t) > 2:
				mode = strings.TrimPrefix(t[2:], "=")
			}
			if mode != "" && worldWritableMode(mode) {
				s.world(m, name+" -m "+mode, args)
				return
			}
		}
	}
}

func (s *shellScan) world(at *syntax.Word, text string, args []*syntax.Word) {
	last := args[len(args)-1]
	parts := []string{text}
	for _, w := range args {
		if w.Pos().After(at.Pos()) {
			parts = append(parts, s.text(w))
		}
	}
	s.add(shellHit{kind: hitWorldWritable, key: normalizeCommand(strings.Join(parts, " ")), line: line(at.Pos()),
		first: line(at.Pos()), last: line(last.End()), text: text, word: literal(at)})
}

// nested reads a script inside a script (bash -c '…', a heredoc fed to sh),
// its lines shifted to where it starts.
func (s *shellScan) nested(script string, at int) {
	if s.depth >= maxNestedSh || strings.TrimSpace(script) == "" {
		return
	}
	hits, ok := scanShellDepth(script, s.depth+1)
	if !ok {
		// The patterns, on the joined text, still see a pipe inside.
		if key := curlPipeSnippet(script); key != "" {
			s.add(shellHit{kind: hitPipeShell, key: key, line: at, first: at, last: at + strings.Count(script, "\n")})
		}
		return
	}
	for _, h := range hits {
		h.line, h.first, h.last = h.line+at-1, h.first+at-1, h.last+at-1
		s.add(h)
	}
}

func (s *shellScan) add(h shellHit) {
	k := shellHitKey{h.kind, h.key, h.line}
	if s.seen[k] || len(s.hits) >= maxShellHits {
		return
	}
	s.seen[k] = true
	s.hits = append(s.hits, h)
}

type shellHitKey struct {
	kind hitKind
	key  string
	line int
}

// text is the source of a node.
func (s *shellScan) text(n syntax.Node) string {
	a, b := int(n.Pos().Offset()), int(n.End().Offset())
	if a < 0 || b > len(s.src) || a > b {
		return ""
	}
	return s.src[a:b]
}

// unquoted is a word's source without the quotes around it, as the shell it
// is handed to reads it.
func (s *shellScan) unquoted(w *syntax.Word) string {
	if len(w.Parts) == 1 {
		switch q := w.Parts[0].(type) {
		case *syntax.SglQuoted:
			return q.Value
		case *syntax.DblQuoted:
			t := s.text(q)
			if len(t) >= 2 {
				return t[1 : len(t)-1]
			}
		}
	}
	return s.text(w)
}

// canonical is a command's text with spacing and line continuations
// normalised: what identifies it on both sides of a commit.
// pipeKey is what a download run by an interpreter is known by: the URLs it
// fetches, so that wrapping it in a timeout, a retry loop or another
// version argument is the same construct; its canonical text when it names
// no URL.
func (s *shellScan) pipeKey(dl *syntax.CallExpr, whole syntax.Node) string {
	if urls := urlWord.FindAllString(s.text(dl), -1); len(urls) > 0 {
		return "url " + strings.Join(urls, " ")
	}
	return s.canonical(whole)
}

var urlWord = regexp.MustCompile(`https?://[^\s'"|;&)]+`)

func (s *shellScan) canonical(n syntax.Node) string {
	var b strings.Builder
	if syntax.NewPrinter().Print(&b, n) != nil {
		return normalizeCommand(s.text(n))
	}
	return normalizeCommand(b.String())
}

func line(p syntax.Pos) int { return int(p.Line()) }

// command is a simple command's program and its arguments, past the
// wrappers that run another command (sudo, env, nohup…).
func command(c *syntax.CallExpr) (string, []*syntax.Word) {
	args := c.Args
	for len(args) > 0 {
		name := wordName(args[0])
		switch name {
		case "sudo", "doas":
			args = args[1:]
			for len(args) > 0 && strings.HasPrefix(literal(args[0]), "-") {
				f := literal(args[0])
				args = args[1:]
				if len(f) == 2 && strings.ContainsAny(f[1:], "ugCpDhrtU") && len(args) > 0 {
					args = args[1:] // the flag's value
				}
			}
		case "env":
			args = args[1:]
			for len(args) > 0 {
				f := literal(args[0])
				if f == "-u" && len(args) > 1 {
					args = args[2:]
					continue
				}
				if !strings.HasPrefix(f, "-") && !strings.Contains(f, "=") {
					break
				}
				args = args[1:]
			}
		case "command", "exec", "nohup", "time", "busybox", "stdbuf", "nice":
			args = args[1:]
			for len(args) > 0 && strings.HasPrefix(literal(args[0]), "-") {
				args = args[1:]
			}
		case "timeout":
			args = args[1:]
			for len(args) > 0 && strings.HasPrefix(literal(args[0]), "-") {
				args = args[1:]
			}
			if len(args) > 0 {
				args = args[1:] // the duration
			}
		default:
			return name, args[1:]
		}
	}
	return "", nil
}

// wordName is a command word as a program name: the base name, lower case,
// without .exe; "" when the word is not literal.
func wordName(w *syntax.Word) string {
	t := literal(w)
	if i := strings.LastIndexByte(t, '/'); i >= 0 {
		t = t[i+1:]
	}
	return strings.TrimSuffix(strings.ToLower(t), ".exe")
}

// literal is a word's value when no expansion is in it: foo, 'foo', "foo".
func literal(w *syntax.Word) string {
	if len(w.Parts) == 1 {
		if l, ok := w.Parts[0].(*syntax.Lit); ok {
			return l.Value
		}
	}
	var b strings.Builder
	for _, p := range w.Parts {
		switch x := p.(type) {
		case *syntax.Lit:
			b.WriteString(x.Value)
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			for _, q := range x.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return ""
				}
				b.WriteString(l.Value)
			}
		default:
			return ""
		}
	}
	return b.String()
}

var downloaders = map[string]bool{"curl": true, "wget": true, "fetch": true, "iwr": true, "invoke-webrequest": true,
	"irm": true, "invoke-restmethod": true}

// downloadIn returns the first download command inside a node, or nil.
func downloadIn(n syntax.Node) *syntax.CallExpr {
	var found *syntax.CallExpr
	syntax.Walk(n, func(m syntax.Node) bool {
		if found != nil {
			return false
		}
		if c, ok := m.(*syntax.CallExpr); ok {
			if name, _ := command(c); downloaders[name] {
				found = c
				return false
			}
		}
		return true
	})
	return found
}

func firstWord(c *syntax.CallExpr) string {
	if len(c.Args) == 0 {
		return ""
	}
	return literal(c.Args[0])
}

var interpreterName = regexp.MustCompile(`^(python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*|iex|invoke-expression)$`)

func isShell(name string) bool {
	switch name {
	case "sh", "bash", "zsh", "dash", "ksh", "csh", "fish", "ash", "mksh":
		return true
	}
	return false
}

func isInterpreter(name string) bool { return interpreterName.MatchString(name) }

// readsStdin reports a pipeline stage that runs what it reads: sh, sh -s,
// bash -, python3, iex; not `sh install.sh` or `python -c …`.
func readsStdin(st *syntax.Stmt) bool {
	c, ok := st.Cmd.(*syntax.CallExpr)
	if !ok {
		return false
	}
	name, args := command(c)
	if name == "iex" || name == "invoke-expression" {
		return true
	}
	if !isShell(name) && !isInterpreter(name) {
		return false
	}
	for i, a := range args {
		t := literal(a)
		switch {
		case i > 0 && isShell(name) && isOptionValue(literal(args[i-1])):
			continue
		case t == "-" || t == "-s" || t == "--" || t == "/dev/stdin" || t == "/proc/self/fd/0":
			return true
		case t == "-c" || t == "-m" || t == "-e" || t == "-E" || t == "-r":
			return false
		case strings.HasPrefix(t, "-"):
			if isShell(name) && len(t) > 1 && t[1] != '-' && strings.ContainsRune(t[1:], 's') {
				return true
			}
			if isShell(name) && len(t) > 1 && t[1] != '-' && strings.ContainsRune(t[1:], 'c') {
				return false
			}
		default:
			return false // a script file: stdin is its input, not its code
		}
	}
	return true
}

// symbolicMode is a chmod mode written with letters: a+rwx, o+w,u-x.
var symbolicMode = regexp.MustCompile(`^([ugoa]*([-+=][rwxXstugo]*)+)(,[ugoa]*([-+=][rwxXstugo]*)+)*$`)

var modeOp = regexp.MustCompile(`[-+=][rwxXstugo]*`)

// worldWritableMode reports a mode that lets every user write: 777, 0666,
// a+rwx, o+w. A sticky directory (1777, like /tmp) is the safe shared form
// and is not reported.
func worldWritableMode(m string) bool {
	if m == "" {
		return false
	}
	if v, err := strconv.ParseUint(m, 8, 32); err == nil && len(m) <= 5 {
		return v&0o002 != 0 && v&0o1000 == 0
	}
	if !symbolicMode.MatchString(m) {
		return false
	}
	for _, clause := range strings.Split(m, ",") {
		n := 0
		for n < len(clause) && strings.IndexByte("ugoa", clause[n]) >= 0 {
			n++
		}
		who, ops := clause[:n], clause[n:]
		if !strings.ContainsAny(who, "oa") {
			continue
		}
		for _, op := range modeOp.FindAllString(ops, -1) {
			if op[0] != '-' && strings.ContainsRune(op, 'w') && !strings.ContainsRune(op, 't') {
				return true
			}
		}
	}
	return false
}

// analyseScript reads a shell script: a download piped into an
// interpreter runs whatever the server returns when the script runs.
func analyseScript(src []byte) *result {
	r := newResult(src)
	hits, ok := scanShell(string(src))
	if !ok {
		for _, l := range shellLines(r.lines, 1, len(r.lines)) {
			r.add(candidate{category: catPipeline, rule: "pipeline/curl-pipe-shell", severity: "high", token: "curl | sh",
				key: "curl-pipe-shell|" + normalizeCommand(r.text(l)), line: l,
				message: "script runs a script downloaded from the network (curl | sh)"})
		}
		return r
	}
	for _, h := range hits {
		if h.kind == hitPipeShell {
			r.add(candidate{category: catPipeline, rule: "pipeline/curl-pipe-shell", severity: "high", token: "curl | sh",
				key: "curl-pipe-shell|" + h.key, line: h.line, span: lineRange(h.first, h.last),
				message: "script runs a script downloaded from the network (curl | sh)"})
		}
	}
	return r
}

// The line patterns: the fallback for text the parser refuses.

// pipeToShell matches a download piped into an interpreter: the build or job
// runs whatever the server returns at that moment.
var pipeToShell = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(curl|wget|iwr|invoke-webrequest|fetch)\b[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?(env\s+\S+=\S*\s+)*((/usr)?/bin/)?(ba|z|da|k|c|fi)?sh\b`),
	regexp.MustCompile(`(?i)\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?((/usr)?/bin/)?(python[0-9.]*|perl|ruby|node|php)\b`),
	regexp.MustCompile(`(?i)\b(ba|z|da|k)?sh\s+(-\S+\s+)*(-c\s+)?["']?\$\(\s*(curl|wget)\b`),
	regexp.MustCompile(`(?i)\b(ba|z|da|k)?sh\s+<\(\s*(curl|wget)\b`),
	regexp.MustCompile(`(?i)\b(iwr|invoke-webrequest|irm|invoke-restmethod)\b[^|\n]*\|\s*(iex|invoke-expression)\b`),
	regexp.MustCompile(`(?i)\beval\s+["']?\$\(\s*(curl|wget)\b`),
}

var downloader = regexp.MustCompile(`(?i)\b(curl|wget|iwr|invoke-webrequest|irm|fetch)\b`)

// curlPipeShell reports whether a shell snippet pipes a download into an
// interpreter, ignoring # comments.
func curlPipeShell(s string) bool { return curlPipeSnippet(s) != "" }

// curlPipeSnippet is the part of a command that pipes a download into an
// interpreter, spaces collapsed: what identifies the construct, so editing
// another continuation line of the same RUN does not make it new.
func curlPipeSnippet(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "#") {
			continue
		}
		for _, re := range pipeToShell {
			if m := re.FindString(line); m != "" {
				return strings.Join(strings.Fields(m), " ")
			}
		}
	}
	return ""
}

// worldWritable matches a chmod that lets every user write: 777, 666, a+w,
// o+w, a+rwx, ugo+rwx.
var worldWritable = regexp.MustCompile(`\bchmod\s+(?:-\S+\s+)*(?:0?[0-7]?[2367][2367]|[0-7]?[0-7][0-7][2367]\b|[ugo]*[ao][ugo]*\+[rx]*w[rwxXst]*)\b`)

// shellLines returns, for a script spread over source lines starting at
// first, the line numbers that pipe a download into a shell. A command
// continued with a backslash is judged whole and reported on its first line.
func shellLines(src []string, first, last int) []int {
	var out []int
	for l := first; l <= last && l <= len(src); l++ {
		if l < 1 {
			continue
		}
		start := l
		var b strings.Builder
		part := src[l-1]
		for strings.HasSuffix(strings.TrimRight(part, " \t\r"), "\\") && l < last && l < len(src) {
			b.WriteString(strings.TrimSuffix(strings.TrimRight(part, " \t\r"), "\\"))
			b.WriteByte(' ')
			l++
			part = src[l-1]
		}
		b.WriteString(part)
		cmd := b.String()
		if curlPipeShell(cmd) {
			// Point at the download itself when the command is wrapped.
			at := start
			for k := start; k <= l; k++ {
				if downloader.MatchString(src[k-1]) {
					at = k
					break
				}
			}
			out = append(out, at)
		}
	}
	return out
}

// normalizeCommand makes a key out of a command so that re-indenting or
// re-wrapping it does not make it new.
func normalizeCommand(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\\\n", " ")), " ")
}
