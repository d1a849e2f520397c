package lang

// PHP: Laravel, Symfony, Slim; the exec family and backticks, unserialize,
// curl and Guzzle, CSRF middleware, DB::raw and string-built queries.
var phpRules = []rule{
	// entry-point
	{id: "php/laravel-route", cat: "entry-point", sev: "medium", token: "route",
		re:  re(`\bRoute\s*::\s*(?P<m>get|post|put|patch|delete|any|match|options|resource|apiResource|view|redirect)\s*\(\s*(?:\[[^\]]*\]\s*,\s*)?` + lit),
		msg: "new route {m} {lit}"},
	{id: "php/symfony-route", cat: "entry-point", sev: "medium", token: "route", orig: true,
		re:  re(`(?:#\[|@)Route\s*\(\s*(?:path\s*:\s*|path\s*=\s*)?` + "(?P<lit>\"[^\"\\n]*\"|'[^'\\n]*')"),
		msg: "new route {lit}"},
	{id: "php/slim-route", cat: "entry-point", sev: "medium", token: "route",
		re:  re(`\$(?:app|group|router|r)\s*->\s*(?P<m>get|post|put|patch|delete|any|map)\s*\(\s*` + lit),
		msg: "new route {m} {lit}"},
	{id: "php/listener", cat: "entry-point", sev: "medium", token: "listen",
		re:  re(`\b(?:socket_create|socket_listen|stream_socket_server)\s*\(|\bnew\s+\\?(?:Swoole\\Http\\Server|Swoole\\WebSocket\\Server|React\\Http\\HttpServer|React\\Socket\\(?:Socket)?Server)\b`),
		msg: "new listener: {match}"},

	// exec
	{id: "php/exec", tree: true, cat: "exec", sev: "high", token: "{m}",
		re:  re(`(?:^|[^>\w$:\\])(?P<m>exec|shell_exec|system|passthru|proc_open|popen|pcntl_exec)\s*\(|\bnew\s+(?:\\?Symfony\\Component\\Process\\)?Process\s*\(|\bProcess\s*::\s*fromShellCommandline\s*\(`),
		msg: "runs a process: {match}"},
	{id: "php/eval", cat: "exec", sev: "high", token: "eval",
		re:  re(`(?:^|[^>\w$:\\])(?:eval|create_function)\s*\(|\bcall_user_func(?:_array)?\s*\(\s*\$_(?:GET|POST|REQUEST)|\$_(?:GET|POST|REQUEST)\s*\[[^\]]*\]\s*\(|\bpreg_replace\s*\(\s*['"](.).*e[a-z]*['"]\s*,`),
		msg: "evaluates dynamic code: {match}"},
	{id: "php/backticks", cat: "exec", sev: "high", token: "backticks",
		re:  re("`[^`]*`"),
		msg: "runs a shell command in backticks"},
	{id: "php/include-variable", cat: "exec", sev: "high", token: "include",
		re:  re(`\b(?:include|require)(?:_once)?\s*\(?\s*\$`),
		msg: "includes a file from a variable path"},

	// egress
	{id: "php/http-client", cat: "egress", sev: "medium", token: "http-client",
		re:  re(`\bcurl_init\s*\(|\bnew\s+\\?GuzzleHttp\\Client\b|\bHttp\s*::\s*(?:get|post|put|patch|delete|withToken|withHeaders|withBasicAuth|baseUrl|acceptJson|asForm|timeout|retry|pool)\s*\(|\bfsockopen\s*\(|\bnew\s+\\?SoapClient\s*\(|\bHttpClient\s*::\s*create\s*\(`),
		msg: "outbound HTTP call {host}"},
	{id: "php/guzzle", cat: "egress", sev: "medium", token: "guzzle", fileHas: re(`GuzzleHttp`),
		re:  re(`\bnew\s+Client\s*\(`),
		msg: "outbound HTTP client (Guzzle) {host}"},
	{id: "php/url-call", cat: "egress", sev: "medium", check: urlLiteral,
		re:  re(`(?:\b(?:file_get_contents|fopen|curl_init|get_headers|simplexml_load_file)|->\s*(?:get|post|put|patch|delete|request))\s*\(\s*(?:['"]\w+['"]\s*,\s*)?` + lit),
		msg: "outbound call to {host}"},

	// deserialization
	{id: "php/unserialize", cat: "deserialization", sev: "high", token: "unserialize",
		re:     re(`(?:^|[^>\w$:\\])unserialize\s*\(|\bphar://|\bLIBXML_NOENT\b|\blibxml_disable_entity_loader\s*\(\s*false\b|\bYaml\s*::\s*PARSE_OBJECT\b`),
		unless: re(`allowed_classes['"]\s*=>\s*false`),
		msg:    "unsafe deserialization or XML parsing: {match}"},

	// crypto
	{id: "php/tls-verify-off", cat: "crypto", sev: "critical", token: "CURLOPT_SSL_VERIFYPEER", text: true,
		re:  re(`\bCURLOPT_SSL_VERIFY(?:PEER|HOST)\s*(?:=>|,)\s*(?:false|0)\b|['"]verify['"]\s*=>\s*false\b|['"]verify_peer(?:_name)?['"]\s*=>\s*false\b|->\s*withoutVerifying\s*\(`),
		msg: "TLS certificate verification disabled"},
	{id: "php/weak-hash", cat: "crypto", sev: "medium", check: weakHashProtects, token: "md5", text: true,
		re:  re(`(?:^|[^>\w$:\\])(?:md5|sha1|md5_file|sha1_file)\s*\(|\bhash\s*\(\s*['"](?i:md5|sha1|md4)['"]|\bMCRYPT_(?:DES|3DES|RC2|ARCFOUR)\b|\bMCRYPT_MODE_ECB\b|\bopenssl_encrypt\s*\(.*['"](?i:des|rc4|rc2|bf|[^'"]*-ecb)[^'"]*['"]`),
		msg: "weak hash or cipher: {match}"},
	{id: "php/weak-random", cat: "crypto", sev: "high", token: "rand", check: secretNearby,
		re:  re(`(?:^|[^>\w$:\\])(?:rand|mt_rand|uniqid|lcg_value|str_shuffle|array_rand)\s*\(`),
		msg: "predictable randomness for a secret value; use random_bytes/random_int"},

	// web-config
	{id: "php/cors-any-origin", cat: "web-config", sev: "high", token: "cors", text: true,
		re:  re(`(?i)Access-Control-Allow-Origin:\s*\*|['"]allowed_origins['"]\s*=>\s*\[\s*['"]\*['"]`),
		msg: "CORS allows every origin"},
	{id: "php/csrf-except", cat: "web-config", sev: "high", token: "csrf", text: true, path: pathHas("VerifyCsrfToken", "ValidateCsrfToken"),
		re:  re(`^\s*['"][^'"]+['"]\s*,?\s*$`),
		msg: "route excluded from CSRF protection: {match}"},
	{id: "php/csrf-off", cat: "web-config", sev: "high", token: "csrf",
		re:  re(`\bvalidateCsrfTokens\s*\(\s*except\b|->\s*withoutMiddleware\s*\(.*(?:VerifyCsrfToken|ValidateCsrfToken)|\bcsrf_protection\s*['"]?\s*(?:=>|:)\s*false`),
		msg: "CSRF protection switched off: {match}"},
	{id: "php/csrf-removed", cat: "web-config", sev: "high", removed: "high", onlyRemoved: true, token: "csrf", orig: true,
		re:  re(`\b(?:VerifyCsrfToken|ValidateCsrfToken)::class|\bcsrf_field\s*\(\s*\)|@csrf\b|\bisCsrfTokenValid\s*\(`),
		msg: "CSRF protection", oldMsg: "CSRF protection removed"},
	{id: "php/debug", cat: "web-config", sev: "medium", token: "debug", text: true,
		re:  re(`['"]debug['"]\s*=>\s*(?:true|env\s*\(\s*['"]APP_DEBUG['"]\s*,\s*true)|\bini_set\s*\(\s*['"]display_errors['"]\s*,\s*['"]?(?:1|on|true)|\b(?:secure|http_only|httponly)['"]\s*=>\s*false\b|\bini_set\s*\(\s*['"]session\.cookie_(?:secure|httponly)['"]\s*,\s*['"]?(?:0|false|off)`),
		msg: "web config weakened: {match}"},

	// data
	{id: "php/sql-interpolation", cat: "data", sev: "high", token: "sql", text: true,
		re:  re(`(?:->\s*(?:query|exec|prepare|raw|select|statement|unprepared|whereRaw|selectRaw|orderByRaw|havingRaw|groupByRaw)|\bDB\s*::\s*(?:raw|select|statement|unprepared|insert|update|delete)|\b(?:mysqli_query|mysql_query|pg_query))\s*\((?:\s*\$\w+\s*,)?\s*(?:"[^"]*\$\w|['"][^'"]*['"]\s*\.\s*\$)|"\s*` + sqlStart + `[^"]*\{?\$\w|['"]\s*` + sqlStart + `[^'"]*['"]\s*\.\s*\$`),
		msg: "SQL built with interpolated or concatenated variables (injection); bind parameters"},

	// auth
	{id: "php/without-auth", cat: "auth", sev: "high", token: "withoutMiddleware",
		re:  re(`->\s*withoutMiddleware\s*\(.*\b(?:auth|Authenticate)|\bAuth\s*::\s*loginUsingId\s*\(|\bPUBLIC_ACCESS\b`),
		msg: "authentication bypassed: {match}"},
	{id: "php/auth-middleware", cat: "auth", sev: "medium", removed: "high", token: "auth", text: true,
		re:  re(`->\s*middleware\s*\(\s*\[?[^)]*['"](?:auth(?::\w+)?|can:[^'"]*|verified|role:[^'"]*|permission:[^'"]*|admin)['"]|\$this\s*->\s*(?:authorize|denyAccessUnlessGranted)\s*\(|\bGate\s*::\s*(?:authorize|allows|denies)\s*\(|#\[\s*IsGranted\b|@can\b|->\s*can\s*\(`),
		msg: "authentication/authorization check added: {match}", oldMsg: "authentication/authorization check removed: {match}"},
	{id: "php/validation-removed", cat: "entry-point", sev: "medium", removed: "medium", onlyRemoved: true, token: "validation",
		re:  re(`(?:\$request|\$this)\s*->\s*validate\s*\(|\bValidator\s*::\s*make\s*\(|\bfilter_(?:input|var)\s*\(`),
		msg: "input validation", oldMsg: "input validation removed from a handler"},

	// file
	{id: "php/upload", cat: "file", sev: "high", token: "upload",
		re:  re(`\$_FILES\b|\bmove_uploaded_file\s*\(|\$request\s*->\s*(?:file|hasFile|allFiles)\s*\(|->\s*storeAs?\s*\(|\bUploadedFile\b`),
		msg: "accepts file uploads"},
	{id: "php/request-path", cat: "file", sev: "high", token: "file",
		re:   re(`(?:^|[^>\w$:\\])(?:file_put_contents|fopen|fwrite|unlink|copy|rename|mkdir|readfile|file_get_contents)\s*\(`),
		when: re(`\$_(?:GET|POST|REQUEST|COOKIE|FILES)\b|\$request\s*->|\brequest\s*\(\s*\)`),
		msg:  "file path taken from the request: {match}"},
	{id: "php/archive-extract", cat: "file", sev: "high", token: "extractTo",
		re:  re(`->\s*extractTo\s*\(`),
		msg: "extracts an archive (check entry paths: zip slip)"},

	// native
	{id: "php/ffi", cat: "native", sev: "medium", token: "FFI",
		re:  re(`\bFFI\s*::\s*(?:cdef|load|scope)\s*\(|(?:^|[^>\w$:\\])dl\s*\(`),
		msg: "native code through FFI"},

	// logging
	{id: "php/log-secret", cat: "logging", sev: "medium", token: "log", keyRest: true, check: logsSecret,
		re:  re(`\b(?:error_log|var_dump|print_r|var_export|syslog)\s*\(|\bLog\s*::\s*(?:info|debug|warning|error|notice|critical|alert|emergency)\s*\(|\$(?:this\s*->\s*)?logger\s*->\s*\w+\s*\(|\blogger\s*\(\s*\)\s*->\s*\w+\s*\(`),
		msg: "logs a secret or credential"},
	{id: "php/exception-response", cat: "logging", sev: "low", token: "exception",
		re:  re(`\b(?:echo|print|die|exit|json)\b.*->\s*(?:getTraceAsString|getTrace|getMessage)\s*\(`),
		msg: "exception details returned to the client"},
}
