package surface_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/deps"
	"github.com/vouch-review/vouch/review/surface/golang"
	"github.com/vouch-review/vouch/review/surface/infra"
	"github.com/vouch-review/vouch/review/surface/lang"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

const guarded = `package api

import "net/http"

func Admin(w http.ResponseWriter, r *http.Request) {
	if !requireAdmin(r) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	w.Write([]byte("ok"))
}
`

func scan(t *testing.T, files map[string][2]string, ds ...surface.Detector) []surface.Finding {
	t.Helper()
	return surface.NewScanner(ds...).Scan(surfacetest.Changes(t, files))
}

func TestScanKeepsEveryPath(t *testing.T) {
	shell := "import subprocess\nsubprocess.run(cmd, shell=True)\n"
	for _, p := range []string{"internal/example/run.py", "docs/run.py", "vendor/x/run.py", "web/app.min.js.py"} {
		fs := scan(t, map[string][2]string{p: {surfacetest.Absent, shell}}, lang.New())
		if len(fs) == 0 {
			t.Errorf("%s: a shell-out was dropped for its path", p)
			continue
		}
		if surface.Classify(p) != surface.ContextCode && (fs[0].Severity != "low" || !strings.Contains(fs[0].Message, "(in ")) {
			t.Errorf("%s: %s %q, want low with the reason", p, fs[0].Severity, fs[0].Message)
		}
	}
}

func TestScanConfidence(t *testing.T) {
	fs := scan(t, map[string][2]string{"api/admin.go": {surfacetest.Absent, guarded}}, golang.New())
	if len(fs) == 0 {
		t.Fatal("no finding for a guard that answers 403")
	}
	for _, f := range fs {
		if f.Confidence == "" {
			t.Errorf("%s has no confidence", f.Rule)
		}
	}
}

func TestScanDeletedTestIsNotARemovedCheck(t *testing.T) {
	test := strings.Replace(guarded, "package api", "package api_test", 1)
	fs := scan(t, map[string][2]string{"api/admin_test.go": {test, surfacetest.Absent}}, golang.New())
	for _, f := range fs {
		if f.Side == surface.SideOld {
			t.Errorf("deleting a test file reported %s %s", f.Rule, f.Message)
		}
	}
}

func TestScanMoveToAnotherFile(t *testing.T) {
	fs := scan(t, map[string][2]string{
		"api/admin.go":  {guarded, "package api\n"},
		"api/routes.go": {"package api\n", guarded},
	}, golang.New())
	for _, f := range fs {
		t.Errorf("a handler moved to another file reported %s %s:%d %s %s", f.Side, f.File, f.Line, f.Rule, f.Message)
	}
}

func TestScanTrustAnchors(t *testing.T) {
	for _, files := range []map[string][2]string{
		{".vouch/config.toml": {"[policy]\n", "[policy]\ndeny = []\n"}},
		{".vouch/allowed_signers": {surfacetest.Absent, "a@example.com ssh-ed25519 AAAA\n"}},
		{".vouch/checklists/auth.md": {"- [ ] a\n", surfacetest.Absent}},
	} {
		fs := scan(t, files, surface.TrustDetector{})
		if len(fs) != 1 || fs[0].Category != "policy" || fs[0].Severity != "critical" || fs[0].Rule != "vouch/trust-anchor" {
			t.Errorf("%v: %+v, want one critical policy finding", files, fs)
		}
	}
	if fs := scan(t, map[string][2]string{"docs/vouch.md": {"a\n", "b\n"}}, surface.TrustDetector{}); len(fs) != 0 {
		t.Errorf("a change outside .vouch/ reported %+v", fs)
	}
}

func TestScanLockfiles(t *testing.T) {
	lock := func(deps string) string {
		return `{"name":"app","lockfileVersion":3,"packages":{"":{"name":"app"}` + deps + `}}`
	}
	const leftPad = `,"node_modules/left-pad":{"version":"1.3.0"}`
	// The lockfile alone gains a package: nothing else says it arrived.
	fs := scan(t, map[string][2]string{"package-lock.json": {lock(""), lock(leftPad)}}, deps.New())
	if len(fs) != 1 || fs[0].Severity != "medium" {
		t.Errorf("a package new to the lockfile alone: %+v, want one medium finding", fs)
	}
	// With the manifest: one finding for the package, from package.json.
	fs = scan(t, map[string][2]string{
		"package.json":      {`{"name":"app"}`, `{"name":"app","dependencies":{"left-pad":"1.3.0"}}`},
		"package-lock.json": {lock(""), lock(leftPad)},
	}, deps.New())
	if len(fs) != 1 || fs[0].File != "package.json" {
		t.Errorf("a package added to both: %+v, want one finding on package.json", fs)
	}
}

func TestScanPolicyFiles(t *testing.T) {
	fs := scan(t, map[string][2]string{"packages/core/src/policy/policies/plan.toml": {
		"[[rule]]\ntoolName = [\"ask_user\"]\ndecision = \"ask_user\"\n",
		"[[rule]]\ntoolName = [\"ask_user\", \"web_fetch\"]\ndecision = \"allow\"\n"}}, surface.PolicyFileDetector{})
	if len(fs) != 1 || fs[0].Category != "auth" {
		t.Errorf("a tool policy that now allows: %+v, want one auth finding", fs)
	}
	fs = scan(t, map[string][2]string{"config/policy.yaml": {"title: a\n", "title: b\n"}}, surface.PolicyFileDetector{})
	if len(fs) != 0 {
		t.Errorf("a policy file edit that decides nothing: %+v", fs)
	}
}

func TestScanLockfileBumpsFold(t *testing.T) {
	lock := func(v string) string {
		var b strings.Builder
		b.WriteString(`{"name":"app","lockfileVersion":3,"packages":{"":{"name":"app"}`)
		for _, n := range []string{"a", "b", "c", "d", "e", "f", "g"} {
			b.WriteString(`,"node_modules/` + n + `":{"version":"` + v + `"}`)
		}
		b.WriteString("}}")
		return b.String()
	}
	fs := scan(t, map[string][2]string{"package-lock.json": {lock("1.0.0"), lock("1.0.1")}}, deps.New())
	if len(fs) != 1 || fs[0].Rule != "deps/bumps" || !strings.Contains(fs[0].Message, "updates 7") {
		t.Errorf("seven routine lockfile bumps: %+v, want one deps/bumps finding", fs)
	}
}

// TestScanTestFiles: what a test sets up (a guarded route) is no mark; what
// it runs on CI's machines (a shell) is low severity and low confidence.
func TestScanTestFiles(t *testing.T) {
	fs := scan(t, map[string][2]string{"api/admin_test.go": {surfacetest.Absent, strings.Replace(guarded, "package api", "package api_test", 1)}}, golang.New())
	if len(fs) != 0 {
		t.Errorf("a guarded route in a test file: %+v, want nothing", fs)
	}
	const run = "package api_test\n\nimport \"os/exec\"\n\nfunc helper(s string) {\n\texec.Command(\"sh\", \"-c\", s).Run()\n}\n"
	fs = scan(t, map[string][2]string{"api/run_test.go": {surfacetest.Absent, run}}, golang.New())
	if len(fs) != 1 || fs[0].Category != "exec" {
		t.Fatalf("a shell in a test file: %+v, want one exec finding", fs)
	}
	if fs[0].Severity != "low" || fs[0].Confidence != "low" || !strings.Contains(fs[0].Message, "in a test file") {
		t.Errorf("a shell in a test file: severity %s confidence %s message %q", fs[0].Severity, fs[0].Confidence, fs[0].Message)
	}
}

func TestScanUnpinnedActionIsOneFinding(t *testing.T) {
	const wf = "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
	fs := scan(t, map[string][2]string{".github/workflows/ci.yml": {wf, wf + "      - uses: tj-actions/changed-files@v44\n"}}, deps.New(), infra.New())
	var rules []string
	for _, f := range fs {
		if f.Line == 7 {
			rules = append(rules, f.Rule)
		}
	}
	if len(rules) != 1 || rules[0] != "pipeline/gha-unpinned-action" {
		t.Errorf("an action on a moving tag: %v, want one pipeline/gha-unpinned-action", rules)
	}
}

// TestScanMoves: code moved between production files is a move (no finding);
// moved into an example path, where its severity drops, the finding stays
// and says where it came from.
func TestScanMoves(t *testing.T) {
	const run = "package app\n\nimport \"os/exec\"\n\nfunc run(s string) {\n\texec.Command(\"sh\", \"-c\", s).Run()\n}\n"
	const rest = "package app\n"
	if fs := scan(t, map[string][2]string{"internal/app/a.go": {run, rest}, "internal/app/b.go": {surfacetest.Absent, run}}, golang.New()); len(fs) != 0 {
		t.Errorf("a function moved between files: %+v, want nothing", fs)
	}
	fs := scan(t, map[string][2]string{"internal/app/a.go": {run, rest}, "internal/example/b.go": {surfacetest.Absent, run}}, golang.New())
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "moved here from internal/app/a.go") {
		t.Errorf("a shell-out moved into an example: %+v, want one finding saying where it came from", fs)
	}
}

// TestScanCallMovedToAnotherFile: a validation call taken out of one file
// and made in a constructor the commit adds to another is a move, not a
// removal; taken out with no call left anywhere, it is a removal.
func TestScanCallMovedToAnotherFile(t *testing.T) {
	const before = "package app\n\nimport \"example.com/sanitize\"\n\nfunc ref(title string) Ref {\n\treturn Ref{Title: sanitize.Sanitize(title)}\n}\n"
	const after = "package app\n\nfunc ref(title string) Ref {\n\treturn newRef(title)\n}\n"
	const ctor = "package app\n\nimport \"example.com/sanitize\"\n\nfunc newRef(title string) Ref {\n\treturn Ref{Title: sanitize.Sanitize(title)}\n}\n"
	fs := scan(t, map[string][2]string{"internal/app/a.go": {before, after}, "internal/app/types.go": {surfacetest.Absent, ctor}}, golang.New())
	for _, f := range fs {
		if f.Side == surface.SideOld {
			t.Errorf("a call moved into a constructor in another file: %s %s", f.Rule, f.Message)
		}
	}
	fs = scan(t, map[string][2]string{"internal/app/a.go": {before, after}}, golang.New())
	removed := false
	for _, f := range fs {
		removed = removed || (f.Side == surface.SideOld && f.Rule == "go/validation-removed")
	}
	if !removed {
		t.Errorf("a validation call removed with no call left: %+v, want go/validation-removed", fs)
	}
}

// TestScanMajorVersionBump: go-github/v87 → v89 in go.mod and go.sum is one
// upgrade, not a removal and an addition in each file.
func TestScanMajorVersionBump(t *testing.T) {
	mod := func(v string) string {
		return "module example.com/app\n\ngo 1.22\n\nrequire github.com/google/go-github/v" + v + " v" + v + ".0.0\n"
	}
	sum := func(v string) string {
		return "github.com/google/go-github/v" + v + " v" + v + ".0.0 h1:AAAA=\ngithub.com/google/go-github/v" + v + " v" + v + ".0.0/go.mod h1:BBBB=\n"
	}
	fs := scan(t, map[string][2]string{"go.mod": {mod("87"), mod("89")}, "go.sum": {sum("87"), sum("89")}}, deps.New())
	if len(fs) != 1 || fs[0].Rule != "deps/gomod-upgraded" {
		t.Errorf("a major version bump: %+v, want one deps/gomod-upgraded", fs)
	}
}

// TestScanTestDirectoryIsNotATest: a route under tests/ or mocks/ in a file
// whose name is not a test's can be imported and shipped: it stays, low and
// muted, never dropped; its removal is reported too.
func TestScanTestDirectoryIsNotATest(t *testing.T) {
	for _, p := range []string{"internal/mocks/admin.go", "tests/server/admin.go", "e2e/api/admin.go"} {
		fs := scan(t, map[string][2]string{p: {surfacetest.Absent, guarded}}, golang.New())
		if len(fs) == 0 {
			t.Errorf("%s: a guarded route dropped for its directory", p)
			continue
		}
		for _, f := range fs {
			if f.Severity != "low" || f.Confidence != "low" {
				t.Errorf("%s: %s at severity %s confidence %s, want low/low", p, f.Rule, f.Severity, f.Confidence)
			}
		}
		if fs := scan(t, map[string][2]string{p: {guarded, surfacetest.Absent}}, golang.New()); len(fs) == 0 {
			t.Errorf("%s: removing a guarded route is dropped for its directory", p)
		}
	}
}

// TestScanVersionsInForce: the scanner gives the language rules the commit's
// own manifests, so js-yaml 4's safe load is no finding and 3's is high.
func TestScanVersionsInForce(t *testing.T) {
	src := "const yaml = require('js-yaml');\nconst cfg = yaml.load(text);\n"
	for _, c := range []struct {
		version string
		want    int
	}{{"^4.1.0", 0}, {"~3.14.1", 1}} {
		fs := scan(t, map[string][2]string{
			"src/cfg.js":   {surfacetest.Absent, src},
			"package.json": {surfacetest.Absent, `{"dependencies": {"js-yaml": "` + c.version + `"}}`},
		}, lang.New())
		n := 0
		for _, f := range fs {
			if f.File == "src/cfg.js" {
				n++
			}
		}
		if n != c.want {
			t.Errorf("js-yaml %s: %d findings on the load, want %d: %+v", c.version, n, c.want, fs)
		}
	}
}

// TestScanLockfileRewoundIsOneFinding: a poetry.lock rewound to an older
// state downgrades many packages at once; that is one high finding naming the
// first few, not one per package.
func TestScanLockfileRewoundIsOneFinding(t *testing.T) {
	lock := func(minor int) string {
		var b strings.Builder
		for i := range 12 {
			fmt.Fprintf(&b, "[[package]]\nname = \"pkg%02d\"\nversion = \"1.%d.0\"\n\n", i, minor)
		}
		return b.String()
	}
	fs := scan(t, map[string][2]string{"poetry.lock": {lock(5), lock(2)}}, deps.New())
	if len(fs) != 1 || fs[0].Rule != "deps/lock-downgrades" || fs[0].Severity != "high" || !strings.Contains(fs[0].Message, "downgrades 12 packages") {
		t.Errorf("twelve downgrades in one lockfile: %+v, want one high deps/lock-downgrades", fs)
	}
	fs = scan(t, map[string][2]string{"poetry.lock": {lock(5)[:0] + "", lock(5)}}, deps.New())
	if len(fs) != 1 || fs[0].Rule != "deps/lock-additions" || !strings.Contains(fs[0].Message, "adds 12 packages") {
		t.Errorf("twelve additions in one lockfile: %+v, want one deps/lock-additions", fs)
	}
}

// A call to a host the commit's removed lines already called (the client
// swapped, the call moved to a helper) is not a new integration; a callee
// named on a removed line is not a host.
func TestEgressToAHostAlreadyCalled(t *testing.T) {
	moved := scan(t, map[string][2]string{
		"app/service.py": {"import requests\n\ndef latest():\n    return requests.get('https://pypi.org/pypi/x/json').json()\n", "def latest():\n    return None\n"},
		"app/utils.py":   {surfacetest.Absent, "import httpx\n\nasync def latest():\n    async with httpx.AsyncClient() as c:\n        return (await c.get('https://pypi.org/pypi/x/json')).json()\n"},
	}, lang.New())
	for _, f := range moved {
		if f.Category == "egress" {
			t.Errorf("moved call to the same host reported: %+v", f)
		}
	}
	fresh := scan(t, map[string][2]string{
		"app/hook.py": {"import requests\n\ndef ping(url):\n    requests.get(url)\n", "import requests\n\ndef ping(url):\n    requests.get('https://collect.example.net/p')\n"},
	}, lang.New())
	found := false
	for _, f := range fresh {
		found = found || f.Category == "egress"
	}
	if !found {
		t.Errorf("a call to a new host was dropped: %+v", fresh)
	}
}

// An example's own project manifest is the reader's to install: its
// dependencies are low notes that say where they are; the product's stay.
func TestExampleDependencies(t *testing.T) {
	py := "[project]\nname = \"demo\"\ndependencies = [\n    \"httpx>=0.27\",\n]\n"
	cs := surfacetest.Changes(t, map[string][2]string{
		"examples/servers/demo/pyproject.toml": {surfacetest.Absent, py},
		"pyproject.toml":                       {surfacetest.Absent, py},
	})
	got := map[string]string{}
	for _, f := range surface.NewScanner(deps.New()).Scan(cs) {
		if f.Category == "dependency" {
			got[f.File] = f.Severity + " " + f.Message
		}
	}
	if g := got["examples/servers/demo/pyproject.toml"]; !strings.HasPrefix(g, "low ") || !strings.Contains(g, "(in docs or an example)") {
		t.Errorf("example: %q", g)
	}
	if g := got["pyproject.toml"]; !strings.HasPrefix(g, "medium ") {
		t.Errorf("product: %q", g)
	}
}

// A dependency moved from one package's manifest to another's in one
// commit is not new to the product.
func TestMovedDependency(t *testing.T) {
	had := "{\n  \"dependencies\": {\n    \"left-pad\": \"^1.3.0\",\n    \"react\": \"^18.0.0\"\n  }\n}\n"
	kept := "{\n  \"dependencies\": {\n    \"react\": \"^18.0.0\"\n  }\n}\n"
	gets := "{\n  \"dependencies\": {\n    \"left-pad\": \"^1.3.0\",\n    \"zod\": \"^3.0.0\"\n  }\n}\n"
	cs := surfacetest.Changes(t, map[string][2]string{
		"packages/old/package.json": {had, kept},
		"packages/new/package.json": {surfacetest.Absent, gets},
	})
	got := map[string]string{}
	for _, f := range surface.NewScanner(deps.New()).Scan(cs) {
		if f.Side == surface.SideNew {
			got[f.Message] = f.Severity
		}
	}
	if got["adds left-pad ^1.3.0 (moved from packages/old/package.json)"] != "low" || got["adds zod ^3.0.0"] != "medium" {
		t.Errorf("got %v", got)
	}
}
