package lang

// Ruby: Rails routes and controllers, Sinatra; Kernel#system and friends,
// Marshal/YAML, Net::HTTP/Faraday/HTTParty, OpenSSL, ActiveRecord strings.
var rubyRules = []rule{
	// entry-point
	{id: "rb/rails-route", cat: "entry-point", sev: "medium", token: "route", path: base("routes.rb"),
		re:  re(`^\s*(?P<m>get|post|put|patch|delete|match|root)\b\s*\(?\s*` + lit),
		msg: "new route {m} {lit}"},
	{id: "rb/rails-route", cat: "entry-point", sev: "medium", token: "route", path: base("routes.rb"),
		re:  re(`^\s*(?P<name>resources?\s+:\w+|namespace\s+:\w+|mount\s+[\w:]+|(?:get|post|put|patch|delete)\s+:\w+)`),
		msg: "new routes: {name}"},
	{id: "rb/sinatra-route", cat: "entry-point", sev: "medium", token: "route",
		re:  re(`^\s*(?P<m>get|post|put|patch|delete|options)\s*\(?\s*` + lit + `\s*\)?\s*(?:do\b|\{)`),
		msg: "new route {m} {lit}"},
	{id: "rb/listener", cat: "entry-point", sev: "medium", token: "listen",
		re:  re(`\b(?:TCPServer|UNIXServer|UDPSocket|WEBrick::HTTPServer|Puma::Server)\s*\.\s*new\b|\bRack::Handler\b|\bsubscribe\s*\(\s*["']|\binclude\s+(?:Sneakers::Worker|Shoryuken::Worker)\b`),
		msg: "new listener or consumer: {match}"},

	// exec
	{id: "rb/system", tree: true, cat: "exec", sev: "high", token: "{m}",
		re:     re(`(?:^|[^.\w:@$])(?P<m>system|exec|spawn|syscall)(?:\(|\s+["'\w%\[:$@` + "`" + `])|\b(?P<m2>Kernel\s*\.\s*(?:system|exec|spawn)|IO\s*\.\s*popen|Open3\s*\.\s*\w+|PTY\s*\.\s*spawn|Process\s*\.\s*spawn)\b`),
		unless: re(`^\s*def\s`),
		msg:    "runs a process: {match}"},
	{id: "rb/backticks", cat: "exec", sev: "high", token: "backticks",
		re:  re("`[^`]*`|%x[({\\[|!<]"),
		msg: "runs a shell command in backticks"},
	{id: "rb/eval", cat: "exec", sev: "high", token: "eval",
		re:     re(`(?:^|[^.\w])(?:eval|instance_eval|class_eval|module_eval)\s*(?:\(|\s+["'@$a-z_])|\.\s*(?:send|public_send|__send__)\s*\(\s*params\b|\.\s*constantize\b|\bconst_get\s*\(\s*params\b`),
		unless: re(`(?:instance_eval|class_eval|module_eval)\s+do\b|^\s*def\s`),
		msg:    "evaluates dynamic code: {match}"},

	// egress
	{id: "rb/http-client", cat: "egress", sev: "medium", token: "http-client",
		re:  re(`\bNet::HTTPS?\s*\.\s*(?:get|get_response|post|post_form|start|new)\b|\bNet::HTTP::(?:Get|Post|Put|Patch|Delete)\s*\.\s*new\b|\bFaraday\s*\.\s*(?:new|get|post|put|delete)\b|\bHTTParty\s*\.\s*(?:get|post|put|patch|delete)\b|\binclude\s+HTTParty\b|\bRestClient\s*(?:\.\s*(?:get|post|put|patch|delete)|::Request)\b|\bHTTP\s*\.\s*(?:get|post|put|delete|headers|auth)\b|\bExcon\s*\.\s*(?:get|post|new)\b|\bTyphoeus\b|\bURI\s*\.\s*open\b`),
		msg: "outbound HTTP call {host}"},
	{id: "rb/url-call", cat: "egress", sev: "medium", check: urlLiteral,
		re:  re(`(?:\bURI|\.\s*(?:get|post|put|patch|delete|new|request))\s*\(?\s*` + lit),
		msg: "outbound call to {host}"},

	// deserialization
	{id: "rb/marshal", cat: "deserialization", sev: "high", token: "Marshal.load",
		re:  re(`\bMarshal\s*\.\s*(?:load|restore)\b|\b(?:YAML|Psych)\s*\.\s*(?:unsafe_load|load|load_file|load_stream)\b|\bOj\s*\.\s*(?:load|object_load)\b|\bJSON\s*\.\s*load\b`),
		msg: "deserializes untrusted data into arbitrary objects: {match}"},

	// crypto
	{id: "rb/verify-none", cat: "crypto", sev: "critical", token: "VERIFY_NONE",
		re:  re(`\bVERIFY_NONE\b|:?\bverify(?:_ssl|_peer)?\s*(?::|=>)\s*false\b|\bssl_verify(?:_mode)?\s*[:=]\s*(?:false|:none)|\bverify_mode\s*(?::|=>|=)\s*(?:0|nil)\b`),
		msg: "TLS certificate verification disabled"},
	{id: "rb/weak-hash", cat: "crypto", sev: "medium", check: weakHashProtects, token: "Digest", text: true,
		re:  re(`\bDigest::(?:MD5|SHA1)\b|\bOpenSSL::Digest::(?:MD5|SHA1)\b|\bOpenSSL::Digest\s*\.\s*new\s*\(\s*['"](?i:md5|sha1)['"]|\bOpenSSL::Cipher\s*\.\s*new\s*\(\s*['"](?i:des|rc4|rc2|bf|[^'"]*-ecb)`),
		msg: "weak hash or cipher: {match}"},
	{id: "rb/weak-random", cat: "crypto", sev: "high", token: "rand", check: secretNearby,
		re:  re(`(?:^|[^.\w])rand\s*[\(\s]|\bRandom\s*\.\s*(?:rand|new)\b|\.\s*shuffle\b|\.\s*sample\b`),
		msg: "Kernel#rand used for a secret value; use SecureRandom"},

	// web-config
	{id: "rb/csrf-off", cat: "web-config", sev: "high", token: "csrf",
		re:  re(`\bskip_before_action\s+:verify_authenticity_token\b|\bskip_forgery_protection\b|\bprotect_from_forgery\b.*\b(?:except|with:\s*:null_session)|\ballow_forgery_protection\s*=\s*false`),
		msg: "CSRF protection switched off: {match}"},
	{id: "rb/csrf-removed", cat: "web-config", sev: "high", removed: "high", onlyRemoved: true, token: "csrf",
		re:  re(`\bprotect_from_forgery\b|\bcsrf_meta_tags\b`),
		msg: "CSRF protection", oldMsg: "CSRF protection removed (protect_from_forgery)"},
	{id: "rb/cors-any-origin", cat: "web-config", sev: "high", token: "cors", text: true,
		re:  re(`\borigins\s*\(?\s*['"]\*['"]|['"]Access-Control-Allow-Origin['"]\s*\]\s*=\s*['"]\*['"]`),
		msg: "CORS allows every origin"},
	{id: "rb/hosts", cat: "web-config", sev: "medium", token: "config",
		re:  re(`\bconfig\s*\.\s*hosts\s*\.\s*clear\b|\bconfig\s*\.\s*hosts\s*=\s*nil\b|\bconfig\s*\.\s*force_ssl\s*=\s*false\b|\bconsider_all_requests_local\s*=\s*true\b|\b(?:httponly|secure)\s*(?::|=>)\s*false\b`),
		msg: "web config weakened: {match}"},

	// data
	{id: "rb/sql-interpolation", cat: "data", sev: "high", token: "sql", text: true,
		re:  re(`(?:\.\s*|(?:^|[\s(=])\s*)(?:where|not|find_by_sql|select|order|reorder|group|having|joins|pluck|exec_query|execute|select_all|select_value|from|lock|count_by_sql|delete_all|update_all|find_by)\s*\(?\s*"[^"]*#\{|"\s*` + sqlStart + `[^"]*#\{|"\s*` + sqlStart + `[^"]*"\s*\+\s*\w|\bArel\s*\.\s*sql\s*\(\s*"[^"]*#\{`),
		msg: "SQL built with string interpolation (injection); use ? placeholders"},

	// auth
	{id: "rb/skip-auth", cat: "auth", sev: "high", token: "skip_before_action",
		re:  re(`\bskip_before_action\s+:(?:authenticate\w*|require_\w*|authorize\w*|ensure_\w*|check_\w*|logged_in\w*)|\bskip_authorization\b|\bskip_after_action\s+:verify_authorized\b|\ballow_unauthenticated_access\b|\bJWT\s*\.\s*decode\s*\([^)]*,\s*(?:nil|false)\b|\balgorithm\s*(?::|=>)\s*['"]none['"]`),
		msg: "authentication skipped or tokens not verified: {match}"},
	{id: "rb/before-action-auth", cat: "auth", sev: "medium", removed: "high", token: "before_action",
		re:  re(`\bbefore_(?:action|filter)\s+:(?:authenticate\w*!?|require_\w*|authorize\w*!?|ensure_\w*|check_\w*|logged_in\w*|admin_only\w*|verify_\w*)|\bauthenticate_or_request_with_http_\w+|\b(?:load_and_)?authorize_resource\b|\bverify_authorized\b|(?:^|\s)authorize\s+[@:\w]`),
		msg: "authentication/authorization check added: {match}", oldMsg: "authentication/authorization check removed: {match}"},
	{id: "rb/strong-params-removed", cat: "entry-point", sev: "medium", removed: "medium", onlyRemoved: true, token: "permit",
		re:  re(`\bparams\s*\.\s*require\s*\(.*\.\s*permit\s*\(|\bvalidates?\s+:`),
		msg: "input validation", oldMsg: "input filtering/validation removed (strong parameters or validates)"},

	// file
	{id: "rb/upload", cat: "file", sev: "high", token: "upload",
		re:  re(`\bparams\s*\[[^\]]+\]\s*\.\s*(?:tempfile|original_filename|read)\b|\.\s*original_filename\b|\bhas_(?:one|many)_attached\b|\bActionDispatch::Http::UploadedFile\b|\bmount_uploader\b`),
		msg: "accepts file uploads"},
	{id: "rb/request-path", cat: "file", sev: "high", token: "file",
		re:   re(`\b(?:File\s*\.\s*(?:open|write|binwrite|new|delete|unlink|rename)|IO\s*\.\s*(?:write|binwrite)|FileUtils\s*\.\s*(?:mv|cp|rm_rf|rm|mkdir_p|copy|move)|send_file)\b`),
		when: re(`\bparams\b|\brequest\s*\.\s*(?:params|body|headers)`),
		msg:  "file path taken from the request: {match}"},
	{id: "rb/archive-extract", cat: "file", sev: "high", token: "extract",
		re:  re(`\.\s*extract\s*\(|\bMinitar\s*\.\s*unpack\b|\bGem::Package::TarReader\b|\.\s*extract_entry\b`),
		msg: "extracts an archive (check entry paths: zip slip)"},

	// native
	{id: "rb/ffi", cat: "native", sev: "medium", token: "ffi",
		re:  re(`\bFiddle\b|\bFFI::Library\b|\bffi_lib\b|\battach_function\b|\bRubyVM::InstructionSequence\b`),
		msg: "native code: {match}"},

	// logging
	{id: "rb/log-secret", cat: "logging", sev: "medium", token: "log", keyRest: true, check: logsSecret,
		re:  re(`(?:^|[^.\w])(?:puts|p|pp|print|warn)(?:\(|\s+)|\b(?:Rails\s*\.\s*)?logger\s*\.\s*(?:debug|info|warn|error|fatal|unknown)\b`),
		msg: "logs a secret or credential"},
	{id: "rb/backtrace-response", cat: "logging", sev: "low", token: "backtrace",
		re:  re(`\brender\b.*(?:\.\s*(?:backtrace|full_message)\b|\b(?:e|ex|exception|error)\s*\.\s*message\b)`),
		msg: "exception details returned to the client"},
}
