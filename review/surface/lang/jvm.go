package lang

// Java and Kotlin: Spring MVC/Security, JAX-RS, Ktor; Runtime.exec and
// ProcessBuilder, Java serialization and XML parsers, JSSE trust managers.
var javaRules = []rule{
	// entry-point
	{id: "java/spring-route", cat: "entry-point", sev: "medium", token: "route",
		re:  re(`@(?P<m>Get|Post|Put|Patch|Delete|Request)Mapping\b(?:\s*\(\s*(?:(?:value|path)\s*=\s*)?(?:\{|\[|arrayOf\()?\s*(?:` + lit + `)?)?`),
		msg: "new route {m} {lit}"},
	{id: "java/jaxrs-route", cat: "entry-point", sev: "medium", token: "route",
		re:  re(`@(?:Path\s*\(\s*` + lit + `|(?P<m>GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)\b)`),
		msg: "new route {m} {lit} (JAX-RS)"},
	{id: "java/ktor-route", cat: "entry-point", sev: "medium", token: "route",
		re:  re(`(?:^|[^.\w])(?P<m>get|post|put|delete|patch|route|webSocket)\s*\(\s*` + lit + `\s*\)\s*\{`),
		msg: "new route {m} {lit}"},
	{id: "java/listener", cat: "entry-point", sev: "medium", token: "listen",
		re:  re(`\bnew\s+ServerSocket\s*\(|\bServerSocket\s*\(\s*\d|\bServerSocketChannel\s*\.\s*open\s*\(|\bHttpServer\s*\.\s*create\s*\(|@(?:KafkaListener|RabbitListener|JmsListener|SqsListener|MessageMapping|ServerEndpoint|GrpcService|StreamListener)\b|\bembeddedServer\s*\(`),
		msg: "new listener or consumer: {match}"},

	// exec
	{id: "java/runtime-exec", tree: true, cat: "exec", sev: "high", token: "Runtime.exec",
		re:  re(`\bRuntime\s*\.\s*getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(|\b(?:new\s+)?ProcessBuilder\s*\(`),
		msg: "runs a process: {match}"},
	{id: "java/script-eval", cat: "exec", sev: "high", token: "ScriptEngine",
		re:  re(`\bScriptEngineManager\b|\.\s*getEngineByName\s*\(|\bGroovyShell\b|\bnew\s+SpelExpressionParser\b|\bSpelExpressionParser\s*\(|\bMVEL\s*\.\s*eval|\bOgnl\s*\.\s*getValue`),
		msg: "evaluates dynamic code: {match}"},
	{id: "java/dynamic-class", cat: "exec", sev: "medium", token: "Class.forName",
		re:  re(`\bClass\s*\.\s*forName\s*\(\s*[^\s")]|\bnew\s+URLClassLoader\s*\(|\bURLClassLoader\s*\(`),
		msg: "loads a class from a computed name (plugin loading)"},

	// egress
	{id: "java/http-client", cat: "egress", sev: "medium", token: "http-client",
		re:  re(`\bHttpClient\s*\.\s*new(?:HttpClient|Builder)\s*\(|\bnew\s+RestTemplate\s*\(|\bRestTemplate\s*\(\s*\)|\bWebClient\s*\.\s*(?:create|builder)\s*\(|\b(?:new\s+)?OkHttpClient(?:\.Builder)?\s*\(|\.\s*openConnection\s*\(|\bHttpClients\s*\.\s*(?:create\w*|custom)\s*\(|\bRestClient\s*\.\s*(?:create|builder)\s*\(|@FeignClient\b|\bHttpClient\s*\(\s*(?:CIO|OkHttp|Apache|Java|Android)?\s*\)`),
		msg: "outbound HTTP client {host}"},
	{id: "java/url-call", cat: "egress", sev: "medium", check: urlLiteral,
		re:  re(`(?:\bURI\s*\.\s*create|\bnew\s+URL|\bURL|\bURI|\.\s*(?:uri|url|baseUrl|get|post|getForObject|getForEntity|postForObject|postForEntity|exchange))\s*\(\s*` + lit),
		msg: "outbound call to {host}"},

	// deserialization
	{id: "java/object-input-stream", cat: "deserialization", sev: "high", token: "ObjectInputStream",
		re:  re(`\bObjectInputStream\s*\(|\bXMLDecoder\b|\bnew\s+XStream\s*\(|\bXStream\s*\(\s*\)|\bSerializationUtils\s*\.\s*deserialize\s*\(|\b(?:enableDefaultTyping|activateDefaultTyping)\s*\(|JsonTypeInfo\s*\.\s*Id\s*\.\s*CLASS|\bnew\s+Kryo\s*\(`),
		msg: "deserializes untrusted data into arbitrary classes: {match}"},
	{id: "java/snakeyaml", cat: "deserialization", sev: "high", token: "Yaml",
		re:        re(`\b(?:new\s+)?Yaml\s*\(\s*\)`),
		fileHas:   re(`org\.yaml\.snakeyaml`),
		fileLacks: re(`SafeConstructor`),
		msg:       "SnakeYAML Yaml() without SafeConstructor constructs arbitrary types"},
	{id: "java/xml-parser", cat: "deserialization", sev: "medium", token: "xml",
		re:        re(`\b(?:DocumentBuilderFactory|SAXParserFactory|XMLInputFactory|TransformerFactory|SchemaFactory|XMLReaderFactory)\s*\.\s*new(?:Instance|DefaultInstance|Factory|XMLReader)\s*\(|\bnew\s+(?:SAXReader|SAXBuilder)\s*\(`),
		fileLacks: re(`FEATURE_SECURE_PROCESSING|disallow-doctype-decl|SUPPORT_DTD|ACCESS_EXTERNAL_DTD|external-general-entities|setExpandEntityReferences\s*\(\s*false`),
		msg:       "XML parser without secure processing (XXE)"},

	// crypto
	{id: "java/trust-all", cat: "crypto", sev: "critical", token: "TrustManager",
		re:  re(`\bnew\s+X509TrustManager\b|\bobject\s*:\s*X509TrustManager\b|\b[tT]rustAll\w*|\bNoopHostnameVerifier\b|\bALLOW_ALL_HOSTNAME_VERIFIER\b|\bInsecureTrustManagerFactory\b|\bTrustSelfSignedStrategy\b|(?i:hostnameVerifier)\b.*(?:->\s*true\b|\{\s*_\s*,\s*_\s*->\s*true)|\bverify\s*\(\s*(?:String|\w+\s*:\s*String)[^)]*\)\s*(?::\s*Boolean\s*)?(?:\{\s*return\s+true|=\s*true)`),
		msg: "TLS certificate or hostname verification disabled"},
	{id: "java/weak-hash", cat: "crypto", sev: "medium", check: weakHashProtects, token: "MessageDigest", text: true,
		re:  re(`\bMessageDigest\s*\.\s*getInstance\s*\(\s*"(?i:MD5|MD2|SHA-?1)"|\bCipher\s*\.\s*getInstance\s*\(\s*"(?i:DES|DESede|RC4|RC2|Blowfish|AES"|[^"]*/ECB/)|\bDigestUtils\s*\.\s*(?:md5|sha1|sha)(?:Hex)?\s*\(|\bHashing\s*\.\s*(?:md5|sha1)\s*\(`),
		msg: "weak hash or cipher: {match}"},
	{id: "java/weak-random", cat: "crypto", sev: "high", token: "Random", check: secretNearby,
		re:  re(`\b(?:new\s+)?Random\s*\(|\bMath\s*\.\s*random\s*\(|\bRandomStringUtils\s*\.\s*random\w*\s*\(`),
		msg: "java.util.Random used for a secret value; use SecureRandom"},

	// web-config
	{id: "java/csrf-disable", cat: "web-config", sev: "high", token: "csrf",
		re:  re(`\bcsrf\s*\(\s*\)\s*\.\s*disable\s*\(|\bcsrf\s*\(\s*\w+\s*::\s*disable\s*\)|\bcsrf\s*\(\s*\w+\s*->\s*\w+\s*\.\s*disable\s*\(|\bcsrf\s*\{\s*disable\s*\(\s*\)|\bignoringRequestMatchers\s*\(|\bignoringAntMatchers\s*\(`),
		msg: "CSRF protection switched off: {match}"},
	{id: "java/cors-any-origin", cat: "web-config", sev: "high", token: "cors", text: true,
		re:  re(`@CrossOrigin\s*(?:$|\(\s*\)|\(\s*(?:origins\s*=\s*|value\s*=\s*)?[\[{]?\s*"\*")|\b(?:allowedOrigins|allowedOriginPatterns|addAllowedOrigin|addAllowedOriginPattern|setAllowedOrigins|setAllowedOriginPatterns)\s*\(\s*(?:List\.of\(|Arrays\.asList\(|listOf\(|Collections\.singletonList\()?\s*"\*"|\bapplyPermitDefaultValues\s*\(`),
		msg: "CORS allows every origin"},
	{id: "java/cookie-flags", cat: "web-config", sev: "medium", token: "cookie",
		re:  re(`\.\s*(?:setHttpOnly|setSecure|httpOnly|secure)\s*\(\s*false\s*\)|\b(?:isHttpOnly|isSecure)\s*=\s*false`),
		msg: "cookie without Secure/HttpOnly: {match}"},

	// data
	{id: "java/sql-concat", cat: "data", sev: "high", token: "sql", text: true,
		re:  re(`\.\s*(?:executeQuery|executeUpdate|execute|executeLargeUpdate|prepareStatement|addBatch|createQuery|createNativeQuery|createSQLQuery|query|queryForObject|queryForList|queryForMap|update|batchUpdate)\s*\(\s*"[^"]*"\s*\+|"\s*` + sqlStart + `[^"]*"\s*\+\s*[\w(]|\bString\s*\.\s*format\s*\(\s*"\s*` + sqlStart + `[^"]*%|"\s*` + sqlStart + `[^"]*\$\{?\w`),
		msg: "SQL built by concatenation or formatting (injection); use bind parameters"},

	// auth
	{id: "java/permit-all", cat: "auth", sev: "high", token: "permitAll",
		re:  re(`\.\s*permitAll\s*\(\s*\)|@PermitAll\b|\.\s*anonymous\s*\(\s*\)|\bWebSecurityCustomizer\b|\.\s*ignoring\s*\(\s*\)|\bparseClaimsJwt\s*\(|\bparseUnsecuredClaims\s*\(|\bAlgorithm\s*\.\s*none\s*\(`),
		msg: "endpoints opened to anyone or tokens not verified: {match}"},
	{id: "java/authz", cat: "auth", sev: "medium", removed: "high", token: "{name}",
		re:  re(`@(?P<name>PreAuthorize|PostAuthorize|Secured|RolesAllowed|DenyAll|Authenticated)\b|\.\s*(?P<name2>authenticated|hasRole|hasAnyRole|hasAuthority|hasAnyAuthority|denyAll|fullyAuthenticated)\s*\(|\b(?P<name3>addFilterBefore|oauth2ResourceServer|httpBasic|formLogin)\s*\(`),
		msg: "authentication/authorization rule added: {match}", oldMsg: "authentication/authorization rule removed: {match}"},
	{id: "java/validation-removed", cat: "entry-point", sev: "medium", removed: "medium", onlyRemoved: true, token: "validation",
		re:  re(`@(?:Valid|Validated)\b`),
		msg: "input validation", oldMsg: "input validation (@Valid) removed from a handler"},

	// file
	{id: "java/upload", cat: "file", sev: "high", token: "upload",
		re:  re(`\bMultipartFile\b|\bMultipartHttpServletRequest\b|\.\s*getPart\s*\(|\bgetSubmittedFileName\s*\(|\.\s*transferTo\s*\(|\breceiveMultipart\s*\(`),
		msg: "accepts file uploads"},
	{id: "java/request-path", cat: "file", sev: "high", token: "file",
		re:   re(`(?:\bnew\s+File(?:OutputStream|Writer)?|\bFile|\bFiles\s*\.\s*(?:write|writeString|copy|move|delete|newOutputStream|createFile|newBufferedWriter)|\bPaths\s*\.\s*get|\bPath\s*\.\s*of)\s*\(`),
		when: re(`\b(?:getParameter|getOriginalFilename|getHeader|getPathInfo|getQueryString)\s*\(|@(?:RequestParam|PathVariable)\b|\bcall\s*\.\s*(?:parameters|receive)`),
		msg:  "file path taken from the request: {match}"},
	{id: "java/archive-extract", cat: "file", sev: "high", token: "zip",
		re:  re(`\.\s*getNextEntry\s*\(|\.\s*getNextTarEntry\s*\(|\.\s*getNextZipEntry\s*\(|\bZipFile\s*\.\s*extractAll\s*\(`),
		msg: "extracts an archive (check entry paths: zip slip)"},

	// native
	{id: "java/jni", cat: "native", sev: "medium", token: "native",
		re:  re(`\bnative\s+(?:[\w.<>\[\]]+\s+)+\w+\s*\(|\bexternal\s+fun\b|\bSystem\s*\.\s*(?:loadLibrary|load)\s*\(|\bsun\s*\.\s*misc\s*\.\s*Unsafe\b|\bUnsafe\s*\.\s*getUnsafe\b|\btheUnsafe\b|\bNative\s*\.\s*(?:load|loadLibrary)\s*\(|\bLinker\s*\.\s*nativeLinker\s*\(`),
		msg: "native code: {match}"},

	// logging
	{id: "java/log-secret", cat: "logging", sev: "medium", token: "log", keyRest: true, check: logsSecret,
		re:  re(`\b(?:System\s*\.\s*(?:out|err)\s*\.\s*(?:println|printf|print)|(?:log|logger|LOG|LOGGER|Log|Timber)\s*\.\s*(?:info|debug|warn|error|trace|fatal|d|i|w|e|v)|println)\s*\(`),
		msg: "logs a secret or credential"},
	{id: "java/stacktrace-response", cat: "logging", sev: "low", token: "stacktrace",
		re:  re(`\.\s*printStackTrace\s*\(\s*(?:new\s+PrintWriter\s*\(\s*)?(?:response|resp|res)\b|\b(?:ResponseEntity|body|getWriter\s*\(\s*\)\s*\.\s*(?:print|write))\b.*(?:getStackTrace|ExceptionUtils\s*\.\s*getStackTrace|\b(?:e|ex|exc)\s*\.\s*(?:getMessage|toString)\s*\()|\bcall\s*\.\s*respond\w*\s*\(.*\b(?:e|ex|cause)\s*\.\s*(?:message|stackTraceToString)`),
		msg: "exception details returned to the client"},
}
