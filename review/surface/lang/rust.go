package lang

// Rust: actix-web, axum, rocket, warp; std::process::Command, reqwest and
// hyper clients, rustls/native-tls "danger" switches, unsafe.
var rustRules = []rule{
	// entry-point
	{id: "rs/route-attribute", cat: "entry-point", sev: "medium", token: "route",
		re:  re(`#\s*\[\s*(?:\w+::)?(?P<m>get|post|put|delete|patch|head|route)\s*\(\s*` + lit),
		msg: "new route {m} {lit}"},
	{id: "rs/router", cat: "entry-point", sev: "medium", token: "route",
		re:  re(`\.\s*(?:route|nest|nest_service|route_service)\s*\(\s*` + lit + `(?:\s*,\s*(?:\w+::)*(?P<m>get|post|put|delete|patch|any)\b)?|\bweb\s*::\s*(?:resource|scope)\s*\(\s*` + lit2),
		msg: "new route {m} {lit}"},
	{id: "rs/listener", cat: "entry-point", sev: "medium", token: "listen",
		re:  re(`\b(?:TcpListener|UdpSocket|UnixListener)\s*::\s*bind\s*\(|\bHttpServer\s*::\s*new\s*\(|\baxum\s*::\s*serve\s*\(|\bServer\s*::\s*bind\s*\(|\bwarp\s*::\s*serve\s*\(|\.\s*bind\s*\(\s*\(`),
		msg: "new listener: {match}"},

	// exec
	{id: "rs/command", tree: true, cat: "exec", sev: "high", token: "std::process::Command",
		re:  re(`\bCommand\s*::\s*new\s*\(`),
		msg: "runs a process: {match}"},
	{id: "rs/dylib", cat: "exec", sev: "medium", token: "libloading",
		re:  re(`\blibloading\s*::|\bLibrary\s*::\s*new\s*\(`),
		msg: "loads a dynamic library at run time (plugin loading)"},

	// egress
	{id: "rs/http-client", cat: "egress", sev: "medium", token: "reqwest",
		re:  re(`\breqwest\s*::\s*(?:get|Client|blocking|ClientBuilder)\b|\bhyper\s*::\s*Client\b|\bhyper_util\s*::\s*client\b|\bureq\s*::\s*(?:get|post|put|delete|agent|Agent)\b|\bsurf\s*::\s*(?:get|post)\b|\bawc\s*::\s*Client\b|\bisahc\s*::`),
		msg: "outbound HTTP client {host}"},
	{id: "rs/url-call", cat: "egress", sev: "medium", check: urlLiteral,
		re:  re(`\.\s*(?:get|post|put|delete|patch|request)\s*\(\s*` + lit),
		msg: "outbound call to {host}"},

	// crypto
	{id: "rs/tls-verify-off", cat: "crypto", sev: "critical", token: "danger_accept_invalid_certs",
		re:  re(`\bdanger_accept_invalid_(?:certs|hostnames)\s*\(\s*true\s*\)|\.\s*dangerous\s*\(\s*\)|\bSslVerifyMode\s*::\s*NONE\b|\bNoCertificateVerification\b`),
		msg: "TLS certificate verification disabled"},
	{id: "rs/weak-hash", cat: "crypto", sev: "medium", check: weakHashProtects, token: "md5",
		re:  re(`\bmd5\s*::\s*compute\s*\(|\b(?:Md5|Sha1|Md4)\s*::\s*(?:new|digest|default)\s*\(|\b(?:Des|TdesEde3|Rc4)\s*::\s*new|\becb\s*::`),
		msg: "weak hash or cipher: {match}"},
	{id: "rs/weak-random", cat: "crypto", sev: "high", token: "rand", check: secretNearby,
		re:  re(`\bSmallRng\b|\bseed_from_u64\s*\(|\bfastrand\s*::`),
		msg: "non-cryptographic RNG used for a secret value; use OsRng"},

	// web-config
	{id: "rs/cors-any-origin", cat: "web-config", sev: "high", token: "cors", text: true,
		re:  re(`\bCorsLayer\s*::\s*(?:permissive|very_permissive)\s*\(|\bCors\s*::\s*permissive\s*\(|\.\s*allow_any_origin\s*\(|\.\s*allow_origin\s*\(\s*(?:Any|cors::Any|AllowOrigin::any\s*\(\s*\)|"\*")`),
		msg: "CORS allows every origin"},
	{id: "rs/cookie-flags", cat: "web-config", sev: "medium", token: "cookie",
		re:  re(`\.\s*(?:secure|http_only)\s*\(\s*false\s*\)`),
		msg: "cookie without Secure/HttpOnly: {match}"},

	// data
	{id: "rs/sql-format", cat: "data", sev: "high", token: "sql", text: true,
		re:  re(`\b(?:query|query_as|query_scalar|execute|sql_query|prepare|query_row|query_map|batch_execute|raw_sql)\s*(?:::<[^>]*>)?\s*\(\s*&?\s*format!\s*\(|\bformat!\s*\(\s*"\s*` + sqlStart + `[^"]*\{`),
		msg: "SQL built with format! (injection); bind parameters"},

	// auth
	{id: "rs/auth-layer", cat: "auth", sev: "medium", removed: "high", token: "auth",
		re:  re(`\bfrom_fn(?:_with_state)?\s*\(\s*[^)]*\bauth\w*|\bRequireAuthorizationLayer\b|\bValidateRequestHeaderLayer\s*::\s*bearer\b|\bHttpAuthentication\s*::\s*\w+|\bAsyncRequireAuthorizationLayer\b|\bvalidate_exp\s*=\s*false|\binsecure_disable_signature_validation\s*\(`),
		msg: "authentication/authorization layer added: {match}", oldMsg: "authentication/authorization layer removed: {match}"},

	// file
	{id: "rs/upload", cat: "file", sev: "high", token: "upload",
		re:  re(`\bMultipart\b|\bactix_multipart\b|\bmulter\s*::`),
		msg: "accepts file uploads"},
	{id: "rs/request-path", cat: "file", sev: "high", token: "file",
		re:   re(`\b(?:File\s*::\s*create|fs\s*::\s*(?:write|remove_file|create_dir_all|rename|copy)|OpenOptions\s*::\s*new)\s*\(`),
		when: re(`\b(?:req|query|params|path|form|payload|field)\s*\.\s*(?:file_name|filename|name|path|into_inner|0)\b|\bfile_name\s*\(`),
		msg:  "file path taken from the request: {match}"},
	{id: "rs/archive-extract", cat: "file", sev: "high", token: "extract",
		re:      re(`\.\s*(?:unpack|extract)\s*\(`),
		fileHas: re(`\b(?:tar|zip|flate2)::`),
		msg:     "extracts an archive (check entry paths: zip slip)"},

	// native
	{id: "rs/unsafe", cat: "native", sev: "medium", token: "unsafe",
		re:  re(`\bunsafe\s*(?:\{|fn\b|impl\b|extern\b|trait\b)|\bextern\s*(?:"C"|")?\s*\{|#\s*\[\s*(?:no_mangle|unsafe\s*\(\s*no_mangle|link\s*\()|\bmem\s*::\s*transmute\b`),
		msg: "type-safety escape: {match}"},

	// logging
	{id: "rs/log-secret", cat: "logging", sev: "medium", token: "log", keyRest: true, check: logsSecret,
		re:  re(`\b(?:println|eprintln|print|eprint|info|debug|warn|error|trace|dbg)!\s*\(`),
		msg: "logs a secret or credential"},
}

// lit2 is lit under a second name, for a regexp with two literal alternatives.
const lit2 = "(?P<lit2>\"[^\"\\n]*\"|'[^'\\n]*'|`[^`\\n]*`)"
