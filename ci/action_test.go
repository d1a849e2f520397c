// Package ci tests the GitHub Action in action.yml: its shell steps are read
// from the file and run with bash the way a runner runs a composite action,
// against a local bare remote, with GITHUB_* files in temporary directories.
package ci

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/vouch-review/vouch/review/demo"
	"github.com/vouch-review/vouch/review/sarif"
)

type action struct {
	Name    string
	Inputs  map[string]struct{ Default string }
	Outputs map[string]struct{ Value string }
	Runs    struct {
		Using string
		Steps []step
	}
}

type step struct {
	Name, ID, If, Uses, Shell, Run string
	Env                            map[string]string
	With                           map[string]string
	ContinueOnError                bool `yaml:"continue-on-error"`
}

var (
	repoRoot string // the action's path: the repository root
	vouchBin string // vouch built once, for the reviewer's side of the story
	goEnv    []string
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	root, err := filepath.Abs("..")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	repoRoot = root
	// The runner's Go shares this machine's caches, so the action's build
	// step is a link, not a cold build.
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT"} {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			fmt.Fprintf(os.Stderr, "go env %s: %v\n", k, err)
			return 2
		}
		goEnv = append(goEnv, k+"="+strings.TrimSpace(string(out)))
	}
	dir, err := os.MkdirTemp("", "vouch-action-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	vouchBin = filepath.Join(dir, "vouch")
	if out, err := exec.Command("go", "build", "-C", repoRoot, "-o", vouchBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build vouch: %v\n%s", err, out)
		return 2
	}
	return m.Run()
}

func loadAction(t *testing.T) *action {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(false)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a
}

var pinned = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$`)

// TestActionFile: a composite action whose actions are pinned by commit,
// whose scripts never interpolate ${{ }} (every value reaches the shell
// through env), and that builds vouch exactly from the action's own checkout.
func TestActionFile(t *testing.T) {
	a := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}
	for _, in := range []string{"range", "trust-ref", "allowed-signers", "sarif", "args"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("no input %q", in)
		}
	}
	var uses []string
	build := false
	for _, s := range a.Runs.Steps {
		switch {
		case s.Uses != "":
			uses = append(uses, s.Uses)
			if !pinned.MatchString(s.Uses) {
				t.Errorf("step %q uses %s, not pinned by a full commit sha", s.Name, s.Uses)
			}
		case s.Run != "":
			if s.Shell != "bash" {
				t.Errorf("step %q runs in %q; composite steps name their shell, bash here", s.Name, s.Shell)
			}
			if strings.Contains(s.Run, "${{") {
				t.Errorf("step %q interpolates an expression into its script; pass it through env", s.Name)
			}
			if strings.TrimSpace(s.Run) == `go build -C "$GITHUB_ACTION_PATH" -o "$RUNNER_TEMP/vouch" .` {
				build = true
			}
		default:
			t.Errorf("step %q neither runs nor uses anything", s.Name)
		}
	}
	if !build {
		t.Error("no step builds vouch from $GITHUB_ACTION_PATH")
	}
	want := []string{"actions/setup-go@", "github/codeql-action/upload-sarif@"}
	if len(uses) != len(want) {
		t.Fatalf("uses %v, want %v", uses, want)
	}
	for i, w := range want {
		if !strings.HasPrefix(uses[i], w) {
			t.Errorf("uses %s, want %s…", uses[i], w)
		}
	}
}

// runner runs the action's steps the way GitHub's runner runs a composite
// action: each run: script with `bash --noprofile --norc -eo pipefail`,
// expressions evaluated into env, GITHUB_OUTPUT read back as step outputs.
type runner struct {
	t       *testing.T
	a       *action
	work    string            // the checkout (GITHUB_WORKSPACE)
	inputs  map[string]string // with: of the workflow
	github  map[string]string // github context: "event_name", "event.pull_request.base.sha", …
	only    string            // run only the step with this id
	home    string
	temp    string
	outputs map[string]map[string]string
	log     strings.Builder
	sarif   string // what the upload step was given
}

type outcome struct {
	code   int    // of the job: 0, or the failing step's exit code
	failed string // the failing step's name
	log    string
	out    map[string]map[string]string
	sarif  string
}

func (o outcome) output(step, name string) string { return o.out[step][name] }

var exprRE = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

func (r *runner) eval(expr string) string {
	switch {
	case strings.HasPrefix(expr, "inputs."):
		name := strings.TrimPrefix(expr, "inputs.")
		in, ok := r.a.Inputs[name]
		if !ok {
			r.t.Fatalf("action.yml reads undeclared input %q", name)
		}
		if v, ok := r.inputs[name]; ok {
			return v
		}
		return in.Default
	case expr == "github.action_path":
		return repoRoot
	case strings.HasPrefix(expr, "github."):
		return r.github[strings.TrimPrefix(expr, "github.")] // a missing property is empty, as on GitHub
	case strings.HasPrefix(expr, "steps."):
		parts := strings.Split(expr, ".")
		if len(parts) != 4 || parts[2] != "outputs" {
			r.t.Fatalf("unsupported expression %q", expr)
		}
		return r.outputs[parts[1]][parts[3]]
	}
	r.t.Fatalf("unsupported expression %q in action.yml; teach the test runner", expr)
	return ""
}

func (r *runner) expand(s string) string {
	return exprRE.ReplaceAllStringFunc(s, func(m string) string { return r.eval(exprRE.FindStringSubmatch(m)[1]) })
}

var condRE = regexp.MustCompile(`^(\S+)\s*==\s*'([^']*)'$`)

func (r *runner) cond(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return true
	}
	m := condRE.FindStringSubmatch(s)
	if m == nil {
		r.t.Fatalf("unsupported if: %q; teach the test runner", s)
	}
	return r.eval(m[1]) == m[2]
}

func (r *runner) env(outputFile string) []string {
	env := append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + r.home, "LC_ALL=C.UTF-8",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GOTOOLCHAIN=local", "GOFLAGS=-mod=readonly",
		"CI=true", "GITHUB_ACTIONS=true", "GITHUB_WORKSPACE=" + r.work, "GITHUB_ACTION_PATH=" + repoRoot,
		"RUNNER_TEMP=" + r.temp, "GITHUB_OUTPUT=" + outputFile, "GITHUB_EVENT_NAME=" + r.github["event_name"],
	}, goEnv...)
	return env
}

func (r *runner) run() outcome {
	r.t.Helper()
	r.home, r.temp = r.t.TempDir(), r.t.TempDir()
	r.outputs = map[string]map[string]string{}
	for i, s := range r.a.Runs.Steps {
		if r.only != "" && s.ID != r.only {
			continue
		}
		if !r.cond(s.If) {
			fmt.Fprintf(&r.log, "== %s (skipped)\n", s.Name)
			continue
		}
		fmt.Fprintf(&r.log, "== %s\n", s.Name)
		if s.Uses != "" {
			r.uses(s)
			continue
		}
		outFile := filepath.Join(r.temp, fmt.Sprintf("output-%d", i))
		if err := os.WriteFile(outFile, nil, 0o600); err != nil {
			r.t.Fatal(err)
		}
		script := filepath.Join(r.temp, fmt.Sprintf("step-%d.sh", i))
		if err := os.WriteFile(script, []byte(s.Run), 0o600); err != nil {
			r.t.Fatal(err)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = r.work
		cmd.Env = r.env(outFile)
		for k, v := range s.Env {
			cmd.Env = append(cmd.Env, k+"="+r.expand(v))
		}
		cmd.Stdout, cmd.Stderr = &r.log, &r.log
		err := cmd.Run()
		if s.ID != "" {
			r.outputs[s.ID] = readOutputs(r.t, outFile)
		}
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				r.t.Fatalf("step %q: %v", s.Name, err)
			}
			if s.ContinueOnError {
				continue
			}
			return outcome{code: ee.ExitCode(), failed: s.Name, log: r.log.String(), out: r.outputs, sarif: r.sarif}
		}
	}
	return outcome{log: r.log.String(), out: r.outputs, sarif: r.sarif}
}

// uses stands in for the two actions the composite calls: Go is already
// installed here, and the upload's file is kept for the test to validate.
func (r *runner) uses(s step) {
	switch {
	case strings.HasPrefix(s.Uses, "actions/setup-go@"):
		if _, err := os.Stat(r.expand(s.With["go-version-file"])); err != nil {
			r.t.Errorf("setup-go's go-version-file: %v", err)
		}
	case strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@"):
		r.sarif = r.expand(s.With["sarif_file"])
	default:
		r.t.Fatalf("the test runner does not know %s", s.Uses)
	}
}

func readOutputs(t *testing.T, file string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Errorf("GITHUB_OUTPUT line %q is not name=value", line)
		}
		out[k] = v
	}
	return out
}

// world is a demo repository pushed to a bare remote, with a reviewer's
// clone that holds the demo's throwaway signing key.
type world struct {
	t        *testing.T
	root     string
	origin   string
	reviewer string
	demo     *demo.Result
	base     string // main
	head     string // the feature branch, with the AI commits
	ai       []string
	accepted map[string]bool
}

func (w *world) git(dir string, args ...string) string {
	w.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+w.root)
	out, err := cmd.CombinedOutput()
	if err != nil {
		w.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (w *world) vouch(dir string, args ...string) (string, int) {
	w.t.Helper()
	cmd := exec.Command(vouchBin, append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+w.root,
		"XDG_CONFIG_HOME="+filepath.Join(w.root, ".config"))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		w.t.Fatal(err)
	}
	return string(out), 0
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, root: t.TempDir(), accepted: map[string]bool{}}
	res, err := demo.Build(filepath.Join(w.root, "demo"))
	if err != nil {
		t.Fatal(err)
	}
	w.demo = res
	w.origin = filepath.Join(w.root, "origin.git")
	w.git(w.root, "clone", "-q", "--bare", res.Dir, w.origin)
	w.base = w.git(w.origin, "rev-parse", res.Base)
	w.head = w.git(w.origin, "rev-parse", res.Branch)

	w.reviewer = filepath.Join(w.root, "reviewer")
	w.git(w.root, "clone", "-q", w.origin, w.reviewer)
	for k, v := range map[string]string{"user.name": "Demo Reviewer", "user.email": "reviewer@demo.vouch.dev",
		"gpg.format": "ssh", "user.signingKey": res.KeyPath, "gpg.ssh.allowedSignersFile": res.AllowedSigners} {
		w.git(w.reviewer, "config", k, v)
	}
	out, code := w.vouch(w.reviewer, "scan", "--json", w.base+".."+w.head)
	if code != 0 {
		t.Fatalf("scan: exit %d\n%s", code, out)
	}
	var doc struct{ Commits []struct{ SHA string } }
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, c := range doc.Commits {
		w.ai = append(w.ai, c.SHA)
	}
	if len(w.ai) < 3 {
		t.Fatalf("the demo has %d AI-authored commits; the test needs a few", len(w.ai))
	}
	return w
}

// checkout is what actions/checkout with fetch-depth: 0 leaves: a full
// clone of origin (no notes) with the head detached.
func (w *world) checkout(name, rev string, extra ...string) string {
	w.t.Helper()
	dir := filepath.Join(w.root, name)
	w.git(w.root, append(append([]string{"clone", "-q"}, extra...), "file://"+w.origin, dir)...)
	w.git(dir, "checkout", "-q", "--detach", rev)
	return dir
}

// accept records and pushes an accept of each rev not yet accepted, so a
// subtest run alone with -run sets up what it needs.
func (w *world) accept(revs ...string) {
	w.t.Helper()
	for _, rev := range revs {
		if w.accepted[rev] {
			continue
		}
		w.accepted[rev] = true
		if out, code := w.vouch(w.reviewer, "decide", rev, "--accept", "-m", "ok"); code != 0 {
			w.t.Fatalf("decide %s: exit %d\n%s", rev, code, out)
		}
	}
	w.git(w.reviewer, "push", "-q", "origin", "refs/notes/vouch")
}

func (w *world) action(work string, inputs, github map[string]string) outcome {
	w.t.Helper()
	r := &runner{t: w.t, a: loadAction(w.t), work: work, inputs: inputs, github: github}
	o := r.run()
	if testing.Verbose() {
		w.t.Log(o.log)
	}
	return o
}

// TestActionRuns drives the whole action against a local bare remote: the
// first run, with no notes pushed yet, fails on unreviewed commits and not
// on a fetch; a partial review still fails; a complete one passes; a new
// AI commit fails again. Each run uploads a SARIF log that validates.
func TestActionRuns(t *testing.T) {
	w := newWorld(t)
	dispatch := map[string]string{"event_name": "workflow_dispatch"}
	inputs := func(head string) map[string]string {
		return map[string]string{"range": w.base + ".." + head, "allowed-signers": w.demo.AllowedSigners}
	}

	t.Run("no notes on the remote", func(t *testing.T) {
		work := w.checkout("first", w.head)
		o := w.action(work, inputs(w.head), dispatch)
		if o.code != 1 || o.failed != "Verdict" {
			t.Fatalf("exit %d at %q, want 1 at the verdict\n%s", o.code, o.failed, o.log)
		}
		if o.output("notes", "found") != "false" || !strings.Contains(o.log, "origin has no refs/notes/vouch yet") {
			t.Errorf("the notes step did not report a first run\n%s", o.log)
		}
		if strings.Contains(o.log, "fatal:") || strings.Contains(o.log, "couldn't find remote ref") {
			t.Errorf("a fetch failed on the first run\n%s", o.log)
		}
		if o.output("verify", "exit-code") != "1" || !strings.Contains(o.log, fmt.Sprintf("%d unreviewed", len(w.ai))) {
			t.Errorf("verify did not report %d unreviewed commits\n%s", len(w.ai), o.log)
		}
		checkSARIF(t, o, len(w.ai))
	})

	t.Run("one commit reviewed", func(t *testing.T) {
		w.accept(w.ai[0])
		work := w.checkout("partial", w.head)
		o := w.action(work, inputs(w.head), dispatch)
		if o.code != 1 || o.failed != "Verdict" {
			t.Fatalf("exit %d at %q, want 1 at the verdict\n%s", o.code, o.failed, o.log)
		}
		if o.output("notes", "found") != "true" || w.git(work, "rev-parse", "refs/notes/vouch") != w.git(w.origin, "rev-parse", "refs/notes/vouch") {
			t.Errorf("the notes were not fetched\n%s", o.log)
		}
		if !strings.Contains(o.log, "1 accepted") {
			t.Errorf("verify did not count the accept\n%s", o.log)
		}
	})

	t.Run("every commit accepted", func(t *testing.T) {
		w.accept(w.ai...)
		work := w.checkout("accepted", w.head)
		o := w.action(work, inputs(w.head), dispatch)
		if o.code != 0 || o.output("verify", "exit-code") != "0" {
			t.Fatalf("exit %d at %q, want success\n%s", o.code, o.failed, o.log)
		}
		if !strings.Contains(o.log, "Every AI-authored commit in the range has a valid signed accept") {
			t.Errorf("no verdict in the log\n%s", o.log)
		}
		checkSARIF(t, o, len(w.ai))
	})

	t.Run("a new AI commit", func(t *testing.T) {
		w.accept(w.ai...)
		w.git(w.reviewer, "checkout", "-q", "--detach", w.head)
		w.git(w.reviewer, "commit", "-q", "--allow-empty", "-m", "Tidy the handlers\n\nCo-authored-by: Claude <noreply@anthropic.com>")
		tip := w.git(w.reviewer, "rev-parse", "HEAD")
		w.git(w.reviewer, "push", "-q", "origin", "HEAD:refs/heads/"+w.demo.Branch)
		work := w.checkout("new-commit", tip)
		o := w.action(work, inputs(tip), dispatch)
		if o.code != 1 || !strings.Contains(o.log, "1 unreviewed") {
			t.Fatalf("exit %d at %q, want 1 with one unreviewed commit\n%s", o.code, o.failed, o.log)
		}
	})

	t.Run("SARIF off", func(t *testing.T) {
		w.accept(w.ai...)
		work := w.checkout("no-sarif", w.head)
		in := inputs(w.head)
		in["sarif"] = "false"
		o := w.action(work, in, dispatch)
		if o.code != 0 || o.sarif != "" || o.output("scan", "sarif-file") != "" {
			t.Fatalf("exit %d, uploaded %q; want success and no upload\n%s", o.code, o.sarif, o.log)
		}
	})

	t.Run("extra verify arguments", func(t *testing.T) {
		w.accept(w.ai...)
		work := w.checkout("two-reviewers", w.head)
		in := inputs(w.head)
		in["args"] = "--min-reviewers 2"
		o := w.action(work, in, dispatch)
		if o.code != 1 || !strings.Contains(o.log, "policy wants 2") {
			t.Fatalf("exit %d with one reviewer where two are required\n%s", o.code, o.log)
		}
	})

	t.Run("shallow checkout", func(t *testing.T) {
		work := w.checkout("shallow", w.demo.Branch, "--depth", "1", "--branch", w.demo.Branch)
		o := w.action(work, inputs(w.head), dispatch)
		if o.code != 2 || o.failed != "Fetch review notes" || !strings.Contains(o.log, "set fetch-depth: 0") {
			t.Fatalf("exit %d at %q, want 2 at the notes step asking for fetch-depth: 0\n%s", o.code, o.failed, o.log)
		}
	})

	t.Run("remote unreachable", func(t *testing.T) {
		work := w.checkout("lost", w.head)
		w.git(work, "remote", "set-url", "origin", filepath.Join(w.root, "gone.git"))
		o := w.action(work, inputs(w.head), dispatch)
		if o.code != 2 || o.failed != "Fetch review notes" || !strings.Contains(o.log, "git ls-remote origin refs/notes/vouch failed") {
			t.Fatalf("exit %d at %q, want 2 at the notes step\n%s", o.code, o.failed, o.log)
		}
	})

	t.Run("pull request", func(t *testing.T) {
		w.accept(w.ai...)
		work := w.checkout("pr", w.head)
		o := w.action(work, map[string]string{"allowed-signers": w.demo.AllowedSigners}, map[string]string{
			"event_name": "pull_request", "event.pull_request.base.sha": w.base, "event.pull_request.head.sha": w.head})
		if o.code != 0 || o.output("resolve", "trust-ref") != w.base {
			t.Fatalf("exit %d at %q, trust-ref %q\n%s", o.code, o.failed, o.output("resolve", "trust-ref"), o.log)
		}
	})
}

// checkSARIF validates the uploaded log against the SARIF 2.1.0 schema and
// checks it covers the range's AI commits.
func checkSARIF(t *testing.T, o outcome, commits int) {
	t.Helper()
	if o.sarif == "" || o.sarif != o.output("scan", "sarif-file") {
		t.Fatalf("upload-sarif got %q, the scan wrote %q", o.sarif, o.output("scan", "sarif-file"))
	}
	data, err := os.ReadFile(o.sarif)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(repoRoot, "review", "sarif", "testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarif.SchemaURI, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(sarif.SchemaURI)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the SARIF file is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("the uploaded SARIF is invalid: %v", err)
	}
	var log sarif.Log
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range log.Runs[0].Results {
		seen[r.Properties["commit"].(string)] = true
	}
	if len(seen) == 0 || len(seen) > commits {
		t.Errorf("the SARIF covers %d commits of %d", len(seen), commits)
	}
}

// TestResolveRange runs the step that picks the range and the trusted
// revision, for each event the action knows.
func TestResolveRange(t *testing.T) {
	w := newWorld(t)
	work := w.checkout("resolve", w.head)
	zero := strings.Repeat("0", 40)
	unknown := strings.Repeat("1234", 10)
	for _, tc := range []struct {
		name          string
		inputs        map[string]string
		github        map[string]string
		range_, trust string
	}{
		{"pull request", nil, map[string]string{"event_name": "pull_request",
			"event.pull_request.base.sha": w.base, "event.pull_request.head.sha": w.head}, w.base + ".." + w.head, w.base},
		{"pull request, trust-ref given", map[string]string{"trust-ref": "main"}, map[string]string{"event_name": "pull_request",
			"event.pull_request.base.sha": w.base, "event.pull_request.head.sha": w.head}, w.base + ".." + w.head, "main"},
		{"merge group", nil, map[string]string{"event_name": "merge_group",
			"event.merge_group.base_sha": w.base, "event.merge_group.head_sha": w.head}, w.base + ".." + w.head, w.base},
		{"push", nil, map[string]string{"event_name": "push", "event.before": w.base, "event.after": w.head}, w.base + ".." + w.head, w.base},
		{"push of a new branch", nil, map[string]string{"event_name": "push", "event.before": zero, "event.after": w.head}, "", ""},
		{"force push", nil, map[string]string{"event_name": "push", "event.before": unknown, "event.after": w.head}, "", ""},
		{"range given", map[string]string{"range": "HEAD~2..HEAD"}, map[string]string{"event_name": "push",
			"event.before": w.base, "event.after": w.head}, "HEAD~2..HEAD", ""},
		{"manual run", nil, map[string]string{"event_name": "workflow_dispatch"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &runner{t: t, a: loadAction(t), work: work, inputs: tc.inputs, github: tc.github, only: "resolve"}
			o := r.run()
			if o.code != 0 {
				t.Fatalf("exit %d\n%s", o.code, o.log)
			}
			if got := o.output("resolve", "range"); got != tc.range_ {
				t.Errorf("range = %q, want %q", got, tc.range_)
			}
			if got := o.output("resolve", "trust-ref"); got != tc.trust {
				t.Errorf("trust-ref = %q, want %q", got, tc.trust)
			}
		})
	}
	t.Run("two-line range", func(t *testing.T) {
		r := &runner{t: t, a: loadAction(t), work: work, inputs: map[string]string{"range": "a..b\nexit-code=0"},
			github: map[string]string{"event_name": "push"}, only: "resolve"}
		if o := r.run(); o.code != 2 || !strings.Contains(o.log, "one line each") {
			t.Fatalf("exit %d\n%s", o.code, o.log)
		}
	})
}

// TestREADMEWorkflow keeps the README's workflow true: it parses, pins its
// actions, checks out the full history, asks for the permissions the action
// needs and passes only inputs the action declares.
func TestREADMEWorkflow(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "\n## CI\n")
	if !ok {
		t.Fatal("README has no CI section")
	}
	_, rest, ok = strings.Cut(rest, "```yaml\n")
	if !ok {
		t.Fatal("README's CI section has no yaml workflow")
	}
	example, _, _ := strings.Cut(rest, "```")
	var wf struct {
		Permissions map[string]string
		Jobs        map[string]struct {
			Steps []struct {
				Uses string
				With map[string]any
			}
		}
	}
	if err := yaml.Unmarshal([]byte(example), &wf); err != nil {
		t.Fatalf("README workflow: %v", err)
	}
	if wf.Permissions["contents"] != "read" || wf.Permissions["security-events"] != "write" || len(wf.Permissions) != 2 {
		t.Errorf("permissions = %v, want contents: read and security-events: write", wf.Permissions)
	}
	a := loadAction(t)
	var sawCheckout, sawVouch bool
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			switch {
			case strings.HasPrefix(s.Uses, "actions/checkout@"):
				sawCheckout = true
				if !pinned.MatchString(s.Uses) {
					t.Errorf("%s is not pinned by a full commit sha", s.Uses)
				}
				if s.With["fetch-depth"] != 0 {
					t.Errorf("checkout fetch-depth = %v, want 0", s.With["fetch-depth"])
				}
			case strings.HasPrefix(s.Uses, "vouch-review/vouch@"):
				sawVouch = true
				for k := range s.With {
					if _, ok := a.Inputs[k]; !ok {
						t.Errorf("the README passes %q, which action.yml does not declare", k)
					}
				}
			}
		}
	}
	if !sawCheckout || !sawVouch {
		t.Errorf("the README workflow lacks a checkout (%v) or the vouch action (%v)", sawCheckout, sawVouch)
	}
}

// TestScanFlags: scan prints one format; asking for two is a usage error.
func TestScanFlags(t *testing.T) {
	w := newWorld(t)
	out, code := w.vouch(w.reviewer, "scan", "--json", "--sarif", w.base+".."+w.head)
	if code != 2 || !strings.Contains(out, "--json or --sarif, not both") {
		t.Fatalf("scan --json --sarif: exit %d\n%s", code, out)
	}
	out, code = w.vouch(w.reviewer, "scan", "--sarif", "--fail-on", "critical", w.base+".."+w.head)
	if code != 1 || !strings.Contains(out, `"version": "2.1.0"`) {
		t.Fatalf("scan --sarif --fail-on critical on the demo: exit %d\n%s", code, out)
	}
}
