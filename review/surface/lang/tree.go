package lang

import (
	"regexp"
	"strings"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/syntax"
)

// treeRule matches a call on the syntax tree, its callee resolved through
// the file's imports. The line rules with the same id are the fallback for
// a file that has no tree (see newSide).
type treeRule struct {
	id, cat, sev string
	// match reports whether c is this rule's construct and what fills {m}.
	match func(c *syntax.Call, f *syntax.File, o *options) (m string, ok bool)
	// conf overrides the confidence match implies (high when an import
	// resolved the callee, medium when the name is only as written).
	conf func(c *syntax.Call, o *options) string
	msg  func(c *syntax.Call, o *options) string // overrides text when set
	// lower, when set, gives a lower severity and a note for a call that
	// path and arguments make routine ("" keeps sev).
	lower func(c *syntax.Call, path string) (sev, note string)
	text  string // may hold {m} {host} {callee}
	token string // may hold {m}; egress rules use the host when one is literal
	// secondUse: a call through a client the file already used this way is
	// not new surface unless it reaches a new host.
	secondUse bool
	// removed is the severity of a removed construct ("" = added ones
	// only); oldText its message, which may hold {m} {callee}.
	removed, oldText string
	// ident names the construct the call declares (a route's method and
	// path, a flag's name): one with the same ident on the other side is the
	// same construct edited, not added or removed. changed, when set, says
	// what such an edit changed that matters ("" for nothing).
	ident   func(c *syntax.Call, f *syntax.File) string
	changed func(before, after *syntax.Call) string
	// pair, when set, reports the call only where the other side holds a
	// call with the same pair: middleware attached to or detached from a
	// route that exists before and after.
	pair func(c *syntax.Call, f *syntax.File) string
	// quietNew: a new construct whose match filled no {m} is not reported
	// (a cookie set with sound flags); only its weakening edit is.
	quietNew bool
	// everyUse: each use is its own construct (a second 401 in another
	// handler is another decision), so a repeat is new.
	everyUse bool
	// notInTests: in a test or fixture the construct decides nothing (a
	// mocked 401 response, an expected "Unauthorized" error).
	notInTests bool
}

// importRule reports a new import of a module the file did not import
// before, unless a call into that module is reported too (one finding per
// construct: the call says more).
type importRule struct {
	id, cat, sev string
	module       func(m string) bool
	text         string // may hold {name}
	token        string
}

// options is what the detector knows beyond the file: the version in force
// of packages whose danger depends on it, read from the commit's manifests.
type options struct {
	jsYamlMajor int // 0 when the commit does not say
}

func callee(names ...string) func(*syntax.Call, *syntax.File, *options) (string, bool) {
	set := wordSet(names...)
	return func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
		if set[c.Callee] {
			return lastPart(c.Callee), true
		}
		return "", false
	}
}

func lastPart(s string) string {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func basePart(s string) string {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return s[:i]
	}
	return s
}

// builtin reports a call of name that no import and no definition in the
// file rebinds.
func builtin(c *syntax.Call, f *syntax.File, names map[string]bool) bool {
	return c.Module == "" && names[c.Callee] && !f.Defined[c.Callee]
}

func resolvedConf(c *syntax.Call, _ *options) string {
	if c.Module != "" {
		return "high"
	}
	return "medium"
}

var (
	childProcessFns = wordSet("exec", "execSync", "execFile", "execFileSync", "spawn", "spawnSync", "fork")
	jsEvalNames     = wordSet("eval", "Function")
	vmFns           = wordSet("runInNewContext", "runInThisContext", "runInContext", "compileFunction", "Script")
	jsHTTPModules   = wordSet("axios", "got", "superagent", "needle")
	jsFetchModules  = wordSet("node-fetch", "cross-fetch", "undici", "isomorphic-fetch")
	jsYamlNames     = wordSet("yaml", "jsyaml", "jsYaml", "YAML")
	ownModule       = regexp.MustCompile(`^(?:path\.(?:join|resolve)\s*\(\s*__dirname|require\.resolve)`)
	safeSchema      = regexp.MustCompile(`(?i)\bschema\s*:\s*[\w.]*(?:SAFE|JSON|CORE|FAILSAFE)_SCHEMA`)
	jsClientImports = regexp.MustCompile(`^(?:node-fetch|undici|axios|got|superagent|needle|cross-fetch|@aws-sdk/[\w-]+|stripe|twilio|@sendgrid/mail|openai|posthog-node|posthog-js|@sentry/[\w-]+|@segment/analytics-node|analytics-node|mixpanel|@amplitude/[\w-]+|@opentelemetry/exporter-[\w-]+|dd-trace|@datadog/[\w-]+|@vercel/analytics|statsig-node|langfuse|langfuse-node|@langfuse/[\w-]+|langsmith|newrelic|@honeycombio/[\w-]+|logrocket|@bugsnag/[\w-]+|rollbar|@logtail/[\w-]+|@highlight-run/[\w-]+)$`)
)

var jsTreeRules = []treeRule{
	{id: "js/child-process", cat: "exec", sev: "high", token: "child_process.{m}", text: "runs a process with child_process.{m}",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			base, fn := basePart(c.Callee), lastPart(c.Callee)
			switch {
			case c.Module == "child_process" && base == "child_process" && childProcessFns[fn] && strings.Count(c.Callee, ".") == 1:
				return fn, true
			case c.Module == "execa":
				return fn, true
			case c.Module == "shelljs" && fn == "exec":
				return "shelljs.exec", true
			}
			return "", false
		},
		// The program a file already ran is not new surface when another
		// call runs it (a git fetch moved into an execGit helper); a call
		// that now goes through a shell is.
		ident: func(c *syntax.Call, _ *syntax.File) string {
			if p := jsProgram(c); p != "" {
				return "runs " + p
			}
			return ""
		},
		lower: scriptProcess,
		changed: func(b, a *syntax.Call) string {
			switch {
			case jsShell(a) && !jsShell(b):
				return "now runs " + jsProgram(a) + " through a shell (child_process." + lastPart(a.Callee) + ")"
			case jsShell(a) && jsInterpolated(a) && !jsInterpolated(b):
				return "now builds the command line of " + jsProgram(a) + " from values (child_process." + lastPart(a.Callee) + ")"
			}
			return ""
		}},
	{id: "js/eval", cat: "exec", sev: "high", token: "eval", text: "evaluates dynamic code ({m})",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			switch {
			case builtin(c, f, jsEvalNames):
				if c.New {
					return "new " + c.Callee, true
				}
				return c.Callee, true
			case (c.Module == "vm" || c.Module == "" && basePart(c.Written) == "vm") && basePart(c.Callee) == "vm" && vmFns[lastPart(c.Callee)]:
				return c.Callee, true
			case c.Module == "" && (c.Callee == "setTimeout" || c.Callee == "setInterval") && len(c.Args) > 0 && (c.Args[0].IsStr || strings.HasPrefix(c.Args[0].Text, "`")):
				return c.Callee + " with a string", true
			}
			return "", false
		}},
	{id: "js/dynamic-require", cat: "exec", sev: "medium", token: "require", text: "loads a module from a computed name (plugin loading)",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			if c.Module != "" || c.Callee != "require" && c.Callee != "import" || f.Defined[c.Callee] || len(c.Args) == 0 {
				return "", false
			}
			a := c.Args[0]
			literal := a.IsStr || strings.HasPrefix(a.Text, "`") && !strings.Contains(a.Text, "${")
			return "", !literal && !ownModule.MatchString(a.Text)
		}},
	{id: "js/cors-default", cat: "web-config", sev: "medium", token: "cors", text: "cors() with no options allows every origin",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			return "", len(c.Args) == 0 && (c.Callee == "cors" && (c.Module == "" || c.Module == "cors") || lastPart(c.Callee) == "enableCors")
		}},
	{id: "js/fetch", cat: "egress", sev: "medium", token: "fetch", text: "outbound HTTP call (fetch) {host}", secondUse: true,
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			global := c.Module == "" && c.Callee == "fetch" && !f.Defined["fetch"]
			if !global && !(jsFetchModules[c.Module] && (lastPart(c.Callee) == "fetch" || lastPart(c.Callee) == "request" || c.Callee == c.Module)) {
				return "", false
			}
			if len(c.Args) > 0 && relative(c.Args[0].Text) {
				return "", false // the app's own origin
			}
			return "fetch", true
		}},
	{id: "js/http-client", cat: "egress", sev: "medium", token: "http-client", text: "outbound HTTP call {host}", secondUse: true,
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			base := basePart(c.Callee)
			switch {
			case jsHTTPModules[c.Module] || c.Module == "" && jsHTTPModules[base]:
				return base, true
			case (c.Module == "http" || c.Module == "https" || c.Module == "") && (base == "http" || base == "https") &&
				(c.Callee == base+".request" || c.Callee == base+".get"):
				return c.Callee, true
			case c.New && c.Callee == "WebSocket" && (c.Module == "" || c.Module == "ws"):
				return "WebSocket", true
			}
			return "", false
		}},
	{id: "js/yaml-load", cat: "deserialization", sev: "high", token: "yaml.load",
		match: func(c *syntax.Call, _ *syntax.File, o *options) (string, bool) {
			fn := lastPart(c.Callee)
			if fn != "load" && fn != "loadAll" || strings.Count(c.Callee, ".") != 1 {
				return "", false
			}
			if !(c.Module == "js-yaml" || c.Module == "" && jsYamlNames[basePart(c.Callee)]) {
				return "", false
			}
			for _, a := range c.Args {
				if safeSchema.MatchString(a.Text) {
					return "", false
				}
			}
			if o.jsYamlMajor >= 4 {
				return "", false // v4's load has no !!js types
			}
			return fn, true
		},
		conf: func(c *syntax.Call, o *options) string {
			if o.jsYamlMajor == 0 {
				return "low"
			}
			return "high"
		},
		msg: func(c *syntax.Call, o *options) string {
			if o.jsYamlMajor == 0 {
				return "js-yaml load: safe in js-yaml ≥ 4; in v3 it runs !!js/function tags (the version in force is not in this commit)"
			}
			return "js-yaml " + itoa(o.jsYamlMajor) + ".x load runs !!js/function tags; use safeLoad or js-yaml 4"
		}},
}

// jsProgram is the program a child_process call runs where the source
// names it: execFile("git", …), spawn("npx", …), exec(`git fetch ${b}`).
func jsProgram(c *syntax.Call) string {
	if len(c.Args) == 0 {
		return ""
	}
	a := c.Args[0]
	s := a.Str
	if !a.IsStr {
		t := strings.TrimSpace(a.Text)
		if !strings.HasPrefix(t, "`") {
			return commandVar(t)
		}
		s = strings.Trim(t, "`")
	}
	words := strings.Fields(s)
	if len(words) == 0 || strings.Contains(words[0], "${") {
		return ""
	}
	if len(words) > 1 {
		return subcommand(words[0], words[1])
	}
	if len(c.Args) > 1 {
		if m := listHead.FindStringSubmatch(c.Args[1].Text); m != nil {
			return subcommand(words[0], m[1])
		}
	}
	return words[0]
}

// subcommand names a program with its first argument when that is a word
// (git push, npm publish): the same program with another subcommand does
// something else.
func subcommand(prog, arg string) string {
	if arg == "" || strings.ContainsAny(arg[:1], "-$%{<>|&;") {
		return prog
	}
	return prog + " " + arg
}

// scriptDirs hold the repository's own build, CI and maintenance scripts:
// run by its developers and its CI on its own tree, not shipped.
var scriptDirs = wordSet("scripts", "script", "tools", "tooling", "hack", ".github", "ci")

// scriptProcess lowers a process that a repository script starts without
// a shell (node on a build entry, git ls-files, a helper's command), or a
// shell given one literal command line: what it runs is the script's own
// choice, and no argument is parsed by a shell. A shell command built from
// values stays high: a branch name or a PR title can reach it.
func scriptProcess(c *syntax.Call, p string) (string, string) {
	dirs := strings.Split(p, "/")
	inScripts := false
	for _, d := range dirs[:len(dirs)-1] {
		inScripts = inScripts || scriptDirs[d]
	}
	if !inScripts || len(c.Args) == 0 || strings.Contains(c.Module, "shelljs") {
		return "", ""
	}
	if jsShell(c) {
		// A shell given one literal command line (execSync('esbuild
		// src/cli.ts --bundle')) runs what the script says and nothing else.
		if a := c.Args[0]; a.IsStr && !strings.ContainsAny(a.Str, "$`") {
			return "low", "(a repository script, a fixed command line)"
		}
		return "", ""
	}
	return "low", "(a repository script, no shell)"
}

// jsShell is a child_process call that runs its command line through a
// shell: exec, execSync, or shell: true.
func jsShell(c *syntax.Call) bool {
	fn := lastPart(c.Callee)
	if fn == "exec" || fn == "execSync" {
		return true
	}
	for _, a := range c.Args[min(1, len(c.Args)):] {
		if shellOption.MatchString(a.Text) {
			return true
		}
	}
	return false
}

// pyProgram is the program a subprocess call runs where the source names
// it: run(["git", "log"]), check_output("git log", shell=True).
func pyProgram(c *syntax.Call) string {
	if len(c.Args) == 0 || c.Args[0].Name != "" {
		return ""
	}
	a := c.Args[0]
	if a.IsStr {
		w := strings.Fields(a.Str)
		switch len(w) {
		case 0:
			return ""
		case 1:
			return w[0]
		}
		return subcommand(w[0], w[1])
	}
	if m := pyListHead.FindStringSubmatch(a.Text); m != nil {
		return subcommand(m[1], m[2])
	}
	return commandVar(a.Text)
}

// commandVar names a command held in a variable (Popen(cmd, …)): the same
// variable run again in the file, with other options, is the same process.
func commandVar(t string) string {
	if identifier.MatchString(t) {
		return "$" + t
	}
	return ""
}

var identifier = regexp.MustCompile(`^[A-Za-z_][\w.]*$`)

var (
	// pyListHead is the program of a command list and its first argument
	// when that is a literal: ["git", "push", …].
	pyListHead = regexp.MustCompile(`^[\[(]\s*[rb]?["']([^"'\s]+)["'](?:\s*,\s*[rb]?["']([^"'\s]*)["'])?`)
	// listHead is the first element of an argument list when it is a
	// literal: ["fetch", "origin", …].
	listHead = regexp.MustCompile(`^\[\s*["'` + "`" + `]([^"'` + "`" + `\s$]+)["'` + "`" + `]`)
)

// pyShell is a subprocess call given shell=True.
func pyShell(c *syntax.Call) bool {
	k := c.Keyword("shell")
	return k != nil && k.Text == "True"
}

// jsInterpolated is a command line built from values, not one literal.
func jsInterpolated(c *syntax.Call) bool {
	return len(c.Args) > 0 && !c.Args[0].IsStr && strings.Contains(c.Args[0].Text, "${")
}

var shellOption = regexp.MustCompile(`\bshell\s*:\s*(?:true|['"])`)

var jsImportRules = []importRule{
	{id: "js/child-process-import", cat: "exec", sev: "high", token: "child_process", text: "imports {name}: this module can run processes",
		module: func(m string) bool { return m == "child_process" || m == "execa" || m == "shelljs" }},
	{id: "js/http-client-import", cat: "egress", sev: "medium", token: "{name}", text: "new outbound client: {name}",
		module: jsClientImports.MatchString},
}

// relative reports an argument that is a literal path on the app's own
// origin: '/api/me', `./x`.
func relative(arg string) bool {
	s := strings.TrimLeft(arg, "'\"`")
	return len(s) < len(arg) && (strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") || strings.HasPrefix(s, "."))
}

var (
	pySubprocess = wordSet("subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
		"subprocess.Popen", "subprocess.getoutput", "subprocess.getstatusoutput",
		"asyncio.create_subprocess_shell", "asyncio.create_subprocess_exec",
		"pexpect.spawn", "pexpect.run", "plumbum.local")
	pyOSExec     = regexp.MustCompile(`^os\.(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?)$`)
	pyEvalNames  = wordSet("eval", "exec", "builtins.eval", "builtins.exec")
	pyPickle     = regexp.MustCompile(`^(?:pickle|cPickle|_pickle|dill|cloudpickle|joblib|jsonpickle)\.(?:loads?|Unpickler|decode)$|^shelve\.open$|^marshal\.loads?$`)
	pyYAMLLoad   = wordSet("yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load")
	pySafeLoader = regexp.MustCompile(`^(?:yaml\.)?C?(?:Safe|Base)Loader$`)
	pyHTTP       = regexp.MustCompile(`^(?P<m>requests|httpx|aiohttp|urllib3|urllib\.request|urllib2)\.(?:get|post|put|patch|delete|head|options|request|Session|Client|AsyncClient|ClientSession|stream|urlopen|Request|urlretrieve|PoolManager)$|^(?P<m2>http\.client\.HTTPS?Connection|urlopen)$`)
)

var pyTreeRules = []treeRule{
	{id: "py/subprocess-shell", cat: "exec", sev: "high", token: "subprocess", text: "runs a shell command (shell=True): injection if any argument is user data",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			a := c.Keyword("shell")
			return "", a != nil && a.Text == "True"
		}},
	{id: "py/subprocess", cat: "exec", sev: "high", token: "subprocess", text: "runs a process: {callee}",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			return "", pySubprocess[c.Callee] || c.Module == "sh" && basePart(c.Callee) == "sh"
		},
		// As js/child-process: a program the file already ran is not new
		// unless it now goes through a shell.
		ident: func(c *syntax.Call, _ *syntax.File) string {
			if p := pyProgram(c); p != "" {
				return "runs " + p
			}
			return ""
		},
		changed: func(b, a *syntax.Call) string {
			if pyShell(a) && !pyShell(b) {
				return "now runs " + pyProgram(a) + " through a shell (shell=True)"
			}
			return ""
		}},
	{id: "py/os-system", cat: "exec", sev: "high", token: "os.system", text: "runs a shell command: {callee}",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			return "", pyOSExec.MatchString(c.Callee)
		}},
	{id: "py/eval", cat: "exec", sev: "high", token: "eval", text: "evaluates dynamic code: {callee}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			return "", (c.Module == "" || c.Module == "builtins") && pyEvalNames[c.Callee] && !f.Defined[c.Callee]
		}},
	{id: "py/dynamic-import", cat: "exec", sev: "medium", token: "import_module", text: "imports a module from a computed name (plugin loading)",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			dyn := c.Callee == "importlib.import_module" || c.Callee == "__import__" && c.Module == ""
			return "", dyn && len(c.Args) > 0 && !c.Args[0].IsStr
		}},
	{id: "py/pickle", cat: "deserialization", sev: "high", token: "pickle", text: "deserializes with {callee}: arbitrary code on untrusted input",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			a := c.Keyword("allow_pickle")
			return "", pyPickle.MatchString(c.Callee) || a != nil && a.Text == "True"
		}},
	{id: "py/yaml-load", cat: "deserialization", sev: "high", token: "yaml.load", text: "yaml.load without SafeLoader constructs arbitrary objects",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			if !pyYAMLLoad[c.Callee] {
				return "", false
			}
			if strings.HasPrefix(lastPart(c.Callee), "unsafe") {
				return "", true
			}
			l := c.Keyword("Loader")
			if l == nil && len(c.Args) > 1 && c.Args[1].Name == "" {
				l = &c.Args[1]
			}
			return "", l == nil || !pySafeLoader.MatchString(l.Text)
		}},
	{id: "py/torch-load", cat: "deserialization", sev: "high", token: "torch.load", text: "torch.load unpickles the file; pass weights_only=True",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			w := c.Keyword("weights_only")
			return "", c.Callee == "torch.load" && (w == nil || w.Text != "True")
		}},
	{id: "py/cors-default", cat: "web-config", sev: "medium", token: "cors", text: "Flask-CORS with defaults allows every origin",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			return "", (c.Callee == "flask_cors.CORS" || c.Callee == "CORS" && c.Module == "") && len(c.Args) == 1 && c.Args[0].Name == ""
		}},
	{id: "py/http-client", cat: "egress", sev: "medium", token: "{m}", text: "outbound HTTP call {host}", secondUse: true,
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			m := pyHTTP.FindStringSubmatch(c.Callee)
			if m == nil {
				return "", false
			}
			if m[1] != "" {
				return m[1], true
			}
			return m[2], true
		}},
}

// callHost is the literal URL host among the call's arguments.
func callHost(c *syntax.Call) string {
	for _, a := range c.Args {
		if m := urlRe.FindStringSubmatch(a.Text); m != nil {
			return strings.ToLower(m[1])
		}
	}
	return ""
}

// treeFindings reports the tree rules' constructs that the commit added
// (calls the before file did not make with the same callee and arguments,
// touching an added line: moved or reformatted code is not new) and, for
// rules about removals, the ones it removed (held before, not after,
// touching a removed line).
func treeFindings(lg *language, c *surface.Change, before, after *side, o *options) []surface.Finding {
	if after == nil || after.tree == nil || c.Before != nil && (before == nil || before.tree == nil) {
		return nil
	}
	var bt *syntax.File
	if before != nil {
		bt = before.tree
	}
	addedLines := map[int]bool{}
	for _, l := range c.Added() {
		addedLines[l.No] = true
	}
	removedLines := map[int]bool{}
	for _, l := range c.Removed() {
		removedLines[l.No] = true
	}
	added, removed := syntax.Changes(bt, after.tree, addedLines, removedLines)
	var beforeKeys map[string]bool
	if bt != nil {
		beforeKeys = map[string]bool{}
		for _, con := range bt.Constructs() {
			beforeKeys[con.Key] = true
		}
	}
	idx := sideIndex{}
	p := c.Path()
	ctx := surface.Classify(p)
	inTests := ctx == surface.ContextTest || ctx == surface.ContextFixture
	var out []surface.Finding
	calledModules := map[string]bool{}
	for _, con := range added {
		if con.Call == nil {
			continue
		}
		call := con.Call
		for i := range lg.treeRules {
			r := &lg.treeRules[i]
			m, ok := r.match(call, after.tree, o)
			if !ok {
				continue
			}
			if r.notInTests && inTests {
				break
			}
			if beforeKeys[con.Key] && !r.everyUse {
				break // a second identical use is not new
			}
			if r.cat == "egress" && localHost(call) {
				break // the machine itself, not egress
			}
			if r.pair != nil && !idx.has(r, "pair", bt, o, r.pair(call, after.tree)) {
				continue
			}
			var changedMsg string
			if r.ident != nil && bt != nil {
				if prev := idx.get(r, "ident", bt, o, r.ident(call, after.tree)); prev != nil {
					if r.changed == nil {
						break // the same construct, edited
					}
					if changedMsg = r.changed(prev, call); changedMsg == "" {
						break
					}
				}
			}
			if r.quietNew && m == "" && changedMsg == "" {
				break
			}
			host := callHost(call)
			if r.secondUse && bt != nil && usedBefore(r, bt, call, o) && (host == "" || strings.Contains(string(bt.Src), host)) {
				break
			}
			line := firstChanged(startLine(call), call.EndLine, addedLines)
			conf := resolvedConf(call, o)
			if r.conf != nil {
				conf = r.conf(call, o)
			}
			msg := strings.NewReplacer("{m}", m, "{callee}", call.Callee).Replace(r.text)
			msg = strings.TrimSpace(strings.ReplaceAll(msg, "{host}", host))
			if r.msg != nil {
				msg = r.msg(call, o)
			}
			if changedMsg != "" {
				msg = changedMsg
			}
			sev := r.sev
			if r.lower != nil {
				if lo, note := r.lower(call, p); lo != "" {
					sev, msg = lo, msg+" "+note
				}
			}
			msg = flat(msg)
			tok := strings.ReplaceAll(r.token, "{m}", m)
			if r.cat == "egress" && host != "" {
				tok = host
			}
			if call.Module != "" {
				calledModules[call.Module] = true
			}
			out = append(out, surface.Finding{
				Category: r.cat, Rule: r.id, Severity: sev, Confidence: conf, File: p,
				Line: line, EndLine: line, Side: surface.SideNew,
				Evidence: evidence(lineOf(after, line)), Message: msg, Token: tok,
			})
			break // one rule per call: the first, most specific
		}
	}
	// A removal matters where the file stays: deleting a file takes its
	// routes with its checks.
	if bt != nil && c.After != nil {
		for _, con := range removed {
			if con.Call == nil {
				continue
			}
			call := con.Call
			for i := range lg.treeRules {
				r := &lg.treeRules[i]
				m, ok := r.match(call, bt, o)
				if !ok {
					continue
				}
				if r.removed == "" {
					break
				}
				if r.pair != nil && !idx.has(r, "pair-after", after.tree, o, r.pair(call, bt)) {
					break
				}
				if r.ident != nil && idx.get(r, "ident-after", after.tree, o, r.ident(call, bt)) != nil {
					break // still there, edited
				}
				line := firstChanged(startLine(call), call.EndLine, removedLines)
				text := r.oldText
				if text == "" {
					text = r.text + " (removed)"
				}
				msg := flat(strings.NewReplacer("{m}", m, "{callee}", call.Callee, " {host}", "", "{host}", "").Replace(text))
				out = append(out, surface.Finding{
					Category: r.cat, Rule: r.id, Severity: r.removed, Confidence: resolvedConf(call, o), File: p,
					Line: line, EndLine: line, Side: surface.SideOld,
					Evidence: evidence(lineOf(before, line)), Message: msg, Token: strings.ReplaceAll(r.token, "{m}", m),
				})
				break
			}
		}
	}
	for _, con := range added {
		im := con.Import
		if im == nil || calledModules[im.Module] || bt != nil && bt.Imported(im.Module) {
			continue
		}
		for _, r := range lg.importRules {
			if !r.module(im.Module) {
				continue
			}
			out = append(out, surface.Finding{
				Category: r.cat, Rule: r.id, Severity: r.sev, Confidence: "high", File: p,
				Line: im.Line, EndLine: im.Line, Side: surface.SideNew,
				Evidence: evidence(lineOf(after, im.Line)), Message: strings.ReplaceAll(r.text, "{name}", im.Module),
				Token: strings.ReplaceAll(r.token, "{name}", im.Module),
			})
			calledModules[im.Module] = true // one import line may bind several names
			break
		}
	}
	return out
}

// sideIndex holds, per rule, the idents (of the calls the rule matches)
// or pairs (of every call) of one side, built on first use.
type sideIndex map[indexKey]map[string]*syntax.Call

type indexKey struct {
	r     *treeRule
	which string
}

func (x sideIndex) build(r *treeRule, which string, f *syntax.File, o *options) map[string]*syntax.Call {
	k := indexKey{r, which}
	if m, ok := x[k]; ok {
		return m
	}
	m := map[string]*syntax.Call{}
	pair := which == "pair" || which == "pair-after"
	if f != nil {
		for i := range f.Calls {
			c := &f.Calls[i]
			var id string
			if pair {
				id = r.pair(c, f)
			} else if _, ok := r.match(c, f, o); ok {
				id = r.ident(c, f)
			}
			if _, dup := m[id]; id != "" && !dup {
				m[id] = c
			}
		}
	}
	x[k] = m
	return m
}

func (x sideIndex) get(r *treeRule, which string, f *syntax.File, o *options, id string) *syntax.Call {
	if id == "" {
		return nil
	}
	return x.build(r, which, f, o)[id]
}

func (x sideIndex) has(r *treeRule, which string, f *syntax.File, o *options, id string) bool {
	return x.get(r, which, f, o, id) != nil
}

// usedBefore reports that the before file already made a call this rule
// matches through the same client (requests.get after requests.patch): the
// first egress through a client to a host is what the reviewer needs, not
// each later call.
func usedBefore(r *treeRule, bt *syntax.File, call *syntax.Call, o *options) bool {
	for i := range bt.Calls {
		b := &bt.Calls[i]
		if client(b) != client(call) {
			continue
		}
		if _, ok := r.match(b, bt, o); ok {
			return true
		}
	}
	return false
}

// client is the module a call goes through, or its callee's first name.
func client(c *syntax.Call) string {
	if c.Module != "" {
		return c.Module
	}
	return basePart(c.Callee)
}

func firstChanged(from, to int, changed map[int]bool) int {
	for n := from; n <= to; n++ {
		if changed[n] {
			return n
		}
	}
	return from
}

func lineOf(s *side, n int) string {
	if n >= 1 && n <= len(s.orig) {
		return strings.TrimSuffix(s.orig[n-1], "\r")
	}
	return ""
}

var localHosts = regexp.MustCompile(`(?i)^['"` + "`" + `]?(?:https?|wss?)://(?:localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)[:/'"` + "`" + `]`)

// localHost reports a call whose URL argument names this machine.
func localHost(c *syntax.Call) bool {
	if len(c.Args) == 0 {
		return false
	}
	t := c.Args[0].Text
	return localHosts.MatchString(t) || strings.Contains(t, "hostname: 'localhost'") || strings.Contains(t, "host: 'localhost'") ||
		strings.Contains(t, "hostname: '127.0.0.1'") || strings.Contains(t, "host: '127.0.0.1'")
}

// startLine is where a call begins as a reader sees it: in a chain
// (program.command('x').option('--y')) the call node starts at the chain's
// head, so the line of its first argument stands for it.
func startLine(c *syntax.Call) int {
	if (strings.HasPrefix(c.Callee, "?.") || strings.Contains(c.Written, "\n")) && len(c.Args) > 0 && c.Args[0].Line > c.Line {
		return c.Args[0].Line
	}
	return c.Line
}

// flat is a message on one line, runs of space collapsed: a callee written
// over several lines (this.server\n  .listen) reads as one.
func flat(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}
