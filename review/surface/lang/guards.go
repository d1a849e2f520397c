package lang

import (
	"path"
	"regexp"
	"strings"

	"github.com/vouch-review/vouch/review/surface"
)

// Decisions inside the functions that decide: a guard (checkWritePermissions,
// is_allowed, verify_token, ensureHumanActor) whose branches, returns or
// throws the commit changes decides differently who gets in; a redaction
// function (redactSecrets, sanitizeContent, _filter_sensitive_data) whose
// body changes, or a call to one added or dropped, changes what reaches a
// log, a comment or a model. The function is found by its header above the
// line, at a smaller indent.

var (
	// guardFunc is a function whose name says it decides access.
	guardFunc = regexp.MustCompile(`(?i)^_*(?:check|validate|verify|ensure|assert|authori[sz]e|authenticate|require|can|has|is|should|may|enforce)_?\w*?(?:permission|access|auth|allowed|allow|actor|human|admin|role|write|owner|trusted|member|collaborator|scope|login|token|approv|sandbox|origin)\w*$`)
	// redactFunc is a function whose name says it hides secrets from output.
	redactFunc = regexp.MustCompile(`(?i)^_*(?:redact\w*|scrub\w*|censor\w*|mask_?(?:secret|token|sensitive|key|password|credential|header)\w*|sanitize_?(?:content|secret|token|output|log|sensitive|credential|env|header|message|body)\w*|filter_?sensitive\w*)$`)

	// pathGuardFunc is a function whose name says it checks a file path.
	pathGuardFunc = regexp.MustCompile(`(?i)^_*(?:(?:validate|check|assert|sanitize|safe|verify)_?\w*?(?:path|file_?name|within|inside|traversal)\w*|is_?\w*?(?:within|inside|safe_?path|traversal)\w*)$`)

	jsFuncHeaders = []*regexp.Regexp{
		regexp.MustCompile(`^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)`),
		regexp.MustCompile(`^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)`),
		regexp.MustCompile(`^\s*(?:(?:public|private|protected|static|async|override|readonly)\s+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\([^;]*$`),
	}
	pyFuncHeader = regexp.MustCompile(`^\s*(?:async\s+)?def\s+(\w+)`)
	notAFunc     = wordSet("if", "for", "while", "switch", "catch", "return", "function", "await", "typeof", "new", "else", "super", "elif", "with")
)

// toolListHeader opens a list of the tools a model is offered:
// export const snapshotTools: Tool[] = [, TOOLS = [, tools: [.
var toolListHeader = regexp.MustCompile(`^\s*(?:export\s+)?(?:(?:const|let|var)\s+)?(?:self\.)?([A-Za-z_$][\w$]*[tT]ools|TOOLS|[A-Z_]*_TOOLS)\s*(?::[^=]*)?[:=]\s*(?:\w+\s*\(\s*)?\[\s*$`)

// permissionList is a list of tools by what they may do, not the tools on
// offer: tool-permission reads those.
var permissionList = regexp.MustCompile(`(?i)^(?:allowed|disallowed|blocked|denied|excluded|approved|auto_?approved?)`)

// inToolList reports a line directly inside such a list.
func inToolList(h *hit) bool {
	if h.in == nil || h.v.no < 2 || h.v.no > len(h.in.code) {
		return false
	}
	lines := h.in.code
	indent := indentOf(lines[h.v.no-1])
	for i := h.v.no - 2; i >= 0 && i >= h.v.no-1-maxHeaderScan; i-- {
		l := lines[i]
		if strings.TrimSpace(l) == "" {
			continue
		}
		if indentOf(l) < indent {
			m := toolListHeader.FindStringSubmatch(l)
			// [tool for cap in layers …] builds a list; it adds no tool.
			comprehension := h.v.no < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[h.v.no]), "for ")
			return m != nil && !permissionList.MatchString(m[1]) && !comprehension
		}
	}
	return false
}

// mcpConfigNear is an MCP server configuration being built.
var mcpConfigNear = regexp.MustCompile(`mcpServers|mcp_servers|McpServerConfig|McpStdioServerConfig|StdioServerParameters`)

// inMCPConfig reports a line within a few lines under an MCP server
// configuration.
func inMCPConfig(h *hit) bool {
	if h.in == nil {
		return false
	}
	from := max(0, h.v.no-1-8)
	for i := from; i < h.v.no && i < len(h.in.text); i++ {
		if mcpConfigNear.MatchString(h.in.text[i]) {
			return true
		}
	}
	return false
}

// maxHeaderScan bounds how far up a tool list's header is looked for.
const maxHeaderScan = 400

// enclosingFunc is the name of the function around the hit's line, "" at
// the top level or when its content is unknown.
func enclosingFunc(h *hit) string {
	if h.in == nil || h.v.no < 1 || h.v.no > len(h.in.code) {
		return ""
	}
	h.in.funcsOnce.Do(func() { h.in.funcs = functionsOf(h.in.code, strings.HasSuffix(h.file, ".py")) })
	return h.in.funcs[h.v.no-1]
}

// functionsOf names the function around each line in one pass: the lines
// above it at a smaller indent, nearest first, form its chain of enclosing
// blocks, and the nearest that is a function header names it. A class (in
// Python) or an unnamed top-level block ends the chain.
func functionsOf(lines []string, py bool) []string {
	type open struct {
		indent int
		name   string
		stop   bool
	}
	var stack []open
	out := make([]string, len(lines))
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			if i > 0 {
				out[i] = out[i-1]
			}
			continue
		}
		in := indentOf(l)
		for len(stack) > 0 && stack[len(stack)-1].indent >= in {
			stack = stack[:len(stack)-1]
		}
		for k := len(stack) - 1; k >= 0; k-- {
			if stack[k].name != "" {
				out[i] = stack[k].name
				break
			}
			if stack[k].stop {
				break
			}
		}
		o := open{indent: in}
		if py {
			if m := pyFuncHeader.FindStringSubmatch(l); m != nil {
				o.name = m[1]
			}
			o.stop = strings.HasPrefix(strings.TrimSpace(l), "class ")
		} else {
			for _, re := range jsFuncHeaders {
				if m := re.FindStringSubmatch(l); m != nil && !notAFunc[m[1]] {
					o.name = m[1]
					break
				}
			}
			o.stop = in == 0
		}
		stack = append(stack, o)
	}
	return out
}

func indentOf(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case ' ':
			n++
		case '\t':
			n += 4
		default:
			return n
		}
	}
	return len(s) + 1 // a blank line is inside everything
}

func inGuard(h *hit) bool { return isGuardFunc(enclosingFunc(h)) }

// isGuardFunc is a guard's name, not one about a model's tokens
// (requiresMaxCompletionTokens, countPromptTokens).
func isGuardFunc(name string) bool {
	return guardFunc.MatchString(name) && !llmTokens.MatchString(name) && !classifier.MatchString(name)
}

// classifier is a name that sorts a value rather than deciding access:
// isConnectionAuthError, isOAuthResumeAuthKind, isAuthHeader.
var classifier = regexp.MustCompile(`(?:Errors?|Kind|Type|Url|URL|Uri|URI|Header|Message|Step|Label|Text|Name|Icon|Visibility|Visible|Display|Style|Count|_error|_kind|_type|_url|_header|_message|_visible|_count)$`)

// llmTokens is a name about a language model's tokens.
var llmTokens = regexp.MustCompile(`(?i)(?:completion|max|input|output|prompt|context|cost|count|num|total|reasoning|cached)_?tokens?\b|tokens?_?(?:count|limit|usage|budget|per)`)

func inRedact(h *hit) bool { return redactFunc.MatchString(enclosingFunc(h)) }

// credStoreFunc is a function whose name says it keeps a credential.
var credStoreFunc = regexp.MustCompile(`(?i)^_*(?:save|store|persist|write|cache|remember)_?\w*?(?:api_?key|token|secret|credential|password|auth)s?(?:_?(?:to_?)?(?:file|disk|config))?$`)

func inCredStore(h *hit) bool { return credStoreFunc.MatchString(enclosingFunc(h)) }
func inPathGuard(h *hit) bool {
	return pathGuardFunc.MatchString(enclosingFunc(h)) && !isGuardFunc(enclosingFunc(h))
}

// pathCheckCall is a call to a path check: validatePathWithinRepo(p),
// secure_filename(name), isPathInside(root, p).
const pathCheckCall = `\b(?P<name>(?:validate|check|assert|sanitize|verify)_?\w*?(?:Path|File[nN]ame|Within|Inside|Traversal|_path|_filename|_within|_inside)\w*|is_?(?:[pP]ath)?_?(?:[wW]ithin|[iI]nside|[sS]afe_?[pP]ath)\w*|secure_filename|safe_?[jJ]oin)\s*\(`

// toolPermission is a line that writes which tools an agent may run
// without asking, or how approval works.
const toolPermission = `\b(?:allowed_?[tT]ools|disallowed_?[tT]ools|allowed_?[cC]ommands|auto_?[aA]pprove\w*|always_?[aA]llow\w*|permission_?[mM]ode|dangerously_?[sS]kip_?[pP]ermissions|bypass_?[pP]ermissions|approval_?[pP]olicy|require_?[aA]pproval\w*|tool_?[pP]ermissions?|permission_?[pP]rompt_?[tT]ool\w*|can_?[uU]se_?[tT]ool)\b\s*(?:[:=]|\.\s*(?:push|concat|add|splice|extend|append|update)\b|\[)`

// denyWords is a refusal in words, the first words of a message.
const denyWords = `(?i:not authenticated|unauthori[sz]ed|unauthenticated|forbidden|permission denied|access denied|not authori[sz]ed|authentication required|login required)\b`

// The access decisions of tree_surface.go on lines, for a file without a
// tree (one with a syntax error): a 401/403 answered, an access exception
// thrown, a call refusing in words. A log line is not a decision.
var (
	jsDenyLineRules = notInTests([]rule{
		{id: "js/auth-deny", tree: true, cat: "auth", sev: "medium", removed: "high", token: "deny", text: true,
			re:     re(`(?P<name>\.\s*(?:status|sendStatus|code|writeHead)\s*\(\s*(?:401|403|[\w.]*(?:UNAUTHORIZED|FORBIDDEN))\b|\bnew\s+(?:UnauthorizedException|ForbiddenException)\b|\b[\w$.]+\s*\(\s*['"` + "`" + `]` + denyWords + `)`),
			unless: re(`\bconsole\s*\.|\bexpect\s*\(|\blog(?:ger)?\s*\.\s*\w+\s*\(`),
			msg:    "access decision: {name}", oldMsg: "removes an access denial ({name}): the request now goes through"},
	})
	// Tokens issued and checked, and telemetry SDKs, the tree rules' twins.
	jsTokenLineRules = []rule{
		{id: "js/token-issue", tree: true, cat: "auth", sev: "medium", token: "jwt.sign",
			re: re(`(?P<name>\bjwt\s*\.\s*sign|\bnew\s+SignJWT)\s*\(`), fileHas: re(`jsonwebtoken|['"]jose['"]`),
			msg: "issues a token ({name})"},
		{id: "js/auth-compare", tree: true, cat: "auth", sev: "medium", removed: "high", token: "timingSafeEqual",
			re:  re(`\btimingSafeEqual\s*\(`),
			msg: "checks a secret, signature or token (crypto.timingSafeEqual)", oldMsg: "removes a constant-time check of a secret, signature or token"},
	}
	// A tool defined through a wrapper (defineTool({ schema, handle })):
	// tree_agent.go's js/llm-tool, from the lines around the call.
	jsToolLineRules = notInTests([]rule{
		{id: "js/llm-tool", tree: true, cat: "entry-point", sev: "medium", token: "llm-tool",
			re: re(`\b(?P<name>(?:define|create|make|build)[A-Z]?\w*Tool)\s*\(\s*\{`),
			check: func(h *hit) bool {
				a := h.around(40)
				return toolSchemaKey.MatchString(a) && toolHandlerKey.MatchString(a)
			},
			msg: "new tool a model can call, defined with {name}() (its arguments are the model's to choose)"},
	})
	pyTokenLineRules = []rule{
		{id: "py/token-issue", tree: true, cat: "auth", sev: "medium", token: "jwt",
			re: re(`(?P<name>\bjwt\s*\.\s*encode|\bcreate_(?:access|refresh)_token)\s*\(`), fileHas: re(`(?m)flask_jwt_extended|^\s*(?:import|from)\s+(?:jwt|jose)\b`),
			msg: "issues a token ({name})"},
		{id: "py/jwt-verify", tree: true, cat: "auth", sev: "medium", removed: "high", token: "jwt",
			re: re(`\bjwt\s*\.\s*decode\s*\(`), fileHas: re(`(?m)^\s*(?:import|from)\s+(?:jwt|jose)\b`),
			msg: "validates a token (jwt.decode)", oldMsg: "token validation removed (jwt.decode)"},
		{id: "py/auth-compare", tree: true, cat: "auth", sev: "medium", removed: "high", token: "compare_digest",
			re:  re(`\b(?P<name>(?:hmac|secrets)\s*\.\s*compare_digest)\s*\(`),
			msg: "checks a secret, signature or token ({name})", oldMsg: "removes a constant-time check of a secret, signature or token ({name})"},
		{id: "py/telemetry", tree: true, cat: "egress", sev: "medium", token: "{name}",
			re:  re(`\b(?P<name>sentry_sdk|posthog|logfire|langfuse|langsmith|ddtrace|newrelic|rollbar|bugsnag|mixpanel|amplitude)\s*\.\s*(?:init|Posthog|Client|configure|Langfuse|get_client|patch_all|agent\s*\.\s*initialize|Mixpanel|Amplitude)\s*\(`),
			msg: "sends telemetry with {name}"},
	}
	pyDenyLineRules = notInTests([]rule{
		{id: "py/auth-deny", tree: true, cat: "auth", sev: "medium", removed: "high", token: "deny", text: true,
			re:     re(`(?P<name>\braise\s+(?:[\w.]*\.)?(?:PermissionError|PermissionDenied|NotAuthenticated|AuthenticationFailed|Unauthorized|Forbidden|HTTPUnauthorized|HTTPForbidden|AccessDenied|PermissionDeniedError)\b|\bstatus(?:_code)?\s*=\s*(?:401|403|[\w.]*HTTP_40[13]\w*)\b|\babort\s*\(\s*40[13]\b|\b[\w.]+\s*\(\s*[fr]?['"]` + denyWords + `)`),
			unless: re(`\blog(?:ger|ging)?\s*\.\s*\w+\s*\(|\bprint\s*\(`),
			msg:    "access decision: refuses with {name}", oldMsg: "removes an access denial ({name}): the request now goes through"},
	})
)

// noValue is a setting given nothing (None, null, undefined, nil): it
// decides no permission.
const noValue = `[:=]\s*(?:None|null|undefined|nil)\s*,?\s*(?:(?:#|//).*)?$` +
	// a bypass turned off, an approval required: the safe setting
	`|(?i:dangerously_?skip_?permissions|bypass_?permissions|auto_?approve\w*|always_?allow\w*)["']?\s*[:=]\s*(?:false|False)\b` +
	`|(?i:require_?approval\w*)["']?\s*[:=]\s*(?:true|True)\b` +
	// a parameter's or field's type inline: { dangerouslySkipPermissions: boolean }
	`|[\w$]\??\s*:\s*(?:boolean|string|number|bool|str|int)(?:\s*\[\])?\s*[;,})]` +
	// a field's type, declared (TypeScript, Python annotations): no value
	`|^\s*(?:readonly\s+)?[\w$]+\??\s*:\s*(?:` + typeName + `)(?:\s*\|\s*(?:` + typeName + `))*\s*(?:=\s*(?:field\s*\(\s*default_factory\s*=\s*\w+\s*\)|\[\]|\{\}))?\s*[;,]?\s*(?:(?:#|//).*)?$`

// typeName is a type as a declaration spells it: string[], Array<Tool>,
// list[str], Optional[str].
const typeName = `(?:string|number|boolean|unknown|any|str|int|bool|[A-Za-z_][\w.]*\s*[<\[][^=;]*[>\]]|[A-Z]\w*)(?:\s*\[\])*`

var jsGuardRules = notInTests(append(functionRules("js"), []rule{
	{id: "js/mcp-config-command", cat: "exec", sev: "medium", token: "mcp-command", check: inMCPConfig, text: true,
		re:  re(`^\s*["']?command["']?\s*:\s*(?P<name>["'` + "`" + `][^"'` + "`" + `]+["'` + "`" + `]|[\w.]+)`),
		msg: "configures an MCP server the agent starts: {name}"},
	{id: "js/tool-list", cat: "entry-point", sev: "medium", removed: "low", token: "llm-tool", check: inToolList,
		re:     re(`^\s*(?P<name>(?:\.\.\.)?[A-Za-z_$][\w$.]*(?:\([^()]*\))?)\s*,?\s*$`),
		msg:    "offers {name} to the model: it joins the tools a model can call",
		oldMsg: "takes {name} out of the tools a model can call"},
	{id: "js/path-check-call", cat: "file", sev: "medium", removed: "high", token: "path-check",
		re:     re(pathCheckCall),
		unless: re(`\bfunction\s+\w+\s*\(`),
		msg:    "file paths now go through {name}()",
		oldMsg: "file paths no longer go through {name}(): nothing keeps them inside"},
	{id: "js/guard-decision", cat: "auth", sev: "medium", removed: "medium", token: "guard", check: inGuard, onceFunc: true, lits: []string{"if", "return", "throw"},
		re: re(`\bif\s*\(|\breturn\s+(?:true|false)\b|\bthrow\s+new\s+\w+|\breturn\s+[\w.!]+\s*(?:===|!==|==|!=|&&|\|\|)`), wholeLine: true,
		msg:    "changes an access decision in {func}(): who gets through is decided differently",
		oldMsg: "removes an access decision from {func}()"},
	{id: "js/redaction-call", cat: "logging", sev: "low", removed: "medium", token: "redact", check: redactedStays,
		re:     re(`\b(?P<name>(?:redact|scrub|censor)\w*|mask(?:Secret|Token|Sensitive|Key|Password|Credential|Header)\w*|sanitize(?:Content|Secret|Token|Output|Log|Sensitive|Credential|Env|Header|Message|Body)\w*|filterSensitive\w*)\s*\(`),
		unless: re(`\b(?:function|def)\s+\w+\s*\(`),
		msg:    "output now passes through {name}() before it leaves",
		oldMsg: "output no longer passes through {name}(): what it hid now leaves"},
}...))

var pyGuardRules = notInTests(append(functionRules("py"), []rule{
	{id: "py/mcp-config-command", cat: "exec", sev: "medium", token: "mcp-command", check: inMCPConfig, text: true,
		re:  re(`^\s*["']?command["']?\s*[:=]\s*(?P<name>["'][^"']+["']|[\w.]+)`),
		msg: "configures an MCP server the agent starts: {name}"},
	{id: "py/tool-list", cat: "entry-point", sev: "medium", removed: "low", token: "llm-tool", check: inToolList,
		re:     re(`^\s*(?P<name>[A-Za-z_][\w.]*(?:\([^()]*\))?)\s*,?\s*$`),
		msg:    "offers {name} to the model: it joins the tools a model can call",
		oldMsg: "takes {name} out of the tools a model can call"},
	{id: "py/path-check-call", cat: "file", sev: "medium", removed: "high", token: "path-check",
		re:     re(pathCheckCall),
		unless: re(`\bdef\s+\w+\s*\(`),
		msg:    "file paths now go through {name}()",
		oldMsg: "file paths no longer go through {name}(): nothing keeps them inside"},
	{id: "py/guard-decision", cat: "auth", sev: "medium", removed: "medium", token: "guard", check: inGuard, onceFunc: true, lits: []string{"if", "return", "raise"},
		re: re(`^\s*(?:el)?if\b|\breturn\s+(?:True|False)\b|\braise\s+\w+`), wholeLine: true,
		msg:    "changes an access decision in {func}(): who gets through is decided differently",
		oldMsg: "removes an access decision from {func}()"},
	{id: "py/redaction-call", cat: "logging", sev: "low", removed: "medium", token: "redact", check: redactedStays,
		re:     re(`\b(?P<name>_*(?:redact|scrub|censor)\w*|_*mask_(?:secret|token|sensitive|key|password|credential|header)\w*|_*sanitize_(?:content|secret|token|output|log|sensitive|credential|env|header|message|body)\w*|_*filter_sensitive\w*)\s*\(`),
		unless: re(`\b(?:function|def)\s+\w+\s*\(`),
		msg:    "output now passes through {name}() before it leaves",
		oldMsg: "output no longer passes through {name}(): what it hid now leaves"},
}...))

// uiPassThrough is a line of a React component that hands a permission
// setting on without deciding it: a prop given a variable
// (`dangerouslySkipPermissions: bypassEnabled,`) or a value derived from
// state (`const dangerouslySkipPermissions = useMemo(…)`). Where the
// setting is written (`updates.dangerouslySkipPermissions = saved`) or
// given a literal, it is reported.
var uiPassThrough = regexp.MustCompile(`^\s*(?:[\w$]+\??\s*:\s*[A-Za-z_$][\w$]*(?:\??\.[\w$]+)*\s*,?|(?:const|let|var)\s+[\w$]+\s*=\s*(?:useMemo|useCallback|useState|use[A-Z]\w*)\s*\(.*)\s*$`)

func permissionWritten(h *hit) bool {
	if ext := path.Ext(h.file); ext != ".tsx" && ext != ".jsx" {
		return true
	}
	return !uiPassThrough.MatchString(h.v.orig)
}

// redactedStays keeps a removed redaction only where what it hid is still
// in the file: a masked API key taken out together with the key it masked
// leaks nothing.
func redactedStays(h *hit) bool {
	if h.side != surface.SideOld || h.other == nil {
		return true
	}
	arg := identChain.FindString(strings.TrimLeft(h.v.code[h.loc[1]:], " \t"))
	if arg == "" || !strings.HasPrefix(strings.TrimLeft(h.v.code[h.loc[1]:], " \t"), arg) {
		return true
	}
	return strings.Contains(spaces.ReplaceAllString(h.other.whole, ""), spaces.ReplaceAllString(arg, ""))
}

// notInTests keeps rules out of test files: a test's guard, tool list,
// path check or fake credential store is its own scaffolding.
func notInTests(rs []rule) []rule {
	for i := range rs {
		rs[i].path = notTest
	}
	return rs
}

func notTest(p string) bool { return !surface.IsTestFileName(p) }

// functionRules are the rules both languages share: what a function's name
// says it does (keeps a credential, checks a path, redacts) and lines that
// write an agent's tool permissions. lang prefixes the rule ids.
func functionRules(lang string) []rule {
	return []rule{
		{id: lang + "/credential-store", cat: "file", sev: "medium", token: "credential-store", check: inCredStore, onceFunc: true,
			re: re(`^\s*\S`), wholeLine: true,
			msg: "keeps a credential on disk or in a store ({func}): who else can read it there?"},
		{id: lang + "/path-check", cat: "file", sev: "medium", removed: "high", token: "path-check", check: inPathGuard, onceFunc: true,
			re: re(`^\s*\S`), wholeLine: true,
			msg:    "changes how {func}() checks a file path",
			oldMsg: "changes how {func}() checks a file path"},
		{id: lang + "/tool-permission", cat: "auth", sev: "medium", removed: "medium", token: "tool-permission", once: true,
			re: re(toolPermission), wholeLine: true, unless: re(noValue), check: permissionWritten,
			msg:    "changes which tools run without asking, or how approval works",
			oldMsg: "changes which tools run without asking, or how approval works"},
		{id: lang + "/redaction", cat: "logging", sev: "low", removed: "medium", token: "redact", check: inRedact, onceFunc: true,
			re: re(`^\s*\S`), wholeLine: true,
			msg:    "changes what {func}() hides from output (secrets, tokens)",
			oldMsg: "changes what {func}() hides from output (secrets, tokens)"},
	}
}
