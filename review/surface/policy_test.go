package surface

import (
	"strings"
	"testing"
)

func TestGlob(t *testing.T) {
	tests := []struct {
		glob, path string
		want       bool
	}{
		{"internal/auth/**", "internal/auth/jwt/verify.go", true},
		{"internal/auth/**", "internal/authz/x.go", false},
		{"**/*.go", "main.go", true},
		{"**/*.go", "a/b/c.go", true},
		{"*.tf", "infra/prod/main.tf", true},
		{"src/*.js", "src/a/b.js", false},
		{"github.com/evil/*", "github.com/evil/x", true},
		{"github.com/evil/*", "github.com/evil/x/y", false},
		{"cmd/?ain.go", "cmd/main.go", true},
	}
	for _, tt := range tests {
		t.Run(tt.glob+" "+tt.path, func(t *testing.T) {
			re, err := Glob(tt.glob)
			if err != nil {
				t.Fatal(err)
			}
			if got := re.MatchString(tt.path); got != tt.want {
				t.Fatalf("got %v", got)
			}
		})
	}
}

func TestPolicyCompileErrors(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		want string
	}{
		{"bad severity on path", Policy{Paths: []PathRule{{Glob: "a/**", Severity: "severe"}}}, "severity \"severe\""},
		{"bad override", Policy{Rules: map[string]string{"go/route": "ignore"}}, "use \"off\""},
		{"custom without id", Policy{Custom: []CustomRule{{Category: "exec", Severity: "low", Pattern: "x"}}}, "id is missing"},
		{"custom bad category", Policy{Custom: []CustomRule{{ID: "a", Category: "oops", Severity: "low", Pattern: "x"}}}, "category \"oops\""},
		{"custom bad regexp", Policy{Custom: []CustomRule{{ID: "a", Category: "exec", Severity: "low", Pattern: "("}}}, "not a valid regular expression"},
		{"empty glob", Policy{DeniedImports: []string{""}}, "empty glob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.p.Compile()
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err %v, want one line with %q", err, tt.want)
			}
		})
	}
}

func TestPolicyApply(t *testing.T) {
	cp, err := Policy{
		DeniedPackages: []string{"pkg:npm/event-stream", "github.com/evil/*", "left-pad"},
		Paths:          []PathRule{{Glob: "internal/auth/**", Severity: "critical"}},
		Rules:          map[string]string{"go/route": "off", "logging": "high"},
	}.Compile()
	if err != nil {
		t.Fatal(err)
	}
	in := []Finding{
		{Category: "dependency", Rule: "deps/npm-added", Severity: "medium", File: "package.json", Line: 3, Side: SideNew, Package: "pkg:npm/event-stream@3.3.6"},
		{Category: "dependency", Rule: "deps/gomod-added", Severity: "medium", File: "go.mod", Line: 5, Side: SideNew, Package: "pkg:golang/github.com/evil/x@v1.0.0"},
		{Category: "dependency", Rule: "deps/npm-added", Severity: "medium", File: "package.json", Line: 4, Side: SideNew, Package: "pkg:npm/left-pad@1.3.0"},
		{Category: "dependency", Rule: "deps/npm-removed", Severity: "low", File: "package.json", Line: 9, Side: SideOld, Package: "pkg:npm/event-stream@3.3.6"},
		{Category: "dependency", Rule: "deps/npm-added", Severity: "medium", File: "package.json", Line: 6, Side: SideNew, Package: "pkg:npm/express@4.19.2"},
		{Category: "entry-point", Rule: "go/route", Severity: "medium", File: "main.go", Line: 10},
		{Category: "logging", Rule: "go/log-secret", Severity: "medium", File: "main.go", Line: 20},
		{Category: "exec", Rule: "go/exec-command", Severity: "high", File: "internal/auth/login.go", Line: 7},
	}
	out := cp.Apply(in)
	var denied []string
	byRule := map[string]Finding{}
	for _, f := range out {
		if f.Rule == "policy/denied-package" {
			denied = append(denied, f.Package)
		}
		byRule[f.Rule] = f
	}
	if len(denied) != 3 {
		t.Errorf("denied packages %v, want event-stream, github.com/evil/x and left-pad (a removal is not denied)", denied)
	}
	if _, ok := byRule["go/route"]; ok {
		t.Error("rule turned off is still reported")
	}
	if byRule["go/log-secret"].Severity != "high" {
		t.Errorf("category override: %s", byRule["go/log-secret"].Severity)
	}
	if byRule["go/exec-command"].Severity != "critical" {
		t.Errorf("path rule: %s", byRule["go/exec-command"].Severity)
	}
}

func TestSummary(t *testing.T) {
	fs := []Finding{{Category: "exec"}, {Category: "dependency"}, {Category: "dependency"}, {Category: "entry-point"}}
	if got := Summary(fs); got != "2 deps · entry point · exec" {
		t.Fatalf("got %q", got)
	}
	if MaxSeverity([]Finding{{Severity: "low"}, {Severity: "high"}, {Severity: "medium"}}) != "high" {
		t.Fatal("max severity")
	}
}

// A denied package folded into another finding (a scope's packages, a new
// manifest's list, a regenerated lockfile) is still denied.
func TestPolicyDeniesFoldedPackages(t *testing.T) {
	cp, err := Policy{DeniedPackages: []string{"pkg:npm/event-stream"}}.Compile()
	if err != nil {
		t.Fatal(err)
	}
	var in []Finding
	for i, name := range []string{"a", "b", "c", "d", "e", "event-stream", "g"} {
		in = append(in, Finding{Category: "dependency", Rule: "deps/npm-added", Severity: "medium", File: "ui/package.json", Line: 10 + i,
			Side: SideNew, Message: "adds " + name, Package: "pkg:npm/" + name + "@1.0.0"})
	}
	folded := foldFindings(in)
	if len(folded) != 1 {
		t.Fatalf("%d findings after folding, want 1: %+v", len(folded), folded)
	}
	if !strings.HasPrefix(folded[0].Message, "adds 7 packages to package.json: a, b, c") {
		t.Errorf("folded message: %q", folded[0].Message)
	}
	denied := 0
	for _, f := range cp.Apply(folded) {
		if f.Rule == "policy/denied-package" && f.Package == "pkg:npm/event-stream@1.0.0" && f.Line == 10 {
			denied++
		}
	}
	if denied != 1 {
		t.Errorf("event-stream folded into the manifest's list is not denied")
	}
}
