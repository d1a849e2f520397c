package golang

import (
	"go/ast"
	"go/token"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/vouch-review/vouch/review/surface"
)

// walk visits every node with its ancestors on a stack and runs the rules.
func (s *fileScan) walk() {
	s.imports0()
	s.directives()
	ast.Inspect(s.file, func(n ast.Node) bool {
		if n == nil {
			top := s.stack[len(s.stack)-1]
			s.stack = s.stack[:len(s.stack)-1]
			if top == s.topFn {
				s.topFn = nil
			}
			return false
		}
		s.stack = append(s.stack, n)
		switch x := n.(type) {
		case *ast.FuncDecl:
			s.topFn = x
			s.funcDecl(x)
			s.configDiscovery(x)
		case *ast.GenDecl:
			if len(s.stack) == 2 {
				s.allowList(x)
			}
		case *ast.BasicLit, *ast.BinaryExpr:
			if _, ok := x.(*ast.BasicLit); !ok || !s.inBinary() {
				s.unixSocketAddr(x.(ast.Expr))
			}
		case *ast.IfStmt:
			s.permissionGate(x)
			s.schemeCheck(x)
			s.traversalCheck(x)
		case *ast.CallExpr:
			s.call(x)
		case *ast.CompositeLit:
			s.composite(x)
		case *ast.SelectorExpr:
			s.selector(x)
		case *ast.StructType:
			s.structType(x)
		case *ast.AssignStmt:
			s.assign(x)
		}
		return true
	})
}

// inMiddleware reports code in a function that wraps handlers: it takes or
// returns an http.Handler (func(next http.Handler) http.Handler).
func (s *fileScan) inMiddleware() bool {
	fd, ok := s.topFn.(*ast.FuncDecl)
	if !ok {
		return false
	}
	found := false
	ast.Inspect(fd.Type, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Handler" && s.pkgOf(sel.X) == "net/http" {
			found = true
		}
		return !found
	})
	return found
}

// inBinary reports a node that is an operand of a + or another binary
// expression, whose whole the rules read instead.
func (s *fileScan) inBinary() bool {
	if n := len(s.stack); n >= 2 {
		_, ok := s.stack[n-2].(*ast.BinaryExpr)
		return ok
	}
	return false
}

// imports0 reports imports that are surface by themselves: unsafe, cgo
// (with its C preamble) and net/http/pprof.
func (s *fileScan) imports0() {
	for _, d := range s.file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, sp := range gd.Specs {
			im := sp.(*ast.ImportSpec)
			p, err := strconv.Unquote(im.Path.Value)
			if err != nil {
				continue
			}
			switch p {
			case "unsafe":
				s.add(im, "native", "go/unsafe", "medium", "imports unsafe: pointer arithmetic outside Go's type safety", "unsafe")
			case "C":
				h := s.add(im, "native", "go/cgo", "medium", "uses cgo: C code runs inside the process without Go's memory safety", "C")
				doc := im.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				if doc != nil {
					// Editing the C preamble changes native code too.
					h.line = s.line(doc.Pos())
				}
			case "net/http/pprof":
				s.add(im, "entry-point", "go/pprof", "high", "imports net/http/pprof: profiling handlers on the default mux (/debug/pprof/)", "net/http/pprof")
				s.add(im, "web-config", "go/pprof-exposed", "medium", "debug endpoints enabled (net/http/pprof)", "net/http/pprof")
			}
		}
	}
}

// directives reports //go:linkname, which reaches into another package's
// unexported symbols; it is the one comment that is code.
func (s *fileScan) directives() {
	for _, cg := range s.file.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:linkname ") {
				f := strings.Fields(c.Text)
				target := ""
				if len(f) > 2 {
					target = " to " + f[2]
				}
				s.add(c, "native", "go/linkname", "medium", "//go:linkname binds"+target+", bypassing package boundaries", "go:linkname")
			}
		}
	}
}

func (s *fileScan) funcDecl(fd *ast.FuncDecl) {
	name := fd.Name.Name
	if strings.HasPrefix(name, "Test") || strings.HasPrefix(name, "Benchmark") || fd.Body == nil {
		return
	}
	if !authName(name) {
		if s.guardFunc(fd) {
			s.addAuthFunc(fd, name)
		}
		return
	}
	// A name is not a decision: the function must deny (a 401/403, a
	// permission error) or call into an auth library to be auth logic. A
	// getter's error (GetExpiredDangerousPermissionsSessions) is a failed
	// read, not a verdict.
	if !s.decides(fd.Body) && !(strongAuthName(name) && returnsVerdict(fd) && !fetches(name)) {
		return
	}
	s.addAuthFunc(fd, name)
}

// guardPackages are the repository's own packages whose job is to decide
// access: a tool-permission service, an approval store, a sandbox policy.
var guardPackages = set("auth", "authz", "authn", "permission", "permissions", "approval", "approvals",
	"policy", "policies", "sandbox", "acl", "rbac", "access", "guard", "guards")

var grantVerbs = regexp.MustCompile(`^(Grant|Allow|Deny|Approve|Reject|Revoke|Permit|Check|Request|Authorize|Is(Allowed|Permitted|Denied|Granted)|Can)`)

// guardFunc reports a function of a guard package that decides or grants:
// permission.Service.Grant, approval.IsAllowed, sandbox.Policy.Check.
func (s *fileScan) guardFunc(fd *ast.FuncDecl) bool {
	if !guardPackages[strings.ToLower(s.file.Name.Name)] || fd.Body == nil {
		return false
	}
	n := fd.Name.Name
	return grantVerbs.MatchString(n) || grantVerbs.MatchString(strings.ToUpper(n[:1])+n[1:]) || (ast.IsExported(n) && returnsVerdict(fd))
}

func (s *fileScan) addAuthFunc(fd *ast.FuncDecl, name string) {
	h := s.add(fd, "auth", "go/auth-func", "medium", "new auth function "+name, name)
	h.confidence = "medium"
	h.line = s.line(fd.Pos())
	if fd.Doc != nil {
		h.line = s.line(fd.Type.Pos())
	}
	h.changed = "changes auth logic in " + name
	h.withRemoval("auth", "go/auth-removed", "high", "removes auth function "+name)
	// A function is removed only when no function of that name is left: a
	// method that became a function (or moved to another type) changed.
	h.removal.key = "func\x00" + name
	h.removal.end = h.removal.line
}

func recvName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	if id := rootIdent(fd.Recv.List[0].Type); id != nil {
		return id.Name + "."
	}
	return ""
}

// routeInfo recognises a route registration: net/http patterns (Go 1.22
// "POST /x"), chi, gin, echo, fiber and gorilla/mux method names with a
// literal path.
type routeInfo struct {
	kind, method, path string
}

var verbs = set("Get", "Post", "Put", "Delete", "Patch", "Head", "Options", "Connect", "Trace",
	"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE", "Any", "All")

var httpMethod = regexp.MustCompile(`^[A-Z]+$`)

func (s *fileScan) route(call *ast.CallExpr) (routeInfo, bool) {
	pkg, name := s.callee(call)
	args := call.Args
	lit := func(i int) (string, bool) {
		if i >= len(args) {
			return "", false
		}
		return strLit(args[i])
	}
	pathOK := func(p string) bool { return strings.HasPrefix(p, "/") && !strings.Contains(p, "://") }
	prefix := s.enclosingGroups(call) + s.recvPrefix(call)
	switch {
	case (pkg == "net/http" || pkg == "") && (name == "Handle" || name == "HandleFunc") && len(args) >= 2:
		p, ok := lit(0)
		if !ok {
			return routeInfo{}, false
		}
		method := ""
		if i := strings.IndexByte(p, ' '); i > 0 && httpMethod.MatchString(p[:i]) {
			method, p = p[:i], strings.TrimSpace(p[i+1:])
		}
		if !strings.Contains(p, "/") || strings.ContainsAny(p, " \t") || strings.Contains(p, "://") {
			return routeInfo{}, false
		}
		if method == "" {
			method = s.gorillaMethods(call)
		}
		return routeInfo{"route", method, joinPath(prefix, p)}, true
	case pkg != "":
		return routeInfo{}, false
	case verbs[name] && len(args) >= 2:
		// A handler is code, never a string: q.Get("/x", "y") is a lookup.
		if _, isLit := args[1].(*ast.BasicLit); isLit {
			return routeInfo{}, false
		}
		if p, ok := lit(0); ok && pathOK(p) {
			m := strings.ToUpper(name)
			if m == "ANY" || m == "ALL" {
				m = "ANY"
			}
			return routeInfo{"route", m, joinPath(prefix, p)}, true
		}
	case (name == "Method" || name == "MethodFunc" || name == "Add") && len(args) >= 3:
		m, ok1 := lit(0)
		p, ok2 := lit(1)
		if ok1 && ok2 && pathOK(p) && httpMethod.MatchString(m) {
			return routeInfo{"route", m, joinPath(prefix, p)}, true
		}
	case (name == "Route" || name == "Mount") && len(args) >= 2:
		if p, ok := lit(0); ok && pathOK(p) {
			kind := "group"
			if name == "Mount" {
				kind = "mount"
			}
			return routeInfo{kind, "", joinPath(prefix, p)}, true
		}
	case name == "Group" && len(args) >= 1:
		if p, ok := lit(0); ok && pathOK(p) {
			return routeInfo{"group", "", joinPath(prefix, p)}, true
		}
	case (name == "Static" || name == "StaticFS" || name == "StaticFile" || name == "StaticFileFS") && len(args) >= 2:
		if p, ok := lit(0); ok && pathOK(p) {
			return routeInfo{"static", "", joinPath(prefix, p)}, true
		}
	}
	return routeInfo{}, false
}

// enclosingGroups is the path of the chi r.Route("/x", func(r chi.Router)
// {...}) blocks around a call, outermost first.
func (s *fileScan) enclosingGroups(call *ast.CallExpr) string {
	prefix := ""
	for i, n := range s.stack {
		c, ok := n.(*ast.CallExpr)
		if !ok || c == call || i+1 >= len(s.stack) {
			continue
		}
		if _, name := s.callee(c); name != "Route" || len(c.Args) < 2 {
			continue
		}
		if fl, ok := c.Args[len(c.Args)-1].(*ast.FuncLit); !ok || s.stack[i+1] != fl {
			continue
		}
		if p, ok := strLit(c.Args[0]); ok && strings.HasPrefix(p, "/") {
			prefix = joinPath(prefix, p)
		}
	}
	return strings.TrimSuffix(prefix, "/")
}

// gorillaMethods reads r.HandleFunc("/x", h).Methods("POST", "PUT").
func (s *fileScan) gorillaMethods(call *ast.CallExpr) string {
	n := len(s.stack)
	if n < 3 || s.stack[n-1] != call {
		return ""
	}
	sel, ok := s.stack[n-2].(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Methods" {
		return ""
	}
	outer, ok := s.stack[n-3].(*ast.CallExpr)
	if !ok {
		return ""
	}
	var ms []string
	for _, a := range outer.Args {
		if v, ok := strLit(a); ok {
			ms = append(ms, v)
		}
	}
	return strings.Join(ms, ",")
}

// where names a route as an auth finding's message says it applies to:
// "route GET /x".
func (r routeInfo) where() string { return strings.TrimSpace("route " + r.method + " " + r.path) }

func (r routeInfo) String() string {
	switch r.kind {
	case "group":
		return "new route group " + r.path
	case "mount":
		return "mounts a handler under " + r.path
	case "static":
		return "serves static files under " + r.path
	}
	if r.method != "" {
		return "new route " + r.method + " " + r.path
	}
	return "new route " + r.path
}

// routeContext names the routes a node applies to, from the registrations
// around it: "/admin routes" or "route GET /admin/users".
func (s *fileScan) routeContext() string {
	for i := len(s.stack) - 2; i >= 0; i-- {
		call, ok := s.stack[i].(*ast.CallExpr)
		if !ok {
			continue
		}
		if r, ok := s.route(call); ok {
			if r.kind == "route" {
				return r.where()
			}
			return r.path + " routes"
		}
		if _, name := s.callee(call); name == "Use" || name == "With" {
			if p := s.recvPrefix(call); p != "" {
				return p + " routes"
			}
		}
	}
	return ""
}

// middlewareCall reports calls that take middleware: Use, With, route
// registrations, alice-style chains.
func (s *fileScan) middlewareCall(call *ast.CallExpr) bool {
	_, name := s.callee(call)
	switch name {
	case "Use", "With", "Chain", "Then", "Append", "Wrap", "Handler":
		return true
	}
	if strings.Contains(name, "Middleware") {
		return true
	}
	_, ok := s.route(call)
	return ok
}

func (s *fileScan) call(call *ast.CallExpr) {
	pkg, name := s.callee(call)
	full := pkg + "." + name
	switch {
	case s.entryPoint(call, pkg, name, full):
	case s.execRule(call, pkg, name, full):
	case s.agentCall(call, pkg, name, full):
	}
	s.egress(call, pkg, name, full)
	s.auth(call, pkg, name, full)
	s.webConfigCall(call, pkg, name)
	s.native(call, pkg, name, full)
	s.fileRule(call, pkg, name, full)
	s.sqlRule(call, pkg, name)
	s.deserialize(call, pkg, name, full)
	s.cryptoCall(call, pkg, name, full)
	s.logging(call, pkg, name, full)
	s.validation(call, pkg, name, full)
	s.instructionCall(call, name)
	s.protectiveMiddleware(call)
	if full == "net/http.MaxBytesReader" {
		// Adding a limit inside one handler is the usual hardening, a mark a
		// reviewer would learn to skip; a limit in middleware is a policy for
		// every route it wraps, and taking one away is a change either way.
		h := s.addCall(call, "web-config", "go/body-limit", "low", "limits request bodies in middleware (http.MaxBytesReader)", full)
		h.onAdd = s.inMiddleware()
		h.withRemoval("web-config", "go/body-limit-removed", "medium", "removes a request body limit (http.MaxBytesReader): a client can send bodies of any size")
	}
}

func (s *fileScan) entryPoint(call *ast.CallExpr, pkg, name, full string) bool {
	if r, ok := s.route(call); ok {
		s.addCall(call, "entry-point", "go/route", "medium", r.String(), "route")
		if r.kind == "route" {
			where := r.where()
			for _, fl := range s.groupBodies() {
				for _, mw := range s.groupUse[fl] {
					if s.guarded == nil {
						s.guarded = map[string]map[string]bool{}
					}
					if s.guarded[where] == nil {
						s.guarded[where] = map[string]bool{}
					}
					s.guarded[where][mw] = true
				}
			}
		}
		return true
	}
	addrArg := -1
	switch full {
	case "net/http.ListenAndServe", "net/http.ListenAndServeTLS":
		addrArg = 0
	case "net.Listen", "net.ListenPacket", "crypto/tls.Listen", "net.ListenTCP", "net.ListenUDP", "net.ListenUnix", "net.ListenIP":
		addrArg = 1
	case "net/http.Serve", "net/http.ServeTLS", "net/http/fcgi.Serve":
		s.addCall(call, "entry-point", "go/listener", "medium", "serves HTTP on a listener ("+full+")", full)
		return true
	case "google.golang.org/grpc.NewServer":
		msg := "new gRPC server"
		if !strings.Contains(s.text(call), "Creds(") {
			msg += " (no transport credentials in its options)"
		}
		s.addCall(call, "entry-point", "go/grpc-server", "medium", msg, full)
		return true
	case "nhooyr.io/websocket.Accept", "github.com/coder/websocket.Accept", "golang.org/x/net/websocket.Handler":
		s.addCall(call, "entry-point", "go/websocket", "medium", "accepts websocket connections ("+name+")", full)
		return true
	}
	if addrArg >= 0 && addrArg < len(call.Args) {
		s.listener(call, call.Args[addrArg], full)
		return true
	}
	if strings.HasPrefix(name, "Register") && strings.HasSuffix(name, "Server") && len(name) > len("RegisterServer") && len(call.Args) >= 2 {
		svc := strings.TrimSuffix(strings.TrimPrefix(name, "Register"), "Server")
		s.addCall(call, "entry-point", "go/grpc-service", "medium", "registers gRPC service "+svc, "route")
		return true
	}
	if name == "Upgrade" && pkg == "" && len(call.Args) == 3 && s.imported("github.com/gorilla/websocket") {
		s.addCall(call, "entry-point", "go/websocket", "medium", "upgrades HTTP requests to websockets", "websocket")
		return true
	}
	return false
}

func (s *fileScan) listener(n ast.Node, addr ast.Expr, tok string) {
	v, full := s.literal(addr, 0)
	sev, where := "medium", ""
	if full || v != "" {
		h := v
		if i := strings.LastIndexByte(v, ':'); i >= 0 {
			h = v[:i]
		}
		where = " on " + v
		if full && (h == "" || h == "0.0.0.0" || h == "[::]" || h == "::") {
			sev, where = "high", " on "+v+" (all interfaces)"
		}
	}
	h := s.add(n, "entry-point", "go/listener", sev, "new network listener"+where, tok)
	if c, ok := n.(*ast.CallExpr); ok {
		h.line, h.end = s.head(c)
	}
}

func (s *fileScan) imported(p string) bool {
	for _, v := range s.imports {
		if v == p {
			return true
		}
	}
	for _, v := range s.dots {
		if v == p {
			return true
		}
	}
	return false
}

func (s *fileScan) importedPrefix(prefixes ...string) bool {
	for _, v := range s.imports {
		for _, p := range prefixes {
			if strings.HasPrefix(v, p) {
				return true
			}
		}
	}
	return false
}

var shells = set("sh", "bash", "zsh", "dash", "ksh", "/bin/sh", "/bin/bash", "/usr/bin/env", "cmd", "cmd.exe", "powershell", "pwsh", "powershell.exe")

func (s *fileScan) execRule(call *ast.CallExpr, pkg, name, full string) bool {
	switch full {
	case "os/exec.Command", "os/exec.CommandContext":
		args := call.Args
		if name == "CommandContext" && len(args) > 0 {
			args = args[1:]
		}
		msg := "runs a program chosen at run time"
		if len(args) > 0 {
			if prog, ok := strLit(args[0]); ok {
				msg = "runs " + strconv.Quote(prog)
				if shells[prog] && len(args) > 1 {
					if flag, ok := strLit(args[1]); ok && (flag == "-c" || strings.EqualFold(flag, "/c") || strings.EqualFold(flag, "-Command")) {
						msg = "runs a shell: " + prog + " " + flag
						if len(args) > 2 {
							if script, ok := strLit(args[2]); ok {
								msg += " " + strconv.Quote(trunc(script, 50))
							} else {
								msg += " with a command built at run time"
							}
						}
					}
				}
			}
		}
		for _, a := range args {
			if s.taintOf(a)&taintRequest != 0 {
				msg += ", with request data"
				break
			}
		}
		if m, sev := s.gitFetch(args); m != "" {
			// Fetching code is the change that matters here: where it
			// comes from and whether the ref can move, not that git runs.
			s.addCall(call, "dependency-source", "go/git-fetch", sev, m, "git-fetch")
			return true
		}
		s.addCall(call, "exec", "go/exec-command", "high", msg, full)
	case "syscall.Exec", "syscall.ForkExec", "syscall.StartProcess", "golang.org/x/sys/unix.Exec":
		s.addCall(call, "exec", "go/syscall-exec", "high", "replaces or forks the process with "+name+" ("+pkg+")", full)
	case "os.StartProcess":
		s.addCall(call, "exec", "go/start-process", "high", "starts a process with os.StartProcess", full)
	case "github.com/go-git/go-git/v5.PlainClone", "github.com/go-git/go-git/v5.PlainCloneContext", "github.com/go-git/go-git/v5.Clone", "github.com/go-git/go-git/v5.CloneContext":
		s.addCall(call, "dependency-source", "go/git-fetch", "high", "clones a repository at run time ("+s.short(call.Fun)+"): unless its options pin a commit, what arrives can change after review", "git-fetch")
	case "plugin.Open":
		s.addCall(call, "exec", "go/plugin-open", "high", "loads a Go plugin: code not built with this binary runs in-process", full)
	default:
		return false
	}
	return true
}

func trunc(v string, n int) string {
	if len(v) > n {
		return v[:n-3] + "..."
	}
	return v
}

// sdks maps SaaS SDK packages to the host their clients talk to.
var sdks = []struct{ prefix, fn, host string }{
	{"github.com/stripe/stripe-go/", "", "api.stripe.com"},
	{"github.com/slack-go/slack", "New", "slack.com"},
	{"github.com/slack-go/slack", "PostWebhook", "hooks.slack.com"},
	{"github.com/twilio/twilio-go", "New", "api.twilio.com"},
	{"github.com/sendgrid/sendgrid-go", "New", "api.sendgrid.com"},
	{"github.com/sashabaranov/go-openai", "New", "api.openai.com"},
	{"github.com/openai/openai-go", "New", "api.openai.com"},
	{"github.com/anthropics/anthropic-sdk-go", "New", "api.anthropic.com"},
	{"github.com/google/go-github/", "New", "api.github.com"},
	{"github.com/getsentry/sentry-go", "Init", "sentry.io"},
	{"github.com/mailgun/mailgun-go", "New", "api.mailgun.net"},
	{"github.com/segmentio/analytics-go", "New", "api.segment.io"},
	{"github.com/posthog/posthog-go", "New", "us.i.posthog.com"},
	{"go.opentelemetry.io/otel/exporters/otlp/", "New", ""},
	{"github.com/DataDog/datadog-go", "New", ""},
	{"gopkg.in/DataDog/dd-trace-go.v1/ddtrace/tracer", "Start", "datadoghq.com"},
	{"github.com/aws/aws-sdk-go-v2/service/", "New", ""},
	{"github.com/aws/aws-sdk-go/service/", "New", ""},
	{"cloud.google.com/go/", "NewClient", ""},
	{"github.com/Azure/azure-sdk-for-go/", "New", ""},
	{"github.com/go-resty/resty/", "New", ""},
	{"github.com/hashicorp/go-retryablehttp", "NewClient", ""},
}

var stripeHelpers = set("String", "Int64", "Bool", "Float64", "StringSlice", "Int64Slice", "Params", "BoolValue", "StringValue", "Int64Value")

func (s *fileScan) egress(call *ast.CallExpr, pkg, name, full string) {
	urlArg := -1
	rule := "go/http-call"
	switch full {
	case "net/http.Get", "net/http.Post", "net/http.Head", "net/http.PostForm":
		urlArg = 0
	case "net/http.NewRequest":
		urlArg = 1
	case "net/http.NewRequestWithContext":
		urlArg = 2
	case "google.golang.org/grpc.Dial", "google.golang.org/grpc.DialContext", "google.golang.org/grpc.NewClient":
		urlArg, rule = 0, "go/grpc-dial"
		if name == "DialContext" {
			urlArg = 1
		}
	case "net.Dial", "net.DialTimeout", "net.DialTCP", "net.DialUDP", "crypto/tls.Dial", "net/rpc.Dial", "net/rpc.DialHTTP":
		urlArg, rule = 1, "go/net-dial"
	case "net/smtp.SendMail", "net/smtp.Dial":
		urlArg, rule = 0, "go/smtp"
	}
	if pkg == "" && (name == "Do" || name == "Get" || name == "Post") {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
			if inner, ok := sel.X.(*ast.SelectorExpr); ok && s.pkgOf(inner.X) == "net/http" && inner.Sel.Name == "DefaultClient" {
				urlArg = -2
				if name != "Do" {
					urlArg = 0
				}
			}
		}
	}
	if rule == "go/net-dial" && (s.probesOwnListener(call) || s.unixSocket(call)) {
		return
	}
	if urlArg == -1 {
		for _, sdk := range sdks {
			if !strings.HasPrefix(pkg, sdk.prefix) || !strings.HasPrefix(name, sdk.fn) {
				continue
			}
			if strings.HasPrefix(sdk.prefix, "github.com/stripe/") && (stripeHelpers[name] || !strings.Contains(strings.TrimPrefix(pkg, sdk.prefix), "/")) {
				continue
			}
			h := sdk.host
			if h == "" {
				svc := pkg[strings.LastIndexByte(pkg, '/')+1:]
				switch {
				case strings.Contains(pkg, "aws-sdk-go"):
					h = svc + ".amazonaws.com"
				case strings.HasPrefix(pkg, "cloud.google.com/"):
					h = svc + ".googleapis.com"
				}
			}
			msg, tok := "new outbound client "+s.short(call.Fun), full
			if h != "" {
				msg, tok = "new outbound client "+s.short(call.Fun)+" (talks to "+h+")", h
			}
			s.addCall(call, "egress", "go/sdk-client", "medium", msg, tok)
			return
		}
		return
	}
	what := map[string]string{"go/http-call": "outbound HTTP call", "go/grpc-dial": "outbound gRPC connection",
		"go/net-dial": "outbound network connection", "go/smtp": "outbound mail (SMTP)"}[rule]
	msg, tok := "new "+what+" ("+s.short(call.Fun)+")", full
	if urlArg >= 0 && urlArg < len(call.Args) {
		v, fullv := s.literal(call.Args[urlArg], 0)
		hst := host(v)
		if hst == "" && v != "" && rule != "go/http-call" {
			hst = v
			if i := strings.LastIndexByte(v, ':'); i > 0 {
				hst = v[:i]
			}
		}
		if hst != "" {
			shown := v
			if !fullv {
				shown += "…"
			}
			msg, tok = "new "+what+" to "+trunc(shown, 90), hst
		}
	}
	s.addCall(call, "egress", rule, "medium", msg, tok)
}

var gitFetchVerbs = set("clone", "fetch", "pull", "submodule")

var fullSHA = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

// gitFetch reads a git command line (program first) that brings code in at
// run time: clone, fetch, pull, submodule. It says whether a full commit id
// fixes what arrives; a branch, a tag or the default HEAD can move.
func (s *fileScan) gitFetch(args []ast.Expr) (msg, severity string) {
	if len(args) < 2 {
		return "", ""
	}
	if prog, ok := strLit(args[0]); !ok || (prog != "git" && !strings.HasSuffix(prog, "/git")) {
		return "", ""
	}
	verb := ""
	pinned := false
	operands := 0 // after the verb: a URL, a remote, a ref
	for _, a := range args[1:] {
		v, ok := strLit(a)
		if verb != "" && (!ok || !strings.HasPrefix(v, "-")) {
			operands++
		}
		if !ok {
			continue
		}
		if verb == "" && gitFetchVerbs[v] {
			verb = v
		}
		if fullSHA.MatchString(v) {
			pinned = true
		}
	}
	// A bare "git fetch" or "git pull" updates the user's own checkout
	// from its configured remote: running git, not fetching a dependency.
	if verb == "" || (verb != "clone" && operands == 0) {
		return "", ""
	}
	if pinned {
		return "fetches code at run time with git " + verb + ", pinned to a full commit id", "medium"
	}
	return "fetches code at run time with git " + verb + " of a ref that can move (a branch, a tag or the default HEAD): what arrives can change after review", "high"
}

// unixSocket reports a dial whose network is a unix socket: a literal
// "unix", or a dial inside an if that checks its network is "unix". A unix
// socket is on this machine; the connection leaves nothing.
func (s *fileScan) unixSocket(call *ast.CallExpr) bool {
	if len(call.Args) == 0 {
		return false
	}
	if v, ok := strLit(call.Args[0]); ok {
		return strings.HasPrefix(v, "unix")
	}
	network := s.text(call.Args[0])
	for i := len(s.stack) - 2; i >= 0; i-- {
		ifs, ok := s.stack[i].(*ast.IfStmt)
		if !ok || ifs.Cond == nil {
			continue
		}
		found := false
		ast.Inspect(ifs.Cond, func(n ast.Node) bool {
			if b, ok := n.(*ast.BinaryExpr); ok && b.Op == token.EQL {
				for _, pair := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
					if v, ok := strLit(pair[1]); ok && strings.HasPrefix(v, "unix") && s.text(pair[0]) == network {
						found = true
					}
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// probesOwnListener reports a dial to the address the same function then
// listens on (a stale-socket or port-in-use probe): local housekeeping, not
// a connection out.
func (s *fileScan) probesOwnListener(call *ast.CallExpr) bool {
	if s.topFn == nil || len(call.Args) < 2 {
		return false
	}
	addr := s.text(call.Args[1])
	found := false
	ast.Inspect(s.topFn, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if pkg, name := s.callee(c); pkg == "net" && (name == "Listen" || name == "ListenPacket") && len(c.Args) == 2 && s.text(c.Args[1]) == addr {
			found = true
		}
		return true
	})
	return found
}

// auth reports calls to auth logic and middleware passed to routers; both
// matter when removed.
func (s *fileScan) auth(call *ast.CallExpr, pkg, name, full string) {
	jwtPkg := strings.Contains(pkg, "golang-jwt/jwt") || strings.Contains(pkg, "jwt-go")
	switch {
	case jwtPkg && (name == "Parse" || name == "ParseWithClaims"):
		h := s.addCall(call, "auth", "go/jwt-parse", "medium", "verifies JWTs with "+s.short(call.Fun), "jwt."+name)
		h.withRemoval("auth", "go/auth-removed", "high", "removes JWT verification ("+s.short(call.Fun)+")")
		s.keyfunc(call)
		return
	case name == "ParseUnverified" && (jwtPkg || pkg == ""):
		if jwtPkg || s.importedPrefix("github.com/golang-jwt/", "github.com/dgrijalva/") {
			s.addCall(call, "auth", "go/jwt-unverified", "high", "parses a JWT without verifying its signature", "jwt.ParseUnverified")
			return
		}
	case full == "crypto/subtle.ConstantTimeCompare":
		h := s.addCall(call, "auth", "go/constant-time-compare", "medium", "compares a credential in constant time", full)
		h.withRemoval("auth", "go/constant-time-compare-removed", "high", "removes a constant-time comparison (subtle.ConstantTimeCompare); a plain == leaks timing")
		return
	case full == "golang.org/x/crypto/bcrypt.CompareHashAndPassword":
		h := s.addCall(call, "auth", "go/password-check", "medium", "checks a password with bcrypt", full)
		h.withRemoval("auth", "go/auth-removed", "high", "removes a password check (bcrypt.CompareHashAndPassword)")
		return
	case pkg == "" && (name == "Get" || name == "Values") && len(call.Args) == 1:
		if v, ok := strLit(call.Args[0]); ok && strings.EqualFold(v, "Authorization") {
			s.addCall(call, "auth", "go/auth-header", "medium", "reads the Authorization header", "Authorization")
			return
		}
	case pkg == "" && name == "Cookie" && len(call.Args) == 1:
		if v, ok := strLit(call.Args[0]); ok && sessionCookie(v) {
			h := s.addCall(call, "auth", "go/session-cookie", "medium", "reads session cookie "+strconv.Quote(v), "session-cookie")
			h.withRemoval("auth", "go/auth-removed", "high", "removes a session cookie check ("+strconv.Quote(v)+")")
			return
		}
	case strings.Contains(pkg, "gorilla/sessions") && strings.HasPrefix(name, "New"):
		s.addCall(call, "auth", "go/session-store", "medium", "new session store ("+s.short(call.Fun)+")", full)
		return
	}
	if pkg != "" && authPackage(pkg) {
		// An auth library's option types, metadata fetches and client
		// registration decide nothing; its verifiers, middleware and token
		// issuers do, and so does any call that guards a refusal.
		if mw := s.middlewareArg(call); !fetches(name) && (mw || verifies(name) || issues(name) || s.guards(call)) {
			s.authUse(call, s.short(call.Fun), mw, "high")
		}
	} else if authName(name) {
		// A call named like auth is auth only where it is wired in as
		// middleware or guards a branch that denies.
		if mw := s.middlewareArg(call); mw || s.guards(call) || changesAccess(name) {
			s.authUse(call, s.origin(call.Fun), mw, "medium")
		}
	}
	// Middleware passed by value: r.Use(RequireAdmin), r.With(auth.Verifier).
	if s.middlewareCall(call) {
		for _, a := range call.Args {
			var nm string
			switch x := a.(type) {
			case *ast.Ident:
				if x.Obj != nil && x.Obj.Kind != ast.Fun {
					continue
				}
				nm = x.Name
			case *ast.SelectorExpr:
				nm = x.Sel.Name
				if p := s.pkgOf(x.X); p != "" && authPackage(p) {
					nm = "Auth" + nm
				}
			default:
				continue
			}
			if authName(nm) {
				s.stack = append(s.stack, a)
				s.authUse(a, s.short(a), true, "medium")
				s.stack = s.stack[:len(s.stack)-1]
			}
		}
	}
}

// middlewareArg reports an auth call that builds middleware: it is an
// argument of Use/With/a route, or it wraps a handler.
func (s *fileScan) middlewareArg(call *ast.CallExpr) bool {
	if n := len(s.stack); n >= 2 {
		if parent, ok := s.stack[n-2].(*ast.CallExpr); ok && parent.Fun != call && s.middlewareCall(parent) {
			return true
		}
	}
	for _, a := range call.Args {
		if id := rootIdent(a); id != nil && (strings.Contains(strings.ToLower(id.Name), "handler") || strings.HasSuffix(id.Name, "mux") || id.Name == "next" || (id.Name == "h" && !s.isReceiver(id))) {
			return true
		}
	}
	return false
}

// isReceiver reports an identifier bound to a method's receiver (h in
// func (h *Handler) …), which is not the handler a middleware wraps.
func (s *fileScan) isReceiver(id *ast.Ident) bool {
	fd, ok := s.topFn.(*ast.FuncDecl)
	if !ok || fd.Recv == nil || id.Obj == nil {
		return false
	}
	for _, f := range fd.Recv.List {
		for _, n := range f.Names {
			if n.Obj == id.Obj {
				return true
			}
		}
	}
	return false
}

// origin names what a called local variable holds when it was assigned
// from a call (auth := handlers.RequireAPIKey(keys); auth(h) calls
// handlers.RequireAPIKey), so the same middleware keeps its name when a
// commit stops going through the variable; otherwise fun as written.
func (s *fileScan) origin(fun ast.Expr) string {
	if id, ok := fun.(*ast.Ident); ok && id.Obj != nil && id.Obj.Kind == ast.Var {
		if c, ok := valueOf(id).(*ast.CallExpr); ok {
			return s.short(c.Fun)
		}
	}
	return s.short(fun)
}

func (s *fileScan) authUse(n ast.Node, shown string, middleware bool, confidence string) {
	where := s.routeContext()
	kind := "auth check"
	if middleware {
		kind = "auth middleware"
	}
	msg, old := kind+" "+shown, "removes "+kind+" "+shown
	if where != "" {
		msg += " on " + where
		old += " from " + where
	}
	var h *hit
	if c, ok := n.(*ast.CallExpr); ok {
		h = s.addCall(c, "auth", "go/auth-check", "medium", msg, "auth")
	} else {
		h = s.add(n, "auth", "go/auth-middleware", "medium", msg, "auth")
	}
	h.confidence = confidence
	if h.callee == "" {
		h.callee = shown
	}
	h.withRemoval("auth", "go/auth-removed", "high", old)
	// The call is removed when the file no longer calls it at all: moved
	// into a helper, given other arguments, it is still there.
	h.removal.key = "go/auth-removed\x00" + shown
	if middleware && strings.HasPrefix(where, "route ") {
		h.removal.route, h.removal.middleware = where, shown
	}
	// Middleware a group's body attaches with Use guards every route the
	// body registers.
	if middleware && where == "" {
		if bodies := s.groupBodies(); len(bodies) > 0 {
			if s.groupUse == nil {
				s.groupUse = map[*ast.FuncLit][]string{}
			}
			fl := bodies[len(bodies)-1]
			s.groupUse[fl] = append(s.groupUse[fl], shown)
		}
	}
}

// groupBodies are the func literals given to router groups (chi's
// r.Group(func(r chi.Router) {…}) and r.Route("/x", func…)) that enclose
// the node being walked, outermost first.
func (s *fileScan) groupBodies() []*ast.FuncLit {
	var out []*ast.FuncLit
	for i, n := range s.stack {
		c, ok := n.(*ast.CallExpr)
		if !ok || i+1 >= len(s.stack) || len(c.Args) == 0 {
			continue
		}
		if _, name := s.callee(c); name != "Group" && name != "Route" {
			continue
		}
		if fl, ok := c.Args[len(c.Args)-1].(*ast.FuncLit); ok && s.stack[i+1] == fl {
			out = append(out, fl)
		}
	}
	return out
}

// denyWords name a refusal in an identifier or an error's text.
var denyWords = regexp.MustCompile(`(?i)(unauthori[sz]ed|unauthenticated|forbidden|permission.?denied|access.?denied|not.?(allowed|permitted|authori[sz]ed)|denied|login.?required|invalid.?(token|credential|signature|session|api.?key)|expired.?(token|session))`)

// decides reports whether n refuses access somewhere: an HTTP 401 or 403, an
// error or code that says so, or a call into an auth library that decides.
func (s *fileScan) decides(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if found {
			return false
		}
		switch x := m.(type) {
		case *ast.SelectorExpr:
			switch x.Sel.Name {
			case "StatusUnauthorized", "StatusForbidden", "StatusProxyAuthRequired", "ErrPermission":
				found = true
			}
			if denyWords.MatchString(x.Sel.Name) {
				found = true
			}
		case *ast.Ident:
			if (strings.HasPrefix(x.Name, "Err") || strings.HasPrefix(x.Name, "err")) && denyWords.MatchString(x.Name) {
				found = true
			}
		case *ast.BasicLit:
			if x.Kind == token.INT && (x.Value == "401" || x.Value == "403") {
				found = true
			}
		case *ast.CallExpr:
			pkg, name := s.callee(x)
			if (pkg == "errors" && name == "New") || (pkg == "fmt" && name == "Errorf") {
				if len(x.Args) > 0 {
					if v, ok := strLit(x.Args[0]); ok && denyWords.MatchString(v) {
						found = true
					}
				}
			}
			if pkg != "" && (authPackage(pkg) && verifies(name) || pkg == "golang.org/x/crypto/bcrypt" || pkg == "crypto/subtle") {
				found = true
			}
		}
		return true
	})
	return found
}

// verifyWords name the calls of an auth library that decide (Verify,
// ParseWithClaims, Authenticate); its constructors, option types and
// token fetchers (oauth2.AuthStyle, Config.TokenSource) decide nothing.
var verifyWords = set("verify", "validate", "check", "authenticate", "authorize", "compare",
	"require", "ensure", "introspect", "enforce", "can", "allowed", "is", "has", "must")

// A client parsing a WWW-Authenticate header or a token response decides
// nothing: "parse" is a verifier only in JWT libraries, which go/jwt-parse
// reads.

// issueWords name the calls that hand out or end a credential.
var issueWords = set("sign", "signed", "issue", "login", "logout", "authorize", "authenticate", "middleware",
	"verifier", "protect", "guard", "revoke", "refresh", "exchange")

// fetchVerbs start the names of calls that read or build rather than decide:
// GetProtectedResourceMetadata, ParseWWWAuthenticate, NewAuthorizationCodeHandler.
var fetchVerbs = set("get", "fetch", "parse", "discover", "load", "read", "list", "register", "new", "with", "format", "build", "marshal", "unmarshal")

func fetches(name string) bool {
	ws := surface.NameWords(name)
	return len(ws) > 0 && fetchVerbs[ws[0]]
}

func issues(name string) bool {
	for _, w := range surface.NameWords(name) {
		if issueWords[w] {
			return true
		}
	}
	return false
}

func verifies(name string) bool {
	for _, w := range surface.NameWords(name) {
		if verifyWords[w] {
			return true
		}
	}
	return false
}

var accessVerbs = set("set", "grant", "grants", "allow", "deny", "revoke", "approve", "disable", "enable",
	"toggle", "bypass", "reset", "clear", "remove", "add", "persist", "save")

// changesAccess reports a call that changes who may do what rather than
// reading it: PermissionSetSkipRequests, GrantPersistent, RevokeToken.
// Reads (PermissionSkipRequests, HasPermission) are not auth by name alone.
func changesAccess(name string) bool {
	strong, verb := false, false
	for _, w := range surface.NameWords(name) {
		strong = strong || authWords[w]
		verb = verb || accessVerbs[w]
	}
	return strong && verb
}

// strongAuthName is a name made of an auth word itself (Authorize,
// CheckPermission, OAuthCallback), not of a verb and an object (hasSession).
func strongAuthName(name string) bool {
	for _, w := range surface.NameWords(name) {
		if authWords[w] {
			return true
		}
	}
	return false
}

// returnsVerdict reports a function whose results are a bool or an error:
// the shape of a check.
func returnsVerdict(fd *ast.FuncDecl) bool {
	if fd.Type.Results == nil {
		return false
	}
	for _, f := range fd.Type.Results.List {
		if id, ok := f.Type.(*ast.Ident); ok && (id.Name == "bool" || id.Name == "error") {
			return true
		}
	}
	return false
}

// refuses reports a branch that turns the caller away: it denies as
// decides does, or returns an error or false.
func (s *fileScan) refuses(body *ast.BlockStmt) bool {
	if s.decides(body) {
		return true
	}
	for _, st := range body.List {
		r, ok := st.(*ast.ReturnStmt)
		if !ok {
			continue
		}
		for _, e := range r.Results {
			switch x := e.(type) {
			case *ast.Ident:
				if x.Name == "false" || strings.HasPrefix(x.Name, "err") || strings.HasPrefix(x.Name, "Err") {
					return true
				}
			case *ast.CallExpr:
				if pkg, name := s.callee(x); (pkg == "errors" && name == "New") || (pkg == "fmt" && name == "Errorf") {
					return true
				}
			}
		}
	}
	return false
}

// guards reports whether call decides a branch that denies: it sits in the
// condition (or the init) of an if whose body refuses, or its result is
// assigned in a function that refuses.
func (s *fileScan) guards(call *ast.CallExpr) bool {
	for i := len(s.stack) - 2; i >= 0; i-- {
		switch x := s.stack[i].(type) {
		case *ast.IfStmt:
			in := func(n ast.Node) bool { return n != nil && n.Pos() <= call.Pos() && call.End() <= n.End() }
			if (x.Cond != nil && in(x.Cond)) || (x.Init != nil && in(x.Init)) {
				return s.refuses(x.Body)
			}
		case *ast.AssignStmt, *ast.ValueSpec:
			if i > 0 {
				if ifs, ok := s.stack[i-1].(*ast.IfStmt); ok && ifs.Init == s.stack[i] {
					return s.refuses(ifs.Body)
				}
			}
			for j := i - 1; j >= 0; j-- {
				switch f := s.stack[j].(type) {
				case *ast.FuncDecl:
					return f.Body != nil && s.decides(f.Body)
				case *ast.FuncLit:
					return s.decides(f.Body)
				}
			}
			return false
		case *ast.FuncDecl, *ast.FuncLit, *ast.BlockStmt:
			return false
		}
	}
	return false
}

func sessionCookie(name string) bool {
	l := strings.ToLower(name)
	for _, w := range []string{"session", "sid", "auth", "token", "jwt", "remember"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// keyfunc flags a jwt keyfunc that hands back the key without checking the
// token's signing method (the alg-confusion bug), unless the parser is told
// the valid methods.
func (s *fileScan) keyfunc(call *ast.CallExpr) {
	if strings.Contains(s.text(call), "WithValidMethods") {
		return
	}
	var fl *ast.FuncLit
	for _, a := range call.Args {
		if f, ok := a.(*ast.FuncLit); ok {
			fl = f
		}
	}
	if fl == nil {
		return
	}
	checks := false
	ast.Inspect(fl.Body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Method" || strings.HasPrefix(sel.Sel.Name, "SigningMethod") || sel.Sel.Name == "Header") {
			checks = true
		}
		return !checks
	})
	if !checks {
		s.add(fl.Type, "auth", "go/jwt-keyfunc-any", "high", "JWT keyfunc returns the key without checking the signing method", "jwt.Keyfunc")
	}
}

func (s *fileScan) webConfigCall(call *ast.CallExpr, pkg, name string) {
	switch {
	case strings.Contains(pkg, "gin-gonic/gin") && name == "SetMode" && len(call.Args) == 1:
		if sel, ok := call.Args[0].(*ast.SelectorExpr); ok && sel.Sel.Name == "DebugMode" {
			s.addCall(call, "web-config", "go/gin-debug", "medium", "turns on gin debug mode", "gin.DebugMode")
		} else if v, ok := strLit(call.Args[0]); ok && v == "debug" {
			s.addCall(call, "web-config", "go/gin-debug", "medium", "turns on gin debug mode", "gin.DebugMode")
		}
	case strings.Contains(pkg, "cors") && (name == "AllowAll" || (name == "Default" && strings.Contains(pkg, "rs/cors"))):
		s.addCall(call, "web-config", "go/cors-wildcard", "medium", "CORS allows any origin ("+s.short(call.Fun)+")", "cors")
	case strings.Contains(pkg, "labstack/echo") && name == "CORS" && len(call.Args) == 0:
		s.addCall(call, "web-config", "go/cors-wildcard", "medium", "CORS allows any origin (echo middleware.CORS defaults to *)", "cors")
	case strings.Contains(pkg, "gorilla/csrf") && name == "Secure" && len(call.Args) == 1:
		if id, ok := call.Args[0].(*ast.Ident); ok && id.Name == "false" {
			s.addCall(call, "web-config", "go/csrf-disabled", "medium", "CSRF cookie sent without Secure (csrf.Secure(false))", "csrf")
		}
	case strings.Contains(pkg, "csrf") || strings.Contains(pkg, "nosurf") || csrfName(name):
		h := s.addCall(call, "web-config", "go/csrf", "low", "CSRF protection "+s.short(call.Fun), "csrf")
		h.onAdd = false
		h.withRemoval("web-config", "go/csrf-removed", "high", "removes CSRF protection ("+s.short(call.Fun)+")")
	case pkg == "" && (name == "Set" || name == "Add" || name == "Header") && len(call.Args) == 2:
		k, ok := strLit(call.Args[0])
		if !ok || !strings.EqualFold(k, "Access-Control-Allow-Origin") {
			return
		}
		creds := s.setsCredentials()
		if v, ok := strLit(call.Args[1]); ok && v == "*" {
			sev, msg := "medium", "CORS header allows any origin (*)"
			if creds {
				sev, msg = "high", "CORS header allows any origin (*) and credentials"
			}
			s.addCall(call, "web-config", "go/cors-wildcard", sev, msg, "cors")
		} else if s.taintOf(call.Args[1])&taintRequest != 0 || strings.Contains(s.text(call.Args[1]), `"Origin"`) {
			sev, msg := "medium", "CORS header reflects the request's Origin"
			if creds {
				sev, msg = "high", "CORS header reflects the request's Origin, with credentials"
			}
			s.addCall(call, "web-config", "go/cors-reflect-origin", sev, msg, "cors")
		}
	}
	// CSRF middleware passed by value: r.Use(csrfMiddleware).
	if s.middlewareCall(call) {
		for _, a := range call.Args {
			nm := ""
			switch x := a.(type) {
			case *ast.Ident:
				nm = x.Name
			case *ast.SelectorExpr:
				nm = x.Sel.Name
			}
			if nm != "" && csrfName(nm) {
				h := s.add(a, "web-config", "go/csrf", "low", "CSRF middleware "+nm, "csrf")
				h.onAdd = false
				h.withRemoval("web-config", "go/csrf-removed", "high", "removes CSRF middleware "+nm)
			}
		}
	}
}

func csrfName(name string) bool {
	for _, w := range surface.NameWords(name) {
		if w == "csrf" || w == "xsrf" || w == "nosurf" {
			return true
		}
	}
	return false
}

// setsCredentials looks for Access-Control-Allow-Credentials: true in the
// enclosing function.
func (s *fileScan) setsCredentials() bool {
	if s.topFn == nil {
		return false
	}
	found := false
	ast.Inspect(s.topFn, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && len(c.Args) == 2 {
			k, ok1 := strLit(c.Args[0])
			v, ok2 := strLit(c.Args[1])
			if ok1 && ok2 && strings.EqualFold(k, "Access-Control-Allow-Credentials") && v == "true" {
				found = true
			}
		}
		return !found
	})
	return found
}

func (s *fileScan) native(call *ast.CallExpr, pkg, name, full string) {
	if (pkg == "syscall" || pkg == "golang.org/x/sys/unix" || pkg == "golang.org/x/sys/windows") &&
		(strings.HasPrefix(name, "Syscall") || strings.HasPrefix(name, "RawSyscall")) {
		s.addCall(call, "native", "go/syscall", "medium", "makes a raw system call ("+name+")", full)
	}
}

// selector reports uses of unsafe and of jwt's "none" algorithm.
func (s *fileScan) selector(sel *ast.SelectorExpr) {
	p := s.pkgOf(sel.X)
	switch {
	case p == "unsafe":
		s.add(sel, "native", "go/unsafe", "medium", "uses unsafe."+sel.Sel.Name+": memory access outside Go's type safety", "unsafe")
	case (strings.Contains(p, "golang-jwt/jwt") || strings.Contains(p, "jwt-go")) && (sel.Sel.Name == "SigningMethodNone" || sel.Sel.Name == "UnsafeAllowNoneSignatureType"):
		s.add(sel, "auth", "go/jwt-none", "critical", "accepts unsigned JWTs (alg \"none\")", "jwt.none")
	case p == "crypto/tls" && (sel.Sel.Name == "VersionSSL30" || sel.Sel.Name == "VersionTLS10" || sel.Sel.Name == "VersionTLS11"):
		if kv := s.enclosingKey(); kv == "MinVersion" || kv == "MaxVersion" {
			s.add(sel, "crypto", "go/tls-min-version", "medium", "allows TLS below 1.2 ("+kv+": tls."+sel.Sel.Name+")", "crypto/tls."+sel.Sel.Name)
		}
	}
}

// enclosingKey is the field name when the current node is a composite
// literal value.
func (s *fileScan) enclosingKey() string {
	if n := len(s.stack); n >= 2 {
		if kv, ok := s.stack[n-2].(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				return id.Name
			}
		}
	}
	return ""
}

func (s *fileScan) assign(as *ast.AssignStmt) {
	s.instructionAssign(as)
	// echo's e.Debug = true serves stack traces to clients.
	if len(as.Lhs) == 1 && len(as.Rhs) == 1 && isTrue(as.Rhs[0]) && s.importedPrefix("github.com/labstack/echo") {
		if sel, ok := as.Lhs[0].(*ast.SelectorExpr); ok && sel.Sel.Name == "Debug" {
			s.add(as, "web-config", "go/echo-debug", "medium", "turns on echo debug mode", "echo.Debug")
		}
	}
}

// composite reports tls.Config, http.Cookie, http.Client/Server, CORS
// options and websocket upgraders written as literals.
func (s *fileScan) composite(cl *ast.CompositeLit) {
	if cl.Type == nil {
		return
	}
	pkg, name := s.resolve(cl.Type)
	fields := map[string]*ast.KeyValueExpr{}
	for _, e := range cl.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				fields[id.Name] = kv
			}
			s.instructionField(kv)
		}
	}
	s.cliCommand(cl, pkg, name, fields)
	switch {
	case pkg == "crypto/tls" && name == "Config":
		s.tlsConfig(fields)
	case pkg == "net/http" && name == "Cookie":
		s.cookie(cl, fields)
	case pkg == "net/http" && name == "Client":
		s.add(cl, "egress", "go/http-client", "medium", "new HTTP client", "net/http.Client")
	case pkg == "net/http" && name == "Server":
		if kv := fields["Addr"]; kv != nil {
			s.listener(cl, kv.Value, "net/http.Server")
		} else {
			s.add(cl, "entry-point", "go/listener", "medium", "new HTTP server", "net/http.Server")
		}
	case strings.Contains(pkg, "gorilla/websocket") && name == "Upgrader":
		s.add(cl, "entry-point", "go/websocket", "medium", "accepts websocket connections (gorilla Upgrader)", "websocket")
		if kv := fields["CheckOrigin"]; kv != nil && returnsTrue(kv.Value) {
			s.add(kv, "web-config", "go/websocket-any-origin", "medium", "websocket upgrader accepts any Origin (CheckOrigin returns true)", "websocket")
		}
	case (strings.Contains(strings.ToLower(pkg), "cors") && (name == "Options" || name == "Config")) || strings.Contains(name, "CORSConfig"):
		s.cors(cl, fields)
	case pkg == "golang.org/x/net/websocket" && name == "Server":
		s.add(cl, "entry-point", "go/websocket", "medium", "accepts websocket connections (x/net/websocket)", "websocket")
	case authConfig(pkg, name):
		s.authConfig(cl, pkg, name)
	}
}

var (
	// authPkg is the last element of an import path whose package is
	// authentication: golang.org/x/oauth2, the project's own pkg/oauth.
	authPkg = regexp.MustCompile(`^(?:o?auth\d*|oidc|jwt|jose|authn|authz|rbac|acl|permissions?|saml|casbin)$`)
	// sessionLibs are the web session libraries; a package of the
	// repository's own named session is as likely an agent's conversations.
	sessionLibs = regexp.MustCompile(`^github\.com/(?:gorilla/sessions|gin-contrib/sessions|alexedwards/scs(?:/v2)?|kataras/iris/v12/sessions|gofiber/fiber/v2/middleware/session)$`)
	// authConfigType is a configuration type of such a package, or one
	// whose own name says it configures authentication (a SessionConfig
	// outside a sessions package is an agent's or a database's session).
	authConfigType      = regexp.MustCompile(`(?:^|[a-z])(?:Config|Options|Settings|Policy)$`)
	authConfigTypeNamed = regexp.MustCompile(`^(?:OAuth\w*|Auth[A-Z]\w*|JWT\w*|Permission\w*)(?:Config|Options|Settings|Policy)$`)
)

// authConfig is a configuration literal of an authentication package (or
// type): its fields decide how callers are authenticated.
func authConfig(pkg, name string) bool {
	if pkg == "" || name == "" {
		return false
	}
	return (authPkg.MatchString(path.Base(pkg)) || sessionLibs.MatchString(pkg)) && authConfigType.MatchString(name) || authConfigTypeNamed.MatchString(name)
}

// authConfig reports each field of an authentication configuration, so
// a field added or a value changed is a finding on its line.
func (s *fileScan) authConfig(cl *ast.CompositeLit, pkg, name string) {
	typ := path.Base(pkg) + "." + name
	for _, e := range cl.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		id, ok := kv.Key.(*ast.Ident)
		if !ok {
			continue
		}
		v := strings.Join(strings.Fields(s.text(kv.Value)), " ")
		if len(v) > 60 {
			v = v[:60] + "…"
		}
		h := s.add(kv, "auth", "go/auth-config", "medium", "sets "+id.Name+" of "+typ+" to "+v+": how callers are authenticated", typ)
		h.confidence = "medium"
		// The field, not its value, is what a removal takes away.
		h.withRemoval("auth", "go/auth-config-removed", "medium", "removes "+id.Name+" from "+typ).removal.key = "go/auth-config\x00" + typ + "." + id.Name
	}
}

func returnsTrue(e ast.Expr) bool {
	fl, ok := e.(*ast.FuncLit)
	if !ok || len(fl.Body.List) != 1 {
		return false
	}
	r, ok := fl.Body.List[0].(*ast.ReturnStmt)
	return ok && len(r.Results) >= 1 && isTrue(r.Results[0])
}

func (s *fileScan) tlsConfig(fields map[string]*ast.KeyValueExpr) {
	if kv := fields["InsecureSkipVerify"]; kv != nil && isTrue(kv.Value) {
		s.add(kv, "crypto", "go/tls-insecure-skip-verify", "critical", "disables TLS certificate verification (InsecureSkipVerify: true)", "InsecureSkipVerify")
	}
	for _, f := range []string{"MinVersion", "MaxVersion"} {
		kv := fields[f]
		if kv == nil {
			continue
		}
		if bl, ok := kv.Value.(*ast.BasicLit); ok && bl.Kind == token.INT {
			if v, err := strconv.ParseInt(bl.Value, 0, 32); err == nil && v < 0x0303 {
				s.add(kv, "crypto", "go/tls-min-version", "medium", "allows TLS below 1.2 ("+f+": "+bl.Value+")", "crypto/tls."+f)
			}
		}
	}
	if kv := fields["CipherSuites"]; kv != nil {
		t := s.text(kv.Value)
		if strings.Contains(t, "RC4") || strings.Contains(t, "3DES") {
			s.add(kv, "crypto", "go/weak-cipher", "high", "enables weak TLS cipher suites (RC4/3DES)", "crypto/tls.CipherSuites")
		}
	}
	// Verification settings whose removal weakens TLS.
	for _, f := range []string{"VerifyPeerCertificate", "VerifyConnection", "RootCAs", "ClientCAs", "ClientAuth"} {
		kv := fields[f]
		if kv == nil || returnsNil(kv.Value) {
			continue
		}
		if f == "ClientAuth" && !strings.Contains(s.text(kv.Value), "Verify") {
			continue
		}
		h := s.add(kv, "crypto", "go/tls-verify", "low", "TLS verification setting "+f, "crypto/tls."+f)
		h.onAdd = false
		h.withRemoval("crypto", "go/tls-verify-removed", "high", "removes TLS verification setting "+f)
	}
}

func returnsNil(e ast.Expr) bool {
	fl, ok := e.(*ast.FuncLit)
	if !ok || len(fl.Body.List) != 1 {
		return false
	}
	r, ok := fl.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(r.Results) != 1 {
		return false
	}
	id, ok := r.Results[0].(*ast.Ident)
	return ok && id.Name == "nil"
}

func (s *fileScan) cookie(cl *ast.CompositeLit, fields map[string]*ast.KeyValueExpr) {
	var missing []string
	for _, f := range []string{"Secure", "HttpOnly"} {
		if kv := fields[f]; kv == nil || !(isTrue(kv.Value) || !isFalse(kv.Value)) {
			missing = append(missing, f)
		}
	}
	name := ""
	if kv := fields["Name"]; kv != nil {
		name, _ = s.literal(kv.Value, 0)
	}
	if len(missing) > 0 {
		if fields["SameSite"] == nil {
			missing = append(missing, "SameSite")
		}
		what := "cookie"
		if name != "" {
			what = "cookie " + strconv.Quote(name)
		}
		h := s.add(cl, "web-config", "go/cookie-flags", "medium", what+" set without "+strings.Join(missing, "/"), "cookie")
		h.line = s.line(cl.Pos())
	}
	if name != "" && sessionCookie(name) {
		h := s.add(cl, "auth", "go/session-cookie", "medium", "sets session cookie "+strconv.Quote(name), "session-cookie")
		h.line = s.line(cl.Pos())
	}
}

func isFalse(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "false" && id.Obj == nil
}

func (s *fileScan) cors(cl *ast.CompositeLit, fields map[string]*ast.KeyValueExpr) {
	wild := false
	for _, f := range []string{"AllowedOrigins", "AllowOrigins"} {
		if kv := fields[f]; kv != nil {
			if c, ok := kv.Value.(*ast.CompositeLit); ok {
				for _, e := range c.Elts {
					if v, ok := strLit(e); ok && v == "*" {
						wild = true
					}
				}
			}
		}
	}
	if kv := fields["AllowAllOrigins"]; kv != nil && isTrue(kv.Value) {
		wild = true
	}
	for _, f := range []string{"AllowOriginFunc", "AllowOriginRequestFunc", "AllowOriginsFunc", "AllowOriginVaryRequestFunc"} {
		if kv := fields[f]; kv != nil && returnsTrue(kv.Value) {
			wild = true
		}
	}
	creds := fields["AllowCredentials"] != nil && isTrue(fields["AllowCredentials"].Value)
	switch {
	case wild && creds:
		s.add(cl, "web-config", "go/cors-wildcard", "high", "CORS allows any origin with credentials", "cors").line = s.line(cl.Pos())
	case wild:
		s.add(cl, "web-config", "go/cors-wildcard", "medium", "CORS allows any origin (*)", "cors").line = s.line(cl.Pos())
	}
}

// fileWrites lists filesystem writes and the arguments that are paths.
var fileWrites = map[string][]int{
	"os.Create": {0}, "os.OpenFile": {0}, "os.WriteFile": {0}, "os.Mkdir": {0}, "os.MkdirAll": {0},
	"os.Rename": {0, 1}, "os.Remove": {0}, "os.RemoveAll": {0}, "os.Symlink": {0, 1}, "os.Link": {0, 1},
	"os.Chmod": {0}, "os.Chown": {0}, "os.Truncate": {0}, "io/ioutil.WriteFile": {0},
}

var fileReads = map[string][]int{"os.Open": {0}, "os.ReadFile": {0}, "io/ioutil.ReadFile": {0}, "net/http.ServeFile": {2}}

func (s *fileScan) fileRule(call *ast.CallExpr, pkg, name, full string) {
	if idx, ok := fileWrites[full]; ok {
		t := 0
		for _, i := range idx {
			if i < len(call.Args) {
				t |= s.taintOf(call.Args[i])
			}
		}
		switch {
		case t&taintRequest != 0:
			s.addCall(call, "file", "go/file-write-tainted", "high", name+" on a path built from request data", full)
		case t&taintTool != 0:
			s.addCall(call, "file", "go/file-write-tool-path", "high", name+" on a path from a tool call's arguments: the model chooses what is written", full)
		case t&taintArchive != 0:
			sev, msg := "high", "writes archive entries to disk ("+name+" on an entry name): check for zip-slip"
			if s.guardsPaths() {
				sev, msg = "medium", "writes archive entries to disk ("+name+" on an entry name, with a path check)"
			}
			s.addCall(call, "file", "go/archive-extract", sev, msg, "archive-extract")
		}
		return
	}
	if idx, ok := fileReads[full]; ok {
		for _, i := range idx {
			if i < len(call.Args) && s.taintOf(call.Args[i])&taintRequest != 0 {
				s.addCall(call, "file", "go/file-read-tainted", "medium", name+" on a path built from request data (path traversal)", full)
				return
			}
			if i < len(call.Args) && s.taintOf(call.Args[i])&taintTool != 0 {
				s.addCall(call, "file", "go/file-read-tool-path", "medium", name+" on a path from a tool call's arguments: the model chooses what is read", full)
				return
			}
		}
		return
	}
	if full == "path/filepath.Join" || full == "path.Join" {
		for _, a := range call.Args {
			if s.taintOf(a)&taintRequest != 0 {
				s.addCall(call, "file", "go/path-join-tainted", "medium", "joins request data into a file path", full)
				return
			}
		}
		return
	}
	if pkg == "" && (name == "FormFile" || name == "MultipartReader" || name == "ParseMultipartForm" || name == "MultipartForm" || name == "SaveUploadedFile" || name == "SaveFile") {
		if id := rootIdent(s.recv(call)); id != nil && id.Obj != nil && s.req[id.Obj] {
			s.addCall(call, "file", "go/upload", "medium", "accepts file uploads ("+s.short(call.Fun)+")", "upload")
		}
	}
}

// guardsPaths looks for a zip-slip check in the enclosing function.
func (s *fileScan) guardsPaths() bool {
	if s.topFn == nil {
		return false
	}
	t := s.text(s.topFn)
	return strings.Contains(t, "IsLocal(") || strings.Contains(t, "strings.HasPrefix(") || strings.Contains(t, "SecureJoin(") || strings.Contains(t, "filepath.Rel(")
}

// dropJoinsBesideWrites keeps one finding per tainted path: when the
// function also writes to it, the write is what the reviewer needs to see.
func (s *fileScan) dropJoinsBesideWrites() {
	writes := map[ast.Node]bool{}
	for _, h := range s.hits {
		if h.rule == "go/file-write-tainted" || h.rule == "go/file-read-tainted" || h.rule == "go/file-write-tool-path" || h.rule == "go/file-read-tool-path" {
			writes[h.fn] = true
		}
	}
	out := s.hits[:0]
	for _, h := range s.hits {
		if h.rule == "go/path-join-tainted" && writes[h.fn] {
			continue
		}
		out = append(out, h)
	}
	s.hits = out
}

// sqlMethods maps query methods of database/sql, sqlx, gorm and pgx to the
// argument that holds the query.
var sqlMethods = map[string]int{
	"Query": 0, "QueryRow": 0, "Exec": 0, "Prepare": 0, "Raw": 0, "Queryx": 0, "QueryRowx": 0,
	"MustExec": 0, "NamedExec": 0, "NamedQuery": 0, "Where": 0, "Having": 0, "Order": 0, "Joins": 0,
	"QueryContext": 1, "QueryRowContext": 1, "ExecContext": 1, "PrepareContext": 1, "QueryxContext": 1,
	"QueryRowxContext": 1, "MustExecContext": 1, "NamedExecContext": 1, "Select": 1, "Get": 1,
	"SelectContext": 2, "GetContext": 2,
}

func (s *fileScan) sqlRule(call *ast.CallExpr, pkg, name string) {
	i, ok := sqlMethods[name]
	if !ok || pkg != "" || i >= len(call.Args) {
		return
	}
	b := s.builtHow(call.Args[i])
	if b.how == "" {
		return
	}
	dbFile := s.importedPrefix("database/sql", "github.com/jmoiron/sqlx", "gorm.io/", "github.com/jinzhu/gorm", "github.com/jackc/pgx", "github.com/uptrace/bun")
	switch name {
	case "Where", "Having", "Order", "Joins", "Select", "Get", "Raw":
		if !dbFile && !b.sql {
			return
		}
	default:
		if !b.sql && !dbFile {
			return
		}
	}
	s.addCall(call, "data", "go/sql-string-built", "high", "raw SQL built with "+b.how+" passed to "+s.short(call.Fun), "sql")
}

// structType reports new fields that hold sensitive data in API and
// database models (the ones with json/db/gorm tags).
func (s *fileScan) structType(st *ast.StructType) {
	typeName := ""
	for i := len(s.stack) - 2; i >= 0; i-- {
		if ts, ok := s.stack[i].(*ast.TypeSpec); ok {
			typeName = ts.Name.Name + "."
			break
		}
	}
	for _, f := range st.Fields.List {
		if f.Tag == nil {
			continue
		}
		tag, _ := strconv.Unquote(f.Tag.Value)
		if !modelTag.MatchString(tag) {
			continue
		}
		for _, n := range f.Names {
			if !sensitive(n.Name) {
				continue
			}
			sev, note := "high", ""
			if strings.Contains(tag, `json:"-"`) {
				sev, note = "medium", ", hidden from JSON"
			}
			s.add(f, "data", "go/sensitive-field", sev, "new sensitive field "+typeName+n.Name+" ("+tag+note+")", "sensitive-field")
		}
	}
}

var yamlPkgs = set("gopkg.in/yaml.v2", "gopkg.in/yaml.v3", "sigs.k8s.io/yaml", "go.yaml.in/yaml/v3", "go.yaml.in/yaml/v2", "github.com/goccy/go-yaml", "github.com/ghodss/yaml")

func (s *fileScan) deserialize(call *ast.CallExpr, pkg, name, full string) {
	switch {
	case pkg == "encoding/gob" && name == "NewDecoder":
		msg := "decodes gob data"
		if len(call.Args) > 0 && s.taintOf(call.Args[0])&taintRequest != 0 {
			msg = "decodes gob data from the request"
		}
		s.addCall(call, "deserialization", "go/gob-decode", "high", msg, full)
	case pkg == "encoding/xml" && (name == "NewDecoder" || name == "Unmarshal") && len(call.Args) > 0:
		if s.taintOf(call.Args[0])&taintRequest != 0 {
			s.addCall(call, "deserialization", "go/xml-untrusted", "high", "parses XML from the request ("+s.short(call.Fun)+")", full)
		}
	case yamlPkgs[pkg] && name == "Unmarshal" && len(call.Args) == 2:
		if s.taintOf(call.Args[0])&taintRequest != 0 && s.dynamicTarget(call.Args[1]) {
			s.addCall(call, "deserialization", "go/yaml-any", "high", "unmarshals request YAML into an untyped value", full)
		}
	case pkg == "" && name == "Decode" && len(call.Args) == 1:
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return
		}
		inner, ok := sel.X.(*ast.CallExpr)
		if !ok {
			return
		}
		ip, in := s.callee(inner)
		if yamlPkgs[ip] && in == "NewDecoder" && len(inner.Args) == 1 && s.taintOf(inner.Args[0])&taintRequest != 0 && s.dynamicTarget(call.Args[0]) {
			s.addCall(call, "deserialization", "go/yaml-any", "high", "decodes request YAML into an untyped value", ip+".Decoder")
		}
	}
}

func (s *fileScan) dynamicTarget(e ast.Expr) bool {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	id, ok := e.(*ast.Ident)
	return ok && id.Obj != nil && s.dynamic[id.Obj]
}

var weakCrypto = map[string][3]string{
	"crypto/md5":                    {"go/weak-hash", "medium", "MD5"},
	"crypto/sha1":                   {"go/weak-hash", "medium", "SHA-1"},
	"golang.org/x/crypto/md4":       {"go/weak-hash", "medium", "MD4"},
	"golang.org/x/crypto/ripemd160": {"go/weak-hash", "medium", "RIPEMD-160"},
	"crypto/des":                    {"go/weak-cipher", "high", "DES"},
	"crypto/rc4":                    {"go/weak-cipher", "high", "RC4"},
	"golang.org/x/crypto/blowfish":  {"go/weak-cipher", "medium", "Blowfish"},
}

var secretWords = set("token", "tokens", "key", "secret", "password", "passwd", "nonce", "salt", "otp", "session", "apikey", "csrf", "iv", "pin", "code", "invite")

func (s *fileScan) cryptoCall(call *ast.CallExpr, pkg, name, full string) {
	if w, ok := weakCrypto[pkg]; ok {
		kind := "weak hash"
		if w[0] == "go/weak-cipher" {
			kind = "weak cipher"
		} else if why := s.protects(call); why != "" {
			kind += " protecting " + why
		} else {
			// A digest for a cache key, an ETag or a file name protects
			// nothing; MD5 there is not a weakness.
			return
		}
		s.addCall(call, "crypto", w[0], w[1], "uses "+w[2]+" ("+kind+")", full)
		return
	}
	switch full {
	case "google.golang.org/grpc/credentials/insecure.NewCredentials", "google.golang.org/grpc.WithInsecure":
		s.addCall(call, "crypto", "go/grpc-insecure", "medium", "gRPC connection without TLS ("+s.short(call.Fun)+")", full)
		return
	}
	if pkg == "math/rand" || pkg == "math/rand/v2" {
		if why := s.secretContext(); why != "" {
			s.addCall(call, "crypto", "go/math-rand-secret", "high", "math/rand used to make a secret ("+why+"); use crypto/rand", full)
		}
		return
	}
	// x509 verification: a certificate's Verify call whose removal matters.
	if pkg == "" && name == "Verify" && len(call.Args) == 1 && s.imported("crypto/x509") {
		h := s.addCall(call, "crypto", "go/x509-verify", "low", "verifies a certificate chain", "x509.Verify")
		h.onAdd = false
		h.withRemoval("crypto", "go/tls-verify-removed", "high", "removes certificate verification ("+s.short(call.Fun)+")")
	}
}

// protectWords name what a hash protects: passwords, signatures, tokens and
// the integrity of what is downloaded or verified.
var protectWords = set("sign", "signature", "signed", "verify", "verified", "hmac", "mac", "integrity",
	"checksum", "password", "passwd", "credential", "credentials", "auth", "secret", "token", "apikey")

// protects names the function or variable that says a hash guards
// something, or "" when nothing in scope says so.
func (s *fileScan) protects(call *ast.CallExpr) string {
	if why := s.secretContext(); why != "" {
		return why
	}
	if why := s.namedIn(protectWords); why != "" {
		return why
	}
	// What is hashed can say it too: md5.Sum([]byte(password)).
	why := ""
	for _, a := range call.Args {
		ast.Inspect(a, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && why == "" {
				for _, w := range surface.NameWords(id.Name) {
					if protectWords[w] || w == "pw" || w == "pwd" || w == "pass" {
						why = id.Name
					}
				}
			}
			return why == ""
		})
	}
	return why
}

// namedIn names the nearest enclosing function, assignment or field whose
// name holds one of ws.
func (s *fileScan) namedIn(ws map[string]bool) string { return s.enclosingName(ws, false) }

// secretContext names the function or variable that says a random value is
// a secret: GenerateToken, resetCode, sessionKey (fields and keys of a
// composite literal included).
func (s *fileScan) secretContext() string { return s.enclosingName(secretWords, true) }

// enclosingName is the nearest enclosing function, assignment or variable
// (with fields, also an assigned field or a composite literal's key) whose
// name holds one of ws, by word.
func (s *fileScan) enclosingName(ws map[string]bool, fields bool) string {
	for i := len(s.stack) - 1; i >= 0; i-- {
		var names []string
		switch n := s.stack[i].(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id := rootIdent(l); id != nil {
					names = append(names, id.Name)
				}
				if sel, ok := l.(*ast.SelectorExpr); ok && fields {
					names = append(names, sel.Sel.Name)
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				names = append(names, id.Name)
			}
		case *ast.KeyValueExpr:
			if id, ok := n.Key.(*ast.Ident); ok && fields {
				names = append(names, id.Name)
			}
		case *ast.FuncDecl:
			names = append(names, n.Name.Name)
		}
		for _, nm := range names {
			words := surface.NameWords(nm)
			for i, w := range words {
				if ws[w] && !notSecretWord(words, i) {
					return nm
				}
			}
		}
	}
	return ""
}

// A key or a code is a keyboard's or a status's in handleKeyPressMsg,
// KeyMap, StatusCode, exitCode: not a secret.
var (
	keyboardAfter = set("press", "pressed", "down", "up", "map", "maps", "binding", "bindings", "bind", "board",
		"stroke", "strokes", "event", "events", "msg", "handler", "code", "name", "names", "help")
	codeBefore = set("status", "exit", "error", "err", "source", "country", "lang", "language", "op", "char",
		"color", "return", "http", "response", "key", "hot", "sort", "cache", "primary", "foreign")
)

func notSecretWord(words []string, i int) bool {
	switch words[i] {
	case "key":
		return (i+1 < len(words) && keyboardAfter[words[i+1]]) || (i > 0 && codeBefore[words[i-1]])
	case "code":
		return i > 0 && codeBefore[words[i-1]]
	}
	return false
}

var logFuncs = map[string]bool{
	"log.Print": true, "log.Printf": true, "log.Println": true, "log.Fatal": true, "log.Fatalf": true,
	"log.Fatalln": true, "log.Panic": true, "log.Panicf": true, "log.Panicln": true,
	"fmt.Print": true, "fmt.Printf": true, "fmt.Println": true, "fmt.Fprint": true, "fmt.Fprintf": true, "fmt.Fprintln": true,
	"log/slog.Debug": true, "log/slog.Info": true, "log/slog.Warn": true, "log/slog.Error": true, "log/slog.Log": true,
	"log/slog.DebugContext": true, "log/slog.InfoContext": true, "log/slog.WarnContext": true, "log/slog.ErrorContext": true,
}

var logMethods = set("Print", "Printf", "Println", "Info", "Infof", "Infow", "Infoln", "Debug", "Debugf", "Debugw",
	"Warn", "Warnf", "Warnw", "Warning", "Warningf", "Error", "Errorf", "Errorw", "Fatal", "Fatalf", "Fatalw",
	"Panic", "Panicf", "Trace", "Tracef", "Log", "Logf", "LogAttrs", "Msgf", "With", "WithField", "WithFields",
	"Str", "Interface", "InfoContext", "DebugContext", "WarnContext", "ErrorContext")

// passThrough calls keep their argument's value in the log line; any other
// call (len, mask, hash) is taken to change it.
var passThrough = set("Sprintf", "Sprint", "Sprintln", "String", "Any", "Str", "Strings", "Attr", "Stringer", "Bytes", "Reflect", "Group")

func (s *fileScan) logging(call *ast.CallExpr, pkg, name, full string) {
	if full == "net/http.Error" && len(call.Args) >= 2 && s.errorText(call.Args[1]) {
		s.addCall(call, "logging", "go/error-detail", "low", "returns internal error text to the client (http.Error with err.Error())", full)
		return
	}
	isLog := logFuncs[full] || (pkg != "" && (strings.Contains(pkg, "zap") || strings.Contains(pkg, "logrus") || strings.Contains(pkg, "zerolog")) && logMethods[name])
	if !isLog && pkg == "" && logMethods[name] && len(call.Args) > 0 {
		isLog = true
	}
	if !isLog {
		return
	}
	args := call.Args
	for i, a := range args {
		// A string literal is a key of structured logging when a value
		// follows it: slog.Info("login", "password", pw).
		if v, ok := strLit(a); ok {
			if i+1 < len(args) && i > 0 && keyLike.MatchString(v) && sensitive(v) {
				s.logHit(call, "the "+strconv.Quote(v)+" field")
				return
			}
			continue
		}
		if what := s.secretIn(a); what != "" {
			s.logHit(call, what)
			return
		}
	}
}

var keyLike = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)

func (s *fileScan) logHit(call *ast.CallExpr, what string) {
	s.addCall(call, "logging", "go/log-secret", "medium", "logs "+what, "log-secret")
}

// secretIn finds a secret-looking value in a log argument.
func (s *fileScan) secretIn(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		if x.Obj != nil && x.Obj.Kind == ast.Con {
			return ""
		}
		if x.Obj != nil && s.req[x.Obj] {
			if p := s.paramType(x); p == "request" {
				return "the whole request (with its headers)"
			}
		}
		if sensitive(x.Name) {
			return x.Name
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok && id.Obj != nil && s.req[id.Obj] && x.Sel.Name == "Header" {
			return "the request headers"
		}
		if inner, ok := x.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "Request" && x.Sel.Name == "Header" {
			return "the request headers"
		}
		if s.pkgOf(x.X) == "" && sensitive(x.Sel.Name) {
			return s.short(x)
		}
	case *ast.StarExpr:
		return s.secretIn(x.X)
	case *ast.UnaryExpr:
		return s.secretIn(x.X)
	case *ast.ParenExpr:
		return s.secretIn(x.X)
	case *ast.BinaryExpr:
		if w := s.secretIn(x.X); w != "" {
			return w
		}
		return s.secretIn(x.Y)
	case *ast.IndexExpr:
		if v, ok := strLit(x.Index); ok && (strings.EqualFold(v, "Authorization") || sensitive(v)) {
			return s.short(x)
		}
	case *ast.CompositeLit:
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if v, ok := strLit(kv.Key); ok && sensitive(v) {
					return "the " + strconv.Quote(v) + " field"
				}
				if w := s.secretIn(kv.Value); w != "" {
					return w
				}
			}
		}
	case *ast.CallExpr:
		_, name := s.callee(x)
		if (name == "Get" || name == "Values") && len(x.Args) == 1 {
			if v, ok := strLit(x.Args[0]); ok && (strings.EqualFold(v, "Authorization") || strings.EqualFold(v, "Cookie") || sensitive(v)) {
				return "the " + v + " header"
			}
		}
		if id, ok := x.Fun.(*ast.Ident); ok && id.Obj == nil && (id.Name == "string" || id.Name == "any") && len(x.Args) == 1 {
			return s.secretIn(x.Args[0])
		}
		if !passThrough[name] {
			// A value method of a secret (token.String()) still prints it.
			if len(x.Args) == 0 && (name == "String" || name == "Raw") {
				return s.secretIn(s.recv(x))
			}
			return ""
		}
		for i, a := range x.Args {
			if v, ok := strLit(a); ok {
				if i+1 < len(x.Args) && keyLike.MatchString(v) && sensitive(v) {
					return "the " + strconv.Quote(v) + " field"
				}
				continue
			}
			if w := s.secretIn(a); w != "" {
				return w
			}
		}
	}
	return ""
}

func (s *fileScan) paramType(id *ast.Ident) string {
	if f, ok := id.Obj.Decl.(*ast.Field); ok {
		return s.paramKind(f.Type)
	}
	return ""
}

// errorText reports err.Error() (or an err formatted into the message).
func (s *fileScan) errorText(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Error" && len(x.Args) == 0 {
				if id, ok := sel.X.(*ast.Ident); ok && strings.HasPrefix(strings.ToLower(id.Name), "err") {
					found = true
				}
			}
			if pkg, name := s.callee(x); pkg == "fmt" && strings.HasPrefix(name, "Sprint") {
				for _, a := range x.Args {
					if id, ok := a.(*ast.Ident); ok && strings.HasPrefix(id.Name, "err") {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// validation reports input and path checks, which matter when removed.
func (s *fileScan) validation(call *ast.CallExpr, pkg, name, full string) {
	switch {
	case full == "path/filepath.IsLocal" || strings.HasPrefix(pkg, "github.com/cyphar/filepath-securejoin"):
		h := s.addCall(call, "file", "go/path-check", "low", "path validation "+s.short(call.Fun), full)
		h.onAdd = false
		h.withRemoval("file", "go/path-check-removed", "high", "removes path validation ("+s.short(call.Fun)+")")
	case strings.HasPrefix(name, "Validate") || strings.HasPrefix(name, "validate") || strings.HasPrefix(name, "Sanitize") || strings.HasPrefix(name, "sanitize") ||
		(name == "Struct" && strings.Contains(pkg, "validator")):
		if authName(name) {
			return
		}
		h := s.addCall(call, "data", "go/validation", "low", "input validation "+s.short(call.Fun), "validation")
		h.onAdd = false
		h.withRemoval("data", "go/validation-removed", "medium", "removes input validation ("+s.short(call.Fun)+")")
	}
}

// modelTag marks struct fields that are serialised to clients or storage.
var modelTag = regexp.MustCompile(`\b(json|db|gorm|bson|xml|yaml|form|sql|protobuf|dynamodbav|firestore):`)
