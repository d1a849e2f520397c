package surface

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
)

// One construct, one finding. A block of flags a command declares, a
// request built on one line and sent on the next, the import of a native
// library and its calls: a rule that matches line after line of one block
// reads as one finding spanning the block, so every hunk stays marked and
// the reviewer reads one line about it. The same action or package used
// again further down one file is the same dependency: one finding, which
// says how often.

// foldGap is how many lines may separate two matches of a rule for them to
// be one block.
const foldGap = 2

// testSecretFold is how many secrets in one test file read as one finding.
const testSecretFold = 3

// unfolded categories keep one finding per line: each secret is its own
// credential, a policy finding is the organisation's own rule, and a
// pipeline's steps run in different jobs.
var unfolded = map[string]bool{"secret": true, "policy": true, "pipeline": true}

// foldFindings folds adjacent findings of one rule and side into one, and
// repeated dependency findings of one component in one file into the first.
func foldFindings(fs []Finding) []Finding {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := fs[idx[a]], fs[idx[b]]
		if x.File != y.File {
			return x.File < y.File
		}
		if x.Side != y.Side {
			return x.Side < y.Side
		}
		if foldKey(x) != foldKey(y) {
			return foldKey(x) < foldKey(y)
		}
		return x.Line < y.Line
	})
	drop := map[int]bool{}
	// Adjacent lines of one rule.
	for a := 0; a < len(idx); {
		head := idx[a]
		f := fs[head]
		b := a + 1
		end := f.EndLine
		var names []string
		for b < len(idx) {
			g := fs[idx[b]]
			if g.File != f.File || g.Side != f.Side || foldKey(g) != foldKey(f) || g.Severity != f.Severity || g.Line > end+foldGap ||
				unfolded[f.Category] || f.Category == "dependency" {
				break
			}
			end = max(end, g.EndLine)
			if !strings.Contains(fs[head].Token, ".") && strings.Contains(g.Token, ".") {
				fs[head].Token = g.Token // the host the block reaches
			}
			names = append(names, flagName(g))
			drop[idx[b]] = true
			b++
		}
		if n := b - a - 1; n > 0 {
			fs[head].EndLine = end
			if strings.HasSuffix(f.Rule, "/cli-flag") && flagName(f) != "" {
				all := append([]string{flagName(f)}, names...)
				fs[head].Message = fmt.Sprintf("%d new command-line flags: %s", len(all), strings.Join(all, ", "))
			} else {
				fs[head].Message += fmt.Sprintf(" (and %d more line%s of it to line %d)", n, plural(n), end)
			}
		}
		a = b
	}
	// The same component again in one file.
	type dep struct{ file, side, rule, pkg string }
	firstOf := map[dep]int{}
	uses := map[int]int{}
	for _, i := range idx {
		f := fs[i]
		if f.Category != "dependency" || f.Package == "" || drop[i] {
			continue
		}
		k := dep{f.File, f.Side, f.Rule, f.Package}
		if j, ok := firstOf[k]; ok {
			drop[i] = true
			uses[j]++
			continue
		}
		firstOf[k] = i
	}
	for i, n := range uses {
		fs[i].Message += fmt.Sprintf(" (%d more use%s in this file)", n, plural(n))
	}
	// Packages of one npm scope added to one manifest together (@tiptap/pm,
	// @tiptap/react, …) are one component set: the first names the rest.
	type scopeKey struct{ file, side, rule, sev, scope string }
	firstOfScope := map[scopeKey]int{}
	more := map[int][]string{}
	for _, i := range idx {
		f := fs[i]
		scope, name := npmScope(f.Package)
		if drop[i] || scope == "" || f.Category != "dependency" || !strings.HasSuffix(f.Rule, "-added") {
			continue
		}
		k := scopeKey{f.File, f.Side, f.Rule, f.Severity, scope}
		if j, ok := firstOfScope[k]; ok {
			drop[i] = true
			more[j] = append(more[j], strings.TrimPrefix(name, scope))
			fs[j].Packages = append(fs[j].Packages, f.Package)
			fs[j].Packages = append(fs[j].Packages, f.Packages...)
			continue
		}
		firstOfScope[k] = i
	}
	for i, names := range more {
		scope, _ := npmScope(fs[i].Package)
		fs[i].Message += fmt.Sprintf(" (and %d more from %s: %s)", len(names), scope, strings.Join(names, ", "))
	}
	// A manifest that gains many packages at once (a new app's
	// package.json) reads as one finding listing them: past
	// maxManifestAdds they are a set a reviewer reads together.
	type addKey struct{ file, side, rule string }
	adds := map[addKey][]int{}
	var addOrder []addKey
	for _, i := range idx {
		f := fs[i]
		if drop[i] || f.Category != "dependency" || f.Package == "" || !strings.HasSuffix(f.Rule, "-added") || strings.Contains(f.Rule, "-lock-") {
			continue
		}
		k := addKey{f.File, f.Side, f.Rule}
		if _, ok := adds[k]; !ok {
			addOrder = append(addOrder, k)
		}
		adds[k] = append(adds[k], i)
	}
	for _, k := range addOrder {
		is := adds[k]
		if len(is) <= maxManifestAdds {
			continue
		}
		first, sev := is[0], "low"
		var names []string
		count := 0
		for _, i := range is {
			if SeverityRank(fs[i].Severity) > SeverityRank(sev) {
				sev = fs[i].Severity
			}
			if fs[i].Line < fs[first].Line {
				first = i
			}
			_, name, _ := strings.Cut(packageName(fs[i].Package), "/")
			count++
			if n := more[i]; len(n) > 0 {
				count += len(n)
				name += " (+" + fmt.Sprint(len(n)) + " of its scope)"
			}
			names = append(names, name)
		}
		for _, i := range is {
			if i != first {
				drop[i] = true
				fs[first].Packages = append(fs[first].Packages, fs[i].Package)
				fs[first].Packages = append(fs[first].Packages, fs[i].Packages...)
			}
		}
		shown := names
		if len(shown) > 8 {
			shown = append(shown[:8:8], "…")
		}
		fs[first].Severity = sev
		fs[first].Message = fmt.Sprintf("adds %d packages to %s: %s", count, path.Base(k.file), strings.Join(shown, ", "))
	}
	// One outbound client imported by several files of a commit is one
	// integration: the first file's finding stands, the others are notes.
	firstClient := map[string]string{}
	for _, i := range idx {
		f := fs[i]
		if drop[i] || f.Rule != "js/http-client-import" || f.Side != SideNew || f.Token == "" {
			continue
		}
		if at, ok := firstClient[f.Token]; ok && at != f.File {
			fs[i].Severity = "low"
			fs[i].Message += " (the same client as in " + at + ")"
			continue
		}
		firstClient[f.Token] = f.File
	}
	// The same finding again further down one file (a path check added to
	// each of a class's file operations) is one finding that says where
	// else.
	type same struct{ file, side, rule, msg string }
	firstSame := map[same]int{}
	again := map[int][]int{}
	for _, i := range idx {
		f := fs[i]
		if drop[i] || unfolded[f.Category] || f.Category == "dependency" || perFileRules[perFileRule(f)] != "" {
			continue
		}
		k := same{f.File, f.Side, f.Rule, f.Message}
		if j, ok := firstSame[k]; ok {
			drop[i] = true
			again[j] = append(again[j], f.Line)
			continue
		}
		firstSame[k] = i
	}
	// A new HTTP client and the request it sends, with no host named, are
	// one integration in a file: the first says where the rest are.
	plainEgress := map[[2]string]int{}
	for _, i := range idx {
		f := fs[i]
		if drop[i] || !foldsAsOneClient[f.Rule] || strings.Contains(f.Message, " to ") {
			continue
		}
		k := [2]string{f.File, f.Side}
		if j, ok := plainEgress[k]; ok {
			drop[i] = true
			again[j] = append(again[j], f.Line)
			continue
		}
		plainEgress[k] = i
	}
	for i, lines := range again {
		var at []string
		for _, l := range lines {
			at = append(at, fmt.Sprint(l))
		}
		fs[i].Message += fmt.Sprintf(" (and at line%s %s)", plural(len(at)), strings.Join(at, ", "))
	}
	// Some constructs are listed, not marked one by one: a composite
	// action's new inputs, the jobs of one workflow that get a secret.
	perFile := map[[2]string][]int{}
	for _, i := range idx {
		if f := fs[i]; perFileRules[perFileRule(f)] != "" && !drop[i] {
			k := [2]string{f.File + "\x00" + f.Side, perFileRule(f)}
			perFile[k] = append(perFile[k], i)
		}
	}
	for k, is := range perFile {
		if len(is) < 2 {
			continue
		}
		first := is[0]
		for _, i := range is {
			if fs[i].Line < fs[first].Line {
				first = i
			}
		}
		// One job's several scopes or secrets are one name: "publish
		// (packages, id-token)".
		var heads []string
		details := map[string][]string{}
		for _, i := range is {
			n := strings.Trim(subjectOf(fs[i]), " ")
			head, detail := n, ""
			if j := strings.Index(n, " ("); j > 0 && strings.HasSuffix(n, ")") {
				head, detail = n[:j], n[j+2:len(n)-1]
			}
			if _, ok := details[head]; !ok {
				heads = append(heads, head)
				details[head] = nil
			}
			if detail != "" && !slices.Contains(details[head], detail) {
				details[head] = append(details[head], detail)
			}
			if i != first {
				drop[i] = true
			}
		}
		names := make([]string, len(heads))
		for j, h := range heads {
			names[j] = h
			if len(details[h]) > 0 {
				names[j] += " (" + strings.Join(details[h], ", ") + ")"
			}
		}
		if one, ok := perFileOne[k[1]]; ok && len(heads) == 1 {
			fs[first].Message = fmt.Sprintf(one, heads[0], strings.Join(details[heads[0]], ", "))
			continue
		}
		fs[first].Message = fmt.Sprintf(perFileRules[k[1]], len(heads), strings.Join(names, ", "))
	}
	// A test file full of token-shaped strings (a sanitizer's or a
	// scanner's fixtures) is one finding: the first, which says how many.
	secrets := map[string][]int{}
	for _, i := range idx {
		if f := fs[i]; f.Category == "secret" && f.Side == SideNew && IsTestFileName(f.File) {
			secrets[f.File] = append(secrets[f.File], i)
		}
	}
	for _, is := range secrets {
		if len(is) < testSecretFold {
			continue
		}
		first := is[0]
		for _, i := range is[1:] {
			if fs[i].Line < fs[first].Line {
				first = i
			}
		}
		for _, i := range is {
			if i != first {
				drop[i] = true
			}
		}
		fs[first].Message += fmt.Sprintf(" (and %d more credential-shaped strings in this test file)", len(is)-1)
	}
	if len(drop) == 0 {
		return fs
	}
	out := fs[:0]
	for i, f := range fs {
		if !drop[i] {
			out = append(out, f)
		}
	}
	return out
}

// npmScope is the scope of an npm package's purl and its name without the
// version: "@tiptap/", "@tiptap/pm"; "" for an unscoped package.
func npmScope(purl string) (scope, name string) {
	name, ok := strings.CutPrefix(purl, "pkg:npm/")
	if !ok || !strings.HasPrefix(name, "@") {
		return "", ""
	}
	if i := strings.LastIndexByte(name, '@'); i > 0 {
		name = name[:i]
	}
	i := strings.IndexByte(name, '/')
	if i < 0 {
		return "", ""
	}
	return name[:i+1], name
}

// maxManifestAdds is how many packages one manifest may gain in a commit
// and still be listed one by one.
const maxManifestAdds = 5

// foldsAsOneClient are the egress rules that, without a host, say only that
// the file talks HTTP.
var foldsAsOneClient = map[string]bool{"go/http-client": true, "go/http-call": true}

// perFileRules are folded per file; the format takes the count and the
// names.
var perFileRules = map[string]string{
	"entry-point/action-input":      "%d new action inputs: %s (callers' values reach its steps)",
	"pipeline/gha-secret-use":       "%d jobs get new secrets: %s",
	"pipeline/gha-environment":      "%d jobs run in a deployment environment (they get its secrets): %s",
	"pipeline/curl-pipe-shell":      "%d steps run a script downloaded from the network (curl | sh), in %s",
	"pipeline/gha-trust-condition":  "%d jobs run under a condition on who triggered them or on their secrets: %s",
	"py/cli-command":                "%d new commands: %s",
	"js/cli-command":                "%d new commands: %s",
	"pipeline/gha-write-permission": "%d jobs give GITHUB_TOKEN write access: %s",
	"go/auth-func new":              "%d new auth functions: %s",
	"go/auth-func changes":          "changes auth logic in %d functions: %s",
}

// perFileOne is how a per-file fold reads when its findings are all about
// one job: the job and its scopes or secrets.
var perFileOne = map[string]string{
	"pipeline/gha-write-permission": "job %s gives GITHUB_TOKEN write access: %s",
	"pipeline/gha-secret-use":       "job %s gets secrets %s",
}

// perFileRule is the key a finding folds under in perFileRules: its rule,
// or for an auth function whether it is new or changed.
func perFileRule(f Finding) string {
	if f.Rule == "go/auth-func" {
		switch {
		case strings.HasPrefix(f.Message, "new auth function "):
			return "go/auth-func new"
		case strings.HasPrefix(f.Message, "changes auth logic in "):
			return "go/auth-func changes"
		}
	}
	return f.Rule
}

// subjectOf is what a per-file finding is about: the input's name, the
// job and its secrets.
func subjectOf(f Finding) string {
	m := f.Message
	switch f.Rule {
	case "entry-point/action-input":
		m = strings.TrimPrefix(m, "new action input ")
		m, _, _ = strings.Cut(m, ":")
	case "pipeline/gha-secret-use":
		m = strings.TrimPrefix(m, "job ")
		m = strings.Replace(m, " gets secrets ", " (", 1)
		m = strings.Replace(m, " gets secret ", " (", 1) + ")"
	case "py/cli-command", "js/cli-command":
		m = strings.TrimPrefix(m, "new command ")
	case "pipeline/gha-write-permission":
		m = strings.TrimPrefix(m, "job ")
		m = strings.Replace(strings.TrimSuffix(m, ": write"), " gives GITHUB_TOKEN ", " (", 1) + ")"
	case "go/auth-func":
		m = strings.TrimPrefix(strings.TrimPrefix(m, "new auth function "), "changes auth logic in ")
	case "pipeline/curl-pipe-shell", "pipeline/gha-trust-condition":
		m = strings.TrimPrefix(m, "job ")
		m, _, _ = strings.Cut(m, " runs ")
	case "pipeline/gha-environment":
		m = strings.TrimPrefix(m, "job ")
		m, _, _ = strings.Cut(m, ":")
		m = strings.Replace(m, " runs in environment ", " (", 1) + ")"
	}
	return m
}

// foldKey is what adjacent findings must share to fold: the rule, or for
// egress the category (a client made on one line and called on the next,
// seen by two rules, is one integration).
func foldKey(f Finding) string {
	if f.Category == "egress" {
		return "egress"
	}
	return f.Rule
}

// flagName is the flag a cli-flag finding names: the last word of its
// message ("new command-line flag --wait").
func flagName(f Finding) string {
	if !strings.HasSuffix(f.Rule, "/cli-flag") {
		return ""
	}
	w := strings.Fields(f.Message)
	if len(w) == 0 || !strings.HasPrefix(w[len(w)-1], "-") {
		return ""
	}
	return w[len(w)-1]
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
