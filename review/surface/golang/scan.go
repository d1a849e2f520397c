package golang

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/url"
	"strconv"
	"strings"

	"github.com/vouch-review/vouch/review/surface"
)

// hit is one interesting node of one side of the change.
type hit struct {
	line, end                                int // lines the node covers (a call's head, not a handler body)
	category, rule, severity, message, token string
	key                                      string // identity across sides, to tell moved code from new code
	fnKey                                    string // rule, enclosing function and message: the same construct edited in place
	onAdd                                    bool   // reported when it intersects added lines
	changed                                  string // message when only lines inside the node changed
	removal                                  *removal
	callee                                   string   // the function a call calls, as written
	fn                                       ast.Node // enclosing top-level function
	confidence                               string   // "" for the detector's own (high)
}

// removal is how a hit reads when the commit deletes it.
type removal struct {
	category, rule, severity, message string
	key                               string
	line, end                         int
	// route and middleware, for an auth middleware taken off a route: not
	// a removal where the other side still guards that route with the same
	// middleware through a group (chi's r.Group(func(r) { r.Use(m) … })).
	route, middleware string
}

// fileScan is one parsed side of a change and what was found in it.
type fileScan struct {
	// groupUse is the middleware each router group's body (the func
	// literal given to Group/Route) attaches with Use; guarded is, per
	// route ("route GET /x"), the middleware its groups attach.
	groupUse map[*ast.FuncLit][]string
	guarded  map[string]map[string]bool
	fset     *token.FileSet
	src      []byte
	lines    []int // offset of each line start
	file     *ast.File
	imports  map[string]string // local name -> import path
	dots     []string          // dot-imported paths
	hits     []*hit
	stack    []ast.Node
	topFn    ast.Node

	req      map[*ast.Object]bool    // request parameters (*http.Request, gin/echo/fiber contexts)
	taint    map[*ast.Object]int     // taintRequest | taintArchive
	archives map[*ast.Object]bool    // zip/tar readers
	built    map[*ast.Object]builtBy // strings assembled at run time
	builders map[*ast.Object]string  // strings.Builder / bytes.Buffer variables
	prefix   map[*ast.Object]string  // router groups: variable -> path prefix
	dynamic  map[*ast.Object]bool    // variables of type any / map[string]any
}

type builtBy struct {
	how string
	sql bool
}

const (
	taintRequest = 1 << iota
	taintArchive
	taintTool // a tool call's arguments: what the model chose
	taintText // text nobody reviewed: a file read, a fetched body, a program's output
)

func scanFile(src []byte) *fileScan {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments)
	if err != nil || f == nil {
		return nil
	}
	s := &fileScan{
		fset: fset, src: src, file: f, imports: map[string]string{},
		req: map[*ast.Object]bool{}, taint: map[*ast.Object]int{}, archives: map[*ast.Object]bool{},
		built: map[*ast.Object]builtBy{}, builders: map[*ast.Object]string{},
		prefix: map[*ast.Object]string{}, dynamic: map[*ast.Object]bool{},
	}
	s.lines = append(s.lines, 0)
	for i, b := range src {
		if b == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	for _, im := range f.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		switch {
		case im.Name == nil:
			s.imports[defaultName(p)] = p
		case im.Name.Name == ".":
			s.dots = append(s.dots, p)
		case im.Name.Name != "_":
			s.imports[im.Name.Name] = p
		}
	}
	s.prepass()
	s.walk()
	s.dropJoinsBesideWrites()
	return s
}

// defaultName is the name an unaliased import binds: the last path element,
// without a major-version suffix ("chi/v5" -> chi) or a ".vN"/"go-" dressing.
func defaultName(p string) string {
	parts := strings.Split(p, "/")
	n := parts[len(parts)-1]
	if len(parts) > 1 && len(n) > 1 && n[0] == 'v' && isDigits(n[1:]) {
		n = parts[len(parts)-2]
	}
	if i := strings.Index(n, ".v"); i > 0 && isDigits(n[i+2:]) {
		n = n[:i]
	}
	n = strings.TrimPrefix(n, "go-")
	if strings.HasSuffix(n, "-go") && len(n) > 3 { // posthog-go binds posthog
		n = strings.TrimSuffix(n, "-go")
	}
	return strings.ReplaceAll(n, "-", "")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (s *fileScan) line(p token.Pos) int {
	if !p.IsValid() {
		return 0
	}
	return s.fset.Position(p).Line
}

func (s *fileScan) lineText(n int) string {
	if n < 1 || n > len(s.lines) {
		return ""
	}
	start := s.lines[n-1]
	end := len(s.src)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	if start > end {
		return ""
	}
	return strings.TrimSpace(string(s.src[start:end]))
}

// text is a node's source with whitespace runs collapsed: the identity a
// node keeps when it is re-indented or moved.
func (s *fileScan) text(n ast.Node) string {
	a, b := s.fset.Position(n.Pos()).Offset, s.fset.Position(n.End()).Offset
	if a < 0 || b > len(s.src) || a > b {
		return ""
	}
	return strings.Join(strings.Fields(string(s.src[a:b])), " ")
}

func (s *fileScan) short(n ast.Node) string {
	t := s.text(n)
	if len(t) > 60 {
		t = t[:57] + "..."
	}
	return t
}

// counts tallies hit identities; old selects the identity removals use.
func (s *fileScan) counts(old bool) map[string]int {
	m := map[string]int{}
	if s == nil {
		return m
	}
	for _, h := range s.hits {
		switch {
		case !old:
			m[h.key]++
		case h.removal != nil:
			m[h.removal.key]++
		default:
			// A node that is no longer a removal candidate on this side still
			// proves the thing survived (same text, same rule).
			m[h.key]++
		}
	}
	return m
}

// add records a hit over the node's lines.
func (s *fileScan) add(n ast.Node, category, rule, severity, message, tok string) *hit {
	h := &hit{
		line: s.line(n.Pos()), end: s.line(n.End()),
		category: category, rule: rule, severity: severity, message: message, token: tok,
		key: rule + "\x00" + layoutFree(s.text(n)), onAdd: true, fn: s.topFn,
	}
	h.fnKey = rule + "\x00" + funcName(s.topFn) + "\x00" + message
	if keyedByMessage[rule] {
		h.key = rule + "\x00" + message
	}
	s.hits = append(s.hits, h)
	return h
}

// funcName names a top-level function with its receiver type, "" outside one.
func funcName(n ast.Node) string {
	fd, ok := n.(*ast.FuncDecl)
	if !ok {
		return ""
	}
	return recvName(fd) + fd.Name.Name
}

// fnCounts tallies the in-place identities of the hits that are not
// reported as changes of their own (an auth function says "changes auth
// logic"): exec.CommandContext becoming exec.Command on the same program in
// the same function, or an interpreter given other options, is the same
// construct edited, not a new one.
func (s *fileScan) fnCounts(old bool) map[string]int {
	m := map[string]int{}
	if s == nil {
		return m
	}
	for _, h := range s.hits {
		if h.changed != "" {
			continue
		}
		if old && h.removal != nil {
			m[h.removal.rule+"\x00"+funcName(h.fn)+"\x00"+h.removal.message]++
			continue
		}
		m[h.fnKey]++
	}
	return m
}

// layoutFree is a node's text without what gofmt decides: spaces, line
// breaks and the trailing comma of a call or literal split over lines, so a
// reformatted call is the same construct.
func layoutFree(t string) string {
	t = strings.Join(strings.Fields(t), "")
	return strings.NewReplacer(",)", ")", ",}", "}").Replace(t)
}

// keyedByMessage are the rules whose message already names what matters
// (route, address, host, cookie flags): a handler or option edited on the
// same line does not make the route, listener or client new.
var keyedByMessage = set("go/route", "go/listener", "go/http-client", "go/cookie-flags", "go/session-cookie",
	"go/cors-wildcard", "go/grpc-server", "go/grpc-service", "go/websocket", "go/upload", "go/http-call",
	"go/grpc-dial", "go/net-dial", "go/smtp", "go/sdk-client", "go/pprof", "go/pprof-exposed")

// addCall records a hit over a call's head: from its name to its last
// argument, stopping at the signature of a function literal, so edits inside
// a handler's body do not re-report the route that holds it.
func (s *fileScan) addCall(call *ast.CallExpr, category, rule, severity, message, tok string) *hit {
	h := s.add(call, category, rule, severity, message, tok)
	h.line, h.end = s.head(call)
	h.callee = s.text(call.Fun)
	return h
}

func (s *fileScan) head(call *ast.CallExpr) (int, int) {
	start := s.line(call.Pos())
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
		start = s.line(sel.Sel.Pos())
	}
	end := s.line(call.Lparen)
	for _, a := range call.Args {
		e := s.line(a.End())
		if fl, ok := a.(*ast.FuncLit); ok {
			e = s.line(fl.Type.End())
		}
		if e > end {
			end = e
		}
	}
	if len(call.Args) == 0 || !hasFuncLit(call.Args) {
		if e := s.line(call.Rparen); e > end {
			end = e
		}
	}
	return start, end
}

func hasFuncLit(args []ast.Expr) bool {
	for _, a := range args {
		if _, ok := a.(*ast.FuncLit); ok {
			return true
		}
	}
	return false
}

// withRemoval makes h a removal candidate as well.
func (h *hit) withRemoval(category, rule, severity, message string) *hit {
	h.removal = &removal{category: category, rule: rule, severity: severity, message: message,
		key: h.key, line: h.line, end: h.end}
	return h
}

// pkgOf resolves an identifier naming an imported package to its path.
// Identifiers the parser bound to a local declaration are not packages.
func (s *fileScan) pkgOf(x ast.Expr) string {
	id, ok := x.(*ast.Ident)
	if !ok || id.Obj != nil {
		return ""
	}
	return s.imports[id.Name]
}

// callee names what a call calls: the package path and function for a
// package-level function (through aliases and dot imports), or "" and the
// method name for a call on a value.
func (s *fileScan) callee(call *ast.CallExpr) (pkg, name string) {
	return s.resolve(call.Fun)
}

func (s *fileScan) resolve(fun ast.Expr) (pkg, name string) {
	for {
		switch f := fun.(type) {
		case *ast.ParenExpr:
			fun = f.X
			continue
		case *ast.IndexExpr:
			fun = f.X
			continue
		case *ast.IndexListExpr:
			fun = f.X
			continue
		case *ast.StarExpr:
			fun = f.X
			continue
		case *ast.SelectorExpr:
			return s.pkgOf(f.X), f.Sel.Name
		case *ast.Ident:
			if f.Obj == nil {
				for _, d := range s.dots {
					if known[d+"."+f.Name] {
						return d, f.Name
					}
				}
			}
			return "", f.Name
		}
		return "", ""
	}
}

// recv is the receiver expression of a method call, nil otherwise.
func (s *fileScan) recv(call *ast.CallExpr) ast.Expr {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || s.pkgOf(sel.X) != "" {
		return nil
	}
	return sel.X
}

func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.CallExpr:
			e = x.Fun
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.UnaryExpr:
			e = x.X
		default:
			return nil
		}
	}
}

func strLit(e ast.Expr) (string, bool) {
	if p, ok := e.(*ast.ParenExpr); ok {
		e = p.X
	}
	bl, ok := e.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(bl.Value)
	return v, err == nil
}

func isTrue(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "true" && id.Obj == nil
}

// literal follows an expression to the string it is built from, as far as
// constants, local assignments, concatenation and fmt.Sprintf show it; full
// says the whole value is known.
func (s *fileScan) literal(e ast.Expr, depth int) (v string, full bool) {
	if depth > 4 || e == nil {
		return "", false
	}
	switch x := e.(type) {
	case *ast.BasicLit:
		v, ok := strLit(x)
		return v, ok
	case *ast.ParenExpr:
		return s.literal(x.X, depth+1)
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		l, lf := s.literal(x.X, depth+1)
		if !lf {
			return l, false
		}
		r, rf := s.literal(x.Y, depth+1)
		return l + r, rf
	case *ast.Ident:
		if x.Obj == nil {
			return "", false
		}
		return s.literal(valueOf(x), depth+1)
	case *ast.CallExpr:
		pkg, name := s.callee(x)
		if pkg == "fmt" && name == "Sprintf" && len(x.Args) > 0 {
			f, _ := s.literal(x.Args[0], depth+1)
			if i := strings.IndexByte(f, '%'); i >= 0 {
				return f[:i], false
			}
			return f, len(x.Args) == 1
		}
		if (pkg == "net/url" && name == "JoinPath") && len(x.Args) > 0 {
			b, _ := s.literal(x.Args[0], depth+1)
			return b, false
		}
	}
	return "", false
}

// valueOf is the expression an identifier was declared or first assigned
// with, nil when there is none.
func valueOf(id *ast.Ident) ast.Expr {
	if id.Obj == nil {
		return nil
	}
	switch d := id.Obj.Decl.(type) {
	case *ast.ValueSpec:
		for i, n := range d.Names {
			if n.Name == id.Name && i < len(d.Values) && len(d.Values) == len(d.Names) {
				return d.Values[i]
			}
		}
	case *ast.AssignStmt:
		if len(d.Lhs) == len(d.Rhs) {
			for i, l := range d.Lhs {
				if li, ok := l.(*ast.Ident); ok && li.Name == id.Name {
					return d.Rhs[i]
				}
			}
		}
	}
	return nil
}

// host reads the host out of a URL-ish literal prefix.
func host(v string) string {
	for _, scheme := range []string{"http://", "https://", "ws://", "wss://", "grpc://"} {
		if strings.HasPrefix(v, scheme) {
			u, err := url.Parse(v)
			if err != nil || u.Host == "" || strings.ContainsAny(u.Host, "%{") {
				return ""
			}
			return u.Hostname()
		}
	}
	return ""
}

var sensitiveWords = set("password", "passwd", "passphrase", "secret", "secrets", "token", "tokens",
	"apikey", "ssn", "cvv", "cvc", "creditcard", "cardnumber", "privatekey", "authorization",
	"bearer", "credential", "credentials", "jwt", "otp")

var sensitivePairs = set("api key", "credit card", "card number", "private key", "access key",
	"secret key", "social security", "session id", "refresh token", "client secret")

// notSecret words end a name that describes a secret without holding one
// (tokenExpiry, PasswordPolicy, maxTokens).
var notSecret = set("count", "len", "length", "expiry", "expires", "expiration", "exp", "ttl",
	"type", "kind", "id", "ids", "policy", "reset", "url", "uri", "endpoint", "path", "file",
	"name", "field", "set", "present", "valid", "ok", "err", "error", "required", "source",
	"limit", "min", "max", "at", "enabled", "prompt", "label", "hint", "usage", "rule", "rules",
	"scope", "scopes", "header", "headers", "mode", "format", "status", "info")

var notSecretLead = set("max", "min", "num", "total", "is", "has", "no")

// quantityWords make a name about an amount of tokens (InputCostPerToken,
// tokenBudget, maxTokensPerRequest), not about a credential.
var quantityWords = set("per", "cost", "costs", "price", "pricing", "count", "counts", "budget", "window",
	"usage", "estimate", "estimated", "limit", "limits", "input", "output", "cached", "prompt", "completion",
	"effective", "cache", "reasoning", "total", "remaining", "used")

func sensitive(name string) bool {
	ws := surface.NameWords(name)
	if len(ws) == 0 || notSecret[ws[len(ws)-1]] || notSecretLead[ws[0]] {
		return false
	}
	for _, w := range ws {
		if quantityWords[w] {
			return false
		}
	}
	for i, w := range ws {
		if sensitiveWords[w] {
			return true
		}
		if i > 0 && sensitivePairs[ws[i-1]+" "+w] {
			return true
		}
	}
	return false
}

var authWords = set("auth", "authn", "authz", "authenticate", "authenticated", "authentication",
	"authenticator", "authorize", "authorized", "authorization", "authorizer", "oauth", "oauth2",
	"oidc", "jwt", "rbac", "acl", "permission", "permissions")

var authVerbs = set("require", "requires", "check", "verify", "ensure", "must", "has", "is", "validate", "can")

var authObjects = set("role", "roles", "admin", "scope", "scopes", "token", "permission", "login",
	"session", "signature", "owner", "access", "password", "user", "apikey", "api")

// authName reports whether an identifier names authentication or
// authorization logic: RequireAdmin, VerifyToken, authorize, OAuthCallback.
func authName(name string) bool {
	ws := surface.NameWords(name)
	if fileModeName(ws) {
		return false // FixDirPermissions: a file's mode bits, not who may act
	}
	for i, w := range ws {
		if authWords[w] {
			return true
		}
		if i > 0 && authVerbs[ws[i-1]] && authObjects[w] {
			// "ValidateUser" or "isUser" check an identity; "HasUsers" does not.
			return w != "user" || ws[i-1] == "require" || ws[i-1] == "must"
		}
	}
	return false
}

// fileModeName is a name about a file's or directory's permission bits
// (FixBeadsDirPermissions, ensureFileMode), with no one in it whose
// access it decides (canUserReadFile is auth).
func fileModeName(ws []string) bool {
	fs, perm := false, false
	for _, w := range ws {
		switch w {
		case "dir", "dirs", "directory", "file", "files", "folder":
			fs = true
		case "permission", "permissions", "perm", "perms", "mode", "chmod", "umask":
			perm = true
		case "user", "users", "role", "roles", "actor", "owner", "member", "admin", "token", "session", "access", "allowed", "can":
			return false
		}
	}
	return fs && perm
}

// authPackage reports import paths whose functions are auth by definition.
func authPackage(p string) bool {
	last := p[strings.LastIndexByte(p, '/')+1:]
	if isDigits(strings.TrimPrefix(last, "v")) && strings.Contains(p, "/") {
		q := p[:strings.LastIndexByte(p, '/')]
		last = q[strings.LastIndexByte(q, '/')+1:]
	}
	l := strings.ToLower(last)
	if strings.Contains(l, "author") {
		return false
	}
	// "session" is a web-session library (gorilla/sessions, scs,
	// gin-contrib/sessions); a package of the repository named session
	// is as often a chat or terminal session.
	if strings.Contains(l, "session") && !strings.Contains(p, "/internal/") && (l == "sessions" || strings.Contains(p, "alexedwards/scs") || strings.Contains(p, "/middleware/session")) {
		return true
	}
	for _, w := range []string{"auth", "jwt", "oidc", "casbin", "jose", "paseto"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return strings.Contains(p, "golang-jwt/") || strings.Contains(p, "jwt-go")
}

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// known lists the package-level functions the rules look for, so that a
// bare call under a dot import can be resolved to its package.
var known = set(
	"os/exec.Command", "os/exec.CommandContext", "syscall.Exec", "syscall.ForkExec", "syscall.StartProcess",
	"os.StartProcess", "plugin.Open", "net/http.HandleFunc", "net/http.Handle", "net/http.ListenAndServe",
	"net/http.ListenAndServeTLS", "net/http.Get", "net/http.Post", "net/http.Head", "net/http.PostForm",
	"net/http.NewRequest", "net/http.NewRequestWithContext", "net/http.Error", "net.Listen", "net.ListenPacket",
	"net.Dial", "net.DialTimeout", "os.Create", "os.OpenFile", "os.WriteFile", "os.MkdirAll", "os.Mkdir",
	"os.Rename", "os.Remove", "os.RemoveAll", "path/filepath.Join", "fmt.Sprintf", "fmt.Printf", "fmt.Println",
	"fmt.Print", "log.Printf", "log.Println", "log.Print", "crypto/md5.Sum", "crypto/md5.New", "crypto/sha1.Sum",
	"crypto/sha1.New", "encoding/gob.NewDecoder", "syscall.Syscall",
)
