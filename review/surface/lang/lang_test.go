package lang

import (
	"slices"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

const absent = surfacetest.Absent

// detectCase is one file change; want lists "category" (new side) or
// "old:category" entries that must be found, and nothing else may be.
type detectCase struct {
	name, path, before, after string
	want                      []string
}

func run(t *testing.T, tc detectCase) []surface.Finding {
	t.Helper()
	before := tc.before
	if before == "" {
		before = absent
	}
	c := surfacetest.Change(t, tc.path, before, tc.after)
	return New().Detect(c)
}

func kinds(fs []surface.Finding) []string {
	var out []string
	for _, f := range fs {
		k := f.Category
		if f.Side == surface.SideOld {
			k = "old:" + k
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func checkCases(t *testing.T, cases []detectCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := run(t, tc)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if got := kinds(fs); !slices.Equal(got, want) {
				for _, f := range fs {
					t.Logf("  %s %s %s:%d %s | %s", f.Side, f.Rule, f.Severity, f.Line, f.Message, f.Evidence)
				}
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
}

func TestJavaScript(t *testing.T) {
	checkCases(t, []detectCase{
		{name: "express route", path: "src/server.js", after: "const app = express();\napp.post('/api/users', createUser);\n", want: []string{"entry-point"}},
		{name: "app.get setting is not a route", path: "src/server.js", after: "const port = app.get('port');\n"},
		{name: "route in a comment", path: "src/server.js", after: "// app.post('/api/users', createUser);\n/* router.get('/x', h) */\nconst x = 1;\n"},
		{name: "route in a string", path: "src/server.js", after: "const doc = \"app.post('/api/users', h)\";\n"},
		{name: "route in a template across lines", path: "src/doc.js", after: "const doc = `\n  app.post('/api/users', h)\n  child_process.exec(cmd)\n`;\n"},
		{name: "nest controller", path: "src/users.controller.ts", after: "@Controller('users')\nexport class UsersController {\n  @Post(':id/reset')\n  reset() {}\n}\n", want: []string{"entry-point"}},
		{name: "next api handler", path: "pages/api/users/[id].ts", after: "export default async function handler(req, res) {\n  res.json({ ok: true });\n}\n", want: []string{"entry-point"}},
		{name: "next app route", path: "app/(shop)/api/orders/route.ts", after: "export async function POST(request: Request) {\n  return Response.json({});\n}\n", want: []string{"entry-point"}},
		{name: "exec", path: "lib/run.js", after: "const { exec } = require('child_process');\nexec(`git log ${ref}`);\n", want: []string{"exec"}},
		{name: "exec as a variable name", path: "lib/run.js", after: "const exec = db.prepare(sql);\nconst m = /a+/.exec(text);\n"},
		{name: "eval", path: "lib/calc.js", after: "const v = eval(expr);\n", want: []string{"exec"}},
		{name: "new Function", path: "lib/calc.js", after: "const f = new Function('a', body);\n", want: []string{"exec"}},
		{name: "egress host", path: "lib/pay.js", after: "await fetch('https://api.stripe.com/v1/charges', { method: 'POST' });\n", want: []string{"egress"}},
		{name: "relative fetch", path: "web/app.js", after: "const r = await fetch('/api/me');\n"},
		{name: "tls off", path: "lib/client.js", after: "const agent = new https.Agent({ rejectUnauthorized: false });\n", want: []string{"crypto"}},
		{name: "tls on", path: "lib/client.js", after: "const agent = new https.Agent({ rejectUnauthorized: true });\n"},
		{name: "weak random token", path: "lib/tokens.js", after: "const resetToken = Math.random().toString(36).slice(2);\n", want: []string{"crypto"}},
		{name: "random for layout", path: "web/ui.js", after: "const jitter = Math.random() * 10;\n"},
		{name: "cors any", path: "src/app.js", after: "app.use(cors());\n", want: []string{"web-config"}},
		{name: "cors allowlist", path: "src/app.js", after: "app.use(cors({ origin: ['https://app.example.com'] }));\n"},
		{name: "csrf removed", path: "src/app.js", before: "app.use(helmet());\napp.use(csrf({ cookie: true }));\n", after: "app.use(helmet());\n", want: []string{"old:web-config"}},
		{name: "sql template", path: "src/db.js", after: "const rows = await db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);\n", want: []string{"data"}},
		{name: "sql parameterised", path: "src/db.js", after: "const rows = await db.query('SELECT * FROM users WHERE id = $1', [req.params.id]);\n"},
		{name: "auth removed", path: "src/routes.js", before: "router.delete('/users/:id', requireAuth, removeUser);\n", after: "router.delete('/users/:id', removeUser);\n", want: []string{"old:auth"}},
		{name: "auth kept on edited line", path: "src/routes.js", before: "router.delete('/users/:id', requireAuth, removeUser);\n", after: "router.delete('/users/:id', requireAuth, audit, removeUser);\n"},
		{name: "jwt none", path: "src/auth.js", after: "jwt.verify(token, key, { algorithms: ['HS256', 'none'] });\n", want: []string{"auth"}},
		{name: "upload", path: "src/upload.js", after: "const upload = multer({ dest: 'uploads/' });\n", want: []string{"file"}},
		{name: "write from request", path: "src/save.js", after: "fs.writeFileSync(path.join(dir, req.body.name), data);\n", want: []string{"file"}},
		{name: "native addon", path: "src/native.js", after: "const ffi = require('ffi-napi');\n", want: []string{"native"}},
		{name: "log secret", path: "src/login.js", after: "console.log(`login ${user.email} with ${password}`);\n", want: []string{"logging"}},
		{name: "log prose mentioning password", path: "src/login.js", after: "console.log('password reset email sent');\n"},
		{name: "yaml load", path: "src/cfg.js", after: "const cfg = yaml.load(fs.readFileSync(p, 'utf8'));\n", want: []string{"deserialization"}},
		{name: "regex literal with quotes", path: "src/re.js", after: "const q = /'\"/g; eval(x);\n", want: []string{"exec"}},
	})
}

func TestPython(t *testing.T) {
	checkCases(t, []detectCase{
		{name: "flask route", path: "app/views.py", after: "@app.route('/admin/export', methods=['POST'])\ndef export():\n    return ''\n", want: []string{"entry-point"}},
		{name: "fastapi route", path: "app/api.py", after: "@router.post(\"/items\")\nasync def create(item: Item):\n    return item\n", want: []string{"entry-point"}},
		{name: "django url", path: "shop/urls.py", after: "urlpatterns = [\n    path('refund/<int:pk>/', views.refund),\n]\n", want: []string{"entry-point"}},
		{name: "subprocess shell", path: "tools/run.py", after: "subprocess.run(cmd, shell=True)\n", want: []string{"exec"}},
		{name: "eval in a docstring", path: "tools/calc.py", after: "def calc(x):\n    \"\"\"Never call eval(x) here.\n    os.system('rm') neither.\n    \"\"\"\n    return int(x)\n"},
		{name: "exec in a comment", path: "tools/calc.py", after: "# subprocess.run(cmd, shell=True)\nx = 1\n"},
		{name: "method named exec", path: "tools/db.py", after: "cursor.exec(stmt)\ndef exec(self):\n    pass\n"},
		{name: "requests host", path: "app/pay.py", after: "r = requests.post('https://hooks.slack.com/services/T0', json=body)\n", want: []string{"egress"}},
		{name: "verify false", path: "app/pay.py", after: "r = requests.get(url, verify=False)\n", want: []string{"egress", "crypto"}},
		{name: "verify true", path: "app/pay.py", before: "r = requests.get(url)\n", after: "r = requests.get(url, verify=True)\n"},
		{name: "pickle", path: "app/cache.py", after: "obj = pickle.loads(blob)\n", want: []string{"deserialization"}},
		{name: "yaml safe_load", path: "app/cfg.py", after: "cfg = yaml.safe_load(f)\ncfg2 = yaml.load(f, Loader=yaml.SafeLoader)\n"},
		{name: "yaml load", path: "app/cfg.py", after: "cfg = yaml.load(f)\n", want: []string{"deserialization"}},
		{name: "md5", path: "app/hash.py", after: "h = hashlib.md5(password.encode()).hexdigest()\n", want: []string{"crypto"}},
		{name: "md5 not for security", path: "app/hash.py", after: "h = hashlib.md5(data, usedforsecurity=False).hexdigest()\n"},
		{name: "debug app run", path: "app/main.py", after: "app.run(host='0.0.0.0', debug=True)\n", want: []string{"entry-point", "web-config"}},
		{name: "cors all", path: "app/main.py", after: "app.add_middleware(CORSMiddleware, allow_origins=[\"*\"])\n", want: []string{"web-config"}},
		{name: "cors allowlist", path: "app/main.py", after: "app.add_middleware(CORSMiddleware, allow_origins=[\"https://app.example.com\"])\n"},
		{name: "csrf exempt", path: "app/views.py", after: "@csrf_exempt\ndef hook(request):\n    pass\n", want: []string{"web-config"}},
		{name: "csrf middleware removed", path: "proj/settings.py", before: "MIDDLEWARE = [\n    'django.middleware.security.SecurityMiddleware',\n    'django.middleware.csrf.CsrfViewMiddleware',\n]\n", after: "MIDDLEWARE = [\n    'django.middleware.security.SecurityMiddleware',\n]\n", want: []string{"old:web-config"}},
		{name: "sql f-string", path: "app/db.py", after: "cursor.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n", want: []string{"data"}},
		{name: "sql parameterised", path: "app/db.py", after: "cursor.execute(\"SELECT * FROM users WHERE name = %s\", (name,))\n"},
		{name: "sql percent", path: "app/db.py", after: "cursor.execute(\"SELECT * FROM users WHERE name = '%s'\" % name)\n", want: []string{"data"}},
		{name: "login_required removed", path: "app/views.py", before: "@login_required\ndef admin(request):\n    pass\n", after: "def admin(request):\n    pass\n", want: []string{"old:auth"}},
		{name: "upload", path: "app/views.py", after: "from flask import request\n\nf = request.files['avatar']\n", want: []string{"file"}},
		{name: "a tool request's files are not uploads", path: "tools/chat.py", after: "from pydantic import BaseModel\n\ncontent = read_files(request.files)\n"},
		{name: "extractall", path: "app/unpack.py", after: "tar.extractall(dest)\n", want: []string{"file"}},
		{name: "extractall with filter", path: "app/unpack.py", after: "tar.extractall(dest, filter='data')\n"},
		{name: "ctypes", path: "app/fast.py", after: "import ctypes\n", want: []string{"native"}},
		{name: "ctypes loads a library", path: "app/fast.py", after: "import ctypes\n_lib = ctypes.CDLL(path)\n", want: []string{"native"}},
		{name: "log secret", path: "app/auth.py", after: "logger.info(f\"token={token}\")\n", want: []string{"logging"}},
		{name: "log secret in comment", path: "app/auth.py", after: "# logger.info(token)\nlogger.info('token refreshed')\n"},
	})
}

func TestJVM(t *testing.T) {
	checkCases(t, []detectCase{
		{name: "spring route", path: "src/main/java/a/UserController.java", after: "@PostMapping(\"/users/{id}/reset\")\npublic void reset() {}\n", want: []string{"entry-point"}},
		{name: "route in javadoc", path: "src/main/java/a/UserController.java", after: "/**\n * @PostMapping(\"/users\") was removed\n */\nclass A {}\n"},
		{name: "runtime exec", path: "src/main/java/a/Run.java", after: "Process p = Runtime.getRuntime().exec(cmd);\n", want: []string{"exec"}},
		{name: "object input stream", path: "src/main/java/a/Load.java", after: "ObjectInputStream in = new ObjectInputStream(socket.getInputStream());\n", want: []string{"deserialization"}},
		{name: "xml parser without secure processing", path: "src/main/java/a/Xml.java", after: "DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();\n", want: []string{"deserialization"}},
		{name: "xml parser hardened", path: "src/main/java/a/Xml.java", after: "DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();\nf.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true);\n"},
		{name: "trust all", path: "src/main/java/a/Tls.java", after: "conn.setHostnameVerifier((h, s) -> true);\n", want: []string{"crypto"}},
		{name: "md5", path: "src/main/java/a/Hash.java", after: "byte[] hashPassword(String password) {\nMessageDigest md = MessageDigest.getInstance(\"MD5\");\n", want: []string{"crypto"}},
		{name: "md5 for a cache key", path: "src/main/java/a/Cache.java", after: "String cacheKey(String url) {\nMessageDigest md = MessageDigest.getInstance(\"MD5\");\n"},
		{name: "sha256", path: "src/main/java/a/Hash.java", after: "MessageDigest md = MessageDigest.getInstance(\"SHA-256\");\n"},
		{name: "csrf disabled", path: "src/main/java/a/Sec.java", after: "http.csrf(AbstractHttpConfigurer::disable);\n", want: []string{"web-config"}},
		{name: "cors allowlist", path: "src/main/java/a/Web.java", after: "@CrossOrigin(origins = \"https://app.example.com\")\n"},
		{name: "sql concat", path: "src/main/java/a/Dao.java", after: "ResultSet rs = stmt.executeQuery(\"SELECT * FROM users WHERE id = \" + id);\n", want: []string{"data"}},
		{name: "sql prepared", path: "src/main/java/a/Dao.java", after: "PreparedStatement ps = conn.prepareStatement(\"SELECT * FROM users WHERE id = ?\");\n"},
		{name: "preauthorize removed", path: "src/main/java/a/Admin.java", before: "@PreAuthorize(\"hasRole('ADMIN')\")\npublic void wipe() {}\n", after: "public void wipe() {}\n", want: []string{"old:auth"}},
		{name: "permitAll", path: "src/main/java/a/Sec.java", after: "http.authorizeHttpRequests(a -> a.requestMatchers(\"/admin/**\").permitAll());\n", want: []string{"auth"}},
		{name: "upload", path: "src/main/java/a/Up.java", after: "public String upload(@RequestParam MultipartFile file) {\n", want: []string{"file"}},
		{name: "jni", path: "src/main/java/a/Fast.java", after: "private static native int crc(byte[] b, int n);\n", want: []string{"native"}},
		{name: "http client host", path: "src/main/kotlin/a/Pay.kt", after: "val req = HttpRequest.newBuilder(URI.create(\"https://api.paypal.com/v2\")).build()\n", want: []string{"egress"}},
		{name: "log secret", path: "src/main/java/a/Login.java", after: "log.info(\"login {} {}\", user, password);\n", want: []string{"logging"}},
	})
}

func TestRubyCSharpPHPRust(t *testing.T) {
	checkCases(t, []detectCase{
		{name: "rails routes", path: "config/routes.rb", before: "Rails.application.routes.draw do\nend\n", after: "Rails.application.routes.draw do\n  post '/webhooks/stripe', to: 'webhooks#stripe'\n  resources :invoices\nend\n", want: []string{"entry-point"}},
		{name: "ruby system", path: "app/jobs/convert.rb", after: "system(\"convert #{path} out.png\")\n", want: []string{"exec"}},
		{name: "ruby backticks", path: "app/jobs/convert.rb", after: "out = `git rev-parse HEAD`\n", want: []string{"exec"}},
		{name: "ruby exec variable", path: "app/jobs/convert.rb", after: "exec = Executor.new\nexec.run\n"},
		{name: "ruby =begin block", path: "app/jobs/convert.rb", after: "=begin\nsystem(\"rm -rf /\")\n=end\nx = 1\n"},
		{name: "ruby heredoc", path: "app/jobs/convert.rb", after: "doc = <<~TXT\n  system(\"rm -rf /\")\nTXT\n"},
		{name: "protect_from_forgery removed", path: "app/controllers/application_controller.rb", before: "class ApplicationController < ActionController::Base\n  protect_from_forgery with: :exception\nend\n", after: "class ApplicationController < ActionController::Base\nend\n", want: []string{"old:web-config"}},
		{name: "authenticate removed", path: "app/controllers/admin_controller.rb", before: "class AdminController < ApplicationController\n  before_action :authenticate_user!\nend\n", after: "class AdminController < ApplicationController\nend\n", want: []string{"old:auth"}},
		{name: "where interpolation", path: "app/models/user.rb", after: "User.where(\"email = '#{params[:email]}'\")\n", want: []string{"data"}},
		{name: "where placeholder", path: "app/models/user.rb", after: "User.where(\"email = ?\", params[:email])\n"},
		{name: "ruby verify none", path: "lib/client.rb", after: "http.verify_mode = OpenSSL::SSL::VERIFY_NONE\n", want: []string{"crypto"}},
		{name: "ruby marshal", path: "lib/cache.rb", after: "obj = Marshal.load(blob)\n", want: []string{"deserialization"}},
		{name: "ruby yaml safe", path: "lib/cfg.rb", after: "cfg = YAML.safe_load(text)\n"},
		{name: "aspnet route", path: "Controllers/UsersController.cs", after: "[HttpDelete(\"{id}\")]\npublic IActionResult Delete(int id) => Ok();\n", want: []string{"entry-point"}},
		{name: "allow anonymous", path: "Controllers/UsersController.cs", after: "[AllowAnonymous]\npublic IActionResult Export() => Ok();\n", want: []string{"auth"}},
		{name: "authorize removed", path: "Controllers/AdminController.cs", before: "[Authorize(Roles = \"Admin\")]\npublic class AdminController {}\n", after: "public class AdminController {}\n", want: []string{"old:auth"}},
		{name: "cs cert callback", path: "Services/Client.cs", after: "handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => true;\n", want: []string{"crypto"}},
		{name: "cs process", path: "Services/Run.cs", after: "Process.Start(\"cmd.exe\", args);\n", want: []string{"exec"}},
		{name: "cs from sql raw", path: "Data/Repo.cs", after: "var u = db.Users.FromSqlRaw($\"SELECT * FROM Users WHERE Name = '{name}'\");\n", want: []string{"data"}},
		{name: "cs from sql interpolated", path: "Data/Repo.cs", after: "var u = db.Users.FromSqlInterpolated($\"SELECT * FROM Users WHERE Name = {name}\");\n"},
		{name: "cs verbatim string", path: "Data/Doc.cs", after: "var s = @\"Process.Start(\"\"x\"\")\";\n"},
		{name: "cs unsafe", path: "Native/Buf.cs", after: "unsafe { byte* p = &b[0]; }\n", want: []string{"native"}},
		{name: "laravel route", path: "routes/web.php", after: "<?php\nRoute::post('/admin/import', [ImportController::class, 'store']);\n", want: []string{"entry-point"}},
		{name: "php shell_exec", path: "app/Jobs/Thumb.php", after: "<?php\n$out = shell_exec('convert ' . $file);\n", want: []string{"exec"}},
		{name: "php exec method", path: "app/Db.php", after: "<?php\n$pdo->exec($sql);\n"},
		{name: "php hash comment", path: "app/Db.php", after: "<?php\n# system($cmd);\n$x = 1;\n"},
		{name: "php unserialize", path: "app/Cache.php", after: "<?php\n$o = unserialize($_COOKIE['cart']);\n", want: []string{"deserialization"}},
		{name: "php curl verify off", path: "app/Http.php", after: "<?php\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n", want: []string{"crypto"}},
		{name: "php csrf except", path: "app/Http/Middleware/VerifyCsrfToken.php", before: "<?php\nclass VerifyCsrfToken extends Middleware\n{\n    protected $except = [\n    ];\n}\n", after: "<?php\nclass VerifyCsrfToken extends Middleware\n{\n    protected $except = [\n        'webhooks/*',\n    ];\n}\n", want: []string{"web-config"}},
		{name: "php sql", path: "app/Repo.php", after: "<?php\n$rows = DB::select(\"SELECT * FROM users WHERE email = '$email'\");\n", want: []string{"data"}},
		{name: "php sql bound", path: "app/Repo.php", after: "<?php\n$rows = DB::select('SELECT * FROM users WHERE email = ?', [$email]);\n"},
		{name: "axum route", path: "src/main.rs", after: "let app = Router::new().route(\"/admin/users\", post(create_user));\n", want: []string{"entry-point"}},
		{name: "actix route", path: "src/main.rs", after: "#[get(\"/health\")]\nasync fn health() -> impl Responder { \"ok\" }\n", want: []string{"entry-point"}},
		{name: "rust command", path: "src/run.rs", after: "let out = std::process::Command::new(\"git\").arg(\"log\").output()?;\n", want: []string{"exec"}},
		{name: "rust unsafe", path: "src/buf.rs", after: "let v = unsafe { *ptr.add(1) };\n", want: []string{"native"}},
		{name: "rust unsafe in comment and string", path: "src/buf.rs", after: "// unsafe { x }\nlet s = \"unsafe { x }\";\nfn f<'a>(x: &'a str) -> &'a str { x }\n"},
		{name: "rust danger", path: "src/client.rs", after: "let c = reqwest::Client::builder().danger_accept_invalid_certs(true).build()?;\n", want: []string{"egress", "crypto"}},
		{name: "rust cors", path: "src/main.rs", after: "let app = app.layer(CorsLayer::permissive());\n", want: []string{"web-config"}},
		{name: "rust sql format", path: "src/db.rs", after: "sqlx::query(&format!(\"SELECT * FROM users WHERE name = '{}'\", name))\n", want: []string{"data"}},
	})
}

func TestMessages(t *testing.T) {
	c := surfacetest.Change(t, "src/server.js", absent, "app.post('/api/users', createUser);\nawait fetch('https://api.stripe.com/v1/charges');\n")
	fs := New().Detect(c)
	if len(fs) != 2 {
		t.Fatalf("got %d findings: %+v", len(fs), fs)
	}
	if fs[0].Message != "new route POST /api/users" || fs[0].Token != "route" || fs[0].Severity != "medium" {
		t.Errorf("route finding: %+v", fs[0])
	}
	if fs[1].Token != "api.stripe.com" || !strings.Contains(fs[1].Message, "api.stripe.com") || fs[1].Line != 2 {
		t.Errorf("egress finding: %+v", fs[1])
	}
	c = surfacetest.Change(t, "app/views.py", "@login_required\ndef admin(request):\n    pass\n", "def admin(request):\n    pass\n")
	fs = New().Detect(c)
	if len(fs) != 1 || fs[0].Side != surface.SideOld || fs[0].Line != 1 || fs[0].Severity != "high" || fs[0].Rule != "py/auth-decorator" {
		t.Errorf("removed auth: %+v", fs)
	}
	c = surfacetest.Change(t, "pages/api/users/index.ts", absent, "export default function handler(req, res) {}\n")
	if fs = New().Detect(c); len(fs) != 1 || fs[0].Message != "new route /api/users (Next.js API handler)" {
		t.Errorf("next route: %+v", fs)
	}
}

func TestApplies(t *testing.T) {
	d := New()
	for p, want := range map[string]bool{
		"a.js": true, "a.tsx": true, "a.py": true, "A.java": true, "a.kt": true, "a.rb": true, "a.cs": true,
		"a.php": true, "a.rs": true, "a.go": false, "README.md": false, "app/api/x/route.ts": true,
	} {
		if got := d.Applies(p); got != want {
			t.Errorf("Applies(%q) = %v", p, got)
		}
	}
}
