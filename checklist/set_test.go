package checklist

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
)

// file builds a checklist file from its id and the YAML of its applies.
func file(path, id, applies string, extra ...string) Source {
	fm := fmt.Sprintf("---\nid: %s\ntitle: %s checklist\napplies: %s\n%s---\n- [ ] Check %s\n", id, id, applies, strings.Join(extra, ""), id)
	return Source{Path: path, Data: []byte(fm)}
}

func ids(cs []*Checklist) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestBuiltins(t *testing.T) {
	cs, err := Builtins()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	categories := map[string]int{}
	ai := 0
	for _, c := range cs {
		if seen[c.ID] {
			t.Errorf("duplicate built-in id %q", c.ID)
		}
		seen[c.ID] = true
		if c.Source != BuiltIn {
			t.Errorf("%s: source %q", c.ID, c.Source)
		}
		for _, cat := range c.Applies.Categories {
			categories[cat]++
		}
		if c.Applies.AI {
			ai++
		}
	}
	for _, cat := range surface.Categories {
		if categories[cat] == 0 {
			t.Errorf("no built-in checklist for category %q", cat)
		}
	}
	if ai != 1 {
		t.Errorf("%d built-ins apply to every AI commit, want 1", ai)
	}
	if len(cs) < len(surface.Categories)+1 {
		t.Errorf("%d built-ins, want one per category plus the AI one", len(cs))
	}
}

func TestLoad(t *testing.T) {
	builtinIDs := func() []string {
		cs, _ := builtins()
		return ids(cs)
	}()
	if !slices.Contains(builtinIDs, "dependency") || !slices.Contains(builtinIDs, "secret") {
		t.Skip("built-ins dependency and secret not there yet")
	}
	good, err := os.ReadFile("testdata/good.md")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("built-ins only", func(t *testing.T) {
		s, problems := Load(nil, nil, nil)
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		if got := ids(s.All()); !reflect.DeepEqual(got, builtinIDs) {
			t.Errorf("ids %v, want %v", got, builtinIDs)
		}
	})

	t.Run("override by id, repo over user over built-in", func(t *testing.T) {
		user := []Source{file("/home/u/.config/vouch/checklists/dep.md", "dependency", "{categories: [dependency]}"),
			file("/home/u/.config/vouch/checklists/secret.md", "secret", "{categories: [secret]}")}
		repo := []Source{file(".vouch/checklists/dep.md", "dependency", "{paths: [go.mod]}"),
			{Path: ".vouch/checklists/egress-org.md", Data: good}}
		s, problems := Load(user, repo, nil)
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		if c := s.Get("dependency"); c.Source != ".vouch/checklists/dep.md" || !reflect.DeepEqual(c.Applies.Paths, []string{"go.mod"}) {
			t.Errorf("dependency from %s: %+v", c.Source, c.Applies)
		}
		if c := s.Get("secret"); c.Source != "/home/u/.config/vouch/checklists/secret.md" {
			t.Errorf("secret from %s", c.Source)
		}
		if c := s.Get("egress-org"); c == nil || c.Source != ".vouch/checklists/egress-org.md" {
			t.Errorf("egress-org: %+v", c)
		}
		if c := s.Get("egress"); c == nil || c.Source != BuiltIn {
			t.Errorf("egress: %+v", c)
		}
		if len(s.All()) != len(builtinIDs)+1 {
			t.Errorf("%d checklists, want %d", len(s.All()), len(builtinIDs)+1)
		}
		if !slices.IsSorted(ids(s.All())) {
			t.Errorf("All not sorted: %v", ids(s.All()))
		}
	})

	t.Run("disable", func(t *testing.T) {
		repo := []Source{file(".vouch/checklists/secret.md", "secret", "{categories: [secret]}")}
		s, problems := Load(nil, repo, []string{"dependency", "secret", "no-such"})
		if s.Get("dependency") != nil {
			t.Error("disabled built-in still loaded")
		}
		if c := s.Get("secret"); c == nil || c.Source != ".vouch/checklists/secret.md" {
			t.Errorf("the organisation's own secret checklist should survive disabling the built-in: %+v", c)
		}
		want := []Problem{{File: DisableFile, Msg: `"no-such" is not a built-in checklist`}}
		if !reflect.DeepEqual(problems, want) {
			t.Errorf("problems %v, want %v", problems, want)
		}
	})

	t.Run("a broken file is skipped, the rest load", func(t *testing.T) {
		repo := []Source{
			file(".vouch/checklists/broken.md", "dependency", "{categories: [sql]}"),
			file(".vouch/checklists/ok.md", "org-ok", "{ai: true}"),
		}
		s, problems := Load(nil, repo, nil)
		if len(problems) != 1 || problems[0].File != ".vouch/checklists/broken.md" || problems[0].Line != 4 {
			t.Errorf("problems %v", problems)
		}
		if c := s.Get("dependency"); c == nil || c.Source != BuiltIn {
			t.Errorf("a broken override must leave the built-in in force: %+v", c)
		}
		if s.Get("org-ok") == nil {
			t.Error("the good file was not loaded")
		}
	})

	t.Run("duplicate ids within a layer", func(t *testing.T) {
		repo := []Source{
			file(".vouch/checklists/a.md", "org", "{ai: true}"),
			file(".vouch/checklists/b.md", "org", "{paths: [x]}"),
		}
		s, problems := Load(nil, repo, nil)
		want := []Problem{{File: ".vouch/checklists/b.md", Line: 2, Msg: `duplicate id "org": .vouch/checklists/a.md has it too`}}
		if !reflect.DeepEqual(problems, want) {
			t.Errorf("problems %v, want %v", problems, want)
		}
		if c := s.Get("org"); c == nil || c.Source != ".vouch/checklists/a.md" {
			t.Errorf("org: %+v", c)
		}
	})

	t.Run("same id in different layers is an override, not a problem", func(t *testing.T) {
		_, problems := Load([]Source{file("u/org.md", "org", "{ai: true}")}, []Source{file("r/org.md", "org", "{ai: true}")}, nil)
		if len(problems) > 0 {
			t.Error(problems)
		}
	})
}

func TestLint(t *testing.T) {
	good, err := os.ReadFile("testdata/good.md")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		files []Source
		want  []string
	}{
		{"clean", []Source{{Path: "good.md", Data: good}, file("b.md", "b", "{ai: true}")}, nil},
		{"parse problems of every file", []Source{
			file("a.md", "a", "{categories: [nope]}"),
			{Path: "b.md", Data: []byte("- [ ] no front matter\n")},
			file("c.md", "c", "{ai: true}", "owner: me\n"),
		}, []string{
			`a.md:4: unknown category "nope"`,
			`b.md:1: no front matter`,
			`c.md:5: front matter: unknown key "owner"`,
		}},
		{"duplicate ids across files", []Source{file("a.md", "x", "{ai: true}"), file("b.md", "y", "{ai: true}"), file("c.md", "x", "{ai: true}")},
			[]string{`c.md:2: duplicate id "x": a.md has it too`}},
		{"no items", []Source{{Path: "n.md", Data: []byte("---\nid: n\ntitle: N\napplies: {ai: true}\n---\nprose\n")}},
			[]string{"n.md: no items"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range Lint(tt.files) {
				got = append(got, p.String())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("got %q, want %q…", got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSelect(t *testing.T) {
	// Select is tested on organisation files only, with every built-in
	// disabled, so that the test does not depend on their content.
	bs, _ := builtins()
	disable := ids(bs)
	repo := []Source{
		file("ai.md", "ai-org", "{ai: true}"),
		file("ai2.md", "ai-extra", "{ai: true, categories: [exec]}"),
		file("dep.md", "dep", "{categories: [dependency, dependency-source]}"),
		file("go.md", "go-rules", `{rules: ["go/*"]}`),
		file("exact.md", "npm-script", "{rules: [deps/npm-lifecycle-script]}"),
		file("crit.md", "crit-secret", "{categories: [secret]}", "severity: high\n"),
		file("paths.md", "ci", `{paths: [".github/workflows/**", "**/go.mod"]}`),
	}
	s, problems := Load(nil, repo, disable)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	f := func(cat, rule, sev string) surface.Finding {
		return surface.Finding{Category: cat, Rule: rule, Severity: sev, File: "x.go", Line: 1}
	}
	type sel struct {
		id      string
		because int
		paths   []string
		ai      bool
	}
	tests := []struct {
		name     string
		findings []surface.Finding
		paths    []string
		ai       bool
		want     []sel
	}{
		{"nothing", nil, nil, false, nil},
		{"AI checklists always, after the findings' ones", []surface.Finding{f("dependency", "deps/go-mod", "critical")}, nil, true, []sel{
			{id: "dep", because: 1}, {id: "ai-extra", ai: true}, {id: "ai-org", ai: true}}},
		{"AI checklists not for human commits", nil, nil, false, nil},
		{"AI checklist also called in by a finding", []surface.Finding{f("exec", "go/exec", "high")}, nil, false, []sel{
			{id: "ai-extra", because: 1}, {id: "go-rules", because: 1}}},
		{"category", []surface.Finding{f("dependency-source", "deps/git-url", "low"), f("dependency", "deps/go-mod", "medium")}, nil, false, []sel{
			{id: "dep", because: 2}}},
		{"rule glob and exact rule", []surface.Finding{f("native", "go/unsafe", "medium"), f("install-script", "deps/npm-lifecycle-script", "high"), f("native", "rust/unsafe", "high")}, nil, false, []sel{
			{id: "npm-script", because: 1}, {id: "go-rules", because: 1}}},
		{"severity threshold", []surface.Finding{f("exec", "go/exec", "medium")}, nil, false, []sel{
			{id: "ai-extra", because: 1}, {id: "go-rules", because: 1}}},
		{"below the threshold: only the items that name the finding", []surface.Finding{f("secret", "secret/aws", "medium")}, nil, false, []sel{
			{id: "crit-secret", because: 1}}},
		{"severity at threshold", []surface.Finding{f("secret", "secret/aws", "high"), f("secret", "secret/x", "low")}, nil, false, []sel{
			{id: "crit-secret", because: 1}}},
		{"path glob", nil, []string{"README.md", ".github/workflows/ci.yml", "tools/go.mod", "go.mod"}, false, []sel{
			{id: "ci", paths: []string{".github/workflows/ci.yml", "tools/go.mod", "go.mod"}}}},
		{"ordered by highest severity, path-only last, then id", []surface.Finding{
			f("dependency", "deps/go-mod", "low"),
			f("native", "go/unsafe", "low"),
			f("native", "go/cgo", "high"),
			f("secret", "secret/key", "critical"),
		}, []string{"go.mod"}, true, []sel{
			{id: "crit-secret", because: 1}, {id: "go-rules", because: 2}, {id: "dep", because: 1}, {id: "ci", paths: []string{"go.mod"}},
			{id: "ai-extra", ai: true}, {id: "ai-org", ai: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []sel
			for _, s := range s.Select(tt.findings, tt.paths, tt.ai) {
				got = append(got, sel{id: s.Checklist.ID, because: len(s.Because), paths: s.Paths, ai: s.ForAI})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestSelectKeepsTriggeringFindings(t *testing.T) {
	bs, _ := builtins()
	s, _ := Load(nil, []Source{file("dep.md", "dep", "{categories: [dependency]}")}, ids(bs))
	fs := []surface.Finding{
		{Category: "egress", Rule: "go/http-client", Severity: "high"},
		{Category: "dependency", Rule: "deps/go-mod", Severity: "medium", File: "go.mod", Line: 7},
	}
	got := s.Select(fs, nil, false)
	if len(got) != 1 || !reflect.DeepEqual(got[0].Because, fs[1:]) {
		t.Errorf("got %+v", got)
	}
}

func TestBuiltinsSelected(t *testing.T) {
	// With the real built-ins: a dependency commit by an AI brings the
	// dependency checklist first, then the general AI one.
	s, problems := Load(nil, nil, nil)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	got := s.Select([]surface.Finding{{Category: "dependency", Rule: "deps/go-mod", Severity: "medium"}}, []string{"go.mod"}, true)
	if len(got) < 2 || !got[len(got)-1].ForAI || !slices.Contains(got[0].Checklist.Applies.Categories, "dependency") {
		var names []string
		for _, s := range got {
			names = append(names, s.Checklist.ID)
		}
		t.Errorf("selected %v", names)
	}
}

func TestSelectOrganisationFirst(t *testing.T) {
	// The organisation's own checklist comes before every built-in, even
	// one called in by a more severe finding.
	s, problems := Load(nil, []Source{file("acme.md", "acme-deps", "{categories: [dependency]}")}, nil)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	got := s.Select([]surface.Finding{
		{Category: "dependency", Rule: "deps/go-mod", Severity: "low"},
		{Category: "exec", Rule: "go/exec", Severity: "high"},
	}, nil, true)
	var names []string
	for _, s := range got {
		names = append(names, s.Checklist.ID)
	}
	if len(names) < 3 || names[0] != "acme-deps" || names[1] != "exec" || names[len(names)-1] != "ai-change" {
		t.Errorf("selected %v, want acme-deps, exec, …, ai-change", names)
	}
	full, _ := Load(nil, nil, nil)
	for _, sel := range got {
		if sel.Checklist.ID == "dependency" && len(sel.Checklist.Items) >= len(full.Get("dependency").Items) {
			t.Errorf("a low dependency finding brought the whole dependency list")
		}
	}
}

func TestBuiltinThresholds(t *testing.T) {
	// A low logging finding does not bring the whole logging list.
	s, _ := Load(nil, nil, nil)
	for _, sel := range s.Select([]surface.Finding{{Category: "logging", Rule: "go/log-request", Severity: "low"}}, nil, false) {
		if sel.Checklist.ID == "logging" && len(sel.Checklist.Items) > 2 {
			t.Errorf("a low finding called in %d logging items", len(sel.Checklist.Items))
		}
	}
}
