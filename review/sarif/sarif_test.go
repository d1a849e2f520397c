package sarif_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/authorship"
	"github.com/vouch-review/vouch/review/demo"
	"github.com/vouch-review/vouch/review/sarif"
	"github.com/vouch-review/vouch/review/surface"
)

var schema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarif.SchemaURI, doc); err != nil {
		return nil, err
	}
	return c.Compile(sarif.SchemaURI)
})

// validate checks a written log against the official SARIF 2.1.0 schema and
// returns it decoded, for the test to look into.
func validate(t testing.TB, out []byte) map[string]any {
	t.Helper()
	sch, err := schema()
	if err != nil {
		t.Fatalf("compile the SARIF schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("output does not validate against SARIF 2.1.0: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func write(t testing.TB, commits []sarif.Commit) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := sarif.Write(&b, "vouch v1.4.0", commits); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDemoScan validates the log of a real scan: the demo repository's AI
// commits, analysed by a Session as `vouch scan` does.
func TestDemoScan(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	res, err := demo.Build(filepath.Join(t.TempDir(), "demo"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := review.Open(review.Options{Dir: res.Dir})
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.Queue([]string{res.Base + ".." + res.Branch})
	if err != nil {
		t.Fatal(err)
	}
	var commits []sarif.Commit
	findings := 0
	for _, it := range q.Items {
		an, err := s.Analyse(it)
		if err != nil {
			t.Fatal(err)
		}
		findings += len(an.Findings)
		commits = append(commits, sarif.Commit{SHA: it.Commit.SHA, Subject: it.Commit.Subject(),
			Author: it.Commit.AuthorName + " <" + it.Commit.AuthorEmail + ">", Evidence: it.Evidence, Findings: an.Findings})
	}
	if len(commits) < 3 || findings < 10 {
		t.Fatalf("the demo scan has %d commits and %d findings; expected a real sample", len(commits), findings)
	}
	out := write(t, commits)
	log := validate(t, out)

	run := log["runs"].([]any)[0].(map[string]any)
	results := run["results"].([]any)
	if len(results) != findings {
		t.Fatalf("%d results for %d findings", len(results), findings)
	}
	rules := run["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any)
	ruleIDs := map[string]int{}
	for i, r := range rules {
		r := r.(map[string]any)
		id := r["id"].(string)
		if _, dup := ruleIDs[id]; dup {
			t.Errorf("rule %s listed twice", id)
		}
		ruleIDs[id] = i
		props := r["properties"].(map[string]any)
		if props["security-severity"] == "" || props["category"] == "" || r["help"].(map[string]any)["markdown"] == "" {
			t.Errorf("rule %s lacks security-severity, category or help: %v", id, r)
		}
	}
	removals := 0
	fps := map[string]bool{}
	for _, r := range results {
		r := r.(map[string]any)
		if got := ruleIDs[r["ruleId"].(string)]; int(r["ruleIndex"].(float64)) != got {
			t.Errorf("result of %s points at rule %v, want %d", r["ruleId"], r["ruleIndex"], got)
		}
		props := r["properties"].(map[string]any)
		if props["ai"] != true || len(props["aiEvidence"].([]any)) == 0 {
			t.Errorf("result %s carries no AI evidence: %v", r["ruleId"], props)
		}
		if props["removed"] == true {
			removals++
			if !strings.Contains(r["message"].(map[string]any)["text"].(string), "removed by commit") {
				t.Errorf("a removal's message does not say so: %v", r["message"])
			}
		}
		fp := r["partialFingerprints"].(map[string]any)[sarif.FingerprintKey].(string)
		if fps[fp] {
			t.Errorf("fingerprint %s given to two results", fp)
		}
		fps[fp] = true
	}
	if removals == 0 {
		t.Error("the demo removes auth middleware, but no result is a removal")
	}

	// A second scan of the same range writes the same bytes.
	if again := write(t, commits); !bytes.Equal(again, out) {
		t.Error("two scans of the same commits wrote different logs")
	}
}

func finding(rule, sev, file string, line int, evidence string) surface.Finding {
	return surface.Finding{Category: "exec", Rule: rule, Severity: sev, File: file, Line: line, EndLine: line,
		Side: surface.SideNew, Evidence: evidence, Message: "runs a shell"}
}

func TestNoFindings(t *testing.T) {
	for name, commits := range map[string][]sarif.Commit{
		"no commits": nil,
		"a clean commit": {{SHA: strings.Repeat("a", 40), Subject: "tidy", Author: "A <a@example.com>",
			Evidence: []authorship.Evidence{{Kind: "trailer", Text: "Co-authored-by: Claude <noreply@anthropic.com>", Assistant: "Claude Code"}}}},
	} {
		t.Run(name, func(t *testing.T) {
			out := write(t, commits)
			log := validate(t, out)
			run := log["runs"].([]any)[0].(map[string]any)
			if rs, ok := run["results"].([]any); !ok || len(rs) != 0 {
				t.Errorf("results = %v, want an empty list", run["results"])
			}
			if !strings.Contains(string(out), `"executionSuccessful": true`) {
				t.Error("the invocation does not say the run succeeded")
			}
		})
	}
}

func TestRemoval(t *testing.T) {
	f := surface.Finding{Category: "auth", Rule: "go/auth-removed", Severity: "high", File: "internal/api/router.go",
		Line: 32, EndLine: 34, Side: surface.SideOld, Evidence: "r.With(auth).Get(\"/orders\", h)", Message: "removes auth middleware"}
	log := sarif.Build("v1.0.0", []sarif.Commit{{SHA: strings.Repeat("b", 40), Findings: []surface.Finding{f}}})
	validate(t, write(t, []sarif.Commit{{SHA: strings.Repeat("b", 40), Findings: []surface.Finding{f}}}))
	r := log.Runs[0].Results[0]
	loc := r.Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "internal/api/router.go" || loc.Region.StartLine != 32 || loc.Region.EndLine != 34 {
		t.Errorf("location = %+v %+v, want the old side's lines 32-34", loc.ArtifactLocation, *loc.Region)
	}
	if r.Properties["removed"] != true || r.Properties["side"] != "old" {
		t.Errorf("properties = %v, want removed on the old side", r.Properties)
	}
	if !strings.Contains(r.Message.Text, "removed by commit bbbbbbbbbbbb") {
		t.Errorf("message = %q", r.Message.Text)
	}
	if r.Level != "error" || log.Runs[0].Tool.Driver.Rules[0].Properties["security-severity"] != "8.0" {
		t.Errorf("a high finding is level %s, security-severity %v", r.Level, log.Runs[0].Tool.Driver.Rules[0].Properties["security-severity"])
	}
	if log.Runs[0].Tool.Driver.SemanticVersion != "1.0.0" {
		t.Errorf("semanticVersion = %q", log.Runs[0].Tool.Driver.SemanticVersion)
	}
}

func TestFindingWithoutRule(t *testing.T) {
	f := finding("", "high", "a.go", 1, "x")
	log := sarif.Build("", []sarif.Commit{{SHA: "f", Findings: []surface.Finding{f}}})
	if id := log.Runs[0].Results[0].RuleID; id != "vouch/exec" || log.Runs[0].Tool.Driver.Rules[0].ID != id {
		t.Fatalf("a finding without a rule is filed under %q", id)
	}
}

func TestLevels(t *testing.T) {
	for _, tc := range []struct{ sev, level, score string }{
		{"critical", "error", "9.5"}, {"high", "error", "8.0"}, {"medium", "warning", "5.0"}, {"low", "note", "2.0"},
	} {
		if got := sarif.Level(tc.sev); got != tc.level {
			t.Errorf("Level(%s) = %s, want %s", tc.sev, got, tc.level)
		}
		if got := sarif.SecuritySeverity(tc.sev); got != tc.score {
			t.Errorf("SecuritySeverity(%s) = %s, want %s", tc.sev, got, tc.score)
		}
	}
}

// TestRuleDefaults: the rule's default level and security-severity are its
// most severe result's, so GitHub never ranks an alert below its result.
func TestRuleDefaults(t *testing.T) {
	log := sarif.Build("", []sarif.Commit{{SHA: "c1", Findings: []surface.Finding{
		finding("go/exec-command", "low", "x_test.go", 3, "exec.Command(a)"),
		finding("go/exec-command", "critical", "x.go", 9, "exec.Command(b)"),
	}}})
	rules := log.Runs[0].Tool.Driver.Rules
	if len(rules) != 1 || rules[0].DefaultConfiguration.Level != "error" || rules[0].Properties["security-severity"] != "9.5" {
		t.Fatalf("rules = %+v", rules)
	}
	if rules[0].Name != "GoExecCommand" || !strings.Contains(rules[0].ShortDescription.Text, "Process execution") {
		t.Errorf("name %q, short description %q", rules[0].Name, rules[0].ShortDescription.Text)
	}
	if lv := log.Runs[0].Results[0].Level; lv != "note" {
		t.Errorf("the low result is level %s, want note", lv)
	}
}

// TestFingerprintsSurviveRebase: after a rebase the commit ids differ and
// the lines have moved, yet every result keeps its fingerprint; changing the
// evidence changes it, and identical findings are told apart.
func TestFingerprintsSurviveRebase(t *testing.T) {
	before := []sarif.Commit{{SHA: "1111", Findings: []surface.Finding{
		finding("go/exec-command", "high", "cmd/run.go", 10, `exec.Command("sh", "-c", s)`),
		finding("go/exec-command", "high", "cmd/run.go", 20, `exec.Command("sh", "-c", s)`),
		finding("go/exec-command", "high", "cmd/other.go", 5, `exec.Command("sh", "-c", s)`),
	}}}
	after := []sarif.Commit{{SHA: "2222", Findings: []surface.Finding{
		finding("go/exec-command", "high", "cmd/run.go", 14, "exec.Command(\"sh\",  \"-c\",\ts)  "),
		finding("go/exec-command", "high", "cmd/run.go", 25, `exec.Command("sh", "-c", s)`),
		finding("go/exec-command", "high", "cmd/other.go", 5, `exec.Command("bash", "-c", s)`),
	}}}
	a, b := sarif.Build("", before).Runs[0].Results, sarif.Build("", after).Runs[0].Results
	fp := func(r sarif.Result) string { return r.PartialFingerprints[sarif.FingerprintKey] }
	if fp(a[0]) != fp(b[0]) || fp(a[1]) != fp(b[1]) {
		t.Errorf("moved findings changed fingerprint: %s %s → %s %s", fp(a[0]), fp(a[1]), fp(b[0]), fp(b[1]))
	}
	if fp(a[0]) == fp(a[1]) || !strings.HasSuffix(fp(a[0]), ":1") || !strings.HasSuffix(fp(a[1]), ":2") {
		t.Errorf("identical findings share a fingerprint: %s %s", fp(a[0]), fp(a[1]))
	}
	if fp(a[2]) == fp(b[2]) {
		t.Error("changed evidence kept its fingerprint")
	}
	if a[0].PartialFingerprints["primaryLocationLineHash"] != fp(a[0]) {
		t.Error("primaryLocationLineHash is not vouch's fingerprint, so GitHub would hash the line at HEAD")
	}
	removed := before[0].Findings[0]
	removed.Side = surface.SideOld
	if sarif.Fingerprint(removed) == sarif.Fingerprint(before[0].Findings[0]) {
		t.Error("a removal has the fingerprint of the same addition")
	}
}

// TestTruncation: a log never holds more than GitHub's 25,000 results; the
// least severe go first and the invocation says how many were left out.
func TestTruncation(t *testing.T) {
	var fs []surface.Finding
	for i := range sarif.MaxResults + 7 {
		sev := "low"
		if i%1000 == 0 {
			sev = "critical"
		}
		fs = append(fs, finding("go/exec-command", sev, fmt.Sprintf("f%05d.go", i), 1, "exec.Command(x)"))
	}
	commits := []sarif.Commit{{SHA: strings.Repeat("c", 40), Findings: fs}}
	out := write(t, commits)
	validate(t, out)
	log := sarif.Build("", commits)
	run := log.Runs[0]
	if len(run.Results) != sarif.MaxResults {
		t.Fatalf("%d results, want %d", len(run.Results), sarif.MaxResults)
	}
	critical := 0
	for _, r := range run.Results {
		if r.Level == "error" {
			critical++
		}
	}
	if critical != (sarif.MaxResults+7+999)/1000 {
		t.Errorf("%d critical results kept, want all %d", critical, (sarif.MaxResults+7+999)/1000)
	}
	// Among equals the last low findings go (f24999, f25001…f25006); the
	// critical f25000 stays, and the scan's order is kept.
	uri := func(r sarif.Result) string { return r.Locations[0].PhysicalLocation.ArtifactLocation.URI }
	if a, b := uri(run.Results[len(run.Results)-2]), uri(run.Results[len(run.Results)-1]); a != "f24998.go" || b != "f25000.go" {
		t.Errorf("the log ends with %s, %s; want f24998.go, f25000.go", a, b)
	}
	notes := run.Invocations[0].ToolExecutionNotifications
	if len(notes) != 1 || notes[0].Descriptor.ID != sarif.TruncatedID || !strings.Contains(notes[0].Message.Text, "the 7 least severe") {
		t.Fatalf("notifications = %+v", notes)
	}
	if small := sarif.Build("", []sarif.Commit{{Findings: fs[:sarif.MaxResults]}}); len(small.Runs[0].Invocations[0].ToolExecutionNotifications) != 0 {
		t.Error("a run of exactly 25,000 results reports a truncation")
	}
}

// TestRepositoryText: paths become URI references, brackets in messages do
// not form SARIF links, and the log still validates.
func TestRepositoryText(t *testing.T) {
	f := finding("go/exec-command", "medium", "docs and notes/a:b[1].go", 2, "x")
	f.Message = `runs [click](https://evil.example) \[ok\]`
	log := sarif.Build("", []sarif.Commit{{SHA: "d", Findings: []surface.Finding{f}}})
	validate(t, write(t, []sarif.Commit{{SHA: "d", Findings: []surface.Finding{f}}}))
	r := log.Runs[0].Results[0]
	if got := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "docs%20and%20notes/a:b%5B1%5D.go" {
		t.Errorf("uri = %q", got)
	}
	if want := `runs \[click\](https://evil.example) \\\[ok\\\] (commit d)`; r.Message.Text != want {
		t.Errorf("message = %q, want %q", r.Message.Text, want)
	}
}

// FuzzBuild: whatever a repository puts in a finding, the log is valid
// SARIF and no message holds an unescaped bracket.
func FuzzBuild(f *testing.F) {
	f.Add("go/exec-command", "cmd/run.go", "exec.Command(x)", "runs a shell", "high", 3)
	f.Add("x", "a:b/[c]", "\x1b]52;c;", "[a](1) \\[", "", 0)
	f.Fuzz(func(t *testing.T, rule, file, evidence, message, sev string, line int) {
		fd := surface.Finding{Category: "exec", Rule: rule, Severity: sev, File: file, Line: line, EndLine: line,
			Evidence: evidence, Message: message}
		commits := []sarif.Commit{{SHA: "e", Subject: message, Findings: []surface.Finding{fd, fd}}}
		validate(t, write(t, commits))
		for _, r := range sarif.Build("", commits).Runs[0].Results {
			s := r.Message.Text
			for i := 0; i < len(s); i++ {
				if s[i] != '[' && s[i] != ']' {
					continue
				}
				bs := 0
				for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
					bs++
				}
				if bs%2 == 0 {
					t.Fatalf("unescaped bracket at %d in %q", i, s)
				}
			}
		}
	})
}

// TestFingerprintIsTheFindingsOwn: a finding numbered by the scanner (as
// `vouch scan --json` prints it) carries into SARIF unchanged, so the JSON
// and the SARIF of one scan name each finding alike.
func TestFingerprintIsTheFindingsOwn(t *testing.T) {
	fs := []surface.Finding{
		finding("go/exec-command", "high", "cmd/run.go", 10, `exec.Command("sh", "-c", s)`),
		finding("go/exec-command", "high", "cmd/run.go", 20, `exec.Command("sh", "-c", s)`),
	}
	surface.NumberFingerprints(fs)
	if fs[0].Fingerprint == fs[1].Fingerprint || !strings.HasPrefix(fs[0].Fingerprint, surface.Fingerprint(fs[0])+":") {
		t.Fatalf("numbered %q and %q", fs[0].Fingerprint, fs[1].Fingerprint)
	}
	res := sarif.Build("", []sarif.Commit{{SHA: "1111", Findings: fs}}).Runs[0].Results
	for i, r := range res {
		if got := r.PartialFingerprints[sarif.FingerprintKey]; got != fs[i].Fingerprint {
			t.Errorf("result %d: SARIF %q, finding %q", i, got, fs[i].Fingerprint)
		}
	}
}
