package repo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// routePattern is the generic route token's pattern (review/firstkind.go),
// the one pattern first-of-kind asks about.
const routePattern = `HandleFunc\(|\.Handle\(|\.(Get|Post|Put|Patch|Delete|GET|POST|PUT|PATCH|DELETE|Any|Route|Group|Mount)\(\s*["'` + "`" + `]/|@(app|bp|router|blueprint)\.(route|get|post|put|patch|delete)\(|@(Get|Post|Put|Patch|Delete|Request)Mapping|@Path\(|\[Http(Get|Post|Put|Patch|Delete)|Map(Get|Post|Put|Delete)\(|Route::(get|post|put|patch|delete)|\b(path|re_path)\(\s*['"]|app\.(get|post|put|patch|delete|use)\(\s*['"]/`

// holdsQuestions are literals and patterns with an answer that differs
// along holdsRepo's history or between its files.
var holdsQuestions = struct{ literals, patterns []string }{
	literals: []string{"exec.Command", "exec.CommandContext", "http.Get", "secret-in-binary",
		"only-in-link", "only-in-submodule", "api.example.com", "never anywhere", "a\tb", "ünï",
		"only-in-generated", "only-in-text-dat", "only-in-lock"},
	patterns: []string{routePattern, `^package (a|b)$`, `Listen\(":[0-9]+"\)`, `x[^y]*z`, `[[:digit:]][[:digit:]]3`,
		`\bTODO\b`, `[]a]b`},
}

// holdsRepo is a history in which the answers change: a token appears,
// moves, hides in a binary file, a symbolic link and a submodule entry, and
// a pattern that runs over a line break must not match.
func holdsRepo(t *testing.T) string {
	t.Helper()
	dir, write, commit := scratchRepo(t)
	write("a.go", "package a\n\nfunc A() {}\n")
	commit("root")
	write("deep/er/still/b.go", "package b\n\nimport \"os/exec\"\n\nfunc B() { exec.CommandContext(nil, \"ls\") }\n")
	write("web/routes.py", "urlpatterns = [path(\n'items', view)]\n") // \s* over a line break: no match
	write("bin.dat", "\x00head\x00secret-in-binary http.Get\n")
	// git grep -I goes by the diff attribute before the content: -diff is
	// binary, diff is text (NUL or not), a driver by diff.NAME.binary.
	write(".gitattributes", "gen/** -diff\ntext.dat diff\n*.lock diff=lockfile\n")
	gitT(t, dir, "config", "diff.lockfile.binary", "true")
	write("gen/skip.go", "package gen\n\nfunc G() { exec.CommandContext(nil, \"x\") } // only-in-generated\n")
	write("text.dat", "\x00nul but text\x00 only-in-text-dat\n")
	write("deps.lock", "only-in-lock\n")
	commit("nested, binary, a route over two lines, attributes")
	if err := os.Symlink("only-in-link exec.Command", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	write("late.txt", strings.Repeat("padding line\n", 2000)+"tail x\nz head\n") // x[^y]*z over a line break: no match
	gitT(t, dir, "add", "-A")
	gitT(t, dir, "update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("ab", 20)+",only-in-submodule")
	gitT(t, dir, "commit", "-q", "-m", "a link and a submodule")
	write("deep/er/still/b.go", "package b\n\nimport \"os/exec\"\n\nfunc B() { exec.Command(\"ls\") }\n")
	write("web/routes.py", "urlpatterns = [path('items', view)]\n")
	write("srv/main.go", "package main\n\nfunc main() { http.HandleFunc(\"/\", nil); http.Listen(\":8080\") } // TODO 123\n")
	write("ünï.txt", "ünï a\tb api.example.com\n")
	commit("the tokens appear")
	gitT(t, dir, "rm", "-q", "-r", "deep", "srv")
	commit("and go")
	write("again/c.go", "package c\n\nfunc C() { http.Get(\"https://api.example.com\") }\n")
	commit("some come back")
	return dir
}

// TestTreeHoldsMatchesGitGrep compares the tree index with git grep on
// every commit of a history, twice over so the second pass is answered
// from what the first remembered.
func TestTreeHoldsMatchesGitGrep(t *testing.T) {
	dir := holdsRepo(t)
	compareTreeHolds(t, dir, []string{"HEAD"}, holdsQuestions.literals, holdsQuestions.patterns)
}

// TestTreeHoldsRealHistory is the same on a real history:
// VOUCH_REAL_REPO=/path/to/clone go test ./review/repo -run TreeHoldsRealHistory.
func TestTreeHoldsRealHistory(t *testing.T) {
	dir := os.Getenv("VOUCH_REAL_REPO")
	if dir == "" {
		t.Skip("set VOUCH_REAL_REPO to a clone to compare with git grep on its history")
	}
	compareTreeHolds(t, dir, []string{"-n", "1200", "HEAD"},
		[]string{"exec.Command", "http.Get", "os.ReadFile", "sql.Open", "api.openai.com", "unsafe.Pointer", "charm.land/bubbletea/v2", "mcp.NewClient"},
		[]string{routePattern, `func \(a \*App\) [A-Z]`})
}

func compareTreeHolds(t *testing.T, dir string, rangeArgs, literals, patterns []string) {
	t.Helper()
	r := openT(t, dir)
	commits, err := r.Log(rangeArgs)
	if err != nil {
		t.Fatal(err)
	}
	if len(commits) > 100 {
		// git grep costs a process per question: every twelfth commit.
		var some []Commit
		for i := 0; i < len(commits); i += 12 {
			some = append(some, commits[i])
		}
		commits = some
	}
	rd := r.NewReader(context.Background())
	defer rd.Close()
	seen := map[string]map[bool]bool{}
	for pass := 0; pass < 2; pass++ {
		for _, c := range commits {
			want, err := r.TreeHolds(c.SHA, literals, patterns)
			if err != nil {
				t.Fatal(err)
			}
			got, err := rd.TreeHolds(c.SHA, literals, patterns)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("pass %d, %s %q: index says %v, git grep %v", pass, c.Short(), c.Subject(), got, want)
			}
			for k, v := range want {
				if seen[k] == nil {
					seen[k] = map[bool]bool{}
				}
				seen[k][v] = true
			}
		}
	}
	changed := 0
	for _, answers := range seen {
		if len(answers) == 2 {
			changed++
		}
	}
	if len(commits) > 1 && changed == 0 {
		t.Fatal("every question had the same answer on every commit: the test compares nothing")
	}
	t.Logf("%d commits, %d of %d questions changed answer along the history", len(commits), changed, len(seen))
}

// TestTreeHoldsLeavesToGit: a pattern Go reads otherwise than POSIX, and a
// blob over the size searched in process, still get git grep's answer.
func TestTreeHoldsLeavesToGit(t *testing.T) {
	for _, p := range []string{`[\]]`, `a|`, `(a)\1`, `x{1,2}`, `(?i)a`, `[[.a.]]`} {
		if posixSafe(p) {
			t.Errorf("posixSafe(%q): Go and POSIX read it differently", p)
		}
	}
	for _, p := range []string{routePattern, `^package (a|b)$`, `[]a]`, `[^]a]`, `[[:digit:]]+`, `\bTODO\b`} {
		if !posixSafe(p) {
			t.Errorf("posixSafe(%q) is false: it means the same to both", p)
		}
	}
	compareTreeHolds(t, holdsRepo(t), []string{"HEAD"}, []string{"exec.Command"}, []string{`[\]]`, `a|`, `(a)\1`, `[[:digit:]]{3}`})
	dir := t.TempDir()
	gitT(t, dir, "init", "-q", "-b", "main")
	big := strings.Repeat("filler line of a large generated file\n", (maxSearchedBlob/38)+1) + "exec.Command\n"
	if err := os.WriteFile(filepath.Join(dir, "big.txt"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	gitT(t, dir, "add", "-A")
	gitT(t, dir, "commit", "-q", "-m", "big")
	r := openT(t, dir)
	rd := r.NewReader(context.Background())
	defer rd.Close()
	got, err := rd.TreeHolds("HEAD", []string{"exec.Command", "absent"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !got["exec.Command"] || got["absent"] {
		t.Errorf("a file above the searched size: %v, want exec.Command held and absent not", got)
	}
	if _, err := rd.TreeHolds("--output=x", []string{"a"}, nil); err == nil {
		t.Error("an option passed as a commit is not refused")
	}
}

// FuzzParseSearchTree: a tree object as the cat-file stream hands it never
// panics the parser, whatever its bytes.
func FuzzParseSearchTree(f *testing.F) {
	f.Add([]byte("100644 a.go\x00" + strings.Repeat("\x01", 20) + "40000 dir\x00" + strings.Repeat("\x02", 20)))
	f.Add([]byte("120000 link\x00" + strings.Repeat("\x03", 19)))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := parseSearchTree(data, 20)
		if err == nil {
			for _, e := range entries {
				if len(e.id) != 40 {
					t.Fatalf("entry id %q is not 40 hex digits", e.id)
				}
			}
		}
	})
}

// TestPathsUnderMatchesPathsInRange: the changes under .vouch/ from one
// pathspec-limited diff-tree are PathsInRange's, on a history that adds
// .vouch/ in its root commit, renames into and out of it, has a look-alike
// name beside it, awkward names inside it, and a merge.
func TestPathsUnderMatchesPathsInRange(t *testing.T) {
	dir, write, commit := scratchRepo(t)
	write(".vouch/config.toml", "[verify]\n")
	write("main.go", "package main\n")
	commit("root with .vouch/")
	write(".vouch-other/x", "not trust\n")
	write("keys.txt", "moved in later\n")
	commit("look-alike")
	gitT(t, dir, "mv", "keys.txt", ".vouch/keys.txt")
	commit("rename in")
	write(".vouch/sp ace\tand ünï", "x\n")
	commit("awkward")
	gitT(t, dir, "checkout", "-q", "-b", "side")
	write(".vouch/allowed_signers", "a@example.com ssh-ed25519 AAAA\n")
	commit("side changes trust")
	gitT(t, dir, "checkout", "-q", "main")
	write("main.go", "package main\n\nfunc main() {}\n")
	commit("main")
	gitT(t, dir, "merge", "-q", "--no-edit", "side")
	gitT(t, dir, "mv", ".vouch/keys.txt", "keys.txt")
	commit("rename out")
	commit("empty")

	r := openT(t, dir)
	commits, err := r.Log([]string{"HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	all, err := r.PathsInRange([]string{"HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.PathsUnder(commits, ".vouch/")
	if err != nil {
		t.Fatal(err)
	}
	touching := 0
	for _, c := range commits {
		var want []string
		for _, p := range all[c.SHA] {
			if strings.HasPrefix(p, ".vouch/") {
				want = append(want, p)
			}
		}
		if fmt.Sprint(got[c.SHA]) != fmt.Sprint(want) {
			t.Errorf("%s %q: %q under .vouch/, PathsInRange says %q", c.Short(), c.Subject(), got[c.SHA], want)
		}
		if len(want) > 0 {
			touching++
		}
	}
	if touching < 4 {
		t.Fatalf("only %d commits touch .vouch/: the history does not test what it should", touching)
	}
	if _, err := r.PathsUnder(commits, "--output=x"); err == nil {
		t.Error("an option passed as a directory is not refused")
	}
}

// TestRequiredLiterals: the strings a pattern's every match holds, by
// which the index picks the lines worth matching.
func TestRequiredLiterals(t *testing.T) {
	var ix treeIndex
	for p, want := range map[string]string{
		`exec\.Command\(`:         "[exec.Command(]",
		`(Get|Post)\(\s*"/`:       "[Get Post]",
		`a+bc|xx?yz`:              "[bc yz]",
		`foo|b*`:                  "[]",
		`(?i)select`:              "[]",
		`^package (a|b)$`:         "[package ]",
		`\bTODO\b`:                "[TODO]",
		`Listen\(":[0-9]+"\)`:     `[Listen(":]`,
		`[[:digit:]][[:digit:]]3`: "[3]",
	} {
		c := ix.compile(p)
		got := []string{}
		for _, n := range c.need {
			got = append(got, string(n))
		}
		sort.Strings(got)
		if fmt.Sprint(got) != want {
			t.Errorf("%s: %v, want %s", p, got, want)
		}
	}
	if c := ix.compile(routePattern); len(c.need) == 0 {
		t.Error("the route pattern sifts no lines")
	}
}
