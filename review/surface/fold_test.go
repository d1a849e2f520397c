package surface

import (
	"strconv"
	"strings"
	"testing"
)

func TestFoldFindings(t *testing.T) {
	flag := func(line int, name string) Finding {
		return Finding{Category: "entry-point", Rule: "py/cli-flag", Severity: "low", File: "cli.py", Side: SideNew,
			Line: line, EndLine: line, Message: "new command-line flag " + name}
	}
	fs := []Finding{
		flag(10, "--wait"), flag(11, "--start-url"), flag(13, "--secret"), // one block (a gap of one line)
		flag(40, "--delete"), // another command's
		{Category: "native", Rule: "py/ctypes", Severity: "medium", File: "cli.py", Side: SideNew, Line: 12, EndLine: 12, Message: "native code"},
		{Category: "secret", Rule: "secrets/generic", Severity: "high", File: "cli.py", Side: SideNew, Line: 20, EndLine: 20},
		{Category: "secret", Rule: "secrets/generic", Severity: "high", File: "cli.py", Side: SideNew, Line: 21, EndLine: 21},
		{Category: "dependency", Rule: "deps/actions-added", Severity: "medium", File: "ci.yml", Side: SideNew, Line: 5, EndLine: 5,
			Package: "pkg:githubactions/actions/checkout@v4", Message: "adds actions/checkout v4"},
		{Category: "dependency", Rule: "deps/actions-added", Severity: "medium", File: "ci.yml", Side: SideNew, Line: 50, EndLine: 50,
			Package: "pkg:githubactions/actions/checkout@v4", Message: "adds actions/checkout v4"},
		{Category: "dependency", Rule: "deps/actions-added", Severity: "medium", File: "ci.yml", Side: SideNew, Line: 6, EndLine: 6,
			Package: "pkg:githubactions/actions/setup-go@v5", Message: "adds actions/setup-go v5"},
		{Category: "entry-point", Rule: "py/cli-flag", Severity: "high", File: "cli.py", Side: SideNew, Line: 14, EndLine: 14,
			Message: "new command-line flag --yolo that turns a safety off"},
	}
	for _, l := range []int{30, 31, 35} {
		fs = append(fs, Finding{Category: "secret", Rule: "secret/github-pat", Severity: "high", File: "test/sanitizer.test.ts", Side: SideNew, Line: l, EndLine: l, Message: "hard-coded token"})
	}
	out := foldFindings(fs)
	got := map[string]Finding{}
	for _, f := range out {
		got[f.File+":"+f.Rule+":"+strconv.Itoa(f.Line)] = f
	}
	if len(out) != 9 {
		t.Fatalf("%d findings, want 9: %+v", len(out), out)
	}
	block := got["cli.py:py/cli-flag:10"]
	if block.EndLine != 13 || block.Message != "3 new command-line flags: --wait, --start-url, --secret" {
		t.Errorf("flag block: %+v", block)
	}
	if f, ok := got["cli.py:py/cli-flag:40"]; !ok || f.EndLine != 40 {
		t.Errorf("a flag five lines on is its own: %+v", out)
	}
	if f, ok := got["cli.py:py/cli-flag:14"]; !ok || f.Severity != "high" {
		t.Errorf("a flag that turns a safety off stays on its own: %+v", out)
	}
	if _, ok := got["cli.py:secrets/generic:21"]; !ok {
		t.Error("each secret is its own finding")
	}
	if f := got["test/sanitizer.test.ts:secret/github-pat:30"]; !strings.Contains(f.Message, "2 more credential-shaped") {
		t.Errorf("a test file's token fixtures: %+v", f)
	}
	if f := got["ci.yml:deps/actions-added:5"]; !strings.Contains(f.Message, "1 more use in this file") {
		t.Errorf("the same action again: %+v", f)
	}
	if _, ok := got["ci.yml:deps/actions-added:6"]; !ok {
		t.Error("another action is another dependency")
	}
}

func TestFoldPerFile(t *testing.T) {
	in := func(line int, name string) Finding {
		return Finding{Category: "entry-point", Rule: "entry-point/action-input", Severity: "low", File: "action.yml", Side: SideNew,
			Line: line, EndLine: line, Message: "new action input " + name + ": callers' values reach its steps"}
	}
	sec := func(line int, job string) Finding {
		return Finding{Category: "pipeline", Rule: "pipeline/gha-secret-use", Severity: "medium", File: ".github/workflows/t.yml", Side: SideNew,
			Line: line, EndLine: line, Message: "job " + job + " gets secret API_KEY"}
	}
	out := foldFindings([]Finding{in(20, "model"), in(9, "prompt"), in(30, "plugins"), sec(40, "a"), sec(90, "b")})
	if len(out) != 2 {
		t.Fatalf("%d findings: %+v", len(out), out)
	}
	for _, f := range out {
		switch f.Rule {
		case "entry-point/action-input":
			if f.Line != 9 || f.Message != "3 new action inputs: prompt, model, plugins (callers' values reach its steps)" {
				t.Errorf("%+v", f)
			}
		case "pipeline/gha-secret-use":
			if f.Line != 40 || f.Message != "2 jobs get new secrets: a (API_KEY), b (API_KEY)" {
				t.Errorf("%+v", f)
			}
		}
	}
}

// Auth functions changed together in one file are one finding naming them;
// new ones are another.
func TestFoldAuthFunctions(t *testing.T) {
	fn := func(line int, msg string) Finding {
		return Finding{Category: "auth", Rule: "go/auth-func", Severity: "medium", File: "permission.go", Side: SideOld,
			Line: line, EndLine: line, Message: msg}
	}
	out := foldFindings([]Finding{fn(150, "changes auth logic in Deny"), fn(108, "changes auth logic in GrantPersistent"),
		fn(132, "changes auth logic in Grant"), fn(200, "new auth function resolve")})
	if len(out) != 2 {
		t.Fatalf("%d findings, want 2: %+v", len(out), out)
	}
	for _, f := range out {
		if f.Line == 108 && f.Message != "changes auth logic in 3 functions: GrantPersistent, Grant, Deny" {
			t.Errorf("changed: %+v", f)
		}
		if f.Line != 108 && f.Message != "new auth function resolve" {
			t.Errorf("new: %+v", f)
		}
	}
}

// Packages of one scope added to one manifest fold into the first; a
// client imported by a second file of the commit is a note there.
func TestFoldScopeAndClient(t *testing.T) {
	dep := func(line int, pkg string) Finding {
		return Finding{Category: "dependency", Rule: "deps/npm-added", Severity: "medium", File: "web/package.json", Side: SideNew,
			Line: line, EndLine: line, Message: "adds " + pkg, Package: "pkg:npm/" + pkg + "@3.0.9"}
	}
	imp := func(file string) Finding {
		return Finding{Category: "egress", Rule: "js/http-client-import", Severity: "medium", File: file, Side: SideNew,
			Line: 1, EndLine: 1, Message: "new outbound client: @sentry/react", Token: "@sentry/react"}
	}
	out := foldFindings([]Finding{dep(41, "@tiptap/react"), dep(40, "@tiptap/pm"), dep(42, "left-pad"), dep(43, "@tiptap/starter-kit"),
		imp("src/lib/sentry.ts"), imp("src/components/RouteErrorBoundary.tsx")})
	if len(out) != 4 {
		t.Fatalf("%d findings, want 4: %+v", len(out), out)
	}
	for _, f := range out {
		switch {
		case f.Line == 40 && f.Message != "adds @tiptap/pm (and 2 more from @tiptap/: react, starter-kit)":
			t.Errorf("scope: %+v", f)
		case f.File == "src/components/RouteErrorBoundary.tsx" && f.Severity != "medium":
			t.Errorf("first client import (in path order): %+v", f)
		case f.File == "src/lib/sentry.ts" && (f.Severity != "low" || !strings.HasSuffix(f.Message, "(the same client as in src/components/RouteErrorBoundary.tsx)")):
			t.Errorf("second client import: %+v", f)
		}
	}
}

// Write permissions given to several jobs of one workflow are one finding;
// a client and its request with no host named are one integration.
func TestFoldWritePermissionsAndClients(t *testing.T) {
	perm := func(line int, job string) Finding {
		return Finding{Category: "pipeline", Rule: "pipeline/gha-write-permission", Severity: "medium", File: ".github/workflows/security.yml",
			Side: SideNew, Line: line, EndLine: line, Message: "job " + job + " gives GITHUB_TOKEN security-events: write"}
	}
	egress := func(line int, rule, msg string) Finding {
		return Finding{Category: "egress", Rule: rule, Severity: "medium", File: "discover.go", Side: SideNew, Line: line, EndLine: line, Message: msg}
	}
	one := foldFindings([]Finding{perm(42, "grype"), {Category: "pipeline", Rule: "pipeline/gha-write-permission", Severity: "medium",
		File: ".github/workflows/security.yml", Side: SideNew, Line: 43, EndLine: 43, Message: "job grype gives GITHUB_TOKEN packages: write"}})
	if len(one) != 1 || one[0].Message != "job grype gives GITHUB_TOKEN write access: security-events, packages" {
		t.Errorf("one job's scopes: %+v", one)
	}
	out := foldFindings([]Finding{perm(62, "govulncheck"), perm(42, "grype"),
		egress(42, "go/http-call", "new outbound HTTP call (http.NewRequestWithContext)"), egress(18, "go/http-client", "new HTTP client"),
		egress(90, "go/http-call", "new outbound HTTP call to https://api.example.com/v1")})
	if len(out) != 3 {
		t.Fatalf("%d findings, want 3: %+v", len(out), out)
	}
	for _, f := range out {
		switch {
		case f.Rule == "pipeline/gha-write-permission":
			if f.Line != 42 || f.Message != "2 jobs give GITHUB_TOKEN write access: grype (security-events), govulncheck (security-events)" {
				t.Errorf("permissions: %+v", f)
			}
		case f.Line == 18:
			if f.Message != "new HTTP client (and at line 42)" {
				t.Errorf("client: %+v", f)
			}
		case f.Line != 90:
			t.Errorf("a call to a named host is its own integration: %+v", f)
		}
	}
}

// The same finding again further down a file is one finding that says
// where else; a download piped to a shell in several jobs is one that
// names the jobs.
func TestFoldRepeats(t *testing.T) {
	check := func(line int) Finding {
		return Finding{Category: "file", Rule: "py/path-check-call", Severity: "medium", File: "fs.py", Side: SideNew,
			Line: line, EndLine: line, Message: "file paths now go through sanitize_filename()"}
	}
	pipe := func(line int, job string) Finding {
		return Finding{Category: "pipeline", Rule: "pipeline/curl-pipe-shell", Severity: "high", File: "ci.yml", Side: SideNew,
			Line: line, EndLine: line, Message: "job " + job + " runs a script downloaded from the network (curl | sh)"}
	}
	out := foldFindings([]Finding{check(537), check(567), check(588), pipe(229, "pip"), pipe(279, "uvx")})
	if len(out) != 2 {
		t.Fatalf("%d findings, want 2: %+v", len(out), out)
	}
	for _, f := range out {
		switch f.Rule {
		case "py/path-check-call":
			if f.Line != 537 || !strings.HasSuffix(f.Message, "(and at lines 567, 588)") {
				t.Errorf("repeat: %+v", f)
			}
		case "pipeline/curl-pipe-shell":
			if f.Line != 229 || f.Message != "2 steps run a script downloaded from the network (curl | sh), in pip, uvx" {
				t.Errorf("jobs: %+v", f)
			}
		}
	}
}
