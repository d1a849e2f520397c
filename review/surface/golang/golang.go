// Package golang finds attack-surface changes in Go source from go/parser's
// syntax tree rather than from text: imports are resolved to packages, so
// `x.Command` with `import x "os/exec"` is os/exec.Command, and code that
// only sits in a comment or a string is never reported.
package golang

import (
	"go/ast"
	"go/token"
	"regexp"
	"strings"

	"github.com/vouch-review/vouch/review/surface"
)

type detector struct{}

// New returns the Go detector (Name "go", applies to *.go files).
func New() surface.Detector { return detector{} }

func (detector) Name() string { return "go" }

func (detector) Applies(path string) bool { return strings.HasSuffix(path, ".go") }

// Detect reports the interesting nodes of the after file that intersect the
// added lines and, for removals that weaken the surface (auth, CSRF, TLS
// verification, validation), the nodes of the before file that intersect the
// removed lines. A side that does not parse yields nothing.
func (detector) Detect(c *surface.Change) (out []surface.Finding) {
	// The detector runs on whatever a commit holds; a bug here must cost one
	// file's findings, never the whole scan.
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	return detect(c)
}

func detect(c *surface.Change) []surface.Finding {
	if c == nil || c.File == nil {
		return nil
	}
	added := lineSet(c.Added())
	removed := lineSet(c.Removed())
	if len(added) == 0 && len(removed) == 0 {
		return nil
	}
	var before, after *fileScan
	if c.Before != nil {
		before = scanFile(c.Before)
	}
	if c.After != nil {
		after = scanFile(c.After)
	}
	// A line that only holds a comment changes no construct.
	after.dropComments(added)
	before.dropComments(removed)
	var out findings
	reported := map[string]bool{}
	afterKeys := after.counts(false)
	existed := before.counts(true)
	if after != nil && len(added) > 0 {
		// Code that existed before the commit and only moved (cut and paste,
		// re-indentation) is not new surface: count each node's identity on
		// both sides and report only what the after side has more of.
		seen := before.counts(false)
		now := after.counts(false)
		seenFn, nowFn := before.fnCounts(false), after.fnCounts(false)
		inFn := map[string]bool{}
		authFns := map[ast.Node]bool{}
		// Auth functions the commit adds: a change elsewhere that only
		// calls one is part of that new function's finding.
		newAuth := map[string]bool{}
		for _, h := range after.hits {
			if h.rule == "go/auth-func" && h.removal != nil && existed[h.removal.key] == 0 {
				newAuth[h.token] = true
			}
		}
		routeFns := map[ast.Node]bool{}
		listenerAt := map[int]ast.Node{}
		for _, h := range after.hits {
			if !h.onAdd {
				continue
			}
			from, to, ok := span(h.line, h.end, added)
			if !ok || (before != nil && seen[h.key] >= now[h.key]) {
				continue
			}
			if before != nil && h.changed == "" && seenFn[h.fnKey] >= nowFn[h.fnKey] {
				continue
			}
			// One finding per construct: a second identical call in the
			// same function says nothing the first did not, and an auth
			// call inside an auth function already reported is part of it.
			if h.changed == "" && inFn[h.fnKey] {
				continue
			}
			if (h.rule == "go/auth-check" || h.rule == "go/auth-middleware") && ((h.fn != nil && authFns[h.fn]) || newAuth[lastName(h.callee)]) {
				// Inside an auth function already reported, or a use of an
				// auth function the commit adds: that function's finding
				// covers it.
				continue
			}
			// An auth function that was there before is reported where the
			// edit decides something; a lock, a wrapped error or a result
			// passed up is not a new decision.
			var decisions map[int]bool // the lines of an edited auth function that decide
			if fd, ok := h.fn.(*ast.FuncDecl); ok && h.rule == "go/auth-func" && before.hasFunc(fd.Name.Name) {
				decisions = after.decisionLines(fd, before, before.funcNamed(fd.Name.Name))
				at := firstOf(added, decisions)
				if at == 0 {
					continue
				}
				from, to = at, at
			}
			if h.rule == "go/auth-check" && h.callee != "" && before.callsIn(funcName(h.fn), h.callee) {
				continue
			}
			if fd, ok := h.fn.(*ast.FuncDecl); ok && h.rule == "go/config-discovery" && before.hasFunc(fd.Name.Name) {
				if more, _ := lookupChange(before, after, fd.Name.Name); !more {
					continue
				}
			}
			inFn[h.fnKey] = true
			if h.rule == "go/auth-func" && h.fn != nil {
				authFns[h.fn] = true
			}
			if h.rule == "go/route" && h.fn != nil {
				routeFns[h.fn] = true
			}
			if h.rule == "go/listener" && h.fn != nil {
				listenerAt[from] = h.fn
			}
			msg := h.message
			if h.changed != "" && (decisions != nil || !added[h.line] || (h.removal != nil && existed[h.removal.key] > 0)) {
				msg = h.changed
				if h.rule == "go/auth-func" && after.onlyTouches(h.line, h.end, added, newAuth, decisions) {
					continue
				}
			}
			if h.removal != nil {
				reported[h.removal.key] = true
			}
			out.add(surface.Finding{
				Category: h.category, Rule: h.rule, Severity: h.severity,
				File: c.Path(), Line: from, EndLine: to, Side: surface.SideNew,
				Evidence: after.lineText(from), Message: msg, Token: h.token, Confidence: h.confidence,
			})
		}
		// A new server with its new routes is one construct: the routes
		// say what it serves.
		kept := out.list[:0]
		for _, f := range out.list {
			if fn, ok := listenerAt[f.Line]; ok && f.Rule == "go/listener" && routeFns[fn] {
				continue
			}
			kept = append(kept, f)
		}
		out.list = kept
		out.at = nil
	}
	// When the after file exists but does not parse, nothing can be said
	// about what it still holds, so no removal is claimed.
	if before != nil && len(removed) > 0 && (c.After == nil || after != nil) {
		was := before.counts(true)
		is := after.counts(true)
		wasFn, isFn := before.fnCounts(true), after.fnCounts(true)
		for _, h := range before.hits {
			r := h.removal
			if r == nil {
				continue
			}
			from, to, ok := span(r.line, r.end, removed)
			if h.changed != "" && after != nil && is[r.key] >= was[r.key] && !reported[r.key] && afterKeys[h.key] == 0 {
				// The construct is still there but the commit only took
				// lines out of it: a change, shown where the lines were.
				f, t, ok := span(h.line, h.end, removed)
				if fd, isFn := h.fn.(*ast.FuncDecl); isFn && h.rule == "go/config-discovery" {
					if _, less := lookupChange(before, after, fd.Name.Name); !less {
						continue
					}
				}
				if fd, isFn := h.fn.(*ast.FuncDecl); ok && isFn && h.rule == "go/auth-func" {
					f = firstOf(removed, before.decisionLines(fd, after, after.funcNamed(fd.Name.Name)))
					t, ok = f, f != 0
				}
				if ok {
					reported[r.key] = true
					out.add(surface.Finding{
						Category: h.category, Rule: h.rule, Severity: h.severity,
						File: c.Path(), Line: f, EndLine: t, Side: surface.SideOld,
						Evidence: before.lineText(f), Message: h.changed, Token: h.token, Confidence: h.confidence,
					})
				}
				continue
			}
			if !ok || is[r.key] >= was[r.key] {
				continue
			}
			if r.route != "" && after != nil && after.guarded[r.route][r.middleware] {
				continue // the route is still behind it, through a group
			}
			if k := r.rule + "\x00" + funcName(h.fn) + "\x00" + r.message; h.changed == "" && isFn[k] >= wasFn[k] {
				continue
			}
			out.add(surface.Finding{
				Category: r.category, Rule: r.rule, Severity: r.severity,
				File: c.Path(), Line: from, EndLine: to, Side: surface.SideOld,
				Evidence: before.lineText(from), Message: r.message, Token: h.token, Confidence: h.confidence,
				Callee: h.callee,
			})
		}
	}
	return out.list
}

// findings keeps one finding per side, category and line (the most severe):
// several rules often see the same call, and the reviewer needs one line.
type findings struct {
	list []surface.Finding
	at   map[[3]any]int
}

func (fs *findings) add(f surface.Finding) {
	if fs.at == nil {
		fs.at = map[[3]any]int{}
	}
	k := [3]any{f.Side, f.Category, f.Line}
	if i, ok := fs.at[k]; ok {
		if surface.SeverityRank(f.Severity) > surface.SeverityRank(fs.list[i].Severity) {
			fs.list[i] = f
		}
		return
	}
	fs.at[k] = len(fs.list)
	fs.list = append(fs.list, f)
}

// lastName is the last element of a dotted name: h.authorize -> authorize.
func lastName(s string) string { return s[strings.LastIndexByte(s, '.')+1:] }

// logLine matches a line that only logs: slog.Debug(…), logger.Info(…).
var logLine = regexp.MustCompile(`^(\w+\.)*(slog|log|logger|logging|l|lg)\.(Debug|Info|Warn|Warning|Error|Print|Printf|Println|Log|Trace|With)\w*\(`)

// onlyTouches reports that the lines the commit adds in [from, to] only log,
// close a block, or call one of the auth functions the commit adds: an
// edit that changes no decision of the function itself.
func (s *fileScan) onlyTouches(from, to int, added map[int]bool, newAuth map[string]bool, decisions map[int]bool) bool {
	dispatch, calls := false, false
	for n := from; n <= to; n++ {
		if !added[n] {
			continue
		}
		t := s.lineText(n)
		switch {
		case decisions != nil && !decisions[n]:
			// Not a decision (a usage string, a result passed up): only
			// a call of a new auth function counts here.
			calls = calls || callsAny(t, newAuth)
			continue
		case t == "" || strings.Trim(t, "})],;") == "" || logLine.MatchString(t):
			continue
		case t == "default:" || (strings.HasPrefix(t, "case ") && strings.HasSuffix(t, ":")):
			// A new case is a decision unless it dispatches to a new
			// auth function, which is reported itself.
			dispatch = true
			continue
		}
		if !callsAny(t, newAuth) {
			return false
		}
		calls = true
	}
	return !dispatch || calls
}

// callsAny reports a line that names one of names as a word.
func callsAny(line string, names map[string]bool) bool {
	for name := range names {
		if regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`).MatchString(line) {
			return true
		}
	}
	return false
}

// dropComments takes the lines that hold nothing but a comment out of lines.
func (s *fileScan) dropComments(lines map[int]bool) {
	if s == nil {
		return
	}
	cgo := map[*ast.CommentGroup]bool{}
	for _, im := range s.file.Imports {
		if im.Path.Value == `"C"` {
			cgo[im.Doc] = true
			for _, d := range s.file.Decls {
				if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT && gd.Pos() <= im.Pos() && im.End() <= gd.End() {
					cgo[gd.Doc] = true
				}
			}
		}
	}
	for _, cg := range s.file.Comments {
		if cgo[cg] {
			continue // the C preamble is code
		}
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:") || strings.HasPrefix(c.Text, "//export ") || strings.HasPrefix(c.Text, "//line ") {
				continue
			}
			from, to := s.line(c.Pos()), s.line(c.End())
			for n := from; n <= to; n++ {
				t := s.lineText(n)
				if n > from || strings.HasPrefix(t, "//") || strings.HasPrefix(t, "/*") {
					if n == to && strings.HasPrefix(c.Text, "/*") && !strings.HasSuffix(t, "*/") {
						continue // code after the closing */
					}
					delete(lines, n)
				}
			}
		}
	}
}

func lineSet(ls []surface.Line) map[int]bool {
	m := make(map[int]bool, len(ls))
	for _, l := range ls {
		m[l.No] = true
	}
	return m
}

// span narrows [from, to] to the changed lines inside it, so a finding on a
// long call points at the lines the commit touched.
func span(from, to int, changed map[int]bool) (int, int, bool) {
	first, last := 0, 0
	for n := from; n <= to; n++ {
		if changed[n] {
			if first == 0 {
				first = n
			}
			last = n
		}
	}
	return first, last, first != 0
}
