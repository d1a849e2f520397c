package golang

import (
	"go/ast"
	"go/token"
	"strings"

	"github.com/vouch-review/vouch/review/surface"
)

// Decisions an agent or a CLI makes about what it runs and what it lets
// through without asking: where it discovers config that can run commands,
// the allow-lists it keeps, and the condition under which it skips asking
// the permission service.

var discoverVerbs = set("lookup", "discover", "find", "search", "locate", "collect", "walk")

var discoverObjects = set("config", "configs", "configuration", "configurations", "rc", "settings",
	"dotfile", "dotfiles", "hooks", "scripts", "plugins")

// configDiscovery reports a function that decides which config files,
// scripts or hooks the program picks up (lookupConfigs, findHooks): a file
// it finds in a cloned project can decide what the program runs.
func (s *fileScan) configDiscovery(fd *ast.FuncDecl) {
	verb, object := false, false
	for _, w := range surface.NameWords(fd.Name.Name) {
		verb = verb || discoverVerbs[w]
		object = object || discoverObjects[w]
	}
	if !verb || !object || fd.Body == nil || testFunc(fd.Name.Name) {
		return
	}
	name := recvName(fd) + fd.Name.Name
	h := s.add(fd, "exec", "go/config-discovery", "medium",
		"new config discovery "+name+": a file it finds in a project can decide what runs", name)
	h.confidence = "medium"
	h.line = s.line(fd.Type.Pos())
	h.key = "go/config-discovery\x00" + layoutFree(s.codeText(fd.Body))
	h.changed = "changes where " + name + " looks for config, scripts or hooks: a file found in a project can decide what runs"
	h.withRemoval("exec", "go/config-discovery", "medium", "removes config discovery "+name)
	h.removal.key = "func\x00" + name
	h.removal.end = h.removal.line
}

func testFunc(name string) bool {
	for _, p := range []string{"Test", "Benchmark", "Fuzz", "Example"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

var allowWords = set("safe", "allowed", "allow", "allowlist", "allowlisted", "whitelist", "whitelisted",
	"trusted", "banned", "blocked", "blocklist", "blacklist", "denied", "deny", "denylist", "forbidden",
	"readonly", "approved", "autoapprove")

var allowObjects = set("commands", "command", "cmds", "tools", "hosts", "domains", "origins", "urls",
	"paths", "binaries", "programs", "executables", "list", "patterns", "prefixes", "env", "vars", "ips")

// allowList reports a package-level list whose name says it lets things
// through or keeps them out (safeCommands, bannedCommands, allowedHosts):
// editing it changes what runs or connects without a prompt.
func (s *fileScan) allowList(gd *ast.GenDecl) {
	if gd.Tok != token.VAR {
		return
	}
	for _, sp := range gd.Specs {
		vs, ok := sp.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
			continue
		}
		if _, ok := vs.Values[0].(*ast.CompositeLit); !ok {
			continue
		}
		name := vs.Names[0].Name
		ws := surface.NameWords(name)
		allow, object := false, false
		for i, w := range ws {
			allow = allow || allowWords[w] || (i > 0 && ws[i-1] == "read" && w == "only")
			object = object || allowObjects[w]
		}
		if !allow || !object {
			continue
		}
		h := s.add(vs, "auth", "go/allow-list", "medium", "new allow-list "+name+": what it names runs or passes without a prompt", name)
		h.confidence = "medium"
		h.key = "go/allow-list\x00" + layoutFree(s.codeText(vs))
		h.changed = "changes the allow-list " + name + ": what it names runs or passes without a prompt"
		h.withRemoval("auth", "go/allow-list", "high", "removes the allow-list "+name)
		h.removal.key = "var\x00" + name
		h.removal.end = h.removal.line
	}
}

var askWords = set("request", "ask", "prompt", "confirm", "approve", "approval", "grant", "check")

var guardValueWords = set("permission", "permissions", "approval", "approvals", "approver", "permitter")

// permissionGate reports an if whose body asks the permission service
// (permissions.Request, approver.Ask): its condition decides when the
// program acts without asking. The hit covers the condition and the
// statements that assign the variables it reads, so rewriting how the
// verdict is computed is a change of the gate.
func (s *fileScan) permissionGate(ifs *ast.IfStmt) {
	if ifs.Cond == nil || s.topFn == nil {
		return
	}
	var ask *ast.CallExpr
	ast.Inspect(ifs.Body, func(n ast.Node) bool {
		if ask != nil {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		if !ok || !s.guardValue(sel.X) {
			return true
		}
		for _, w := range surface.NameWords(sel.Sel.Name) {
			if askWords[w] {
				ask = c
				return false
			}
		}
		return true
	})
	what := ""
	if ask != nil {
		what = s.short(ask.Fun)
	} else if c := s.attachesCredential(ifs.Body); c != nil {
		ask, what = c, "the credential (Authorization header)"
	}
	if ask == nil {
		return
	}
	objs := map[*ast.Object]bool{}
	ast.Inspect(ifs.Cond, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Obj != nil && id.Obj.Kind == ast.Var {
			objs[id.Obj] = true
		}
		return true
	})
	from, to := s.line(ifs.Cond.Pos()), s.line(ifs.Cond.End())
	parts := []string{s.codeText(ifs.Cond)}
	ast.Inspect(s.topFn, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Pos() >= ifs.Pos() {
			return true
		}
		for _, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Obj != nil && objs[id.Obj] {
				// The statement that holds the assignment: a loop or an if
				// that sets the verdict belongs to the gate too.
				stmt := s.enclosingStmt(as, ifs)
				parts = append(parts, s.codeText(stmt))
				if l := s.line(stmt.Pos()); l < from {
					from = l
				}
				break
			}
		}
		return true
	})
	shown := what
	rule, msg := "go/permission-gate", "asks "+shown+" only when "+trunc(s.codeText(ifs.Cond), 60)+": the condition decides what runs without a prompt"
	changed, gone := "changes when "+shown+" is skipped: the condition decides what runs without a prompt", "removes the permission prompt "+shown+" behind "+trunc(s.codeText(ifs.Cond), 60)
	if ask != nil && strings.HasPrefix(what, "the credential") {
		rule, msg = "go/credential-gate", "attaches "+shown+" only when "+trunc(s.codeText(ifs.Cond), 60)+": the condition decides where the token is sent"
		changed, gone = "changes when "+shown+" is attached: the condition decides where the token is sent", "removes the condition on attaching "+shown
	}
	h := s.add(ifs.Cond, "auth", rule, "high", msg, rule)
	h.confidence = "medium"
	h.line, h.end = from, to
	h.key = rule + "\x00" + layoutFree(strings.Join(parts, "\n"))
	h.fnKey = h.key
	h.changed = changed
	h.withRemoval("auth", rule+"-removed", "high", gone)
	h.removal.key = rule + "\x00" + funcName(s.topFn) + "\x00" + shown
	h.removal.line, h.removal.end = to, to
}

// attachesCredential finds, directly in an if's body, the call that puts a
// credential on a request: Header.Set("Authorization", …), SetBasicAuth.
func (s *fileScan) attachesCredential(body *ast.BlockStmt) *ast.CallExpr {
	for _, st := range body.List {
		es, ok := st.(*ast.ExprStmt)
		if !ok {
			continue
		}
		c, ok := es.X.(*ast.CallExpr)
		if !ok {
			continue
		}
		_, name := s.callee(c)
		if name == "SetBasicAuth" {
			return c
		}
		if (name == "Set" || name == "Add") && len(c.Args) == 2 && authorizationHeader(c.Args[0]) {
			return c
		}
	}
	return nil
}

// authorizationHeader reports the header name "Authorization", written out
// or as a constant named so (headers.AuthorizationHeader).
func authorizationHeader(e ast.Expr) bool {
	if v, ok := strLit(e); ok {
		return strings.EqualFold(v, "Authorization")
	}
	var name string
	switch x := e.(type) {
	case *ast.SelectorExpr:
		name = x.Sel.Name
	case *ast.Ident:
		name = x.Name
	}
	for _, w := range surface.NameWords(name) {
		if w == "authorization" {
			return true
		}
	}
	return false
}

// enclosingStmt is the outermost statement of the function body around n
// that ends before the if stmt: the loop that sets a verdict, or n itself.
func (s *fileScan) enclosingStmt(n ast.Node, before ast.Node) ast.Node {
	var best ast.Node = n
	ast.Inspect(s.topFn, func(m ast.Node) bool {
		switch m.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.IfStmt, *ast.SwitchStmt:
			if m.Pos() <= n.Pos() && n.End() <= m.End() && m.End() <= before.Pos() && m.Pos() < best.Pos() {
				best = m
			}
		}
		return true
	})
	return best
}

// guardValue reports a value of the permission or approval service: its
// type comes from a guard package of the repository, or its name says so.
func (s *fileScan) guardValue(x ast.Expr) bool {
	if sel, ok := x.(*ast.SelectorExpr); ok {
		// a.permissions: the field's name says what it holds.
		for _, w := range surface.NameWords(sel.Sel.Name) {
			if guardValueWords[w] {
				return true
			}
		}
	}
	id := rootIdent(x)
	if id == nil {
		return false
	}
	for _, w := range surface.NameWords(id.Name) {
		if guardValueWords[w] {
			return true
		}
	}
	if id.Obj == nil {
		return false
	}
	var typ ast.Expr
	switch d := id.Obj.Decl.(type) {
	case *ast.Field:
		typ = d.Type
	case *ast.ValueSpec:
		typ = d.Type
	}
	if st, ok := typ.(*ast.StarExpr); ok {
		typ = st.X
	}
	if sel, ok := typ.(*ast.SelectorExpr); ok {
		if p := s.pkgOf(sel.X); p != "" {
			return guardPackages[strings.ToLower(p[strings.LastIndexByte(p, '/')+1:])]
		}
	}
	return false
}

// codeText is a node's source without its comments, whitespace collapsed:
// what a construct is when only its comments were edited.
func (s *fileScan) codeText(n ast.Node) string {
	a, b := s.fset.Position(n.Pos()).Offset, s.fset.Position(n.End()).Offset
	if a < 0 || b > len(s.src) || a > b {
		return ""
	}
	var out strings.Builder
	at := a
	for _, cg := range s.file.Comments {
		for _, c := range cg.List {
			ca, cb := s.fset.Position(c.Pos()).Offset, s.fset.Position(c.End()).Offset
			if cb <= at || ca >= b {
				continue
			}
			out.Write(s.src[at:ca])
			out.WriteByte(' ')
			at = cb
		}
	}
	out.Write(s.src[at:b])
	return strings.Join(strings.Fields(out.String()), " ")
}

// schemeCheck reports an if that tells https from http on a URL and refuses
// or allows on it: it decides whether credentials may travel in cleartext.
func (s *fileScan) schemeCheck(ifs *ast.IfStmt) {
	if ifs.Cond == nil {
		return
	}
	found := false
	ast.Inspect(ifs.Cond, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
			return !found
		}
		for _, pair := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
			sel, ok := pair[0].(*ast.SelectorExpr)
			v, lit := strLit(pair[1])
			if ok && lit && sel.Sel.Name == "Scheme" && (v == "http" || v == "https") {
				found = true
			}
		}
		return !found
	})
	if !found || !(s.refuses(ifs.Body) || acceptsNil(ifs.Body)) {
		return
	}
	h := s.add(ifs.Cond, "crypto", "go/scheme-check", "medium", "decides on the URL scheme ("+trunc(s.codeText(ifs.Cond), 50)+"): whether credentials may travel in cleartext", "scheme-check")
	h.confidence = "medium"
	h.line, h.end = s.line(ifs.Pos()), s.line(ifs.Cond.End())
	// The checks of one function are one policy: one finding.
	h.fnKey = "go/scheme-check\x00" + funcName(s.topFn)
	h.withRemoval("crypto", "go/scheme-check-removed", "high", "removes a check on the URL scheme ("+trunc(s.codeText(ifs.Cond), 50)+")")
}

// acceptsNil reports a body that accepts: it returns nil (no error).
func acceptsNil(body *ast.BlockStmt) bool {
	for _, st := range body.List {
		if r, ok := st.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
			if id, ok := r.Results[0].(*ast.Ident); ok && id.Name == "nil" {
				return true
			}
		}
	}
	return false
}

// limitWords name middleware that bounds or hardens requests: body and rate
// limits, timeouts, CORS, CSRF, security headers.
var limitWords = set("limit", "limiter", "limits", "throttle", "timeout", "cors", "csrf", "helmet", "secure", "hsts")

// protectiveMiddleware reports middleware of that kind attached to a router
// (r.Use(middleware.WithMaxBodySize(n)), r.Use(cors.Handler(...))), and its
// removal.
func (s *fileScan) protectiveMiddleware(call *ast.CallExpr) {
	if _, name := s.callee(call); name != "Use" && name != "With" && name != "Chain" {
		return
	}
	for _, a := range call.Args {
		fn := a
		if c, ok := a.(*ast.CallExpr); ok {
			fn = c.Fun
		}
		var name string
		switch x := fn.(type) {
		case *ast.SelectorExpr:
			name = x.Sel.Name
			if p := s.pkgOf(x.X); p != "" {
				name = p[strings.LastIndexByte(p, '/')+1:] + "." + name
			}
		case *ast.Ident:
			name = x.Name
		}
		limit := false
		ws := surface.NameWords(name)
		for i, w := range ws {
			limit = limit || limitWords[w] || (w == "max" && i+1 < len(ws))
		}
		if !limit {
			continue
		}
		h := s.add(a, "web-config", "go/web-middleware", "low", "attaches middleware "+s.short(fn)+" that bounds or hardens requests", name)
		h.confidence = "medium"
		h.key = "go/web-middleware\x00" + name
		h.withRemoval("web-config", "go/web-middleware-removed", "medium", "detaches middleware "+s.short(fn)+" that bounded or hardened requests")
	}
}

// traversalCheck reports an if that refuses a path (or a path segment)
// equal to or holding "..": a path traversal guard, which matters when it
// is added, rewritten or removed.
func (s *fileScan) traversalCheck(ifs *ast.IfStmt) {
	if ifs.Cond == nil || !s.refuses(ifs.Body) {
		return
	}
	found := false
	ast.Inspect(ifs.Cond, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BinaryExpr:
			if x.Op == token.EQL {
				for _, e := range []ast.Expr{x.X, x.Y} {
					if v, ok := strLit(e); ok && (v == ".." || v == "../") {
						found = true
					}
				}
			}
		case *ast.CallExpr:
			if pkg, name := s.callee(x); pkg == "strings" && (name == "Contains" || name == "HasPrefix") && len(x.Args) == 2 {
				if v, ok := strLit(x.Args[1]); ok && (v == ".." || v == "../") {
					found = true
				}
			}
		}
		return !found
	})
	if !found {
		return
	}
	h := s.add(ifs.Cond, "file", "go/traversal-check", "medium", "path traversal check ("+trunc(s.codeText(ifs.Cond), 50)+"): what it lets through reaches a path", "traversal-check")
	h.confidence = "medium"
	h.line, h.end = s.line(ifs.Pos()), s.line(ifs.Cond.End())
	h.fnKey = "go/traversal-check\x00" + funcName(s.topFn)
	h.withRemoval("file", "go/traversal-check-removed", "high", "removes a path traversal check ("+trunc(s.codeText(ifs.Cond), 50)+")")
	h.removal.key = "go/traversal-check"
}

// unixSocketAddr reports a unix socket address built in code ("unix:///tmp/"
// + name, filepath.Join(dir, "app.sock")): where it lives decides who else
// on the machine can connect to the local server.
func (s *fileScan) unixSocketAddr(e ast.Expr) {
	v, _ := s.literal(e, 0)
	if !strings.HasPrefix(v, "unix://") {
		return
	}
	// Only the outermost expression: "unix://" + path is one address.
	if n := len(s.stack); n >= 2 {
		if b, ok := s.stack[n-2].(*ast.BinaryExpr); ok && b.Op == token.ADD {
			return
		}
	}
	h := s.add(e, "entry-point", "go/unix-socket", "low", "local IPC socket at "+trunc(v, 60)+"…: its directory decides who else on the machine can connect", "unix-socket")
	h.confidence = "medium"
}

// decisionLines are the lines of fd where access is decided: a condition
// other than an error check or an argument count, a case, a verdict
// returned or sent outside error handling, a flag set to a constant, a call
// that denies or verifies. An edit of an existing auth function elsewhere
// (a lock taken, an error wrapped, a result passed up, a usage string)
// decides nothing new, nor does a return that only gained the bool of a
// new signature (`return err` to `return false, err`); other is the
// function on the commit's other side.
func (s *fileScan) decisionLines(fd *ast.FuncDecl, other *fileScan, otherFd *ast.FuncDecl) map[int]bool {
	lines := map[int]bool{}
	if s == nil || fd == nil || fd.Body == nil {
		return lines
	}
	mark := func(from, to token.Pos) {
		for l := s.line(from); l <= s.line(to); l++ {
			lines[l] = true
		}
	}
	// The other side's returns by what they return besides a bool.
	otherReturns := map[string]bool{} // results text -> held a bool
	if other != nil && otherFd != nil && otherFd.Body != nil {
		ast.Inspect(otherFd.Body, func(n ast.Node) bool {
			if r, ok := n.(*ast.ReturnStmt); ok {
				k := other.nonBoolResults(r)
				otherReturns[k] = otherReturns[k] || hasBoolLit(r.Results)
			}
			return true
		})
	}
	var errBodies []*ast.BlockStmt
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.IfStmt:
			switch {
			case errCheck(x.Cond):
				errBodies = append(errBodies, x.Body)
			case arityCheck(x.Cond) && !s.returnsVerdictIn(x.Body):
				// `if len(args) < 2 { return usage(…) }`
			default:
				mark(x.Pos(), x.Cond.End())
			}
		case *ast.CaseClause:
			mark(x.Pos(), x.Colon)
		case *ast.ReturnStmt:
			if !s.verdict(x) || inside(x, errBodies) {
				break
			}
			k := s.nonBoolResults(x)
			if held, ok := otherReturns[k]; ok && k != "" && held != hasBoolLit(x.Results) {
				break // the same result, reshaped for a new signature
			}
			mark(x.Pos(), x.End())
		case *ast.SendStmt:
			if hasBoolLit([]ast.Expr{x.Value}) {
				mark(x.Pos(), x.End())
			}
		case *ast.AssignStmt:
			if hasBoolLit(x.Rhs) || s.decides(x) {
				mark(x.Pos(), x.End())
			}
		case *ast.ExprStmt:
			if s.decides(x) {
				mark(x.Pos(), x.End())
			}
		}
		return true
	})
	return lines
}

func (s *fileScan) verdict(r *ast.ReturnStmt) bool {
	return hasBoolLit(r.Results) || hasTest(r.Results) || s.decides(r)
}

func (s *fileScan) returnsVerdictIn(b *ast.BlockStmt) bool {
	found := false
	ast.Inspect(b, func(n ast.Node) bool {
		if r, ok := n.(*ast.ReturnStmt); ok && s.verdict(r) {
			found = true
		}
		return !found
	})
	return found
}

// nonBoolResults is what a return gives besides bool literals, as written.
func (s *fileScan) nonBoolResults(r *ast.ReturnStmt) string {
	var parts []string
	for _, e := range r.Results {
		if !hasBoolLit([]ast.Expr{e}) {
			parts = append(parts, s.text(e))
		}
	}
	return strings.Join(parts, ", ")
}

// arityCheck is `len(x) < 2` and the like: how many arguments came, not
// who may do what.
func arityCheck(e ast.Expr) bool {
	b, ok := e.(*ast.BinaryExpr)
	if !ok {
		return false
	}
	isLen := func(e ast.Expr) bool {
		c, ok := e.(*ast.CallExpr)
		if !ok {
			return false
		}
		id, ok := c.Fun.(*ast.Ident)
		return ok && id.Name == "len"
	}
	isInt := func(e ast.Expr) bool { l, ok := e.(*ast.BasicLit); return ok && l.Kind == token.INT }
	return (isLen(b.X) && isInt(b.Y)) || (isInt(b.X) && isLen(b.Y))
}

// errCheck is `err != nil` or `err == nil`: error plumbing, not a verdict.
func errCheck(e ast.Expr) bool {
	b, ok := e.(*ast.BinaryExpr)
	if !ok || (b.Op != token.NEQ && b.Op != token.EQL) {
		return false
	}
	isNil := func(e ast.Expr) bool { id, ok := e.(*ast.Ident); return ok && id.Name == "nil" }
	isErr := func(e ast.Expr) bool {
		id, ok := e.(*ast.Ident)
		return ok && (id.Name == "err" || strings.HasSuffix(id.Name, "Err"))
	}
	return (isErr(b.X) && isNil(b.Y)) || (isNil(b.X) && isErr(b.Y))
}

func hasBoolLit(es []ast.Expr) bool {
	for _, e := range es {
		if id, ok := e.(*ast.Ident); ok && (id.Name == "true" || id.Name == "false") {
			return true
		}
	}
	return false
}

// hasTest reports a verdict computed in place: a comparison, a logical
// expression or a negation (`return role == "admin"`).
func hasTest(es []ast.Expr) bool {
	for _, e := range es {
		switch x := ast.Unparen(e).(type) {
		case *ast.BinaryExpr:
			switch x.Op {
			case token.EQL, token.NEQ, token.LSS, token.GTR, token.LEQ, token.GEQ, token.LAND, token.LOR:
				return true
			}
		case *ast.UnaryExpr:
			if x.Op == token.NOT {
				return true
			}
		}
	}
	return false
}

func inside(n ast.Node, blocks []*ast.BlockStmt) bool {
	for _, b := range blocks {
		if b.Pos() <= n.Pos() && n.End() <= b.End() {
			return true
		}
	}
	return false
}

// firstOf is the first of changed's lines that lines holds, 0 for none.
func firstOf(changed, lines map[int]bool) int {
	first := 0
	for l := range changed {
		if lines[l] && (first == 0 || l < first) {
			first = l
		}
	}
	return first
}

// hasFunc reports a top-level function or method of that name on this side.
func (s *fileScan) hasFunc(name string) bool { return s.funcNamed(name) != nil }

func (s *fileScan) funcNamed(name string) *ast.FuncDecl {
	if s == nil {
		return nil
	}
	for _, d := range s.file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == name {
			return fd
		}
	}
	return nil
}

// lookupTerms are what a config discovery looks for and where, counted:
// its path-like strings (".crush.sh", "hooks/*", "~/.config") and the
// calls it makes, as written (shellSibling(dataDir()) is not
// shellSibling(globalConfig())).
func (s *fileScan) lookupTerms(fd *ast.FuncDecl) map[string]int {
	terms := map[string]int{}
	if s == nil || fd == nil || fd.Body == nil {
		return terms
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BasicLit:
			if v, ok := strLit(x); ok && strings.ContainsAny(v, "./*~") {
				terms["\""+v]++
			}
		case *ast.CallExpr:
			terms[layoutFree(s.text(x))]++
		}
		return true
	})
	return terms
}

// lookupChange compares a discovery function across the commit: it looks
// in new places when the after side has a path the before side did not,
// or new calls that add more than they replace; it stops looking where it
// did when the before side's paths or calls went and nothing took their
// place. Calls that replace more than they add (a loop moved into a
// helper, cfg.ResolvePaths() for the code that resolved them) are neither.
func lookupChange(before, after *fileScan, name string) (looksMore, looksLess bool) {
	was, is := before.lookupTerms(before.funcNamed(name)), after.lookupTerms(after.funcNamed(name))
	gainedPath, gained, lost := false, 0, 0
	for t, n := range is {
		if n > was[t] {
			gainedPath = gainedPath || strings.HasPrefix(t, "\"")
			gained += n - was[t]
		}
	}
	for t, n := range was {
		lost += max(n-is[t], 0)
	}
	looksMore = gainedPath || (gained > 0 && gained >= lost)
	return looksMore, !looksMore && lost > 0 && gained == 0
}

// callsIn reports whether this side's function fn (receiver and name, as
// funcName gives it) calls callee as written: an auth check whose call was
// there before and only took another shape (`return check()` to
// `if err := check(); err != nil`) is not new.
func (s *fileScan) callsIn(fn, callee string) bool {
	if s == nil || fn == "" {
		return false
	}
	for _, d := range s.file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || funcName(fd) != fn || fd.Body == nil {
			continue
		}
		found := false
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && s.text(c.Fun) == callee {
				found = true
			}
			return !found
		})
		return found
	}
	return false
}
