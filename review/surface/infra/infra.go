// Package infra finds infrastructure and CI/CD changes that widen the attack
// surface: open ingress, public storage, wildcard IAM, privileged or
// host-network containers, exposed ports (category infra), and pipeline trust
// changes such as pull_request_target, broad token permissions, untrusted
// input in run: steps and curl | sh (category pipeline).
//
// Every format is parsed on both sides of the commit, each with a real
// parser: Terraform through hashicorp/hcl (hclconfig), shell (Dockerfile RUN,
// workflow run:, GitLab scripts, *.sh) through mvdan.cc/sh, Dockerfiles
// through the one dockerfile package, YAML through yaml.v3. A finding is
// reported only when the commit adds or changes the lines it rests on and the
// same construct was not already there before (a moved, re-indented or
// re-wrapped block or command is not new). Removed protections are reported
// on the old side.
package infra

import (
	"path"
	"strconv"
	"strings"

	"github.com/vouch-review/vouch/review/surface"
)

// Category ids of SPEC.md that this package reports.
const (
	catInfra    = "infra"
	catPipeline = "pipeline"
)

// maxEvidence bounds the evidence so one minified line cannot flood the UI.
const maxEvidence = 240

// New returns the infra and pipeline detector.
func New() surface.Detector { return detector{} }

type detector struct{}

func (detector) Name() string { return "infra" }

// fileKind is the format a path is parsed as.
type fileKind int

const (
	kindNone fileKind = iota
	kindTerraform
	kindDockerfile
	kindWorkflow
	kindGitLab
	kindCompose
	kindHelmValues
	kindYAML   // Kubernetes manifests and Helm templates, recognised by content
	kindShell  // shell scripts
	kindAction // a composite GitHub action (action.yml)
)

func classify(p string) fileKind {
	lp := strings.ToLower(p)
	base := path.Base(lp)
	ext := path.Ext(base)
	switch {
	case ext == ".tf":
		return kindTerraform
	case base == "dockerfile" || base == "containerfile" || strings.HasPrefix(base, "dockerfile.") ||
		strings.HasPrefix(base, "containerfile.") || ext == ".dockerfile" || ext == ".containerfile":
		return kindDockerfile
	case ext == ".sh" || ext == ".bash":
		return kindShell
	}
	if ext != ".yml" && ext != ".yaml" {
		return kindNone
	}
	switch {
	case strings.HasPrefix(lp, ".github/workflows/") || strings.Contains(lp, "/.github/workflows/"):
		return kindWorkflow
	case base == "action.yml" || base == "action.yaml":
		return kindAction
	case base == ".gitlab-ci.yml" || strings.HasSuffix(base, ".gitlab-ci.yml") || strings.HasSuffix(base, ".gitlab-ci.yaml"):
		return kindGitLab
	case strings.HasPrefix(base, "docker-compose") || strings.HasPrefix(base, "compose."), strings.HasPrefix(base, "compose-"):
		return kindCompose
	case base == "values.yaml" || base == "values.yml" || strings.HasPrefix(base, "values-") || strings.HasPrefix(base, "values."):
		return kindHelmValues
	}
	return kindYAML
}

// Applies reports whether p is a format this detector reads.
func (detector) Applies(p string) bool { return classify(p) != kindNone }

// Detect compares the parsed before and after files of one change.
func (detector) Detect(c *surface.Change) (out []surface.Finding) {
	// A detector must never take the scan down; a bug on one odd file costs
	// that file's findings, nothing more.
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	if c == nil || c.File == nil {
		return nil
	}
	analyse := analyser(classify(c.Path()), c.Path())
	if analyse == nil {
		return nil
	}
	var before, after *result
	if c.Before != nil {
		before = analyse(c.Before)
	}
	if c.After != nil {
		after = analyse(c.After)
	}
	return compare(c, before, after)
}

// analyser picks the parser for a kind; each returns nil when the file does
// not parse, so a malformed file yields no findings.
func analyser(k fileKind, p string) func([]byte) *result {
	switch k {
	case kindTerraform:
		return analyseTerraform
	case kindDockerfile:
		return analyseDockerfile
	case kindWorkflow:
		return analyseWorkflow
	case kindAction:
		return analyseAction
	case kindGitLab:
		return analyseGitLab
	case kindCompose:
		return analyseCompose
	case kindHelmValues:
		return analyseValues
	case kindShell:
		return analyseScript
	case kindYAML:
		return func(src []byte) *result { return analyseKubernetes(src, isHelmTemplate(p)) }
	}
	return nil
}

// candidate is one risky construct found in a file, before deciding whether
// the commit introduced it.
type candidate struct {
	category, rule, severity string
	token, message           string
	// key identifies the construct independently of its line, so the same
	// construct on both sides (moved, re-indented) is not reported.
	key string
	// line is where the finding points; span lists the other lines whose
	// change makes the construct new (a port changed under an open CIDR).
	line int
	span []int
	// lowIfNew names a cover key (a job) with which the construct arrives:
	// when the old side lacks it, the construct is part of something new
	// that has findings of its own, and is low.
	lowIfNew string
	// knownOnce: the construct is its key, however often the file holds
	// it: an action the file already used unpinned, in another job or
	// under a renamed one, is not new.
	knownOnce bool
}

// guard is a protection present in a file. When the commit removes it and
// nothing on the new side stands in for it, it is reported on the old side.
type guard struct {
	candidate
	// alts are cover keys any of which, present after, keep the protection.
	alts []string
	// requires names a cover key that must exist after for the removal to
	// matter (the object the protection belonged to still exists).
	requires string
}

// result is one side's analysis.
type result struct {
	lines  []string
	risks  []candidate
	guards []guard
	covers map[string]bool
}

func newResult(src []byte) *result {
	return &result{lines: strings.Split(string(src), "\n"), covers: map[string]bool{}}
}

func (r *result) add(c candidate) { r.risks = append(r.risks, c) }

// holds reports a risk with this key on this side.
func (r *result) holds(key string) bool {
	for _, c := range r.risks {
		if c.key == key {
			return true
		}
	}
	return false
}

func (r *result) text(line int) string {
	if line < 1 || line > len(r.lines) {
		return ""
	}
	s := strings.TrimSpace(strings.TrimSuffix(r.lines[line-1], "\r"))
	if len(s) > maxEvidence {
		s = s[:maxEvidence] + "…"
	}
	return s
}

// compare turns the two sides' analyses into findings on changed lines.
func compare(c *surface.Change, before, after *result) []surface.Finding {
	added, removed := map[int]bool{}, map[int]bool{}
	for _, l := range c.Added() {
		added[l.No] = true
	}
	for _, l := range c.Removed() {
		removed[l.No] = true
	}
	var out []surface.Finding
	if after != nil {
		had := map[string]int{}
		if before != nil {
			for _, r := range before.risks {
				had[r.key]++
			}
		}
		// Unchanged constructs claim their old twin first, so that a changed
		// copy of something that was there once is still reported.
		changed := make([]int, len(after.risks))
		for i, r := range after.risks {
			changed[i] = touched(r, added)
			if changed[i] == 0 && had[r.key] > 0 {
				had[r.key]--
			}
		}
		seen := map[string]bool{}
		for i, r := range after.risks {
			if changed[i] == 0 {
				continue
			}
			if had[r.key] > 0 {
				had[r.key]--
				continue
			}
			if r.knownOnce && before != nil && before.holds(r.key) {
				continue
			}
			f := finding(c, after, r, changed[i], surface.SideNew)
			if r.lowIfNew != "" && (before == nil || !before.covers[r.lowIfNew]) {
				f.Severity = "low"
			}
			if k := f.Rule + "\x00" + f.Message + "\x00" + strconv.Itoa(f.Line); !seen[k] {
				seen[k] = true
				out = append(out, f)
			}
		}
	}
	if before != nil {
		covers := map[string]bool{}
		if after != nil {
			covers = after.covers
		}
		// Untrusted text no longer spliced into a script is a fix, a low
		// note on the old side: the reviewer checks where it went (env:).
		has := map[string]bool{}
		if after != nil {
			for _, r := range after.risks {
				has[r.key] = true
			}
		}
		for _, r := range before.risks {
			if !injectionFixed[r.rule] || has[r.key] || c.After == nil {
				continue
			}
			if at := touched(r, removed); at != 0 {
				f := finding(c, before, r, at, surface.SideOld)
				f.Rule, f.Severity = r.rule+"-removed", "low"
				f.Message = "no longer interpolates " + r.token + " into a run: script (check it now arrives through env:)"
				out = append(out, f)
			}
		}
		for _, g := range before.guards {
			at := touched(g.candidate, removed)
			if at == 0 || (g.requires != "" && !covers[g.requires]) {
				continue
			}
			kept := covers[g.key]
			for _, a := range g.alts {
				kept = kept || covers[a]
			}
			if !kept {
				out = append(out, finding(c, before, g.candidate, at, surface.SideOld))
			}
		}
	}
	return out
}

// injectionFixed are the rules whose construct, taken out, is a fix worth
// a note.
var injectionFixed = map[string]bool{"pipeline/gha-script-injection": true, "pipeline/gha-input-injection": true}

// touched returns the first of the construct's lines that the diff changed,
// its own line first, or 0.
func touched(r candidate, lines map[int]bool) int {
	if lines[r.line] {
		return r.line
	}
	for _, l := range r.span {
		if lines[l] {
			return l
		}
	}
	return 0
}

func finding(c *surface.Change, side *result, r candidate, line int, s string) surface.Finding {
	return surface.Finding{
		Category: r.category,
		Rule:     r.rule,
		Severity: r.severity,
		File:     c.Path(),
		Line:     line,
		EndLine:  line,
		Side:     s,
		Evidence: side.text(line),
		Message:  r.message,
		Token:    r.token,
	}
}

// lineRange lists the lines from a to b inclusive, for spans.
func lineRange(a, b int) []int {
	if b < a || b-a > 2000 {
		return []int{a}
	}
	out := make([]int, 0, b-a+1)
	for l := a; l <= b; l++ {
		out = append(out, l)
	}
	return out
}
