package golang

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

type want struct {
	rule, side, severity, message string // message is a substring
	line                          int    // 0: any
}

type tcase struct {
	name          string
	path          string // default internal/app/app.go
	before, after string
	want          []want
	reject        []string // categories that must not appear
}

const absent = surfacetest.Absent

func runCases(t *testing.T, cases []tcase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.path
			if p == "" {
				p = "internal/app/app.go"
			}
			c := surfacetest.Change(t, p, tc.before, tc.after)
			got := New().Detect(c)
			for _, w := range tc.want {
				if !hasFinding(got, w) {
					t.Errorf("missing %+v\ngot:\n%s", w, dump(got))
				}
			}
			for _, cat := range tc.reject {
				for _, f := range got {
					if f.Category == cat {
						t.Errorf("unexpected %s finding: %s %s (%s)", cat, f.Rule, f.Message, f.Evidence)
					}
				}
			}
			for _, f := range got {
				if f.Line <= 0 || f.EndLine < f.Line || f.Evidence == "" || f.Message == "" || strings.Contains(f.Message, "\n") {
					t.Errorf("malformed finding %+v", f)
				}
			}
		})
	}
}

func hasFinding(fs []surface.Finding, w want) bool {
	for _, f := range fs {
		if f.Rule != w.rule {
			continue
		}
		side := w.side
		if side == "" {
			side = surface.SideNew
		}
		if f.Side != side || (w.severity != "" && f.Severity != w.severity) || !strings.Contains(f.Message, w.message) || (w.line != 0 && f.Line != w.line) {
			continue
		}
		return true
	}
	return false
}

func dump(fs []surface.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %s %s:%d-%d %q %q tok=%q\n", f.Side, f.Category, f.Rule, f.Severity, f.Line, f.EndLine, f.Message, f.Evidence, f.Token)
	}
	return b.String()
}

// goFile wraps a body in a package clause and imports.
func goFile(imports string, body string) string {
	s := "package app\n\n"
	if imports != "" {
		s += "import (\n" + imports + "\n)\n\n"
	}
	return s + body + "\n"
}

func TestEntryPoint(t *testing.T) {
	base := goFile(`	"net/http"`, "func routes(mux *http.ServeMux) {\n}")
	runCases(t, []tcase{
		{name: "go 1.22 pattern", before: base, after: goFile(`	"net/http"`, `func routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /orders/{id}/refund", refund)
}`), want: []want{{rule: "go/route", message: "new route POST /orders/{id}/refund", severity: "medium"}}},
		{name: "http.HandleFunc aliased", before: goFile(`	web "net/http"`, "func routes() {\n}"), after: goFile(`	web "net/http"`, `func routes() {
	web.HandleFunc("/healthz", health)
}`), want: []want{{rule: "go/route", message: "new route /healthz"}}},
		{name: "chi route group", before: goFile(`	"github.com/go-chi/chi/v5"`, "func routes(r chi.Router) {\n}"), after: goFile(`	"github.com/go-chi/chi/v5"`, `func routes(r chi.Router) {
	r.Route("/admin", func(r chi.Router) {
		r.Delete("/users/{id}", deleteUser)
	})
}`), want: []want{{rule: "go/route", message: "new route group /admin"}, {rule: "go/route", message: "new route DELETE /admin/users/{id}"}}},
		{name: "gin group variable", before: goFile(`	"github.com/gin-gonic/gin"`, "func routes(r *gin.Engine) {\n}"), after: goFile(`	"github.com/gin-gonic/gin"`, `func routes(r *gin.Engine) {
	v1 := r.Group("/v1")
	v1.POST("/payments", pay)
}`), want: []want{{rule: "go/route", message: "new route POST /v1/payments"}}},
		{name: "gorilla methods", before: goFile(`	"github.com/gorilla/mux"`, "func routes(r *mux.Router) {\n}"), after: goFile(`	"github.com/gorilla/mux"`, `func routes(r *mux.Router) {
	r.HandleFunc("/invoices", create).Methods("POST")
}`), want: []want{{rule: "go/route", message: "new route POST /invoices"}}},
		{name: "listener on all interfaces", before: goFile(`	"net"`, "func serve() {\n}"), after: goFile(`	"net"`, `func serve() {
	ln, _ := net.Listen("tcp", "0.0.0.0:9000")
	_ = ln
}`), want: []want{{rule: "go/listener", severity: "high", message: "0.0.0.0:9000"}}},
		{name: "listener on localhost", before: goFile(`	"net/http"`, "func serve() {\n}"), after: goFile(`	"net/http"`, `func serve() {
	http.ListenAndServe("127.0.0.1:8080", nil)
}`), want: []want{{rule: "go/listener", severity: "medium"}}},
		{name: "grpc server and service", before: goFile(`	"google.golang.org/grpc"`, "func serve() {\n}"), after: goFile(`	"google.golang.org/grpc"
	pb "example.com/api/billing"`, `func serve() {
	s := grpc.NewServer()
	pb.RegisterBillingServer(s, &billing{})
}`), want: []want{{rule: "go/grpc-server"}, {rule: "go/grpc-service", message: "Billing"}}},
		{name: "pprof import", before: goFile(`	"net/http"`, "var _ = http.Get"), after: goFile(`	"net/http"
	_ "net/http/pprof"`, "var _ = http.Get"), want: []want{{rule: "go/pprof", severity: "high"}, {rule: "go/pprof-exposed"}}},
		{name: "edited handler argument is not a new listener", before: goFile(`	"net/http"`, "func serve() {\n\thttp.ListenAndServe(\":8080\", router())\n}"), after: goFile(`	"net/http"`, "func serve() {\n\thttp.ListenAndServe(\":8080\", withCSRF(router()))\n}"), reject: []string{"entry-point"}},
		{name: "route only in a comment or string", before: base, after: goFile(`	"net/http"`, `// mux.HandleFunc("POST /admin", h) was removed in v2.
func routes(mux *http.ServeMux) {
	doc := "mux.HandleFunc(\"GET /secret\", h)"
	_ = doc
}`), reject: []string{"entry-point"}},
		{name: "map get is not a route", before: base, after: goFile(`	"net/http"`, `func routes(mux *http.ServeMux) {
	cache.Get("/users")
	q.Get("/x", "y")
}`), reject: []string{"entry-point"}},
	})
}

func TestAuth(t *testing.T) {
	chiImp := `	"github.com/go-chi/chi/v5"`
	withAuth := goFile(chiImp, `func routes(r chi.Router) {
	r.Route("/admin", func(r chi.Router) {
		r.Use(RequireAdmin)
		r.Get("/users", listUsers)
	})
}`)
	withoutAuth := goFile(chiImp, `func routes(r chi.Router) {
	r.Route("/admin", func(r chi.Router) {
		r.Get("/users", listUsers)
	})
}`)
	runCases(t, []tcase{
		{name: "auth middleware removed", before: withAuth, after: withoutAuth,
			want: []want{{rule: "go/auth-removed", side: "old", severity: "high", message: "removes auth middleware RequireAdmin from /admin routes"}}},
		{name: "auth middleware added", before: withoutAuth, after: withAuth,
			want: []want{{rule: "go/auth-middleware", severity: "medium", message: "RequireAdmin on /admin routes"}}},
		{name: "auth check call", before: goFile("", "func (s *Server) refund(id string) error {\n\treturn nil\n}"), after: goFile("", `func (s *Server) refund(id string) error {
	if err := s.authz.CheckPermission(ctx, "refund"); err != nil {
		return err
	}
	return nil
}`), want: []want{{rule: "go/auth-check", message: "CheckPermission"}}},
		{name: "jwt keyfunc accepts any method", before: goFile(`	"github.com/golang-jwt/jwt/v5"`, "var _ = jwt.New"), after: goFile(`	"github.com/golang-jwt/jwt/v5"`, `var _ = jwt.New

func parse(raw string, key []byte) (*jwt.Token, error) {
	return jwt.ParseWithClaims(raw, &Claims{}, func(t *jwt.Token) (any, error) {
		return key, nil
	})
}`), want: []want{{rule: "go/jwt-keyfunc-any", severity: "high"}}},
		{name: "constant-time compare removed", before: goFile(`	"crypto/subtle"`, `func ok(a, b []byte) bool {
	return subtle.ConstantTimeCompare(a, b) == 1
}`), after: goFile("", `func ok(a, b []byte) bool {
	return string(a) == string(b)
}`), want: []want{{rule: "go/constant-time-compare-removed", side: "old", severity: "high"}}},
		{name: "author is not auth", before: goFile("", "func show() {\n}"), after: goFile("", `func show(p Post) string {
	return p.GetAuthor() + formatAuthorName(p)
}`), reject: []string{"auth"}},
		{name: "moved auth function is not noise", before: goFile("", `func a() {}

func Authorize(role string) bool {
	return role == "admin"
}

func b() {}`), after: goFile("", `func a() {}

func b() {}

func Authorize(role string) bool {
	return role == "admin"
}`), reject: []string{"auth"}},
		{name: "a UI check of a session is not auth", before: goFile("", "func (m *UI) view() string {\n\treturn \"\"\n}"), after: goFile("", `func (m *UI) view() string {
	if !m.hasSession() {
		return ""
	}
	return m.render()
}`), reject: []string{"auth"}},
		{name: "an interface assertion is not auth", before: goFile("", "type X struct{}"), after: goFile("", "type X struct{}\n\nvar _ OAuthProvider = (*X)(nil)"), reject: []string{"auth"}},
		{name: "reading a permission flag for the UI is not auth", before: goFile("", "func (m *UI) prompt() string {\n\treturn \"\"\n}"), after: goFile("", `func (m *UI) prompt() string {
	yolo := m.com.Workspace.PermissionSkipRequests()
	return m.setEditorPrompt(yolo)
}`), reject: []string{"auth"}},
		{name: "a guard that denies is auth", before: goFile(`	"net/http"`, "func h(w http.ResponseWriter, r *http.Request) {\n}"), after: goFile(`	"net/http"`, `func h(w http.ResponseWriter, r *http.Request) {
	if !s.hasSession(r) {
		http.Error(w, "login required", http.StatusUnauthorized)
		return
	}
}`), want: []want{{rule: "go/auth-check", message: "hasSession"}}},
		{name: "a field of an OAuth config", before: goFile(`	"example.com/app/pkg/http/oauth"`, `func cfg(c Config) *oauth.Config {
	return &oauth.Config{
		BaseURL:      c.BaseURL,
		ResourcePath: c.ResourcePath,
	}
}`), after: goFile(`	"example.com/app/pkg/http/oauth"`, `func cfg(c Config) *oauth.Config {
	return &oauth.Config{
		BaseURL:             c.BaseURL,
		ResourcePath:        c.ResourcePath,
		AuthorizationServer: c.AuthorizationServer,
	}
}`), want: []want{{rule: "go/auth-config", severity: "medium", message: "sets AuthorizationServer of oauth.Config to c.AuthorizationServer"}}},
		{name: "a scope added to an OAuth config", before: goFile(`	"golang.org/x/oauth2"`, `var c = oauth2.Config{
	ClientID: id,
	Scopes:   []string{"repo"},
}`), after: goFile(`	"golang.org/x/oauth2"`, `var c = oauth2.Config{
	ClientID: id,
	Scopes:   []string{"repo", "admin:org"},
}`), want: []want{{rule: "go/auth-config", message: `sets Scopes of oauth2.Config to []string{"repo", "admin:org"}`}},
			reject: []string{}},
		{name: "an OAuth config realigned is no finding", before: goFile(`	"golang.org/x/oauth2"`, `var c = oauth2.Config{
	ClientID: id,
	Scopes: []string{"repo"},
}`), after: goFile(`	"golang.org/x/oauth2"`, `var c = oauth2.Config{
	ClientID: id,
	Scopes:   []string{"repo"},
}`), reject: []string{"auth"}},
		{name: "a scope taken out of an OAuth config", before: goFile(`	"golang.org/x/oauth2"`, `var c = oauth2.Config{
	ClientID: id,
	Scopes:   []string{"repo"},
}`), after: goFile(`	"golang.org/x/oauth2"`, `var c = oauth2.Config{
	ClientID: id,
}`), want: []want{{rule: "go/auth-config-removed", side: "old", message: "removes Scopes from oauth2.Config"}}},
		{name: "a config of another package is not auth", before: goFile(`	"example.com/app/pkg/cache"`, `var c = cache.Config{
	Size: 1,
}`), after: goFile(`	"example.com/app/pkg/cache"`, `var c = cache.Config{
	Size: 2,
}`), reject: []string{"auth"}},
		{name: "a directory's permission bits are not auth", before: goFile("", "type X struct{}"), after: goFile(`	"os"`, `type X struct{}

func FixBeadsDirPermissions(path string) (bool, error) {
	return true, os.Chmod(path, 0o700)
}`), reject: []string{"auth"}},
		{name: "auth function changed", before: goFile("", `func Authorize(role string) bool {
	return role == "admin"
}`), after: goFile("", `func Authorize(role string) bool {
	return role == "admin" || role == "support"
}`), want: []want{{rule: "go/auth-func", message: "changes auth logic in Authorize"}}},
	})
}

func TestWebConfig(t *testing.T) {
	runCases(t, []tcase{
		{name: "cors wildcard with credentials", before: goFile(`	"github.com/rs/cors"`, "var _ = cors.New"), after: goFile(`	"github.com/rs/cors"`, `var _ = cors.New

var c = cors.New(cors.Options{
	AllowedOrigins:   []string{"*"},
	AllowCredentials: true,
})`), want: []want{{rule: "go/cors-wildcard", severity: "high"}}},
		{name: "cors header", before: goFile(`	"net/http"`, "func h(w http.ResponseWriter, r *http.Request) {\n}"), after: goFile(`	"net/http"`, `func h(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
}`), want: []want{{rule: "go/cors-wildcard", severity: "medium"}}},
		{name: "cookie without flags", before: goFile(`	"net/http"`, "func h(w http.ResponseWriter) {\n}"), after: goFile(`	"net/http"`, `func h(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: "session_id", Value: sid, Path: "/"})
}`), want: []want{{rule: "go/cookie-flags", message: "Secure/HttpOnly"}, {rule: "go/session-cookie"}}},
		{name: "gin debug", before: goFile(`	"github.com/gin-gonic/gin"`, "func init() {\n}"), after: goFile(`	"github.com/gin-gonic/gin"`, `func init() {
	gin.SetMode(gin.DebugMode)
}`), want: []want{{rule: "go/gin-debug"}}},
		{name: "csrf removed", before: goFile(`	"github.com/gorilla/csrf"`, `func wrap(h http.Handler, key []byte) http.Handler {
	return csrf.Protect(key)(h)
}`), after: goFile("", `func wrap(h http.Handler, key []byte) http.Handler {
	return h
}`), want: []want{{rule: "go/csrf-removed", side: "old", severity: "high"}}},
		{name: "secure cookie", before: goFile(`	"net/http"`, "func h(w http.ResponseWriter) {\n}"), after: goFile(`	"net/http"`, `func h(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}`), reject: []string{"web-config"}},
		{name: "cors allow-list", before: goFile(`	"github.com/rs/cors"`, "var _ = cors.New"), after: goFile(`	"github.com/rs/cors"`, `var _ = cors.New(cors.Options{AllowedOrigins: []string{"https://app.example.com"}, AllowCredentials: true})`), reject: []string{"web-config"}},
	})
}

func TestEgress(t *testing.T) {
	runCases(t, []tcase{
		{name: "http post with literal url", before: goFile(`	"net/http"`, "var _ = http.Get"), after: goFile(`	"net/http"
	"strings"`, `var _ = http.Get

func refund(body string) error {
	_, err := http.Post("https://api.payments.example/v1/refunds", "application/json", strings.NewReader(body))
	return err
}`), want: []want{{rule: "go/http-call", message: "new outbound HTTP call to https://api.payments.example/v1/refunds"}}},
		{name: "new request via const and client", before: goFile(`	"net/http"`, "var _ = http.Get"), after: goFile(`	"net/http"`, `var _ = http.Get

const hooks = "https://hooks.partner.example/notify"

func notify() {
	req, _ := http.NewRequest("POST", hooks+"?v=2", nil)
	c := &http.Client{}
	c.Do(req)
}`), want: []want{{rule: "go/http-call", message: "hooks.partner.example"}, {rule: "go/http-client"}}},
		{name: "grpc dial", before: goFile(`	"google.golang.org/grpc"`, "var _ = grpc.Dial"), after: goFile(`	"google.golang.org/grpc"`, `var _ = grpc.Dial

func dial() {
	grpc.NewClient("ledger.internal:443")
}`), want: []want{{rule: "go/grpc-dial", message: "ledger.internal"}}},
		{name: "sdk client", before: goFile(`	"github.com/slack-go/slack"`, "var _ = slack.New"), after: goFile(`	"github.com/slack-go/slack"`, `var _ = slack.New

var api = slack.New(token)`), want: []want{{rule: "go/sdk-client", message: "slack.com"}}},
		{name: "url in a string only", before: goFile("", "var a = 1"), after: goFile("", `var a = 1

// We used to call http.Get("https://old.example") here.
var docs = "http.Post(\"https://api.example\")"`), reject: []string{"egress"}},
		{name: "url parsing is not egress", before: goFile(`	"net/url"`, "var _ = url.Parse"), after: goFile(`	"net/url"`, `var _ = url.Parse

var u, _ = url.Parse("https://api.example.com")`), reject: []string{"egress"}},
	})
}

func TestExec(t *testing.T) {
	runCases(t, []tcase{
		{name: "shell", before: goFile(`	"os/exec"`, "var _ = exec.Command"), after: goFile(`	"os/exec"`, `var _ = exec.Command

func run(script string) error {
	return exec.Command("sh", "-c", script).Run()
}`), want: []want{{rule: "go/exec-command", severity: "high", message: "runs a shell: sh -c"}}},
		{name: "aliased import", before: goFile(`	x "os/exec"`, "var _ = x.Command"), after: goFile(`	x "os/exec"`, `var _ = x.Command

func run() error {
	return x.CommandContext(ctx, "git", "fetch").Run()
}`), want: []want{{rule: "go/exec-command", message: `runs "git"`}}},
		{name: "dot import", before: goFile(`	. "os/exec"`, "var _ = Command"), after: goFile(`	. "os/exec"`, `var _ = Command

func run() { Command("ls").Run() }`), want: []want{{rule: "go/exec-command"}}},
		{name: "plugin", before: goFile(`	"plugin"`, "var _ = plugin.Open"), after: goFile(`	"plugin"`, `var _ = plugin.Open

func load(p string) { plugin.Open(p) }`), want: []want{{rule: "go/plugin-open"}}},
		{name: "comment and string only", before: goFile("", "func run() {\n}"), after: goFile("", `// exec.Command("sh", "-c", cmd) is what we must never do here.
func run() {
	msg := "exec.Command(\"rm\", \"-rf\", \"/\")"
	_ = msg
}`), reject: []string{"exec"}},
		{name: "local type named exec", before: goFile("", "func run() {\n}"), after: goFile("", `func run() {
	exec := runner{}
	exec.Command("ls")
}`), reject: []string{"exec"}},
	})
}

func TestNative(t *testing.T) {
	runCases(t, []tcase{
		{name: "unsafe", before: goFile("", "func b(s string) []byte { return []byte(s) }"), after: goFile(`	"unsafe"`, "func b(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }"),
			want: []want{{rule: "go/unsafe"}}},
		{name: "cgo", before: "package app\n", after: "package app\n\n// #include <stdlib.h>\nimport \"C\"\n\nfunc f() { C.free(nil) }\n", want: []want{{rule: "go/cgo"}}},
		{name: "linkname", before: "package app\n\nimport _ \"unsafe\"\n", after: "package app\n\nimport _ \"unsafe\"\n\n//go:linkname nanotime runtime.nanotime\nfunc nanotime() int64\n", want: []want{{rule: "go/linkname", message: "runtime.nanotime"}}},
		{name: "syscall", before: goFile(`	"syscall"`, "var _ = syscall.Getpid"), after: goFile(`	"syscall"`, "var _ = syscall.Getpid\n\nfunc f() { syscall.Syscall(1, 0, 0, 0) }"), want: []want{{rule: "go/syscall"}}},
		{name: "unsafe in a comment", before: "package app\n", after: "package app\n\n// Do not use unsafe.Pointer here; see import \"C\" docs.\nfunc f() {}\n", reject: []string{"native"}},
	})
}

func TestFile(t *testing.T) {
	imp := `	"net/http"
	"os"
	"path/filepath"`
	base := goFile(imp, "var _ = os.Create\nvar _ = filepath.Join\nvar _ = http.Get")
	runCases(t, []tcase{
		{name: "write from form value", before: base, after: base + `
func save(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	p := filepath.Join("/srv/uploads", name)
	os.WriteFile(p, []byte("x"), 0o644)
}
`, want: []want{{rule: "go/file-write-tainted", severity: "high"}}},
		{name: "upload", before: base, after: base + `
func upload(w http.ResponseWriter, r *http.Request) {
	f, hdr, _ := r.FormFile("file")
	defer f.Close()
	out, _ := os.Create(filepath.Join("/srv/uploads", hdr.Filename))
	_ = out
}
`, want: []want{{rule: "go/upload"}, {rule: "go/file-write-tainted"}}},
		{name: "zip slip", before: goFile(`	"archive/zip"
	"os"`, "var _ = zip.OpenReader\nvar _ = os.Create"), after: goFile(`	"archive/zip"
	"os"
	"path/filepath"`, `var _ = zip.OpenReader
var _ = os.Create

func unzip(src, dest string) error {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	for _, f := range zr.File {
		out, _ := os.Create(filepath.Join(dest, f.Name))
		_ = out
	}
	return nil
}`), want: []want{{rule: "go/archive-extract", severity: "high"}}},
		{name: "constant path", before: base, after: base + `
func save(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	_ = ctx
	os.WriteFile(filepath.Join(os.TempDir(), "cache.json"), []byte("{}"), 0o644)
}
`, reject: []string{"file"}},
	})
}

func TestData(t *testing.T) {
	imp := `	"database/sql"
	"fmt"`
	base := goFile(imp, "var _ = fmt.Sprintf\nvar _ *sql.DB")
	runCases(t, []tcase{
		{name: "sprintf", before: base, after: base + `
func find(db *sql.DB, name string) {
	db.Query(fmt.Sprintf("SELECT * FROM users WHERE name = '%s'", name))
}
`, want: []want{{rule: "go/sql-string-built", severity: "high", message: "raw SQL built with fmt.Sprintf"}}},
		{name: "concatenation through a variable", before: goFile("", "type S struct{}"), after: goFile("", `type S struct{}

func (s *S) find(ctx context.Context, id string) {
	q := "SELECT * FROM orders WHERE id = " + id
	s.db.QueryRowContext(ctx, q)
}`), want: []want{{rule: "go/sql-string-built", message: "string concatenation"}}},
		{name: "strings.Builder", before: goFile(`	"strings"`, "var _ strings.Builder"), after: goFile(`	"strings"`, `var _ strings.Builder

func (s *S) search(col string) {
	var sb strings.Builder
	sb.WriteString("SELECT id FROM items ORDER BY ")
	sb.WriteString(col)
	s.db.Query(sb.String())
}`), want: []want{{rule: "go/sql-string-built", message: "strings.Builder"}}},
		{name: "sensitive field", before: goFile("", "type User struct {\n\tID int `json:\"id\"`\n}"), after: goFile("", "type User struct {\n\tID int `json:\"id\"`\n\tPassword string `json:\"password\"`\n}"),
			want: []want{{rule: "go/sensitive-field", message: "User.Password"}}},
		{name: "parameterised", before: base, after: base + `
const byName = "SELECT * FROM users WHERE name = $1"

func find(db *sql.DB, name string) {
	db.Query("SELECT * FROM users WHERE id = $1", name)
	db.Query(byName, name)
	db.Query("SELECT * FROM " + "users")
}
`, reject: []string{"data"}},
		{name: "token expiry is not sensitive", before: goFile("", "type S struct {\n\tID int `json:\"id\"`\n}"), after: goFile("", "type S struct {\n\tID int `json:\"id\"`\n\tTokenExpiry int `json:\"token_expiry\"`\n\tMaxTokens int `json:\"max_tokens\"`\n}"), reject: []string{"data"}},
	})
}

func TestDeserialization(t *testing.T) {
	runCases(t, []tcase{
		{name: "gob", before: goFile(`	"encoding/gob"`, "var _ = gob.Register"), after: goFile(`	"encoding/gob"
	"net/http"`, `var _ = gob.Register

func h(w http.ResponseWriter, r *http.Request) {
	var v Job
	gob.NewDecoder(r.Body).Decode(&v)
}`), want: []want{{rule: "go/gob-decode", message: "from the request"}}},
		{name: "xml from body", before: goFile(`	"encoding/xml"`, "var _ = xml.Marshal"), after: goFile(`	"encoding/xml"
	"io"
	"net/http"`, `var _ = xml.Marshal

func h(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var inv Invoice
	xml.Unmarshal(body, &inv)
}`), want: []want{{rule: "go/xml-untrusted"}}},
		{name: "yaml into any", before: goFile(`	"gopkg.in/yaml.v3"`, "var _ = yaml.Marshal"), after: goFile(`	"gopkg.in/yaml.v3"
	"io"
	"net/http"`, `var _ = yaml.Marshal

func h(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var cfg map[string]any
	yaml.Unmarshal(body, &cfg)
}`), want: []want{{rule: "go/yaml-any"}}},
		{name: "json is fine", before: goFile(`	"encoding/json"`, "var _ = json.Marshal"), after: goFile(`	"encoding/json"
	"net/http"`, `var _ = json.Marshal

func h(w http.ResponseWriter, r *http.Request) {
	var v map[string]any
	json.NewDecoder(r.Body).Decode(&v)
}`), reject: []string{"deserialization"}},
	})
}

func TestCrypto(t *testing.T) {
	runCases(t, []tcase{
		{name: "skip verify", before: goFile(`	"crypto/tls"`, "var cfg = &tls.Config{\n\tMinVersion: tls.VersionTLS12,\n}"), after: goFile(`	"crypto/tls"`, "var cfg = &tls.Config{\n\tMinVersion: tls.VersionTLS12,\n\tInsecureSkipVerify: true,\n}"),
			want: []want{{rule: "go/tls-insecure-skip-verify", severity: "critical"}}},
		{name: "aliased tls, old version", before: "package app\n", after: goFile(`	t "crypto/tls"`, "var cfg = t.Config{MinVersion: t.VersionTLS10}"), want: []want{{rule: "go/tls-min-version"}}},
		{name: "md5", before: goFile(`	"crypto/md5"`, "var _ = md5.New"), after: goFile(`	"crypto/md5"`, "var _ = md5.New\n\nfunc hashPassword(b []byte) [16]byte { return md5.Sum(b) }"), want: []want{{rule: "go/weak-hash", severity: "medium", message: "protecting hashPassword"}}},
		{name: "md5 for an etag protects nothing", before: goFile(`	"crypto/md5"`, "var _ = md5.New"), after: goFile(`	"crypto/md5"`, "var _ = md5.New\n\nfunc etag(b []byte) [16]byte { return md5.Sum(b) }"), reject: []string{"crypto"}},
		{name: "math/rand token", before: goFile(`	"math/rand"`, "var _ = rand.Intn"), after: goFile(`	"math/rand"`, `var _ = rand.Intn

func GenerateResetToken() string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(rand.Intn(256))
	}
	return string(b)
}`), want: []want{{rule: "go/math-rand-secret", severity: "high"}}},
		{name: "skip verify false", before: goFile(`	"crypto/tls"`, "var cfg = &tls.Config{}"), after: goFile(`	"crypto/tls"`, "var cfg = &tls.Config{InsecureSkipVerify: false, MinVersion: tls.VersionTLS13}"), reject: []string{"crypto"}},
		{name: "crypto/rand aliased as rand", before: goFile(`	"crypto/rand"`, "var _ = rand.Read"), after: goFile(`	"crypto/rand"`, "var _ = rand.Read\n\nfunc newToken(b []byte) { rand.Read(b) }"), reject: []string{"crypto"}},
		{name: "math/rand in a key press handler makes no key", before: goFile(`	"math/rand"`, "var _ = rand.Intn"), after: goFile(`	"math/rand"`, "var _ = rand.Intn\n\nfunc handleKeyPressMsg() int { return rand.Intn(1000) }\n\nfunc statusCode() int { return rand.Intn(600) }"), reject: []string{"crypto"}},
		{name: "math/rand for an API key", before: goFile(`	"math/rand"`, "var _ = rand.Intn"), after: goFile(`	"math/rand"`, "var _ = rand.Intn\n\nfunc newAPIKey() int { return rand.Int() }"), want: []want{{rule: "go/math-rand-secret"}}},
		{name: "math/rand for jitter", before: goFile(`	"math/rand"`, "var _ = rand.Intn"), after: goFile(`	"math/rand"`, "var _ = rand.Intn\n\nfunc backoff() int { return rand.Intn(100) }"), reject: []string{"crypto"}},
	})
}

func TestLogging(t *testing.T) {
	runCases(t, []tcase{
		{name: "a price per token is not a token", before: goFile(`	"log/slog"`, "var _ = slog.Info"), after: goFile(`	"log/slog"`, `var _ = slog.Info

func cost(m Model) {
	slog.Info("pricing", "input", m.InputCostPerToken, "window", m.TokenWindow)
}`), reject: []string{"logging"}},
		{name: "log password", before: goFile(`	"log"`, "var _ = log.Printf"), after: goFile(`	"log"`, `var _ = log.Printf

func login(user, password string) {
	log.Printf("login %s %s", user, password)
}`), want: []want{{rule: "go/log-secret", message: "password"}}},
		{name: "slog key", before: goFile(`	"log/slog"`, "var _ = slog.Info"), after: goFile(`	"log/slog"`, `var _ = slog.Info

func refresh(t string) {
	slog.Info("refreshed", "token", t)
}`), want: []want{{rule: "go/log-secret", message: `"token"`}}},
		{name: "request headers", before: goFile(`	"net/http"`, "var _ = http.Get"), after: goFile(`	"net/http"`, `var _ = http.Get

func h(w http.ResponseWriter, r *http.Request) {
	logger.Debugf("headers: %v", r.Header)
}`), want: []want{{rule: "go/log-secret", message: "headers"}}},
		{name: "error detail", before: goFile(`	"net/http"`, "var _ = http.Get"), after: goFile(`	"net/http"`, `var _ = http.Get

func h(w http.ResponseWriter, r *http.Request) {
	if err := do(); err != nil {
		http.Error(w, err.Error(), 500)
	}
}`), want: []want{{rule: "go/error-detail", severity: "low"}}},
		{name: "password reset message", before: goFile(`	"log"`, "var _ = log.Printf"), after: goFile(`	"log"`, `var _ = log.Printf

func reset(email string, tokenExpiry int) {
	log.Printf("password reset requested for %s", email)
	log.Printf("token expires in %d", tokenExpiry)
	log.Printf("password length %d", len(password))
}`), reject: []string{"logging"}},
	})
}

func TestTestFileStillDetected(t *testing.T) {
	runCases(t, []tcase{{name: "exec in a test", path: "internal/app/app_test.go",
		before: goFile(`	"os/exec"`, "var _ = exec.Command"), after: goFile(`	"os/exec"`, "var _ = exec.Command\n\nfunc helper() { exec.Command(\"make\").Run() }"),
		want: []want{{rule: "go/exec-command"}}}})
}

func TestMovedCodeIsNotNew(t *testing.T) {
	before := goFile(`	"os/exec"`, `func a() {}

func run() error {
	return exec.Command("git", "gc").Run()
}

func b() {}`)
	after := goFile(`	"os/exec"`, `func a() {}

func b() {}

func run() error {
	return exec.Command("git", "gc").Run()
}`)
	got := New().Detect(surfacetest.Change(t, "internal/app/app.go", before, after))
	if len(got) != 0 {
		t.Errorf("moved function reported:\n%s", dump(got))
	}
}

func TestUnparsable(t *testing.T) {
	runCases(t, []tcase{
		{name: "broken after", before: "package app\n", after: "package app\n\nfunc f( {\n\texec.Command(\"sh\", \"-c\", x)\n", reject: surface.Categories},
		{name: "broken before, removal", before: "package app\n\nfunc (\n\tRequireAdmin(\n", after: "package app\n", reject: surface.Categories},
		{name: "not go at all", before: "", after: "\x00\xff{{{", reject: surface.Categories},
	})
}

func TestDetectorIdentity(t *testing.T) {
	d := New()
	if d.Name() != "go" || !d.Applies("cmd/main.go") || d.Applies("main.py") || d.Applies("go.mod") {
		t.Fatal("wrong name or applies")
	}
	if d.Detect(&surface.Change{}) != nil {
		t.Fatal("empty change must give nothing")
	}
}

// TestAuthMiddlewareThroughGroup: routes that move from a wrapped handler
// (auth(h)) into a chi group that attaches the same middleware with Use are
// still behind it, so nothing is removed; a route registered outside the
// group has lost it.
func TestAuthMiddlewareThroughGroup(t *testing.T) {
	const before = `package main

import (
	"net/http"

	"example.com/app/handlers"
)

func routes(keys []string, h *handlers.Orders) *http.ServeMux {
	auth := handlers.RequireAPIKey(keys)
	mux := http.NewServeMux()
	mux.Handle("GET /orders/{id}", auth(http.HandlerFunc(h.Get)))
	mux.Handle("GET /orders", auth(http.HandlerFunc(h.List)))
	return mux
}
`
	group := func(inside, outside string) string {
		return `package main

import (
	"github.com/go-chi/chi/v5"

	"example.com/app/handlers"
)

func routes(keys []string, h *handlers.Orders) chi.Router {
	r := chi.NewRouter()
	r.Group(func(r chi.Router) {
		r.Use(handlers.RequireAPIKey(keys))
` + inside + `	})
` + outside + `	return r
}
`
	}
	c := surfacetest.Change(t, "main.go", before, group("\t\tr.Get(\"/orders/{id}\", h.Get)\n\t\tr.Get(\"/orders\", h.List)\n", ""))
	for _, f := range New().Detect(c) {
		if f.Rule == "go/auth-removed" {
			t.Errorf("routes moved into a group behind the same middleware: %s %s", f.Rule, f.Message)
		}
	}
	c = surfacetest.Change(t, "main.go", before, group("\t\tr.Get(\"/orders/{id}\", h.Get)\n", "\tr.Get(\"/orders\", h.List)\n"))
	var removed []string
	for _, f := range New().Detect(c) {
		if f.Rule == "go/auth-removed" {
			removed = append(removed, f.Message)
		}
	}
	if len(removed) != 1 || !strings.Contains(removed[0], "route GET /orders") || strings.Contains(removed[0], "{id}") {
		t.Errorf("a route left outside the group: removals %q, want one for GET /orders", removed)
	}
}
