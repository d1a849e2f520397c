package surface

import (
	"strings"

	"github.com/vouch-review/vouch/review/diff"
)

// TrustDetector reports every change under .vouch/: the configuration,
// checklists, allowed signers and keys there are the review's own trust
// anchors, so a commit that touches them changes what vouch will accept.
type TrustDetector struct{}

func (TrustDetector) Name() string { return "trust" }

// Applies to every path: a file renamed out of .vouch/ is seen by its new
// path and still removes an anchor.
func (TrustDetector) Applies(string) bool { return true }

func underVouch(p string) bool { return strings.HasPrefix(p, ".vouch/") }

func (TrustDetector) Detect(c *Change) []Finding {
	if !underVouch(c.File.OldPath) && !underVouch(c.File.NewPath) {
		return nil
	}
	what := "the review's own configuration"
	p := c.Path()
	if !underVouch(p) {
		p = c.File.OldPath
	}
	switch {
	case strings.HasPrefix(p, ".vouch/checklists/"):
		what = "a checklist reviewers tick"
	case strings.Contains(p, "allowed_signers") || strings.Contains(p, "signers"):
		what = "who may sign decisions"
	case strings.HasSuffix(p, ".pub") || strings.HasSuffix(p, ".asc") || strings.HasSuffix(p, ".gpg") || strings.Contains(p, "/keys/"):
		what = "the keys decisions are verified with"
	case strings.HasSuffix(p, "config.toml"):
		what = "vouch's config (markers, policy, rules, notes ref)"
	}
	verb := "changes"
	line, side := 1, SideNew
	switch {
	case c.File.Status == diff.StatusAdded:
		verb = "adds"
	case c.File.Status == diff.StatusDeleted:
		verb, side = "deletes", SideOld
	case !underVouch(c.File.NewPath):
		verb = "moves out"
	}
	if ls := c.Added(); len(ls) > 0 && side == SideNew {
		line = ls[0].No
	} else if ls := c.Removed(); len(ls) > 0 {
		line, side = ls[0].No, SideOld
	}
	return []Finding{{
		Category: "policy", Rule: "vouch/trust-anchor", Severity: "critical", Confidence: "high",
		File: c.Path(), Line: line, Side: side,
		Evidence: p,
		Message:  verb + " " + p + " under .vouch/: " + what + "; an accept needs a signer trusted before this commit",
	}}
}
