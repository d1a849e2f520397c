package review

import (
	"strings"
	"time"

	"github.com/vouch-review/vouch/review/repo"
	"github.com/vouch-review/vouch/review/surface"
)

// firstOfKindCategories are where "the first one in this repository" tells
// the reviewer the surface grew; a new package is new by definition.
var firstOfKindCategories = map[string]bool{
	"entry-point": true, "egress": true, "exec": true, "native": true, "file": true,
	"data": true, "deserialization": true, "web-config": true, "infra": true, "pipeline": true,
}

// genericTokens stand for a kind of construct rather than a literal; the
// repository is searched for any of its usual spellings.
var genericTokens = map[string]string{
	"route": `HandleFunc\(|\.Handle\(|\.(Get|Post|Put|Patch|Delete|GET|POST|PUT|PATCH|DELETE|Any|Route|Group|Mount)\(\s*["'` + "`" + `]/|@(app|bp|router|blueprint)\.(route|get|post|put|patch|delete)\(|@(Get|Post|Put|Patch|Delete|Request)Mapping|@Path\(|\[Http(Get|Post|Put|Patch|Delete)|Map(Get|Post|Put|Delete)\(|Route::(get|post|put|patch|delete)|\b(path|re_path)\(\s*['"]|app\.(get|post|put|patch|delete|use)\(\s*['"]/`,
}

// treeHolder answers whether a commit's tree holds literals and patterns:
// repo.Reader from its tree index, repo.Repo with `git grep`, the same way.
type treeHolder interface {
	TreeHolds(commit string, literals, patterns []string) (map[string]bool, error)
}

// markFirstOfKind marks the findings whose token the parent tree never held.
// What the parent holds is asked once per commit for every token together,
// so the flag does not depend on the machine's speed: budget is no longer
// used and stays only so that callers keep compiling. A root commit has no
// parent: everything in it is the first of its kind. When git fails,
// nothing is marked.
func markFirstOfKind(r treeHolder, c repo.Commit, findings []surface.Finding, budget time.Duration) {
	_ = budget
	want := map[string]string{} // token -> what to search for
	var literals, patterns []string
	known := map[int][]string{} // finding -> literals that say the repository has its package
	for i, f := range findings {
		if ls := knownDependency(f); len(ls) > 0 {
			known[i] = ls
			literals = append(literals, ls...)
		}
	}
	for _, f := range findings {
		if !eligibleFirst(f) {
			continue
		}
		if _, ok := want[f.Token]; ok {
			continue
		}
		q, isRE := grepPattern(f.Token)
		want[f.Token] = q
		if isRE {
			patterns = append(patterns, q)
		} else {
			literals = append(literals, q)
		}
	}
	if len(want) == 0 && len(known) == 0 {
		return
	}
	var held map[string]bool
	if len(c.Parents) > 0 {
		var err error
		if held, err = r.TreeHolds(c.Parents[0], literals, patterns); err != nil {
			return
		}
	}
	for i, ls := range known {
		for _, l := range ls {
			if held[l] {
				findings[i].Severity = "low"
				findings[i].Message += " (already in this repository: another manifest or a lockfile has it)"
				break
			}
		}
	}
	for i := range findings {
		if q, ok := want[findings[i].Token]; ok && eligibleFirst(findings[i]) && !held[q] {
			findings[i].FirstOfKind = true
		}
	}
}

func eligibleFirst(f surface.Finding) bool {
	return f.Token != "" && firstOfKindCategories[f.Category] && f.Side != surface.SideOld
}

// grepPattern turns a token into what to look for in source: a generic
// pattern (an extended regular expression), or the call as written, a
// literal ("os/exec.Command" is spelled "exec.Command" at the call site).
func grepPattern(tok string) (string, bool) {
	if p, ok := genericTokens[tok]; ok {
		return p, true
	}
	if i := strings.LastIndexByte(tok, '/'); i >= 0 && strings.Contains(tok[i:], ".") && !strings.Contains(tok, "://") {
		tok = tok[i+1:]
	}
	return tok, false
}

// knownDependency is what the parent tree holds when the component a
// dependency finding adds is already the repository's: the same action
// used by another workflow, a package another manifest or a lockfile
// already has (a crate in Cargo.lock, a transitive npm package made
// direct). No new third-party code arrives; the finding stays, low. Only
// medium additions are asked about: a downgrade or a new source is not
// made routine by the package being there already.
func knownDependency(f surface.Finding) []string {
	if f.Category != "dependency" || f.Severity != "medium" || f.Side != surface.SideNew || !strings.HasSuffix(f.Rule, "-added") {
		return nil
	}
	typ, name, ok := strings.Cut(strings.TrimPrefix(f.Package, "pkg:"), "/")
	if !ok || name == "" {
		return nil
	}
	if i := strings.LastIndexByte(name, '@'); i > 0 {
		name = name[:i]
	}
	switch typ {
	case "githubactions":
		return []string{name + "@"}
	case "npm":
		return []string{`"` + name + `":`}
	case "cargo":
		return []string{`name = "` + name + `"`}
	case "golang":
		return []string{name + " v"}
	}
	return nil
}
