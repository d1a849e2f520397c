// Command cutcase cuts one commit of a public repository into a held-out
// corpus case: for each changed file, only what a detector needs to see the
// change (the changed Go declarations with the file's imports; for other
// code the changed lines with context and the import lines; whole small
// manifests and configs, which do not parse when cut). The labels are
// written by hand afterwards, from reading the diff.
//
//	go run ./review/surface/surfacetest/cutcase REPO_GIT_DIR ORIGIN SHA > case.txtar
package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// wholeUnder is the size under which a non-code file is kept whole.
const wholeUnder = 12000

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: cutcase REPO_GIT_DIR ORIGIN SHA")
		os.Exit(2)
	}
	gitDir, origin, sha := os.Args[1], os.Args[2], os.Args[3]
	git := func(args ...string) []byte {
		out, err := exec.Command("git", append([]string{"--git-dir", gitDir}, args...)...).Output()
		if err != nil {
			return nil
		}
		return out
	}
	subject := strings.TrimSpace(string(git("log", "-1", "--format=%s", sha)))
	names := git("diff-tree", "-r", "--no-commit-id", "-M", "--name-status", sha+"^", sha)
	var b bytes.Buffer
	fmt.Fprintf(&b, "origin: %s commit %s\nsubject: %s\n", origin, sha, sanitize(subject))
	var files bytes.Buffer
	var skipped []string
	for _, line := range strings.Split(strings.TrimSpace(string(names)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 2 {
			continue
		}
		oldP, newP := f[1], f[len(f)-1]
		st := f[0][:1]
		var before, after []byte
		hasBefore, hasAfter := st != "A", st != "D"
		if hasBefore {
			before = git("show", sha+"^:"+oldP)
		}
		if hasAfter {
			after = git("show", sha+":"+newP)
		}
		if bytes.IndexByte(before, 0) >= 0 || bytes.IndexByte(after, 0) >= 0 {
			skipped = append(skipped, newP+" (binary)")
			continue
		}
		cb, ca, ok := cut(newP, before, after, hasBefore, hasAfter)
		if !ok {
			skipped = append(skipped, newP+" (too large to keep whole, does not parse when cut)")
			continue
		}
		if st == "R" && oldP != newP {
			// A rename is kept as a delete and an add: the case commits files
			// by path and git finds the rename again.
			fmt.Fprintf(&files, "-- before/%s --\n%s", oldP, nl(cb))
			fmt.Fprintf(&files, "-- after/%s --\n%s", newP, nl(ca))
			continue
		}
		if hasBefore {
			fmt.Fprintf(&files, "-- before/%s --\n%s", oldP, nl(cb))
		}
		if hasAfter {
			fmt.Fprintf(&files, "-- after/%s --\n%s", newP, nl(ca))
		}
	}
	for _, s := range skipped {
		fmt.Fprintf(&b, "skipped: %s\n", s)
	}
	b.WriteString("label: \n")
	b.Write(files.Bytes())
	os.Stdout.Write(b.Bytes())
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 {
			return ' '
		}
		return r
	}, s)
}

func nl(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		return append(b, '\n')
	}
	return b
}

var codeExt = map[string]bool{".go": true, ".js": true, ".jsx": true, ".ts": true, ".tsx": true, ".mjs": true,
	".cjs": true, ".py": true, ".rb": true, ".java": true, ".kt": true, ".rs": true, ".php": true, ".cs": true}

func cut(p string, before, after []byte, hasBefore, hasAfter bool) ([]byte, []byte, bool) {
	ext := path.Ext(p)
	if !codeExt[ext] && !structured(p) {
		return cutLines(before, after, hasBefore, hasAfter)
	}
	if !codeExt[ext] {
		if len(before) > wholeUnder || len(after) > wholeUnder {
			return nil, nil, false
		}
		return before, after, true
	}
	if ext == ".go" {
		if cb, ca, ok := cutGo(before, after, hasBefore, hasAfter); ok {
			return cb, ca, true
		}
	}
	return cutLines(before, after, hasBefore, hasAfter)
}

// structured formats are parsed by the detectors and do not parse when cut.
func structured(p string) bool {
	base := strings.ToLower(path.Base(p))
	switch path.Ext(base) {
	case ".json", ".yaml", ".yml", ".toml", ".mod", ".sum", ".lock", ".tf", ".hcl", ".gradle", ".kts", ".xml", ".cfg", ".sh":
		return true
	}
	return strings.HasPrefix(base, "dockerfile") || strings.HasPrefix(base, "requirements") || base == "gemfile" || base == "pipfile" || base == "makefile"
}

// changedLines diffs before and after with the git binary and returns the
// changed line numbers of each side.
func changedLines(before, after []byte, anchors ...map[int]bool) (map[int]bool, map[int]bool) {
	if len(anchors) < 2 {
		anchors = []map[int]bool{nil, nil}
	}
	dir, _ := os.MkdirTemp("", "cut")
	defer os.RemoveAll(dir)
	os.WriteFile(dir+"/a", before, 0o644)
	os.WriteFile(dir+"/b", after, 0o644)
	out, _ := exec.Command("git", "diff", "--no-index", "-U0", dir+"/a", dir+"/b").Output()
	rb, ra := map[int]bool{}, map[int]bool{}
	hdr := regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@`)
	for _, l := range strings.Split(string(out), "\n") {
		m := hdr.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		add := func(set, anchor map[int]bool, start, n string) {
			s, _ := strconv.Atoi(start)
			c := 1
			if n != "" {
				c, _ = strconv.Atoi(n)
			}
			if c == 0 && anchor != nil {
				// Lines only added (or only removed) here: on this side the
				// change sits between line s and the next.
				anchor[s], anchor[s+1] = true, true
			}
			for i := s; i < s+c; i++ {
				set[i] = true
			}
		}
		add(rb, anchors[0], m[1], m[2])
		add(ra, anchors[1], m[3], m[4])
	}
	return rb, ra
}

// nearChanges is a side's changed lines and the places on it where the other
// side's lines were inserted, so that a statement holding an insertion is
// kept on both sides.
func nearChanges(ch, anchor map[int]bool) map[int]bool {
	m := make(map[int]bool, len(ch)+len(anchor))
	for k := range ch {
		m[k] = true
	}
	for k := range anchor {
		m[k] = true
	}
	return m
}

type decl struct {
	key        string
	from, to   int
	start, end int // byte offsets
}

func goDecls(src []byte) (*ast.File, *token.FileSet, []decl, bool) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments)
	if err != nil {
		return nil, nil, nil, false
	}
	var ds []decl
	for i, d := range f.Decls {
		key := fmt.Sprint("decl", i)
		switch d := d.(type) {
		case *ast.FuncDecl:
			key = "func " + d.Name.Name
			if d.Recv != nil && len(d.Recv.List) > 0 {
				key += " " + fmt.Sprint(d.Recv.List[0].Type)
			}
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				key = "import"
			} else if len(d.Specs) > 0 {
				switch s := d.Specs[0].(type) {
				case *ast.TypeSpec:
					key = "type " + s.Name.Name
				case *ast.ValueSpec:
					key = d.Tok.String() + " " + s.Names[0].Name
				}
			}
		}
		start := d.Pos()
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
			start = fd.Doc.Pos()
		}
		ds = append(ds, decl{key: key, from: fset.Position(start).Line, to: fset.Position(d.End()).Line,
			start: fset.Position(start).Offset, end: fset.Position(d.End()).Offset})
	}
	return f, fset, ds, true
}

// cutGo keeps the package clause, the imports and every declaration that
// the commit changed on either side, so both sides still parse.
func cutGo(before, after []byte, hasBefore, hasAfter bool) ([]byte, []byte, bool) {
	anchors := []map[int]bool{{}, {}}
	rb, ra := changedLines(before, after, anchors...)
	near := []map[int]bool{nearChanges(rb, anchors[0]), nearChanges(ra, anchors[1])}
	keys := map[string]bool{"import": true}
	var sides [2][]decl
	var files [2]*ast.File
	for i, side := range [][]byte{before, after} {
		present := []bool{hasBefore, hasAfter}[i]
		if !present {
			continue
		}
		f, _, ds, ok := goDecls(side)
		if !ok {
			return nil, nil, false
		}
		files[i], sides[i] = f, ds
		ch := []map[int]bool{rb, ra}[i]
		for _, d := range ds {
			for n := d.from; n <= d.to; n++ {
				if ch[n] {
					keys[d.key] = true
					break
				}
			}
		}
	}
	var out [2][]byte
	var chosen [2][]decl
	for i := range [2]int{} {
		if files[i] == nil {
			continue
		}
		var ds []decl
		for _, d := range sides[i] {
			if keys[d.key] {
				ds = append(ds, d)
			}
		}
		sort.Slice(ds, func(a, c int) bool { return ds[a].start < ds[c].start })
		chosen[i] = ds
	}
	// What each side keeps near its own changes, then again with what the
	// other side keeps, until both agree.
	keep := [2]map[string]bool{{}, {}}
	for round := 0; round < 3; round++ {
		for i, side := range [][]byte{before, after} {
			if files[i] == nil {
				continue
			}
			fset := token.NewFileSet()
			pf, _ := parser.ParseFile(fset, "x.go", side, parser.ParseComments)
			next := map[string]bool{}
			for _, d := range chosen[i] {
				_, k := prune(fset, pf, side, d, near[i], keep[1-i])
				for t := range k {
					next[t] = true
				}
			}
			for t := range keep[i] {
				next[t] = true
			}
			keep[i] = next
		}
	}
	for i, side := range [][]byte{before, after} {
		if files[i] == nil {
			continue
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "package %s\n", files[i].Name.Name)
		fset := token.NewFileSet()
		pf, _ := parser.ParseFile(fset, "x.go", side, parser.ParseComments)
		for _, d := range chosen[i] {
			text, _ := prune(fset, pf, side, d, near[i], keep[1-i])
			b.WriteString("\n")
			b.Write(text)
			b.WriteString("\n")
		}
		out[i] = b.Bytes()
	}
	return out[0], out[1], true
}

var importLine = regexp.MustCompile(`^\s*(import\b|from\s+\S+\s+import\b|const\s+.*=\s*require\(|use\s+[\w:\\]+|using\s+[\w.]+;|require\s+['"]|#\[macro_use\]|package\s+[\w.]+;?$)`)

// cutLines keeps the import lines and the changed lines with ten lines of
// context on each side of the change. A line the real diff leaves unchanged
// is kept on both sides or on neither, so the case's own diff changes what
// the commit changed and nothing else.
func cutLines(before, after []byte, hasBefore, hasAfter bool) ([]byte, []byte, bool) {
	rb, ra := changedLines(before, after)
	var lb, la []string
	if hasBefore {
		lb = strings.SplitAfter(string(before), "\n")
	}
	if hasAfter {
		la = strings.SplitAfter(string(after), "\n")
	}
	near := func(lines []string, ch map[int]bool) []bool {
		want := make([]bool, len(lines)+2)
		for n := range ch {
			for k := n - 10; k <= n+10; k++ {
				if k >= 1 && k <= len(lines) {
					want[k] = true
				}
			}
		}
		for n, l := range lines {
			if importLine.MatchString(l) {
				want[n+1] = true
			}
		}
		return want
	}
	wb, wa := near(lb, rb), near(la, ra)
	// Unchanged lines pair up in order between the changed ones.
	var pairs [][2]int
	for o, n := 1, 1; o <= len(lb) && n <= len(la); {
		switch {
		case rb[o]:
			o++
		case ra[n]:
			n++
		default:
			pairs = append(pairs, [2]int{o, n})
			o++
			n++
		}
	}
	widen := func(lines []string, want []bool) {
		// A region must not start or end inside a multi-line string or
		// comment, or the detectors would read code as text and text as
		// code: widen it to where that string opens and closes.
		open := openAt(lines)
		for n := 1; n <= len(lines); n++ {
			if want[n] && (n == 1 || !want[n-1]) {
				for k := n; k > 1 && open[k-1]; k-- {
					want[k-1] = true
				}
			}
		}
		for n := len(lines); n >= 1; n-- {
			if want[n] && (n == len(lines) || !want[n+1]) {
				for k := n; k < len(lines) && open[k]; k++ {
					want[k+1] = true
				}
			}
		}
	}
	for round := 0; round < 4; round++ {
		widen(lb, wb)
		widen(la, wa)
		for _, p := range pairs {
			if wb[p[0]] || wa[p[1]] {
				wb[p[0]], wa[p[1]] = true, true
			}
		}
	}
	emit := func(lines []string, want []bool) []byte {
		var b strings.Builder
		gap := false
		for i, l := range lines {
			if want[i+1] {
				if gap && b.Len() > 0 {
					b.WriteString("\n")
				}
				gap = false
				b.WriteString(l)
				continue
			}
			gap = true
		}
		return []byte(b.String())
	}
	var cb, ca []byte
	if hasBefore {
		cb = emit(lb, wb)
	}
	if hasAfter {
		ca = emit(la, wa)
	}
	return cb, ca, true
}

// bigSpan is the length above which a declaration's unchanged statements
// (and composite literal elements) are left out.
const bigSpan = 40

// prune returns the declaration's text without the statements and literal
// elements that lie away from every changed line, so a change inside a
// 1000-line function costs the case its neighbourhood, not the function.
func prune(fset *token.FileSet, f *ast.File, src []byte, d decl, ch map[int]bool, keepText map[string]bool) ([]byte, map[string]bool) {
	kept := map[string]bool{}
	line := func(p token.Pos) int { return fset.Position(p).Line }
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	near := func(from, to int) bool {
		for n := from - 3; n <= to+3; n++ {
			if ch[n] {
				return true
			}
		}
		return false
	}
	type cutRange struct{ a, b int }
	var cuts []cutRange
	var node ast.Node
	for _, x := range f.Decls {
		if off(x.Pos()) <= d.end && off(x.End()) >= d.start && off(x.End()) == d.end {
			node = x
		}
	}
	if node == nil || d.to-d.from <= bigSpan {
		return src[d.start:d.end], kept
	}
	// A statement is kept near a change on this side, or when the other
	// side keeps the same text: an unchanged statement must be on both
	// sides of the case or on neither.
	decide := func(a, b, from, to int) {
		text := string(src[a:b])
		if near(from, to) || keepText[text] {
			kept[text] = true
			return
		}
		cuts = append(cuts, cutRange{a, b})
	}
	stmts := func(list []ast.Stmt) {
		for _, st := range list {
			decide(off(st.Pos()), off(st.End()), line(st.Pos()), line(st.End()))
		}
	}
	ast.Inspect(node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BlockStmt:
			stmts(n.List)
		case *ast.CaseClause:
			stmts(n.Body)
		case *ast.CommClause:
			stmts(n.Body)
		case *ast.CompositeLit:
			for k := 0; k+1 < len(n.Elts); k++ {
				e := n.Elts[k]
				decide(off(e.Pos()), off(n.Elts[k+1].Pos()), line(e.Pos()), line(e.End()))
			}
		}
		return true
	})
	sort.Slice(cuts, func(a, b int) bool { return cuts[a].a < cuts[b].a })
	var out []byte
	at := d.start
	for _, c := range cuts {
		if c.a < at {
			continue // inside a range already cut
		}
		out = append(out, src[at:c.a]...)
		at = c.b
	}
	out = append(out, src[at:d.end]...)
	return blankRuns.ReplaceAll(out, []byte("\n\n")), kept
}

var blankRuns = regexp.MustCompile(`\n([ \t]*\n)+`)

// openAt reports, for each line (0-based index i is line i+1), whether a
// multi-line string or comment is still open at its end: Python's triple
// quotes, JavaScript's template literals, C-style block comments.
func openAt(lines []string) []bool {
	out := make([]bool, len(lines)+1)
	state := ""
	for i, l := range lines {
		for j := 0; j < len(l); {
			rest := l[j:]
			switch {
			case state == "" && strings.HasPrefix(rest, "#") && !strings.HasPrefix(rest, "#{"):
				j = len(l)
				continue
			case state == "" && strings.HasPrefix(rest, "//"):
				j = len(l)
				continue
			case state == "" && (strings.HasPrefix(rest, `"""`) || strings.HasPrefix(rest, "'''")):
				state = rest[:3]
				j += 3
				continue
			case state == "" && strings.HasPrefix(rest, "/*"):
				state = "*/"
				j += 2
				continue
			case state == "" && rest[0] == '`':
				state = "`"
				j++
				continue
			case state == "" && (rest[0] == '"' || rest[0] == '\''):
				// a one-line string: skip to its end
				q := rest[0]
				k := 1
				for k < len(rest) && rest[k] != q {
					if rest[k] == '\\' {
						k++
					}
					k++
				}
				j += k + 1
				continue
			case state != "" && rest[0] == '\\':
				j += 2
				continue
			case state != "" && strings.HasPrefix(rest, state):
				j += len(state)
				state = ""
				continue
			}
			j++
		}
		out[i+1] = state != ""
	}
	return out
}
