package golang

import (
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

// TestAgentDecisions: where an agent discovers config that can run
// commands, its allow-lists, the condition that skips the permission
// prompt, model-chosen paths, fetched code and untrusted text in a model's
// instructions.
func TestAgentDecisions(t *testing.T) {
	lookup := func(paths string) string {
		return goFile(`	"path/filepath"`, "func lookupConfigs(cwd string) []string {\n\tpaths := []string{\n"+paths+"\t}\n\treturn paths\n}\n\nvar _ = filepath.Join")
	}
	gate := func(cond string) string {
		return goFile(`	"strings"`, "func (t *bash) run(cmd string) error {\n"+cond+"\tif !safe {\n\t\tif err := t.permissions.Request(cmd); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n\treturn nil\n}\n\nvar _ = strings.HasPrefix")
	}
	perm := func(body string) string {
		return "package permission\n\nimport \"sync\"\n\ntype service struct {\n\tmu      sync.Mutex\n\tallowed map[string]bool\n}\n\n" + body + "\n"
	}
	grant := "func (s *service) Grant(tool string) bool {\n\tif s.allowed[tool] {\n\t\treturn false\n\t}\n\ts.allowed[tool] = true\n\treturn true\n}\n"
	runCases(t, []tcase{
		{name: "a lock taken in an auth function decides nothing", before: perm(grant),
			after: perm(strings.Replace(grant, "{\n\tif", "{\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\tif", 1)), reject: []string{"auth"}},
		{name: "an auth function that now returns its verdict is not new", before: perm("func (s *service) Deny(tool string) {\n\ts.reject(tool)\n}\n\nfunc (s *service) reject(string) bool { return true }\n"),
			after: perm("func (s *service) Deny(tool string) bool {\n\treturn s.reject(tool)\n}\n\nfunc (s *service) reject(string) bool { return true }\n"), reject: []string{"auth"}},
		{name: "an auth function's condition changed is reported at the condition", before: perm(grant),
			after: perm(strings.Replace(grant, "if s.allowed[tool] {", "if s.allowed[tool] || tool == \"bash\" {", 1)),
			want:  []want{{rule: "go/auth-func", message: "changes auth logic in Grant", line: 11}}},
		{name: "returns that only gained the bool of a new signature decide nothing",
			before: perm("func (s *service) Allow(tool string) error {\n\tif err := s.check(tool); err != nil {\n\t\treturn err\n\t}\n\tif tool == \"\" {\n\t\treturn errEmpty\n\t}\n\treturn nil\n}\n"),
			after:  perm("func (s *service) Allow(tool string) (bool, error) {\n\tif err := s.check(tool); err != nil {\n\t\treturn false, err\n\t}\n\tif tool == \"\" {\n\t\treturn false, errEmpty\n\t}\n\treturn true, nil\n}\n"), reject: []string{"auth"}},
		{name: "an argument count checked in an auth command decides nothing",
			before: perm("func handlePermissions(args []string) error {\n\treturn allow(args)\n}\n"),
			after:  perm("func handlePermissions(args []string) error {\n\tif len(args) < 2 {\n\t\treturn usage(\"permissions allow <tool>\")\n\t}\n\treturn allow(args)\n}\n"), reject: []string{"auth"}},
		{name: "an auth check that only took another shape is not new",
			before: goFile(`	"context"`, "func (b *B) Refresh(ctx context.Context) error {\n\treturn b.cfg.RefreshOAuthToken(ctx)\n}"),
			after:  goFile(`	"context"`, "func (b *B) Refresh(ctx context.Context) error {\n\tif err := b.cfg.RefreshOAuthToken(ctx); err != nil {\n\t\treturn err\n\t}\n\tb.publish()\n\treturn nil\n}"), reject: []string{"auth"}},
		{name: "a discovery loop moved into a helper looks nowhere new",
			before: goFile(`	"os"`, "func discoverConfigs(cfg C) []string {\n\tvar out []string\n\tfor _, p := range cfg.Paths {\n\t\tout = append(out, os.ExpandEnv(p))\n\t}\n\treturn out\n}\n\ntype C struct{ Paths []string }\n\nfunc (c C) Resolve() []string { return nil }"),
			after:  goFile(`	"os"`, "func discoverConfigs(cfg C) []string {\n\treturn cfg.Resolve()\n}\n\ntype C struct{ Paths []string }\n\nfunc (c C) Resolve() []string { return nil }\n\nvar _ = os.ExpandEnv"),
			reject: []string{"exec"}},
		{name: "config discovery drops one of two calls to a location", before: lookup("\t\tglobalConfig(),\n\t\tshellSibling(globalConfig()),\n\t\tdataDir(),\n\t\tshellSibling(dataDir()),\n"),
			after: lookup("\t\tglobalConfig(),\n\t\tshellSibling(globalConfig()),\n\t\tdataDir(),\n"),
			want:  []want{{rule: "go/config-discovery", side: "old", message: "changes where lookupConfigs looks"}}},
		{name: "config discovery gains a script location", before: lookup("\t\tglobalConfig(),\n"),
			after: lookup("\t\tglobalConfig(),\n\t\tshellSibling(globalConfig()),\n"),
			want:  []want{{rule: "go/config-discovery", message: "changes where lookupConfigs looks"}}},
		{name: "config discovery loses a location: a change on the old side", before: lookup("\t\tglobalConfig(),\n\t\tshellSibling(dataDir()),\n"),
			after: lookup("\t\tglobalConfig(),\n"),
			want:  []want{{rule: "go/config-discovery", side: "old", message: "changes where lookupConfigs looks"}}},
		{name: "a comment edited in config discovery is nothing", before: lookup("\t\t// global\n\t\tglobalConfig(),\n"),
			after: lookup("\t\t// the user's global config\n\t\tglobalConfig(),\n"), reject: []string{"exec"}},
		{name: "allow-list edited", before: goFile("", "var safeCommands = []string{\"ls\", \"git status\"}"),
			after: goFile("", "var safeCommands = []string{\"ls\", \"git status\", \"git diff\"}"),
			want:  []want{{rule: "go/allow-list", message: "changes the allow-list safeCommands"}}},
		{name: "a list not named as an allow-list", before: goFile("", "var colors = []string{\"red\"}"),
			after: goFile("", "var colors = []string{\"red\", \"blue\"}"), reject: []string{"auth"}},
		{name: "the verdict that skips the permission prompt is computed anew",
			before: gate("\tsafe := isSafeReadOnly(cmd)\n"),
			after:  gate("\tsafe := false\n\tfor _, p := range prefixes {\n\t\tif strings.HasPrefix(cmd, p) {\n\t\t\tsafe = true\n\t\t}\n\t}\n"),
			want:   []want{{rule: "go/permission-gate", severity: "high", message: "changes when t.permissions.Request is skipped"}}},
		{name: "an edit beside the gate leaves it alone",
			before: gate("\tsafe := isSafeReadOnly(cmd)\n"),
			after:  gate("\tsafe := isSafeReadOnly(cmd)\n\tcmd = strings.TrimSpace(cmd)\n"), reject: []string{"auth"}},
		{name: "a tool handler writes where the model says",
			before: goFile(`	"context"
	"os"

	"charm.land/fantasy"`, "var _ = os.WriteFile"),
			after: goFile(`	"context"
	"os"

	"charm.land/fantasy"`, "var _ = os.WriteFile\n\nfunc tool() fantasy.AgentTool {\n\treturn fantasy.NewAgentTool(\"write\", \"\", func(ctx context.Context, params WriteParams, call fantasy.ToolCall) (fantasy.ToolResponse, error) {\n\t\tp := params.FilePath\n\t\treturn fantasy.ToolResponse{}, os.WriteFile(p, []byte(params.Content), 0o644)\n\t})\n}"),
			want: []want{{rule: "go/file-write-tool-path", severity: "high", message: "tool call's arguments"}}},
		{name: "an MCP handler reads where the model says",
			before: goFile(`	"os"

	"github.com/mark3labs/mcp-go/mcp"`, "var _ = os.ReadFile"),
			after: goFile(`	"os"

	"github.com/mark3labs/mcp-go/mcp"`, "var _ = os.ReadFile\n\nfunc read(req mcp.CallToolRequest) ([]byte, error) {\n\treturn os.ReadFile(req.GetString(\"path\", \"\"))\n}"),
			want: []want{{rule: "go/file-read-tool-path", message: "the model chooses what is read"}}},
		{name: "git clone of a branch", before: goFile(`	"os/exec"`, "var _ = exec.Command"),
			after:  goFile(`	"os/exec"`, "var _ = exec.Command\n\nfunc install(url, ref string) error {\n\treturn exec.Command(\"git\", \"clone\", \"--branch\", ref, url).Run()\n}"),
			want:   []want{{rule: "go/git-fetch", severity: "high", message: "a ref that can move"}},
			reject: []string{"exec"}},
		{name: "git fetch of a full commit id", before: goFile(`	"os/exec"`, "var _ = exec.Command"),
			after: goFile(`	"os/exec"`, "var _ = exec.Command\n\nfunc pin(dir string) error {\n\treturn exec.Command(\"git\", \"-C\", dir, \"fetch\", \"origin\", \"0123456789abcdef0123456789abcdef01234567\").Run()\n}"),
			want:  []want{{rule: "go/git-fetch", severity: "medium", message: "pinned"}}},
		{name: "a bare git fetch of the user's checkout is exec", before: goFile(`	"os/exec"`, "var _ = exec.Command"),
			after:  goFile(`	"os/exec"`, "var _ = exec.Command\n\nfunc update() error {\n\treturn exec.Command(\"git\", \"fetch\").Run()\n}"),
			want:   []want{{rule: "go/exec-command"}},
			reject: []string{"dependency-source"}},
		{name: "a project file read into the system prompt",
			before: goFile(`	"os"`, "var _ = os.ReadFile"),
			after:  goFile(`	"os"`, "var _ = os.ReadFile\n\nfunc prompt(p string) Options {\n\tdata, _ := os.ReadFile(p)\n\treturn Options{SystemPrompt: base + string(data)}\n}"),
			want:   []want{{rule: "go/llm-instructions-untrusted", severity: "high", message: "SystemPrompt"}}},
		{name: "MCP output appended to the instructions through a builder",
			before: goFile(`	"strings"`, "var _ strings.Builder"),
			after:  goFile(`	"strings"`, "var _ strings.Builder\n\nfunc build(a *Agent, s *Session) {\n\tvar b strings.Builder\n\tres, _ := s.CallTool(ctx, params)\n\tb.WriteString(res.Text)\n\ta.Instructions = b.String()\n}"),
			want:   []want{{rule: "go/llm-instructions-untrusted", message: "(Instructions)"}}},
		{name: "a constant system prompt is nothing", before: goFile("", "var a = 1"),
			after: goFile("", "var a = 1\n\nvar o = Options{SystemPrompt: \"You are helpful.\"}"), reject: []string{"data"}},
	})
}

// TestEditedInPlace: the same call in the same function, edited, is not a
// new one; a dial to the function's own listen address is no egress; a
// repository's chat-session package is no auth library.
func TestEditedInPlace(t *testing.T) {
	runCases(t, []tcase{
		{name: "CommandContext becomes Command on the same program",
			before: goFile(`	"os/exec"`, "func spawn(ctx context.Context, exe string, args []string) {\n\tc := exec.CommandContext(ctx, exe, args...)\n\t_ = c\n}"),
			after:  goFile(`	"os/exec"`, "func spawn(ctx context.Context, exe string, args []string) {\n\tc := exec.Command(exe, args...)\n\t_ = c\n}"),
			reject: []string{"exec"}},
		{name: "the same program in a new function is new",
			before: goFile(`	"os/exec"`, "func spawn(exe string) {\n\t_ = exec.Command(exe)\n}"),
			after:  goFile(`	"os/exec"`, "func spawn(exe string) {\n\t_ = exec.Command(exe)\n}\n\nfunc again(exe string) {\n\t_ = exec.Command(exe)\n}"),
			want:   []want{{rule: "go/exec-command"}}},
		{name: "a stale-socket probe before listening",
			before: goFile(`	"net"`, "func listen(network, address string) (net.Listener, error) {\n\treturn net.Listen(network, address)\n}"),
			after:  goFile(`	"net"`, "func listen(network, address string) (net.Listener, error) {\n\tif c, err := net.DialTimeout(network, address, timeout); err == nil {\n\t\tc.Close()\n\t}\n\treturn net.Listen(network, address)\n}"),
			reject: []string{"egress", "entry-point"}},
		{name: "a chat session package is not auth",
			before: goFile(`	"github.com/acme/agent/internal/session"`, "func headers(id string) map[string]string {\n\treturn nil\n}\n\nvar _ = session.HashID"),
			after:  goFile(`	"github.com/acme/agent/internal/session"`, "func headers(id string) map[string]string {\n\th := session.HashID(id)\n\treturn map[string]string{\"x-session-id\": h}\n}\n\nvar _ = session.HashID"),
			reject: []string{"auth"}},
		{name: "an OAuth client's constructor edited is not an auth decision",
			before: goFile(`	"golang.org/x/oauth2"`, "func newOAuthHandler(url string) *handler {\n\tcfg := &oauth2.Config{Endpoint: oauth2.Endpoint{AuthStyle: oauth2.AuthStyle(1)}}\n\treturn &handler{cfg: cfg}\n}"),
			after:  goFile(`	"golang.org/x/oauth2"`, "func newOAuthHandler(url string) *handler {\n\tcfg := &oauth2.Config{Endpoint: oauth2.Endpoint{AuthStyle: oauth2.AuthStyle(1)}}\n\treturn &handler{cfg: cfg, open: browser.OpenURL}\n}"),
			reject: []string{"auth"}},
	})
}

// TestGatesAndChecks: the condition on attaching a credential, a check of
// the URL scheme that refuses cleartext, a request body limit.
func TestGatesAndChecks(t *testing.T) {
	transport := func(cond string) string {
		return goFile(`	"net/http"`, "func (t *bearer) RoundTrip(req *http.Request) (*http.Response, error) {\n\tif "+cond+" {\n\t\treq.Header.Set(headers.AuthorizationHeader, \"Bearer \"+t.token)\n\t}\n\treturn t.next.RoundTrip(req)\n}")
	}
	runCases(t, []tcase{
		{name: "the token is attached under a new condition", before: transport(`t.token != ""`), after: transport(`t.token != "" && t.hostAllowed(req.URL.Hostname())`),
			want: []want{{rule: "go/credential-gate", message: "changes when the credential (Authorization header) is attached"}}},
		{name: "https required", before: goFile(`	"net/url"`, "func parse(u *url.URL) error {\n\treturn nil\n}"),
			after: goFile(`	"net/url"`, "func parse(u *url.URL) error {\n\tif u.Scheme != \"https\" {\n\t\treturn errInsecure\n\t}\n\treturn nil\n}"),
			want:  []want{{rule: "go/scheme-check", message: "cleartext"}}},
		{name: "a scheme switch that refuses nothing", before: goFile(`	"net/url"`, "func kind(u *url.URL) string {\n\treturn \"\"\n}"),
			after: goFile(`	"net/url"`, "func kind(u *url.URL) string {\n\tif u.Scheme == \"https\" {\n\t\tlabel = \"secure\"\n\t}\n\treturn label\n}"), reject: []string{"crypto"}},
		{name: "a traversal guard rewritten into a helper", before: goFile(`	"strings"`, "func check(p string) error {\n\tfor _, seg := range strings.Split(p, \"/\") {\n\t\tif seg == \"..\" {\n\t\t\treturn errTraversal\n\t\t}\n\t}\n\treturn nil\n}"),
			after: goFile(`	"strings"`, "func check(p string) error {\n\tfor _, seg := range strings.Split(p, \"/\") {\n\t\tif err := reject(seg); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n\treturn nil\n}\n\nfunc reject(seg string) error {\n\tif seg == \"..\" || decoded(seg) == \"..\" {\n\t\treturn errTraversal\n\t}\n\treturn nil\n}"),
			want:  []want{{rule: "go/traversal-check", message: "path traversal check"}}},
		{name: "a traversal guard removed", before: goFile("", "func check(p string) error {\n\tif p == \"..\" {\n\t\treturn errTraversal\n\t}\n\treturn nil\n}"),
			after: goFile("", "func check(p string) error {\n\treturn nil\n}"),
			want:  []want{{rule: "go/traversal-check-removed", side: "old", severity: "high"}}},
		{name: "the local socket moves out of /tmp", before: goFile(`	"fmt"`, "func addr(sock string) string {\n\treturn fmt.Sprintf(\"unix:///tmp/%s\", sock)\n}"),
			after: goFile(`	"fmt"`, "func addr(sock string) string {\n\tpath := filepath.Join(runtimeDir(), sock)\n\treturn \"unix://\" + path\n}"),
			want:  []want{{rule: "go/unix-socket", message: "local IPC socket at unix://"}}},
		{name: "a request body limit added to a handler is no mark", before: goFile(`	"net/http"`, "func limit(w http.ResponseWriter, r *http.Request) {\n}"),
			after:  goFile(`	"net/http"`, "func limit(w http.ResponseWriter, r *http.Request) {\n\tr.Body = http.MaxBytesReader(w, r.Body, 1<<20)\n}"),
			reject: []string{"web-config"}},
		{name: "a request body limit in middleware", before: goFile(`	"net/http"`, "var _ = http.MaxBytesReader"),
			after: goFile(`	"net/http"`, "var _ = http.MaxBytesReader\n\nfunc WithMaxBody(n int64) func(http.Handler) http.Handler {\n\treturn func(next http.Handler) http.Handler {\n\t\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\t\tr.Body = http.MaxBytesReader(w, r.Body, n)\n\t\t\tnext.ServeHTTP(w, r)\n\t\t})\n\t}\n}"),
			want:  []want{{rule: "go/body-limit", message: "in middleware"}}},
		{name: "a body limit attached as middleware", before: goFile(`	"github.com/go-chi/chi/v5"`, "func mw(r chi.Router) {\n\tr.Use(\n\t\tauthn,\n\t)\n}"),
			after: goFile(`	"github.com/go-chi/chi/v5"`, "func mw(r chi.Router) {\n\tr.Use(\n\t\tmiddleware.WithMaxBodySize(n),\n\t\tauthn,\n\t)\n}"),
			want:  []want{{rule: "go/web-middleware", message: "WithMaxBodySize"}}},
		{name: "a request body limit removed", before: goFile(`	"net/http"`, "func limit(w http.ResponseWriter, r *http.Request) {\n\tr.Body = http.MaxBytesReader(w, r.Body, 1<<20)\n}"),
			after: goFile(`	"net/http"`, "func limit(w http.ResponseWriter, r *http.Request) {\n}"),
			want:  []want{{rule: "go/body-limit-removed", side: "old", severity: "medium"}}},
	})
}

// TestOneFindingPerChange: an auth function that only gained logging, a
// call moved into a helper, a new server with its routes.
func TestOneFindingPerChange(t *testing.T) {
	guard := func(extra string) string {
		return goFile(`	"log/slog"
	"net/http"`, "func requireAdmin(w http.ResponseWriter, r *http.Request) bool {\n"+extra+"\tif r.Header.Get(\"X-Role\") != \"admin\" {\n\t\thttp.Error(w, \"forbidden\", http.StatusForbidden)\n\t\treturn false\n\t}\n\treturn true\n}\n\nvar _ = slog.Info")
	}
	runCases(t, []tcase{
		{name: "an auth function that only gained a log line", before: guard(""), after: guard("\tslog.Debug(\"checking admin\", \"path\", r.URL.Path)\n"), reject: []string{"auth"}},
		{name: "an auth function whose decision changed", before: guard(""), after: guard("\tif r.URL.Path == \"/health\" {\n\t\treturn true\n\t}\n"),
			want: []want{{rule: "go/auth-func", message: "changes auth logic in requireAdmin"}}},
		{name: "a callback server with its route is one entry point",
			before: goFile(`	"net/http"`, "var _ = http.NewServeMux"),
			after:  goFile(`	"net/http"`, "var _ = http.NewServeMux\n\nfunc callback() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"/callback\", handle)\n\tsrv := &http.Server{Addr: \"127.0.0.1:0\", Handler: mux}\n\t_ = srv\n}"),
			want:   []want{{rule: "go/route", message: "/callback"}}},
	})
}

// TestCallMovedIntoHelperIsNotRemoved: an auth call that moves into a helper
// in the same file is still called there; no removal is claimed.
func TestCallMovedIntoHelperIsNotRemoved(t *testing.T) {
	before := goFile(`	"github.com/acme/auth"`, "func serve(tok string) error {\n\tif err := auth.Verify(tok, key); err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}")
	after := goFile(`	"github.com/acme/auth"`, "func serve(tok string) error {\n\treturn check(tok)\n}\n\nfunc check(tok string) error {\n\tif err := auth.Verify(tok, signingKey()); err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}")
	for _, f := range New().Detect(surfacetest.Change(t, "internal/app/app.go", before, after)) {
		if f.Side == surface.SideOld {
			t.Errorf("a moved call reported as removed: %s %s", f.Rule, f.Message)
		}
	}
	gone := goFile(`	"github.com/acme/auth"`, "func serve(tok string) error {\n\treturn nil\n}")
	if !hasFinding(New().Detect(surfacetest.Change(t, "internal/app/app.go", before, gone)), want{rule: "go/auth-removed", side: surface.SideOld}) {
		t.Error("a call the file no longer makes is not reported as removed")
	}
}

// TestNewAuthFunctionAndItsUseAreOneFinding: a guard the commit adds and
// the router line that attaches it are one change.
func TestNewAuthFunctionAndItsUseAreOneFinding(t *testing.T) {
	before := goFile(`	"net/http"

	"github.com/go-chi/chi/v5"`, "func routes(r chi.Router) {\n\tr.Get(\"/x\", x)\n}")
	after := goFile(`	"net/http"

	"github.com/go-chi/chi/v5"`, "func routes(r chi.Router) {\n\tr.Use(requireAdmin)\n\tr.Get(\"/x\", x)\n}\n\nfunc requireAdmin(next http.Handler) http.Handler {\n\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\tif r.Header.Get(\"X-Role\") != \"admin\" {\n\t\t\thttp.Error(w, \"forbidden\", http.StatusForbidden)\n\t\t\treturn\n\t\t}\n\t\tnext.ServeHTTP(w, r)\n\t})\n}")
	var auth []string
	for _, f := range New().Detect(surfacetest.Change(t, "internal/app/app.go", before, after)) {
		if f.Category == "auth" {
			auth = append(auth, f.Rule+" "+f.Message)
		}
	}
	if len(auth) != 1 || !strings.Contains(auth[0], "new auth function requireAdmin") {
		t.Errorf("a new guard and its attachment: %q, want one new auth function finding", auth)
	}
}
