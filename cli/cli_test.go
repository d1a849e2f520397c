package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vouch-review/vouch/review"
)

// isolate gives the test its own HOME and no global git config.
func isolate(t *testing.T) {
	t.Helper()
	home := t.TempDir()
	for k, v := range map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "LC_ALL": "C",
		"GIT_AUTHOR_NAME": "Ann", "GIT_AUTHOR_EMAIL": "ann@example.com",
		"GIT_COMMITTER_NAME": "Ann", "GIT_COMMITTER_EMAIL": "ann@example.com"} {
		t.Setenv(k, v)
	}
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// newRepo makes a repository with a main branch of one commit and a
// feature branch with an AI-authored commit on top.
func newRepo(t *testing.T) string {
	t.Helper()
	isolate(t)
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a\n"), 0o644)
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "first")
	git(t, dir, "checkout", "-q", "-b", "feature")
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("b\n"), 0o644)
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "add b\n\nCo-authored-by: Claude <noreply@anthropic.com>")
	return dir
}

// vouch runs the command line in process.
func vouch(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb strings.Builder
	code = Main(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestSplitRange(t *testing.T) {
	flags := pflag.NewFlagSet("scan", pflag.ContinueOnError)
	flags.Bool("json", false, "")
	flags.String("fail-on", "", "")
	flags.StringP("directory", "C", "", "")
	flags.BoolP("help", "h", false, "")
	tests := []struct {
		name      string
		args      []string
		own, rng  []string
		wantError string
	}{
		{"revision", []string{"main..HEAD"}, nil, []string{"main..HEAD"}, ""},
		{"own flags anywhere", []string{"--json", "main..HEAD", "--fail-on", "high"}, []string{"--json", "--fail-on", "high"}, []string{"main..HEAD"}, ""},
		{"git options keep their values", []string{"-n", "5", "--since", "2.weeks", "--author=x", "HEAD"}, nil, []string{"-n", "5", "--since", "2.weeks", "--author=x", "HEAD"}, ""},
		{"short with value", []string{"-C", "/r", "-Cdir", "-n5"}, []string{"-C", "/r", "-Cdir"}, []string{"-n5"}, ""},
		{"inline value", []string{"--fail-on=high", "HEAD"}, []string{"--fail-on=high"}, []string{"HEAD"}, ""},
		{"after -- nothing is ours", []string{"--json", "--", "--all", "--json"}, []string{"--json"}, []string{"--all", "--json"}, ""},
		{"typo of our flag", []string{"--jsn"}, nil, nil, "did you mean --json?"},
		{"unknown, left to git's check", []string{"--output=/tmp/x"}, nil, []string{"--output=/tmp/x"}, ""},
		{"help", []string{"-h"}, []string{"-h"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			own, rng, err := splitRange(flags, tt.args)
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) {
					t.Fatalf("error %v, want %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(own, tt.own) || !slices.Equal(rng, tt.rng) {
				t.Fatalf("split %q = %q, %q; want %q, %q", tt.args, own, rng, tt.own, tt.rng)
			}
		})
	}
}

func FuzzSplitRange(f *testing.F) {
	for _, s := range []string{"main..HEAD --json", "-n 5 --since 2.weeks", "-C x -- --all", "--fail-on=high -Cx", "--jsn", "-"} {
		f.Add(s)
	}
	flags := pflag.NewFlagSet("scan", pflag.ContinueOnError)
	flags.Bool("json", false, "")
	flags.String("fail-on", "", "")
	flags.StringP("directory", "C", "", "")
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		own, rng, err := splitRange(flags, args)
		if err != nil {
			return
		}
		// Every argument lands on one side, in order; only the first "--" is dropped.
		dash := slices.Index(args, "--")
		want := len(args)
		if dash >= 0 {
			want--
		}
		if len(own)+len(rng) != want {
			t.Fatalf("split %q = %q + %q loses arguments", args, own, rng)
		}
		if dash >= 0 && !slices.Equal(rng[len(rng)-(len(args)-dash-1):], args[dash+1:]) {
			t.Fatalf("after --, %q were not all passed to git: %q", args[dash+1:], rng)
		}
		if err := flags.Parse(own); err != nil && !strings.Contains(err.Error(), "needs an argument") {
			t.Fatalf("own flags %q do not parse: %v", own, err)
		}
	})
}

// commands lists every available command of the tree, root first.
func commands() []*cobra.Command {
	var all []*cobra.Command
	walk(newRootCmd(&globalOptions{}), func(c *cobra.Command) { all = append(all, c) })
	return all
}

func path(c *cobra.Command) []string { return strings.Fields(c.CommandPath())[1:] }

func TestEveryCommandHasItsOwnHelp(t *testing.T) {
	isolate(t)
	for _, c := range commands() {
		p := path(c)
		t.Run(strings.Join(append([]string{"vouch"}, p...), " "), func(t *testing.T) {
			out, errOut, code := vouch(t, append(p, "--help")...)
			if code != 0 || errOut != "" {
				t.Fatalf("--help: exit %d, %q", code, errOut)
			}
			about := c.Long
			if about == "" {
				about = c.Short
			}
			for _, want := range []string{"Usage:", synopsis(c), "Examples:", strings.SplitN(about, "\n", 2)[0]} {
				if c.HasParent() && c.Example == "" && want == "Examples:" {
					t.Errorf("%s has no examples", c.CommandPath())
					continue
				}
				if !strings.Contains(out, want) {
					t.Errorf("help lacks %q:\n%s", want, out)
				}
			}
			c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
				if !strings.Contains(out, "--"+f.Name) {
					t.Errorf("help lacks its flag --%s", f.Name)
				}
			})
			if len(p) > 0 {
				if !strings.Contains(out, "Global Flags:") || !strings.Contains(out, "-C, --directory") {
					t.Errorf("help lacks the global flags:\n%s", out)
				}
				viaHelp, _, code := vouch(t, append([]string{"help"}, p...)...)
				if code != 0 || viaHelp != out {
					t.Errorf("vouch help %s differs from --help (exit %d):\n%s", strings.Join(p, " "), code, viaHelp)
				}
				if other, _, _ := vouch(t, "--help"); other == out {
					t.Errorf("%s --help prints the global usage", c.CommandPath())
				}
			}
		})
	}
}

func TestHelpErrors(t *testing.T) {
	isolate(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"help", "scna"}, `no help topic "scna": did you mean scan?`},
		{[]string{"help", "checklist", "sho"}, "did you mean show?"},
		{[]string{"checklist", "lsit"}, "did you mean lint or list?"},
		{[]string{"checklist"}, "needs a subcommand: lint, list, show"},
		{[]string{"hook"}, "needs a subcommand: install"},
		{[]string{"scan", "--jsn"}, "unknown flag --jsn: did you mean --json?"},
		{[]string{"decide", "--bogus"}, "unknown flag: --bogus (see vouch decide --help)"},
		{[]string{"--versoin"}, "did you mean --version?"},
		{[]string{"completion", "tcsh"}, `no completion for shell "tcsh"`},
		{[]string{"verify", "--min-reviewers", "0"}, "--min-reviewers takes a whole number of 1 or more"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := vouch(t, tt.args...)
			if code != ExitTrouble || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "vouch: ") {
				t.Fatalf("exit %d, stderr %q, stdout %q; want exit 2 and one line with %q", code, errOut, out, tt.want)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	isolate(t)
	flag, _, code := vouch(t, "--version")
	cmd, _, code2 := vouch(t, "version")
	if code != 0 || code2 != 0 || flag != cmd || flag != review.ToolVersion()+"\n" {
		t.Fatalf("--version %q (exit %d), version %q (exit %d)", flag, code, cmd, code2)
	}
	out, _, code := vouch(t, "version", "--json")
	var v versionJSON
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != 0 || "vouch "+v.Version != review.ToolVersion() || v.Go == "" || v.Platform == "" {
		t.Fatalf("version --json: exit %d %v %+v\n%s", code, err, v, out)
	}
}

func TestCommandTypoOrRange(t *testing.T) {
	dir := newRepo(t)
	if _, errOut, code := vouch(t, "-C", dir, "scna"); code != 2 || !strings.Contains(errOut, "did you mean scan?") {
		t.Fatalf("scna: exit %d %q", code, errOut)
	}
	// Outside any repository the suggestion still comes.
	if _, errOut, code := vouch(t, "-C", t.TempDir(), "lgo"); code != 2 || !strings.Contains(errOut, "did you mean log?") {
		t.Fatalf("lgo: exit %d %q", code, errOut)
	}
	// A branch of that name is a range: the review is what refuses (no terminal here).
	git(t, dir, "branch", "scna")
	for _, args := range [][]string{{"scna"}, {"main..HEAD"}, {"HEAD"}, {"--since=2.weeks", "-n", "5"}} {
		if _, errOut, code := vouch(t, append([]string{"-C", dir}, args...)...); code != 2 || !strings.Contains(errOut, "needs a terminal") {
			t.Errorf("vouch %q: exit %d %q; want the review (needs a terminal)", args, code, errOut)
		}
	}
}

func TestRangeReachesGit(t *testing.T) {
	dir := newRepo(t)
	tests := []struct {
		args      []string
		wantRange []string
		commits   int
	}{
		{[]string{"main..HEAD"}, []string{"main..HEAD"}, 1},
		{[]string{"--json", "-n", "1", "HEAD"}, []string{"-n", "1", "HEAD"}, 1},
		{[]string{"--author=nobody", "HEAD"}, []string{"--author=nobody", "HEAD"}, 0},
		{[]string{"--all", "HEAD"}, []string{"HEAD"}, 2}, // vouch's --all: every commit, not only AI ones
		{[]string{"--", "--branches", "--not", "main"}, []string{"--branches", "--not", "main"}, 1},
		{[]string{"--since", "1970-01-02", "--", "HEAD"}, []string{"--since", "1970-01-02", "HEAD"}, 1},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := vouch(t, append([]string{"-C", dir, "scan", "--json"}, tt.args...)...)
			var doc scanJSON
			if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 {
				t.Fatalf("exit %d %v %s%s", code, err, out, errOut)
			}
			if !slices.Equal(doc.Range, tt.wantRange) || len(doc.Commits) != tt.commits {
				t.Fatalf("range %q with %d commits; want %q with %d", doc.Range, len(doc.Commits), tt.wantRange, tt.commits)
			}
		})
	}
	if _, errOut, code := vouch(t, "-C", dir, "scan", "--output=/tmp/x"); code != 2 || !strings.Contains(errOut, "not supported") {
		t.Fatalf("--output: exit %d %q", code, errOut)
	}
}

func TestChecklistListJSONAndColumns(t *testing.T) {
	dir := newRepo(t)
	out, _, code := vouch(t, "-C", dir, "checklist", "list", "--json")
	var doc struct {
		Checklists []checklistJSON `json:"checklists"`
		Problems   []problemJSON   `json:"problems"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 {
		t.Fatalf("list --json: exit %d %v\n%s", code, err, out)
	}
	var ids []string
	for _, c := range doc.Checklists {
		ids = append(ids, c.ID)
		if c.Source != "built-in" || len(c.Items) == 0 || c.Title == "" {
			t.Errorf("checklist %+v", c)
		}
	}
	if !slices.Contains(ids, "dependency") || !slices.Contains(ids, "ai-change") {
		t.Fatalf("ids %v", ids)
	}
	// A long title from the repository pushes the columns right, for every row alike.
	os.MkdirAll(filepath.Join(dir, ".vouch", "checklists"), 0o755)
	long := "---\nid: acme\ntitle: An organisation's very long checklist title that overflows forty columns\napplies:\n  categories: [dependency]\n---\n- [ ] one\n"
	os.WriteFile(filepath.Join(dir, ".vouch", "checklists", "acme.md"), []byte(long), 0o644)
	out, _, _ = vouch(t, "-C", dir, "checklist", "list")
	col := -1
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		i := strings.Index(line, "built-in")
		if strings.HasPrefix(line, "acme ") {
			i = strings.Index(line, ".vouch/checklists/acme.md")
		}
		if i < 0 {
			t.Fatalf("no source column in %q", line)
		}
		if col >= 0 && i != col {
			t.Fatalf("source column at %d, then %d:\n%s", col, i, out)
		}
		col = i
	}
	out, _, code = vouch(t, "-C", dir, "checklist", "show", "acme", "--json")
	var one checklistJSON
	if err := json.Unmarshal([]byte(out), &one); err != nil || code != 0 || one.ID != "acme" || !slices.Equal(one.Items, []string{"one"}) || one.Body == "" {
		t.Fatalf("show --json: exit %d %v %+v", code, err, one)
	}
}

func TestWriteTableCutsTheLastColumn(t *testing.T) {
	var b strings.Builder
	writeTable(&b, 30, []string{"ID", "TEXT"}, [][]string{{"a", strings.Repeat("x", 50)}, {"bbb", "short"}})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	want := []string{"ID   TEXT", "a    " + strings.Repeat("x", 24) + "…", "bbb  short"}
	if !slices.Equal(lines, want) {
		t.Fatalf("table\n%q\nwant\n%q", lines, want)
	}
}

func TestPrintVerifyUsesTheSessionsRef(t *testing.T) {
	rep := &review.VerifyReport{Range: []string{"main..HEAD"}, AllowedSigners: "/a", Trusted: "revision 1234abcd (merge base with main)",
		Commits: []review.CommitReport{{SHA: strings.Repeat("a", 40), Subject: "s", AI: true, Verdict: "accepted", Records: []review.RecordReport{
			{Ref: "refs/notes/review", Decision: "accept", Status: "valid", Reviewer: "r"},
			{Ref: "refs/notes/remotes/origin/review", Decision: "accept", Status: "valid", Reviewer: "o"},
		}}}}
	var b strings.Builder
	printVerify(&b, rep, "refs/notes/review", newPalette(false))
	out := b.String()
	if strings.Contains(out, "(from refs/notes/review)") || !strings.Contains(out, "(from refs/notes/remotes/origin/review)") {
		t.Errorf("records' origin:\n%s", out)
	}
	if lines := strings.SplitN(out, "\n", 3); len(lines) < 2 || lines[1] != "trusted: revision 1234abcd (merge base with main)" {
		t.Errorf("the second line does not say what is trusted:\n%s", out)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("colour without a terminal:\n%q", out)
	}
	var c strings.Builder
	printVerify(&c, rep, "refs/notes/review", newPalette(true))
	if !strings.Contains(c.String(), "\x1b[") {
		t.Errorf("no colour with the palette on:\n%q", c.String())
	}
}

func TestPagerCommand(t *testing.T) {
	tests := []struct {
		gitPager, pager *string
		core, want      string
	}{
		{nil, nil, "", "less"},
		{nil, ptr("more"), "", "more"},
		{nil, ptr("more"), "most", "most"},
		{ptr("pg"), ptr("more"), "most", "pg"},
		{ptr(""), ptr("more"), "most", ""},
		{nil, ptr("cat"), "", ""},
	}
	for _, tt := range tests {
		setOrUnset(t, "GIT_PAGER", tt.gitPager)
		setOrUnset(t, "PAGER", tt.pager)
		if got := pagerCommand(tt.core); got != tt.want {
			t.Errorf("GIT_PAGER %v PAGER %v core.pager %q: %q, want %q", deref(tt.gitPager), deref(tt.pager), tt.core, got, tt.want)
		}
	}
}

func ptr(s string) *string { return &s }

func deref(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func setOrUnset(t *testing.T, k string, v *string) {
	t.Helper()
	t.Setenv(k, "") // restores the old value after the test
	if v == nil {
		os.Unsetenv(k)
	} else {
		os.Setenv(k, *v)
	}
}

func TestHooksDir(t *testing.T) {
	dir := newRepo(t)
	open := func(d string) *globalOptions { return &globalOptions{Dir: d} }
	hooks := func(d, hooksPath string) string {
		s, err := open(d).open()
		if err != nil {
			t.Fatal(err)
		}
		return hooksDir(s.Repo(), hooksPath)
	}
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	if got := hooks(filepath.Join(dir, "sub"), ""); got != filepath.Join(dir, ".git", "hooks") {
		t.Errorf("default: %s", got)
	}
	if got := hooks(filepath.Join(dir, "sub"), ".githooks"); got != filepath.Join(dir, ".githooks") {
		t.Errorf("relative core.hooksPath: %s", got)
	}
	if got := hooks(dir, "/etc/hooks"); got != "/etc/hooks" {
		t.Errorf("absolute: %s", got)
	}
	wt := filepath.Join(t.TempDir(), "wt")
	git(t, dir, "worktree", "add", "-q", wt, "main")
	if got := hooks(wt, ""); got != filepath.Join(dir, ".git", "hooks") {
		t.Errorf("linked worktree: %s", got)
	}
	if got := hooks(wt, "h"); got != filepath.Join(wt, "h") {
		t.Errorf("linked worktree, relative core.hooksPath: %s", got)
	}
	bare := filepath.Join(t.TempDir(), "bare.git")
	git(t, dir, "clone", "-q", "--bare", dir, bare)
	if got := hooks(bare, ""); got != filepath.Join(bare, "hooks") {
		t.Errorf("bare: %s", got)
	}
	if got := hooks(bare, "h"); got != filepath.Join(bare, "h") {
		t.Errorf("bare, relative: %s", got)
	}
}

func TestHookInstallKeepsForeignHooks(t *testing.T) {
	dir := newRepo(t)
	path := filepath.Join(dir, ".git", "hooks", "pre-push")
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.WriteFile(path, []byte("#!/bin/sh\nexit 0\n"), 0o755)
	if _, errOut, code := vouch(t, "-C", dir, "hook", "install"); code != 2 || !strings.Contains(errOut, "pass --force") {
		t.Fatalf("foreign hook: exit %d %q", code, errOut)
	}
	if b, _ := os.ReadFile(path); string(b) != "#!/bin/sh\nexit 0\n" {
		t.Fatalf("foreign hook changed: %q", b)
	}
	if _, errOut, code := vouch(t, "-C", dir, "--ref", "refs/notes/it's", "hook", "install", "--force"); code != 0 {
		t.Fatalf("--force: %q", errOut)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), hookMarker) || !strings.Contains(string(b), `--ref 'refs/notes/it'\''s' verify --`) {
		t.Fatalf("hook:\n%s", b)
	}
	if out, err := exec.Command("sh", "-n", path).CombinedOutput(); err != nil {
		t.Fatalf("sh -n: %v %s", err, out)
	}
	// Its own hook is replaced without --force.
	if _, errOut, code := vouch(t, "-C", dir, "hook", "install"); code != 0 {
		t.Fatalf("reinstall: %q", errOut)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm()&0o111 == 0 {
		t.Fatalf("hook not executable: %v %v", fi, err)
	}
}

func TestInitSaysWhenThePushWorks(t *testing.T) {
	dir := newRepo(t)
	git(t, dir, "remote", "add", "origin", t.TempDir())
	out, _, code := vouch(t, "-C", dir, "init")
	if code != 0 || !strings.Contains(out, "after the first decision") || !strings.Contains(out, "git push origin refs/notes/vouch") {
		t.Fatalf("init before any decision: exit %d\n%s", code, out)
	}
	git(t, dir, "notes", "--ref=vouch", "add", "-m", "x", "HEAD")
	out, _, _ = vouch(t, "-C", dir, "init")
	if strings.Contains(out, "after the first decision") || !strings.Contains(out, "run: git push origin refs/notes/vouch") {
		t.Fatalf("init once the ref exists:\n%s", out)
	}
}

func TestCompletionAndMan(t *testing.T) {
	dir := newRepo(t)
	for _, sh := range completionShells {
		out, errOut, code := vouch(t, "completion", sh)
		if code != 0 || !strings.Contains(out, "vouch") || len(out) < 1000 {
			t.Fatalf("completion %s: exit %d %q", sh, code, errOut)
		}
		if _, err := exec.LookPath(sh); err == nil {
			cmd := exec.Command(sh, "-n")
			if sh == "fish" {
				cmd = exec.Command(sh, "--no-execute")
			}
			cmd.Stdin = strings.NewReader(out)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s -n rejects the script: %v\n%s", sh, err, b)
			}
		} else if sh == "bash" {
			t.Error("bash is not installed")
		}
	}
	// The scripts ask vouch itself: flags, checklist ids and branches.
	out, _, _ := vouch(t, "__complete", "scan", "--")
	for _, want := range []string{"--json", "--fail-on", "--directory", "--no-color"} {
		if !strings.Contains(out, want) {
			t.Errorf("scan flags lack %s:\n%s", want, out)
		}
	}
	if out, _, _ := vouch(t, "-C", dir, "__complete", "checklist", "show", "dep"); !strings.Contains(out, "dependency\t") {
		t.Errorf("checklist ids:\n%s", out)
	}
	if out, _, _ := vouch(t, "-C", dir, "__complete", "decide", "fea"); !strings.Contains(out, "feature") {
		t.Errorf("revisions:\n%s", out)
	}
	if out, _, _ := vouch(t, "__complete", "scan", "--fail-on", ""); !strings.Contains(out, "critical") {
		t.Errorf("--fail-on values:\n%s", out)
	}

	page, _, code := vouch(t, "man")
	if code != 0 || !strings.Contains(page, `.TH "VOUCH" "1"`) || !strings.Contains(page, ".SH SYNOPSIS") || !strings.Contains(page, ".SH EXIT STATUS") {
		t.Fatalf("man: exit %d\n%.400s", code, page)
	}
	for _, c := range commands() {
		if !strings.Contains(page, strings.ReplaceAll(c.CommandPath(), "-", `\-`)) {
			t.Errorf("man page lacks %s", c.CommandPath())
		}
	}
	if _, err := exec.LookPath("man"); err == nil {
		f := filepath.Join(t.TempDir(), "vouch.1")
		os.WriteFile(f, []byte(page), 0o644)
		cmd := exec.Command("man", "-l", f)
		cmd.Env = append(os.Environ(), "MANPAGER=cat", "MANWIDTH=100")
		b, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(b), "vouch verify [RANGE]") || !strings.Contains(string(b), "--trust-ref REV") || strings.Contains(string(b), "warning") {
			t.Errorf("man -l: %v\n%s", err, b)
		}
	}
	mandir := t.TempDir()
	if _, errOut, code := vouch(t, "man", "--dir", mandir); code != 0 {
		t.Fatalf("man --dir: %q", errOut)
	}
	for _, name := range []string{"vouch.1", "vouch-scan.1", "vouch-checklist-show.1", "vouch-hook-install.1"} {
		if _, err := os.Stat(filepath.Join(mandir, name)); err != nil {
			t.Errorf("man --dir: %v", err)
		}
	}
}

func TestEmptyRangeSuggestsOneWithCommits(t *testing.T) {
	dir := newRepo(t)
	// HEAD's upstream is HEAD itself: @{upstream}..HEAD is empty.
	git(t, dir, "config", "branch.feature.remote", ".")
	git(t, dir, "config", "branch.feature.merge", "refs/heads/feature")
	s, err := review.Open(review.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.Queue(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Items) != 0 || q.Scanned != 0 {
		t.Fatalf("default range %v not empty", q.Range)
	}
	got := emptyRange(s, q, false, true)
	if !strings.Contains(got, safeJoin(q.Range)) || !strings.Contains(got, "(the default range)") || !strings.Contains(got, "try `vouch HEAD`") || !strings.Contains(got, "1 commits to review") {
		t.Errorf("default range: %q", got)
	}
	all := emptyRange(s, q, true, true)
	if strings.Contains(all, "--all reviews every commit") || !strings.Contains(all, "vouch --all HEAD") {
		t.Errorf("--all says: %q", all)
	}
}
