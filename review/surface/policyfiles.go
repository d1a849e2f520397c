package surface

import (
	"path"
	"regexp"
	"strings"
)

// PolicyFileDetector reports edits to the rules that decide what an agent,
// a tool or a sandbox may do, where they live in data rather than code: a
// policy TOML, a permissions JSON, an approval allow-list. Only the lines
// that grant or refuse (decision, allow, deny, ask, trusted…) count.
type PolicyFileDetector struct{}

func (PolicyFileDetector) Name() string { return "policy-file" }

var policyPath = regexp.MustCompile(`(?i)(^|/)[^/]*(polic(y|ies)|permission|approv|sandbox|allow[-_]?list|deny[-_]?list|trust)[^/]*(/|$)`)

func (PolicyFileDetector) Applies(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".toml", ".yaml", ".yml", ".json", ".rego", ".cedar":
	default:
		return false
	}
	return policyPath.MatchString(p) && !strings.Contains(p, "package-lock") && !strings.HasPrefix(p, ".vouch/")
}

// decisionLine holds a key or value that grants or refuses.
var decisionLine = regexp.MustCompile(`(?i)\b(decision|allow(ed)?|deny|denied|permit(ted)?|forbid(den)?|approve[ds]?|auto_?approve|ask_?user|always_?allow|trusted?|grant(ed)?|block(ed)?|writable|network|readonly|read_only|effect)\b`)

func (PolicyFileDetector) Detect(c *Change) []Finding {
	var out []Finding
	report := func(ls []Line, side, verb string) {
		for _, l := range ls {
			t := strings.TrimSpace(l.Text)
			if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") || !decisionLine.MatchString(t) {
				continue
			}
			out = append(out, Finding{Category: "auth", Rule: "policy-file/decision", Severity: "medium", Confidence: "medium",
				Line: l.No, Side: side, Evidence: t,
				Message: verb + " a rule of " + path.Base(c.Path()) + " that decides what may run or be reached"})
			return // one finding per side: the file's rules changed
		}
	}
	report(c.Added(), SideNew, "changes")
	if len(out) == 0 {
		report(c.Removed(), SideOld, "removes")
	}
	return out
}
