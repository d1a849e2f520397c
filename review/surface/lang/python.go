package lang

import "strings"

// Python: Flask, FastAPI, Django, Celery; subprocess/os, pickle/yaml,
// requests/httpx/urllib/aiohttp, ssl, hashlib, DRF permissions.
// pyNativeLoad is a native library loaded or raw memory touched.
const pyNativeLoad = `\bctypes\s*\.\s*(?:CDLL|WinDLL|PyDLL|OleDLL|cast|memmove|memset|string_at)\b|\b(?:cdll|windll)\s*\.\s*LoadLibrary\s*\(|\bFFI\s*\(\s*\)|\bffi\s*\.\s*(?:dlopen|cdef)\s*\(`

// pyWebFramework is an import of a web framework, whose request objects
// carry uploads.
const pyWebFramework = `(?m)^\s*(?:from|import)\s+(?:flask|werkzeug|fastapi|starlette|django|quart|sanic|litestar|bottle|falcon|aiohttp|tornado|pyramid)\b`

var pyRules = []rule{
	// entry-point
	{id: "py/route-decorator", tree: true, cat: "entry-point", sev: "medium", token: "route",
		re:  re(`@\s*\w+\s*\.\s*(?P<m>route|get|post|put|patch|delete|websocket|api_route|api_view)\s*\(\s*(?:[rRuU]?` + lit + `)?`),
		msg: "new route {m} {lit}"},
	{id: "py/drf-view", cat: "entry-point", sev: "medium", token: "route",
		re:  re(`@api_view\s*\(|\bclass\s+\w+\s*\(\s*[\w.]*(?:APIView|ViewSet|ModelViewSet|GenericAPIView|GenericViewSet)\b`),
		msg: "new API view: {match}"},
	{id: "py/django-url", tree: true, cat: "entry-point", sev: "medium", token: "route", path: base("urls.py"),
		re:  re(`\b(?:path|re_path|url)\s*\(\s*[rRuU]?` + lit),
		msg: "new route /{lit}"},
	{id: "py/listener", tree: true, cat: "entry-point", sev: "medium", token: "listen",
		re:  re(`\b(?:uvicorn|web|socketio|sio|app)\s*\.\s*run(?:_app)?\s*\(|\.\s*bind\s*\(\s*\(|\b(?:HTTPServer|ThreadingHTTPServer|TCPServer|UDPServer|ThreadingTCPServer)\s*\(|\basyncio\s*\.\s*start_(?:unix_)?server\s*\(|\bserve_forever\s*\(|\bwebsockets\s*\.\s*serve\s*\(`),
		msg: "new listener: {match}"},
	{id: "py/consumer", cat: "entry-point", sev: "medium", token: "consumer",
		re:  re(`@\s*(?:\w+\s*\.\s*task|shared_task|\w+\s*\.\s*on|\w+\s*\.\s*event|\w+\s*\.\s*subscriber|\w+\s*\.\s*agent)\b`),
		msg: "new task/event consumer: {match}"},

	{id: "py/cli-unsafe-flag", tree: true, cat: "entry-point", sev: "high", token: "cli-flag", text: true,
		re:  re(`\b(?:add_argument|option|Option)\s*\(\s*(?:['"]-\w['"]\s*,\s*)?['"](?P<name>--(?:yolo|dangerously[-\w]*|[-\w]*skip[-_]?(?:permissions?|approvals?|verify|sandbox|confirm\w*)|no[-_]?(?:verify|sandbox|confirm|auth)|auto[-_]?(?:approve|accept|confirm)[-\w]*|yes[-_]?always|allow[-_]?all[-\w]*|trust[-_]?all|insecure|bypass[-\w]*|unsafe[-\w]*))['"]`),
		msg: "new command-line flag {name} that turns a safety off"},
	{id: "py/cli-flag", tree: true, cat: "entry-point", sev: "low", token: "cli-flag", text: true,
		re:  re(`\b(?:add_argument|click\s*\.\s*option|typer\s*\.\s*Option|\.\s*option)\s*\(\s*(?:['"]-\w['"]\s*,\s*)?['"](?P<name>--?[\w][-\w]*)['"]`),
		msg: "new command-line flag {name}"},
	{id: "py/cli-command", tree: true, cat: "entry-point", sev: "low", token: "cli-command", text: true,
		re:      re(`@\s*(?:click|\w+)\s*\.\s*(?:command|group)\s*\(|\badd_parser\s*\(\s*['"](?P<name>[\w-]+)`),
		fileHas: re(`\bclick\b|\btyper\b|\bargparse\b`),
		msg:     "new command {name}"},
	{id: "py/mcp-tool", tree: true, cat: "entry-point", sev: "medium", token: "mcp",
		fileHas: re(`\bFastMCP\b|\bfrom\s+mcp\b|\bimport\s+mcp\b|\bfastmcp\b`),
		re:      re(`@\s*\w+\s*\.\s*(?:tool|resource|prompt)\s*\(|\.\s*add_tool\s*\(`),
		msg:     "registers an MCP tool: a model can call it"},
	{id: "py/mcp-tool", cat: "entry-point", sev: "medium", token: "mcp",
		fileHas: re(`\bFastMCP\b|\bfrom\s+mcp\b|\bimport\s+mcp\b|\bfastmcp\b`),
		re:      re(`@\s*\w+\s*\.\s*(?:tool|resource|prompt)\s*$`),
		msg:     "registers an MCP tool: a model can call it"},
	{id: "py/mcp-http", tree: true, cat: "entry-point", sev: "high", token: "mcp-http", text: true,
		fileHas: re(`\bFastMCP\b|\bfrom\s+mcp\b|\bfastmcp\b`),
		re:      re(`\.\s*run\s*\(\s*(?:transport\s*=\s*)?['"](?:sse|streamable-http|http)['"]|\.\s*(?:sse_app|streamable_http_app)\s*\(`),
		msg:     "serves MCP over HTTP: any local process or page that reaches the port can call its tools unless it checks who calls"},
	{id: "py/telemetry", cat: "egress", sev: "medium", token: "{m}",
		re:      re(`\b(?P<m>sentry_sdk|posthog|analytics|mixpanel|amplitude|segment)\s*\.\s*(?:init|Posthog|Client|capture|track|identify)\s*\(|\b(?P<m2>Posthog|Mixpanel|Amplitude)\s*\(`),
		fileHas: re(`\bimport\s+(?:sentry_sdk|posthog|analytics|mixpanel|amplitude)\b|\bfrom\s+(?:sentry_sdk|posthog|mixpanel|amplitude|segment)\b`),
		msg:     "sends telemetry with {m}"},

	// exec
	{id: "py/subprocess-shell", tree: true, cat: "exec", sev: "high", token: "subprocess",
		re:  re(`\bshell\s*=\s*True\b`),
		msg: "runs a shell command (shell=True): injection if any argument is user data"},
	{id: "py/subprocess", tree: true, cat: "exec", sev: "high", token: "subprocess",
		re:  re(`\bsubprocess\s*\.\s*(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)\s*\(|\basyncio\s*\.\s*create_subprocess_(?:shell|exec)\s*\(|\b(?:sh|plumbum|pexpect)\s*\.\s*(?:spawn|run|Command)\s*\(`),
		msg: "runs a process: {match}"},
	{id: "py/os-system", tree: true, cat: "exec", sev: "high", token: "os.system",
		re:  re(`\bos\s*\.\s*(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?)\s*\(`),
		msg: "runs a shell command: {match}"},
	{id: "py/eval", tree: true, cat: "exec", sev: "high", token: "eval",
		re:     re(`(?:^|[^.\w])(?:eval|exec)\s*\(`),
		unless: re(`\bdef\s+(?:eval|exec)\b`),
		msg:    "evaluates dynamic code: {match}"},
	{id: "py/dynamic-import", tree: true, cat: "exec", sev: "medium", token: "import_module",
		re:  re(`\bimportlib\s*\.\s*import_module\s*\(\s*[^\s"')]|(?:^|[^.\w])__import__\s*\(\s*[^\s"')]`),
		msg: "imports a module from a computed name (plugin loading)"},

	// egress
	{id: "py/http-client", tree: true, cat: "egress", sev: "medium", token: "{m}",
		re:  re(`\b(?P<m>requests|httpx|aiohttp|urllib3|urllib\.request|urllib2)\s*\.\s*(?:get|post|put|patch|delete|head|options|request|Session|Client|AsyncClient|ClientSession|stream|urlopen|Request|urlretrieve|PoolManager)\s*\(|(?:^|[^.\w])(?P<m2>urlopen|HTTPSConnection|HTTPConnection)\s*\(`),
		msg: "outbound HTTP call {host}"},
	{id: "py/url-call", cat: "egress", sev: "medium", check: urlLiteral,
		re:  re(`\.\s*(?:get|post|put|patch|delete|request|stream|ws_connect)\s*\(\s*[rRuU]?` + lit),
		msg: "outbound call to {host}"},

	// deserialization
	{id: "py/pickle", tree: true, cat: "deserialization", sev: "high", token: "pickle",
		re:  re(`\b(?:pickle|cPickle|_pickle|dill|cloudpickle|joblib|jsonpickle)\s*\.\s*(?:loads?|Unpickler|decode)\s*\(|\bshelve\s*\.\s*open\s*\(|\bmarshal\s*\.\s*loads?\s*\(|\ballow_pickle\s*=\s*True`),
		msg: "deserializes with pickle/marshal: arbitrary code on untrusted input"},
	{id: "py/yaml-load", tree: true, cat: "deserialization", sev: "high", token: "yaml.load",
		re:     re(`\byaml\s*\.\s*(?:load|load_all|unsafe_load|unsafe_load_all|full_load)\s*\(`),
		unless: re(`Loader\s*=\s*(?:yaml\.)?C?(?:Safe|Base)Loader`),
		msg:    "yaml.load without SafeLoader constructs arbitrary objects"},
	{id: "py/torch-load", tree: true, cat: "deserialization", sev: "high", token: "torch.load",
		re:     re(`\btorch\s*\.\s*load\s*\(`),
		unless: re(`weights_only\s*=\s*True`),
		msg:    "torch.load unpickles the file; pass weights_only=True"},
	{id: "py/xml-entities", cat: "deserialization", sev: "high", token: "xml",
		re:  re(`\bresolve_entities\s*=\s*True|\bno_network\s*=\s*False|feature_external_ges\s*,\s*True|\bxml\.sax\.make_parser\s*\(`),
		msg: "XML parser resolves external entities (XXE)"},

	// crypto
	{id: "py/tls-verify-off", cat: "crypto", sev: "critical", token: "verify=False",
		re:  re(`\bverify\s*=\s*False\b|\bssl\s*\.\s*_create_unverified_context\b|\bCERT_NONE\b|\bcheck_hostname\s*=\s*False\b|\bcert_reqs\s*=\s*['"]CERT_NONE`),
		msg: "TLS certificate verification disabled"},
	{id: "py/weak-hash", cat: "crypto", sev: "medium", check: weakHashProtects, token: "hashlib", text: true,
		re:     re(`\bhashlib\s*\.\s*(?:md5|sha1|md4)\s*\(|\bhashlib\s*\.\s*new\s*\(\s*['"](?i:md5|sha1|md4)['"]|\b(?:DES3?|ARC4|ARC2|Blowfish)\s*\.\s*new\s*\(|\bMODE_ECB\b|\bmodes\s*\.\s*ECB\s*\(|\balgorithms\s*\.\s*(?:TripleDES|ARC4|Blowfish)\s*\(`),
		unless: re(`usedforsecurity\s*=\s*False`),
		msg:    "weak hash or cipher: {match}"},
	{id: "py/weak-random", cat: "crypto", sev: "high", token: "random", check: secretNearby,
		re:  re(`\brandom\s*\.\s*(?:random|randint|choice|choices|randrange|getrandbits|sample|shuffle)\s*\(`),
		msg: "random module used for a secret value; use secrets"},

	// web-config
	{id: "py/cors-any-origin", cat: "web-config", sev: "high", token: "cors", text: true,
		re:  re(`\b(?:allow_origins|origins|CORS_ORIGINS|CORS_ALLOWED_ORIGINS)\s*[=:]\s*\[?\s*['"]\*['"]|\bCORS_(?:ALLOW_ALL_ORIGINS|ORIGIN_ALLOW_ALL)\s*=\s*True|\ballow_origin_regex\s*=\s*['"]\.\*`),
		msg: "CORS allows every origin"},
	{id: "py/cors-default", tree: true, cat: "web-config", sev: "medium", token: "cors",
		re:  re(`\bCORS\s*\(\s*\w+\s*\)`),
		msg: "Flask-CORS with defaults allows every origin"},
	{id: "py/csrf-exempt", cat: "web-config", sev: "high", token: "csrf", text: true,
		re:  re(`@csrf_exempt\b|@\w+\s*\.\s*exempt\b|\bWTF_CSRF_(?:ENABLED|CHECK_DEFAULT)\s*=\s*False|\bcsrf_exempt\s*\(`),
		msg: "CSRF protection switched off: {match}"},
	{id: "py/csrf-removed", cat: "web-config", sev: "high", removed: "high", onlyRemoved: true, token: "csrf", text: true, inStrings: true,
		re:  re(`CsrfViewMiddleware|\bCSRFProtect\s*\(|\bcsrf\s*\.\s*init_app\s*\(|@csrf_protect\b`),
		msg: "CSRF protection", oldMsg: "CSRF protection removed"},
	{id: "py/debug", cat: "web-config", sev: "high", token: "debug",
		re:  re(`\.\s*run\s*\(.*\bdebug\s*=\s*True\b`),
		msg: "app runs with debug=True (the Werkzeug debugger executes code)"},
	{id: "py/debug", cat: "web-config", sev: "medium", token: "DEBUG",
		re:  re(`^\s*DEBUG\s*=\s*True\b|\bDEBUG_PROPAGATE_EXCEPTIONS\s*=\s*True|\bdebug\s*=\s*True\s*\)`),
		msg: "debug mode on"},
	{id: "py/allowed-hosts", cat: "web-config", sev: "medium", token: "ALLOWED_HOSTS", text: true,
		re:  re(`\bALLOWED_HOSTS\s*=\s*\[\s*['"]\*['"]|\bTrustedHostMiddleware\b.*allowed_hosts\s*=\s*\[\s*['"]\*['"]`),
		msg: "any Host header accepted (ALLOWED_HOSTS = ['*'])"},
	{id: "py/cookie-flags", cat: "web-config", sev: "medium", token: "cookie",
		re:  re(`\b(?:SESSION_COOKIE_SECURE|CSRF_COOKIE_SECURE|SESSION_COOKIE_HTTPONLY|CSRF_COOKIE_HTTPONLY|REMEMBER_COOKIE_SECURE|REMEMBER_COOKIE_HTTPONLY)\s*=\s*False`),
		msg: "cookie without Secure/HttpOnly: {match}"},
	{id: "py/cookie-flags", tree: true, cat: "web-config", sev: "medium", token: "cookie",
		re:  re(`\bset_cookie\s*\(.*\b(?:secure|httponly)\s*=\s*False`),
		msg: "cookie without Secure/HttpOnly: {match}"},

	// data
	{id: "py/sql-fstring", cat: "data", sev: "high", token: "sql", text: true,
		re:  re(`\.\s*(?:execute|executemany|executescript|raw|extra|query|read_sql|read_sql_query|exec_driver_sql)\s*\(\s*(?:[rR]?[fF]|[fF][rR])["']{1,3}[^\n]*?\{|\btext\s*\(\s*[fF]["']{1,3}[^\n]*?\{|\b[fF]["']{1,3}\s*` + sqlStart + `[^\n]*?\{`),
		msg: "SQL built with an f-string (injection); pass parameters"},
	{id: "py/sql-format", cat: "data", sev: "high", token: "sql", text: true,
		re:  re(`\.\s*(?:execute|executemany|raw|extra|query|read_sql|exec_driver_sql)\s*\(\s*("""|'''|"|')[^"']*("""|'''|"|')\s*(?:%\s*[\w(]|\.\s*format\s*\(|\+\s*\w)|("""|'''|"|')\s*` + sqlStart + `[^"']*("""|'''|"|')\s*(?:%\s*[\w(]|\.\s*format\s*\(|\+\s*\w)`),
		msg: "SQL built with % / format / + (injection); pass parameters"},

	// auth
	{id: "py/allow-any", cat: "auth", sev: "high", token: "AllowAny",
		re:  re(`\bAllowAny\b|\b(?:authentication_classes|permission_classes)\s*=\s*(?:\[\s*\]|\(\s*\))|\bverify_signature['"]?\s*:\s*False|\bverify_exp['"]?\s*:\s*False`),
		msg: "view opened to anyone or token checks off: {match}"},
	{id: "py/jwt-none", cat: "auth", sev: "high", token: "jwt", text: true,
		re:  re(`\balgorithms\s*=\s*\[[^\]]*['"]none['"]`),
		msg: "JWT 'none' algorithm accepted"},
	{id: "py/auth-decorator", tree: true, cat: "auth", sev: "medium", removed: "high", token: "{name}",
		re:  re(`@(?P<name>login_required|permission_required|user_passes_test|staff_member_required|superuser_required|jwt_required|auth_required|requires_auth|token_required|roles_required|roles_accepted|fresh_jwt_required|admin_required|requires_permission|permission_classes|authentication_classes)\b|\bDepends\s*\(\s*(?P<name2>get_current_\w+|\w*auth\w*|\w*verify\w*|oauth2_scheme)\b|\b(?P<name3>IsAuthenticated\w*|IsAdminUser|LoginRequiredMixin|PermissionRequiredMixin)\b`),
		msg: "authentication/authorization check added: {match}", oldMsg: "authentication/authorization check removed: {match}"},
	{id: "py/auth-decorator", cat: "auth", sev: "medium", removed: "high", token: "{name}",
		re:  re(`@(?P<name>login_required|permission_required|user_passes_test|staff_member_required|superuser_required|jwt_required|auth_required|requires_auth|token_required|roles_required|roles_accepted|fresh_jwt_required|admin_required|requires_permission)\s*$|\b(?P<name3>IsAuthenticated\w*|IsAdminUser|LoginRequiredMixin|PermissionRequiredMixin)\b`),
		msg: "authentication/authorization check added: {match}", oldMsg: "authentication/authorization check removed: {match}"},
	{id: "py/validation-removed", cat: "entry-point", sev: "medium", removed: "medium", onlyRemoved: true, token: "validation",
		re:  re(`\.\s*(?:is_valid|validate_on_submit|full_clean)\s*\(|\bvalidate\s*\(\s*instance`),
		msg: "input validation", oldMsg: "input validation removed from a handler"},

	// tools a model can call: @agent.tool, @tool, @function_tool
	{id: "py/llm-tool", cat: "entry-point", sev: "medium", token: "llm-tool", fileHas: pyAgentImport,
		re:   re(`^\s*@\s*(?:\w+\s*\.\s*)?(?:tool|tool_plain|function_tool)\b`),
		path: notTest,
		msg:  "new tool a model can call ({match}): its arguments are the model's to choose"},

	// file
	{id: "py/upload", cat: "file", sev: "high", token: "upload",
		re: re(`\brequest\s*\.\s*(?:files|FILES)\b|\bUploadFile\b|\bFileStorage\b`),
		// request.files is an upload only where a web framework made the
		// request; a tool's pydantic request with a files list is not.
		fileHas: re(pyWebFramework),
		msg:     "accepts file uploads"},
	{id: "py/request-path", tree: true, cat: "file", sev: "high", token: "open",
		re:   re(`(?:^|[^.\w])open\s*\(|\bos\s*\.\s*(?:remove|unlink|rename|makedirs)\s*\(|\bshutil\s*\.\s*(?:copy\w*|move|rmtree)\s*\(|\.\s*(?:write_text|write_bytes)\s*\(|\bsend_file\s*\(|\bFileResponse\s*\(`),
		when: re(`\brequest\s*\.\s*(?:args|form|values|json|GET|POST|FILES|files|data|query_params|path_params|get_json)\b|\b(?:filename|file\.filename|upload\.filename)\b`),
		msg:  "file path taken from the request: {match}"},
	{id: "py/save-upload", cat: "file", sev: "high", token: "save",
		re:     re(`\.\s*save\s*\(.*\bfilename\b`),
		unless: re(`secure_filename`),
		msg:    "saves an upload under its client-supplied name (path traversal)"},
	{id: "py/archive-extract", cat: "file", sev: "high", token: "extractall",
		re:     re(`\.\s*extractall\s*\(|\bshutil\s*\.\s*unpack_archive\s*\(|\.\s*extract\s*\(\s*\w+\s*,`),
		unless: re(`\bfilter\s*=\s*['"]?(?:data|tar)`),
		msg:    "extracts an archive (check entry paths, or pass filter='data')"},

	// native
	// A native library loaded, or raw memory touched, is native code the
	// interpreter cannot check; ctypes imported to call the system's own API
	// (windll.kernel32.OpenProcess) is a low note.
	{id: "py/ctypes", cat: "native", sev: "medium", token: "ctypes", once: true,
		re:  re(pyNativeLoad),
		msg: "native code through ctypes/cffi ({match})"},
	{id: "py/ctypes-system", cat: "native", sev: "low", token: "ctypes", once: true, fileLacks: re(pyNativeLoad),
		re:  re(`^\s*(?:import|from)\s+(?:ctypes|cffi)\b|\bctypes\s*\.\s*(?:cdll|windll)\b`),
		msg: "calls native code through ctypes (the system's own libraries)"},

	// logging
	{id: "py/log-secret", cat: "logging", sev: "medium", token: "log", keyRest: true, check: pyLogsSecret,
		re:  re(`(?:^|[^.\w])print\s*\(|\b(?:logging|logger|log|_logger|_log|LOGGER|LOG|self\.logger|self\.log)\s*\.\s*(?:debug|info|warning|warn|error|exception|critical|log)\s*\(`),
		msg: "logs a secret or credential"},
	{id: "py/traceback-response", cat: "logging", sev: "low", token: "traceback", fileHas: pyWebImport,
		re:  re(`\b(?:return|jsonify|Response|HttpResponse|JsonResponse|JSONResponse|HTTPException|make_response)\b.*(?:\btraceback\s*\.\s*format_exc\s*\(|\bstr\s*\(\s*(?:e|ex|exc|err|error)\s*\)|\brepr\s*\(\s*(?:e|ex|exc|err)\s*\))`),
		msg: "exception details returned to the client"},
}

// pyWebImport is a file that imports a web framework: only there is a
// returned exception text an answer to a client.
var pyWebImport = re(`(?m)^\s*(?:from|import)\s+(?:flask|fastapi|starlette|django|aiohttp|quart|sanic|bottle|litestar|falcon|tornado|rest_framework)\b`)

// pyLogsSecret is logsSecret, except that print() of an id (a session or
// resource id a command line shows its user) is output, not a leaked
// credential: print needs a secret proper.
func pyLogsSecret(h *hit) bool {
	if !logsSecret(h) {
		return false
	}
	if !strings.Contains(h.v.code[h.loc[0]:h.loc[1]], "print") {
		return true
	}
	rest := h.v.code[h.loc[1]:] + " " + interpolations(h.v.text[h.loc[1]:])
	return strongSecret.MatchString(rest)
}

var strongSecret = re(`(?i)(passw(?:or)?d|\bpwd\b|secret|token|api_?key|apikey|authorization|credit_?card|card_?number|\bcvv\b|\bssn\b|private_?key|access_?key)`)

// pyAgentImport is a file that imports an agent or MCP SDK, where @tool
// hands a function to a model.
var pyAgentImport = re(`(?m)^\s*(?:from|import)\s+(?:pydantic_ai|langchain\w*|agents|crewai\w*|llama_index\w*|smolagents|mcp|fastmcp|autogen\w*|strands|google\.adk|haystack)\b`)
