package lang

// C#: ASP.NET Core controllers and minimal APIs, Process.Start, legacy
// formatters, HttpClient, certificate callbacks, EF raw SQL, [Authorize].
var csharpRules = []rule{
	// entry-point
	{id: "cs/http-attribute", cat: "entry-point", sev: "medium", token: "route",
		re:  re(`\[\s*(?:(?P<m>HttpGet|HttpPost|HttpPut|HttpDelete|HttpPatch|HttpHead|HttpOptions)\b|Route\b)\s*(?:\(\s*(?:` + lit + `)?)?`),
		msg: "new route {m} {lit}"},
	{id: "cs/minimal-api", cat: "entry-point", sev: "medium", token: "route",
		re:  re(`\.\s*Map(?P<m>Get|Post|Put|Delete|Patch|Methods|Group|Hub|Controllers|ControllerRoute|Fallback\w*|Grpc\w*|RazorPages|Blazor\w*)\s*(?:<[^>]*>)?\s*\(\s*(?:` + lit + `)?`),
		msg: "new route {m} {lit}"},
	{id: "cs/listener", cat: "entry-point", sev: "medium", token: "listen",
		re:  re(`\bnew\s+(?:TcpListener|HttpListener|UdpClient)\s*\(|\.\s*UseUrls\s*\(|\.\s*Listen(?:AnyIP|Localhost)?\s*\(|\[\s*ApiController\s*\]`),
		msg: "new listener or controller: {match}"},

	// exec
	{id: "cs/process-start", tree: true, cat: "exec", sev: "high", token: "Process.Start",
		re:  re(`\bProcess\s*\.\s*Start\s*\(|\bnew\s+ProcessStartInfo\b|\bUseShellExecute\s*=\s*true\b`),
		msg: "runs a process: {match}"},
	{id: "cs/process-start", cat: "exec", sev: "high", token: "Process.Start",
		re:  re(`\bUseShellExecute\s*=\s*true\b`),
		msg: "runs a process through the shell: {match}"},
	{id: "cs/dynamic-code", cat: "exec", sev: "high", token: "Assembly.Load",
		re:  re(`\bCSharpScript\s*\.\s*(?:EvaluateAsync|RunAsync|Create)\b|\bAssembly\s*\.\s*(?:Load|LoadFrom|LoadFile|UnsafeLoadFrom)\s*\(|\bActivator\s*\.\s*CreateInstance\s*\(\s*Type\s*\.\s*GetType\s*\(`),
		msg: "loads or evaluates dynamic code: {match}"},

	// egress
	{id: "cs/http-client", cat: "egress", sev: "medium", token: "HttpClient",
		re:  re(`\bnew\s+(?:HttpClient|WebClient|RestClient|GraphQLHttpClient)\s*\(|\bWebRequest\s*\.\s*Create(?:Http)?\s*\(|\.\s*AddHttpClient\b|\bIHttpClientFactory\b|\bHttpWebRequest\b`),
		msg: "outbound HTTP client {host}"},
	{id: "cs/url-call", cat: "egress", sev: "medium", check: urlLiteral,
		re:  re(`(?:\bnew\s+Uri|\.\s*(?:GetAsync|PostAsync|PutAsync|DeleteAsync|PatchAsync|GetStringAsync|GetStreamAsync|GetByteArrayAsync|GetFromJsonAsync|PostAsJsonAsync|PutAsJsonAsync|DownloadString\w*|UploadString\w*))\s*\(\s*@?` + lit),
		msg: "outbound call to {host}"},

	// deserialization
	{id: "cs/binary-formatter", cat: "deserialization", sev: "high", token: "BinaryFormatter",
		re:  re(`\b(?:BinaryFormatter|SoapFormatter|NetDataContractSerializer|LosFormatter|ObjectStateFormatter)\b|\bTypeNameHandling\s*\.\s*(?:All|Auto|Objects|Arrays)\b|\bSimpleTypeResolver\b|\bDtdProcessing\s*\.\s*Parse\b|\bXmlResolver\s*=\s*new\s+XmlUrlResolver\b|\bProhibitDtd\s*=\s*false\b`),
		msg: "unsafe deserialization or XML parsing: {match}"},

	// crypto
	{id: "cs/cert-validation-off", cat: "crypto", sev: "critical", token: "ServerCertificateValidationCallback",
		re:  re(`\b(?:ServerCertificate(?:Custom)?ValidationCallback|RemoteCertificateValidationCallback|CertificateValidation\w*)\b.*(?:=>\s*true\b|\{\s*return\s+true\s*;?\s*\})|\bDangerousAcceptAnyServerCertificateValidator\b|\bCheckCertificateRevocationList\s*=\s*false`),
		msg: "TLS certificate verification disabled"},
	{id: "cs/weak-hash", cat: "crypto", sev: "medium", check: weakHashProtects, token: "MD5",
		re:  re(`\b(?:MD5|SHA1|DES|TripleDES|RC2)\s*\.\s*Create\s*\(|\bnew\s+(?:MD5|SHA1|DES|TripleDES|RC2)(?:CryptoServiceProvider|Managed|Cng)\s*\(|\b(?:MD5|SHA1)\s*\.\s*HashData\s*\(|\bCipherMode\s*\.\s*ECB\b|\bHashAlgorithmName\s*\.\s*(?:MD5|SHA1)\b`),
		msg: "weak hash or cipher: {match}"},
	{id: "cs/weak-random", cat: "crypto", sev: "high", token: "Random", check: secretNearby,
		re:  re(`\bnew\s+Random\s*\(|\bRandom\s*\.\s*Shared\b`),
		msg: "System.Random used for a secret value; use RandomNumberGenerator"},

	// web-config
	{id: "cs/cors-any-origin", cat: "web-config", sev: "high", token: "cors", text: true,
		re:  re(`\.\s*AllowAnyOrigin\s*\(|\.\s*SetIsOriginAllowed\s*\(\s*_?\w*\s*=>\s*true|\.\s*WithOrigins\s*\(\s*"\*"`),
		msg: "CORS allows every origin"},
	{id: "cs/antiforgery-off", cat: "web-config", sev: "high", token: "antiforgery",
		re:  re(`\[\s*IgnoreAntiforgeryToken\b|\.\s*DisableAntiforgery\s*\(`),
		msg: "CSRF (antiforgery) validation switched off"},
	{id: "cs/antiforgery-removed", cat: "web-config", sev: "high", removed: "high", onlyRemoved: true, token: "antiforgery",
		re:  re(`\[\s*(?:Auto)?ValidateAntiForgeryToken\b|\.\s*UseAntiforgery\s*\(|\bAutoValidateAntiforgeryTokenAttribute\b`),
		msg: "antiforgery", oldMsg: "CSRF (antiforgery) validation removed"},
	{id: "cs/cookie-flags", cat: "web-config", sev: "medium", token: "cookie",
		re:  re(`\b(?:HttpOnly|Secure)\s*=\s*false\b|\bSecurePolicy\s*=\s*CookieSecurePolicy\s*\.\s*None\b`),
		msg: "cookie without Secure/HttpOnly: {match}"},

	// data
	{id: "cs/sql-raw", cat: "data", sev: "high", token: "sql", text: true,
		re:     re(`\b(?:FromSqlRaw|ExecuteSqlRaw|ExecuteSqlRawAsync|SqlQueryRaw)\s*\(\s*(?:\$@?"|@\$"|"[^"]*"\s*\+|string\s*\.\s*Format)|\bnew\s+(?:SqlCommand|NpgsqlCommand|MySqlCommand|SqliteCommand)\s*\(\s*(?:\$@?"|@\$"|"[^"]*"\s*\+)|\bCommandText\s*=\s*(?:\$@?"|@\$"|"[^"]*"\s*\+)|\$@?"\s*` + sqlStart + `[^"]*\{|"\s*` + sqlStart + `[^"]*"\s*\+\s*\w`),
		unless: re(`\b(?:FromSql|FromSqlInterpolated|ExecuteSql|ExecuteSqlAsync|ExecuteSqlInterpolated|ExecuteSqlInterpolatedAsync|SqlQuery)\s*(?:<[^>]*>)?\s*\(\s*\$`),
		msg:    "SQL built by interpolation or concatenation (injection); use parameters or FromSqlInterpolated"},

	// auth
	{id: "cs/allow-anonymous", cat: "auth", sev: "high", token: "AllowAnonymous",
		re:  re(`\[\s*AllowAnonymous\s*\]|\.\s*AllowAnonymous\s*\(|\b(?:ValidateLifetime|ValidateIssuerSigningKey|RequireSignedTokens|RequireExpirationTime|ValidateIssuer|ValidateAudience)\s*=\s*false\b|\bSignatureValidator\s*=`),
		msg: "endpoint opened to anyone or token checks off: {match}"},
	{id: "cs/authorize", cat: "auth", sev: "medium", removed: "high", token: "Authorize",
		re:  re(`\[\s*Authorize\b[^\]]*\]|\.\s*RequireAuthorization\s*\(|\.\s*UseAuthorization\s*\(|\.\s*UseAuthentication\s*\(`),
		msg: "authorization added: {match}", oldMsg: "authorization removed: {match}"},
	{id: "cs/validation-removed", cat: "entry-point", sev: "medium", removed: "medium", onlyRemoved: true, token: "validation",
		re:  re(`\bModelState\s*\.\s*IsValid\b|\.\s*ValidateAndThrow(?:Async)?\s*\(`),
		msg: "input validation", oldMsg: "input validation removed from a handler"},

	// file
	{id: "cs/upload", cat: "file", sev: "high", token: "upload",
		re:  re(`\bIFormFile(?:Collection)?\b|\bRequest\s*\.\s*Form\s*\.\s*Files\b`),
		msg: "accepts file uploads"},
	{id: "cs/request-path", cat: "file", sev: "high", token: "file",
		re:   re(`\b(?:File\s*\.\s*(?:WriteAll\w+|Create|OpenWrite|AppendAll\w+|Move|Copy|Delete)|new\s+FileStream|Path\s*\.\s*Combine|PhysicalFile)\s*\(`),
		when: re(`\.\s*FileName\b|\bRequest\s*\.\s*(?:Query|Form|Headers|RouteValues)\b|\bfileName\b|\bfilename\b`),
		msg:  "file path taken from the request: {match}"},
	{id: "cs/archive-extract", cat: "file", sev: "high", token: "extract",
		re:  re(`\bZipFile\s*\.\s*ExtractToDirectory\b|\.\s*ExtractToFile\s*\(|\.\s*ExtractToDirectory\s*\(|\bTarFile\s*\.\s*ExtractToDirectory\b`),
		msg: "extracts an archive (check entry paths: zip slip)"},

	// native
	{id: "cs/unsafe", cat: "native", sev: "medium", token: "unsafe",
		re:  re(`\bunsafe\b|\[\s*(?:DllImport|LibraryImport)\b|\bstackalloc\b|\bfixed\s*\(|\bMarshal\s*\.\s*(?:Copy|PtrToStructure|AllocHGlobal|ReadIntPtr|WriteIntPtr)\b|\bUnsafe\s*\.\s*(?:As|Add|Read|Write)\w*\b`),
		msg: "type-safety escape: {match}"},

	// logging
	{id: "cs/log-secret", cat: "logging", sev: "medium", token: "log", keyRest: true, check: logsSecret,
		re:  re(`\bConsole\s*\.\s*Write(?:Line)?\s*\(|\b(?:_?logger|_?log|Log|Logger)\s*\.\s*(?:Log\w*|Information|Debug|Warning|Error|Trace|Critical|Info|Warn|Fatal|Verbose)\s*\(|\bDebug\s*\.\s*WriteLine\s*\(`),
		msg: "logs a secret or credential"},
	{id: "cs/exception-response", cat: "logging", sev: "low", token: "exception",
		re:  re(`\b(?:Ok|BadRequest|Content|StatusCode|Problem|Json|ObjectResult|WriteAsync|Results\s*\.\s*\w+)\s*\(.*\b(?:e|ex|exc|exception|err)\s*\.\s*(?:StackTrace|ToString\s*\(|Message)|\bUseDeveloperExceptionPage\s*\(|\bIncludeErrorDetails\s*=\s*true`),
		msg: "exception details returned to the client"},
}
