package lang

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/syntax"
)

// Entry points, auth decisions and file access on the syntax tree for JS/TS
// and Python. Each rule names the construct it declares (a route's method
// and path, a flag's name, a tool's name), so an edit of its handler or its
// options is not a new route, and a removal is reported only where the
// commit takes the construct away.

// strArg is the value of the call's i-th argument when it is a plain string
// literal (a template without ${} counts), "" otherwise.
func strArg(c *syntax.Call, i int) (string, bool) {
	if i >= len(c.Args) || c.Args[i].Name != "" {
		return "", false
	}
	a := c.Args[i]
	if a.IsStr {
		return a.Str, true
	}
	if strings.HasPrefix(a.Text, "`") && strings.HasSuffix(a.Text, "`") && len(a.Text) >= 2 && !strings.Contains(a.Text, "${") {
		return a.Text[1 : len(a.Text)-1], true
	}
	return "", false
}

func parts(callee string) []string { return strings.Split(callee, ".") }

// importsAny reports a file that imports one of the modules (or a
// submodule of it).
func importsAny(f *syntax.File, modules ...string) bool {
	for _, m := range modules {
		if f.Imported(m) {
			return true
		}
	}
	return false
}

// decorated reports a Python call written as a decorator: @app.get("/x").
func decorated(c *syntax.Call, f *syntax.File) bool {
	i := c.Start - 1
	for i >= 0 && (f.Src[i] == ' ' || f.Src[i] == '\t') {
		i--
	}
	return i >= 0 && f.Src[i] == '@'
}

var defAfter = regexp.MustCompile(`^\)?\s*(?:@[^\n]*\n\s*)*(?:async\s+)?def\s+(\w+)`)

// decoratedName is the name of the function a decorator call decorates.
func decoratedName(c *syntax.Call, f *syntax.File) string {
	if c.End > len(f.Src) {
		return ""
	}
	rest := f.Src[c.End:min(len(f.Src), c.End+2000)]
	if m := defAfter.FindSubmatch(rest); m != nil {
		return string(m[1])
	}
	return ""
}

// ---- auth names: a middleware, a dependency, a guard passed by name.

var authWords = wordSet("auth", "authenticate", "authenticated", "authentication", "authorize", "authorized",
	"authorization", "login", "loggedin", "jwt", "guard", "protect", "protected", "permission", "permissions",
	"acl", "rbac", "admin", "oauth", "passport", "bearer", "apikey")

var authPairs = wordSet("require user", "current user", "require session", "verify token", "check token",
	"validate token", "logged in", "require role", "require roles", "check role", "api key", "verify session",
	"active user", "require scope", "require scopes")

// authName reports a name (a middleware, a dependency) whose words say it
// decides access: requireAuth, passport.authenticate, get_current_user.
func authName(name string) bool {
	if i := strings.IndexByte(name, '('); i >= 0 {
		name = name[:i]
	}
	ws := surface.NameWords(name)
	for i, w := range ws {
		if authWords[w] || i > 0 && authPairs[ws[i-1]+" "+w] {
			return true
		}
	}
	return false
}

var denyStatus = regexp.MustCompile(`^(?:40[13]|(?:[\w.]*\.)?(?:HTTP_40[13]_\w+|UNAUTHORIZED|FORBIDDEN|Unauthorized|Forbidden))$`)

func denies(text string) bool { return denyStatus.MatchString(strings.TrimSpace(text)) }

// statusIn finds a 401/403 in an options object: { status: 401 }.
var statusIn = regexp.MustCompile(`\bstatus(?:Code|_code)?\s*[:=]\s*(40[13]|[\w.]*(?:UNAUTHORIZED|FORBIDDEN))\b`)

// ---- file paths that come from outside.

var (
	fromRequest = regexp.MustCompile(`\b(?:req|request|ctx\.request)\s*\.\s*(?:body|query|params|files?|headers|url|args|form|values|json|GET|POST|FILES|data|query_params|path_params|get_json|match_info)\b`)
	fromCLI     = regexp.MustCompile(`\bprocess\.argv\b|\bsys\.argv\b|\bargv\s*[.\[]|\b(?:args|cli_args|opts)\s*\.\s*\w*(?:path|file|dir|name|output|out|dest|target|src|source)\w*\b`)
	fromTool    = regexp.MustCompile(`(?i)\b(?:this\.params|params|tool_?args|tool_?input|tool_?call\.\w+|arguments|function_?args|input)\s*(?:\.\s*|\[\s*['"]|\.get\(\s*['"])\w*(?:path|file|dir|name|target|dest)\w*\b`)
)

// pathSource says where a file path comes from: the request, the command
// line or a tool call's arguments; "" when from none of them.
func pathSource(texts ...string) string {
	for _, t := range texts {
		switch {
		case fromRequest.MatchString(t):
			return "the request"
		case fromTool.MatchString(t):
			return "a tool call's arguments"
		case fromCLI.MatchString(t):
			return "the command line"
		}
	}
	return ""
}

func argTexts(c *syntax.Call, n int) []string {
	out := []string{c.Written}
	for i := 0; i < n && i < len(c.Args); i++ {
		if !c.Args[i].IsStr {
			out = append(out, c.Args[i].Text)
		}
	}
	return out
}

// ---- JS/TS

var (
	routeVerbs    = wordSet("get", "post", "put", "patch", "delete", "del", "all", "options", "head")
	routerBases   = regexp.MustCompile(`^(?:\w*[rR]outer|\w*[aA]pp|server|fastify|hono|koa)$`)
	looseBases    = wordSet("api", "routes", "route", "r")
	webFrameworks = []string{"express", "koa", "@koa/router", "koa-router", "fastify", "hono", "restify", "polka", "@hono/node-server", "h3"}
	jsServerMods  = wordSet("http", "https", "http2", "net", "tls", "dgram")
	jsCLIMods     = []string{"commander", "yargs", "cac", "meow", "@commander-js/extra-typings", "sade", "clipanion"}
	jsMCPMods     = []string{"@modelcontextprotocol/sdk", "fastmcp", "@modelcontextprotocol/server"}
	unsafeFlag    = regexp.MustCompile(`^(?:--?)?(?:yolo|dangerously[-\w]*|[-\w]*skip[-_]?(?:permissions?|approvals?|verify|sandbox|confirm\w*)|no[-_]?(?:verify|sandbox|confirm|auth)|auto[-_]?(?:approve|accept|confirm)[-\w]*|yes[-_]?always|allow[-_]?all[-\w]*|trust[-_]?all|insecure|bypass[-\w]*|unsafe[-\w]*)$`)
	flagNames     = regexp.MustCompile(`(?:^|[\s,|])(--?[A-Za-z][-\w]*)`)
	jsFSMods      = wordSet("fs", "fs/promises", "fs-extra", "graceful-fs")
	jsFSFns       = wordSet("writeFile", "writeFileSync", "appendFile", "appendFileSync", "createWriteStream", "rename", "renameSync",
		"unlink", "unlinkSync", "rm", "rmSync", "copyFile", "copyFileSync", "cp", "cpSync", "mkdir", "mkdirSync", "readFile", "readFileSync",
		"createReadStream", "outputFile", "outputFileSync", "remove", "removeSync", "writeJson", "writeJSON", "readJson", "move", "copy", "symlink", "chmod")
)

// jsRoute is "GET /users" for an Express/Koa/Fastify/Hono route call:
// app.get('/users', handler). A client call (api.get('/x', config)) has no
// handler; a bare api/r base needs the file to import a web framework.
func jsRoute(c *syntax.Call, f *syntax.File) string {
	ps := parts(c.Callee)
	if c.New || c.Module != "" && !importsAny(f, webFrameworks...) || len(ps) != 2 || !routeVerbs[ps[1]] || len(c.Args) < 2 {
		return ""
	}
	if !routerBases.MatchString(ps[0]) && !(looseBases[ps[0]] && importsAny(f, webFrameworks...)) {
		return ""
	}
	path, ok := strArg(c, 0)
	if !ok || !strings.HasPrefix(path, "/") && path != "*" {
		return ""
	}
	last := strings.TrimSpace(c.Args[len(c.Args)-1].Text)
	if strings.HasPrefix(last, "{") || strings.HasPrefix(last, "[") || strings.HasPrefix(last, "'") || strings.HasPrefix(last, "\"") {
		return "" // options or data, not a handler
	}
	return method(ps[1]) + " " + path
}

// cliFlags are the flag names a call declares: .option('-y, --yolo').
func cliFlags(c *syntax.Call, yargs bool) []string {
	var out []string
	for i := range c.Args {
		s, ok := strArg(c, i)
		if !ok {
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(s), "-") {
			for _, m := range flagNames.FindAllStringSubmatch(s, -1) {
				out = append(out, m[1])
			}
			continue // argparse: '-y', '--yolo'; a description after them is not a flag
		}
		if len(out) == 0 && i == 0 && yargs && regexp.MustCompile(`^[A-Za-z][-\w]*$`).MatchString(s) {
			out = append(out, s) // yargs: .option('yolo', {…})
		}
		if len(out) > 0 {
			break
		}
	}
	return out
}

func flagOf(c *syntax.Call, f *syntax.File, py bool) (name string, unsafe bool) {
	fl := cliFlags(c, !py && importsAny(f, "yargs"))
	if len(fl) == 0 {
		return "", false
	}
	for _, n := range fl {
		if unsafeFlag.MatchString(n) {
			return n, true
		}
	}
	long := fl[0]
	for _, n := range fl {
		if strings.HasPrefix(n, "--") {
			long = n
		}
	}
	return long, false
}

func jsFlagCall(c *syntax.Call, f *syntax.File) bool {
	if c.New {
		return (c.Callee == "Option" || strings.HasSuffix(c.Callee, ".Option")) && importsAny(f, jsCLIMods...)
	}
	fn := lastPart(c.Callee)
	return (fn == "option" || fn == "requiredOption") && strings.Contains(c.Callee, ".") && jsCLIFile(f)
}

// jsCLIFile reports a file that builds a command line: it imports a CLI
// library, or chains commander's .command/.action with .description,
// .argument or .alias on a program it was handed.
func jsCLIFile(f *syntax.File) bool {
	if importsAny(f, jsCLIMods...) {
		return true
	}
	var action, described bool
	for i := range f.Calls {
		switch lastPart(f.Calls[i].Callee) {
		case "action":
			action = true
		case "description", "argument", "alias":
			described = true
		}
		if action && described {
			return true
		}
	}
	return false
}

func jsFlagIdent(c *syntax.Call, f *syntax.File) string {
	n, _ := flagOf(c, f, false)
	return n
}

func firstStrIdent(c *syntax.Call, _ *syntax.File) string {
	s, _ := strArg(c, 0)
	return s
}

// middlewareArgs are a route's or use()'s arguments between its path and
// its handler that name an auth check.
func authMiddleware(c *syntax.Call, f *syntax.File) string {
	ps := parts(c.Callee)
	if len(ps) != 2 || c.New {
		return ""
	}
	args := c.Args
	switch {
	case ps[1] == "use" && (routerBases.MatchString(ps[0]) || looseBases[ps[0]]):
		if _, ok := strArg(c, 0); ok && len(args) > 0 {
			args = args[1:]
		}
	case jsRoute(c, f) != "":
		args = args[1 : len(args)-1]
	default:
		return ""
	}
	for _, a := range args {
		t := strings.TrimSpace(a.Text)
		elems := []string{t}
		if strings.HasPrefix(t, "[") && !strings.Contains(t, "(") { // [requireAuth, isAdmin]
			elems = strings.Split(strings.Trim(t, "[] "), ",")
		}
		for _, name := range elems {
			name = strings.TrimSpace(name)
			if i := strings.IndexByte(name, '('); i >= 0 { // bearerAuth({ token }), passport.authenticate('jwt')
				name = name[:i]
			}
			if memberName.MatchString(name) && authName(name) {
				return name
			}
		}
	}
	return ""
}

func routePair(c *syntax.Call, f *syntax.File) string {
	if parts(c.Callee)[len(parts(c.Callee))-1] == "use" {
		return "" // use() stands alone: attached or detached is added or removed
	}
	return jsRoute(c, f)
}

var jsSurfaceTreeRules = []treeRule{
	// auth: middleware on a route that exists before and after
	{id: "js/auth-middleware", cat: "auth", sev: "medium", removed: "high", token: "{m}",
		text: "auth middleware {m} attached", oldText: "auth middleware {m} detached: the route no longer runs it",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			m := authMiddleware(c, f)
			return m, m != "" && lastPart(c.Callee) != "use"
		},
		pair: routePair,
		ident: func(c *syntax.Call, f *syntax.File) string {
			return jsRoute(c, f) + " " + authMiddleware(c, f)
		}},
	{id: "js/auth-middleware", cat: "auth", sev: "medium", removed: "high", token: "{m}",
		text: "auth middleware {m} mounted", oldText: "auth middleware {m} unmounted: the routes after it no longer run it",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			m := authMiddleware(c, f)
			return m, m != "" && lastPart(c.Callee) == "use"
		}},
	{id: "js/express-route", cat: "entry-point", sev: "medium", token: "route", text: "new route {m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			r := jsRoute(c, f)
			return r, r != ""
		},
		ident: jsRoute},
	{id: "js/express-route", cat: "entry-point", sev: "medium", token: "route", text: "new route {m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			ps := parts(c.Callee)
			if len(ps) != 2 || ps[1] != "route" || c.New || len(c.Args) == 0 || !routerBases.MatchString(ps[0]) && !importsAny(f, webFrameworks...) {
				return "", false
			}
			if s, ok := strArg(c, 0); ok && strings.HasPrefix(s, "/") {
				return s, true
			}
			t := c.Args[0].Text
			return "", strings.HasPrefix(t, "{") && strings.Contains(t, "url") && strings.Contains(t, "handler")
		},
		ident: func(c *syntax.Call, _ *syntax.File) string { return normalizeSpace(c.Args[0].Text) }},
	{id: "js/listener", cat: "entry-point", sev: "medium", token: "listen", text: "new listener: {m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			ps := parts(c.Callee)
			fn := lastPart(c.Callee)
			switch {
			case c.New && (c.Callee == "WebSocketServer" || c.Callee == "WebSocket.Server" || c.Callee == "ApolloServer" ||
				c.Callee == "Server" && (c.Module == "socket.io" || c.Module == "ws")):
				return "new " + c.Callee, true
			case !c.New && len(ps) == 2 && (fn == "createServer" || fn == "createSecureServer" || fn == "createSocket") &&
				(jsServerMods[c.Module] || c.Module == "" && jsServerMods[ps[0]]):
				return c.Callee, true
			case !c.New && fn == "listen" && len(c.Args) > 0 && listenArg(c.Args[0].Text) && !createsServer(f):
				return c.Written, true
			case !c.New && c.Module == "@hono/node-server" && c.Callee == "@hono/node-server.serve":
				return "serve", true
			}
			return "", false
		},
		ident: listenIdent},
	{id: "js/cli-unsafe-flag", cat: "entry-point", sev: "high", token: "cli-flag", text: "new command-line flag {m} that turns a safety off",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			if !jsFlagCall(c, f) {
				return "", false
			}
			n, unsafe := flagOf(c, f, false)
			return n, unsafe
		},
		ident: jsFlagIdent},
	{id: "js/cli-flag", cat: "entry-point", sev: "low", token: "cli-flag", text: "new command-line flag {m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			if !jsFlagCall(c, f) {
				return "", false
			}
			n, _ := flagOf(c, f, false)
			return n, n != ""
		},
		ident: jsFlagIdent},
	{id: "js/cli-command", cat: "entry-point", sev: "low", token: "cli-command", text: "new command {m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			if c.New || lastPart(c.Callee) != "command" || !strings.Contains(c.Callee, ".") || !jsCLIFile(f) {
				return "", false
			}
			s, ok := strArg(c, 0)
			name, _, _ := strings.Cut(strings.TrimSpace(s), " ")
			return name, ok && name != ""
		},
		ident: func(c *syntax.Call, _ *syntax.File) string {
			s, _ := strArg(c, 0)
			name, _, _ := strings.Cut(strings.TrimSpace(s), " ")
			return c.Callee + " " + name // pluginCmd's uninstall is not mcpCmd's
		}},
	{id: "js/ide-command", cat: "entry-point", sev: "medium", token: "ide-command", text: "new IDE command {m} (any extension or keybinding can run it)",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			if !hasSuffixPart(c.Callee, "commands.registerCommand") && !hasSuffixPart(c.Callee, "commands.registerTextEditorCommand") {
				return "", false
			}
			return commandName(c)
		},
		ident: func(c *syntax.Call, _ *syntax.File) string { n, _ := commandName(c); return n }},
	{id: "js/mcp-tool", cat: "entry-point", sev: "medium", token: "mcp", text: "registers MCP tool {m}: a model can call it",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			switch lastPart(c.Callee) {
			case "tool", "registerTool", "addTool", "registerPrompt", "registerResource", "resource", "prompt":
			default:
				return "", false
			}
			if c.New || !strings.Contains(c.Callee, ".") || !importsAny(f, jsMCPMods...) {
				return "", false
			}
			if s, ok := strArg(c, 0); ok {
				return s, true
			}
			if len(c.Args) > 0 && strings.HasPrefix(c.Args[0].Text, "{") && lastPart(c.Callee) == "addTool" { // FastMCP: addTool({ name: … })
				if m := nameProp.FindStringSubmatch(c.Args[0].Text); m != nil {
					return m[1], true
				}
			}
			return "", false
		},
		ident: func(c *syntax.Call, _ *syntax.File) string {
			if s, ok := strArg(c, 0); ok {
				return lastPart(c.Callee) + " " + s
			}
			if len(c.Args) > 0 {
				if m := nameProp.FindStringSubmatch(c.Args[0].Text); m != nil {
					return lastPart(c.Callee) + " " + m[1]
				}
			}
			return ""
		}},
	{id: "js/mcp-server", cat: "entry-point", sev: "medium", token: "mcp", text: "new MCP server: new {m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			if !c.New {
				return "", false
			}
			switch {
			case lastPart(c.Callee) == "McpServer" || lastPart(c.Callee) == "FastMCP":
				return lastPart(c.Callee), true
			case lastPart(c.Callee) == "Server" && strings.HasPrefix(c.Module, "@modelcontextprotocol/"):
				return "Server", true
			}
			return "", false
		},
		ident: func(c *syntax.Call, _ *syntax.File) string { return c.Callee }},
	{id: "js/mcp-http", cat: "entry-point", sev: "high", token: "mcp-http",
		text: "serves MCP over HTTP (new {m}): any local process or page that reaches the port can call its tools unless it checks who calls",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			fn := lastPart(c.Callee)
			return fn, c.New && (fn == "StreamableHTTPServerTransport" || fn == "SSEServerTransport")
		}},

	// auth: decisions
	{id: "js/auth-deny", cat: "auth", sev: "medium", removed: "high", token: "deny", everyUse: true, notInTests: true,
		text: "access decision: {m}", oldText: "removes an access denial ({m}): the request now goes through",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			fn := lastPart(c.Callee)
			switch {
			case !c.New && (fn == "status" || fn == "sendStatus" || fn == "code" || fn == "writeHead" || fn == "throw") && strings.Contains(c.Callee, ".") &&
				len(c.Args) > 0 && denies(c.Args[0].Text):
				return "answers " + strings.TrimSpace(c.Args[0].Text), true
			case !c.New && (fn == "json" || fn == "text" || fn == "body") && len(c.Args) > 1 && denies(c.Args[1].Text): // Hono c.json(x, 401)
				return "answers " + strings.TrimSpace(c.Args[1].Text), true
			case (c.Callee == "Response" && c.New || fn == "json" && (strings.HasSuffix(c.Callee, "Response.json"))) && len(c.Args) > 1:
				if m := statusIn.FindStringSubmatch(c.Args[1].Text); m != nil {
					return "answers " + m[1], true
				}
			case c.New && (fn == "UnauthorizedException" || fn == "ForbiddenException" || fn == "HTTPException" && len(c.Args) > 0 && denies(c.Args[0].Text)):
				return "throws " + fn, true
			case !c.New && c.Callee == "createError" && len(c.Args) > 0 && denies(c.Args[0].Text) && !f.Defined["createError"]:
				return "answers " + c.Args[0].Text, true
			}
			if msg, ok := strArg(c, 0); ok && denyMessage.MatchString(msg) && !strings.HasPrefix(c.Callee, "console.") && !testCall(c) {
				return "refuses (\"" + clip(msg, 60) + "\")", true
			}
			return "", false
		}},
	{id: "js/auth-middleware", cat: "auth", sev: "medium", removed: "high", token: "{m}",
		text: "authentication/authorization check added: {m}", oldText: "authentication/authorization check removed: {m}",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			switch {
			case c.Callee == "passport.authenticate" || c.Module == "passport" && lastPart(c.Callee) == "authenticate":
				return "passport.authenticate", true
			case c.Module == "jsonwebtoken" && lastPart(c.Callee) == "verify", c.Module == "jose" && lastPart(c.Callee) == "jwtVerify":
				return "jwt verify", true
			case !c.New && lastPart(c.Callee) == "UseGuards":
				return "@UseGuards", true
			}
			return "", false
		}},
	{id: "js/auth-compare", cat: "auth", sev: "medium", removed: "high", token: "timingSafeEqual",
		text: "checks a secret, signature or token (crypto.timingSafeEqual)", oldText: "removes a constant-time check of a secret, signature or token",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			return "", c.Module == "crypto" && lastPart(c.Callee) == "timingSafeEqual"
		}},
	{id: "js/cors-policy", cat: "web-config", sev: "low", token: "cors", text: "CORS policy",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			if len(c.Args) == 0 || c.New {
				return "", false
			}
			return "", c.Callee == "cors" && (c.Module == "cors" || c.Module == "" && !f.Defined["cors"]) || lastPart(c.Callee) == "enableCors" ||
				c.Module == "@fastify/cors" || c.Module == "@koa/cors" || c.Module == "hono/cors" && lastPart(c.Callee) == "cors"
		},
		quietNew: true, // a new policy with its origins spelled out is not a finding; an edit of one is
		ident:    func(c *syntax.Call, _ *syntax.File) string { return "cors" },
		changed:  corsChanged},
	{id: "js/token-issue", cat: "auth", sev: "medium", token: "jwt.sign", text: "issues a token ({m})",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			switch {
			case c.Module == "jsonwebtoken" && lastPart(c.Callee) == "sign":
				return "jwt.sign", true
			case c.Module == "jose" && c.New && lastPart(c.Callee) == "SignJWT":
				return "SignJWT", true
			}
			return "", false
		}},

	// file
	{id: "js/fs-request-path", cat: "file", sev: "high", token: "fs", text: "{m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			fn := lastPart(c.Callee)
			ps := parts(c.Callee)
			fsCall := jsFSFns[fn] && (jsFSMods[c.Module] || c.Module == "" && (ps[0] == "fs" || ps[0] == "fsp" || ps[0] == "fse") ||
				strings.HasPrefix(c.Module, "fs") && jsFSMods[c.Module])
			send := (fn == "sendFile" || fn == "download") && len(ps) == 2 && (ps[0] == "res" || ps[0] == "response" || ps[0] == "reply")
			if !fsCall && !send {
				return "", false
			}
			src := pathFrom(c, f, 2)
			if src == "" {
				return "", false
			}
			return "file path taken from " + src + ": " + fn, true
		}},
}

var nameProp = regexp.MustCompile(`\bname\s*:\s*['"` + "`" + `]([^'"` + "`" + `]+)`)

func normalizeSpace(s string) string { return spaces.ReplaceAllString(s, "") }

var portish = regexp.MustCompile(`(?i)^\d+$|port|^\{|^['"]`)

func listenArg(t string) bool { return portish.MatchString(strings.TrimSpace(t)) }

// createsServer reports a file that creates the server it listens on: the
// creation is the finding.
func createsServer(f *syntax.File) bool {
	for i := range f.Calls {
		switch lastPart(f.Calls[i].Callee) {
		case "createServer", "createSecureServer":
			return true
		}
	}
	return false
}

// ---- Python

var (
	pyRouteVerbs = wordSet("route", "get", "post", "put", "patch", "delete", "websocket", "api_route", "head", "options")
	pyWebMods    = []string{"flask", "fastapi", "starlette", "django", "aiohttp", "quart", "sanic", "bottle", "litestar", "falcon"}
	pyCLIMods    = []string{"click", "typer", "argparse", "fire"}
	pyMCPMods    = []string{"mcp", "fastmcp"}
	pyDenyCalls  = wordSet("HTTPException", "abort", "Response", "JSONResponse", "PlainTextResponse", "HTMLResponse", "HttpResponse", "JsonResponse", "make_response")
	pyDenyTypes  = wordSet("PermissionError", "PermissionDenied", "NotAuthenticated", "AuthenticationFailed", "HttpResponseForbidden",
		"Unauthorized", "Forbidden", "HTTPUnauthorized", "HTTPForbidden", "AccessDenied", "PermissionDeniedError")
	pyFileFns = wordSet("os.remove", "os.unlink", "os.rename", "os.replace", "os.makedirs", "os.rmdir", "os.chmod", "os.symlink",
		"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move", "shutil.rmtree",
		"flask.send_file", "flask.send_from_directory", "send_file", "send_from_directory", "FileResponse",
		"fastapi.responses.FileResponse", "starlette.responses.FileResponse", "aiofiles.open", "io.open", "codecs.open")
	pyPathMethods = wordSet("write_text", "write_bytes", "read_text", "read_bytes", "unlink", "rmdir", "mkdir", "touch", "rename", "replace")
)

func pyRoute(c *syntax.Call, f *syntax.File) string {
	ps := parts(c.Callee)
	if len(ps) != 2 || c.Module != "" && !importsAny(f, pyWebMods...) {
		return ""
	}
	switch {
	case decorated(c, f) && pyRouteVerbs[ps[1]]:
		path, ok := strArg(c, 0)
		if !ok {
			if a := c.Keyword("path"); a != nil && a.IsStr {
				path, ok = a.Str, true
			}
		}
		if !ok || !strings.HasPrefix(path, "/") && path != "" {
			return ""
		}
		return method(ps[1]) + " " + path
	case ps[1] == "add_url_rule" || ps[1] == "add_api_route" || ps[1] == "add_route" || ps[1] == "add_websocket_route":
		path, ok := strArg(c, 0)
		if !ok && len(c.Args) > 1 { // aiohttp: router.add_route("GET", "/x", h)
			path, ok = strArg(c, 1)
		}
		if !ok {
			return ""
		}
		return ps[1] + " " + path
	}
	return ""
}

func pyFlagCall(c *syntax.Call, f *syntax.File) bool {
	fn := lastPart(c.Callee)
	switch {
	case fn == "add_argument" && strings.Contains(c.Callee, "."):
		return true
	case c.Callee == "click.option" || c.Callee == "typer.Option" || c.Callee == "Option" && c.Module == "typer":
		return true
	case fn == "option" && decorated(c, f) && importsAny(f, "click", "typer", "cloup", "asyncclick"):
		return true
	}
	return false
}

func pyFlagIdent(c *syntax.Call, f *syntax.File) string {
	n, _ := flagOf(c, f, true)
	return n
}

var pyAuthDecorators = wordSet("login_required", "permission_required", "user_passes_test", "staff_member_required",
	"superuser_required", "jwt_required", "auth_required", "requires_auth", "token_required", "roles_required",
	"roles_accepted", "fresh_jwt_required", "admin_required", "requires_permission", "permission_classes",
	"authentication_classes", "requires", "verify_jwt_in_request")

// pyDependency is the auth dependency a Depends/Security call names.
func pyDependency(c *syntax.Call) string {
	fn := lastPart(c.Callee)
	if fn != "Depends" && fn != "Security" || len(c.Args) == 0 {
		return ""
	}
	if a := c.Args[0]; !a.IsStr && authName(a.Text) {
		return a.Text
	}
	return ""
}

func pyMCPFile(f *syntax.File) bool { return importsAny(f, pyMCPMods...) }

var pySurfaceTreeRules = []treeRule{
	{id: "py/auth-decorator", cat: "auth", sev: "medium", removed: "high", token: "{m}", secondUse: true,
		text: "authentication/authorization dependency added: {m}", oldText: "authentication/authorization dependency removed: {m}",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			d := pyDependency(c)
			return d, d != ""
		}},
	{id: "py/auth-decorator", cat: "auth", sev: "medium", removed: "high", token: "{m}",
		text: "authentication/authorization check added: @{m}", oldText: "authentication/authorization check removed: @{m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			fn := lastPart(c.Callee)
			return fn, decorated(c, f) && pyAuthDecorators[fn]
		}},
	{id: "py/auth-deny", cat: "auth", sev: "medium", removed: "high", token: "deny", everyUse: true, notInTests: true,
		text: "access decision: refuses with {m}", oldText: "removes an access denial ({m}): the request now goes through",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			fn := lastPart(c.Callee)
			if f.Defined[fn] && c.Module == "" {
				return "", false
			}
			if msg, ok := strArg(c, 0); ok && denyMessage.MatchString(msg) && !strings.HasPrefix(c.Callee, "logging.") && !strings.Contains(c.Callee, "log") && c.Callee != "print" {
				return fn + ": " + clip(msg, 60), true
			}
			switch {
			case pyDenyTypes[fn]:
				return fn, true
			case pyDenyCalls[fn]:
				for _, kw := range []string{"status_code", "status", "code"} {
					if a := c.Keyword(kw); a != nil && denies(a.Text) {
						return fn + " " + a.Text, true
					}
				}
				if (fn == "HTTPException" || fn == "abort") && len(c.Args) > 0 && c.Args[0].Name == "" && denies(c.Args[0].Text) {
					return fn + " " + c.Args[0].Text, true
				}
				if fn == "make_response" && len(c.Args) > 1 && denies(c.Args[1].Text) {
					return fn + " " + c.Args[1].Text, true
				}
			}
			return "", false
		}},
	{id: "py/auth-compare", cat: "auth", sev: "medium", removed: "high", token: "compare_digest",
		text: "checks a secret, signature or token ({callee})", oldText: "removes a constant-time check of a secret, signature or token ({callee})",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			return "", c.Callee == "hmac.compare_digest" || c.Callee == "secrets.compare_digest"
		}},
	{id: "py/cors-policy", cat: "web-config", sev: "low", token: "cors", text: "CORS policy",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			if lastPart(c.Callee) == "add_middleware" && len(c.Args) > 1 && lastPart(c.Args[0].Text) == "CORSMiddleware" ||
				(c.Callee == "flask_cors.CORS" || c.Callee == "CORS" && c.Module == "") && len(c.Args) > 1 {
				return "", true
			}
			return "", false
		},
		quietNew: true,
		ident:    func(c *syntax.Call, _ *syntax.File) string { return "cors" },
		changed:  corsChanged},
	{id: "py/telemetry", cat: "egress", sev: "medium", token: "{m}", text: "sends telemetry with {m} {host}",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			m := basePart(c.Callee)
			switch {
			case c.Callee == "posthog.Posthog" || c.Callee == "posthog.Client" || c.Callee == "sentry_sdk.init" ||
				c.Callee == "mixpanel.Mixpanel" || c.Callee == "amplitude.Amplitude" || c.Callee == "segment.analytics.Client":
				return m, true
			case c.Callee == "logfire.configure" || c.Callee == "langfuse.Langfuse" || c.Callee == "langfuse.get_client" ||
				c.Callee == "langsmith.Client" || c.Callee == "ddtrace.patch_all" || c.Callee == "newrelic.agent.initialize" ||
				c.Callee == "rollbar.init" || c.Callee == "bugsnag.configure" || c.Callee == "honeycomb.init" ||
				strings.HasPrefix(c.Callee, "opentelemetry.exporter.") && strings.HasSuffix(c.Callee, "Exporter"):
				return m, true
			}
			return "", false
		},
		ident: func(c *syntax.Call, _ *syntax.File) string { return c.Callee },
		changed: func(b, a *syntax.Call) string {
			if _, bt, at, ok := keywordChange(b, a, "host", "api_host", "dsn", "endpoint"); ok {
				return "telemetry " + basePart(a.Callee) + " now sends to " + clip(oneLine(at), 100) + " (was " + clip(oneLine(bt), 100) + ")"
			}
			return ""
		}},
	{id: "py/token-issue", cat: "auth", sev: "medium", token: "jwt", text: "issues a token ({callee})",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			return "", c.Module == "jwt" && (c.Callee == "jwt.encode" || lastPart(c.Callee) == "create_access_token") ||
				c.Callee == "flask_jwt_extended.create_access_token" || c.Callee == "flask_jwt_extended.create_refresh_token"
		}},
	{id: "py/jwt-verify", cat: "auth", sev: "medium", removed: "high", token: "jwt", text: "validates a token ({callee})",
		oldText: "token validation removed ({callee})",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			return "", c.Callee == "jwt.decode" && (c.Module == "jwt" || c.Module == "jose.jwt" || c.Module == "jose")
		}},
	{id: "py/cookie-flags", cat: "web-config", sev: "medium", token: "cookie", text: "cookie {m}",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			if lastPart(c.Callee) != "set_cookie" {
				return "", false
			}
			for _, kw := range []string{"secure", "httponly"} {
				if a := c.Keyword(kw); a != nil && a.Text == "False" {
					return "without " + kw + " (" + kw + "=False)", true
				}
			}
			if a := c.Keyword("samesite"); a != nil && (a.Text == "None" || strings.EqualFold(a.Str, "none")) {
				return "sent cross-site (samesite=None)", true
			}
			return "", true // a cookie set: reported when an edit weakens its flags
		},
		quietNew: true,
		ident: func(c *syntax.Call, _ *syntax.File) string {
			if len(c.Args) > 0 {
				return c.Args[0].Text
			}
			if a := c.Keyword("key"); a != nil {
				return a.Text
			}
			return ""
		},
		changed: func(b, a *syntax.Call) string {
			var lost []string
			for _, kw := range []string{"secure", "httponly", "samesite"} {
				bk, ak := b.Keyword(kw), a.Keyword(kw)
				if bk != nil && bk.Text != "False" && bk.Text != "None" && (ak == nil || ak.Text == "False" || ak.Text == "None") {
					lost = append(lost, kw)
				}
			}
			if len(lost) == 0 {
				return ""
			}
			return "cookie " + oneLine(firstArg(b)) + " loses " + strings.Join(lost, ", ")
		}},
	{id: "py/route-decorator", cat: "entry-point", sev: "medium", token: "route", text: "new route {m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			r := pyRoute(c, f)
			return r, r != ""
		},
		ident: pyRoute},
	{id: "py/django-url", cat: "entry-point", sev: "medium", token: "route", text: "new route /{m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			if f.Lang != syntax.Python || !isURLConf(f) {
				return "", false
			}
			if c.Callee != "path" && c.Callee != "re_path" && c.Callee != "url" && c.Module != "django.urls" {
				return "", false
			}
			if lastPart(c.Callee) != "path" && lastPart(c.Callee) != "re_path" && lastPart(c.Callee) != "url" {
				return "", false
			}
			s, ok := strArg(c, 0)
			return s, ok && len(c.Args) > 1
		},
		ident: firstStrIdent},
	{id: "py/mcp-http", cat: "entry-point", sev: "high", token: "mcp-http",
		text: "serves MCP over HTTP: any local process or page that reaches the port can call its tools unless it checks who calls",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			if !pyMCPFile(f) || c.Module != "" && !importsAny(f, pyMCPMods...) {
				return "", false
			}
			switch lastPart(c.Callee) {
			case "sse_app", "streamable_http_app", "http_app":
				return "", strings.Contains(c.Callee, ".")
			case "run", "run_async":
				t := ""
				if a := c.Keyword("transport"); a != nil {
					t = a.Str
				} else if s, ok := strArg(c, 0); ok {
					t = s
				}
				return "", t == "sse" || t == "streamable-http" || t == "http"
			}
			return "", false
		},
		// The same server started with other options (stateless_http moved
		// into run()) is not a new one; where it listens is what matters.
		ident:   func(c *syntax.Call, _ *syntax.File) string { return "serve " + c.Callee },
		changed: pyListenChanged},
	{id: "py/listener", cat: "entry-point", sev: "medium", token: "listen", text: "new listener: {callee}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			ps := parts(c.Callee)
			fn := lastPart(c.Callee)
			switch {
			case c.Callee == "uvicorn.run" || c.Callee == "hypercorn.asyncio.serve" || c.Callee == "waitress.serve" || c.Callee == "aiohttp.web.run_app" || c.Callee == "web.run_app":
				return "", true
			case c.Callee == "asyncio.start_server" || c.Callee == "asyncio.start_unix_server" || c.Callee == "websockets.serve" || c.Callee == "websockets.server.serve":
				return "", true
			case fn == "HTTPServer" || fn == "ThreadingHTTPServer" || fn == "TCPServer" || fn == "ThreadingTCPServer" || fn == "UDPServer":
				return "", c.Module == "http.server" || c.Module == "socketserver" || ps[0] == "http" || ps[0] == "socketserver"
			case len(ps) == 2 && fn == "run" && (ps[0] == "app" || ps[0] == "socketio" || ps[0] == "sio") && !pyMCPFile(f):
				return "", importsAny(f, pyWebMods...) || importsAny(f, "flask_socketio") || c.Keyword("host") != nil || c.Keyword("port") != nil
			}
			return "", false
		},
		ident:   func(c *syntax.Call, _ *syntax.File) string { return c.Callee },
		changed: pyListenChanged},
	{id: "py/cli-unsafe-flag", cat: "entry-point", sev: "high", token: "cli-flag", text: "new command-line flag {m} that turns a safety off",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			if !pyFlagCall(c, f) {
				return "", false
			}
			n, unsafe := flagOf(c, f, true)
			return n, unsafe
		},
		ident: pyFlagIdent},
	{id: "py/cli-flag", cat: "entry-point", sev: "low", token: "cli-flag", text: "new command-line flag {m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			if !pyFlagCall(c, f) {
				return "", false
			}
			n, _ := flagOf(c, f, true)
			return n, n != ""
		},
		ident: pyFlagIdent},
	{id: "py/cli-command", cat: "entry-point", sev: "low", token: "cli-command", text: "new command {m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			n := pyCommand(c, f)
			return n, n != ""
		},
		ident: pyCommand},
	{id: "py/mcp-tool", cat: "entry-point", sev: "medium", token: "mcp", text: "registers MCP tool {m}: a model can call it",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			n := pyMCPTool(c, f)
			return n, n != ""
		},
		ident: pyMCPTool},

	// file
	{id: "py/request-path", cat: "file", sev: "high", token: "open", text: "{m}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			fn := lastPart(c.Callee)
			var src string
			switch {
			case c.Callee == "open" && c.Module == "" && !f.Defined["open"], pyFileFns[c.Callee]:
				src = pathFrom(c, f, 2)
			case pyPathMethods[fn] && strings.Contains(c.Written, "(") && (strings.Contains(c.Written, "Path(") || strings.Contains(c.Written, "path(")):
				src = pathSource(c.Written)
			default:
				return "", false
			}
			if src != "" {
				return "file path taken from " + src + ": " + c.Callee, true
			}
			return "", false
		}},
}

// isURLConf reports a Django URLconf: it imports django.urls (or conf.urls).
func isURLConf(f *syntax.File) bool {
	return importsAny(f, "django.urls", "django.conf.urls") || bytes.Contains(f.Src, []byte("urlpatterns"))
}

func pyCommand(c *syntax.Call, f *syntax.File) string {
	fn := lastPart(c.Callee)
	switch {
	case fn == "add_parser" && strings.Contains(c.Callee, "."):
		s, _ := strArg(c, 0)
		return s
	case (fn == "command" || fn == "group") && decorated(c, f) && importsAny(f, "click", "typer", "cloup", "asyncclick"):
		if s, ok := strArg(c, 0); ok {
			return s
		}
		if a := c.Keyword("name"); a != nil && a.IsStr {
			return a.Str
		}
		return decoratedName(c, f)
	}
	return ""
}

func pyMCPTool(c *syntax.Call, f *syntax.File) string {
	fn := lastPart(c.Callee)
	if !pyMCPFile(f) || !strings.Contains(c.Callee, ".") {
		return ""
	}
	switch {
	case (fn == "tool" || fn == "resource" || fn == "prompt") && decorated(c, f):
		if a := c.Keyword("name"); a != nil && a.IsStr {
			return a.Str
		}
		if s, ok := strArg(c, 0); ok && fn != "resource" {
			return s
		}
		if n := decoratedName(c, f); n != "" {
			return n
		}
		return fn
	case fn == "add_tool" && len(c.Args) > 0:
		if a := c.Keyword("name"); a != nil && a.IsStr {
			return a.Str
		}
		return c.Args[0].Text
	}
	return ""
}

func firstArg(c *syntax.Call) string {
	if len(c.Args) > 0 {
		return c.Args[0].Text
	}
	return ""
}

// listenIdent is a listener by what it listens on, not by its callback.
func listenIdent(c *syntax.Call, _ *syntax.File) string {
	id := c.Written
	if len(c.Args) > 0 && !functionLike(c.Args[0].Text) {
		id += " " + c.Args[0].Text
	}
	return id
}

// corsChanged says how an edit changed a CORS policy.
func corsChanged(b, a *syntax.Call) string {
	if b.Key() == a.Key() {
		return ""
	}
	return "CORS policy changed: " + clip(oneLine(spaces.ReplaceAllString(argsText(a), " ")), 160)
}

func argsText(c *syntax.Call) string {
	var out []string
	for _, a := range c.Args {
		if a.Name != "" {
			out = append(out, a.Name+"="+a.Text)
		} else {
			out = append(out, a.Text)
		}
	}
	return strings.Join(out, ", ")
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

var memberName = regexp.MustCompile(`^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$`)

// commandName is a registered command's id: a string, or the constant that
// holds it (commands.JupyterGenerateCell).
func commandName(c *syntax.Call) (string, bool) {
	if s, ok := strArg(c, 0); ok {
		return s, true
	}
	if len(c.Args) > 0 && memberName.MatchString(c.Args[0].Text) {
		return c.Args[0].Text, true
	}
	return "", false
}

// functionLike reports an argument that is a function: its body is not
// what the construct is.
func functionLike(t string) bool {
	t = strings.TrimSpace(t)
	return strings.Contains(t, "=>") || strings.HasPrefix(t, "function") || strings.HasPrefix(t, "async")
}

// pyListenChanged is what an edit of a server's start changed that
// matters: the host or port it listens on.
func pyListenChanged(b, a *syntax.Call) string {
	kw, bt, at, ok := keywordChange(b, a, "host", "port")
	if !ok || at == "" {
		return ""
	}
	if bt == "" {
		bt = "the default"
	}
	return "now listens with " + kw + "=" + clip(at, 40) + " (was " + clip(bt, 40) + ")"
}

// keywordChange is the first of the keywords whose argument an edit of a
// call changed, with its text before and after ("" when absent).
func keywordChange(b, a *syntax.Call, kws ...string) (kw, before, after string, ok bool) {
	for _, kw := range kws {
		bt, at := "", ""
		if k := b.Keyword(kw); k != nil {
			bt = k.Text
		}
		if k := a.Keyword(kw); k != nil {
			at = k.Text
		}
		if bt != at {
			return kw, bt, at, true
		}
	}
	return "", "", "", false
}

// denyMessage is a refusal in words, as an error or a CLI's last message:
// "Not authenticated", "Unauthorized", "Permission denied".
var denyMessage = regexp.MustCompile(`(?i)^\s*(?:not authenticated|unauthori[sz]ed|unauthenticated|forbidden|permission denied|access denied|not authori[sz]ed|authentication required|login required|invalid (?:api key|token|credentials|signature))\b[^\n]{0,60}$`)

// testCall reports a call of a test framework (expect(…).toThrow("Unauthorized")).
func testCall(c *syntax.Call) bool {
	switch lastPart(c.Callee) {
	case "toThrow", "toThrowError", "toBe", "toEqual", "toContain", "toMatch", "it", "test", "describe", "assert", "equal":
		return true
	}
	return false
}

// assigned finds what a bare name in an argument was set from in the file:
// const p = req.body.path; const { file_path } = this.params.
func assigned(f *syntax.File, name string) []string {
	if !memberName.MatchString(name) || strings.Contains(name, ".") || len(name) > 64 {
		return nil
	}
	q := regexp.QuoteMeta(name)
	re := regexp.MustCompile(`(?:\b` + q + `\s*(?::\s*[\w<>\[\]| ]+)?=\s*([^;\n]{1,200})|\{[^{}=]{0,200}\b` + q + `\b[^{}=]{0,200}\}\s*(?::\s*[\w<>\[\]| ]+)?=\s*([^;\n]{1,200}))`)
	var out []string
	for _, m := range re.FindAllSubmatch(f.Src, 8) {
		switch {
		case len(m[1]) > 0 && !bytes.HasPrefix(m[1], []byte("=")):
			out = append(out, string(m[1]))
		case len(m[2]) > 0 && !bytes.HasPrefix(m[2], []byte("=")):
			// const { file_path } = this.params reads this.params.file_path
			out = append(out, strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(string(m[2])), ";"))+"."+name)
		}
	}
	return out
}

// pathFrom says where the path arguments of a file call come from: named
// in the arguments, or one assignment away.
func pathFrom(c *syntax.Call, f *syntax.File, n int) string {
	texts := argTexts(c, n)
	if src := pathSource(texts...); src != "" {
		return src
	}
	for i := 0; i < n && i < len(c.Args); i++ {
		if src := pathSource(assigned(f, strings.TrimSpace(c.Args[i].Text))...); src != "" {
			return src
		}
	}
	return ""
}
