package review

import (
	"testing"
)

const execOld = `package tool

import (
	"context"
	"os/exec"
)

func Run(ctx context.Context) error {
	return exec.CommandContext(ctx, "make").Run()
}
`

// TestFirstOfKind runs a real repository through Analyse: a second
// exec.CommandContext is not the first of its kind (the dotted token is
// looked for as written, not as an escaped pattern), the first call to a
// host is, and the answer is the same on every run.
func TestFirstOfKind(t *testing.T) {
	r := newRepo(t)
	r.commit("Rae Viewer <rae@example.com>", "base", map[string]string{"tool/run.go": execOld})
	r.commit("Rae Viewer <rae@example.com>", "more", map[string]string{"tool/build.go": `package tool

import (
	"context"
	"net/http"
	"os/exec"
)

func Build(ctx context.Context) error {
	if _, err := http.Get("https://telemetry.example.net/v1/ping"); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "go", "build").Run()
}
`})
	for run := 0; run < 3; run++ {
		a := analyseHead(t, r.dir)
		got := map[string]bool{}
		for _, f := range a.Findings {
			got[f.Category] = got[f.Category] || f.FirstOfKind
			if f.Category == "" {
				t.Fatalf("finding without category: %+v", f)
			}
		}
		if _, ok := got["exec"]; !ok {
			t.Fatalf("run %d: no exec finding in %+v", run, a.Findings)
		}
		if got["exec"] {
			t.Errorf("run %d: a second exec.CommandContext is marked first of its kind", run)
		}
		if !got["egress"] {
			t.Errorf("run %d: the first call to a host is not marked first of its kind: %+v", run, a.Findings)
		}
	}
}

func TestGrepPatternIsALiteral(t *testing.T) {
	for tok, want := range map[string]string{
		"os/exec.CommandContext": "exec.CommandContext",
		"api.stripe.com":         "api.stripe.com",
		"https://x.example/a.b":  "https://x.example/a.b",
	} {
		got, isRE := grepPattern(tok)
		if got != want || isRE {
			t.Errorf("grepPattern(%q) = %q, %v; want the literal %q", tok, got, isRE, want)
		}
	}
	if _, isRE := grepPattern("route"); !isRE {
		t.Error("the generic route token is not a pattern")
	}
}

// TestKnownDependency: an action another workflow already uses and a
// package the lockfile already holds are low notes when a commit adds
// them; a package the repository never had stays medium.
func TestKnownDependency(t *testing.T) {
	const pin = "11bd71901bbe5b1630ceea73d27597364c9af683"
	wf := func(name string) string {
		return "name: " + name + "\non: push\npermissions:\n  contents: read\njobs:\n  " + name + ":\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@" + pin + "\n      - run: make " + name + "\n"
	}
	r := newRepo(t)
	r.commit("Rae Viewer <rae@example.com>", "base", map[string]string{
		".github/workflows/test.yml": wf("test"),
		"package.json":               "{\n  \"name\": \"web\",\n  \"dependencies\": {\n    \"express\": \"^4.18.2\"\n  }\n}\n",
		"package-lock.json":          "{\n  \"name\": \"web\",\n  \"lockfileVersion\": 1,\n  \"dependencies\": {\n    \"express\": {\n      \"version\": \"4.18.2\"\n    },\n    \"debug\": {\n      \"version\": \"2.6.9\"\n    }\n  }\n}\n",
	})
	r.commit("Rae Viewer <rae@example.com>", "more", map[string]string{
		".github/workflows/lint.yml": wf("lint"),
		"package.json":               "{\n  \"name\": \"web\",\n  \"dependencies\": {\n    \"express\": \"^4.18.2\",\n    \"debug\": \"^2.6.9\",\n    \"left-pad\": \"^1.3.0\"\n  }\n}\n",
	})
	a := analyseHead(t, r.dir)
	sev := map[string]string{}
	for _, f := range a.Findings {
		if f.Category == "dependency" {
			sev[f.Package] = f.Severity
		}
	}
	for pkg, want := range map[string]string{"pkg:githubactions/actions/checkout@" + pin[:12]: "low", "pkg:npm/debug@2.6.9": "low", "pkg:npm/left-pad@1.3.0": "medium"} {
		if sev[pkg] != want {
			t.Errorf("%s: severity %q, want %q (all: %v)", pkg, sev[pkg], want, sev)
		}
	}
}

// analyseHead opens a session on dir and analyses its HEAD.
func analyseHead(t *testing.T, dir string) *Analysis {
	t.Helper()
	s, err := Open(Options{Dir: dir, All: true})
	if err != nil {
		t.Fatal(err)
	}
	it, err := s.Item("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Analyse(it)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
